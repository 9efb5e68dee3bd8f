"""Publication services (事后公开): obligation, draft, submit, approve, redact, withdraw, annual statistics.

Rules as implemented (sources in docs/disclosure.md):

* 行政处罚法 第四十八条 and seed 001: penalty (and licence) decisions are published within **7 working days**
  of the decision, every other enforcement result within **20 working days** (``DisclosureRule`` per region
  changes both). The obligation is created in the decision's own transaction (``cases.hooks``).
* Publication is reviewed: the approver is a second person (seed 001: 采集、传递、审核、发布 each with a
  responsible person), holding ``disclosure.approve`` (the agency head or a designated role).
* 行政处罚法 第四十八条第二款 and seed 001: a published decision that is changed, revoked, confirmed
  unlawful or invalid, or to be remade is withdrawn (within 3 days), stating the reason; it leaves the
  portal, the search index and the exports in the same transaction; the reason stays here and on the ledger.
* 政府信息公开条例 第十五条: trade secrets and personal privacy are not published; a trade secret is excluded
  on the party's request with a reason (``publication_redact``); personal data is removed by ``privacy``.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db.models import Count, Sum
from django.utils import timezone

from zhifa.core.errors import ConfigurationMissing, InvalidInput, NotFound, RuleViolation
from zhifa.core.transactions import service
from zhifa.core.workdays import add_working_days
from zhifa.disclosure.models import (
    AnnualStatistics,
    DisclosureRule,
    Publication,
    PublicationStatus,
    ResultKind,
    WithdrawKind,
)
from zhifa.disclosure.privacy import mask_person_name, party_display, scrub_text
from zhifa.disclosure.rules import APPROVE, DRAFT, PUBLISH_STATS, WITHDRAW
from zhifa.org import permissions as perms
from zhifa.org.models import Agency, PartyKind
from zhifa.records.services import record_append

CASE = "cases.case"
INSPECTION = "inspections.inspection"
SECRET_REMOVED = "【涉及商业秘密，不予公开】"
_DECISION_KINDS = (ResultKind.PENALTY, ResultKind.LICENSING)


# --- deadlines ---------------------------------------------------------------------------------------------------


def rule_for(agency: Agency) -> DisclosureRule:
    """The disclosure numbers for the agency's region: the nearest region up the tree that set them."""
    path = agency.region.path
    best: DisclosureRule | None = None
    for rule in DisclosureRule.objects.select_related("region"):
        if path.startswith(rule.region.path) and (
            best is None or len(rule.region.path) > len(best.region.path)
        ):
            best = rule
    return best or DisclosureRule()


def publication_due(agency: Agency, kind: str, decided_on: dt.date) -> dt.date | None:
    """The last day to publish; ``None`` while the year's holiday schedule is not entered."""
    rule = rule_for(agency)
    # 行政处罚法 第四十八条; seed 001 (行政许可、行政处罚 7 个工作日，其他执法决定 20 个工作日)
    days = rule.decision_working_days if kind in _DECISION_KINDS else rule.other_working_days
    try:
        return add_working_days(decided_on, days)
    except ConfigurationMissing:
        return None


def stats_due(agency: Agency, year: int) -> dt.date:
    """The day by which the statistics of ``year`` are published (31 January of the next year by default)."""
    month, day = (int(p) for p in rule_for(agency).stats_deadline.split("-"))
    return dt.date(year + 1, month, day)


# --- drafts --------------------------------------------------------------------------------------------------------


def _yuan(value: Decimal | None) -> str:
    return f"{value:,.2f} 元" if value else ""


def _apply_redactions(text: str, redactions: list[dict[str, str]]) -> str:
    for item in sorted(redactions, key=lambda r: len(r.get("text", "")), reverse=True):
        if item.get("text"):
            text = text.replace(item["text"], SECRET_REMOVED)
    return text


def _compose_body(p: Publication, agency: Agency) -> str:
    lines = [f"执法主体：{agency.name}"]
    if p.document_number:
        lines.append(f"决定书文号：{p.document_number}")
    who = p.party_name + (f"（统一社会信用代码：{p.party_uscc}）" if p.party_uscc else "")
    lines.append(f"当事人：{who}")
    if p.legal_representative:
        lines.append(f"法定代表人（负责人）：{p.legal_representative}")
    label = "检查情况" if p.kind == ResultKind.INSPECTION else "违法事实"
    if p.facts:
        lines.append(f"{label}：{p.facts}")
    if p.basis:
        lines.append(f"依据：{p.basis}")
    if p.content:
        lines.append(("检查结论：" if p.kind == ResultKind.INSPECTION else "处理结果：") + p.content)
    lines.append(f"决定日期：{p.decided_on:%Y年%m月%d日}")
    return "\n".join(lines)


