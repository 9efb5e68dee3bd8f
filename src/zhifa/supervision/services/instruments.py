"""监督文书: issue 督办函 / 意见书 / 决定书, record the reply, review, void, open a problem from one."""

from __future__ import annotations

import datetime as dt
import hashlib

from zhifa.cases.services import document_seal_message
from zhifa.core import clock
from zhifa.core.errors import ConfigurationMissing, InvalidInput, RuleViolation
from zhifa.core.numbering import next_number
from zhifa.core.transactions import service
from zhifa.org import permissions as perms
from zhifa.org.models import Agency, Role, ScopeKind, User
from zhifa.records.services import record_append
from zhifa.records.signing import load_signing_key, sign
from zhifa.supervision.documents import DEFAULT_BASIS, render_instrument_pdf
from zhifa.supervision.models import (
    Instrument,
    InstrumentKind,
    InstrumentNumberCounter,
    InstrumentReply,
    InstrumentStatus,
    Problem,
    ProblemSource,
    ReplyDecision,
)
from zhifa.supervision.rules import RECTIFY, SUPERVISE
from zhifa.supervision.services._common import _agency, _text, today
from zhifa.supervision.services.problems import problem_open

NUMBER_WORD = {
    InstrumentKind.LETTER: "督",
    InstrumentKind.OPINION: "监意",
    InstrumentKind.DECISION: "监决",
    InstrumentKind.INSPECTION: "督查",
}


def _issuer_for(actor: User, agency: Agency, issuer: Agency | None) -> Agency:
    """The supervision organ (司法局) that issues: the given one, or the nearest above the agency in the
    actor's region. It must supervise the agency's region."""
    codes = [c for c in agency.region.path.strip("/").split("/") if c]
    organs = {
        a.region.path: a
        for a in Agency.objects.filter(is_supervision_organ=True, region__code__in=codes).select_related(
            "region"
        )
    }
    if issuer is not None:
        if issuer.pk not in {a.pk for a in organs.values()}:
            raise InvalidInput(
                "制发机关须为被监督机关所在区域的执法监督机构（司法局）。",
                "The issuer must be a supervision organ above the agency.",
                code="issuer_not_supervising",
                field="issuer",
            )
        return issuer
    region_grants = [
        g.region_path
        for g in perms.grants(actor)
        if g.role == Role.SUPERVISOR and g.scope == ScopeKind.REGION
    ]
    for path in sorted(organs, key=len, reverse=True):
        if getattr(actor, "is_superuser", False) or any(path.startswith(p) for p in region_grants if p):
            return organs[path]
    raise ConfigurationMissing(
        "未找到本区域的执法监督机构（司法局），请管理员在执法主体中标注。",
        "No supervision organ is configured for this region.",
        code="supervision_organ_missing",
    )


def _issue_number(issuer: Agency, kind: str, year: int) -> tuple[str, int]:
    """Gapless per issuing organ, kind and year, under a row lock; voided numbers keep their row."""
    last = next_number(InstrumentNumberCounter, issuer=issuer, kind=kind, year=year)
    prefix = issuer.short_name or issuer.name
    return f"{prefix}{NUMBER_WORD[InstrumentKind(kind)]}〔{year}〕{last}号", last


def _decision_grounds(agency: Agency, on: dt.date, major: bool) -> None:
    # 执法监督决定书: only where the problem is major or the agency refused to correct after a 督办函/意见书
    # (阜宁县《行政执法质量巩固年行动实施方案》, 2025: “涉及重大问题或者被监督机关拒不纠正的，报请县政府制发行政执法监督决定书”).
    if major:
        return
    ignored = Instrument.objects.filter(
        agency=agency,
        kind__in=[InstrumentKind.LETTER, InstrumentKind.OPINION],
        status__in=[InstrumentStatus.ISSUED, InstrumentStatus.RETURNED],
        deadline__lt=on,
    ).exists()
    if not ignored:
        raise RuleViolation(
            "执法监督决定书仅用于重大问题或被监督机关拒不纠正（督办函/意见书逾期未整改）的情形。",
            "A supervision decision needs a major problem or an ignored, overdue letter or opinion.",
            code="decision_needs_grounds",
        )


@service
def instrument_issue(
    *,
    actor: User,
    agency: Agency | int,
    kind: str,
    title: str,
    findings: str,
    requirements: str,
    deadline: dt.date | None,
    basis: str = "",
    major: bool = False,
    issuer: Agency | None = None,
    on: dt.date | None = None,
) -> Instrument:
    """制发监督文书 — 督办函 / 意见书 / 决定书 to an agency with a reply deadline, numbered, rendered, sealed."""
    on = on or today()
    agency = _agency(agency)
    perms.require(actor, SUPERVISE, Instrument(agency=agency))
    if kind not in InstrumentKind.values:
        raise InvalidInput("文书类型无效。", "Unknown instrument kind.", code="invalid_kind", field="kind")
    if deadline is None:
        raise InvalidInput(
            "监督文书必须载明答复（整改）期限。",
            "An instrument needs a reply deadline.",
            code="deadline_required",
            field="deadline",
        )
    if deadline <= on:
        raise InvalidInput(
            "答复期限须晚于制发日期。",
            "The deadline must follow the issue date.",
            code="deadline_not_after_issue",
            field="deadline",
        )
    if on > today():
        raise InvalidInput("制发日期不能晚于今天。", "The issue date is in the future.", field="on")
    if kind == InstrumentKind.DECISION:
        _decision_grounds(agency, on, major)
    issuer = _issuer_for(actor, agency, issuer)
    number, seq = _issue_number(issuer, kind, on.year)
    instrument = Instrument(
        kind=kind,
        issuer=issuer,
        agency=agency,
        year=on.year,
        seq=seq,
        number=number,
        title=_text(title, "title", "事由", 200),
        findings=_text(findings, "findings", "发现的问题", 10000),
        requirements=_text(requirements, "requirements", "监督意见/整改要求", 10000),
        basis=_text(basis, "basis", "依据", 300, required=False) or DEFAULT_BASIS,
        deadline=deadline,
        issued_on=on,
        issued_by=actor,
    )
    pdf = render_instrument_pdf(instrument)
    digest = hashlib.sha256(pdf).hexdigest()
    key = load_signing_key()
    instrument.pdf = pdf
    instrument.sha256 = digest
    instrument.signature = sign(key, document_seal_message(number, digest, issuer.name, on)).hex()
    instrument.public_key = key.public_key_raw.hex()
    instrument.save()
    record_append(
        actor=actor,
        action="supervision.instrument_issue",
        obj=instrument,
        changes={
            "kind": kind,
            "number": number,
            "agency_id": agency.pk,
            "issuer_id": issuer.pk,
            "deadline": deadline.isoformat(),
            "sha256": digest,
        },
    )
    return instrument


