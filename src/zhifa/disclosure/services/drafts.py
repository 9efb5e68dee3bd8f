"""公开草稿: the obligation created from a decision, a document or an inspection, the draft's fields and body,
and the sweep.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from zhifa.cases.models import (
    Case,
    CaseDocument,
    DocumentStatus,
    DocumentType,
    EnforcementDemand,
    PartyRole,
    PenaltyKind,
    Seizure,
    SeizureKind,
    Stage,
)
from zhifa.core import clock
from zhifa.core.transactions import service
from zhifa.disclosure.models import Publication, PublicationStatus, ResultKind
from zhifa.disclosure.privacy import mask_person_name, party_display, scrub_text
from zhifa.disclosure.services._common import (
    CASE,
    ENFORCEMENT,
    INSPECTION,
    LICENSING,
    SECRET_REMOVED,
    SEIZURE,
    index_publication,
)
from zhifa.disclosure.services.deadlines import publication_due, set_period
from zhifa.disclosure.services.impact import apply_default
from zhifa.inspections.models import Inspection, InspectionStatus
from zhifa.org.models import Agency, PartyKind, User
from zhifa.records.services import record_append
from zhifa.search.services import remove_document


def _yuan(value: Decimal | None) -> str:
    return f"{value:,.2f} 元" if value else ""


def _apply_redactions(text: str, redactions: list[dict[str, str]]) -> str:
    for item in sorted(redactions, key=lambda r: len(r.get("text", "")), reverse=True):
        if item.get("text"):
            text = text.replace(item["text"], SECRET_REMOVED)
    return text


def _compose_licensing_body(p: Publication, agency: Agency) -> str:
    who = p.party_name + (f"（统一社会信用代码：{p.party_uscc}）" if p.party_uscc else "")
    lines = [
        f"许可机关：{agency.name}",
        f"行政许可决定文书：{p.decision_document_name}（{p.document_number}）",
        f"行政相对人：{who}",
    ]
    if p.legal_representative:
        lines.append(f"法定代表人（负责人）：{p.legal_representative}")
    lines.append(f"许可类别：{p.get_licence_category_display()}")
    if p.licence_name:
        lines.append(f"许可证书名称：{p.licence_name}")
    if p.content:
        lines.append(f"许可内容：{p.content}")
    validity = (
        f"{p.valid_from:%Y年%m月%d日}至{p.valid_to:%Y年%m月%d日}" if p.valid_from and p.valid_to else ""
    )
    if validity:
        lines.append(f"有效期：{validity}")
    lines.append(f"许可决定日期：{p.decided_on:%Y年%m月%d日}")
    if p.remarks:
        lines.append(f"备注：{p.remarks}")
    return "\n".join(lines)


def _compose_body(p: Publication, agency: Agency) -> str:
    if p.kind == ResultKind.LICENSING:
        # 许可编号 is shown beside the text (privacy.scrub_code), not in it: the body is scrubbed with
        # scrub_text on the way out, which would blank a licence number's long run of digits.
        return _compose_licensing_body(p, agency)
    lines = [f"执法主体：{agency.name}"]
    if p.document_number:
        lines.append(f"决定书文号：{p.document_number}")
    who = p.party_name + (f"（统一社会信用代码：{p.party_uscc}）" if p.party_uscc else "")
    lines.append(f"当事人：{who}")
    if p.legal_representative:
        lines.append(f"法定代表人（负责人）：{p.legal_representative}")
    labels: dict[str, str] = {ResultKind.INSPECTION: "检查情况", ResultKind.COMPULSION: "案由及事实"}
    label = labels.get(p.kind, "违法事实")
    if p.facts:
        lines.append(f"{label}：{p.facts}")
    if p.basis:
        lines.append(f"依据：{p.basis}")
    if p.content:
        result: dict[str, str] = {
            ResultKind.INSPECTION: "检查结论：",
            ResultKind.COMPULSION: "行政强制内容：",
        }
        lines.append(result.get(p.kind, "处理结果：") + p.content)
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


def _decision_number(case: Any, kind: str) -> str:
    """决定书文号 — the number of the issued 行政处罚决定书 (不予行政处罚决定书), never the 立案 number; empty
    while the document is not issued yet (it is looked up again when the publication is approved)."""
    doc_type = DocumentType.NOT_PUNISH_DECISION if kind == ResultKind.NOT_PUNISH else DocumentType.DECISION
    return (
        CaseDocument.objects.filter(case=case, doc_type=doc_type, status=DocumentStatus.ISSUED)
        .order_by("-id")
        .values_list("number", flat=True)
        .first()
    ) or ""


def _compulsion_number(p: Publication) -> str:
    """The number of the issued 查封（扣押）决定书 of the measure, or of the 强制执行申请书 of the case."""
    if p.source_type == SEIZURE:
        docs = CaseDocument.objects.filter(
            seizure_id=int(p.source_id), doc_type=DocumentType.SEIZURE_DECISION
        )
    else:
        demand = EnforcementDemand.objects.only("case_id").get(pk=int(p.source_id))
        docs = CaseDocument.objects.filter(case_id=demand.case_id, doc_type=DocumentType.COURT_APPLICATION)
    return (
        docs.filter(status=DocumentStatus.ISSUED).order_by("-id").values_list("number", flat=True).first()
        or ""
    )


def _refresh_decision_number(p: Publication) -> None:
    """The decision document is issued after the decision (and so after the draft): take its number now."""
    if p.source_type in (SEIZURE, ENFORCEMENT):
        number = _compulsion_number(p)[:80]
    elif p.source_type != CASE or p.kind not in (ResultKind.PENALTY, ResultKind.NOT_PUNISH):
        return
    else:
        number = _decision_number(_source(p), p.kind)[:80]
    if number and number != p.document_number:
        p.document_number = number
        p.body = _apply_redactions(_compose_body(p, p.agency), p.redactions)


def _case_fields(case: Any, kind: str) -> dict[str, Any]:
    parties = [link.party for link in case.party_links.select_related("party").order_by("id")]
    main = next(
        (link.party for link in case.party_links.filter(role=PartyRole.PARTY).select_related("party")), None
    )
    names, addresses = _private_of(parties)

    def clean(text: str) -> str:
        return scrub_text(text or "", person_names=names, addresses=addresses)

    number = _decision_number(case, kind)
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


def _main_party(case: Any) -> Any:
    return next(
        (link.party for link in case.party_links.filter(role=PartyRole.PARTY).select_related("party")), None
    )


def _case_cleaner(case: Any) -> Any:
    parties = [link.party for link in case.party_links.select_related("party").order_by("id")]
    names, addresses = _private_of(parties)

    def clean(text: str) -> str:
        return scrub_text(text or "", person_names=names, addresses=addresses)

    return clean


def _seizure_fields(seizure: Any) -> dict[str, Any]:
    """查封/扣押 decision (行政强制法 第九条第二项、第二十四条): what, where the law allows it, until when."""
    case = seizure.case
    clean = _case_cleaner(case)
    measure = seizure.get_kind_display()
    items = "、".join(str(i) for i in seizure.items)
    parts = [f"{measure}：{items}"]
    if seizure.value_yuan is not None:
        parts.append(f"涉案财物估值 {_yuan(seizure.value_yuan)}")
    if seizure.place:
        parts.append(f"{measure}地点：{seizure.place}")
    parts.append(f"{measure}期限自 {seizure.decided_on:%Y年%m月%d日} 至 {seizure.due_on:%Y年%m月%d日}")
    number = (
        CaseDocument.objects.filter(
            seizure=seizure, doc_type=DocumentType.SEIZURE_DECISION, status=DocumentStatus.ISSUED
        )
        .order_by("-id")
        .values_list("number", flat=True)
        .first()
        or ""
    )
    return {
        **_party_fields(_main_party(case)),
        "title": clean(f"{case.title}（{measure}决定）")[:300],
        "document_number": number[:80],
        "facts": clean(case.facts or case.title),
        "basis": clean(case.legal_basis or "《中华人民共和国行政强制法》第九条、第二十二条至第二十八条"),
        "penalty_kinds": [],
        "content": clean("；".join(parts) + "。"),
        "fine_yuan": None,
        "confiscation_yuan": None,
    }


def _enforcement_fields(demand: Any) -> dict[str, Any]:
    """申请人民法院强制执行 (行政强制法 第五十三条、第五十四条): the decision to enforce after a 催告."""
    case = demand.case
    clean = _case_cleaner(case)
    amount = f"，催告履行金额 {_yuan(demand.amount_yuan)}" if demand.amount_yuan else ""
    applied = demand.court_applied_on
    content = (
        f"当事人在法定期限内不申请行政复议或者提起行政诉讼，又不履行行政决定；经 {demand.demand_served_on:%Y年%m月%d日}"
        f" 催告{amount}，逾期仍未履行，本机关于 {applied:%Y年%m月%d日} 向{demand.court_name}申请强制执行。"
    )
    number = (
        CaseDocument.objects.filter(
            case=case, doc_type=DocumentType.COURT_APPLICATION, status=DocumentStatus.ISSUED
        )
        .order_by("-id")
        .values_list("number", flat=True)
        .first()
        or ""
    )
    return {
        **_party_fields(_main_party(case)),
        "title": clean(f"{case.title}（申请人民法院强制执行）")[:300],
        "document_number": number[:80],
        "facts": clean(case.facts or case.title),
        "basis": "《中华人民共和国行政强制法》第五十三条、第五十四条",
        "penalty_kinds": [],
        "content": clean(content),
        "fine_yuan": None,
        "confiscation_yuan": None,
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
        return Case.objects.select_related("agency").get(pk=p.source_id)
    if p.source_type == SEIZURE:
        return Seizure.objects.select_related("case__agency").get(pk=p.source_id)
    if p.source_type == ENFORCEMENT:
        return EnforcementDemand.objects.select_related("case__agency").get(pk=p.source_id)
    return Inspection.objects.select_related("party", "item", "agency").get(pk=p.source_id)


def _fill(p: Publication) -> None:
    if p.source_type == LICENSING:
        # No source in zhifa to regenerate from: the imported (already desensitised) fields are the source.
        for name in ("title", "content", "licence_name", "remarks"):
            setattr(p, name, _apply_redactions(getattr(p, name), p.redactions))
        p.body = _apply_redactions(_compose_body(p, p.agency), p.redactions)
        return
    source = _source(p)
    builders = {
        CASE: lambda: _case_fields(source, p.kind),
        SEIZURE: lambda: _seizure_fields(source),
        ENFORCEMENT: lambda: _enforcement_fields(source),
    }
    fields = builders.get(p.source_type, lambda: _inspection_fields(source))()
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
    actor: User | None,
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
    apply_default(p)  # 行政处罚法 第四十八条: published only with 一定社会影响 (the region's rule)
    p.save()
    changes: dict[str, Any] = {
        "source": f"{source_type}:{source_id}",
        "kind": kind,
        "decided_on": on.isoformat(),
        "due_on": p.due_on.isoformat() if p.due_on else None,
    }
    if p.withheld:
        changes["withheld"] = p.withheld_reason
    record_append(actor=actor, action="disclosure.obligation", obj=p, changes=changes)
    return p


def on_case_decided(case: Any, *, code: str, actor: User, on: dt.date, changes: dict[str, Any]) -> None:
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


def on_seizure_decided(case: Any, *, code: str, actor: User, on: dt.date, changes: dict[str, Any]) -> None:
    """cases.hooks after ``seizure_decide`` / ``seizure_approve``: a 查封 or 扣押 decided with the head's approval
    (行政强制法 第十八条; an emergency one once approved, 第十九条) is a 行政强制 result to publish (seed 001).
    先行登记保存 is evidence-taking (行政处罚法 第五十六条), not a compulsory measure: not published."""
    if code == "seizure_approve" and not changes.get("approve"):
        return
    seizure = Seizure.objects.filter(pk=int(changes.get("seizure_id") or 0)).first()
    if seizure is None or seizure.kind == SeizureKind.PRESERVE or seizure.approved_by_id is None:
        return
    if Publication.objects.filter(source_type=SEIZURE, source_id=str(seizure.pk)).exists():
        return
    _create(
        source_type=SEIZURE,
        source_id=str(seizure.pk),
        kind=ResultKind.COMPULSION,
        agency=case.agency,
        domain_id=case.domain_id,
        on=on,
        actor=actor,
    )


def on_court_applied(case: Any, *, code: str, actor: User, on: dt.date, changes: dict[str, Any]) -> None:
    """cases.hooks after ``court_application``: 申请人民法院强制执行 is the agency's 行政强制执行 decision on the case
    (行政强制法 第五十三条) — a 行政强制 result to publish (seed 001)."""
    demand = EnforcementDemand.objects.filter(case=case).first()
    if demand is None or demand.court_applied_on is None:
        return
    if Publication.objects.filter(source_type=ENFORCEMENT, source_id=str(demand.pk)).exists():
        return
    _create(
        source_type=ENFORCEMENT,
        source_id=str(demand.pk),
        kind=ResultKind.COMPULSION,
        agency=case.agency,
        domain_id=case.domain_id,
        on=on,
        actor=actor,
    )


def on_decision_document_issued(
    case: Any, *, code: str, actor: User, on: dt.date, changes: dict[str, Any]
) -> None:
    """cases.hooks after ``document_issue``: a 行政处罚决定书 (不予行政处罚决定书) issued after its publication was
    drafted — or published — gives the publication its 文号 at once; a published one is re-indexed and the
    change recorded (the portal shows （决定书尚未编号） no longer)."""
    doc_type = changes.get("doc_type")
    if doc_type == DocumentType.SEIZURE_DECISION and changes.get("seizure_id"):
        source = (SEIZURE, str(changes["seizure_id"]))
    elif doc_type == DocumentType.COURT_APPLICATION:
        demand = EnforcementDemand.objects.filter(case=case).only("pk").first()
        if demand is None:
            return
        source = (ENFORCEMENT, str(demand.pk))
    elif doc_type in ("decision", "not_punish_decision"):
        source = (CASE, str(case.pk))
    else:
        return
    p = (
        Publication.objects.select_for_update()
        .filter(source_type=source[0], source_id=source[1])
        .exclude(status=PublicationStatus.WITHDRAWN)
        .first()
    )
    if p is None or p.status == PublicationStatus.REPAIRED:
        return
    old = p.document_number
    _refresh_decision_number(p)
    if p.document_number == old:
        return
    p.save(update_fields=["document_number", "body", "updated_at"])
    if p.status == PublicationStatus.PUBLISHED:
        index_publication(p)
        record_append(
            actor=actor,
            action="disclosure.renumber",
            obj=p,
            changes={"document_number": [old, p.document_number], "on": on.isoformat()},
        )


def _sweep_compulsion() -> int:
    """查封/扣押 decisions and court applications made before compulsion results were published."""
    count = 0
    known = Publication.objects.filter(source_type=SEIZURE).values_list("source_id", flat=True)
    seizures = (
        Seizure.objects.filter(kind__in=[SeizureKind.SEAL, SeizureKind.DETAIN], approved_by__isnull=False)
        .exclude(pk__in=[int(k) for k in known])
        .select_related("case__agency__region")
    )
    for seizure in seizures.iterator(chunk_size=500):
        case = seizure.case
        _create(
            source_type=SEIZURE,
            source_id=str(seizure.pk),
            kind=ResultKind.COMPULSION,
            agency=case.agency,
            domain_id=case.domain_id,
            on=seizure.approved_on or seizure.decided_on,
            actor=None,
        )
        count += 1
    known = Publication.objects.filter(source_type=ENFORCEMENT).values_list("source_id", flat=True)
    demands = (
        EnforcementDemand.objects.filter(court_applied_on__isnull=False)
        .exclude(pk__in=[int(k) for k in known])
        .select_related("case__agency__region")
    )
    for demand in demands.iterator(chunk_size=500):
        assert demand.court_applied_on is not None  # the filter
        _create(
            source_type=ENFORCEMENT,
            source_id=str(demand.pk),
            kind=ResultKind.COMPULSION,
            agency=demand.case.agency,
            domain_id=demand.case.domain_id,
            on=demand.court_applied_on,
            actor=None,
        )
        count += 1
    return count


@service
def disclosure_sweep(*, today: dt.date | None = None) -> dict[str, int]:
    """Find enforcement results that have no publication yet (inspection results; decisions made before this
    app was installed) and create their obligations. Idempotent; run daily (``zhifa disclosure_sweep``)."""
    created = {"inspection": 0, "penalty": 0, "not_punish": 0, "compulsion": 0, "due_filled": 0}
    known = Publication.objects.filter(source_type=INSPECTION).values_list("source_id", flat=True)
    inspections = (
        Inspection.objects.filter(status=InspectionStatus.DONE, result_at__isnull=False)
        .exclude(pk__in=[int(k) for k in known])
        .select_related("agency__region", "item", "party")
    )
    for inspection in inspections.iterator(chunk_size=500):
        on = inspection.inspected_on or clock.business_date(inspection.result_at)
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
    created["compulsion"] = _sweep_compulsion()
    # 公示期限 of a publication published before periods existed; and one past its period leaves the index
    # (the public selectors already hide it by the clock; the index follows here)
    today = today or clock.today()
    created["period_filled"] = created["expired_unindexed"] = 0
    for p in Publication.objects.filter(status=PublicationStatus.PUBLISHED, period_tier="").select_related(
        "agency__region"
    ):
        p.save(update_fields=[*set_period(p), "updated_at"])
        created["period_filled"] += 1
    for pk in Publication.objects.filter(
        status=PublicationStatus.PUBLISHED, expires_on__lt=today
    ).values_list("pk", flat=True):
        created["expired_unindexed"] += remove_document("disclosure.publication", pk)
    # A deadline left empty because the holiday schedule was missing is computed once it is entered.
    for p in Publication.objects.filter(due_on__isnull=True).select_related("agency__region"):
        p.due_on = publication_due(p.agency, p.kind, p.decided_on)
        if p.due_on:
            p.save(update_fields=["due_on", "updated_at"])
            created["due_filled"] += 1
    return created