def _party_fields(party: Any) -> dict[str, str]:
    if party is None:
        return {"party_name": "（无）", "party_kind": "", "party_uscc": "", "legal_representative": ""}
    natural = party.kind == PartyKind.NATURAL_PERSON
    rep = party.legal_representative or ""
    # 个体工商户的经营者 is a natural person: masked like any other; a company's 法定代表人 is public.
    return {
        "party_name": party_display(party.name, party.kind),
        "party_kind": party.kind,
        "party_uscc": "" if natural else (party.uscc or ""),
        "legal_representative": rep if party.kind == PartyKind.LEGAL_PERSON else mask_person_name(rep),
    }


def _private_of(parties: list[Any]) -> tuple[list[str], list[str]]:
    names, addresses = [], []
    for party in parties:
        if party.kind == PartyKind.NATURAL_PERSON:
            names.append(party.name)
            addresses.append(party.address)
        elif party.kind == PartyKind.INDIVIDUAL_BUSINESS and party.legal_representative:
            names.append(party.legal_representative)
    return names, addresses


def _case_fields(case: Any, kind: str) -> dict[str, Any]:
    from zhifa.cases.models import CaseDocument, DocumentStatus, DocumentType, PartyRole, PenaltyKind

    parties = [link.party for link in case.party_links.select_related("party").order_by("id")]
    main = next(
        (link.party for link in case.party_links.filter(role=PartyRole.PARTY).select_related("party")), None
    )
    names, addresses = _private_of(parties)

    def clean(text: str) -> str:
        return scrub_text(text or "", person_names=names, addresses=addresses)

    doc_type = DocumentType.NOT_PUNISH_DECISION if kind == ResultKind.NOT_PUNISH else DocumentType.DECISION
    number = (
        CaseDocument.objects.filter(case=case, doc_type=doc_type, status=DocumentStatus.ISSUED)
        .order_by("-id")
        .values_list("number", flat=True)
        .first()
    ) or (case.number or "")
    labels = dict(PenaltyKind.choices)
    if kind == ResultKind.NOT_PUNISH:
        content = "不予行政处罚。" + (case.get_not_punish_reason_display() if case.not_punish_reason else "")
    else:
        parts = [labels.get(k, k) for k in case.penalty_kinds or []]
        if case.fine_yuan:
            parts = [f"罚款 {_yuan(case.fine_yuan)}" if p == labels["fine"] else p for p in parts]
        if case.confiscation_yuan:
            parts.append(f"没收金额（价值） {_yuan(case.confiscation_yuan)}")
        content = "；".join(parts) + ("。" + case.decision_text if case.decision_text else "")
    title_kind = "不予行政处罚决定" if kind == ResultKind.NOT_PUNISH else "行政处罚决定"
    return {
        **_party_fields(main),
        "title": clean(f"{case.title}（{title_kind}）")[:300],
        "document_number": number[:80],
        "facts": clean(case.facts or case.title),
        "basis": clean(case.legal_basis),
        "penalty_kinds": list(case.penalty_kinds or []) if kind == ResultKind.PENALTY else [],
        "content": clean(content),
        "fine_yuan": case.fine_yuan if kind == ResultKind.PENALTY else None,
        "confiscation_yuan": case.confiscation_yuan if kind == ResultKind.PENALTY else None,
    }


def _inspection_fields(inspection: Any) -> dict[str, Any]:
    party = inspection.party
    names, addresses = _private_of([party])

    def clean(text: str) -> str:
        return scrub_text(text or "", person_names=names, addresses=addresses)

    item = inspection.item.name if inspection.item_id else "行政检查"
    return {
        **_party_fields(party),
        "title": clean(item + ("结果" if item.endswith("检查") else "检查结果"))[:300],
        "document_number": "",
        "facts": clean(inspection.findings),
        "basis": clean(inspection.item.legal_basis if inspection.item_id else ""),
        "penalty_kinds": [],
        "content": inspection.get_outcome_display(),
        "fine_yuan": None,
        "confiscation_yuan": None,
    }


