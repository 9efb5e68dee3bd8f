"""State changes of evidence: store an upload, record a retrieval (调阅), resumable uploads.

Each writes its rows and its ledger entry in one transaction. The blob is put into storage *before* that
transaction: copying a 2 GiB video must not hold the database's write lock, and a blob left behind by a
failed transaction is harmless (content-addressed; the next identical upload links to it).
"""

from __future__ import annotations

import datetime as dt
import os
import uuid
from pathlib import Path
from typing import Any

from django.apps import apps
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from zhifa.core.errors import InvalidInput, NotFound, RuleViolation
from zhifa.evidence import rules, targets
from zhifa.evidence.formats import ACCEPTED_FORMATS, detect, kind_matches
from zhifa.evidence.models import (
    PURPOSES_NEEDING_REASON,
    AccessLog,
    AccessPurpose,
    Evidence,
    EvidenceKind,
    Stage,
    UploadSession,
)
from zhifa.evidence.storage import content_address, evidence_storage
from zhifa.evidence.uploads import (
    HashedLocalFile,
    HashedUploadedFile,
    hashed_file_at,
    max_upload_bytes,
    too_large_error,
)
from zhifa.org import permissions as perms
from zhifa.org.models import Agency, ScopeKind, User
from zhifa.records.services import record_append


def _choice(value: str, choices: Any, field: str, label: str) -> str:
    if value not in choices.values:
        allowed = "、".join(str(c.label) for c in choices)
        raise InvalidInput(
            f"{label}无效：{value!r}（可选：{allowed}）。", f"Invalid {field}: {value!r}.", field=field
        )
    return value


def resolve_object(object_type: str, object_id: str) -> Any:
    """The model instance an ``object_type`` ("app_label.model") and ``object_id`` name, or InvalidInput."""
    try:
        model = apps.get_model(object_type)
    except (LookupError, ValueError):
        raise InvalidInput(
            f"所属对象类型无效：{object_type!r}。",
            f"Unknown object type {object_type!r}.",
            field="object_type",
        ) from None
    try:
        obj = model._default_manager.filter(pk=object_id).first()
    except (ValueError, TypeError, ValidationError):
        obj = None
    if obj is None:
        raise NotFound(
            f"所属对象不存在：{object_type} #{object_id}。",
            f"No {object_type} with id {object_id}.",
            code="object_not_found",
        )
    return obj


def uploader_agency(user: User) -> Agency:
    """The agency an upload belongs to: the uploader's own (officer record, else the one agency they act for)."""
    officer = getattr(user, "officer", None) if getattr(user, "is_authenticated", False) else None
    if officer is not None:
        return officer.agency
    agency_ids = set(
        user.role_assignments.filter(scope__in=[ScopeKind.OWN_AGENCY, ScopeKind.AGENCY_TREE]).values_list(
            "agency_id", flat=True
        )
    )
    if len(agency_ids) == 1:
        return Agency.objects.get(pk=agency_ids.pop())
    raise RuleViolation(
        "无法确定证据所属的执法主体，请指定执法主体。",
        "The owning agency of this evidence cannot be determined; give one.",
        code="evidence_agency_unknown",
        field="agency",
    )


def _filing_agency(actor: User, object_type: str, object_id: str, agency: Agency | None) -> Agency:
    """The agency new evidence of the object is filed under, after checking the actor may attach it there.

    The object must be of a kind that takes evidence (else 422) and within the actor's scope (else 404, as
    if missing: no existence oracle across counties). Evidence of an object that belongs to an agency is
    filed under that agency; of any other (a party), under the uploader's own.
    """
    target = targets.target_for(object_type)
    if target is not None and target.party_actions and not perms.can(actor, rules.ADD_EVIDENCE):
        # 当事人提交的材料: the party attaches to its own object, filed under the object's agency
        obj, target = targets.attachable_object(actor, object_type, object_id)
        party_agency_id = targets.object_agency_id(obj, target)
        if party_agency_id is not None and targets.submitted_by_party(actor, obj, target):
            if not getattr(obj, "takes_party_files", True):
                raise RuleViolation(
                    "该事项已办结，不能再补充材料。",
                    "The object no longer takes files.",
                    code="closed_for_files",
                )
            return Agency.objects.get(pk=party_agency_id)
    perms.require(actor, rules.ADD_EVIDENCE)
    obj, target = targets.attachable_object(actor, object_type, object_id)
    own_agency_id = targets.object_agency_id(obj, target)
    if own_agency_id is not None:
        agency = Agency.objects.get(pk=own_agency_id)
    else:
        agency = agency or uploader_agency(actor)
    perms.require(actor, rules.ADD_EVIDENCE, Evidence(agency=agency))
    return agency


