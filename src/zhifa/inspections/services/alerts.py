"""预警: handle or dismiss an inspection warning."""

from __future__ import annotations

from zhifa.core import clock
from zhifa.core.errors import InvalidInput, RuleViolation
from zhifa.core.transactions import service
from zhifa.inspections import rules
from zhifa.inspections.models import InspectionWarning, WarningState
from zhifa.org import permissions as perms
from zhifa.org.models import User
from zhifa.records.services import record_append


def _open_warning(user: User, warning: InspectionWarning) -> InspectionWarning:
    warning = (
        InspectionWarning.objects.select_for_update(of=("self",)).select_related("agency").get(pk=warning.pk)
    )
    perms.require(user, rules.HANDLE_WARNING, warning)
    if warning.state != WarningState.NEW:
        raise RuleViolation("该预警已处理。", "The warning is closed.", code="warning_closed")
    return warning


@service
def warning_handle(user: User, warning: InspectionWarning, *, note: str) -> InspectionWarning:
    """处理 — the agency head or a supervisor closes a warning with what was done."""
    warning = _open_warning(user, warning)
    if not note.strip():
        raise InvalidInput("请填写处理情况。", "A note is required.", field="note")
    warning.state, warning.note, warning.handled_by, warning.handled_at = (
        WarningState.HANDLED,
        note,
        user,
        clock.now(),
    )
    warning.save(update_fields=["state", "note", "handled_by", "handled_at"])
    record_append(actor=user, action="inspection.warning.handle", obj=warning, changes={"note": note})
    return warning


@service
def warning_dismiss(user: User, warning: InspectionWarning, *, reason: str) -> InspectionWarning:
    """排除 — a warning that does not hold is dismissed, always with its reason."""
    warning = _open_warning(user, warning)
    if not reason.strip():
        raise InvalidInput("排除预警须写明理由。", "A reason is required to dismiss.", field="reason")
    warning.state, warning.note = WarningState.DISMISSED, reason
    warning.handled_by, warning.handled_at = user, clock.now()
    warning.save(update_fields=["state", "note", "handled_by", "handled_at"])
    record_append(actor=user, action="inspection.warning.dismiss", obj=warning, changes={"reason": reason})
    return warning
