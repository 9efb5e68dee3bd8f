"""公示的生命周期: the period a publication stays public (公示期限), its correction (更正) and 信用修复.

Rules as implemented (sources in docs/disclosure.md):

* 公示期限 — 国家发展改革委《失信行为纠正后的信用信息修复管理办法（试行）》(2023, 令第58号) and
  《信用修复管理办法》(2025, from 2026-04-01): 一般失信 最短公示期 3 个月、最长 1 年; 严重失信 最短 1 年、最长 3 年;
  轻微 (警告、通报批评、较低数额罚款) 最长 3 个月 and 法定责任履行完毕即可申请修复; 最长公示期届满后自动停止公示.
  发改办财金〔2019〕527号: counted from the day of the decision. Every number is a ``DisclosureRule`` field.
  The publication keeps ``expires_on`` (its last public day) and ``repair_from``, computed when it is
  published; the public selectors filter by the project clock, so nothing has to run on the day.
* 更正 — a published decision with a wrong text, or a decision changed (行政处罚法 第四十八条第二款), is withdrawn
  (kind 更正, the reason kept and public) and a new draft with the corrected text is created at once; it goes
  through preview and approval like any other and, once published, says 已更正 with the reason and date.
* 信用修复 — the party applies after the minimum period with proof of performance; the agency that published
  grants (the publication stops at once: off the portal, the index, the feeds and the exports) or refuses
  with a reason. Both are on the ledger.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from zhifa.core import clock, flags
from zhifa.core.errors import InvalidInput, NotFound
from zhifa.core.transactions import service
from zhifa.disclosure.models import (
    CreditRepair,
    CreditRepairFile,
    Publication,
    PublicationStatus,
    RepairStatus,
    WithdrawKind,
)
from zhifa.disclosure.rules import REPAIR, WITHDRAW
from zhifa.disclosure.selectors import party_usccs, repair_flag
from zhifa.disclosure.services._common import LICENSING
from zhifa.disclosure.services.deadlines import publication_due
from zhifa.disclosure.services.drafts import _fill
from zhifa.disclosure.services.withdrawals import _withdraw
from zhifa.disclosure.services.workflow import _locked, _reason, _refuse, _require_status
from zhifa.evidence.formats import detect
from zhifa.org import permissions as perms
from zhifa.org.models import User
from zhifa.records.services import record_append
from zhifa.search.services import remove_document

# --- 更正 ---------------------------------------------------------------------------------------------------------


def _republish(old: Publication, *, actor: User, reason: str) -> Publication:
    """The corrected draft: regenerated from its case or inspection (an imported licence decision: copied)."""
    today = clock.today()
    new = Publication(
        source_type=old.source_type,
        source_id=old.source_id,
        kind=old.kind,
        agency=old.agency,
        domain_id=old.domain_id,
        decided_on=old.decided_on,
        # the corrected text is due within the same number of working days, counted from the correction
        due_on=publication_due(old.agency, old.kind, today),
        redactions=list(old.redactions),
        corrects=old,
    )
    if old.source_type == LICENSING:
        for name in (
            "title",
            "document_number",
            "party_name",
            "party_kind",
            "party_uscc",
            "legal_representative",
            "facts",
            "basis",
            "content",
            "decision_document_name",
            "licence_category",
            "licence_name",
            "licence_number",
            "valid_from",
            "valid_to",
            "remarks",
        ):
            setattr(new, name, getattr(old, name))
    _fill(new)
    new.save()
    record_append(
        actor=actor,
        action="disclosure.correct",
        obj=new,
        changes={
            "corrects": old.pk,
            "reason": reason,
            "due_on": new.due_on.isoformat() if new.due_on else None,
        },
    )
    return new


@service
def publication_correct(*, actor: User, publication: Publication | int, reason: str) -> Publication:
    """更正 — the published text is withdrawn (kind 更正, the reason public) and a corrected draft is created for
    preview and approval; returns the new draft."""
    p = _locked(publication)
    perms.require(actor, WITHDRAW, p)
    reason = _reason(reason)
    _require_status(p, PublicationStatus.PUBLISHED)
    _withdraw(p, actor=actor, kind=WithdrawKind.CORRECTED, reason=reason)
    return _republish(p, actor=actor, reason=reason)


def correct_for_changed_decision(p: Publication, *, actor: User, reason: str) -> Publication:
    """cases → disclosure: a published decision that was changed (行政处罚法 第四十八条第二款) is withdrawn at once
    with the change as its reason, and the changed decision drafted for publication in its place."""
    _withdraw(p, actor=actor, kind=WithdrawKind.CORRECTED, reason=reason)
    return _republish(p, actor=actor, reason=reason)


# --- 信用修复 -----------------------------------------------------------------------------------------------------

MAX_FILES = 5
MAX_FILE_BYTES = 5 * 1024 * 1024
ACCEPTED = {"application/pdf": "PDF", "image/jpeg": "JPEG", "image/png": "PNG"}
MAX_STATEMENT = 2000


@dataclass(frozen=True)
class Eligibility:
    ok: bool
    message: str
    from_date: dt.date | None = None


def repair_eligibility(p: Publication, today: dt.date) -> Eligibility:
    """Whether the party may apply today, and if not why (and from when)."""
    if p.status != PublicationStatus.PUBLISHED:
        return Eligibility(False, f"该公示信息当前为“{p.get_status_display()}”，无须申请信用修复。")
    if p.expired(today):
        return Eligibility(False, "该公示信息已到公示期限，已停止公示，无须申请信用修复。")
    if p.repair_from is None:
        return Eligibility(False, "该类公示信息不适用信用修复。")
    if today < p.repair_from:
        # 最短公示期届满后，方可申请信用修复
        return Eligibility(
            False,
            f"最短公示期未满，自 {p.repair_from:%Y年%m月%d日} 起可申请信用修复。",
            p.repair_from,
        )
    return Eligibility(True, "", p.repair_from)


@dataclass(frozen=True)
class ProofFile:
    name: str
    data: bytes


def _checked_files(files: Iterable[ProofFile]) -> list[tuple[ProofFile, str]]:
    files = list(files)
    if not files:
        raise InvalidInput(
            "请上传履行完毕的证明材料（缴款凭证、整改报告等）。",
            "Attach proof of performance.",
            field="files",
        )
    if len(files) > MAX_FILES:
        raise InvalidInput(f"证明材料最多 {MAX_FILES} 个文件。", f"At most {MAX_FILES} files.", field="files")
    checked = []
    for f in files:
        if not f.data:
            raise InvalidInput(f"文件“{f.name[:50]}”为空。", "An empty file.", field="files")
        if len(f.data) > MAX_FILE_BYTES:
            raise InvalidInput(
                f"文件“{f.name[:50]}”超过 5 MB。", "A file is larger than 5 MB.", field="files"
            )
        found = detect(f.data[:4096])
        mime = found.mime if found is not None else ""
        if mime not in ACCEPTED:
            raise InvalidInput(
                f"文件“{f.name[:50]}”不是 PDF、JPEG 或 PNG（按文件内容识别）。",
                "Only PDF, JPEG or PNG files (by content).",
                field="files",
            )
        checked.append((f, mime))
    return checked


@service
def credit_repair_apply(
    *, actor: User, publication: Publication | int, statement: str, files: Iterable[ProofFile]
) -> CreditRepair:
    """申请信用修复 — by the enterprise the publication names, after the minimum period, with proof."""
    p = _locked(publication)
    # an enterprise applies for its own publications only: any other is missing to it
    if not p.party_uscc or p.party_uscc not in party_usccs(actor):
        raise NotFound("公示事项不存在。", "Publication not found.", code="publication_not_found")
    statement = (statement or "").strip()
    if not statement:
        raise InvalidInput("请说明履行情况。", "Describe how the duties were performed.", field="statement")
    if len(statement) > MAX_STATEMENT:
        raise InvalidInput(
            f"履行情况说明过长（最多 {MAX_STATEMENT} 字）。", "The statement is too long.", field="statement"
        )
    checked = _checked_files(files)
    today = clock.today()
    eligible = repair_eligibility(p, today)
    if not eligible.ok:
        raise _refuse(
            "repair_not_eligible", eligible.message, "Credit repair is not open for this publication."
        )
    if p.repairs.filter(status=RepairStatus.PENDING).exists():
        raise _refuse("repair_pending", "已有一份信用修复申请待决定。", "An application is already pending.")
    repair = CreditRepair.objects.create(
        publication=p, party_uscc=p.party_uscc, applicant=actor, applied_at=clock.now(), statement=statement
    )
    CreditRepairFile.objects.bulk_create(
        [
            CreditRepairFile(
                repair=repair,
                name=f.name[:200] or "证明材料",
                content_type=mime,
                size_bytes=len(f.data),
                sha256=hashlib.sha256(f.data).hexdigest(),
                content=f.data,
            )
            for f, mime in checked
        ]
    )
    flags.notify(repair_flag(repair))  # the agency's queue (and supervision's) at once
    record_append(
        actor=actor,
        action="disclosure.repair_apply",
        obj=p,
        changes={
            "repair": repair.pk,
            "files": len(checked),
            "sha256": [hashlib.sha256(f.data).hexdigest() for f, _ in checked],
        },
    )
    return repair


def _locked_repair(repair: CreditRepair | int) -> CreditRepair:
    pk = repair.pk if isinstance(repair, CreditRepair) else repair
    r = CreditRepair.objects.select_for_update().filter(pk=pk).first()
    if r is None:
        raise NotFound(
            "信用修复申请不存在。", "Credit repair application not found.", code="repair_not_found"
        )
    return r


@service
def credit_repair_decide(
    *, actor: User, repair: CreditRepair | int, grant: bool, reason: str = ""
) -> CreditRepair:
    """准予 / 不予信用修复 — by the agency that published; granted, the publication stops at once."""
    r = _locked_repair(repair)
    p = _locked(r.publication_id)
    # only the agency that published decides (another agency's head: refused, and the denial audited)
    perms.require(actor, REPAIR, p)
    if r.status != RepairStatus.PENDING:
        raise _refuse("repair_decided", "该申请已作出决定。", "The application was already decided.")
    reason = (reason or "").strip()
    if not grant:
        reason = _reason(reason)
    elif len(reason) > 500:
        raise InvalidInput("理由过长（最多 500 字）。", "The reason is too long.", field="reason")
    now = clock.now()
    if grant:
        eligible = repair_eligibility(p, clock.today())
        if p.status == PublicationStatus.PUBLISHED and not eligible.ok and eligible.from_date:
            raise _refuse("repair_not_eligible", eligible.message, "The minimum period has not ended.")
    r.status = RepairStatus.GRANTED if grant else RepairStatus.REFUSED
    r.decided_by, r.decided_at, r.decision_reason = actor, now, reason
    r.save(update_fields=["status", "decided_by", "decided_at", "decision_reason"])
    changes: dict[str, Any] = {"repair": r.pk, "granted": grant, "reason": reason}
    if grant and p.status == PublicationStatus.PUBLISHED:
        p.status, p.repaired_at = PublicationStatus.REPAIRED, now
        p.save(update_fields=["status", "repaired_at", "updated_at"])
        remove_document("disclosure.publication", p.pk)
        changes["status"] = ["published", "repaired"]
    record_append(
        actor=actor,
        action="disclosure.repair_grant" if grant else "disclosure.repair_refuse",
        obj=p,
        changes=changes,
    )
    return r