def _check_content(upload: HashedUploadedFile | HashedLocalFile, kind: str) -> str:
    """The detected content type; refuses an empty, oversized or mislabelled file."""
    if upload.size == 0:
        raise InvalidInput(
            "证据文件为空，未保存。", "The evidence file is empty; nothing was stored.", code="evidence_empty"
        )
    limit = max_upload_bytes()
    if upload.size > limit:
        raise too_large_error(limit)
    detected = detect(upload.head)
    if not kind_matches(kind, detected):
        label = EvidenceKind(kind).label
        found = detected.mime if detected is not None else "无法识别"
        raise InvalidInput(
            f"文件内容与声明的证据类型“{label}”不符（识别为：{found}），未保存。"
            f"{label}可接受的格式：{ACCEPTED_FORMATS[kind]}。",
            f"The file content ({found}) does not match the declared kind {kind}; nothing was stored.",
            code="evidence_type_mismatch",
            field="file",
        )
    return detected.mime if detected is not None else "application/octet-stream"


def evidence_store(
    *,
    actor: User,
    upload: HashedUploadedFile | HashedLocalFile,
    kind: str,
    object_type: str,
    object_id: str,
    stage: str,
    description: str = "",
    captured_at: dt.datetime | None = None,
    place: str = "",
    agency: Agency | None = None,
) -> Evidence:
    """存证 — keep one uploaded file as evidence of an object, once per content, and record it in the ledger.

    Refusals (too large, empty, wrong type, no permission) store nothing. The upload's temporary file is
    closed (and so removed) either way.
    """
    try:
        object_id = str(object_id).strip()
        _choice(kind, EvidenceKind, "kind", "证据类型")
        _choice(stage, Stage, "stage", "执法环节")
        if captured_at is not None and timezone.is_naive(captured_at):
            raise InvalidInput(
                "拍摄时间须带时区。", "captured_at must be timezone-aware.", field="captured_at"
            )
        agency = _filing_agency(actor, object_type, object_id, agency)
        content_type = _check_content(upload, kind)
        key = content_address(upload.sha256)
        storage = evidence_storage()
        if storage.exists(key):
            if storage.size(key) != upload.size:
                raise RuleViolation(
                    f"已存证文件 {key} 与本次上传大小不一致，拒绝关联。",
                    f"The stored blob {key} differs in size from this upload.",
                    code="evidence_blob_conflict",
                )
        else:
            storage.save(key, upload)
        filename = (upload.name or "")[:255]
        with transaction.atomic():
            evidence = Evidence.objects.create(
                kind=kind,
                original_filename=filename,
                content_type=content_type,
                size_bytes=upload.size,
                sm3=upload.sm3,
                sha256=upload.sha256,
                storage_key=key,
                uploaded_by=actor,
                agency=agency,
                object_type=object_type,
                object_id=object_id,
                stage=stage,
                description=description.strip()[:500],
                captured_at=captured_at,
                place=place.strip()[:200],
            )
            record_append(
                actor=actor,
                action="evidence.store",
                obj=evidence,
                changes={
                    "sm3": evidence.sm3,
                    "sha256": evidence.sha256,
                    "size_bytes": evidence.size_bytes,
                    "kind": evidence.kind,
                    "stage": evidence.stage,
                    "object_type": evidence.object_type,
                    "object_id": evidence.object_id,
                    "filename": evidence.original_filename,
                },
                officer=getattr(actor, "officer", None),
                place=evidence.place or None,
            )
        return evidence
    finally:
        upload.close()


def access_record(actor: User, object_type: str, object_id: str, purpose: str, reason: str = "") -> AccessLog:
    """调阅留痕 — record that ``actor`` retrieved a record or evidence item, in the log and the ledger.

    Other apps call this whenever a case file is viewed or exported, after their own permission check.
    A download, export or print needs a reason.
    """
    if actor is None or not getattr(actor, "is_authenticated", False):
        raise RuleViolation(
            "调阅须由登录用户进行。", "Access must be by a signed-in user.", code="not_authenticated"
        )
    _choice(purpose, AccessPurpose, "purpose", "调阅方式")
    reason = (reason or "").strip()
    if purpose in PURPOSES_NEEDING_REASON and not reason:
        raise InvalidInput(
            f"{AccessPurpose(purpose).label}须填写调阅事由。",
            f"A reason is required to {purpose}.",
            code="access_reason_required",
            field="reason",
        )
    if len(reason) > 500:
        raise InvalidInput(
            "调阅事由过长（最多 500 字）。", "Reason longer than 500 characters.", field="reason"
        )
    object_id = str(object_id)
    with transaction.atomic():
        log = AccessLog.objects.create(
            actor=actor,
            actor_name=(getattr(actor, "display_name", "") or actor.get_username())[:150],
            object_type=object_type,
            object_id=object_id,
            purpose=purpose,
            reason=reason,
        )
        record_append(
            actor=actor,
            action="record.access",
            object_type=object_type,
            object_id=object_id,
            changes={"purpose": purpose, "reason": reason, "access_log_id": log.pk},
            officer=getattr(actor, "officer", None),
        )
    return log


