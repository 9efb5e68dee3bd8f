"""简易程序: the on-the-spot decision and its filing."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from zhifa.cases import fines, guards, hooks, limits
from zhifa.cases.guards import refuse
from zhifa.cases.models import (
    Case,
    CaseOfficer,
    CaseParty,
    PartyRole,
    PenaltyKind,
    Procedure,
    ServiceMethod,
    SourceKind,
    Stage,
)
from zhifa.cases.rules import INVESTIGATE
from zhifa.cases.services._common import (
    _begin,
    _check_domain,
    _commit,
    _issue_number,
    _json,
    _officer_of,
    _penalty,
    _require_text,
    _set_officers,
)
from zhifa.cases.services.deadlines import (
    _due_or_pending,
    _filing_due_or_none,
    _next_deadline,
    _payment_due_or_none,
)
from zhifa.cases.services.decision import _double_fine_extra
from zhifa.core import textlimits
from zhifa.core.errors import InvalidInput, RuleViolation
from zhifa.core.textlimits import check_length
from zhifa.core.transactions import service
from zhifa.org import permissions as perms
from zhifa.org.models import Agency, Domain, Officer, Party, User
from zhifa.records.services import record_append

_SIMPLE_KINDS = frozenset({PenaltyKind.WARNING, PenaltyKind.FINE})


@service
def case_simple_decide(
    *,
    actor: User,
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
    *, actor: User, case: Case | int, on: dt.date | None = None, late_reason: str = ""
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
