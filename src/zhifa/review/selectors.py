"""Reads of the legal review: the catalog in force, the hooks' answers, queues, workload, rounds, reports.

Every list takes the caller and narrows to their scope (``perms.scoped``).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.urls import reverse

from zhifa.cases import guards, limits
from zhifa.cases.models import Case, LegalReviewOutcome, PenaltyKind
from zhifa.core import clock
from zhifa.core.errors import NotFound
from zhifa.core.flags import FlagCandidate
from zhifa.core.workdays import working_days_between
from zhifa.org import permissions as perms
from zhifa.org.models import User
from zhifa.records.models import LedgerEntry
from zhifa.records.timeline import readable_entries
from zhifa.review import rules
from zhifa.review.models import (
    OPEN_STATES,
    CaseMark,
    Discussion,
    FindingResult,
    MajorDecisionCatalog,
    RequestState,
    ReviewFinding,
    ReviewPoint,
    ReviewRequest,
)

# --- the catalog of major decisions ---------------------------------------------------------------------------------


def catalog_in_force(agency_id: int, on: dt.date) -> MajorDecisionCatalog | None:
    """The agency's catalog version in force on ``on`` (the latest that took effect and has not ended)."""
    return (
        MajorDecisionCatalog.objects.filter(agency_id=agency_id, effective_from__lte=on)
        .filter(Q(effective_to__isnull=True) | Q(effective_to__gt=on))
        .order_by("-effective_from")
        .first()
    )


def catalog_reasons(case: Case, penalty: guards.Penalty, on: dt.date | None = None) -> list[str]:
    """重大执法决定法制审核目录 — why the agency's catalog (in force today) makes this decision major.

    Registered with ``cases.hooks.register_legal_review_reasons``, so the hard guard
    ``guards.check_legal_review`` (行政处罚法 第五十八条) refuses the decision until the review agreed.
    Amount criteria are "at or above" the threshold; the citizen threshold applies when any party is a
    natural person (the stricter reading, as ``guards.threshold`` does).
    """
    if not getattr(case, "agency_id", None):
        return []
    catalog = catalog_in_force(case.agency_id, on or clock.today())
    if catalog is None:
        return []

    reasons: list[str] = []
    kinds = guards.party_kinds(case)
    citizen = not kinds or any(limits.is_citizen(k) for k in kinds)
    fine_limit = catalog.fine_citizen_yuan if citizen else catalog.fine_organisation_yuan
    who = "自然人" if citizen else "法人或其他组织"
    if fine_limit is not None and PenaltyKind.FINE in penalty.kinds and penalty.fine_yuan >= fine_limit:
        reasons.append(f"法制审核目录：对{who}罚款 {penalty.fine_yuan} 元（目录标准 {fine_limit} 元以上）")
    confiscating = {PenaltyKind.CONFISCATE_INCOME, PenaltyKind.CONFISCATE_PROPERTY} & set(penalty.kinds)
    if (
        catalog.confiscation_yuan is not None
        and confiscating
        and penalty.confiscation_yuan >= catalog.confiscation_yuan
    ):
        reasons.append(
            f"法制审核目录：没收金额/价值 {penalty.confiscation_yuan} 元（目录标准 {catalog.confiscation_yuan} 元以上）"
        )
    for flag, kind in (
        (catalog.revoke_licence, PenaltyKind.REVOKE_LICENCE),
        (catalog.stop_business, PenaltyKind.STOP_BUSINESS),
        (catalog.close, PenaltyKind.CLOSE),
    ):
        if flag and kind in penalty.kinds:
            reasons.append(f"法制审核目录：{PenaltyKind(kind).label}")
    if catalog.hearing and (case.hearing_held_on or case.hearing_requested_on):
        reasons.append("法制审核目录：经过听证程序")
    if catalog.public_interest:
        mark = CaseMark.objects.filter(case_id=case.pk, public_interest=True).first() if case.pk else None
        if mark is not None:
            reasons.append(f"法制审核目录：涉及重大公共利益（{mark.note}）")
    if catalog.complex_facts and case.is_complex:
        reasons.append("法制审核目录：案件情况疑难复杂")
    if case.catalog_item_code and case.catalog_item_code in (catalog.item_codes or []):
        reasons.append(f"法制审核目录：执法事项 {case.catalog_item_code} 列入目录")
    return reasons


