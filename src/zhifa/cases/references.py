"""How a case reads where another page names it (evidence, access logs): its number, or for a 案源 not yet
opened its 案由 and the day it was registered — never its id (``zhifa.records.labels.object_reference``)."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from zhifa.cases.rules import VIEW_CASE
from zhifa.org import permissions as perms
from zhifa.org.models import User
from zhifa.records.labels import register_references


def case_reference(case: Any, user: User | None) -> tuple[str, str]:
    if case.number:
        text = f"案件 {case.number}"
    else:
        reference = f"，来源编号 {case.source_reference}" if case.source_reference else ""
        text = f"案源「{case.title}」（{case.source_received_on:%Y-%m-%d} 登记{reference}）"
    may = user is not None and perms.can(user, VIEW_CASE, case)
    return text, reverse("cases:detail", args=[case.pk]) if may else ""


def seizure_reference(seizure: Any, user: User | None) -> tuple[str, str]:
    text, url = case_reference(seizure.case, user)
    return f"{text} 的{seizure.get_kind_display()}措施", url


def register() -> None:
    register_references({"cases.case": case_reference, "cases.seizure": seizure_reference})
