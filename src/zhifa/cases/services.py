"""State changes of cases (案件): every transition of the general and simple procedures and of compulsion.

Each service runs in one transaction (``zhifa.core.transactions.service``), locks the case row, checks
permission, stage and the legal guards (``zhifa.cases.guards``) before it writes anything, then writes and
appends exactly one ledger entry (``record_append``). A refusal therefore leaves nothing behind: no field
changed, no ledger entry, no case number used.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import Any

from django.core.exceptions import ObjectDoesNotExist
from django.db.models import Model

from zhifa.cases import fines, guards, hooks, limits
from zhifa.cases.guards import Penalty, refuse
from zhifa.cases.models import (
    FINISHED_STAGES,
    PRE_DECISION_STAGES,
    Case,
    CaseDocument,
    CaseNumberCounter,
    CaseOfficer,
    CaseParty,
    CaseRemedy,
    CollectiveDiscussion,
    DeadlineExtension,
    DocumentNumberCounter,
    DocumentStatus,
    DocumentType,
    EnforcementDemand,
    HearingClosedReason,
    LegalReviewOutcome,
    NotPunishReason,
    OnSpotCollection,
    PartyRole,
    PenaltyKind,
    Procedure,
    ReleaseReason,
    RemedyKind,
    Seizure,
    SeizureKind,
    SeizureStatus,
    ServiceMethod,
    SourceKind,
    Stage,
    TransferTarget,
)
from zhifa.cases.rules import APPROVE, COMPEL, INVESTIGATE, OPEN_CASE
from zhifa.core import clock, textlimits
from zhifa.core.errors import ConfigurationMissing, InvalidInput, RuleViolation
from zhifa.core.numbering import next_number
from zhifa.core.textlimits import check_length
from zhifa.core.transactions import service
from zhifa.org import permissions as perms
from zhifa.org.models import Agency, Domain, Officer, Party
from zhifa.records.services import record_append

# --- helpers ---------------------------------------------------------------------------------------------------


def _json(value: Any) -> Any:
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, (list, tuple)):
        return [_json(v) for v in value]
    if isinstance(value, Model):
        return value.pk
    return value


def _officer_of(user: Any) -> Officer | None:
    try:
        return user.officer if user is not None and getattr(user, "is_authenticated", False) else None
    except ObjectDoesNotExist:
        return None


def _locked(case: Case | int) -> Case:
    """The case row, locked until the transaction ends, with what the guards read joined."""
    pk = case.pk if isinstance(case, Case) else case
    return Case.objects.select_for_update(of=("self",)).select_related("agency__region", "domain").get(pk=pk)


def _next_deadline(case: Case) -> dt.date | None:
    """The nearest deadline of the case's current stage (the workbench sorts by it)."""
    if case.stage in FINISHED_STAGES or case.stage == Stage.SOURCE:
        return None
    candidates: list[dt.date] = []
    if case.stage in PRE_DECISION_STAGES and case.decision_due:
        candidates.append(case.decision_due)
    elif case.stage == Stage.DECIDED and case.service_due:
        candidates.append(case.service_due)
    else:  # served / executing
        if case.procedure == Procedure.SIMPLE and not case.filed_on and case.filing_due:
            candidates.append(case.filing_due)
        if guards.owes_money(case):
            enforcement = EnforcementDemand.objects.filter(case=case).first()
            plan = fines.approved_plan(case)
            if enforcement is None and plan is not None:
                # 行政处罚法 第六十六条: under an approved plan the next instalment's due date is the deadline
                next_due = plan.instalments.filter(paid_on__isnull=True).order_by("seq").first()
                if next_due is not None:
                    candidates.append(next_due.due_on)
            elif enforcement is None and case.payment_due:
                candidates.append(case.payment_due)
            elif enforcement is not None and not enforcement.court_applied_on and case.served_on:
                try:
                    candidates.append(limits.court_application_window(case.served_on)[1])
                except ConfigurationMissing:
                    # the window's end waits for a year's holiday schedule: the earliest it can be, so the
                    # reminder comes early, never late (the court-application guard itself refuses until then)
                    remedy_end = limits.add_months(case.served_on, limits.REMEDY_MONTHS)
                    candidates.append(limits.add_months(remedy_end, limits.COURT_APPLICATION_MONTHS))
    collection = OnSpotCollection.objects.filter(case=case).first()
    if collection is not None:  # 行政处罚法 第七十一条: handed in to the agency, then to the bank
        if not collection.handed_in_on and collection.hand_in_due:
            candidates.append(collection.hand_in_due)
        elif collection.handed_in_on and not collection.banked_on and collection.bank_due:
            candidates.append(collection.bank_due)
    seizure_due = (
        Seizure.objects.filter(case=case, status=SeizureStatus.ACTIVE)
        .order_by("due_on")
        .values_list("due_on", flat=True)
        .first()
    )
    if seizure_due:
        candidates.append(seizure_due)
    return min(candidates) if candidates else None


# A deadline counted across a year whose holiday schedule is not published/confirmed yet (zhifa.core.workdays).
PENDING_SCHEDULE = "期限待节假日安排公布后计算"
PENDING_SCHEDULE_FLAG = "deadline_pending_schedule"


def _pending_schedule_flag(case: Case, what: str, year: int | None) -> Any:
    from django.urls import reverse

    from zhifa.core.flags import FlagCandidate

    return FlagCandidate(
        kind=PENDING_SCHEDULE_FLAG,
        key=f"case:{case.pk}:{what}",
        agency_id=case.agency_id,
        title=f"{case.number or case.title}：{what}{PENDING_SCHEDULE}",
        detail=f"缺少 {year} 年的节假日安排，请系统管理员录入并确认国务院公布的放假安排。" if year else "",
        object_type="cases.case",
        object_id=str(case.pk),
        url=reverse("cases:detail", args=[case.pk]),
        severity="warning",
    )


def _due_or_pending(case: Case, what: str, compute: Any) -> dt.date | None:
    """The deadline, or ``None`` when its year's holiday schedule is not known yet: the act goes ahead, the
    page shows PENDING_SCHEDULE, and supervision is flagged at once (the flag source keeps it open)."""
    try:
        return compute()  # type: ignore[no-any-return]
    except ConfigurationMissing as missing:
        from zhifa.core import flags

        flags.notify(_pending_schedule_flag(case, what, (missing.details or {}).get("year")))
        return None


def _payment_due_or_none(served_on: dt.date) -> dt.date | None:
    try:
        return limits.payment_due(served_on)
    except ConfigurationMissing:
        return None


def _filing_due_or_none(decided_on: dt.date) -> dt.date | None:
    try:
        return limits.simple_filing_due(decided_on)
    except ConfigurationMissing:
        return None


def _effective_payment_due(case: Case, on: dt.date) -> dt.date:
    """The 缴款期限 for the surcharge: stored, or counted now that the schedule may be known. Until then a
    payment within the fifteen calendar days is on time whatever the schedule (rolling only extends it);
    a later one needs the schedule (ConfigurationMissing, a clear refusal)."""
    if case.payment_due is not None:
        return case.payment_due
    assert case.served_on is not None
    earliest = case.served_on + dt.timedelta(days=limits.PAYMENT_DAYS)
    return earliest if on <= earliest else limits.payment_due(case.served_on)


def pending_schedule_flags(since: Any = None) -> Any:
    """Flag source: every open case whose 送达期限 or 缴款期限 waits for a year's holiday schedule."""
    decided = Case.objects.filter(stage=Stage.DECIDED, decided_on__isnull=False, service_due__isnull=True)
    for case in decided.only("pk", "agency_id", "number", "title"):
        yield _pending_schedule_flag(case, "送达期限", None)
    owing = Case.objects.filter(
        stage__in=[Stage.SERVED, Stage.EXECUTING],
        fine_yuan__isnull=False,
        served_on__isnull=False,
        payment_due__isnull=True,
        paid_on__isnull=True,
    )
    for case in owing.only("pk", "agency_id", "number", "title"):
        yield _pending_schedule_flag(case, "缴款期限", None)
    unfiled = Case.objects.filter(
        procedure=Procedure.SIMPLE, filed_on__isnull=True, filing_due__isnull=True, decided_on__isnull=False
    ).exclude(stage__in=FINISHED_STAGES - {Stage.CLOSED})
    for case in unfiled.only("pk", "agency_id", "number", "title"):
        yield _pending_schedule_flag(case, "备案期限", None)
    # 市场监督管理行政处罚程序规定 第十八条: a lead's check period in a domain that sets one
    periods = {
        d.code: p for d in Domain.objects.all() if (p := limits.source_check_period(d.code)) is not None
    }
    unchecked = Case.objects.filter(
        stage=Stage.SOURCE, source_check_due__isnull=True, domain__code__in=list(periods)
    ).select_related("domain")
    for case in unchecked.only("pk", "agency_id", "number", "title", "source_received_on", "domain__code"):
        try:  # a source registered before the period was configured is not pending: only an unknown year is
            limits.source_check_due(case.source_received_on, periods[case.domain.code][0])
        except ConfigurationMissing:
            yield _pending_schedule_flag(case, "案源核查期限", None)