# --- the hooks' answers ------------------------------------------------------------------------------------------------

_STATE_LABEL = {
    RequestState.SUBMITTED: "法制审核已送审、尚未分配审核人员",
    RequestState.ASSIGNED: "法制审核尚在进行",
    RequestState.RETURNED: "法制审核存在问题、已退回承办机构",
}


def latest_request(case: Case) -> ReviewRequest | None:
    return ReviewRequest.objects.filter(case_id=case.pk).order_by("-round_no").first()


def review_status(case: Case) -> tuple[bool, str] | None:
    """Whether the current round of the workflow agreed (``cases.hooks.register_legal_review_status``).

    ``None`` for a case that never entered the workflow (the built-in record answers, and the stand-in
    can no longer write one). An agreement given before the party was notified again does not count.
    """
    request = latest_request(case)
    if request is None:
        return None
    if request.notice_round != case.notice_round:
        return False, "重新告知后尚未重新送法制审核"
    if request.state == RequestState.AGREED:
        return True, "法制审核同意"
    return False, _STATE_LABEL[RequestState(request.state)]


# --- supervision flags ----------------------------------------------------------------------------------------------------


def overdue_flag(request: ReviewRequest, on: dt.date) -> FlagCandidate:
    late = (on - request.due_on).days
    return FlagCandidate(
        kind="legal_review_overdue",
        key=f"review:{request.pk}",
        agency_id=request.agency_id,
        title=f"法制审核超期：{request.case.number or request.case.title} 第{request.round_no}轮",
        detail=f"审核期限 {request.due_on:%Y-%m-%d}，已超过 {late} 日，已报告机关负责人。",
        object_type="review.reviewrequest",
        object_id=str(request.pk),
        url=f"/review/requests/{request.pk}/",
        due=request.due_on,
        severity="serious" if late > 5 else "warning",
        data={"case_id": request.case_id, "round_no": request.round_no, "reviewer_id": request.reviewer_id},
    )


def overdue_flags(since: dt.datetime | None = None) -> Iterable[FlagCandidate]:
    """Flag source ``legal_review_overdue``: every open round past its time limit."""
    today = clock.today()
    rows = (
        ReviewRequest.objects.filter(state__in=OPEN_STATES, due_on__lt=today)
        .select_related("case")
        .order_by("id")
    )
    for request in rows.iterator(chunk_size=500):
        yield overdue_flag(request, today)


UNREVIEWED_LOOKBACK_DAYS = 366  # decisions of the last year; older ones were looked at by earlier scans


def unreviewed_major_decision_flags(since: dt.datetime | None = None) -> Iterable[FlagCandidate]:
    """Flag source ``major_decision_unreviewed`` (重大执法决定未经法制审核): a case decided in the last year
    whose decision needed a legal review that agreed (行政处罚法 第五十八条, or the agency's catalog in force
    on the decision day) and has none for its notice round.

    ``guards.check_legal_review`` refuses such a decision, so this finds what went around the guard —
    decisions imported or recorded elsewhere, rows changed afterwards: the supervisor's detective control.
    """
    today = clock.today()
    agreed_request = ReviewRequest.objects.filter(
        case=OuterRef("pk"), state=RequestState.AGREED, notice_round=OuterRef("notice_round")
    )
    agreed_outcome = LegalReviewOutcome.objects.filter(
        case=OuterRef("pk"), agreed=True, notice_round=OuterRef("notice_round")
    )
    cases = (
        Case.objects.filter(decided_on__gte=today - dt.timedelta(days=UNREVIEWED_LOOKBACK_DAYS))
        .exclude(penalty_kinds=[])
        .filter(~Exists(agreed_request), ~Exists(agreed_outcome))
        .select_related("agency")
        .prefetch_related("party_links__party")
        .order_by("id")
    )
    for case in cases.iterator(chunk_size=500):
        case._party_kinds = [link.party.kind for link in case.party_links.all()]  # type: ignore[attr-defined]
        penalty = guards.Penalty(
            tuple(case.penalty_kinds or ()),
            guards._money(case.fine_yuan),
            guards._money(case.confiscation_yuan),
        )
        reasons = guards.legal_review_reasons(case, penalty, on=case.decided_on)
        if not reasons:
            continue
        yield FlagCandidate(
            kind="major_decision_unreviewed",
            key=f"case:{case.pk}:{case.notice_round}",
            agency_id=case.agency_id,
            title=f"重大执法决定未经法制审核：{case.number or case.title}",
            detail=f"须审核的理由：{'；'.join(reasons)}（行政处罚法第五十八条）。决定日期 {case.decided_on}。",
            object_type="cases.case",
            object_id=str(case.pk),
            url=_case_url(case.pk),
            due=case.decided_on,
            severity="serious",
            data={"reasons": reasons},
        )


