"""The evidence app's part of the full-process record (``zhifa.records.hooks``): the files' check in ``zhifa ledger
verify``, the evidence beside an object's timeline and on its page, and the case bundle export. Records sits
below evidence and does not import it; ``register()`` runs in the evidence app's ``AppConfig.ready()``.

Each hook calls through its module (``verify.verify_all``, ``bundle.export_command``) so that a test patching
those names is obeyed."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from zhifa.evidence import bundle, selectors, verify
from zhifa.evidence.rules import ADD_EVIDENCE
from zhifa.evidence.targets import target_for
from zhifa.org import permissions as perms
from zhifa.records import hooks
from zhifa.records.timeline import may_see_access_records


def verify_files() -> Any:
    return verify.verify_all()


def visible_names(user: Any, object_type: str, object_id: str) -> dict[str, str]:
    """Evidence of the object the user may see: id → file name."""
    rows = selectors.evidence_for(user, object_type, object_id).values_list("pk", "original_filename")
    return {str(pk): name for pk, name in rows}


def object_page_context(request: Any, object_type: str, object_id: str) -> dict[str, Any]:
    """证据 on the object's record page: the files by stage, and whether the user may add or see retrievals."""
    items = list(selectors.evidence_for(request.user, object_type, object_id))
    return {
        "items": items,
        "groups": selectors.group_by_stage(items),
        # only kinds that take evidence (issue 18)
        "may_upload": perms.can(request.user, ADD_EVIDENCE) and target_for(object_type) is not None,
        "may_see_access": may_see_access_records(request.user),
        "upload_url": reverse("evidence:upload") + f"?object_type={object_type}&object_id={object_id}",
    }


def export_case(spec: str, out: str | None, username: str | None, reason: Any) -> str:
    return bundle.export_command(spec, out, username, reason)


def register() -> None:
    hooks.register_file_check(verify_files)
    hooks.register_evidence_names(visible_names)
    hooks.register_object_page(object_page_context)
    hooks.register_case_export(export_case)
