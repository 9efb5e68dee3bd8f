"""Reads of evidence and access history; each takes the caller and returns only what is in their scope."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet

from zhifa.core.audit import audit_permission_denied
from zhifa.core.errors import NotFound, PermissionDenied
from zhifa.evidence import rules
from zhifa.evidence.models import AccessLog, Evidence, Stage, UploadSession
from zhifa.evidence.services import resolve_object
from zhifa.org import permissions as perms
from zhifa.org.models import User


def evidence_for(user: User, object_type: str, object_id: str) -> QuerySet[Evidence]:
    """All evidence of one enforcement target that ``user`` may see, oldest first (全过程归集)."""
    qs = perms.scoped(user, rules.VIEW_EVIDENCE, Evidence.objects.all())
    return (
        qs.filter(object_type=object_type, object_id=str(object_id))
        .select_related("uploaded_by", "agency__region")
        .order_by("uploaded_at", "id")
    )


def evidence_get(user: User, evidence_id: int, *, request: Any = None) -> Evidence:
    """One evidence item's metadata (reading the file itself goes through ``services.evidence_access``)."""
    evidence = Evidence.objects.select_related("uploaded_by", "agency__region").filter(pk=evidence_id).first()
    if evidence is None:
        raise NotFound("证据不存在。", "No such evidence.", code="evidence_not_found")
    perms.require(user, rules.VIEW_EVIDENCE, evidence, request=request)
    return evidence


def upload_session_get(user: User, session_id: Any) -> UploadSession:
    """A resumable upload's progress; only its owner sees it."""
    session = UploadSession.objects.filter(pk=session_id, created_by_id=getattr(user, "pk", None)).first()
    if session is None:
        raise NotFound("上传会话不存在。", "No such upload session.", code="upload_not_found")
    return session


@dataclass(frozen=True)
class StageGroup:
    stage: str
    label: str
    items: list[Evidence]


def group_by_stage(items: list[Evidence]) -> list[StageGroup]:
    """Evidence of one target in the order of the four stages (启动 → 调查取证 → 审核决定 → 送达执行)."""
    groups = []
    for stage in Stage:
        members = [e for e in items if e.stage == stage]
        if members:
            groups.append(StageGroup(stage.value, str(stage.label), members))
    return groups


def _target(object_type: str, object_id: str) -> Any:
    return resolve_object(object_type, object_id)


def access_history(
    user: User, object_type: str, object_id: str, *, limit: int = 200, request: Any = None
) -> list[AccessLog]:
    """调阅记录 — who retrieved this file, when and why; for supervisors whose scope covers the file.

    A file whose type has no registered scope is shown to nobody but superusers.
    """
    obj = _target(object_type, str(object_id))
    if type(obj) in perms.SCOPE_LOOKUPS:
        perms.require(user, rules.VIEW_ACCESS_HISTORY, obj, request=request)
    elif not getattr(user, "is_superuser", False):
        audit_permission_denied(user, rules.VIEW_ACCESS_HISTORY, obj, request=request)
        raise PermissionDenied("您无权查看该记录的调阅情况。", "You may not see this file's access history.")
    return list(
        AccessLog.objects.filter(object_type=object_type, object_id=str(object_id))
        .select_related("actor")
        .order_by("-id")[:limit]
    )


def can_see_access_history(user: User, obj: Any) -> bool:
    return type(obj) in perms.SCOPE_LOOKUPS and perms.can(user, rules.VIEW_ACCESS_HISTORY, obj)
