"""Reads of cases. Every list takes the caller and returns only what is in their scope."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ObjectDoesNotExist
from django.db.models import Count, Q, QuerySet
from django.urls import reverse

from zhifa.cases import guards, limits
from zhifa.cases.models import (
    FINISHED_STAGES,
    PRE_DECISION_STAGES,
    Case,
    CaseOfficer,
    CaseParty,
    Procedure,
    Seizure,
    SeizureStatus,
    Stage,
    TransferReceipt,
)
from zhifa.cases.rules import RECEIVE_TRANSFER, VIEW_CASE
from zhifa.core import clock, paging
from zhifa.core.errors import DomainError, NotFound
from zhifa.core.flags import FlagCandidate
from zhifa.evidence.required import required_records_missing_many
from zhifa.org import permissions as perms
from zhifa.org.models import User
from zhifa.records.models import LedgerEntry


def cases_visible(user: User) -> QuerySet[Case]:
    """All cases the user may see (本机关 / 本区域), newest first."""
    return perms.scoped(user, VIEW_CASE, Case.objects.select_related("agency__region", "domain")).order_by(
        "-id"
    )


def case_get(user: User, case_id: int, *, request: Any = None) -> Case:
    """One case if the user's scope holds it; otherwise 404, the same answer as for an id that never existed."""
    case = cases_visible(user).filter(pk=case_id).first()
    if case is None:
        raise NotFound("案件不存在或不在您的数据范围内。", "Case not found.", code="case_not_found")
    return case


def case_needs_legal_review(case: Case) -> tuple[bool, list[str]]:
    """需要法制审核吗 (行政处罚法 第五十八条) — and why. The one place the rule lives; the catalog extends it.

    Judged on the decided penalty once there is one, else on the notified (proposed) penalty.
    """
    penalty = _penalty_of(case)
    reasons = guards.legal_review_reasons(case, penalty)
    return bool(reasons), reasons


def case_needs_collective_discussion(case: Case) -> tuple[bool, list[str]]:
    """需要集体讨论吗 (行政处罚法 第五十七条第二款) — and why."""
    penalty = _penalty_of(case)
    reasons = guards.collective_discussion_reasons(case, penalty)
    return bool(reasons), reasons


def case_hearing_right(case: Case) -> tuple[bool, list[str]]:
    """Does the notified penalty carry the right to a hearing (行政处罚法 第六十三条)?"""
    reasons = guards.hearing_right_reasons(case, guards.proposed_penalty(case))
    return bool(reasons) or case.hearing_right, reasons


def _penalty_of(case: Case) -> guards.Penalty:
    if case.penalty_kinds:
        return guards.Penalty(
            tuple(case.penalty_kinds), guards._money(case.fine_yuan), guards._money(case.confiscation_yuan)
        )
    return guards.proposed_penalty(case)


@dataclass(frozen=True)
class NextAction:
    """One action of the case page: whether it may run now and, when not, the guard's reason."""

    code: str
    label: str
    allowed: bool
    reason: str = ""


def case_next_actions(user: User, case: Case, *, on: dt.date | None = None) -> list[NextAction]:
    """下一步操作 — the transitions that apply at the case's stage, each allowed or with the reason why not.

    Uses the very guards the services run (``guards.precheck``); checks that depend on what the user will
    enter (an amount, a date) are made again when the action is submitted.
    """
    on = on or guards.today()
    actions = []
    for transition in guards.TRANSITIONS.values():
        if case.stage not in transition.from_stages or case.procedure not in transition.procedures:
            continue
        if transition.code in QUIET_WHEN_BLOCKED and transition.check is not None:
            try:  # a step that follows another: not shown at all (to anyone) until that one happened
                transition.check(case, on)
            except DomainError:
                continue
        if not perms.can(user, transition.action, case):
            actions.append(NextAction(transition.code, transition.label, False, "您无权执行此操作。"))
            continue
        try:
            guards.check_stage(case, transition)
            if transition.check is not None:
                transition.check(case, on)
        except DomainError as exc:
            if transition.code not in QUIET_WHEN_BLOCKED:
                actions.append(NextAction(transition.code, transition.label, False, exc.message))
            continue
        actions.append(NextAction(transition.code, transition.label, True, ""))
    return actions


