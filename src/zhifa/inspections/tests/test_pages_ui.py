"""The inspection pages, each for the roles it allows and the roles it refuses: warning queue (handle and
dismiss over htmx, refusals beside the field), plans (create, approval by the head only), task page with its
draw and proof, the public re-run page, the officer's list for today with QR codes, the enterprise's view of a
code with the anonymous rating, and the statistics page with its chart data."""

from __future__ import annotations

import datetime as dt
import json
import re
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from zhifa.core import clock
from zhifa.inspections import codes, selectors, services
from zhifa.inspections.models import (
    Inspection,
    InspectionFeedback,
    InspectionPlan,
    InspectionTask,
    InspectionWarning,
    PlanStatus,
    WarningKind,
    WarningState,
)
from zhifa.inspections.tests.conftest import (
    TZ_NOW,
    World,
    make_item,
    make_officer,
    make_plan,
    make_random_task,
)
from zhifa.org.models import Role, User
from zhifa.org.tests.factories import UserFactory, grant

HX = {"HX-Request": "true"}


def as_user(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def drawn_task(world: World) -> Any:
    _, plan_item = make_plan(world)
    today = clock.today()
    task = make_random_task(
        world, plan_item, starts_on=today - dt.timedelta(days=1), ends_on=today + dt.timedelta(days=30)
    )
    services.task_draw(world.officer_user, task, now=TZ_NOW)
    return task


@pytest.fixture
def unfiled_warnings(world: World) -> list[InspectionWarning]:
    item = make_item(world)
    for party in world.parties[:3]:
        services.inspection_enter_unfiled(world.officer_user, party=party, item=item, place="现场")
    return list(InspectionWarning.objects.filter(kind=WarningKind.UNFILED).order_by("id"))


def enterprise_user(party: Any) -> User:
    user = UserFactory(full_name="企业联系人")
    grant(user, Role.ENTERPRISE, party=party)
    return User.objects.get(pk=user.pk)


# --- warning queue -------------------------------------------------------------------------------------------------


def test_warning_queue_shows_the_agencys_warnings_to_head_officer_and_supervisor(
    world, unfiled_warnings
) -> None:
    url = reverse("inspections:warning_list")
    for user in (world.head, world.officer_user, world.supervisor):
        html = as_user(user).get(url).content.decode()
        assert all(f'data-warning="{w.pk}"' in html for w in unfiled_warnings), user
        assert "应报备未报备" in html
    # only those who may handle (head, supervisor) get the form
    assert reverse("inspections:warning_handle", args=[unfiled_warnings[0].pk]) in html
    officer_html = as_user(world.officer_user).get(url).content.decode()
    assert reverse("inspections:warning_handle", args=[unfiled_warnings[0].pk]) not in officer_html


def test_warning_queue_is_refused_to_enterprises_and_empty_for_another_region(
    world, unfiled_warnings
) -> None:
    url = reverse("inspections:warning_list")
    assert as_user(enterprise_user(world.parties[0])).get(url).status_code == 403
    html = as_user(world.outside_supervisor).get(url).content.decode()
    assert not any(f'data-warning="{w.pk}"' in html for w in unfiled_warnings)


def test_warning_queue_filters_by_kind_and_state(world, unfiled_warnings) -> None:
    client = as_user(world.supervisor)
    url = reverse("inspections:warning_list")
    html = client.get(url, {"kind": "repeated"}).content.decode()
    assert 'data-warning="' not in html
    services.warning_dismiss(world.supervisor, unfiled_warnings[0], reason="上级交办")
    html = client.get(url, {"state": "new"}).content.decode()
    assert f'data-warning="{unfiled_warnings[0].pk}"' not in html
    assert f'data-warning="{unfiled_warnings[1].pk}"' in html
    html = client.get(url, {"state": "dismissed"}).content.decode()
    assert f'data-warning="{unfiled_warnings[0].pk}"' in html and "上级交办" in html


def test_handle_over_htmx_swaps_the_row_and_records_the_note(world, unfiled_warnings) -> None:
    warning = unfiled_warnings[0]
    response = as_user(world.head).post(
        reverse("inspections:warning_handle", args=[warning.pk]), {"text": "已补报"}, headers=HX
    )
    html = response.content.decode()
    assert response.status_code == 200 and "<html" not in html
    assert 'data-state="handled"' in html and "已补报" in html
    warning.refresh_from_db()
    assert warning.state == WarningState.HANDLED and warning.note == "已补报"


def test_dismiss_without_reason_is_refused_beside_the_field(world, unfiled_warnings) -> None:
    warning = unfiled_warnings[0]
    response = as_user(world.supervisor).post(
        reverse("inspections:warning_dismiss", args=[warning.pk]), {"text": "  "}, headers=HX
    )
    html = response.content.decode()
    assert "排除预警须写明理由" in html and "is-invalid" in html and 'data-state="new"' in html
    warning.refresh_from_db()
    assert warning.state == WarningState.NEW


def test_officer_may_not_handle_and_outside_supervisor_gets_404(world, unfiled_warnings) -> None:
    warning = unfiled_warnings[0]
    url = reverse("inspections:warning_handle", args=[warning.pk])
    assert as_user(world.officer_user).post(url, {"text": "x"}).status_code == 403
    assert as_user(world.outside_supervisor).post(url, {"text": "x"}).status_code == 404
    warning.refresh_from_db()
    assert warning.state == WarningState.NEW


def test_merge_suggestion_is_shown_when_two_inspections_of_one_party_are_due(world) -> None:
    today = clock.today()
    window = {"starts_on": today - dt.timedelta(days=1), "ends_on": today + dt.timedelta(days=30)}
    for days in (3, 5):  # two tasks of two items, each drawing every party
        _, plan_item = make_plan(world)
        task = make_random_task(world, plan_item, party_count=len(world.parties), **window)
        services.task_draw(world.officer_user, task, now=TZ_NOW)
        Inspection.objects.filter(task=task).update(scheduled_on=today + dt.timedelta(days=days))
    html = as_user(world.head).get(reverse("inspections:warning_list")).content.decode()
    assert "综合查一次" in html
    assert all(f'data-merge-party="{p.pk}"' in html for p in world.parties)


def test_no_merge_suggestion_for_a_single_due_inspection(world, drawn_task) -> None:
    html = as_user(world.head).get(reverse("inspections:warning_list")).content.decode()
    assert "综合查一次" not in html


# --- plans ---------------------------------------------------------------------------------------------------------


def test_officer_creates_a_plan_and_adds_an_item(world) -> None:
    item = make_item(world)
    client = as_user(world.officer_user)
    response = client.post(
        reverse("inspections:plan_create"),
        {
            "agency": world.agency.pk,
            "year": 2026,
            "title": "2026 年度涉企检查计划",
            "allow_advance_notice": "on",
        },
    )
    plan = InspectionPlan.objects.get(title="2026 年度涉企检查计划")
    assert response.status_code == 302 and response["Location"] == reverse(
        "inspections:plan_detail", args=[plan.pk]
    )
    response = client.post(
        reverse("inspections:plan_item_add", args=[plan.pk]),
        {
            "item": item.pk,
            "ratio_a": "5",
            "ratio_b": "10",
            "ratio_c": "30",
            "ratio_d": "100",
            "quarters": "13",
        },
    )
    assert response.status_code == 302
    assert plan.items.get().quarters == "13"


def test_plan_item_with_bad_quarters_is_refused_beside_the_field(world) -> None:
    item = make_item(world)
    plan, _ = make_plan(world, approve=False)
    response = as_user(world.officer_user).post(
        reverse("inspections:plan_item_add", args=[plan.pk]),
        {
            "item": item.pk,
            "ratio_a": "5",
            "ratio_b": "10",
            "ratio_c": "30",
            "ratio_d": "100",
            "quarters": "5",
        },
    )
    assert response.status_code == 422
    assert "实施季度应为 1–4 的组合" in response.content.decode()


def test_duplicate_plan_title_is_refused_beside_the_title(world) -> None:
    plan, _ = make_plan(world, approve=False)
    response = as_user(world.officer_user).post(
        reverse("inspections:plan_create"),
        {"agency": world.agency.pk, "year": plan.year, "title": plan.title},
    )
    html = response.content.decode()
    assert response.status_code == 200 and "同名年度计划已存在" in html and 'id="id_title_error"' in html


def test_only_the_head_sees_and_uses_the_approve_button(world) -> None:
    plan, _ = make_plan(world, approve=False)
    detail = reverse("inspections:plan_detail", args=[plan.pk])
    approve = reverse("inspections:plan_approve", args=[plan.pk])
    assert approve not in as_user(world.officer_user).get(detail).content.decode()
    assert as_user(world.officer_user).post(approve).status_code == 403
    assert as_user(world.unit_head).post(approve).status_code == 403
    assert as_user(world.outside_supervisor).post(approve).status_code == 404
    plan.refresh_from_db()
    assert plan.status == PlanStatus.DRAFT
    head = as_user(world.head)
    assert approve in head.get(detail).content.decode()
    assert head.post(approve).status_code == 302
    plan.refresh_from_db()
    assert plan.status == PlanStatus.APPROVED


def test_supervisor_reads_plans_but_may_not_create(world) -> None:
    plan, _ = make_plan(world)
    client = as_user(world.supervisor)
    assert plan.title in client.get(reverse("inspections:plan_list")).content.decode()
    assert client.get(reverse("inspections:plan_create")).status_code == 403
    assert (
        plan.title
        not in as_user(world.outside_supervisor).get(reverse("inspections:plan_list")).content.decode()
    )


# --- tasks and draws -------------------------------------------------------------------------------------------------


def test_officer_draws_from_the_task_page_and_sees_the_proof(world) -> None:
    _, plan_item = make_plan(world)
    task = make_random_task(world, plan_item, party_count=3)
    client = as_user(world.officer_user)
    url = reverse("inspections:task_detail", args=[task.pk])
    html = client.get(url).content.decode()
    assert reverse("inspections:task_draw", args=[task.pk]) in html and task.commitment in html
    response = client.post(reverse("inspections:task_draw", args=[task.pk]))
    assert response.status_code == 302
    html = client.get(url).content.decode()
    values = selectors.draw_published(task.pk)
    for key in ("commitment", "secret", "head_root", "seed", "pool_hash"):
        assert values[key] in html, key
    assert reverse("portal:draw", args=[task.pk]) in html
    assert reverse("inspections:task_draw", args=[task.pk]) not in html


def test_second_draw_is_refused_beside_the_button(world, drawn_task) -> None:
    response = as_user(world.officer_user).post(reverse("inspections:task_draw", args=[drawn_task.pk]))
    assert response.status_code == 409 and "data-draw-error" in response.content.decode()


def test_supervisor_sees_the_task_but_may_not_draw(world) -> None:
    _, plan_item = make_plan(world)
    task = make_random_task(world, plan_item, party_count=3)
    client = as_user(world.supervisor)
    html = client.get(reverse("inspections:task_detail", args=[task.pk])).content.decode()
    assert task.title in html and reverse("inspections:task_draw", args=[task.pk]) not in html
    assert client.post(reverse("inspections:task_draw", args=[task.pk])).status_code == 403
    assert (
        as_user(world.outside_supervisor).get(reverse("inspections:task_detail", args=[task.pk])).status_code
        == 404
    )
    assert not Inspection.objects.filter(task=task).exists()


def test_verify_page_needs_no_login_and_points_at_the_public_json(world, drawn_task) -> None:
    response = Client().get(reverse("inspections:draw_verify", args=[drawn_task.pk]), follow=True)
    html = response.content.decode()
    assert response.status_code == 200
    assert f'data-url="/api/inspections/draws/{drawn_task.pk}"' in html
    assert "/static/inspections/verify.js" in html


# --- the officer's day and the enterprise's side ---------------------------------------------------------------


def test_officer_on_the_inspection_sees_it_today_with_its_qr_on_demand(world, drawn_task) -> None:
    inspection = Inspection.objects.filter(task=drawn_task).first()
    member = User.objects.get(officer__pk=inspection.assignments.first().officer_id)
    html = as_user(member).get(reverse("inspections:today")).content.decode()
    qr = reverse("inspections:code_qr", args=[inspection.pk])
    assert f'data-inspection="{inspection.pk}"' in html and f'src="{qr}" loading="lazy"' in html
    assert inspection.party.name in html and "<svg" not in html  # no QR drawn into the page
    # the QR code opens on demand (a closed <details> per card, its image loaded when it opens)
    assert '<details class="qr-toggle"' in html and '<details class="qr-toggle" open' not in html
    assert html.index('<details class="qr-toggle"') < html.index(qr)


def test_today_is_refused_to_the_head_and_empty_for_an_officer_not_on_it(world, drawn_task) -> None:
    assert as_user(world.head).get(reverse("inspections:today")).status_code == 403
    idle, _ = make_officer(world.agency, "新到岗检查员")  # joined after the draw: on no inspection
    html = as_user(idle).get(reverse("inspections:today")).content.decode()
    assert "今天没有分配给您的检查" in html and "<svg" not in html


def test_enterprise_scan_shows_who_comes_certificates_and_legal_basis_without_login(
    world, drawn_task
) -> None:
    inspection = Inspection.objects.filter(task=drawn_task).first()
    code = codes.issue_code(inspection)
    html = Client().get(reverse("inspections:code_view"), {"code": code}).content.decode()
    assert 'data-code-valid="yes"' in html
    assert "食品安全法" in html and drawn_task.title in html
    assert html.count("data-officer") == 2
    for a in inspection.assignments.select_related("officer"):
        assert a.officer.name in html and a.certificate_number in html


def test_forged_code_is_refused_on_the_page_and_warns(world, drawn_task) -> None:
    inspection = Inspection.objects.filter(task=drawn_task).first()
    code = codes.issue_code(inspection)
    response = Client().get(reverse("inspections:code_view"), {"code": code[:-2] + "zz"})
    assert response.status_code == 422 and "data-code-error" in response.content.decode()
    assert InspectionWarning.objects.filter(kind=WarningKind.FORGED_CODE).exists()


def test_enterprise_rates_after_the_visit_anonymously_and_once(world, drawn_task) -> None:
    inspection = Inspection.objects.filter(task=drawn_task).first()
    member = User.objects.get(officer__pk=inspection.assignments.first().officer_id)
    code = codes.issue_code(inspection)
    page = reverse("inspections:code_view")
    enterprise = as_user(enterprise_user(inspection.party))
    assert 'data-section="feedback"' not in enterprise.get(page, {"code": code}).content.decode()
    services.inspection_check_in(member, code, place="门店")
    assert 'data-section="feedback"' in enterprise.get(page, {"code": code}).content.decode()
    url = reverse("inspections:feedback", args=[inspection.pk])
    response = enterprise.post(url, {"code": code, "rating": 4, "comment": "文明执法", "problem_text": ""})
    assert response.status_code == 302
    html = enterprise.get(page, {"code": code}).content.decode()
    assert "data-rated" in html and 'data-section="feedback"' not in html
    feedback = InspectionFeedback.objects.get(inspection=inspection)
    assert feedback.rating == 4 and not hasattr(feedback, "user_id")
    again = enterprise.post(url, {"code": code, "rating": 1})
    assert again.status_code == 422 and "该次检查已评价" in again.content.decode()


def test_rating_is_refused_to_staff_and_another_enterprise(world, drawn_task) -> None:
    inspection = Inspection.objects.filter(task=drawn_task).first()
    url = reverse("inspections:feedback", args=[inspection.pk])
    assert as_user(world.head).post(url, {"code": "x", "rating": 5}).status_code == 403
    stranger = next(p for p in world.parties if p.pk != inspection.party_id)
    assert as_user(enterprise_user(stranger)).post(url, {"code": "x", "rating": 5}).status_code == 404
    assert not InspectionFeedback.objects.exists()


# --- statistics ---------------------------------------------------------------------------------------------------


def test_dashboard_gives_counts_per_agency_and_party_in_json_script(world, drawn_task) -> None:
    html = as_user(world.supervisor).get(reverse("inspections:dashboard")).content.decode()
    match = re.search(
        r'<script id="inspection-chart-data" type="application/json">(.*?)</script>', html, re.S
    )
    assert match and "/static/vendor/echarts/echarts.min.js" in html
    data = json.loads(match.group(1))
    total = Inspection.objects.filter(task=drawn_task).count()
    assert data["agencies"]["labels"] == [world.agency.name] and data["agencies"]["values"] == [total]
    assert sum(data["parties"]["values"]) == total


def test_dashboard_is_refused_to_enterprises_and_scoped_for_another_region(world, drawn_task) -> None:
    assert as_user(enterprise_user(world.parties[0])).get(reverse("inspections:dashboard")).status_code == 403
    html = as_user(world.outside_supervisor).get(reverse("inspections:dashboard")).content.decode()
    assert world.agency.name not in html.split('id="inspection-chart-data"')[1]


def test_officer_creates_a_random_task_under_an_approved_plan(world) -> None:
    plan, plan_item = make_plan(world)
    client = as_user(world.officer_user)
    assert (
        reverse("inspections:task_create", args=[plan.pk])
        in client.get(reverse("inspections:plan_detail", args=[plan.pk])).content.decode()
    )
    data = {
        "plan_item": plan_item.pk,
        "title": "一季度抽查",
        "starts_on": "2026-03-01",
        "ends_on": "2026-03-31",
        "quarter": 1,
        "party_count": 3,
        "inspectors_per_inspection": 2,
    }
    response = client.post(reverse("inspections:task_create", args=[plan.pk]), data)
    task = InspectionTask.objects.get(title="一季度抽查")
    assert response.status_code == 302 and response["Location"] == reverse(
        "inspections:task_detail", args=[task.pk]
    )
    assert len(task.commitment) == 64


def test_task_under_a_draft_plan_is_refused_and_a_supervisor_may_not_create_one(world) -> None:
    plan, plan_item = make_plan(world, approve=False)
    data = {"plan_item": plan_item.pk, "title": "草拟计划下的任务", "starts_on": "2026-03-01"}
    data |= {"ends_on": "2026-03-31", "quarter": 1, "inspectors_per_inspection": 2}
    html = (
        as_user(world.officer_user).get(reverse("inspections:plan_detail", args=[plan.pk])).content.decode()
    )
    assert reverse("inspections:task_create", args=[plan.pk]) not in html
    response = as_user(world.officer_user).post(reverse("inspections:task_create", args=[plan.pk]), data)
    assert response.status_code == 422 and "无计划不检查" in response.content.decode()
    approved, item = make_plan(world)
    data["plan_item"] = item.pk
    assert (
        as_user(world.supervisor)
        .post(reverse("inspections:task_create", args=[approved.pk]), data)
        .status_code
        == 403
    )
    assert not InspectionTask.objects.filter(title="草拟计划下的任务").exists()


def test_without_javascript_handling_redirects_back_to_the_queue(world, unfiled_warnings) -> None:
    warning = unfiled_warnings[0]
    client = as_user(world.head)
    url = reverse("inspections:warning_handle", args=[warning.pk])
    refused = client.post(url, {"text": ""}, follow=True)
    assert "请填写处理情况" in refused.content.decode()
    warning.refresh_from_db()
    assert warning.state == WarningState.NEW
    response = client.post(url, {"text": "已约谈"})
    assert response.status_code == 302 and response["Location"] == reverse("inspections:warning_list")
    warning.refresh_from_db()
    assert warning.state == WarningState.HANDLED
