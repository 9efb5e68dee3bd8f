"""Helpers every case service shares: lock the case, check the step, write it, append the ledger entry."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from django.core.exceptions import ObjectDoesNotExist
from django.db.models import Model

from zhifa.cases import guards, hooks, limits, periods
from zhifa.cases.guards import Penalty
from zhifa.cases.models import PRE_DECISION_STAGES, Case, CaseNumberCounter, CaseOfficer, PenaltyKind
from zhifa.cases.services.deadlines import _next_deadline
from zhifa.core.errors import InvalidInput, RuleViolation
from zhifa.core.numbering import next_number
from zhifa.org.models import Agency, Domain, Officer, User
from zhifa.records.services import record_append


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


def _officer_of(user: User) -> Officer | None:
    try:
        return user.officer if user is not None and getattr(user, "is_authenticated", False) else None
    except ObjectDoesNotExist:
        return None


def _locked(case: Case | int) -> Case:
    """The case row, locked until the transaction ends, with what the guards read joined."""
    pk = case.pk if isinstance(case, Case) else case
    return Case.objects.select_for_update(of=("self",)).select_related("agency__region", "domain").get(pk=pk)


def _commit(
    case: Case,
    *,
    actor: User,
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
    code: str, actor: User, case: Case | int, on: dt.date | None, request: Any = None
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