def _source(p: Publication) -> Any:
    if p.source_type == CASE:
        from zhifa.cases.models import Case

        return Case.objects.select_related("agency").get(pk=p.source_id)
    from zhifa.inspections.models import Inspection

    return Inspection.objects.select_related("party", "item", "agency").get(pk=p.source_id)


def _fill(p: Publication) -> None:
    source = _source(p)
    fields = _case_fields(source, p.kind) if p.source_type == CASE else _inspection_fields(source)
    for name, value in fields.items():
        setattr(p, name, value)
    for name in ("title", "facts", "basis", "content"):
        setattr(p, name, _apply_redactions(getattr(p, name), p.redactions))
    p.body = _apply_redactions(_compose_body(p, p.agency), p.redactions)


def _create(
    *,
    source_type: str,
    source_id: str,
    kind: str,
    agency: Agency,
    domain_id: int | None,
    on: dt.date,
    actor: Any,
) -> Publication:
    p = Publication(
        source_type=source_type,
        source_id=str(source_id),
        kind=kind,
        agency=agency,
        domain_id=domain_id,
        decided_on=on,
        due_on=publication_due(agency, kind, on),
    )
    _fill(p)
    p.save()
    record_append(
        actor=actor,
        action="disclosure.obligation",
        obj=p,
        changes={
            "source": f"{source_type}:{source_id}",
            "kind": kind,
            "decided_on": on.isoformat(),
            "due_on": p.due_on.isoformat() if p.due_on else None,
        },
    )
    return p


def on_case_decided(case: Any, *, code: str, actor: Any, on: dt.date, changes: dict[str, Any]) -> None:
    """cases.hooks after-step of decide / simple_decide / not_punish: the publication obligation."""
    kind = ResultKind.NOT_PUNISH if code == "not_punish" else ResultKind.PENALTY
    if Publication.objects.filter(source_type=CASE, source_id=str(case.pk)).exists():
        return
    _create(
        source_type=CASE,
        source_id=str(case.pk),
        kind=kind,
        agency=case.agency,
        domain_id=case.domain_id,
        on=on,
        actor=actor,
    )


@service
def disclosure_sweep(*, today: dt.date | None = None) -> dict[str, int]:
    """Find enforcement results that have no publication yet (inspection results; decisions made before this
    app was installed) and create their obligations. Idempotent; run daily (``zhifa disclosure_sweep``)."""
    from zhifa.cases.models import Case, Stage
    from zhifa.inspections.models import Inspection, InspectionStatus

    created = {"inspection": 0, "penalty": 0, "not_punish": 0, "due_filled": 0}
    known = Publication.objects.filter(source_type=INSPECTION).values_list("source_id", flat=True)
    inspections = (
        Inspection.objects.filter(status=InspectionStatus.DONE, result_at__isnull=False)
        .exclude(pk__in=[int(k) for k in known])
        .select_related("agency__region", "item", "party")
    )
    for inspection in inspections.iterator(chunk_size=500):
        on = inspection.inspected_on or timezone.localdate(inspection.result_at)
        _create(
            source_type=INSPECTION,
            source_id=str(inspection.pk),
            kind=ResultKind.INSPECTION,
            agency=inspection.agency,
            domain_id=inspection.item.domain_id if inspection.item_id else None,
            on=on,
            actor=None,
        )
        created["inspection"] += 1
    known_cases = Publication.objects.filter(source_type=CASE).values_list("source_id", flat=True)
    cases = (
        Case.objects.filter(decided_on__isnull=False)
        .exclude(penalty_kinds=[])
        .exclude(pk__in=[int(k) for k in known_cases])
        .select_related("agency__region")
    )
    for case in cases.iterator(chunk_size=500):
        _create(
            source_type=CASE,
            source_id=str(case.pk),
            kind=ResultKind.PENALTY,
            agency=case.agency,
            domain_id=case.domain_id,
            on=case.decided_on,
            actor=None,
        )
        created["penalty"] += 1
    not_punished = (
        Case.objects.filter(stage=Stage.NOT_PUNISHED, ended_on__isnull=False)
        .exclude(pk__in=[int(k) for k in known_cases])
        .select_related("agency__region")
    )
    for case in not_punished.iterator(chunk_size=500):
        _create(
            source_type=CASE,
            source_id=str(case.pk),
            kind=ResultKind.NOT_PUNISH,
            agency=case.agency,
            domain_id=case.domain_id,
            on=case.ended_on,
            actor=None,
        )
        created["not_punish"] += 1
    # A deadline left empty because the holiday schedule was missing is computed once it is entered.
    for p in Publication.objects.filter(due_on__isnull=True).select_related("agency__region"):
        p.due_on = publication_due(p.agency, p.kind, p.decided_on)
        if p.due_on:
            p.save(update_fields=["due_on", "updated_at"])
            created["due_filled"] += 1
    return created


