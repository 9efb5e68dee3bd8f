"""督查与问责 (issue 21 items 3 and 6): 约谈 with commitments on the problem ledger, 督查组 and 督查函 (a
supervision instrument), 共性问题 escalated to the city, 职责争议 decided into the catalog, 问责 and 尽职免责 —
each rule on both sides, every write scoped and on the ledger."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from zhifa.catalog.models import CatalogItem
from zhifa.core import clock
from zhifa.core.errors import InvalidInput, PermissionDenied, RuleViolation
from zhifa.org.models import Region
from zhifa.oversight import selectors, services
from zhifa.oversight.models import Dispute, ExemptionState, Interview, JointState
from zhifa.records.models import LedgerEntry
from zhifa.supervision import services as sup_services
from zhifa.supervision.models import InstrumentKind, Problem, ProblemSource, ProblemState
from zhifa.testing.worlds import decide_simple

pytestmark = pytest.mark.django_db


def _today() -> dt.date:
    return clock.today()


def _interview(sup: Any, **kw: Any) -> Interview:
    args: dict[str, Any] = {
        "actor": sup.county_sup,
        "agency": sup.w.agency,
        "persons": "王某（局长）",
        "held_on": _today(),
        "reason": "涉企检查未报备问题反复出现",
        "record": "听取情况说明，指出问题，提出整改要求。",
        "commitments": [
            ("一个月内完成全部检查报备补录", _today() + dt.timedelta(days=30)),
            ("建立报备提醒", _today() + dt.timedelta(days=60)),
        ],
    }
    args.update(kw)
    return services.interview_record(**args)


def _actions(obj: Any) -> list[str]:
    return list(
        LedgerEntry.objects.filter(object_type=obj._meta.label_lower, object_id=str(obj.pk)).values_list(
            "action", flat=True
        )
    )


# --- 约谈 ----------------------------------------------------------------------------------------------------------


def test_each_interview_commitment_becomes_a_problem_closed_one_by_one(sup: Any) -> None:
    interview = _interview(sup)
    problems = [c.problem for c in interview.commitments.all()]
    assert len(problems) == 2
    assert {p.source_kind for p in problems} == {ProblemSource.INTERVIEW}
    assert all(p.agency_id == sup.w.agency.pk and p.state == ProblemState.OPEN for p in problems)
    assert interview.issuer == sup.justice
    assert bytes(interview.pdf).startswith(b"%PDF")
    assert _actions(interview) == ["oversight.interview_record"]
    # one closed, the other still open: they are closed one by one
    first = problems[0]
    sup_services.problem_rectify(actor=sup.w.head, problem=first, measures="补录完毕")
    sup_services.problem_submit(actor=sup.w.head, problem=first)
    sup_services.problem_verify(actor=sup.county_sup, problem=first, passed=True, opinion="抽查属实")
    sup_services.problem_close(actor=sup.county_sup, problem=first)
    states = {c.problem.state for c in interview.commitments.select_related("problem")}
    assert states == {ProblemState.CLOSED, ProblemState.OPEN}


def test_an_interview_without_a_commitment_is_refused_and_nothing_is_written(sup: Any) -> None:
    with pytest.raises(InvalidInput) as info:
        _interview(sup, commitments=[])
    assert info.value.code == "no_commitment"
    assert not Interview.objects.exists() and not Problem.objects.exists()


def test_an_interview_with_an_agency_outside_the_supervisors_region_is_refused(sup: Any) -> None:
    with pytest.raises(PermissionDenied):
        _interview(sup, actor=sup.foreign_sup)
    with pytest.raises(PermissionDenied):
        _interview(sup, actor=sup.w.head)
    assert not Interview.objects.exists()


def test_an_interview_may_cite_only_the_interviewed_agencys_problems(sup: Any) -> None:
    own = sup_services.problem_open(
        actor=sup.county_sup,
        agency=sup.w.agency,
        source_kind="other",
        source_ref="",
        title="甲",
        description="",
    )
    other = sup_services.problem_open(
        actor=sup.county_sup,
        agency=sup.w.other_agency,
        source_kind="other",
        source_ref="",
        title="乙",
        description="",
    )
    assert list(_interview(sup, grounds=[own]).grounds.all()) == [own]
    with pytest.raises(InvalidInput):
        _interview(sup, grounds=[other])


# --- 督查组与督查函 ---------------------------------------------------------------------------------------------------


def _team(sup: Any, members: Any = None) -> Any:
    w = sup.w
    return services.team_form(
        actor=sup.county_sup,
        region=w.county,
        title="某市场执法粗暴事件督查",
        trigger="major_impact",
        scope="调阅案卷、走访当事人",
        starts_on=_today(),
        ends_on=_today() + dt.timedelta(days=14),
        leader="李组长",
        members=members or [(sup.justice, "李组长", "组长"), (w.other_agency, "张某", "成员")],
    )


def test_a_team_letter_is_a_numbered_sealed_inspection_instrument(sup: Any) -> None:
    team = _team(sup)
    letter = services.team_letter_issue(
        actor=sup.county_sup,
        team=team,
        agency=sup.w.agency,
        title="执法粗暴事件",
        findings="现场执法未出示证件",
        requirements="十日内书面说明并整改",
        deadline=_today() + dt.timedelta(days=10),
    )
    assert letter.kind == InstrumentKind.INSPECTION
    assert "督查〔" in letter.number and letter.number.endswith("1号")
    assert bytes(letter.pdf).startswith(b"%PDF") and letter.signature
    second = services.team_letter_issue(
        actor=sup.county_sup,
        team=team,
        agency=sup.w.other_agency,
        title="同上",
        findings="同上",
        requirements="同上",
        deadline=_today() + dt.timedelta(days=10),
    )
    assert second.number.endswith("2号")  # gapless per issuer, kind and year
    services.team_conclude(actor=sup.county_sup, team=team, findings="两单位存在执法不规范问题")
    with pytest.raises(RuleViolation):
        services.team_letter_issue(
            actor=sup.county_sup,
            team=team,
            agency=sup.w.agency,
            title="x",
            findings="x",
            requirements="x",
            deadline=_today() + dt.timedelta(days=10),
        )
    assert _actions(team) == [
        "oversight.team_form",
        "oversight.team_letter",
        "oversight.team_letter",
        "oversight.team_conclude",
    ]


def test_a_team_needs_members_from_two_agencies(sup: Any) -> None:
    with pytest.raises(InvalidInput):
        _team(sup, members=[(sup.justice, "李", ""), (sup.justice, "王", "")])


def test_a_team_of_another_region_is_refused(sup: Any) -> None:
    with pytest.raises(PermissionDenied):
        services.team_form(
            actor=sup.foreign_sup,
            region=sup.w.county,
            title="x",
            trigger="serious",
            scope="x",
            starts_on=_today(),
            ends_on=_today(),
            leader="x",
            members=[(sup.justice, "a", ""), (sup.w.agency, "b", "")],
        )


# --- 共性问题 ------------------------------------------------------------------------------------------------------


def _joint(sup: Any) -> Any:
    return services.joint_problem_open(
        actor=sup.county_sup,
        region=sup.w.county,
        title="多部门重复入企检查",
        description="同一企业一月内被三个部门分别检查",
        lead=sup.w.agency,
        partners=[sup.w.other_agency],
    )


def test_a_common_problem_has_a_lead_and_partners_and_a_ledger_problem(sup: Any) -> None:
    joint = _joint(sup)
    assert joint.problem.agency == sup.w.agency and joint.problem.source_kind == ProblemSource.JOINT
    assert list(joint.partners.all()) == [sup.w.other_agency]
    with pytest.raises(InvalidInput):
        services.joint_problem_open(
            actor=sup.county_sup,
            region=sup.w.county,
            title="x",
            description="x",
            lead=sup.w.agency,
            partners=[],
        )


def test_a_common_problem_escalated_by_the_county_is_coordinated_by_the_city_only(
    sup: Any, city_sup: Any
) -> None:
    joint = _joint(sup)
    with pytest.raises(RuleViolation):
        services.joint_problem_coordinate(actor=city_sup, joint=joint, opinion="x")  # not escalated yet
    services.joint_problem_escalate(actor=sup.county_sup, joint=joint, reason="涉及市级部门职责")
    joint.refresh_from_db()
    assert joint.state == JointState.ESCALATED and joint.escalated_to == Region.objects.get(code="880100")
    assert list(selectors.joint_problems_to_coordinate(city_sup)) == [joint]
    assert list(selectors.joint_problems_to_coordinate(sup.county_sup)) == []
    with pytest.raises(PermissionDenied):
        services.joint_problem_coordinate(actor=sup.county_sup, joint=joint, opinion="县里自己统筹")
    services.joint_problem_coordinate(
        actor=city_sup, joint=joint, opinion="由市市场监管局牵头建立联合检查机制"
    )
    joint.refresh_from_db()
    assert joint.state == JointState.COORDINATED
    assert _actions(joint) == [
        "oversight.joint_open",
        "oversight.joint_escalate",
        "oversight.joint_coordinate",
    ]


# --- 职责争议 ------------------------------------------------------------------------------------------------------


def _item(sup: Any) -> CatalogItem:
    return CatalogItem.objects.create(
        agency=sup.w.agency,
        code="MK-001",
        name="对无证经营的处罚",
        kind="penalty",
        domain=sup.w.market,
        law_name="无证无照经营查处办法",
        article="第十三条",
        article_text="……",
        effective_from=dt.date(2024, 1, 1),
    )


def test_a_dispute_decided_for_the_other_agency_moves_the_catalog_item(sup: Any) -> None:
    w = sup.w
    w.other_agency.domains.add(w.market)
    item = _item(sup)
    dispute = services.dispute_file(
        actor=w.head,
        applicant=w.agency,
        other=w.other_agency,
        kind="negative",
        matter="无证经营建筑材料由谁查处",
        positions="市监：属住建；住建：属市监",
        item=item,
    )
    on = _today() + dt.timedelta(days=1)
    services.dispute_decide(
        actor=sup.county_sup,
        dispute=dispute,
        responsible=w.other_agency,
        reasoning="属建筑市场监管",
        effective_on=on,
    )
    item.refresh_from_db()
    assert item.effective_to == on - dt.timedelta(days=1)
    moved = CatalogItem.objects.get(agency=w.other_agency, code="MK-001")
    assert moved.effective_from == on and moved.name == item.name
    assert "catalog.item_reassign" in _actions(item)
    dispute.refresh_from_db()
    assert dispute.responsible == w.other_agency
    with pytest.raises(RuleViolation):
        services.dispute_decide(actor=sup.county_sup, dispute=dispute, responsible=w.agency, reasoning="改判")


def test_a_dispute_is_decided_by_the_bureau_not_by_an_agency_head(sup: Any) -> None:
    w = sup.w
    dispute = services.dispute_file(
        actor=w.head, applicant=w.agency, other=w.other_agency, kind="positive", matter="x", positions="y"
    )
    with pytest.raises(PermissionDenied):
        services.dispute_decide(actor=w.head, dispute=dispute, responsible=w.agency, reasoning="自己定")
    with pytest.raises(PermissionDenied):
        services.dispute_file(
            actor=w.head, applicant=w.other_agency, other=w.agency, kind="positive", matter="x", positions="y"
        )
    # the other party's head sees the dispute filed against it
    assert list(selectors.disputes(w.outsider)) == [dispute]
    assert Dispute.objects.count() == 1


def test_a_dispute_moves_no_item_to_an_agency_without_the_field(sup: Any) -> None:
    item = _item(sup)
    dispute = services.dispute_file(
        actor=sup.w.head,
        applicant=sup.w.agency,
        other=sup.w.other_agency,
        kind="negative",
        matter="x",
        positions="y",
        item=item,
    )
    with pytest.raises(RuleViolation):
        services.dispute_decide(
            actor=sup.county_sup, dispute=dispute, responsible=sup.w.other_agency, reasoning="z"
        )
    dispute.refresh_from_db()
    assert dispute.responsible is None  # nothing half-written


# --- 问责与尽职免责 ------------------------------------------------------------------------------------------------------


def test_an_officer_cites_his_cases_ledger_and_a_granted_exemption_bars_accountability(sup: Any) -> None:
    w = sup.w
    case = decide_simple(w)
    seqs = [e.seq for e in services.case_entries(case)][:2]
    request = services.exemption_request(
        actor=w.officer_user, case=case, facts="依法当场处罚，程序完整", entry_seqs=seqs
    )
    assert request.state == ExemptionState.REQUESTED and request.entry_seqs == sorted(seqs)
    with pytest.raises(PermissionDenied):
        services.exemption_decide(actor=w.head, exemption=request, grant=True, opinion="x")
    services.exemption_decide(actor=sup.county_sup, exemption=request, grant=True, opinion="已尽职")
    with pytest.raises(RuleViolation) as info:
        services.accountability_record(
            actor=sup.county_sup,
            agency=w.agency,
            person="",
            kind="talk",
            facts="处罚不当",
            decided_on=_today(),
            officer=w.officers[0],
            case=case,
        )
    assert info.value.code == "officer_exempt"
    other = services.accountability_record(
        actor=sup.county_sup,
        agency=w.agency,
        person="",
        kind="talk",
        facts="审批把关不严",
        decided_on=_today(),
        officer=w.officers[1],
        case=case,
    )
    assert other.person == w.officers[1].name
    assert _actions(other) == ["oversight.accountability_record"]


def test_an_exemption_cites_only_entries_of_that_case_and_only_by_its_officer(sup: Any) -> None:
    w = sup.w
    case = decide_simple(w)
    problem = sup_services.problem_open(
        actor=sup.county_sup, agency=w.agency, source_kind="other", source_ref="", title="甲", description=""
    )
    stranger = LedgerEntry.objects.get(object_type="supervision.problem", object_id=str(problem.pk))
    with pytest.raises(InvalidInput):
        services.exemption_request(actor=w.officer_user, case=case, facts="x", entry_seqs=[stranger.seq])
    with pytest.raises(PermissionDenied):
        services.exemption_request(actor=sup.county_sup, case=case, facts="x", entry_seqs=[])


def test_accountability_needs_a_problem_or_a_case_of_that_agency(sup: Any) -> None:
    with pytest.raises(InvalidInput):
        services.accountability_record(
            actor=sup.county_sup,
            agency=sup.w.agency,
            person="某",
            kind="talk",
            facts="x",
            decided_on=_today(),
        )
    problem = sup_services.problem_open(
        actor=sup.county_sup,
        agency=sup.w.other_agency,
        source_kind="other",
        source_ref="",
        title="乙",
        description="",
    )
    with pytest.raises(InvalidInput):
        services.accountability_record(
            actor=sup.county_sup,
            agency=sup.w.agency,
            person="某",
            kind="talk",
            facts="x",
            decided_on=_today(),
            problem=problem,
        )
    with pytest.raises(PermissionDenied):
        services.accountability_record(
            actor=sup.foreign_sup,
            agency=sup.w.other_agency,
            person="某",
            kind="talk",
            facts="x",
            decided_on=_today(),
            problem=problem,
        )


# --- pages ----------------------------------------------------------------------------------------------------------


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_pages_show_each_role_its_records_and_steps(sup: Any, city_sup: Any) -> None:
    interview = _interview(sup)
    joint = _joint(sup)
    services.joint_problem_escalate(actor=sup.county_sup, joint=joint, reason="需市级统筹")
    home = _client(sup.county_sup).get(reverse("oversight:home")).content.decode()
    assert "登记约谈" in home and "涉企检查未报备" in home
    assert (
        _client(sup.county_sup).get(reverse("oversight:interview_pdf", args=[interview.pk]))["Content-Type"]
        == "application/pdf"
    )
    city = _client(city_sup).get(reverse("oversight:joint", args=[joint.pk])).content.decode()
    assert "作出统筹意见" in city
    county = _client(sup.county_sup).get(reverse("oversight:joint", args=[joint.pk])).content.decode()
    assert "作出统筹意见" not in county
    # another province's supervisor: 404, not the record
    assert (
        _client(sup.foreign_sup).get(reverse("oversight:interview", args=[interview.pk])).status_code == 404
    )
    # the agency's officer and head read the interview of their agency, with its record
    for user in (sup.w.officer_user, sup.w.head):
        page = _client(user).get(reverse("oversight:interview", args=[interview.pk]))
        assert page.status_code == 200 and "登记约谈" in page.content.decode()
    assert _client(sup.w.outsider).get(reverse("oversight:interview", args=[interview.pk])).status_code == 404
    officer_home = _client(sup.w.officer_user).get(reverse("oversight:home")).content.decode()
    assert "申请尽职免责认定" in officer_home and "登记约谈" not in officer_home


def test_the_interview_form_records_and_a_bad_post_writes_nothing(sup: Any) -> None:
    client = _client(sup.county_sup)
    due = (_today() + dt.timedelta(days=20)).isoformat()
    base = {
        "agency": sup.w.agency.pk,
        "persons": "王某（局长）",
        "held_on": _today().isoformat(),
        "reason": "投诉集中",
        "record": "指出问题",
        "c0_text": "十日内答复投诉人",
        "c0_due": due,
    }
    bad = client.post(reverse("oversight:interview_new"), {**base, "c0_text": ""})
    assert bad.status_code == 200 and "请至少录入一项整改承诺" in bad.content.decode()
    assert not Interview.objects.exists()
    good = client.post(reverse("oversight:interview_new"), base)
    assert good.status_code == 302
    assert Interview.objects.get().commitments.count() == 1
    # an agency head may not post it
    assert _client(sup.w.head).post(reverse("oversight:interview_new"), base).status_code == 403