def evidence_access(actor: User, evidence_id: int, purpose: str, reason: str = "") -> Evidence:
    """调阅证据 — check the reader may see it, record the retrieval; the caller then streams the file."""
    evidence = Evidence.objects.select_related("agency__region").filter(pk=evidence_id).first()
    if evidence is None:
        raise NotFound("证据不存在。", "No such evidence.", code="evidence_not_found")
    perms.require(actor, rules.VIEW_EVIDENCE, evidence)
    access_record(actor, evidence._meta.label_lower, str(evidence.pk), purpose, reason)
    return evidence


# --- resumable upload (断点续传) ------------------------------------------------------------------------------


def _session_dir() -> Path:
    path = Path(
        getattr(settings, "ZHIFA_EVIDENCE_UPLOAD_DIR", None) or settings.DATA_DIR / "evidence-uploads"
    )
    path.mkdir(parents=True, exist_ok=True)
    return path


def session_part_path(session: UploadSession) -> Path:
    return _session_dir() / f"{session.pk}.part"


@transaction.atomic
def upload_session_start(
    *,
    actor: User,
    filename: str,
    total_bytes: int,
    kind: str,
    object_type: str,
    object_id: str,
    stage: str,
    description: str = "",
    captured_at: dt.datetime | None = None,
    place: str = "",
) -> UploadSession:
    _choice(kind, EvidenceKind, "kind", "证据类型")
    _choice(stage, Stage, "stage", "执法环节")
    if total_bytes <= 0:
        raise InvalidInput("证据文件为空，未保存。", "The evidence file is empty.", code="evidence_empty")
    if total_bytes > max_upload_bytes():
        raise too_large_error(max_upload_bytes())
    agency = _filing_agency(actor, object_type, str(object_id), None)
    session = UploadSession.objects.create(
        id=uuid.uuid4(),
        created_by=actor,
        agency=agency,
        total_bytes=total_bytes,
        filename=filename[:255],
        kind=kind,
        object_type=object_type,
        object_id=str(object_id),
        stage=stage,
        description=description[:500],
        captured_at=captured_at,
        place=place[:200],
    )
    session_part_path(session).touch(exist_ok=False)
    return session


def _own_session(actor: User, session_id: uuid.UUID) -> UploadSession:
    session = UploadSession.objects.select_for_update().filter(pk=session_id, created_by_id=actor.pk).first()
    if session is None:
        raise NotFound("上传会话不存在。", "No such upload session.", code="upload_not_found")
    if session.evidence_id is not None:
        raise RuleViolation("该上传已完成。", "This upload is already complete.", code="upload_complete")
    return session


def upload_session_append(
    *, actor: User, session_id: uuid.UUID, start: int, end: int, total: int, body: Any
) -> UploadSession:
    """One chunk ``[start, end]`` (inclusive, as in Content-Range). Chunks come in order; a resent chunk
    already received is accepted without writing."""
    with transaction.atomic():
        session = _own_session(actor, session_id)
        if total != session.total_bytes or start < 0 or end < start or end >= total:
            raise InvalidInput("Content-Range 与上传会话不符。", "Content-Range does not fit this upload.")
        if end < session.received_bytes:
            return session
        if start != session.received_bytes:
            raise RuleViolation(
                f"分片须从第 {session.received_bytes} 字节续传。",
                f"The next chunk must start at byte {session.received_bytes}.",
                code="upload_out_of_order",
                details={"received_bytes": session.received_bytes},
            )
        expected = end - start + 1
        written = 0
        path = session_part_path(session)
        with open(path, "r+b") as part:
            part.seek(start)
            while written < expected and (chunk := body.read(min(1024 * 1024, expected - written))):
                part.write(chunk)
                written += len(chunk)
            part.truncate(start + written)
            part.flush()
            os.fsync(part.fileno())
        if written != expected:
            raise InvalidInput(
                "分片长度与 Content-Range 不符，请重传该分片。", "Chunk shorter than its Content-Range."
            )
        session.received_bytes = start + written
        session.save(update_fields=["received_bytes"])
    return session


def upload_session_complete(*, actor: User, session_id: uuid.UUID) -> Evidence:
    """Hash the assembled file (streaming) and store it as evidence, exactly as a direct upload."""
    with transaction.atomic():
        session = _own_session(actor, session_id)
    if session.received_bytes != session.total_bytes:
        raise RuleViolation(
            f"尚未接收完整（{session.received_bytes}/{session.total_bytes} 字节）。",
            "The upload is not complete yet.",
            code="upload_incomplete",
        )
    path = session_part_path(session)
    upload = hashed_file_at(str(path), session.filename)
    try:
        evidence = evidence_store(
            actor=actor,
            upload=upload,
            kind=session.kind,
            object_type=session.object_type,
            object_id=session.object_id,
            stage=session.stage,
            description=session.description,
            captured_at=session.captured_at,
            place=session.place,
            agency=session.agency,
        )
    except InvalidInput:
        path.unlink(missing_ok=True)  # a refused file leaves nothing behind
        raise
    UploadSession.objects.filter(pk=session.pk, evidence__isnull=True).update(evidence=evidence)
    path.unlink(missing_ok=True)
    return evidence
