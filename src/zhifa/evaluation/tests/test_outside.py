"""Evaluation by outsiders (issue 21 item 4): panels with outside members, the 外聘评查人员 role and its scope,
the sample's strata, and the third-party export and score import."""

from __future__ import annotations

import datetime as dt
import io
import json
from decimal import Decimal

import openpyxl
import pytest
from django.test import Client
from django.urls import reverse

from zhifa.cases.models import Case, CaseRemedy, RemedyKind, RemedyOutcome, SourceKind
from zhifa.cases.tests.helpers import CaseWorld, register
from zhifa.core.errors import InvalidInput, NotFound, PermissionDenied, RuleViolation
from zhifa.evaluation import panel, selectors, services, thirdparty
from zhifa.evaluation.models import EvaluationFile, MemberKind, PanelMember, Stratum, ThirdPartyScore
from zhifa.evaluation.tests.helpers import closed_case, plan
from zhifa.org import permissions as perms
from zhifa.org.models import Region, RegionLevel, Role, RoleAssignment
from zhifa.org.tests.factories import UserFactory, grant
from zhifa.records.models import LedgerEntry

pytestmark = pytest.mark.django_db


def _drawn(world: CaseWorld, n: int = 2):
    for i in range(n):
        closed_case(world, dt.date(2025, 6, 2) + dt.timedelta(days=i))
    p = plan(world, sample=n)
    return p, services.plan_draw(actor=world.supervisor, plan=p)


def _lawyer(world: CaseWorld, p):
    member, password = panel.outside_member_create(
        actor=world.supervisor,
        plan=p,
        username="lawyer_wang",
        full_name="王律师",
        kind=MemberKind.LAWYER,
        affiliation="示范律师事务所",
    )
    return member.user, password


def test_an_outside_member_gets_an_evaluator_account_that_sees_only_its_assigned_files(
    world: CaseWorld,
) -> None:
    p, files = _drawn(world)
    lawyer, password = _lawyer(world, p)
    assert RoleAssignment.objects.get(user=lawyer).role == Role.EVALUATOR
    assert lawyer.must_change_password and lawyer.check_password(password)
    services.file_assign(actor=world.supervisor, file=files[0], evaluator=lawyer)
    assert selectors.file_get(lawyer, files[0].pk).pk == files[0].pk
    with pytest.raises(NotFound):
        selectors.file_get(lawyer, files[1].pk)
    assert not selectors.plans(lawyer).exists()
    assert not perms.can(lawyer, "evaluation.view") and not perms.can(lawyer, "cases.view")
    assert [f.pk for f in selectors.open_tasks(lawyer)] == [files[0].pk]


def test_an_outside_evaluator_is_assigned_only_once_on_the_plans_panel(world: CaseWorld) -> None:
    p, files = _drawn(world, n=1)
    outsider = UserFactory(full_name="李专家")
    grant(outsider, Role.EVALUATOR, region=world.county)
    with pytest.raises(RuleViolation) as exc:
        services.file_assign(actor=world.supervisor, file=files[0], evaluator=outsider)
    assert exc.value.code == "outsider_not_on_panel"
    panel.member_add(
        actor=world.supervisor, plan=p, user=outsider, kind=MemberKind.EXPERT, affiliation="示范大学"
    )
    services.file_assign(actor=world.supervisor, file=files[0], evaluator=outsider)
    assert EvaluationFile.objects.get(pk=files[0].pk).evaluator_id == outsider.pk


def test_staff_join_as_internal_members_and_outsiders_as_outside_ones(world: CaseWorld) -> None:
    p, _ = _drawn(world, n=1)
    with pytest.raises(InvalidInput) as exc:
        panel.member_add(
            actor=world.supervisor, plan=p, user=world.outsider, kind=MemberKind.LAWYER, affiliation="所"
        )
    assert exc.value.code == "staff_as_outsider"
    lawyer, _ = _lawyer(world, p)
    other = plan(world, sample=1)
    with pytest.raises(InvalidInput) as exc:
        panel.member_add(actor=world.supervisor, plan=other, user=lawyer, kind=MemberKind.INTERNAL)
    assert exc.value.code == "outsider_as_internal"
    member = panel.member_add(actor=world.supervisor, plan=p, user=world.outsider, kind=MemberKind.INTERNAL)
    assert not member.is_outside and PanelMember.objects.filter(plan=p).count() == 2
    with pytest.raises(RuleViolation):
        panel.member_add(actor=world.supervisor, plan=p, user=world.outsider, kind=MemberKind.INTERNAL)


def test_an_outside_evaluator_engaged_for_another_region_is_refused(world: CaseWorld) -> None:
    p, _ = _drawn(world, n=1)
    far = Region.objects.create(code="990000", name="远方省", level=RegionLevel.PROVINCE)
    outsider = UserFactory()
    grant(outsider, Role.EVALUATOR, region=far)
    with pytest.raises(RuleViolation) as exc:
        panel.member_add(
            actor=world.supervisor, plan=p, user=outsider, kind=MemberKind.LAWYER, affiliation="所"
        )
    assert exc.value.code == "outsider_other_region"
    assert not PanelMember.objects.filter(plan=p).exists()