def _locked_instrument(instrument: Instrument | int) -> Instrument:
    pk = instrument.pk if isinstance(instrument, Instrument) else instrument
    return (
        Instrument.objects.select_for_update(of=("self",))
        .select_related("agency__region", "issuer")
        .get(pk=pk)
    )


@service
def instrument_reply(
    *, actor: User, instrument: Instrument | int, text: str, measures: str = ""
) -> InstrumentReply:
    """整改答复 — the agency answers with its rectification; each answer is a new round."""
    instrument = _locked_instrument(instrument)
    perms.require(actor, RECTIFY, instrument)
    if instrument.status not in (InstrumentStatus.ISSUED, InstrumentStatus.RETURNED):
        code = "reply_pending" if instrument.status == InstrumentStatus.REPLIED else "instrument_closed"
        raise RuleViolation(
            f"该文书{InstrumentStatus(instrument.status).label}，不能再答复。",
            f"The instrument is {instrument.status}; no reply now.",
            code=code,
        )
    round_no = instrument.replies.count() + 1
    reply = InstrumentReply.objects.create(
        instrument=instrument,
        round=round_no,
        text=_text(text, "text", "整改情况", 10000),
        measures=(measures or "").strip(),
        submitted_by=actor,
    )
    before = instrument.status
    instrument.status = InstrumentStatus.REPLIED
    instrument.save(update_fields=["status"])
    record_append(
        actor=actor,
        action="supervision.instrument_reply",
        obj=instrument,
        changes={
            "round": round_no,
            "status": [before, instrument.status],
            "late": clock.today() > instrument.deadline,
        },
    )
    return reply


@service
def instrument_review(
    *, actor: User, instrument: Instrument | int, accept: bool, note: str = ""
) -> Instrument:
    """审查答复 — accept (办结) or send back (退回重报, with the reason); every round is kept."""
    instrument = _locked_instrument(instrument)
    perms.require(actor, SUPERVISE, instrument)
    if instrument.status != InstrumentStatus.REPLIED:
        raise RuleViolation(
            "被监督机关尚未答复。", "No reply is waiting for review.", code="no_reply_pending"
        )
    reply = instrument.replies.select_for_update().order_by("-round").first()
    assert reply is not None
    note = _text(note, "note", "审查意见", 500, required=not accept)
    reply.decision = ReplyDecision.ACCEPTED if accept else ReplyDecision.RETURNED
    reply.decision_note, reply.decided_by, reply.decided_at = note, actor, clock.now()
    reply.save(update_fields=["decision", "decision_note", "decided_by", "decided_at"])
    instrument.status = InstrumentStatus.ACCEPTED if accept else InstrumentStatus.RETURNED
    instrument.closed_on = today() if accept else None
    instrument.save(update_fields=["status", "closed_on"])
    record_append(
        actor=actor,
        action="supervision.instrument_review",
        obj=instrument,
        changes={
            "round": reply.round,
            "accept": accept,
            "note": note,
            "status": [InstrumentStatus.REPLIED, instrument.status],
        },
    )
    return instrument


@service
def instrument_void(*, actor: User, instrument: Instrument | int, reason: str) -> Instrument:
    """作废 — the number stays recorded as voided and is never issued again."""
    instrument = _locked_instrument(instrument)
    perms.require(actor, SUPERVISE, instrument)
    if instrument.status in (InstrumentStatus.VOIDED, InstrumentStatus.ACCEPTED):
        raise RuleViolation("该文书已作废或已办结。", "Already voided or closed.", code="instrument_closed")
    reason = _text(reason, "reason", "作废理由", 300)
    before = instrument.status
    instrument.status, instrument.void_reason, instrument.voided_on = InstrumentStatus.VOIDED, reason, today()
    instrument.save(update_fields=["status", "void_reason", "voided_on"])
    record_append(
        actor=actor,
        action="supervision.instrument_void",
        obj=instrument,
        changes={"number": instrument.number, "reason": reason, "status": [before, InstrumentStatus.VOIDED]},
    )
    return instrument


def instrument_open_problem(
    *,
    actor: User,
    instrument: Instrument,
    title: str,
    description: str = "",
    category: str = "",
    due: dt.date | None = None,
) -> Problem:
    """监督文书所列问题入台账 — a problem from the instrument (source ``instrument``, ref its number)."""
    return problem_open(
        actor=actor,
        agency=instrument.agency,
        source_kind=ProblemSource.INSTRUMENT,
        source_ref=instrument.number,
        title=title,
        description=description or instrument.findings,
        category=category,
        due=due or (instrument.deadline if instrument.deadline >= today() else None),
    )