# Steps that only follow another (an approval follows an application, the hand-in follows a collection): while
# that one has not happened they are left off the page rather than shown as locked buttons.
QUIET_WHEN_BLOCKED = frozenset(
    {"payment_plan_approve", "instalment_pay", "collection_hand_in", "collection_bank"}
)


def _open(qs: QuerySet[Case]) -> QuerySet[Case]:
    return qs.exclude(stage__in=FINISHED_STAGES).filter(next_deadline__isnull=False)


def cases_past_limit(user: User, today: dt.date | None = None) -> QuerySet[Case]:
    """超期案件 — open cases whose current deadline has passed, most overdue first."""
    today = today or guards.today()
    qs = perms.scoped(user, VIEW_CASE, Case.objects.all())
    return _open(qs).filter(next_deadline__lt=today).order_by("next_deadline", "id")


def cases_near_limit(
    user: User, today: dt.date | None = None, within_days: int | None = None
) -> QuerySet[Case]:
    """临期案件 — open cases whose current deadline falls within the warning window (15 days by default)."""
    today = today or guards.today()
    days = within_days if within_days is not None else limits.setting_int("NEAR_LIMIT_DAYS")
    qs = perms.scoped(user, VIEW_CASE, Case.objects.all())
    return (
        _open(qs)
        .filter(next_deadline__gte=today, next_deadline__lte=today + dt.timedelta(days=days))
        .order_by("next_deadline", "id")
    )


def seizures_past_limit(user: User, today: dt.date | None = None) -> QuerySet[Seizure]:
    """查封、扣押期限届满，既未作出处理决定也未解除 (行政强制法 第二十五条、第二十七条、第二十八条): a measure
    with a handling decision (没收、销毁, ``compulsion.seizure_handle``) or released is no longer active."""
    today = today or guards.today()
    qs = perms.scoped(user, VIEW_CASE, Seizure.objects.select_related("case"))
    return qs.filter(status=SeizureStatus.ACTIVE, due_on__lt=today).order_by("due_on", "id")


def seizures_awaiting_approval(user: User) -> QuerySet[Seizure]:
    """紧急实施、待机关负责人补办批准的查封、扣押 (行政强制法 第十九条), the report due first."""
    qs = perms.scoped(user, VIEW_CASE, Seizure.objects.select_related("case"))
    return qs.filter(status=SeizureStatus.ACTIVE, emergency=True, approved_by__isnull=True).order_by(
        "report_due", "id"
    )


def unapproved_emergency_seizure_flags(since: dt.datetime | None) -> Any:
    """Supervision flag source: an emergency seizure the head has not approved within 24 hours (第十九条)."""
    late = Seizure.objects.select_related("case").filter(
        status=SeizureStatus.ACTIVE, emergency=True, approved_by__isnull=True, report_due__lt=clock.now()
    )
    # every late seizure, streamed (a [:1000] here left those past the 1000th unflagged on every sweep)
    for seizure in late.order_by("report_due", "id").iterator(chunk_size=500):
        case = seizure.case
        assert seizure.report_due is not None
        yield FlagCandidate(
            kind="seizure_unapproved",
            key=f"seizure:{seizure.pk}",
            agency_id=case.agency_id,
            title=f"紧急查封扣押未补办批准：{case.number or case.title}",
            detail=(
                f"当场实施后应于 {clock.local(seizure.report_due):%Y-%m-%d %H:%M} 前报告机关负责人并补办批准"
                "（行政强制法 第十九条）；负责人认为不应当采取的，应当立即解除。"
            ),
            object_type="cases.seizure",
            object_id=str(seizure.pk),
            url=reverse("cases:detail", args=[case.pk]),
            due=clock.local(seizure.report_due).date(),
            severity="serious",
        )


# --- 案源登记簿 ------------------------------------------------------------------------------------------------

# 案源的处理结果 (行政处罚法 第五十四条: a source is opened, screened out, or transferred from the source stage;
# 撤案 is only possible after 立案, so such a case counts as 立案).
SOURCE_OUTCOMES: dict[str, str] = {
    "pending": "待处理",
    "opened": "立案",
    "not_opened": "不予立案",
    "transferred": "移送",
}


def source_outcome(case: Case) -> str:
    """The outcome of a case source: one of ``SOURCE_OUTCOMES``."""
    if case.opened_on is not None:
        return "opened"
    if case.stage == Stage.NOT_OPENED:
        return "not_opened"
    if case.stage == Stage.TRANSFERRED:
        return "transferred"
    return "pending"