def test_only_the_plans_supervisor_builds_its_panel(world: CaseWorld) -> None:
    p, _ = _drawn(world, n=1)
    with pytest.raises(PermissionDenied):
        panel.member_add(actor=world.head, plan=p, user=world.outsider, kind=MemberKind.INTERNAL)
    with pytest.raises(PermissionDenied):
        panel.outside_member_create(
            actor=world.head, plan=p, username="x1", full_name="某", kind=MemberKind.LAWYER, affiliation="所"
        )
    assert not PanelMember.objects.exists()
    assert not RoleAssignment.objects.filter(user__username="x1").exists()


def test_each_sampled_file_records_its_stratum_and_the_draw_stays_reproducible(world: CaseWorld) -> None:
    random_case = closed_case(world, dt.date(2025, 6, 2))
    lost = closed_case(world, dt.date(2025, 6, 3))
    CaseRemedy.objects.create(
        case=lost,
        kind=RemedyKind.LITIGATION,
        applied_on=dt.date(2025, 7, 1),
        decided_on=dt.date(2025, 9, 1),
        outcome=RemedyOutcome.REVOKED,
    )
    upheld = closed_case(world, dt.date(2025, 6, 4))
    CaseRemedy.objects.create(
        case=upheld,
        kind=RemedyKind.RECONSIDERATION,
        applied_on=dt.date(2025, 7, 1),
        decided_on=dt.date(2025, 8, 1),
        outcome=RemedyOutcome.UPHELD,
    )
    complained = closed_case(world, dt.date(2025, 6, 5))
    Case.objects.filter(pk=complained.pk).update(source_kind=SourceKind.COMPLAINT)
    lead = register(world, on=dt.date(2025, 3, 3))
    Case.objects.filter(pk=lead.pk).update(source_check_due=dt.date(2025, 3, 24))
    checked_in_time = register(world, on=dt.date(2026, 1, 5))  # outside the window
    p = plan(world, sample=5)
    files = services.plan_draw(actor=world.supervisor, plan=p)
    strata = {f.case_id: f.stratum for f in files}
    assert strata[lost.pk] == Stratum.LOST and strata[complained.pk] == Stratum.COMPLAINT
    assert strata[lead.pk] == Stratum.INACTION
    assert strata[random_case.pk] == strata[upheld.pk] == Stratum.RANDOM  # upheld on review: not lost
    assert checked_in_time.pk not in strata
    p.refresh_from_db()
    again = services.sample(services.candidate_pool(p), 5, bytes.fromhex(p.seed))
    assert {int(i): services.stratum_of(label) for label, ids in again.items() for i in ids} == strata


def _scored(world: CaseWorld):
    p, files = _drawn(world)
    file = services.file_assign(actor=world.supervisor, file=files[0], evaluator=world.outsider)
    services.file_score(actor=world.outsider, file=file, awards={i.pk: i.points for i in p.sheet.items.all()})
    return p, files


def test_the_third_party_export_masks_parties_persons_and_numbers(world: CaseWorld) -> None:
    p, files = _scored(world)
    body = thirdparty.third_party_export(actor=world.supervisor, plan=p, fmt="xlsx")
    wb = openpyxl.load_workbook(io.BytesIO(body))
    assert wb.sheetnames == ["评分回填", "样本", "概况"]
    samples = list(wb["样本"].iter_rows(values_only=True))
    assert samples[0][:3] == ("样本编号", "抽样分层", "执法领域")
    text = json.dumps(samples, ensure_ascii=False, default=str)
    assert world.citizen.name not in text and world.officers[0].name not in text
    assert world.officers[0].id_number not in text
    assert "当事人甲" in text and samples[1][0] == "S001"
    assert Case.objects.get(pk=files[0].case_id).number not in text
    assert [r[0] for r in wb["评分回填"].iter_rows(min_row=2, values_only=True)] == ["S001", "S002"]
    data = json.loads(thirdparty.third_party_export(actor=world.supervisor, plan=p, fmt="json"))
    assert data["figures"]["files"] == 2 and data["figures"]["scored"] == 1
    assert LedgerEntry.objects.filter(action="evaluation.third_party_export").count() == 2
    with pytest.raises(PermissionDenied):
        thirdparty.third_party_export(actor=world.head, plan=p, fmt="xlsx")


