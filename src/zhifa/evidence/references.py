"""How an evidence item reads where another page names it (access logs): its file name and the object it belongs
to — never its id (``zhifa.records.labels.object_reference``)."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from zhifa.evidence.rules import VIEW_EVIDENCE
from zhifa.org import permissions as perms
from zhifa.org.models import User
from zhifa.records.labels import object_reference, register_references


def evidence_reference(evidence: Any, user: User | None) -> tuple[str, str]:
    owner = object_reference(evidence.object_type, evidence.object_id, user).text
    text = f"证据「{evidence.original_filename}」（{owner}）"
    may = user is not None and perms.can(user, VIEW_EVIDENCE, evidence)
    return text, reverse("evidence:detail", args=[evidence.pk]) if may else ""


def register() -> None:
    register_references({"evidence.evidence": evidence_reference})