def case_sources(user: User, *, q: str = "", outcome: str = "", mine: bool = False) -> QuerySet[Case]:
    """案源登记簿 — every case source (general procedure) in the user's scope, newest first, with a search on
    案由, 案件编号, 来源编号 or 当事人 and a filter by outcome; ``mine``: the sources the user registered."""
    qs = cases_visible(user).exclude(procedure=Procedure.SIMPLE)
    if mine:
        qs = qs.filter(created_by_id=getattr(user, "pk", None))
    q = q.strip()[:100]
    if q:
        qs = qs.filter(
            Q(title__icontains=q)
            | Q(number__icontains=q)
            | Q(source_reference__icontains=q)
            | Q(party_links__party__name__icontains=q)
        ).distinct()
    if outcome == "pending":
        qs = qs.filter(stage=Stage.SOURCE)
    elif outcome == "opened":
        qs = qs.filter(opened_on__isnull=False)
    elif outcome == "not_opened":
        qs = qs.filter(stage=Stage.NOT_OPENED)
    elif outcome == "transferred":
        qs = qs.filter(stage=Stage.TRANSFERRED, opened_on__isnull=True)
    return qs.prefetch_related("party_links__party")


def my_cases_by_deadline(
    user: User, *, after: str | None = None, limit: int = 50
) -> tuple[list[Case], str | None]:
    """我的案件 — open cases the user handles as an officer, nearest deadline first (keyset on deadline, id).

    ``after`` is the opaque cursor this returned for the previous page (``zhifa.core.paging``)."""
    officer = _officer_of(user)
    if officer is None:
        return [], None
    # One filter() call, so that every condition and the ordering share one join to this officer's link,
    # whose (officer, next_deadline, case) index serves the page (the link's deadline equals the case's).
    ordering = ("officer_links__next_deadline", "id")
    mine = Q(officer_links__officer_id=officer.pk, officer_links__next_deadline__isnull=False)
    if after:
        mine &= paging.keyset_filter(ordering, paging.decode_cursor(after, ordering))
    qs = perms.scoped(user, VIEW_CASE, Case.objects.filter(mine))
    page = paging.keyset(
        qs.select_related("agency", "domain"),
        ordering=ordering,
        limit=limit,
        key_of=lambda case: (case.next_deadline, case.pk),
    )
    return page.items, page.next_cursor


def _officer_of(user: User) -> Any:
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    try:
        return user.officer
    except ObjectDoesNotExist:
        return None


def handles_cases(user: User) -> bool:
    """Is the user an officer (执法人员) who may be named on cases (承办人员)?"""
    return _officer_of(user) is not None


def deadline_state(case: Case, today: dt.date | None = None) -> str:
    """'overdue', 'near' or 'ok' for the workbench colours (the UI issue picks the colours)."""
    today = today or guards.today()
    if case.next_deadline is None or case.stage in FINISHED_STAGES:
        return "ok"
    if case.next_deadline < today:
        return "overdue"
    if case.next_deadline <= today + dt.timedelta(days=limits.setting_int("NEAR_LIMIT_DAYS")):
        return "near"
    return "ok"


def case_timeline(user: User, case: Case) -> list[Any]:
    """The case's ledger entries, oldest first (the full-process record of this case)."""
    perms.require(user, VIEW_CASE, case)
    return list(
        LedgerEntry.objects.filter(object_type=case._meta.label_lower, object_id=str(case.pk)).order_by("seq")
    )


__all__ = [
    "NextAction",
    "Stage",
    "case_get",
    "case_hearing_right",
    "case_needs_collective_discussion",
    "case_needs_legal_review",
    "case_next_actions",
    "case_timeline",
    "cases_near_limit",
    "cases_past_limit",
    "cases_visible",
    "deadline_state",
    "handles_cases",
    "my_cases_by_deadline",
    "seizures_past_limit",
]


# --- case lists at agency scale (机关负责人, 法制审核人员, 执法监督人员) and the 待办 queues -------------------------