def _sheet(*rows) -> bytes:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(list(thirdparty.COLUMNS))
    for row in rows:
        ws.append(list(row))
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def test_a_score_sheet_with_bad_rows_is_refused_whole_with_each_rows_error(world: CaseWorld) -> None:
    p, _ = _scored(world)
    data = _sheet(["S001", 88, "好"], ["S009", 70, ""], ["S002", 120, ""], ["S001", 80, ""])
    with pytest.raises(thirdparty.ScoreImportRejected) as exc:
        thirdparty.score_import(actor=world.supervisor, plan=p, assessor="研究院", data=data)
    assert [e["row"] for e in exc.value.details] == [3, 4, 5]
    assert "不在本方案的样本中" in exc.value.details[0]["error"]
    assert "0–100" in exc.value.details[1]["error"] and "重复" in exc.value.details[2]["error"]
    assert not ThirdPartyScore.objects.exists()


def test_the_assessors_scores_are_recorded_against_the_files(world: CaseWorld) -> None:
    p, files = _scored(world)
    saved = thirdparty.score_import(
        actor=world.supervisor,
        plan=p,
        assessor="示范研究院",
        data=_sheet(["S001", 85.5, "证据充分"], ["S002", None, None]),
    )
    assert [(s.file_id, s.total) for s in saved] == [(files[0].pk, Decimal("85.5"))]
    assert LedgerEntry.objects.filter(action="evaluation.third_party_import").exists()
    with pytest.raises(PermissionDenied):
        thirdparty.score_import(actor=world.head, plan=p, assessor="x", data=_sheet(["S001", 1, ""]))


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_panel_and_third_party_pages_are_the_supervisors(world: CaseWorld) -> None:
    p, _ = _scored(world)
    sup, head = _client(world.supervisor), _client(world.head)
    for name in ("evaluation:plan_panel", "evaluation:plan_third_party"):
        assert sup.get(reverse(name, args=[p.pk])).status_code == 200
        assert head.get(reverse(name, args=[p.pk])).status_code in (403, 404)
    response = sup.post(
        reverse("evaluation:plan_panel", args=[p.pk]),
        {
            "action": "create",
            "username": "expert_li",
            "full_name": "李教授",
            "kind": "expert",
            "affiliation": "示范大学",
        },
    )
    assert response.status_code == 302 and PanelMember.objects.filter(user__username="expert_li").exists()
    response = sup.post(reverse("evaluation:plan_third_party", args=[p.pk]), {"action": "xlsx"})
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    bad = io.BytesIO(_sheet(["S777", 50, ""]))
    bad.name = "back.xlsx"
    response = sup.post(
        reverse("evaluation:plan_third_party", args=[p.pk]),
        {"action": "import", "assessor": "研究院", "file": bad},
    )
    assert response.status_code == 422 and "第 2 行" in response.content.decode()


def test_the_evaluator_reads_the_anonymised_file_and_lands_on_its_tasks(world: CaseWorld) -> None:
    p, files = _drawn(world)
    lawyer, _ = _lawyer(world, p)
    lawyer.must_change_password = False
    lawyer.save(update_fields=["must_change_password"])
    services.file_assign(actor=world.supervisor, file=files[0], evaluator=lawyer)
    client = _client(lawyer)
    html = client.get(reverse("evaluation:file_detail", args=[files[0].pk])).content.decode()
    assert "案卷摘要（已脱敏）" in html and "当事人甲" in html and world.citizen.name not in html
    assert client.get(reverse("evaluation:file_detail", args=[files[1].pk])).status_code == 404
    home = client.get(reverse("core:workbench")).content.decode()
    assert "评查待办" in home and "待评分案卷" in home


def test_the_panel_and_third_party_api_answer_the_supervisor_and_refuse_others(world: CaseWorld) -> None:
    p, _ = _scored(world)
    sup, head = _client(world.supervisor), _client(world.head)
    body = json.dumps({"user_id": world.outsider.pk, "kind": "internal", "affiliation": ""})
    url = f"/api/evaluation/plans/{p.pk}/panel"
    assert head.post(url, body, content_type="application/json").status_code in (403, 404)
    created = sup.post(url, body, content_type="application/json")
    assert created.status_code == 201 and created.json()["kind_label"] == "内部评查人员"
    assert [m["user_id"] for m in sup.get(url).json()] == [world.outsider.pk]
    export = sup.post(f"/api/evaluation/plans/{p.pk}/third-party/export")
    assert export.status_code == 200 and export.json()["samples"][0]["样本编号"] == "S001"
    assert head.post(f"/api/evaluation/plans/{p.pk}/third-party/export").status_code in (403, 404)
    sheet = io.BytesIO(_sheet(["S001", 90, ""], ["S002", "九十", ""]))
    sheet.name = "back.xlsx"
    refused = sup.post(
        f"/api/evaluation/plans/{p.pk}/third-party/import", {"assessor": "研究院", "file": sheet}
    )
    assert refused.status_code == 422 and refused.json()["details"] == [
        {"row": 3, "error": "评估得分须为数字。"}
    ]
    assert not ThirdPartyScore.objects.exists()
