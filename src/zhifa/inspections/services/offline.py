"""离线现场检查: apply the work an officer captured on the on-site page without network, once, in order.

The phone keeps a queue of actions (check-in, checklist lines, photos, result), each with an id it generated
and the time it was captured. When the network returns it sends them one by one, oldest first, to
:func:`offline_action_sync`, which applies each through the service that does it online
(``inspection_check_in`` with ``at=`` the capture time, the evidence store, ``inspection_result`` with
``at=``) and keeps an :class:`OfflineAction` row whatever happened:

* **applied** — the service accepted it; a repeated sync with the same client id finds the row and applies
  nothing again;
* **conflict** — the service refused it (the task was cancelled meanwhile, a colleague had already checked in,
  the result was already entered …): nothing of it is applied, the row keeps the payload and the reason, the
  officer sees it on the page and the head and the supervisors in the 离线同步冲突 list. Never lost.

Capture and sync time: each synced action gets one ledger entry ``inspection.offline.sync`` whose
``occurred_at`` is the capture time and whose ``at`` is the sync time; the check-in's and the result's own
entries carry the capture time as ``occurred_at`` too.

Back entry (补录期限): an action synced more than ``ZHIFA_INSPECTION_BACK_ENTRY_DAYS`` (10, as 深圳) after its
capture is still applied — the work was done and must not be lost — but flagged ``beyond_window`` and raises
the warning 超时补录 (``late_entry``) with the basis 超出离线补录期限 (``back_entry``) for the supervisors. The
shorter ``ZHIFA_INSPECTION_OFFLINE_ENTRY_HOURS`` (24) is the check-in's own flag (``entered_late``, 超时补录,
basis empty): a check-in keyed in after 24 hours is flagged whether it came through the queue or the form.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import F

from zhifa.core.errors import DomainError, InvalidInput, NotFound, PermissionDenied, RuleViolation
from zhifa.core.transactions import service
from zhifa.evidence import services as evidence_services
from zhifa.evidence.uploads import HashedLocalFile, HashedUploadedFile
from zhifa.inspections import codes, conf, rules
from zhifa.inspections.models import (
    Inspection,
    InspectionStatus,
    InspectionWarning,
    OfflineAction,
    OfflineActionKind,
    OfflineActionState,
    Outcome,
    TaskStatus,
    WarningBasis,
    WarningKind,
)
from zhifa.inspections.services._common import _now, _officer_of
from zhifa.inspections.services.checklists import CHECKLIST_RESULTS_MAX, checklist_record
from zhifa.inspections.services.results import inspection_result
from zhifa.inspections.services.visits import inspection_check_in
from zhifa.org import permissions as perms
from zhifa.org.models import Officer, User
from zhifa.records.services import record_append

Upload = HashedUploadedFile | HashedLocalFile


@dataclass(frozen=True)
class Captured:
    """One action as the phone captured it, checked at the edge: what the applier gets."""

    user: User
    officer: Officer
    inspection: Inspection
    captured_at: dt.datetime
    payload: Mapping[str, Any]
    upload: Upload | None
    now: dt.datetime


# kind → (payload check, applier). The applier calls the online service and may return an evidence id.
# A new kind registers here with ``register_kind``.
Check = Callable[[Mapping[str, Any], Upload | None], dict[str, Any]]
Apply = Callable[[Captured], int | None]
KINDS: dict[str, tuple[Check, Apply]] = {}


def register_kind(kind: str, check: Check, apply: Apply) -> None:
    """Let the offline queue carry ``kind`` (one of :class:`OfflineActionKind`)."""
    if kind not in OfflineActionKind.values:
        raise ValueError(f"unknown offline action kind {kind!r}")
    KINDS[kind] = (check, apply)


def _text(payload: Mapping[str, Any], key: str, label: str, *, limit: int, required: bool) -> str:
    value = payload.get(key, "")
    if not isinstance(value, str):
        raise InvalidInput(f"{label}格式不正确。", f"{key} must be text.", field=f"payload.{key}")
    value = value.strip()
    if required and not value:
        raise InvalidInput(f"请填写{label}。", f"{key} is required.", field=f"payload.{key}")
    if len(value) > limit:
        raise InvalidInput(
            f"{label}最多 {limit} 个字。", f"{key} is at most {limit} characters.", field=f"payload.{key}"
        )
    return value


def _check_check_in(payload: Mapping[str, Any], upload: Upload | None) -> dict[str, Any]:
    return {"place": _text(payload, "place", "检查地点", limit=200, required=True)}


def _apply_check_in(c: Captured) -> int | None:
    # 国办发〔2024〕54号: 推行“扫码入企”, 检查全程留痕 — the code is the inspection's own, issued by the server
    # as the page showed it; the capture time (not the sync time) is the time on site the code is checked at.
    inspection_check_in(
        c.user, codes.issue_code(c.inspection), place=c.payload["place"], at=c.captured_at, now=c.now
    )
    return None


def _check_photo(payload: Mapping[str, Any], upload: Upload | None) -> dict[str, Any]:
    if upload is None:
        raise InvalidInput("请附上照片文件。", "A photo needs its file.", field="file")
    kind = payload.get("evidence_kind", "photo")
    if kind not in ("photo", "video", "audio"):
        raise InvalidInput("音像记录类型无效。", "Invalid evidence kind.", field="payload.evidence_kind")
    return {
        "evidence_kind": kind,
        "description": _text(payload, "description", "说明", limit=500, required=False),
    }


def _apply_photo(c: Captured) -> int | None:
    if c.inspection.status == InspectionStatus.PLANNED:
        raise RuleViolation(
            "尚未进企签到，照片未存证。", "Not checked in: the photo was not stored.", code="not_checked_in"
        )
    assert c.upload is not None  # checked at the edge
    evidence = evidence_services.evidence_store(
        actor=c.user,
        upload=c.upload,
        kind=c.payload["evidence_kind"],
        object_type=c.inspection._meta.label_lower,
        object_id=str(c.inspection.pk),
        stage="investigation",
        description=c.payload["description"],
        captured_at=c.captured_at,
        place=c.inspection.place,
    )
    return int(evidence.pk)


def _check_result(payload: Mapping[str, Any], upload: Upload | None) -> dict[str, Any]:
    outcome = payload.get("outcome")
    if outcome not in Outcome.values:
        raise InvalidInput("检查结果无效。", "Invalid outcome.", field="payload.outcome")
    deadline = payload.get("rectify_deadline") or None
    if deadline is not None:
        try:
            deadline = dt.date.fromisoformat(str(deadline))
        except ValueError:
            raise InvalidInput(
                "整改期限日期格式不正确。", "Invalid rectify_deadline.", field="payload.rectify_deadline"
            ) from None
    findings = _text(payload, "findings", "检查情况", limit=5000, required=True)
    return {"outcome": outcome, "findings": findings, "rectify_deadline": deadline}


def _apply_result(c: Captured) -> int | None:
    inspection_result(
        c.user,
        c.inspection,
        outcome=c.payload["outcome"],
        findings=c.payload["findings"],
        rectify_deadline=c.payload["rectify_deadline"],
        at=c.captured_at,
        now=c.now,
    )
    return None


def _check_checklist(payload: Mapping[str, Any], upload: Upload | None) -> dict[str, Any]:
    """一表通查 lines captured offline: ``{"results": [{"key", "result", "note"}, …]}``; the service checks each."""
    results = payload.get("results")
    if not isinstance(results, list) or not results or len(results) > CHECKLIST_RESULTS_MAX:
        raise InvalidInput(
            "检查表单结果格式不正确。", "results must be a non-empty list.", field="payload.results"
        )
    rows = []
    for row in results:
        if not isinstance(row, dict):
            raise InvalidInput(
                "检查表单结果格式不正确。", "Each result is an object.", field="payload.results"
            )
        rows.append({k: str(row.get(k) or "") for k in ("key", "result", "note")})
    return {"results": rows}


def _apply_checklist(c: Captured) -> int | None:
    checklist_record(c.user, c.inspection, results=c.payload["results"], now=c.now)
    return None


register_kind(OfflineActionKind.CHECK_IN, _check_check_in, _apply_check_in)
register_kind(OfflineActionKind.CHECKLIST, _check_checklist, _apply_checklist)
register_kind(OfflineActionKind.PHOTO, _check_photo, _apply_photo)
register_kind(OfflineActionKind.RESULT, _check_result, _apply_result)


def _json_safe(payload: Mapping[str, Any]) -> dict[str, Any]:
    return {k: v.isoformat() if isinstance(v, dt.date) else v for k, v in payload.items()}


def _back_entry_warning(inspection: Inspection, action: OfflineAction, days: int, now: dt.datetime) -> None:
    warning, created = InspectionWarning.objects.get_or_create(
        kind=WarningKind.LATE_ENTRY,
        basis=WarningBasis.BACK_ENTRY,
        inspection=inspection,
        defaults={
            "agency_id": inspection.agency_id,
            "party_id": inspection.party_id,
            "count": 1,
            "threshold": days,
            "detail": {"client_id": str(action.client_id), "captured_at": action.captured_at.isoformat()},
            "created_at": now,
        },
    )
    if not created:
        InspectionWarning.objects.filter(pk=warning.pk).update(count=F("count") + 1)


def _refuse_cancelled(inspection: Inspection) -> None:
    task = inspection.task
    if task is not None and task.status == TaskStatus.CANCELLED:
        raise RuleViolation(
            "检查任务已撤销，离线记录未执行。", "The task was cancelled meanwhile.", code="task_cancelled"
        )


def offline_action_sync(
    user: User,
    inspection: Inspection,
    *,
    client_id: uuid.UUID,
    kind: str,
    captured_at: dt.datetime,
    payload: Mapping[str, Any],
    upload: Upload | None = None,
    now: dt.datetime | None = None,
) -> OfflineAction:
    """同步离线操作 — apply one captured action through its service, or keep it as a conflict; idempotent.

    Refused (nothing stored): an officer without the right over the inspection (another agency's, 403/404),
    junk (unknown kind, a malformed payload, a capture time in the future, 422), a client id already used
    for another inspection or by another officer (409).
    """
    try:
        return _sync(user, inspection, client_id, kind, captured_at, payload, upload, now)
    finally:
        if upload is not None:
            upload.close()  # the evidence store closes it too; closing twice is harmless


@service
def _sync(
    user: User,
    inspection: Inspection,
    client_id: uuid.UUID,
    kind: str,
    captured_at: dt.datetime,
    payload: Mapping[str, Any],
    upload: Upload | None,
    now: dt.datetime | None,
) -> OfflineAction:
    perms.require(user, rules.INSPECT, inspection)
    officer = _officer_of(user)
    current = _now(now)
    existing = OfflineAction.objects.filter(client_id=client_id).first()
    if existing is not None:
        if existing.inspection_id != inspection.pk or existing.officer_id != officer.pk:
            raise RuleViolation(
                "该离线记录编号已被使用。", "This client id is already used.", code="client_id_reused"
            )
        return existing  # synced before: nothing is applied twice
    if kind not in KINDS:
        raise InvalidInput("离线操作类型无效。", "Unknown offline action kind.", field="kind")
    captured = _now(captured_at)
    if captured > current + dt.timedelta(minutes=5):
        raise InvalidInput("采集时间不能晚于当前时间。", "captured_at is in the future.", field="captured_at")
    check, apply = KINDS[kind]
    clean = check(payload, upload)
    days = conf.number("ZHIFA_INSPECTION_BACK_ENTRY_DAYS")
    beyond = current - captured > dt.timedelta(days=days)
    locked = (
        Inspection.objects.select_for_update(of=("self",))
        .select_related("task", "party", "agency__region", "item")
        .get(pk=inspection.pk)
    )
    state, reason, reason_code, evidence_id = OfflineActionState.APPLIED, "", "", None
    try:
        with transaction.atomic():
            _refuse_cancelled(locked)
            evidence_id = apply(Captured(user, officer, locked, captured, clean, upload, current))
    except (PermissionDenied, NotFound):
        raise
    except DomainError as exc:  # refused by the service: kept as a conflict, never lost
        state, reason, reason_code = OfflineActionState.CONFLICT, exc.message[:500], exc.code[:64]
    action = OfflineAction.objects.create(
        client_id=client_id,
        inspection=locked,
        agency_id=locked.agency_id,
        officer=officer,
        kind=kind,
        payload=_json_safe(clean),
        captured_at=captured,
        synced_at=current,
        state=state,
        reason=reason,
        reason_code=reason_code,
        beyond_window=beyond,
        evidence_id=evidence_id,
    )
    entry = record_append(
        actor=user,
        action="inspection.offline.sync",
        obj=locked,
        officer=officer,
        occurred_at=captured,
        changes={
            "client_id": str(client_id),
            "kind": kind,
            "state": state,
            "reason": reason_code,
            "captured_at": captured,
            "synced_at": current,
            "beyond_window": beyond,
            "evidence": evidence_id,
        },
        sequenced=True,  # the seq is kept on the row below
    )
    action.ledger_seq = entry.seq
    action.save(update_fields=["ledger_seq"])
    if beyond:
        _back_entry_warning(locked, action, days, current)
    return action