# --- workflow ------------------------------------------------------------------------------------------------------


def _locked(publication: Publication | int) -> Publication:
    pk = publication.pk if isinstance(publication, Publication) else publication
    p = Publication.objects.select_for_update().select_related("agency__region").filter(pk=pk).first()
    if p is None:
        raise NotFound("公示事项不存在。", "Publication not found.", code="publication_not_found")
    return p


def _refuse(code: str, message: str, message_en: str) -> RuleViolation:
    return RuleViolation(message, message_en, code=code)


def _require_status(p: Publication, *allowed: str) -> None:
    if p.status not in allowed:
        raise _refuse(
            "publication_wrong_status",
            f"该公示事项当前为“{p.get_status_display()}”，不能执行此操作。",
            f"The publication is {p.status}; this step is not open.",
        )


@service
def publication_refresh(*, actor: Any, publication: Publication | int) -> Publication:
    """重新生成 — regenerate the desensitised draft from the current case / inspection (draft only)."""
    p = _locked(publication)
    perms.require(actor, DRAFT, p)
    _require_status(p, PublicationStatus.DRAFT)
    _fill(p)
    p.save()
    record_append(actor=actor, action="disclosure.refresh", obj=p, changes={"title": p.title})
    return p


@service
def publication_submit(*, actor: Any, publication: Publication | int) -> Publication:
    """提交审核 — the drafter has read the preview and sends it for approval."""
    p = _locked(publication)
    perms.require(actor, DRAFT, p)
    _require_status(p, PublicationStatus.DRAFT)
    p.status, p.drafted_by, p.submitted_at = PublicationStatus.SUBMITTED, actor, timezone.now()
    p.save(update_fields=["status", "drafted_by", "submitted_at", "updated_at"])
    record_append(actor=actor, action="disclosure.submit", obj=p, changes={"status": ["draft", "submitted"]})
    return p


@service
def publication_return(*, actor: Any, publication: Publication | int, reason: str) -> Publication:
    """退回修改 — the approver sends the draft back, with a reason."""
    p = _locked(publication)
    perms.require(actor, APPROVE, p)
    _require_status(p, PublicationStatus.SUBMITTED)
    reason = _reason(reason)
    p.status = PublicationStatus.DRAFT
    p.save(update_fields=["status", "updated_at"])
    record_append(
        actor=actor,
        action="disclosure.return",
        obj=p,
        changes={"status": ["submitted", "draft"], "reason": reason},
    )
    return p


def index_publication(p: Publication) -> None:
    from zhifa.search.services import index_document

    index_document(
        source_type="disclosure.publication",
        source_id=p.pk,
        agency_id=p.agency_id,
        domain=p.domain.code if p.domain_id else "",
        kind=p.kind,
        date=p.decided_on,
        title=p.title,
        party=p.party_name,
        body="\n".join(x for x in (p.body, p.agency.name) if x),
    )


@service
def publication_approve(
    *, actor: Any, publication: Publication | int, on: dt.date | None = None
) -> Publication:
    """审核发布 — a second person approves; the decision becomes public and searchable."""
    p = _locked(publication)
    perms.require(actor, APPROVE, p)
    _require_status(p, PublicationStatus.SUBMITTED)
    # seed 001: 采集、传递、审核、发布 each with its responsible person — the drafter does not approve alone.
    if p.drafted_by_id is not None and p.drafted_by_id == getattr(actor, "pk", None):
        raise _refuse(
            "publication_same_person",
            "公示内容须由拟稿人以外的人员审核发布。",
            "The drafter may not approve their own publication.",
        )
    now = timezone.now()
    on = on or timezone.localdate(now)
    p.status, p.approved_by, p.published_at, p.published_on = PublicationStatus.PUBLISHED, actor, now, on
    p.published_late = bool(p.due_on and on > p.due_on)
    p.save(
        update_fields=[
            "status",
            "approved_by",
            "published_at",
            "published_on",
            "published_late",
            "updated_at",
        ]
    )
    index_publication(p)
    record_append(
        actor=actor,
        action="disclosure.publish",
        obj=p,
        changes={
            "status": ["submitted", "published"],
            "on": on.isoformat(),
            "late": p.published_late,
            "due_on": p.due_on.isoformat() if p.due_on else None,
        },
    )
    return p


