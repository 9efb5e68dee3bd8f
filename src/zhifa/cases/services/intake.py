"""案源、立案: register a source, open a case or decide not to."""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Any

from zhifa.cases import guards, hooks, limits
from zhifa.cases.guards import refuse
from zhifa.cases.models import Case, CaseParty, PartyRole, SourceKind, Stage
from zhifa.cases.rules import APPROVE, OPEN_CASE
from zhifa.cases.services._common import (
    _begin,
    _check_domain,
    _commit,
    _issue_number,
    _json,
    _officer_of,
    _require_text,
    _set_officers,
)
from zhifa.cases.services.deadlines import _due_or_pending
from zhifa.core import textlimits
from zhifa.core.errors import ConfigurationMissing, InvalidInput
from zhifa.core.textlimits import check_length
from zhifa.core.transactions import service
from zhifa.org import permissions as perms
from zhifa.org.models import Agency, Domain, Officer, Party, User
from zhifa.records.services import record_append


@service
def case_register_source(
    *,
    actor: User,
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
    actor: User,
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
def case_not_open(*, actor: User, case: Case | int, reason: str, on: dt.date | None = None) -> Case:
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
