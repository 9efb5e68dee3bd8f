"""The enterprise's pages for each role: 我的检查 (upcoming with its notice, history with each result and 整改
deadline), one visit (officers with the live certificate check, task, items, legal basis, checklist) with the
visit time agreed through the page, 我的投诉, the 企业待办 on the workbench, and the officer's window form."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from zhifa.complaints import services as complaint_services
from zhifa.core import clock
from zhifa.enterprise.tests.conftest import filed_visit
from zhifa.inspections import codes, services
from zhifa.inspections.models import Inspection, Outcome, VisitWindow
from zhifa.inspections.tests.conftest import make_plan, make_random_task
from zhifa.org.models import User

pytestmark = pytest.mark.django_db


def as_user(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def rectified(scene: Any) -> Inspection:
    """A visit of yesterday to the same party: checked in, 责令整改 with a deadline in ten days."""
    w = scene.world
    visit = filed_visit(w, w.parties[0], item=scene.item, starts_in=-1)
    services.inspection_check_in(w.officer_user, codes.issue_code(visit), place="门店")
    visit.refresh_from_db()
    services.inspection_result(
        w.officer_user,
        visit,
        outcome=Outcome.RECTIFY,
        findings="冷藏柜温度记录缺失",
        rectify_deadline=clock.today() + dt.timedelta(days=10),
    )
    return visit


def test_my_inspections_shows_the_upcoming_visit_and_the_history(scene, rectified) -> None:
    html = as_user(scene.company).get(reverse("enterprise:home")).content.decode()
    assert "待商定时间" in html and "请在可选时段中商定入企时间" in html
    assert "检测县市场监督管理局" in html
    assert "责令整改" in html and "冷藏柜" not in html  # findings on the visit page, not the list
    deadline = clock.today() + dt.timedelta(days=10)
    assert f"整改期限：{deadline:%Y-%m-%d}" in html
    assert "待商定入企时间：<strong>1</strong>" in html and "待整改：<strong>1</strong>" in html


def test_a_visit_page_shows_officers_task_items_basis_and_checklist(scene) -> None:
    url = reverse("enterprise:inspection", args=[scene.visit.pk])
    html = as_user(scene.company).get(url).content.decode()
    for officer in scene.world.officers[:2]:
        assert officer.name in html
    assignment = scene.visit.assignments.first()
    assert assignment.certificate_number in html and "证件有效，具备执法资格" in html
    assert "专项检查" in html and "年度专项检查" in html  # kind and reason of the approved task
    assert "《中华人民共和国食品安全法》第一百一十条" in html
    assert "是否取得食品经营许可证" in html and "查验许可证原件" in html
    assert "检查约需一小时" in html and "确认入企时间" in html


def test_the_enterprise_agrees_a_time_through_the_page(scene) -> None:
    client = as_user(scene.company)
    day = clock.today() + dt.timedelta(days=3)
    response = client.post(
        reverse("enterprise:visit_time", args=[scene.visit.pk]), {"start": f"{day:%Y-%m-%d}T10:00"}
    )
    assert response.status_code == 302
    window = VisitWindow.objects.get(inspection=scene.visit)
    assert clock.local(window.agreed_start).strftime("%Y-%m-%d %H:%M") == f"{day:%Y-%m-%d} 10:00"
    html = client.get(reverse("enterprise:inspection", args=[scene.visit.pk])).content.decode()
    assert f"已确认：{day:%Y-%m-%d} 10:00" in html


def test_a_time_outside_the_window_is_refused_on_the_page_and_nothing_changes(scene) -> None:
    client = as_user(scene.company)
    response = client.post(
        reverse("enterprise:visit_time", args=[scene.visit.pk]), {"start": "2030-01-01T10:00"}, follow=True
    )
    assert "所选时间不在执法机关提出的可选时段内" in response.content.decode()
    assert VisitWindow.objects.get(inspection=scene.visit).agreed_start is None


def test_another_partys_user_gets_404_for_the_visit_and_its_form(scene) -> None:
    client = as_user(scene.other_company)
    assert client.get(reverse("enterprise:inspection", args=[scene.visit.pk])).status_code == 404
    day = clock.today() + dt.timedelta(days=3)
    response = client.post(
        reverse("enterprise:visit_time", args=[scene.visit.pk]), {"start": f"{day:%Y-%m-%d}T10:00"}
    )
    assert response.status_code == 404
    assert VisitWindow.objects.get(inspection=scene.visit).agreed_start is None
    assert "暂无已告知的检查" in client.get(reverse("enterprise:home")).content.decode()


@pytest.mark.parametrize("who", ["officer", "head", "supervisor"])
def test_staff_do_not_use_the_enterprise_area(scene, who) -> None:
    user = {
        "officer": scene.world.officer_user,
        "head": scene.world.head,
        "supervisor": scene.world.supervisor,
    }[who]
    client = as_user(user)
    assert client.get(reverse("enterprise:home")).status_code == 403
    assert client.get(reverse("enterprise:inspection", args=[scene.visit.pk])).status_code == 403


def test_anonymous_is_sent_to_log_in(scene) -> None:
    response = Client().get(reverse("enterprise:home"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_a_random_visit_not_announced_stays_unseen(scene) -> None:
    w = scene.world
    _, plan_item = make_plan(w)
    today = clock.today()
    task = make_random_task(
        w, plan_item, starts_on=today, ends_on=today + dt.timedelta(days=20), party_count=10, now=clock.now()
    )
    services.task_draw(w.officer_user, task)
    hidden = Inspection.objects.get(task=task, party=w.parties[0])
    client = as_user(scene.company)
    assert client.get(reverse("enterprise:inspection", args=[hidden.pk])).status_code == 404
    services.inspection_check_in(
        User.objects.get(officer=hidden.assignments.first().officer), codes.issue_code(hidden), place="门店"
    )
    assert client.get(reverse("enterprise:inspection", args=[hidden.pk])).status_code == 200


def test_the_enterprise_lands_on_its_todos(scene, rectified) -> None:
    html = as_user(scene.company).get(reverse("core:workbench")).content.decode()
    assert "企业待办" in html and 'data-todo="待商定入企时间" data-count="1"' in html
    assert 'data-todo="待整改" data-count="1"' in html
    assert reverse("enterprise:home") in html
    assert "我的检查" in html  # the menu entry


def test_my_complaints_lists_what_the_user_submitted_signed_in(scene) -> None:
    complaint_services.complaint_submit_public(
        region_code=scene.world.county.code,
        subject="检查人员未出示证件",
        content="上周检查时未出示执法证件。",
        actor=scene.company,
    )
    html = as_user(scene.company).get(reverse("enterprise:complaints")).content.decode()
    assert "检查人员未出示证件" in html and "待分办" in html
    assert (
        "检查人员未出示证件"
        not in as_user(scene.other_company).get(reverse("enterprise:complaints")).content.decode()
    )


def test_the_officer_offers_a_window_from_the_onsite_page(world) -> None:
    visit = filed_visit(world, world.parties[3])
    client = as_user(world.officer_user)
    onsite = reverse("inspections:onsite", args=[visit.pk])
    assert "提出可选时间" in client.get(onsite).content.decode()
    day = clock.today() + dt.timedelta(days=2)
    response = client.post(
        reverse("inspections:visit_window", args=[visit.pk]),
        {
            "first_day": f"{day:%Y-%m-%d}",
            "last_day": f"{day:%Y-%m-%d}",
            "day_starts": "14:00",
            "day_ends": "16:00",
            "slot_minutes": "60",
        },
    )
    assert response.status_code == 302
    assert VisitWindow.objects.filter(inspection=visit).exists()
    assert "待企业确认" in client.get(onsite).content.decode()


def test_a_window_outside_the_task_is_refused_on_the_onsite_page(world) -> None:
    visit = filed_visit(world, world.parties[3])
    day = clock.today() + dt.timedelta(days=60)
    response = as_user(world.officer_user).post(
        reverse("inspections:visit_window", args=[visit.pk]),
        {
            "first_day": f"{day:%Y-%m-%d}",
            "last_day": f"{day:%Y-%m-%d}",
            "day_starts": "09:00",
            "day_ends": "10:00",
            "slot_minutes": "60",
        },
        follow=True,
    )
    assert "入企时间须在检查任务期限内" in response.content.decode()
    assert not VisitWindow.objects.filter(inspection=visit).exists()