def _reason(reason: str, field: str = "reason") -> str:
    reason = (reason or "").strip()
    if not reason:
        raise InvalidInput("请填写理由。", "A reason is required.", field=field)
    if len(reason) > 500:
        raise InvalidInput(
            "理由过长（最多 500 字）。", "The reason is longer than 500 characters.", field=field
        )
    return reason


@service
def publication_withdraw(
    *, actor: Any, publication: Publication | int, kind: str, reason: str
) -> Publication:
    """撤回 — a published decision changed, revoked, confirmed unlawful/invalid or to be remade leaves the
    portal, the search index and the exports at once; the reason is kept (行政处罚法 第四十八条第二款)."""
    p = _locked(publication)
    perms.require(actor, WITHDRAW, p)
    if kind not in WithdrawKind.values:
        raise InvalidInput("撤回情形无效。", "Unknown withdrawal kind.", field="kind")
    reason = _reason(reason)
    _require_status(p, PublicationStatus.PUBLISHED)
    return _withdraw(p, actor=actor, kind=kind, reason=reason)


def _withdraw(p: Publication, *, actor: Any, kind: str, reason: str, **changes: Any) -> Publication:
    from zhifa.search.services import remove_document

    before = p.status
    p.status, p.withdraw_kind, p.withdraw_reason = PublicationStatus.WITHDRAWN, kind, reason
    p.withdrawn_at, p.withdrawn_by = timezone.now(), actor
    p.save(
        update_fields=[
            "status",
            "withdraw_kind",
            "withdraw_reason",
            "withdrawn_at",
            "withdrawn_by",
            "updated_at",
        ]
    )
    remove_document("disclosure.publication", p.pk)
    record_append(
        actor=actor,
        action="disclosure.withdraw",
        obj=p,
        changes={"status": [before, "withdrawn"], "kind": kind, "reason": reason, **changes},
    )
    return p


# 复议决定 (行政复议法 第六十三条至第六十九条) and 判决 (行政诉讼法 第六十九条至第七十八条) that undo the act or
# find it unlawful or void (``stats.RemedyOutcome``) -> the withdrawal kind.
REMEDY_WITHDRAW_KINDS: dict[str, str] = {
    "revoked": WithdrawKind.REVOKED,
    "changed": WithdrawKind.CHANGED,
    "confirmed_illegal": WithdrawKind.UNLAWFUL,
    "confirmed_void": WithdrawKind.INVALID,
}


@service
def publications_withdraw_for_remedy(
    *, actor: Any, agency: Agency, document_number: str, outcome: str, remedy: str
) -> list[Publication]:
    """撤回 — a reconsideration or court revoked, changed, or found unlawful or void the decision with this
    document number: the agency's publication of it leaves the portal, the index and the exports at once
    (行政处罚法 第四十八条第二款: within three days; here in the same transaction as the import of the
    outcome), with the outcome as the reason on the record. One not yet published is withdrawn before it
    ever appears (its publication deadline no longer runs). The caller (the import of remedy outcomes)
    has checked its own permission; ``remedy`` names the outcome, e.g. "行政复议 …号：撤销".
    """
    kind = REMEDY_WITHDRAW_KINDS.get(outcome)
    number = (document_number or "").strip()
    if kind is None or not number:
        return []
    found = list(
        Publication.objects.select_for_update()
        .filter(
            agency=agency,
            document_number=number,
            status__in=[PublicationStatus.DRAFT, PublicationStatus.SUBMITTED, PublicationStatus.PUBLISHED],
        )
        .order_by("id")
    )
    reason = f"{remedy}（原行政行为文号 {number}）"[:500]
    return [_withdraw(p, actor=actor, kind=kind, reason=reason, remedy=remedy) for p in found]