def _case_url(pk: int) -> str:
    return reverse("cases:detail", args=[pk])  # review needs cases: the route always exists


# --- reads for pages and API ------------------------------------------------------------------------------------------------


def requests_visible(user: User) -> QuerySet[ReviewRequest]:
    return perms.scoped(user, rules.VIEW, ReviewRequest.objects.all()).select_related(
        "case", "agency", "reviewer", "submitted_by"
    )


def request_get(user: User, pk: int) -> ReviewRequest:
    row = requests_visible(user).filter(pk=pk).first()
    if row is None:
        raise NotFound(
            "法制审核申请不存在或不在您的数据范围内。", "Review request not found.", code="review_not_found"
        )
    return row


def my_queue(user: User) -> QuerySet[ReviewRequest]:
    """我的待审 — open rounds assigned to me, nearest deadline first."""
    return (
        requests_visible(user)
        .filter(reviewer_id=user.pk, state=RequestState.ASSIGNED)
        .order_by("due_on", "id")
    )


def unassigned_queue(user: User) -> QuerySet[ReviewRequest]:
    """待分配 — rounds of the agencies I may assign for, oldest first."""
    qs = perms.scoped(user, rules.ASSIGN, ReviewRequest.objects.all()).select_related("case", "agency")
    return qs.filter(state=RequestState.SUBMITTED).order_by("due_on", "id")


def case_rounds(case: Case) -> list[ReviewRequest]:
    """Every round of the case, first to last, with materials, findings and opinions."""
    return list(
        ReviewRequest.objects.filter(case_id=case.pk)
        .select_related("reviewer", "submitted_by")
        .prefetch_related("materials", "findings", "opinions")
        .order_by("round_no")
    )


def findings_table(request: ReviewRequest) -> list[dict[str, Any]]:
    """The eight points in order, each with its finding (or None)."""
    found = {f.point: f for f in request.findings.all()}
    return [{"point": p.value, "label": p.label, "finding": found.get(p.value)} for p in ReviewPoint]


def request_history(user: User, request: ReviewRequest) -> list[Any]:
    """The review's record as readable timeline entries (names, labels, business dates), oldest first."""
    return readable_entries(
        user,
        LedgerEntry.objects.filter(object_type="review.reviewrequest", object_id=str(request.pk)).order_by(
            "seq"
        ),
    )


def case_discussions(case: Case) -> list[Discussion]:
    return list(Discussion.objects.filter(case_id=case.pk).prefetch_related("participants").order_by("id"))


@dataclass
class Workload:
    reviewer_id: int
    name: str
    open: int = 0
    overdue: int = 0
    concluded: int = 0
    avg_working_days: float | None = None