# The 待办 queues a case list can be narrowed to; each is one count on a workbench.
QUEUES: dict[str, str] = {
    "open": "待立案审批",
    "decide": "待作出决定",
    "discuss": "待集体讨论",
    "extend": "办案期限将满",
    "serve": "待送达决定书",
    "records": "必备记录待补",
    "seizure": "查封扣押将届满",
    "seizure_approval": "紧急查封扣押待补办批准",
    "source_overdue": "案源核查逾期",
    "overdue": "已超期",
    "near": "临期",
}
DEADLINE_STATES: dict[str, str] = {"overdue": "已超期", "near": "临期"}
# Cases whose readiness is judged by running the guards (a bounded scan of the candidates, nearest first).
READY_SCAN_LIMIT = 500


def _near_days() -> int:
    return limits.setting_int("NEAR_LIMIT_DAYS")


def cases_ready_to(user: User, code: str, qs: QuerySet[Case], *, on: dt.date | None = None) -> list[int]:
    """The ids of the cases of ``qs`` on which ``code`` may run today — the very guards of the service.

    Judges at most ``READY_SCAN_LIMIT`` candidates (those at a stage the step starts from, nearest deadline
    first); the input-dependent checks run again when the step is submitted.
    """
    on = on or guards.today()
    transition = guards.TRANSITIONS[code]
    candidates = (
        qs.filter(stage__in=transition.from_stages, procedure__in=transition.procedures)
        .select_related("agency")
        .order_by("next_deadline", "id")[:READY_SCAN_LIMIT]
    )
    ready = []
    for case in candidates:
        if not perms.can(user, transition.action, case):
            continue
        try:
            guards.check_stage(case, transition)
            if transition.check is not None:
                transition.check(case, on)
        except DomainError:
            continue
        ready.append(case.pk)
    return ready


def cases_missing_records(qs: QuerySet[Case]) -> dict[int, list[str]]:
    """必备记录待补 — open cases whose next step (调查终结, 结案) still lacks a mandatory record, with what lacks.

    The step's guard refuses on the same list (``guards.check_required_records``, 行政处罚法 第四十七条).
    """
    missing: dict[int, list[str]] = {}
    for stages, record_stage in (
        ((Stage.INVESTIGATION,), "investigation"),
        ((Stage.SERVED, Stage.EXECUTING), "service_execution"),
    ):
        rows = list(qs.filter(stage__in=stages).values_list("pk", "procedure")[:READY_SCAN_LIMIT])
        objects = [
            (str(pk), "penalty.simple" if procedure == "simple" else "penalty.general")
            for pk, procedure in rows
        ]
        found = required_records_missing_many(
            Case._meta.label_lower, objects, record_stage, extra_satisfied={"penalty.simple": {"text"}}
        )
        missing.update({int(pk): lacking for pk, lacking in found.items()})
    return missing


def case_queue(user: User, queue: str, qs: QuerySet[Case], *, today: dt.date | None = None) -> QuerySet[Case]:
    """``qs`` narrowed to one 待办 queue of ``QUEUES`` (an unknown name narrows nothing)."""
    today = today or guards.today()
    near = today + dt.timedelta(days=_near_days())
    if queue == "open":
        return qs.filter(stage=Stage.SOURCE)
    if queue == "decide":
        return qs.filter(pk__in=cases_ready_to(user, "decide", qs, on=today))
    if queue == "discuss":
        # 行政处罚法 第五十七条第二款: only the cases that need the heads' collective discussion, once ready for it.
        ready = cases_ready_to(user, "collective_discussion", qs, on=today)
        needed = [c for c in qs.filter(pk__in=ready) if case_needs_collective_discussion(c)[0]]
        return qs.filter(pk__in=[c.pk for c in needed])
    if queue == "extend":
        # 行政处罚法 第六十条: the head may extend the ninety days before they run out, not after.
        return qs.filter(stage__in=PRE_DECISION_STAGES, decision_due__gte=today, decision_due__lte=near)
    if queue == "serve":
        return qs.filter(stage=Stage.DECIDED)
    if queue == "records":
        return qs.filter(pk__in=list(cases_missing_records(qs)))
    if queue == "seizure":
        # 行政强制法 第二十五条: an extension of a seizure is approved before its thirty days end.
        due = Seizure.objects.filter(status=SeizureStatus.ACTIVE, due_on__lte=near).values("case_id")
        return qs.filter(pk__in=due)
    if queue == "seizure_approval":
        # 行政强制法 第十九条: acted on in an emergency, the head approves (or refuses) within 24 hours.
        pending = Seizure.objects.filter(
            status=SeizureStatus.ACTIVE, emergency=True, approved_by__isnull=True
        ).values("case_id")
        return qs.filter(pk__in=pending)
    if queue == "source_overdue":
        # 市场监督管理行政处罚程序规定 第十八条: a lead past its check period with no decision whether to open.
        return qs.filter(stage=Stage.SOURCE, source_check_due__lt=today)
    if queue == "overdue":
        return _open(qs).filter(next_deadline__lt=today)
    if queue == "near":
        return _open(qs).filter(next_deadline__gte=today, next_deadline__lte=near)
    return qs