@service
def publication_redact(*, actor: Any, publication: Publication | int, text: str, reason: str) -> Publication:
    """不予公开（商业秘密）— on the party's request, a passage is excluded from every public form, with a reason.

    Before publication the drafter does it; once published only the approver, and the index is rebuilt.
    """
    p = _locked(publication)
    published = p.status == PublicationStatus.PUBLISHED
    perms.require(actor, APPROVE if published else DRAFT, p)
    _require_status(p, PublicationStatus.DRAFT, PublicationStatus.SUBMITTED, PublicationStatus.PUBLISHED)
    text = (text or "").strip()
    if len(text) < 2 or len(text) > 500:
        raise InvalidInput(
            "请填写须隐去的原文（2–500 字）。", "Give the passage to exclude (2–500 chars).", field="text"
        )
    reason = _reason(reason)
    if text not in p.body and text not in p.facts and text not in p.content and text not in p.basis:
        raise InvalidInput("公示内容中没有这段文字。", "The passage is not in the publication.", field="text")
    p.redactions = [*p.redactions, {"text": text, "reason": reason}]
    for name in ("title", "facts", "basis", "content", "body"):
        setattr(p, name, _apply_redactions(getattr(p, name), p.redactions))
    p.save(update_fields=["redactions", "title", "facts", "basis", "content", "body", "updated_at"])
    if published:
        index_publication(p)
    # The ledger keeps that a passage was excluded and why — not the secret itself.
    record_append(
        actor=actor,
        action="disclosure.redact",
        obj=p,
        changes={"reason": reason, "chars": len(text), "count": len(p.redactions)},
    )
    return p


# --- annual statistics ---------------------------------------------------------------------------------------------


def annual_figures(agency: Agency, year: int) -> dict[str, Any]:
    """The year's counts by act type, from the data (cases, inspections, publications)."""
    from zhifa.cases.models import Case, Procedure, Stage
    from zhifa.inspections.models import Inspection, InspectionStatus

    decided = Case.objects.filter(agency=agency, decided_on__year=year).exclude(penalty_kinds=[])
    by_procedure = dict(decided.values_list("procedure").annotate(n=Count("id")).order_by())
    kinds: dict[str, int] = {}
    for row in decided.values_list("penalty_kinds", flat=True):
        for k in row or []:
            kinds[k] = kinds.get(k, 0) + 1
    fines = decided.aggregate(total=Sum("fine_yuan"))["total"] or Decimal("0")
    inspections = Inspection.objects.filter(agency=agency, status=InspectionStatus.DONE, inspected_year=year)
    outcomes = dict(inspections.values_list("outcome").annotate(n=Count("id")).order_by())
    pubs = Publication.objects.filter(agency=agency, decided_on__year=year)
    return {
        "year": year,
        "penalty_decisions": sum(by_procedure.values()),
        "penalty_general": by_procedure.get(Procedure.GENERAL, 0),
        "penalty_simple": by_procedure.get(Procedure.SIMPLE, 0),
        "penalty_kinds": kinds,
        "fines_yuan": f"{fines:.2f}",
        "not_punished": Case.objects.filter(
            agency=agency, stage=Stage.NOT_PUNISHED, ended_on__year=year
        ).count(),
        "inspections": sum(outcomes.values()),
        "inspection_outcomes": outcomes,
        "published": pubs.filter(
            status__in=[PublicationStatus.PUBLISHED, PublicationStatus.WITHDRAWN]
        ).count(),
        "published_late": pubs.filter(published_late=True).count(),
        "withdrawn": pubs.filter(status=PublicationStatus.WITHDRAWN).count(),
    }


@service
def annual_statistics_publish(
    *, actor: Any, agency: Agency, year: int, on: dt.date | None = None
) -> AnnualStatistics:
    """公布上年度行政执法数据 — by 31 January (configurable), generated from the data; late is recorded."""
    perms.require(actor, PUBLISH_STATS, AnnualStatistics(agency=agency))
    now = timezone.now()
    on = on or timezone.localdate(now)
    if year >= on.year:
        raise InvalidInput(
            "只能公布已结束年度的统计。", "Only a finished year can be published.", field="year"
        )
    if AnnualStatistics.objects.filter(agency=agency, year=year).exists():
        raise _refuse("stats_already_published", f"{year} 年度统计已公布。", f"{year} is already published.")
    due = stats_due(agency, year)
    stats = AnnualStatistics.objects.create(
        agency=agency,
        year=year,
        due_on=due,
        data=annual_figures(agency, year),
        published_at=now,
        published_by=actor,
        published_late=on > due,
    )
    record_append(
        actor=actor,
        action="disclosure.annual_stats",
        obj=stats,
        changes={"year": year, "due_on": due.isoformat(), "late": stats.published_late},
    )
    return stats