def workload(user: User, *, today: dt.date | None = None) -> list[Workload]:
    """工作量 — per reviewer: open rounds, overdue, concluded and the average working days to conclude."""
    today = today or clock.today()
    rows = perms.scoped(user, rules.VIEW, ReviewRequest.objects.all()).filter(reviewer__isnull=False)
    result: dict[int, Workload] = {}
    durations: dict[int, list[int]] = defaultdict(list)
    fields = (
        "reviewer_id",
        "reviewer__username",
        "reviewer__full_name",
        "state",
        "due_on",
        "submitted_on",
        "concluded_on",
    )
    for rid, username, full_name, state, due_on, submitted_on, concluded_on in rows.values_list(*fields):
        w = result.setdefault(rid, Workload(rid, full_name or username))
        if state in OPEN_STATES:
            w.open += 1
            w.overdue += int(due_on < today)
        elif concluded_on:
            w.concluded += 1
            durations[rid].append(working_days_between(submitted_on, concluded_on))
    for rid, values in durations.items():
        result[rid].avg_working_days = round(sum(values) / len(values), 1)
    return sorted(result.values(), key=lambda w: (-w.open, w.name))


# --- reports ---------------------------------------------------------------------------------------------------------------


@dataclass
class AgencyReport:
    agency_id: int
    agency_name: str
    rounds: int = 0
    cases: int = 0
    open: int = 0
    agreed: int = 0
    returned: int = 0
    first_round_concluded: int = 0
    first_round_agreed: int = 0
    first_round_pass_rate: float | None = None
    returns_by_point: dict[str, int] = field(default_factory=dict)
    avg_days_to_review: float | None = None
    overdue_concluded: int = 0


def review_report(
    user: User,
    *,
    agency_id: int | None = None,
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
) -> list[AgencyReport]:
    """统计 — per agency in the caller's scope: rounds, cases, agreed/returned, first-round pass rate, returns
    by review point and the average calendar days from submission to conclusion (rounds submitted in range)."""
    qs = perms.scoped(user, rules.REPORT, ReviewRequest.objects.all())
    if agency_id is not None:
        qs = qs.filter(agency_id=agency_id)
    if date_from is not None:
        qs = qs.filter(submitted_on__gte=date_from)
    if date_to is not None:
        qs = qs.filter(submitted_on__lte=date_to)
    rows = list(
        qs.values_list(
            "id",
            "agency_id",
            "agency__name",
            "case_id",
            "round_no",
            "state",
            "submitted_on",
            "concluded_on",
            "due_on",
        )
    )
    problems = Counter(
        ReviewFinding.objects.filter(
            request_id__in=[r[0] for r in rows if r[5] == RequestState.RETURNED], result=FindingResult.PROBLEM
        ).values_list("request__agency_id", "point")
    )
    reports: dict[int, AgencyReport] = {}
    cases: dict[int, set[int]] = defaultdict(set)
    days: dict[int, list[int]] = defaultdict(list)
    for _pk, agency, name, case_id, round_no, state, submitted, concluded, due in rows:
        rep = reports.setdefault(agency, AgencyReport(agency, name))
        rep.rounds += 1
        cases[agency].add(case_id)
        if state in OPEN_STATES:
            rep.open += 1
        elif state == RequestState.AGREED:
            rep.agreed += 1
        else:
            rep.returned += 1
        if concluded:
            days[agency].append((concluded - submitted).days)
            rep.overdue_concluded += int(concluded > due)
        if round_no == 1 and state not in OPEN_STATES:
            rep.first_round_concluded += 1
            rep.first_round_agreed += int(state == RequestState.AGREED)
    for agency, rep in reports.items():
        rep.cases = len(cases[agency])
        if rep.first_round_concluded:
            rep.first_round_pass_rate = round(rep.first_round_agreed / rep.first_round_concluded, 4)
        if days[agency]:
            rep.avg_days_to_review = round(sum(days[agency]) / len(days[agency]), 2)
        rep.returns_by_point = {
            p.value: problems.get((agency, p.value), 0)
            for p in ReviewPoint
            if problems.get((agency, p.value))
        }
    return sorted(reports.values(), key=lambda r: r.agency_name)


__all__ = [
    "AgencyReport",
    "Workload",
    "case_discussions",
    "case_rounds",
    "catalog_in_force",
    "catalog_reasons",
    "findings_table",
    "latest_request",
    "my_queue",
    "overdue_flags",
    "request_get",
    "requests_visible",
    "review_report",
    "review_status",
    "unassigned_queue",
    "workload",
]
