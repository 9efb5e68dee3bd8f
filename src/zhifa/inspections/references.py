"""How an inspection reads where another page names it (evidence, access logs): 检查, its item, party and day —
never its id (``zhifa.records.labels.object_reference``)."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from zhifa.inspections import rules
from zhifa.org import permissions as perms
from zhifa.org.models import User
from zhifa.records.labels import register_references
from zhifa.records.timeline import record_url


def inspection_reference(inspection: Any, user: User | None) -> tuple[str, str]:
    day = inspection.inspected_on or inspection.scheduled_on
    what = inspection.item.name if inspection.item_id else "行政检查"
    text = f"检查 {what} · {inspection.party.name}" + (f"（{day:%Y-%m-%d}）" if day else "")
    # the on-site page is the officer's; whoever else may read the inspection gets its record page
    if user is not None and perms.can(user, rules.INSPECT) and perms.can(user, rules.VIEW, inspection):
        return text, reverse("inspections:onsite", args=[inspection.pk])

    return text, record_url(user, inspection._meta.label_lower, str(inspection.pk))


def register() -> None:
    register_references({"inspections.inspection": inspection_reference})
