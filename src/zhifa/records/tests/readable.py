"""Helpers of the tests that a ledger entry reads in Chinese (issue 16 item 4): the readable fields of one
entry, checked for what a page must never show."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from zhifa.records import labels
from zhifa.records.models import LedgerEntry

_RAW = re.compile(r"\bNone\b|\bTrue\b|\bFalse\b|\d{4}-\d{2}-\d{2}T\d|[a-z]+[._][a-z_]+|[a-z_]+:\d+")


def readable(action: str, changes: Mapping[str, Any]) -> dict[str, str]:
    """The labelled fields of an entry (label → value), after checking that the action has its own label and
    that neither a key of ``changes`` nor a code, None/True/False or an ISO timestamp is shown."""
    assert not labels.action_label(action).endswith("操作记录"), action
    [parts] = labels.summaries([(action, dict(changes))], limit=100)
    text = "\n".join(f"{label}：{value}" for label, value in parts)
    assert not _RAW.search(text), text
    for key in changes:
        assert not re.search(rf"(?<![A-Za-z_]){re.escape(key)}(?![A-Za-z_])", text), (key, text)
    return dict(parts)


def demo_changes(action: str) -> dict[str, Any]:
    """The changes of the demo county's latest entry with this action (written by the app's own service)."""
    entry = LedgerEntry.objects.filter(action=action).order_by("-seq").first()
    assert entry is not None, f"the demo county has no {action} entry"
    return labels.parse(entry.changes)