def _commit(
    case: Case,
    *,
    actor: Any,
    code: str,
    on: dt.date,
    fields: dict[str, Any],
    to_stage: str | None = None,
    extra: dict[str, Any] | None = None,
) -> Case:
    """Write the changed fields (and stage), then append the one ledger entry of this transition.

    The checks other apps registered (``zhifa.cases.hooks``) run first, with the fields about to be written;
    their after-steps run last, in the same transaction.
    """
    hooks.run_checks(code, case, actor=actor, on=on, changes=dict(fields))
    changes: dict[str, Any] = {"on": on.isoformat()}
    for name, value in fields.items():
        setattr(case, name, value)
        changes[name] = _json(value)
    update = set(fields)
    if to_stage is not None and to_stage != case.stage:
        changes["stage"] = [case.stage, to_stage]
        case.stage = to_stage
        update.add("stage")
    if case.opened_on and case.stage in PRE_DECISION_STAGES:
        # 行政处罚法 第六十条: ninety days + extensions + the periods the domain's rules leave out (听证 …).
        from zhifa.cases import periods

        periods.sync_hearing_period(case, code, on, actor)
        due = periods.case_decision_due(case)
        if due != case.decision_due:
            case.decision_due = due
            changes["decision_due"] = _json(due)
            update.add("decision_due")
    case.stage_entered_on = max(on, case.stage_entered_on or on)
    previous_deadline, case.next_deadline = case.next_deadline, _next_deadline(case)
    update |= {"stage_entered_on", "next_deadline", "updated_at"}
    case.save(update_fields=sorted(update))
    if case.next_deadline != previous_deadline or "opened_on" in fields:
        CaseOfficer.objects.filter(case=case).update(next_deadline=case.next_deadline)
    if extra:
        changes.update({k: _json(v) for k, v in extra.items()})
    record_append(actor=actor, action=f"case.{code}", obj=case, changes=changes, officer=_officer_of(actor))
    hooks.run_after(code, case, actor=actor, on=on, changes=changes)
    return case


def _begin(
    code: str, actor: Any, case: Case | int, on: dt.date | None, request: Any = None
) -> tuple[Case, dt.date]:
    """Lock the case, date the step and run the transition's permission, stage and guards."""
    locked = _locked(case)
    on = on or guards.today()
    guards.check_date(locked, on)
    guards.precheck(code, actor, locked, on, request=request)
    return locked, on


def _require_text(value: str, field: str, label: str, max_length: int = 500) -> str:
    value = (value or "").strip()
    if not value:
        raise InvalidInput(f"请填写{label}。", f"{field} is required.", code="required", field=field)
    if len(value) > max_length:
        raise InvalidInput(f"{label}过长（最多 {max_length} 字）。", f"{field} is too long.", field=field)
    return value


def _check_domain(agency: Agency, domain: Domain) -> None:
    # 职权法定: an agency handles cases only in the fields it enforces.
    if not agency.domains.filter(pk=domain.pk).exists():
        raise RuleViolation(
            f"{agency.name}无“{domain.name}”领域的执法职权。",
            f"{agency.name} does not enforce in the field '{domain.code}'.",
            code="domain_not_of_agency",
        )


def _penalty(kinds: Sequence[str], fine_yuan: Any, confiscation_yuan: Any) -> Penalty:
    """Validate a penalty: known kinds, an amount exactly where a kind needs one."""
    kinds = tuple(dict.fromkeys(kinds))
    if not kinds:
        raise InvalidInput("请至少选择一种处罚种类。", "Choose at least one penalty kind.", field="kinds")
    unknown = [k for k in kinds if k not in PenaltyKind.values]
    if unknown:
        raise InvalidInput(f"未知的处罚种类：{'、'.join(unknown)}。", "Unknown penalty kind.", field="kinds")
    fine = Decimal(fine_yuan) if fine_yuan is not None else Decimal(0)
    confiscation = Decimal(confiscation_yuan) if confiscation_yuan is not None else Decimal(0)
    if fine < 0 or confiscation < 0:
        raise InvalidInput("金额不能为负数。", "Amounts may not be negative.", field="fine_yuan")
    if (PenaltyKind.FINE in kinds) != (fine > 0):
        raise InvalidInput(
            "罚款种类与罚款金额须一致：选择罚款时金额大于零，未选择时不填金额。",
            "A fine needs an amount above zero, and only a fine has one.",
            field="fine_yuan",
        )
    confiscating = bool({PenaltyKind.CONFISCATE_INCOME, PenaltyKind.CONFISCATE_PROPERTY} & set(kinds))
    if confiscation > 0 and not confiscating:
        raise InvalidInput(
            "未选择没收时不填没收金额。",
            "Only a confiscation has a confiscated amount.",
            field="confiscation_yuan",
        )
    return Penalty(kinds, fine, confiscation)


def _issue_number(agency: Agency, year: int) -> tuple[str, int]:
    """The next gapless case number of the agency and year, taken under a row lock (rolled back on refusal)."""
    last = next_number(CaseNumberCounter, agency=agency, year=year)
    prefix = agency.short_name or agency.name
    return f"{prefix}立〔{year}〕{last}号", last


def _set_officers(case: Case, officers: Sequence[Officer]) -> None:
    distinct = list({o.pk: o for o in officers}.values())
    if len(distinct) < limits.MIN_OFFICERS:
        raise RuleViolation(
            "承办人员不得少于两人（行政处罚法第四十二条）。",
            "At least two handling officers are required (Art. 42).",
            code="officers_insufficient",
        )
    foreign = [o.name for o in distinct if o.agency_id != case.agency_id]
    if foreign:
        raise InvalidInput(
            f"承办人员须为本机关执法人员：{'、'.join(foreign)}。",
            "Handling officers must belong to the case's agency.",
            field="officer_ids",
        )
    CaseOfficer.objects.filter(case=case).delete()
    CaseOfficer.objects.bulk_create(
        [
            CaseOfficer(case=case, officer=o, is_lead=(i == 0), next_deadline=case.next_deadline)
            for i, o in enumerate(distinct)
        ]
    )


# --- 案源、立案 ----------------------------------------------------------------------------------------------------