# The queues a count can be read for in one query (case_queue_counts): the same rows as case_queue's.
COUNTABLE_QUEUES = ("overdue", "near", "serve")


def _countable_queue_q(queue: str, today: dt.date, near: dt.date) -> Q:
    is_open = ~Q(stage__in=FINISHED_STAGES) & Q(next_deadline__isnull=False)  # _open()
    if queue == "overdue":
        return is_open & Q(next_deadline__lt=today)
    if queue == "near":
        return is_open & Q(next_deadline__gte=today, next_deadline__lte=near)
    if queue == "serve":
        return Q(stage=Stage.DECIDED)
    raise ValueError(f"{queue!r} is not a countable queue")


def case_queue_counts(
    qs: QuerySet[Case], queues: Iterable[str] = COUNTABLE_QUEUES, *, today: dt.date | None = None
) -> dict[str, int]:
    """How many of ``qs`` are in each of ``queues`` (``COUNTABLE_QUEUES``), in one query: a workbench's 待办
    counts, each ``case_queue(user, queue, qs).count()``."""
    today = today or guards.today()
    near = today + dt.timedelta(days=_near_days())
    names = list(queues)
    if not names:
        return {}
    return qs.order_by().aggregate(
        **{name: Count("pk", filter=_countable_queue_q(name, today, near)) for name in names}
    )


def case_list(
    user: User,
    *,
    q: str = "",
    stage: str = "",
    deadline: str = "",
    procedure: str = "",
    queue: str = "",
    mine: bool = False,
    today: dt.date | None = None,
) -> QuerySet[Case]:
    """案件列表 — the cases of the caller's agency (or region): search by 案件编号, 当事人, 执法事项 or 承办人员,
    filter by stage, deadline state and procedure, or narrow to one 待办 queue. Unordered: the page pages it by
    id (keyset)."""
    qs = perms.scoped(user, VIEW_CASE, Case.objects.select_related("agency", "domain"))
    if mine:
        officer = _officer_of(user)
        qs = qs.filter(officer_links__officer=officer) if officer is not None else qs.none()
    q = q.strip()[:100]
    if q:
        qs = qs.filter(
            Q(number__icontains=q)
            | Q(title__icontains=q)
            | Q(catalog_item_code__icontains=q)
            | Q(pk__in=CaseParty.objects.filter(party__name__icontains=q).values("case_id"))
            | Q(pk__in=CaseOfficer.objects.filter(officer__name__icontains=q).values("case_id"))
        )
    if stage in Stage.values:
        qs = qs.filter(stage=stage)
    if procedure in Procedure.values:
        qs = qs.filter(procedure=procedure)
    if deadline in DEADLINE_STATES:
        qs = case_queue(user, deadline, qs, today=today)
    if queue in QUEUES:
        qs = case_queue(user, queue, qs, today=today)
    return qs


__all__ += [
    "DEADLINE_STATES",
    "QUEUES",
    "case_list",
    "case_queue",
    "case_queue_counts",
    "cases_missing_records",
    "cases_ready_to",
]


# --- 移送 (transfers) ---


def transfers_visible(user: User) -> QuerySet[TransferReceipt]:
    """Transfers of the cases the user may view, and those received by an agency in the user's scope."""
    own = cases_visible(user).values("pk")
    incoming = perms.scoped(user, RECEIVE_TRANSFER, TransferReceipt.objects.all()).values("pk")
    return (
        TransferReceipt.objects.filter(Q(case_id__in=own) | Q(pk__in=incoming))
        .filter(case__stage=Stage.TRANSFERRED)
        .select_related("case__agency", "receiver")
        .order_by("-case__ended_on", "-id")
    )


def transfers_unanswered(user: User) -> QuerySet[TransferReceipt]:
    """移送待办: no receipt or no feedback yet."""
    return transfers_visible(user).filter(Q(received_on__isnull=True) | Q(feedback=""))
