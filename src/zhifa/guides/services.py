"""服务指南 — the one state change: an agency's staff save a new version of a guide, on the ledger."""

from __future__ import annotations

from typing import Any

from zhifa.core.errors import InvalidInput, RuleViolation
from zhifa.core.masking import personal_number_in
from zhifa.core.transactions import service
from zhifa.guides import rules
from zhifa.guides.models import EDITABLE_FIELDS, FIELD_LABELS, LINE_MAX, TEXT_MAX, GuideKind, ServiceGuide
from zhifa.org import permissions as perms
from zhifa.org.models import Agency, User
from zhifa.records.services import record_append

_REQUIRED = {"conditions": "适用条件", "fees": "收费", "office": "办理机构"}
_LINES = {"office", "address", "hours", "phone"}
_PHONE_MAX = 30


def _clean(fields: dict[str, Any]) -> dict[str, str]:
    data: dict[str, str] = {}
    for name in EDITABLE_FIELDS:
        value = fields.get(name, "")
        value = "" if value is None else str(value)
        # a text keeps its line breaks (lists of materials); a single line is trimmed
        value = value.strip().replace("\r\n", "\n")
        label = FIELD_LABELS[name]
        cap = _PHONE_MAX if name == "phone" else LINE_MAX if name in _LINES else TEXT_MAX
        if len(value) > cap:
            raise InvalidInput(
                f"“{label}”不超过{cap}字。",
                f"{name} is longer than {cap} characters.",
                code="too_long",
                field=name,
            )
        if name in _LINES and "\n" in value:
            raise InvalidInput(
                f"“{label}”只填一行。", f"{name} must be a single line.", code="single_line", field=name
            )
        # a guide is published as typed: no personal mobile or identity number (the privacy crawl's rule); the
        # phone is the office's (a fixed line or a hotline such as 12345, 12315)
        if personal_number_in(value):
            raise InvalidInput(
                f"“{label}”不得含有个人手机号码或身份证号码；咨询电话请填写办公电话或服务热线。",
                f"{name} carries a personal mobile or identity number.",
                code="personal_number",
                field=name,
            )
        if name in _REQUIRED and not value:
            raise InvalidInput(
                f"请填写“{_REQUIRED[name]}”。", f"{name} is required.", code="required", field=name
            )
        data[name] = value
    return data


@service
def guide_save(actor: User, agency: Agency, kind: str, *, note: str = "", **fields: Any) -> ServiceGuide:
    """保存服务指南 — a new version of the agency's guide for ``kind``; the older versions stay.

    Refused: an unknown kind, a missing or overlong field, another agency's guide (the actor's scope), and a
    save that changes nothing (no empty versions on the public page).
    """
    if kind not in GuideKind.values:
        raise InvalidInput(
            "执法行为类别不正确。", "Unknown guide kind.", code="invalid_guide_kind", field="kind"
        )
    data = _clean(fields)
    note = (note or "").strip()
    if len(note) > LINE_MAX or "\n" in note:
        raise InvalidInput(
            f"修改说明只填一行，不超过{LINE_MAX}字。",
            "The note is one line.",
            code="note_too_long",
            field="note",
        )
    guide = ServiceGuide(agency=agency, kind=kind, created_by=actor, note=note, **data)
    perms.require(actor, rules.EDIT_GUIDE, guide)
    # versions are numbered under the agency's row lock: two saves at once never take the same number
    Agency.objects.select_for_update().filter(pk=agency.pk).first()
    current = ServiceGuide.objects.filter(agency=agency, kind=kind).order_by("-version").first()
    if current is not None and all(getattr(current, f) == data[f] for f in EDITABLE_FIELDS):
        raise RuleViolation("内容与当前版本相同，未保存新版本。", "Nothing changed.", code="guide_unchanged")
    guide.version = (current.version if current else 0) + 1
    guide.save()
    changed = [f for f in EDITABLE_FIELDS if current is None or getattr(current, f) != data[f]]
    record_append(
        actor=actor,
        action="guides.guide_save",
        obj=guide,
        changes={
            "kind": kind,
            "version": guide.version,
            "note": note,
            **{f: data[f] for f in changed},
        },
    )
    return guide