@service
def case_register_source(
    *,
    actor: Any,
    agency: Agency,
    domain: Domain,
    source_kind: str,
    received_on: dt.date,
    title: str,
    summary: str = "",
    reference: str = "",
    parties: Iterable[Party] = (),
    catalog_item_code: str = "",
) -> Case:
    """案源登记 — record a possible violation (inspection, complaint, referral, 12345, assignment)."""
    perms.require(actor, OPEN_CASE, Case(agency=agency))
    guards.check_date(None, received_on, "received_on")
    if source_kind not in SourceKind.values:
        raise InvalidInput("案源类型无效。", "Unknown source kind.", field="source_kind")
    # Free text within its limit (zhifa.core.textlimits): refused, never cut short silently.
    summary = check_length(summary, field="summary", label="案源内容", limit=textlimits.PARAGRAPH)
    reference = check_length(reference, field="reference", label="来源编号", limit=64)
    _check_domain(agency, domain)
    hooks.run_checks(
        "register_source",
        Case(agency=agency, domain=domain, catalog_item_code=catalog_item_code[:64], stage=Stage.SOURCE),
        actor=actor,
        on=received_on,
        changes={"catalog_item_code": catalog_item_code[:64], "source_kind": source_kind, "title": title},
    )
    # 市场监督管理行政处罚程序规定 第十八条: a period (working days) to check the lead, where the domain sets one.
    check = limits.source_check_period(domain.code)
    check_due = None
    if check is not None:
        with contextlib.suppress(ConfigurationMissing):  # pending: flagged once the case exists (below)
            check_due = limits.source_check_due(received_on, check[0])
    case = Case.objects.create(
        agency=agency,
        domain=domain,
        source_check_due=check_due,
        title=_require_text(title, "title", "案由", 200),
        source_kind=source_kind,
        source_received_on=received_on,
        source_summary=summary,
        source_reference=reference[:64],
        catalog_item_code=catalog_item_code[:64],
        stage=Stage.SOURCE,
        stage_entered_on=received_on,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    party_list = list({p.pk: p for p in parties}.values())
    CaseParty.objects.bulk_create([CaseParty(case=case, party=p, role=PartyRole.PARTY) for p in party_list])
    if check is not None and check_due is None:
        _due_or_pending(case, "案源核查期限", lambda: limits.source_check_due(received_on, check[0]))
    record_append(
        actor=actor,
        action="case.register_source",
        obj=case,
        changes={
            "stage": ["", Stage.SOURCE],
            "agency_id": agency.pk,
            "domain": domain.code,
            "source_kind": source_kind,
            "received_on": received_on.isoformat(),
            "title": case.title,
            "party_ids": [p.pk for p in party_list],
            "source_check_due": _json(check_due),
        },
        officer=_officer_of(actor),
    )
    hooks.run_after("register_source", case, actor=actor, on=received_on, changes={"stage": Stage.SOURCE})
    return case


@service
def case_open(
    *,
    actor: Any,
    case: Case | int,
    officers: Sequence[Officer],
    act_date: dt.date,
    on: dt.date | None = None,
    serious_harm: bool = False,
    is_complex: bool = False,
    facts: str = "",
    catalog_item_code: str | None = None,
    approved_by: Any = None,
) -> Case:
    """立案 — open the case: handling officers, a case number, the 90-day period, the limitation flag.

    The agency head approves the opening (市场监督管理行政处罚程序规定 第十八条、第十九条: 由负责人决定是否立案,
    立案审批表): a head who opens the case has approved it; an officer names the head who approved it.
    """
    case, on = _begin("open", actor, case, on)
    if approved_by is not None and not perms.can(approved_by, APPROVE, case):
        raise InvalidInput(
            "批准人须为本机关负责人。", "The approver must be a head of the agency.", field="approved_by"
        )
    if approved_by is None and perms.can(actor, APPROVE, case):
        approved_by = actor  # a head who opens the case himself has approved it
    if approved_by is None:
        raise refuse(
            "opening_needs_approval",
            "立案须经机关负责人批准：请由机关负责人办理，或写明批准立案的机关负责人（市场监督管理行政处罚程序规定"
            "第十八条、第十九条）。",
            "Opening a case needs the approval of an agency head.",
        )
    if act_date > on:
        raise InvalidInput(
            "违法行为发生日不能晚于立案日。", "The act date is after the opening.", field="act_date"
        )
    if not case.party_links.exists():
        raise InvalidInput("立案前须登记当事人。", "Register the party before opening.", field="party_ids")
    _set_officers(case, officers)
    # 行政处罚法 第四十二条: the two handling officers must themselves be entitled to enforce.
    guards.check_officers(case, on)
    # 行政处罚法 第三十六条: flag, at opening, a violation discovered after the limitation period.
    limitation_end = limits.limitation_ends(act_date, serious_harm)
    expired = case.source_received_on > limitation_end
    number, seq = _issue_number(case.agency, on.year)
    fields: dict[str, Any] = {
        "number": number,
        "number_year": on.year,
        "number_seq": seq,
        "opened_on": on,
        "act_date": act_date,
        "serious_harm": serious_harm,
        "is_complex": is_complex,
        "limitation_expired": expired,
        "open_approved_by": approved_by,
        # 行政处罚法 第六十条: ninety days from opening.
        "decision_due": limits.decision_due(on),
    }
    facts = check_length(facts, field="facts", label="违法事实", limit=textlimits.PARAGRAPH)
    if facts:
        fields["facts"] = facts
    if catalog_item_code is not None:
        fields["catalog_item_code"] = catalog_item_code[:64]
    return _commit(
        case,
        actor=actor,
        code="open",
        on=on,
        fields=fields,
        to_stage=Stage.OPENED,
        extra={"officer_ids": [o.pk for o in officers], "limitation_ends": limitation_end},
    )


@service
def case_not_open(*, actor: Any, case: Case | int, reason: str, on: dt.date | None = None) -> Case:
    """不予立案 — the source is screened out, with the reason."""
    case, on = _begin("not_open", actor, case, on)
    reason = _require_text(reason, "reason", "不予立案理由")
    return _commit(
        case,
        actor=actor,
        code="not_open",
        on=on,
        fields={"not_opened_reason": reason, "ended_on": on, "end_reason": reason},
        to_stage=Stage.NOT_OPENED,
    )


# --- 调查、审查、告知 -----------------------------------------------------------------------------------------------


@service
def case_start_investigation(*, actor: Any, case: Case | int, on: dt.date | None = None) -> Case:
    """调查取证 — begin investigating; two entitled officers (行政处罚法 第四十二条、第五十五条)."""
    case, on = _begin("start_investigation", actor, case, on)
    return _commit(
        case,
        actor=actor,
        code="start_investigation",
        on=on,
        fields={"investigation_started_on": on},
        to_stage=Stage.INVESTIGATION,
    )


@service
def case_end_investigation(
    *, actor: Any, case: Case | int, on: dt.date | None = None, facts: str | None = None
) -> Case:
    """调查终结 — the investigation report goes to case review (案件审查)."""
    case, on = _begin("end_investigation", actor, case, on)
    fields: dict[str, Any] = {"investigation_ended_on": on}
    if facts is not None:
        fields["facts"] = facts
    return _commit(case, actor=actor, code="end_investigation", on=on, fields=fields, to_stage=Stage.REVIEW)


@service
def case_notify_rights(
    *,
    actor: Any,
    case: Case | int,
    kinds: Sequence[str],
    fine_yuan: Any = None,
    confiscation_yuan: Any = None,
    on: dt.date | None = None,
    grant_hearing: bool = False,
    basis: str | None = None,
    different_act_reason: str = "",
) -> Case:
    """事先告知 — tell the party the proposed penalty, facts, reasons, basis and rights (第四十四条).

    The hearing right (第六十三条) follows from the proposed penalty; ``grant_hearing`` may add it for
    "其他较重的行政处罚", never take it away. ``different_act_reason``: why a fine is proposed although another
    case fined the party for what looks like the same act (第二十九条, ``fines.check_double_fine``).
    """
    case, on = _begin("notify_rights", actor, case, on)
    penalty = _penalty(kinds, fine_yuan, confiscation_yuan)
    # 行政处罚法 第三十五条第二款: after a criminal fine, no administrative fine.
    fines.check_no_fine_after_criminal_fine(case, penalty.kinds)
    # 行政处罚法 第二十九条: 一事不二罚 — refused, or overridden with the reason on the ledger.
    double = _double_fine_extra(case, penalty, different_act_reason)
    hearing_reasons = guards.hearing_right_reasons(case, penalty)
    hearing_right = bool(hearing_reasons) or grant_hearing
    fields: dict[str, Any] = {
        "notice_round": case.notice_round + 1,
        "notified_on": on,
        "proposed_kinds": list(penalty.kinds),
        "proposed_fine_yuan": penalty.fine_yuan or None,
        "proposed_confiscation_yuan": penalty.confiscation_yuan or None,
        "hearing_right": hearing_right,
        # 行政处罚法 第六十四条第一项: the party's periods run from service of the 告知书 (case_serve_notice),
        # not from this step; until it is served they have not begun.
        "notice_served_on": None,
        "notice_service_method": "",
        "statement_due": None,
        "hearing_request_due": None,
        "statement_received_on": None,
        "statement_text": "",
        "statement_reviewed_on": None,
        "statement_adopted": None,
        "statement_review_opinion": "",
        "rights_waived_on": None,
        "hearing_requested_on": None,
        "hearing_notice_on": None,
        "hearing_on": None,
        "hearing_held_on": None,
        "hearing_closed_reason": "",
        "hearing_ended_on": None,
        "hearing_end_reason": "",
    }
    # 行政处罚法 第三十八条、第四十四条: the notice states the facts, reasons and basis (违法和处罚依据).
    fields["legal_basis"] = guards.legal_basis(case, basis, on)
    return _commit(
        case,
        actor=actor,
        code="notify_rights",
        on=on,
        fields=fields,
        to_stage=Stage.NOTIFIED,
        extra={"hearing_reasons": hearing_reasons, **double},
    )


@service
def case_record_statement(*, actor: Any, case: Case | int, text: str, on: dt.date | None = None) -> Case:
    """陈述、申辩 — record what the party said; the agency must hear it (第四十五条)."""
    case, on = _begin("record_statement", actor, case, on)
    text = _require_text(text, "text", "陈述申辩内容", 5000)
    return _commit(
        case,
        actor=actor,
        code="record_statement",
        on=on,
        # 行政处罚法 第四十五条第一款: a new statement is reviewed afresh.
        fields={
            "statement_received_on": on,
            "statement_text": text,
            "statement_reviewed_on": None,
            "statement_adopted": None,
            "statement_review_opinion": "",
        },
    )


@service
def case_waive_rights(*, actor: Any, case: Case | int, on: dt.date | None = None) -> Case:
    """当事人明确放弃陈述、申辩和听证权利 (第六十二条 但书) — the decision need not wait for the periods."""
    case, on = _begin("waive_rights", actor, case, on)
    if case.hearing_requested_on:
        raise refuse("hearing_requested", "当事人已申请听证。", "The party has asked for a hearing.")
    return _commit(case, actor=actor, code="waive_rights", on=on, fields={"rights_waived_on": on})


@service
def case_request_hearing(*, actor: Any, case: Case | int, on: dt.date | None = None) -> Case:
    """当事人要求听证 — within five working days of the notice (第六十四条第一项、第八十五条)."""
    case, on = _begin("request_hearing", actor, case, on)
    return _commit(
        case,
        actor=actor,
        code="request_hearing",
        on=on,
        fields={"hearing_requested_on": on},
        to_stage=Stage.HEARING,
    )


@service
def case_schedule_hearing(
    *,
    actor: Any,
    case: Case | int,
    hearing_on: dt.date,
    on: dt.date | None = None,
    closed_reason: str = "",
) -> Case:
    """听证通知 — tell the parties time and place seven working days ahead (第六十四条第二项、第八十五条).

    The hearing is public unless it involves state secrets, business secrets or personal privacy
    (第六十四条第三项): ``closed_reason`` (a ``HearingClosedReason``) records why it is not; empty is public.
    """
    case, on = _begin("schedule_hearing", actor, case, on)
    closed_reason = (closed_reason or "").strip()
    # 行政处罚法 第六十四条第三项: 除涉及国家秘密、商业秘密或者个人隐私依法予以保密外，听证公开举行.
    if closed_reason and closed_reason not in HearingClosedReason.values:
        raise InvalidInput(
            "不公开举行听证须是涉及国家秘密、商业秘密或者个人隐私的情形（行政处罚法第六十四条第三项）。",
            "A hearing is closed only for state secrets, business secrets or personal privacy (Art. 64).",
            field="closed_reason",
        )
    earliest = limits.earliest_hearing_on(on)
    if hearing_on < earliest:
        raise refuse(
            "hearing_notice_too_short",
            f"应当在举行听证的七个工作日前通知当事人；{on:%Y-%m-%d} 通知的，听证最早于 {earliest:%Y-%m-%d} 举行"
            "（行政处罚法第六十四条第二项、第八十五条）。",
            f"Noticed on {on:%Y-%m-%d}, the hearing may be held from {earliest:%Y-%m-%d} (Art. 64, 85).",
        )
    return _commit(
        case,
        actor=actor,
        code="schedule_hearing",
        on=on,
        fields={"hearing_notice_on": on, "hearing_on": hearing_on, "hearing_closed_reason": closed_reason},
    )


@service
def case_hold_hearing(
    *, actor: Any, case: Case | int, host: Officer, summary: str = "", on: dt.date | None = None
) -> Case:
    """举行听证 — presided by someone who did not investigate the case (第六十四条第四项)."""
    case, on = _begin("hold_hearing", actor, case, on)
    if case.officer_links.filter(officer=host).exists():
        raise refuse(
            "hearing_host_investigator",
            "听证由行政机关指定的非本案调查人员主持（行政处罚法第六十四条第四项）。",
            "The hearing must be presided by someone who did not investigate the case (Art. 64).",
        )
    if host.agency_id != case.agency_id:
        raise InvalidInput(
            "听证主持人须为本机关人员。", "The host must belong to the agency.", field="host_id"
        )
    return _commit(
        case,
        actor=actor,
        code="hold_hearing",
        on=on,
        fields={"hearing_held_on": on},
        extra={"host_officer_id": host.pk, "summary": summary[:2000]},
    )


@service
def case_submit_legal_review(*, actor: Any, case: Case | int, on: dt.date | None = None) -> Case:
    """提交法制审核 — after the party has been heard (or the periods passed)."""
    case, on = _begin("submit_legal_review", actor, case, on)
    return _commit(
        case, actor=actor, code="submit_legal_review", on=on, fields={}, to_stage=Stage.LEGAL_REVIEW
    )


@service
def case_record_legal_review(
    *, actor: Any, case: Case | int, agreed: bool, opinion: str, on: dt.date | None = None
) -> LegalReviewOutcome:
    """法制审核意见（简版）— agreed or problems found. Replaced by the legal-review issue's workflow."""
    case, on = _begin("record_legal_review", actor, case, on)
    opinion = _require_text(opinion, "opinion", "审核意见", 5000)
    officer = _officer_of(actor)
    if officer is not None and case.officer_links.filter(officer=officer).exists():
        raise refuse(
            "reviewer_is_handler",
            "法制审核人员不得审核本人承办的案件。",
            "A legal reviewer may not review a case they handle.",
        )
    from zhifa.cases.compulsion import check_reviewer_qualified

    # 行政处罚法 第五十八条第二款: a first-time reviewer holds the 法律职业资格.
    check_reviewer_qualified(actor)
    outcome = LegalReviewOutcome.objects.create(
        case=case,
        agreed=agreed,
        reviewer=actor,
        reviewed_on=on,
        opinion=opinion,
        notice_round=case.notice_round,
    )
    _commit(
        case,
        actor=actor,
        code="record_legal_review",
        on=on,
        fields={},
        extra={"legal_review_id": outcome.pk, "agreed": agreed},
    )
    return outcome


@service
def case_collective_discussion(
    *, actor: Any, case: Case | int, participants: str, conclusion: str, on: dt.date | None = None
) -> Case:
    """集体讨论 — the agency heads discuss a complex or major case (第五十七条第二款)."""
    case, on = _begin("collective_discussion", actor, case, on)
    discussion = CollectiveDiscussion.objects.create(
        case=case,
        held_on=on,
        participants=_require_text(participants, "participants", "参加人员"),
        conclusion=_require_text(conclusion, "conclusion", "讨论结论", 5000),
        recorded_by=actor,
        notice_round=case.notice_round,
    )
    return _commit(
        case,
        actor=actor,
        code="collective_discussion",
        on=on,
        fields={},
        to_stage=Stage.COLLECTIVE_DISCUSSION,
        extra={"discussion_id": discussion.pk},
    )


@service
def case_return_to_investigation(
    *, actor: Any, case: Case | int, reason: str, on: dt.date | None = None
) -> Case:
    """退回补充调查 — back to investigation; the party must be notified again afterwards."""
    case, on = _begin("return_to_investigation", actor, case, on)
    reason = _require_text(reason, "reason", "退回理由")
    return _commit(
        case,
        actor=actor,
        code="return_to_investigation",
        on=on,
        fields={
            "investigation_ended_on": None,
            "hearing_held_on": None,
            "hearing_requested_on": None,
            "hearing_ended_on": None,
            "hearing_end_reason": "",
        },
        to_stage=Stage.INVESTIGATION,
        extra={"reason": reason},
    )


@service
def case_extend_deadline(
    *,
    actor: Any,
    case: Case | int,
    days: int,
    reason: str,
    basis: str,
    on: dt.date | None = None,
    discussion_participants: str = "",
    discussion_conclusion: str = "",
) -> DeadlineExtension:
    """延长办案期限 — approved by the agency head before the period ends, on a legal basis (第六十条).

    The head approves one extension of at most 30 days; a further one only on the heads' collective
    discussion, recorded with it (市场监督管理行政处罚程序规定 第六十四条: 经本机关负责人批准，可以延长三十日；
    案情特别复杂或者有其他特殊情况，经延期仍不能作出处理决定的，应当由本机关负责人集体讨论决定是否继续延期).
    """
    case, on = _begin("extend_deadline", actor, case, on)
    max_days = limits.setting_int("EXTENSION_MAX_DAYS")
    further = DeadlineExtension.objects.filter(case=case).exists()
    if not 1 <= days <= (365 if further else max_days):
        raise refuse(
            "extension_too_long",
            f"经机关负责人批准，可延长不超过 {max_days} 日。"
            if not further
            else "继续延长的天数须为 1 至 365 日。",
            f"An extension is 1 to {max_days} days.",
        )
    reason = _require_text(reason, "reason", "延长理由")
    basis = _require_text(basis, "basis", "延长依据（法律、法规、规章）", 300)
    discussion = None
    if further:
        # 市场监督管理行政处罚程序规定 第六十四条: a further extension is for the heads' collective discussion.
        if not (discussion_participants or "").strip() or not (discussion_conclusion or "").strip():
            raise refuse(
                "extension_needs_collective_discussion",
                "本案已延长过办案期限；继续延长须由机关负责人集体讨论决定，请填写集体讨论的参加人员和结论"
                "（市场监督管理行政处罚程序规定第六十四条）。",
                "The period was extended once; a further extension needs the heads' collective discussion.",
            )
        discussion = CollectiveDiscussion.objects.create(
            case=case,
            held_on=on,
            participants=_require_text(discussion_participants, "discussion_participants", "参加人员"),
            conclusion=_require_text(discussion_conclusion, "discussion_conclusion", "讨论结论", 5000),
            recorded_by=actor,
            notice_round=case.notice_round,
            purpose="extension",
        )
    previous = case.decision_due
    assert previous is not None
    new_due = previous + dt.timedelta(days=days)
    extension = DeadlineExtension.objects.create(
        case=case,
        days=days,
        reason=reason,
        basis=basis,
        approved_by=actor,
        approved_on=on,
        previous_due=previous,
        new_due=new_due,
        discussion=discussion,
    )
    _commit(
        case,
        actor=actor,
        code="extend_deadline",
        on=on,
        fields={"decision_due": new_due},
        extra={
            "extension_id": extension.pk,
            "days": days,
            "previous_due": previous,
            "basis": basis,
            "discussion_id": discussion.pk if discussion else None,
        },
    )
    return extension


# --- 决定、送达、执行 -----------------------------------------------------------------------------------------------


@service
def case_decide(
    *,
    actor: Any,
    case: Case | int,
    kinds: Sequence[str],
    fine_yuan: Any = None,
    confiscation_yuan: Any = None,
    text: str = "",
    on: dt.date | None = None,
    basis: str | None = None,
    different_act_reason: str = "",
) -> Case:
    """作出行政处罚决定 — by the agency head, after notice, hearing, legal review and discussion as required.

    ``different_act_reason``: as in :func:`case_notify_rights` (一事不二罚, 第二十九条)."""
    case, on = _begin("decide", actor, case, on)
    penalty = _penalty(kinds, fine_yuan, confiscation_yuan)
    # 行政处罚法 第三十五条第二款、第二十九条
    fines.check_no_fine_after_criminal_fine(case, penalty.kinds)
    double = _double_fine_extra(case, penalty, different_act_reason)
    proposed = guards.proposed_penalty(case)
    # 行政处罚法 第四十四条、第四十五条: the decision may not go beyond what the party was told and heard on.
    heavier = (
        not set(penalty.kinds) <= set(proposed.kinds)
        or penalty.fine_yuan > proposed.fine_yuan
        or penalty.confiscation_yuan > proposed.confiscation_yuan
    )
    if heavier:
        raise refuse(
            "heavier_than_notified",
            "决定的处罚重于事先告知的内容，须退回并重新告知当事人（行政处罚法第四十四条、第四十五条）。",
            "The decision is heavier than the notified penalty; notify the party again (Art. 44, 45).",
        )
    guards.check_legal_review(case, penalty)
    guards.check_collective_discussion(case, penalty)
    # 行政处罚法 第三十八条、第五十九条: the decision states the provisions violated and the basis of the penalty.
    extra_fields = {"legal_basis": guards.legal_basis(case, basis, on)}
    return _commit(
        case,
        actor=actor,
        code="decide",
        on=on,
        fields={
            **extra_fields,
            "penalty_kinds": list(penalty.kinds),
            "fine_yuan": penalty.fine_yuan or None,
            "confiscation_yuan": penalty.confiscation_yuan or None,
            "decision_text": text,
            "decided_on": on,
            "decided_by": actor,
            # 行政处罚法 第六十一条、第八十五条: seven working days to serve an absent party.
            "service_due": _due_or_pending(case, "送达期限", lambda: limits.service_due(on)),
        },
        to_stage=Stage.DECIDED,
        extra=double or None,
    )


def _double_fine_extra(
    case: Case, penalty: Penalty, different_act_reason: str, found: list[Case] | None = None
) -> dict[str, Any]:
    """行政处罚法 第二十九条: refuse a second fine for the same act; an override is recorded on the ledger."""
    overridden = fines.check_double_fine(case, penalty.kinds, different_act_reason, found)
    if not overridden:
        return {}
    reason = check_length(
        different_act_reason.strip(), field="different_act_reason", label="不同违法行为的理由", limit=500
    )
    return {"same_act_case_ids": overridden, "different_act_reason": reason}


@service
def case_serve(
    *,
    actor: Any,
    case: Case | int,
    method: str,
    on: dt.date | None = None,
    consent_confirmed: bool = False,
    late_reason: str = "",
) -> Case:
    """送达 — hand over on announcement, or serve an absent party within seven working days (第六十一条)."""
    case, on = _begin("serve", actor, case, on)
    if method not in ServiceMethod.values:
        raise InvalidInput("送达方式无效。", "Unknown service method.", field="method")
    assert case.decided_on is not None
    if method == ServiceMethod.ON_SITE and on != case.decided_on:
        raise refuse(
            "on_site_same_day",
            "当场交付应在宣告决定的当日（行政处罚法第六十一条第一款）。",
            "On-site hand-over happens on the day the decision is announced (Art. 61).",
        )
    if method == ServiceMethod.ELECTRONIC and not consent_confirmed:
        raise refuse(
            "electronic_needs_consent",
            "电子送达须当事人同意并签订确认书（行政处罚法第六十一条第二款）。",
            "Electronic service needs the party's signed consent (Art. 61).",
        )
    late_reason = (late_reason or "").strip()[:300]
    if case.service_due is None:  # 期限待节假日安排公布后计算: counted now if the schedule has been entered
        # still unknown: the service period cannot be counted, so the service is not late
        with contextlib.suppress(ConfigurationMissing):
            case.service_due = limits.service_due(case.decided_on)
    late = case.service_due is not None and on > case.service_due
    if late and not late_reason:
        raise refuse(
            "service_overdue",
            f"决定书应在七个工作日内（{case.service_due:%Y-%m-%d} 前）送达（行政处罚法第六十一条、第八十五条）；"
            "已逾期的，须写明逾期原因后登记。",
            f"The decision had to be served by {case.service_due:%Y-%m-%d} (Art. 61, 85); give the reason.",
        )
    fields: dict[str, Any] = {
        "service_due": case.service_due,
        "service_method": method,
        "served_on": on,
        "served_late_reason": late_reason if late else "",
        "payment_due": _due_or_pending(case, "缴款期限", lambda: limits.payment_due(on))
        if case.fine_yuan
        else None,
    }
    return _commit(case, actor=actor, code="serve", on=on, fields=fields, to_stage=Stage.SERVED)


@service
def case_record_payment(*, actor: Any, case: Case | int, amount_yuan: Any, on: dt.date | None = None) -> Case:
    """缴纳罚款 — the fine, plus the late-payment surcharge capped at the fine (第七十二条)."""
    case, on = _begin("record_payment", actor, case, on)
    assert case.fine_yuan is not None
    # 行政处罚法 第七十三条第三款: the days of a 复议/诉讼 the party brought earn no surcharge;
    # 第三十五条: a criminal fine for the same act is offset against the fine (fines.fine_payable).
    principal, surcharge = fines.amount_owed(
        case, on, _effective_payment_due(case, on), excluded=remedy_periods(case)
    )
    expected = principal + surcharge
    if Decimal(amount_yuan) != expected:
        offset = fines.criminal_fine_offset(case)
        offset_text = f"，已折抵罚金 {offset} 元（行政处罚法第三十五条）" if offset else ""
        raise RuleViolation(
            f"应缴 {expected} 元（罚款 {principal} 元{offset_text}，加处罚款 {surcharge} 元；"
            "每日按罚款数额的百分之三加处，不超出罚款数额，行政处罚法第七十二条）。",
            f"The amount due is {expected} yuan (fine {principal} + surcharge {surcharge}; Art. 72).",
            code="amount_mismatch",
            details={"expected": str(expected), "surcharge": str(surcharge)},
        )
    return _commit(
        case,
        actor=actor,
        code="record_payment",
        on=on,
        fields={"paid_on": on, "paid_yuan": expected, "surcharge_yuan": surcharge},
    )


@service
def enforcement_demand(*, actor: Any, case: Case | int, on: dt.date | None = None) -> EnforcementDemand:
    """催告 — a written demand to perform before court enforcement (行政强制法 第三十五条、第五十四条)."""
    case, on = _begin("enforcement_demand", actor, case, on)
    assert case.fine_yuan is not None
    # 行政处罚法 第七十三条第三款 (remedies), 第三十五条 (criminal offset), 第六十六条 (an approved plan: what is
    # unpaid of it, each instalment's surcharge from its own due date)
    principal, surcharge = fines.amount_owed(
        case,
        on,
        None if fines.approved_plan(case) else _effective_payment_due(case, on),
        excluded=remedy_periods(case),
    )
    amount = principal + surcharge
    demand = EnforcementDemand.objects.create(
        case=case,
        demand_served_on=on,
        demand_due=limits.demand_due(on),
        amount_yuan=amount,
        created_by=actor,
    )
    _commit(
        case,
        actor=actor,
        code="enforcement_demand",
        on=on,
        fields={},
        to_stage=Stage.EXECUTING,
        extra={"demand_due": demand.demand_due, "amount_yuan": amount},
    )
    return demand


def remedy_periods(case: Case) -> list[tuple[dt.date, dt.date]]:
    """The 复议/诉讼 periods of the case as ``(applied_on, decided_on)`` pairs, a pending one open-ended."""
    return [r.period for r in CaseRemedy.objects.filter(case=case)]


@service
def case_record_remedy(
    *,
    actor: Any,
    case: Case | int,
    kind: str,
    applied_on: dt.date,
    decided_on: dt.date | None = None,
    outcome: str = "",
    number: str = "",
    on: dt.date | None = None,
) -> CaseRemedy:
    """登记行政复议、行政诉讼 — the party's 复议 or 诉讼 against the decision: applied on, decided on, outcome.

    Entering the same kind and application date again completes that record (its decision and outcome).
    While it is pending the late-payment surcharge does not run (行政处罚法 第七十三条第三款).
    """
    from zhifa.cases.models import LITIGATION_OUTCOMES, RECONSIDERATION_OUTCOMES, RemedyOutcome

    case, on = _begin("record_remedy", actor, case, on)
    if kind not in RemedyKind.values:
        raise InvalidInput(
            "请选择行政复议或行政诉讼。", "Choose reconsideration or litigation.", field="kind"
        )
    if applied_on > on:
        raise InvalidInput(
            "申请（起诉）日期不能晚于办理日期。", "The application date is after today.", field="applied_on"
        )
    if case.served_on and applied_on < case.served_on:
        raise InvalidInput(
            f"申请（起诉）日期不能早于决定书送达日期（{case.served_on:%Y-%m-%d}）。",
            "The application predates service of the decision.",
            field="applied_on",
        )
    outcome = (outcome or "").strip()
    if decided_on is not None:
        if decided_on < applied_on or decided_on > on:
            raise InvalidInput(
                "决定（裁判）日期须在申请日期与办理日期之间。",
                "The decision date must lie between the application and today.",
                field="decided_on",
            )
        allowed = RECONSIDERATION_OUTCOMES if kind == RemedyKind.RECONSIDERATION else LITIGATION_OUTCOMES
        if outcome not in allowed:
            names = "、".join(str(RemedyOutcome(v).label) for v in sorted(allowed))
            raise InvalidInput(f"请选择结果：{names}。", "Choose the outcome.", field="outcome")
    elif outcome:
        raise InvalidInput(
            "已有结果的，请填写决定（裁判）日期。", "An outcome needs its date.", field="decided_on"
        )
    number = check_length(number, field="number", label="案号", limit=80)
    remedy = CaseRemedy.objects.filter(case=case, kind=kind, applied_on=applied_on).first()
    if remedy is None:
        remedy = CaseRemedy(case=case, kind=kind, applied_on=applied_on, created_by=actor)
    elif remedy.decided_on is not None:
        raise refuse(
            "remedy_already_decided",
            f"该{remedy.get_kind_display()}已于 {remedy.decided_on:%Y-%m-%d} 作出决定。",
            "This remedy is already decided.",
        )
    remedy.decided_on, remedy.outcome = decided_on, outcome if decided_on else ""
    remedy.number = number or remedy.number
    remedy.save()
    from zhifa.cases.corrections import remedy_correction_fields

    _commit(
        case,
        actor=actor,
        code="record_remedy",
        on=on,
        # 行政处罚法 第四十八条第二款: an outcome that undoes the decision starts the three days to withdraw it.
        fields=remedy_correction_fields(case, remedy, on),
        extra={
            "remedy_id": remedy.pk,
            "kind": kind,
            "applied_on": applied_on,
            "decided_on": decided_on,
            "outcome": remedy.outcome,
            "number": remedy.number,
        },
    )
    return remedy


def remedies_fill_from_import(
    *,
    actor: Any,
    agency: Agency,
    document_number: str,
    kind: str,
    outcome: str,
    decided_on: dt.date,
    number: str,
) -> list[CaseRemedy]:
    """An imported 复议/诉讼 outcome (``zhifa.stats`` remedy import) completes the pending record of the case
    whose issued decision carries ``document_number``; the caller checked its permission and runs inside its
    transaction. Each completed record is appended to the ledger."""
    number_ref = (document_number or "").strip()
    if not number_ref:
        return []
    case_ids = CaseDocument.objects.filter(
        agency=agency,
        number=number_ref,
        status=DocumentStatus.ISSUED,
        doc_type__in=[DocumentType.DECISION, DocumentType.NOT_PUNISH_DECISION],
    ).values_list("case_id", flat=True)
    filled = []
    for remedy in (
        CaseRemedy.objects.select_for_update()
        .filter(case_id__in=list(case_ids), kind=kind, decided_on__isnull=True, applied_on__lte=decided_on)
        .select_related("case")
        .order_by("id")
    ):
        remedy.decided_on, remedy.outcome = decided_on, outcome
        remedy.number = remedy.number or number[:80]
        remedy.save(update_fields=["decided_on", "outcome", "number"])
        from zhifa.cases.corrections import remedy_correction_fields

        # 行政处罚法 第四十八条第二款: the outcome undoes the decision (the import withdraws its publication).
        correction = remedy_correction_fields(remedy.case, remedy, clock.today())
        if correction:
            Case.objects.filter(pk=remedy.case_id).update(**correction)
        record_append(
            actor=actor,
            action="case.record_remedy",
            obj=remedy.case,
            changes={
                "remedy_id": remedy.pk,
                "kind": kind,
                "decided_on": decided_on.isoformat(),
                "outcome": outcome,
                "number": remedy.number,
                "source": "复议、诉讼结果导入",
                **{k: _json(v) for k, v in correction.items()},
            },
        )
        filled.append(remedy)
    return filled


@service
def court_application(
    *, actor: Any, case: Case | int, court_name: str, on: dt.date | None = None
) -> EnforcementDemand:
    """申请人民法院强制执行 — after the demand period and the remedy periods, within three months (第五十三条)."""
    case, on = _begin("court_application", actor, case, on)
    court_name = _require_text(court_name, "court_name", "受理法院", 200)
    demand = case.enforcement
    demand.court_applied_on = on
    demand.court_name = court_name
    demand.save(update_fields=["court_applied_on", "court_name"])
    _commit(case, actor=actor, code="court_application", on=on, fields={}, extra={"court_name": court_name})
    return demand


@service
def case_close(*, actor: Any, case: Case | int, on: dt.date | None = None) -> Case:
    """结案 — obligations performed (or sent to the court), seizures released, records complete."""
    case, on = _begin("close", actor, case, on)
    return _commit(case, actor=actor, code="close", on=on, fields={"closed_on": on}, to_stage=Stage.CLOSED)


@service
def case_archive(*, actor: Any, case: Case | int, on: dt.date | None = None) -> Case:
    """归档 — a closed or ended case goes to the archive."""
    case, on = _begin("archive", actor, case, on)
    return _commit(
        case,
        actor=actor,
        code="archive",
        on=on,
        fields={"archived_on": on, "archived_from": case.stage},
        to_stage=Stage.ARCHIVED,
    )


# --- 出口 --------------------------------------------------------------------------------------------------------


@service
def case_not_punish(
    *, actor: Any, case: Case | int, reason: str, note: str = "", on: dt.date | None = None
) -> Case:
    """不予处罚 — e.g. first-time minor violation corrected in time (第三十三条), facts not established."""
    case, on = _begin("not_punish", actor, case, on)
    if reason not in NotPunishReason.values:
        raise InvalidInput("不予处罚理由无效。", "Unknown reason.", field="reason")
    if reason == NotPunishReason.OTHER and not note.strip():
        raise InvalidInput("请说明不予处罚的具体理由。", "Explain the reason.", field="note")
    if reason == NotPunishReason.UNDER_14:
        # 行政处罚法 第三十条: under fourteen at the act date, read from the resident ID.
        fines.check_under_14(case, note)
    if reason == NotPunishReason.MENTAL_INCAPACITY and not note.strip():
        # 行政处罚法 第三十一条: the incapacity at the time of the act is shown (鉴定意见、病历等).
        raise RuleViolation(
            "请在说明中写明认定当事人行为时不能辨认或者不能控制自己行为的依据（如司法鉴定意见、诊断证明）"
            "（行政处罚法第三十一条）。",
            "State the basis (e.g. a forensic appraisal) of the incapacity at the time of the act (Art. 31).",
            code="mental_basis_required",
            field="note",
        )
    return _commit(
        case,
        actor=actor,
        code="not_punish",
        on=on,
        fields={"not_punish_reason": reason, "ended_on": on, "end_reason": note[:500]},
        to_stage=Stage.NOT_PUNISHED,
        extra={"overdue": bool(case.decision_due and on > case.decision_due)},
    )


@service
def case_transfer(
    *, actor: Any, case: Case | int, target: str, target_name: str, reason: str, on: dt.date | None = None
) -> Case:
    """移送 — to the competent agency, or to the judicial organs when a crime is suspected (第二十七条)."""
    case, on = _begin("transfer", actor, case, on)
    if target not in TransferTarget.values:
        raise InvalidInput("移送对象无效。", "Unknown transfer target.", field="target")
    return _commit(
        case,
        actor=actor,
        code="transfer",
        on=on,
        fields={
            "transfer_target": target,
            "transfer_target_name": _require_text(target_name, "target_name", "接收机关", 200),
            "ended_on": on,
            "end_reason": _require_text(reason, "reason", "移送理由"),
        },
        to_stage=Stage.TRANSFERRED,
    )


@service
def case_withdraw(*, actor: Any, case: Case | int, reason: str, on: dt.date | None = None) -> Case:
    """撤案 — the case is withdrawn (e.g. no jurisdiction, the party died), approved by the head."""
    case, on = _begin("withdraw", actor, case, on)
    return _commit(
        case,
        actor=actor,
        code="withdraw",
        on=on,
        fields={"ended_on": on, "end_reason": _require_text(reason, "reason", "撤案理由")},
        to_stage=Stage.WITHDRAWN,
    )


# --- 简易程序 ------------------------------------------------------------------------------------------------------

_SIMPLE_KINDS = frozenset({PenaltyKind.WARNING, PenaltyKind.FINE})


@service
def case_simple_decide(
    *,
    actor: Any,
    agency: Agency,
    domain: Domain,
    party: Party,
    officers: Sequence[Officer],
    kinds: Sequence[str],
    fine_yuan: Any = None,
    title: str,
    facts: str = "",
    place: str = "",
    act_date: dt.date | None = None,
    on: dt.date | None = None,
    catalog_item_code: str = "",
    basis: str | None = None,
    statement: str = "",
    different_act_reason: str = "",
) -> Case:
    """当场处罚（简易程序）— warning, or a fine within 第五十一条's limits, handed over on the spot (第五十二条).

    ``basis``: the provisions violated and the basis of the penalty, which the 当场处罚决定书 states (第五十二条);
    left out, the 执法事项's basis; refused when there is none (第三十八条). ``statement``: what the party said
    in his 陈述、申辩 on the spot (第四十四条、第四十五条), recorded with the decision.
    """
    perms.require(actor, INVESTIGATE, Case(agency=agency))
    on = on or guards.today()
    guards.check_date(None, on)
    act_date = act_date or on
    if act_date > on:
        raise InvalidInput(
            "违法行为发生日不能晚于决定日。", "The act date is after the decision.", field="act_date"
        )
    _check_domain(agency, domain)
    facts = check_length(facts, field="facts", label="违法事实", limit=textlimits.PARAGRAPH)
    place = check_length(place, field="place", label="地点", limit=textlimits.NAME)
    statement = check_length(statement, field="statement", label="陈述、申辩", limit=textlimits.PARAGRAPH)
    penalty = _penalty(kinds, fine_yuan, None)
    # 行政处罚法 第三十八条、第五十二条: the 当场处罚决定书 states the basis; none, no penalty.
    legal_basis = guards.legal_basis(Case(agency=agency, catalog_item_code=catalog_item_code[:64]), basis, on)
    # 行政处罚法 第五十一条: only a warning or a small fine may be decided on the spot.
    if not set(penalty.kinds) <= _SIMPLE_KINDS:
        raise refuse(
            "simple_kind_not_allowed",
            "当场只能作出警告或者罚款的行政处罚（行政处罚法第五十一条）；其他处罚适用普通程序。",
            "Only a warning or a fine may be decided on the spot (Art. 51).",
        )
    citizen = limits.is_citizen(party.kind)
    cap = limits.SIMPLE_FINE_CITIZEN_YUAN if citizen else limits.SIMPLE_FINE_ORGANISATION_YUAN
    if penalty.fine_yuan > cap:
        who = "公民" if citizen else "法人或者其他组织"
        raise RuleViolation(
            f"当场处罚对{who}的罚款不得超过 {cap} 元（行政处罚法第五十一条），"
            f"{penalty.fine_yuan} 元须适用普通程序立案办理。",
            f"An on-the-spot fine on a {'citizen' if citizen else 'organisation'} is at most {cap} yuan (Art. 51).",
            code="simple_fine_over_limit",
            field="fine_yuan",
            details={"cap": str(cap)},
        )
    # 行政处罚法 第三十六条
    if on > limits.limitation_ends(act_date, False):
        raise refuse(
            "limitation_expired",
            "违法行为已超过追责时效，不再给予行政处罚（行政处罚法第三十六条）。",
            "The limitation period has passed (Art. 36).",
        )
    if any(o.agency_id != agency.pk for o in officers):
        raise InvalidInput(
            "执法人员须为本机关人员。", "Officers must belong to the agency.", field="officer_ids"
        )
    # 行政处罚法 第二十九条: 一事不二罚, checked before anything is written.
    probe = Case(agency=agency, catalog_item_code=catalog_item_code[:64], act_date=act_date)
    double = _double_fine_extra(
        probe,
        penalty,
        different_act_reason,
        fines.same_act_fines([party.pk], catalog_item_code[:64], act_date),
    )
    number, seq = _issue_number(agency, on.year)
    case = Case.objects.create(
        agency=agency,
        domain=domain,
        procedure=Procedure.SIMPLE,
        stage=Stage.SERVED,
        stage_entered_on=on,
        title=_require_text(title, "title", "案由", 200),
        facts=facts,
        place=place[:200],
        catalog_item_code=catalog_item_code[:64],
        legal_basis=legal_basis,
        # 行政处罚法 第四十五条: the party's statement, heard and recorded.
        statement_text=statement.strip(),
        statement_received_on=on if statement.strip() else None,
        source_kind=SourceKind.INSPECTION,
        source_received_on=on,
        number=number,
        number_year=on.year,
        number_seq=seq,
        opened_on=on,
        act_date=act_date,
        penalty_kinds=list(penalty.kinds),
        fine_yuan=penalty.fine_yuan or None,
        decided_on=on,
        decided_by=actor if getattr(actor, "is_authenticated", False) else None,
        # 行政处罚法 第五十二条第一款: the decision is handed over on the spot.
        service_method=ServiceMethod.ON_SITE,
        served_on=on,
        # 行政处罚法 第五十二条第三款; counted in working days: a pending one is flagged once the case exists
        filing_due=_filing_due_or_none(on),
        # the case has no pk yet: a pending 缴款期限 is flagged once the case exists (below)
        payment_due=_payment_due_or_none(on) if penalty.fine_yuan else None,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    CaseParty.objects.create(case=case, party=party, role=PartyRole.PARTY)
    _set_officers(case, officers)
    if penalty.fine_yuan and case.payment_due is None:
        _due_or_pending(case, "缴款期限", lambda: limits.payment_due(on))
    if case.filing_due is None:
        _due_or_pending(case, "备案期限", lambda: limits.simple_filing_due(on))
    # 行政处罚法 第四十二条: two officers entitled to enforce (法律另有规定的除外).
    guards.check_officers(case, on)
    hooks.run_checks(
        "simple_decide", case, actor=actor, on=on, changes={"penalty_kinds": list(penalty.kinds)}
    )
    case.next_deadline = _next_deadline(case)
    case.save(update_fields=["next_deadline"])
    CaseOfficer.objects.filter(case=case).update(next_deadline=case.next_deadline)
    record_append(
        actor=actor,
        action="case.simple_decide",
        obj=case,
        changes={
            "stage": ["", Stage.SERVED],
            "procedure": Procedure.SIMPLE,
            "on": on.isoformat(),
            "number": number,
            "party_id": party.pk,
            "officer_ids": [o.pk for o in officers],
            "kinds": list(penalty.kinds),
            "fine_yuan": _json(penalty.fine_yuan),
            "place": place[:200],
            "filing_due": case.filing_due.isoformat() if case.filing_due else None,
            "legal_basis": case.legal_basis,
            **({"statement": case.statement_text} if case.statement_text else {}),
            **double,
        },
        officer=_officer_of(actor),
        place=place[:200] or None,
    )
    hooks.run_after("simple_decide", case, actor=actor, on=on, changes={"stage": Stage.SERVED})
    return case


@service
def case_simple_file(
    *, actor: Any, case: Case | int, on: dt.date | None = None, late_reason: str = ""
) -> Case:
    """当场处罚备案 — the officer files the on-the-spot decision with the agency (第五十二条第三款)."""
    case, on = _begin("simple_file", actor, case, on)
    assert case.decided_on is not None
    if case.filing_due is None:  # 期限待节假日安排公布后计算: counted now if the schedule has been entered
        case.filing_due = _filing_due_or_none(case.decided_on)
    late_reason = (late_reason or "").strip()[:300]
    late = case.filing_due is not None and on > case.filing_due
    if late and not late_reason:
        raise refuse(
            "filing_overdue",
            f"当场处罚决定应于 {case.filing_due:%Y-%m-%d} 前报所属行政机关备案（行政处罚法第五十二条第三款）；"
            "已逾期的，须写明逾期原因后登记。",
            f"The decision had to be filed by {case.filing_due:%Y-%m-%d} (Art. 52); give the reason.",
        )
    return _commit(
        case,
        actor=actor,
        code="simple_file",
        on=on,
        fields={
            "filing_due": case.filing_due,
            "filed_on": on,
            "filed_late_reason": late_reason if late else "",
        },
    )


# --- 行政强制：查封、扣押 -------------------------------------------------------------------------------------------


def _locked_seizure(seizure: Seizure | int) -> Seizure:
    pk = seizure.pk if isinstance(seizure, Seizure) else seizure
    return Seizure.objects.select_for_update(of=("self",)).select_related("case__agency__region").get(pk=pk)


@service
def seizure_decide(
    *,
    actor: Any,
    case: Case | int,
    kind: str,
    items: Sequence[str],
    place: str = "",
    testing_days: int = 0,
    on: dt.date | None = None,
    approved_by: Any = None,
    from_preservation: Seizure | int | None = None,
    emergency: bool = False,
    value_yuan: Any = None,
) -> Seizure:
    """查封、扣押 — decision and inventory, by two officers, on audio-video (行政强制法 第十八条、第二十四条);
    or 先行登记保存 — evidence preservation approved by the agency head (行政处罚法 第五十六条).

    ``from_preservation``: the handling decision (处理决定) on preserved evidence is to seal or seize it; the
    preservation ends (released as ``converted``) in the same transaction.

    ``value_yuan``: the estimated value of the property; from ``MAJOR_SEIZURE_YUAN`` on the measure is a major
    decision and the head approves it only after a passed legal review (``compulsion.check_major_seizure_review``).

    ``approved_by``: the agency head who approved the measure beforehand (行政强制法 第十八条第一项). Without
    one it is the actor's own approval when the actor is a head of the case's agency; otherwise the measure is
    refused unless ``emergency``: the officers act on the spot and report to the head within 24 hours
    (第十九条), who approves or refuses it with :func:`seizure_approve`.
    """
    case, on = _begin("seizure_decide", actor, case, on)
    if kind not in SeizureKind.values:
        raise InvalidInput("措施类型无效。", "Unknown measure.", field="kind")
    items = [str(i).strip()[:200] for i in items if str(i).strip()]
    if not items:
        raise InvalidInput("请填写查封、扣押清单。", "List what is sealed or seized.", field="items")
    if not 0 <= testing_days <= 365:
        raise InvalidInput("检测鉴定期间无效。", "Invalid testing period.", field="testing_days")
    if approved_by is not None and not perms.can(approved_by, APPROVE, case):
        raise InvalidInput(
            "批准人须为本机关负责人。", "The approver must be a head of the agency.", field="approved_by"
        )
    if approved_by is None and not emergency and perms.can(actor, APPROVE, case):
        approved_by = actor  # 行政强制法 第十八条: a head who decides the measure himself has approved it
    from zhifa.cases.compulsion import check_major_seizure_review, parse_value

    value = parse_value(value_yuan)
    review = None
    source: Seizure | None = None
    if kind == SeizureKind.PRESERVE:
        # 行政处罚法 第五十六条: 在证据可能灭失或者以后难以取得的情况下，经行政机关负责人批准，可以先行登记保存，
        # 并应当在七日内及时作出处理决定 (第八十五条: working days).
        if approved_by is None:
            raise refuse(
                "preservation_needs_approval",
                "先行登记保存须经行政机关负责人批准（行政处罚法第五十六条）。",
                "Evidence preservation needs the agency head's approval (Art. 56).",
            )
        if testing_days or from_preservation is not None:
            raise InvalidInput(
                "先行登记保存没有检测鉴定期间，也不能由先行登记保存转来。",
                "A preservation has no testing period and is not converted from one.",
                field="kind",
            )
        due_on = limits.preservation_due(on)
    else:
        if approved_by is None and not emergency:
            # 行政强制法 第十八条第一项: 实施前须向行政机关负责人报告并经批准.
            raise refuse(
                "seizure_needs_approval",
                "查封、扣押实施前须向行政机关负责人报告并经批准（行政强制法第十八条）；"
                "情况紧急需要当场实施的，选择“情况紧急”，并在二十四小时内报告负责人补办批准（第十九条）。",
                "A seizure needs the agency head's approval beforehand (Art. 18), "
                "or in an emergency a report within 24 hours (Art. 19).",
            )
        guards.check_required_records(case, "seizure", "查封、扣押", kind)
        if approved_by is not None:
            # 重大执法决定法制审核 (国办发〔2018〕118号): a major measure, a passed review before the approval.
            review = check_major_seizure_review(case, kind, value, on)
        # 行政强制法 第二十五条: thirty days, not counting testing or appraisal periods.
        due_on = limits.seizure_due(on, 0, testing_days)
        if from_preservation is not None:
            try:
                source = _locked_seizure(from_preservation)
            except Seizure.DoesNotExist:
                source = None
            if source is None or source.case_id != case.pk or source.kind != SeizureKind.PRESERVE:
                raise InvalidInput(
                    "所选措施不是本案的先行登记保存。",
                    "Not a preservation of this case.",
                    field="from_preservation",
                )
            if source.status != SeizureStatus.ACTIVE:
                raise refuse("seizure_not_active", "先行登记保存已解除。", "The preservation has ended.")
            if on > source.due_on:
                # 行政处罚法 第五十六条: the handling decision is due within seven (working) days; after that
                # the preservation has lapsed and the goods go back — a late "conversion" is refused.
                raise refuse(
                    "preservation_lapsed",
                    f"先行登记保存应在七个工作日内（{source.due_on:%Y-%m-%d} 前）作出处理决定（行政处罚法第五十六条、"
                    "第八十五条）；已逾期，应当解除并返还，不能再转为查封、扣押。",
                    f"The handling decision was due by {source.due_on:%Y-%m-%d} (Art. 56, 85); release it.",
                )
    seizure = Seizure.objects.create(
        case=case,
        kind=kind,
        items=items,
        value_yuan=value,
        place=place[:200],
        decided_on=on,
        testing_days=testing_days,
        due_on=due_on,
        approved_by=approved_by,
        approved_on=on if approved_by is not None else None,
        **_emergency_fields(kind, approved_by, emergency),
        created_by=actor,
    )
    extra: dict[str, Any] = {"seizure_id": seizure.pk, "kind": kind, "items": items, "due_on": seizure.due_on}
    if value is not None:
        extra["value_yuan"] = value
    if review is not None:
        review.seizure = seizure
        review.save(update_fields=["seizure"])
        extra["seizure_review_id"] = review.pk
    if approved_by is not None:
        extra["approved_by"] = approved_by.pk
    if seizure.emergency:
        extra["emergency"] = True
        extra["report_due"] = (
            f"{clock.local(seizure.report_due):%Y-%m-%d %H:%M}" if seizure.report_due else None
        )
    if source is not None:
        source.status = SeizureStatus.RELEASED
        source.released_on = on
        source.release_reason = ReleaseReason.CONVERTED
        source.save(update_fields=["status", "released_on", "release_reason"])
        extra["from_preservation"] = source.pk
    _commit(case, actor=actor, code="seizure_decide", on=on, fields={}, extra=extra)
    return seizure


def _emergency_fields(kind: str, approved_by: Any, emergency: bool) -> dict[str, Any]:
    """行政强制法 第十九条: acted on without approval in an emergency — report to the head within 24 hours."""
    if not emergency or approved_by is not None or kind == SeizureKind.PRESERVE:
        return {}
    acted_at = clock.now()
    return {"emergency": True, "acted_at": acted_at, "report_due": acted_at + dt.timedelta(hours=24)}


@service
def seizure_approve(
    *, actor: Any, seizure: Seizure | int, approve: bool, reason: str = "", on: dt.date | None = None
) -> Seizure:
    """补办批准 — the head approves, or refuses, a seizure the officers made in an emergency (行政强制法 第十九条).

    Refused, the measure is released at once (``release_reason`` ``refused``). Approval after the 24 hours is
    recorded as late (the supervision flag ``seizure_unapproved`` has been raised meanwhile).
    """
    seizure = _locked_seizure(seizure)
    case = _locked(seizure.case_id)
    on = on or guards.today()
    guards.check_date(None, on)
    # 行政强制法 第十九条: 向行政机关负责人报告，并补办批准手续.
    perms.require(actor, APPROVE, case)
    if seizure.status != SeizureStatus.ACTIVE:
        raise refuse("seizure_not_active", "查封、扣押已解除。", "The seizure has been released.")
    if not seizure.emergency or seizure.approved_by_id is not None:
        raise refuse(
            "seizure_not_pending_approval",
            "该措施不是待补办批准的紧急措施。",
            "The measure is not an emergency measure waiting for approval.",
        )
    if on < seizure.decided_on:
        raise InvalidInput("日期早于查封、扣押决定。", "The date is before the seizure.", field="on")
    late = seizure.report_due is not None and clock.now() > seizure.report_due
    extra: dict[str, Any] = {"seizure_id": seizure.pk, "approve": approve, "late": late}
    if approve:
        from zhifa.cases.compulsion import check_major_seizure_review

        # 重大执法决定法制审核 (国办发〔2018〕118号): a major measure, a passed review before the approval.
        review = check_major_seizure_review(case, seizure.kind, seizure.value_yuan, on)
        if review is not None:
            review.seizure = seizure
            review.save(update_fields=["seizure"])
            extra["seizure_review_id"] = review.pk
        seizure.approved_by = actor
        seizure.approved_on = on
        seizure.save(update_fields=["approved_by", "approved_on"])
    else:
        # 行政强制法 第十九条: 行政机关负责人认为不应当采取行政强制措施的，应当立即解除.
        extra["reason"] = _require_text(reason, "reason", "不予批准的理由")
        seizure.status = SeizureStatus.RELEASED
        seizure.released_on = on
        seizure.release_reason = ReleaseReason.REFUSED
        seizure.save(update_fields=["status", "released_on", "release_reason"])
    _commit(
        case,
        actor=actor,
        code="seizure_approve" if approve else "seizure_refuse",
        on=max(on, case.stage_entered_on or on),
        fields={},
        extra=extra,
    )
    return seizure


@service
def seizure_extend(
    *, actor: Any, seizure: Seizure | int, days: int, reason: str, on: dt.date | None = None
) -> Seizure:
    """延长查封、扣押 — once, at most thirty days, approved by the agency head (行政强制法 第二十五条)."""
    seizure = _locked_seizure(seizure)
    case = _locked(seizure.case_id)
    on = on or guards.today()
    guards.check_date(None, on)
    perms.require(actor, APPROVE, case)
    if seizure.status != SeizureStatus.ACTIVE:
        raise refuse("seizure_not_active", "查封、扣押已解除。", "The seizure has been released.")
    if seizure.kind == SeizureKind.PRESERVE:
        # 行政处罚法 第五十六条 gives seven days and no extension.
        raise refuse(
            "preservation_not_extendable",
            "先行登记保存应在七日内作出处理决定，不能延长（行政处罚法第五十六条）。",
            "A preservation cannot be extended (Art. 56).",
        )
    if seizure.extension_days:
        raise refuse(
            "seizure_already_extended",
            "查封、扣押期限只能延长一次（行政强制法第二十五条）。",
            "A seizure may be extended once (Art. 25).",
        )
    if not 1 <= days <= limits.SEIZURE_EXTENSION_MAX_DAYS:
        raise refuse(
            "seizure_extension_too_long",
            "延长期限不得超过三十日（行政强制法第二十五条）。",
            "An extension is at most thirty days (Art. 25).",
        )
    if on > seizure.due_on:
        raise refuse(
            "seizure_expired",
            f"查封、扣押期限已于 {seizure.due_on:%Y-%m-%d} 届满，应当解除，不能事后延长（行政强制法第二十五条、第二十八条）。",
            f"The seizure expired on {seizure.due_on:%Y-%m-%d}; release it (Art. 25, 28).",
        )
    if on < seizure.decided_on:
        raise InvalidInput("日期早于查封、扣押决定。", "The date is before the seizure.", field="on")
    seizure.extension_days = days
    seizure.extension_reason = _require_text(reason, "reason", "延长理由")
    seizure.extension_approved_by = actor
    seizure.extended_on = on
    seizure.due_on = limits.seizure_due(seizure.decided_on, days, seizure.testing_days)
    seizure.save(
        update_fields=["extension_days", "extension_reason", "extension_approved_by", "extended_on", "due_on"]
    )
    _commit(
        case,
        actor=actor,
        code="seizure_extend",
        on=max(on, case.stage_entered_on or on),
        fields={},
        extra={"seizure_id": seizure.pk, "days": days, "due_on": seizure.due_on},
    )
    return seizure


@service
def seizure_release(*, actor: Any, seizure: Seizure | int, reason: str, on: dt.date | None = None) -> Seizure:
    """解除查封、扣押 — on one of the grounds of 行政强制法 第二十八条; the property goes back at once."""
    seizure = _locked_seizure(seizure)
    case = _locked(seizure.case_id)
    on = on or guards.today()
    guards.check_date(None, on)
    perms.require(actor, COMPEL, case)
    if seizure.status != SeizureStatus.ACTIVE:
        raise refuse("seizure_not_active", "查封、扣押已解除。", "The seizure has been released.")
    if reason not in ReleaseReason.values or reason in {ReleaseReason.CONVERTED, ReleaseReason.REFUSED}:
        # CONVERTED only through seizure_decide(from_preservation=...), which creates the seizure.
        raise InvalidInput("解除理由无效。", "Unknown release reason.", field="reason")
    if on < seizure.decided_on:
        raise InvalidInput("日期早于查封、扣押决定。", "The date is before the seizure.", field="on")
    seizure.status = SeizureStatus.RELEASED
    seizure.released_on = on
    seizure.release_reason = reason
    seizure.save(update_fields=["status", "released_on", "release_reason"])
    _commit(
        case,
        actor=actor,
        code="seizure_release",
        on=max(on, case.stage_entered_on or on),
        fields={},
        extra={"seizure_id": seizure.pk, "reason": reason, "late": on > seizure.due_on},
    )
    return seizure


# --- 文书 -------------------------------------------------------------------------------------------------------


def _issue_document_number(agency: Agency, doc_type: str, year: int) -> tuple[str, int]:
    """The next gapless number per agency, type and year, under a row lock; voided numbers keep their row."""
    from zhifa.cases.documents import NUMBER_WORD

    last = next_number(DocumentNumberCounter, agency=agency, doc_type=doc_type, year=year)
    prefix = agency.short_name or agency.name
    return f"{prefix}{NUMBER_WORD[DocumentType(doc_type)]}〔{year}〕{last}号", last


def document_seal_message(number: str, sha256: str, agency_name: str, issued_on: dt.date) -> bytes:
    """The exact bytes the platform signs for a document: canonical JSON of its number, digest, agency, date."""
    from zhifa.records.canonical import canonical_json

    return canonical_json(
        {
            "kind": "zhifa-document-v1",
            "number": number,
            "sha256": sha256,
            "agency": agency_name,
            "issued_on": issued_on.isoformat(),
        }
    )


@service
def document_issue(
    *,
    actor: Any,
    case: Case | int,
    doc_type: str,
    on: dt.date | None = None,
    seizure: Seizure | int | None = None,
) -> CaseDocument:
    """出具文书 — number, render (PDF), hash (SHA-256), seal (Ed25519 over the digest) and record it.

    A type is issued only once the case has reached the step it records (``documents.READY``); the documents
    of a measure on property (查封扣押决定书、清单、延长、解除、先行登记保存通知书) concern one ``seizure`` —
    the one given, else the case's latest that fits.
    """
    import hashlib

    from zhifa.cases.documents import READY, render_pdf, seizure_for
    from zhifa.records.signing import load_signing_key, sign

    on = on or guards.today()
    case = _locked(case)
    perms.require(actor, INVESTIGATE, case)
    if doc_type not in DocumentType.values:
        raise InvalidInput("文书类型无效。", "Unknown document type.", field="doc_type")
    measure: Seizure | None = None
    if seizure is not None:
        pk = seizure.pk if isinstance(seizure, Seizure) else seizure
        measure = Seizure.objects.filter(pk=pk, case=case).first()
        if measure is None:
            raise InvalidInput("所选措施不属于本案。", "The measure is not of this case.", field="seizure")
    measure = seizure_for(case, doc_type, measure)
    step, ready = READY[DocumentType(doc_type)]
    if not ready(case, measure):
        raise refuse(
            "document_not_ready",
            f"本案尚未{step}，不能出具{DocumentType(doc_type).label}。",
            f"The case has not reached '{step}'; no {doc_type} can be issued.",
        )
    guards.check_date(None, on)
    number, seq = _issue_document_number(case.agency, doc_type, on.year)
    pdf = render_pdf(case, doc_type, number, on, measure)
    digest = hashlib.sha256(pdf).hexdigest()
    key = load_signing_key()
    signature = sign(key, document_seal_message(number, digest, case.agency.name, on))
    document = CaseDocument.objects.create(
        case=case,
        seizure=measure,
        agency=case.agency,
        doc_type=doc_type,
        year=on.year,
        seq=seq,
        number=number,
        pdf=pdf,
        sha256=digest,
        signature=signature.hex(),
        public_key=key.public_key_raw.hex(),
        issued_on=on,
        issued_by=actor,
    )
    changes = {"document_id": document.pk, "doc_type": doc_type, "number": number, "sha256": digest}
    if measure is not None:
        changes["seizure_id"] = measure.pk
    record_append(
        actor=actor,
        action="case.document_issue",
        obj=case,
        changes=changes,
        officer=_officer_of(actor),
    )
    hooks.run_after(
        "document_issue", case, actor=actor, on=on, changes=changes
    )  # e.g. the 文号 of a publication
    return document


@service
def document_void(
    *, actor: Any, document: CaseDocument | int, reason: str, on: dt.date | None = None
) -> CaseDocument:
    """作废文书 — the number stays recorded as voided and is never issued again."""
    on = on or guards.today()
    pk = document.pk if isinstance(document, CaseDocument) else document
    document = CaseDocument.objects.select_for_update(of=("self",)).select_related("case__agency").get(pk=pk)
    perms.require(actor, APPROVE, document.case)
    if document.status == DocumentStatus.VOIDED:
        raise refuse("document_already_voided", "该文书已作废。", "The document is already voided.")
    reason = _require_text(reason, "reason", "作废理由", 300)
    document.status = DocumentStatus.VOIDED
    document.void_reason = reason
    document.voided_on = on
    document.save(update_fields=["status", "void_reason", "voided_on"])
    record_append(
        actor=actor,
        action="case.document_void",
        obj=document.case,
        changes={"document_id": document.pk, "number": document.number, "reason": reason},
    )
    return document
