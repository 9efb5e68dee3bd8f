"""一表通查: the officer records the result of each line of the visit's merged checklist."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

from zhifa.core.errors import InvalidInput, RuleViolation
from zhifa.core.transactions import service
from zhifa.inspections.checklists import visit_checklist
from zhifa.inspections.models import (
    ChecklistLineResult,
    ChecklistResult,
    Inspection,
    InspectionStatus,
)
from zhifa.inspections.services._common import _now
from zhifa.inspections.services.results import _on_inspection
from zhifa.org.models import User
from zhifa.records.services import record_append

CHECKLIST_RESULTS_MAX = 1000
NOTE_MAX = 500
_LABELS = dict(ChecklistLineResult.choices)


def _cleaned(results: Sequence[Mapping[str, Any]]) -> list[tuple[str, str, str]]:
    if not results:
        raise InvalidInput(
            "请至少录入一项检查表单结果。", "Record at least one line's result.", code="checklist_no_results"
        )
    if len(results) > CHECKLIST_RESULTS_MAX:
        raise InvalidInput(
            f"一次最多录入 {CHECKLIST_RESULTS_MAX} 项。",
            f"At most {CHECKLIST_RESULTS_MAX} lines at once.",
            code="checklist_too_many_results",
        )
    cleaned: dict[str, tuple[str, str, str]] = {}
    for row in results:
        key = str(row.get("key") or "").strip()
        value = str(row.get("result") or "").strip()
        note = str(row.get("note") or "").strip()
        if value not in ChecklistLineResult.values:
            raise InvalidInput(
                "检查表单结果只能是符合、不符合或不涉及。",
                "A line's result is conforms, nonconforming or not_applicable.",
                code="checklist_result_invalid",
                field="result",
            )
        if len(note) > NOTE_MAX:
            raise InvalidInput(
                f"说明最多 {NOTE_MAX} 字。", f"A note has at most {NOTE_MAX} characters.", field="note"
            )
        if key in cleaned:
            raise InvalidInput(
                "同一条目录入了两次。",
                "The same line is given twice.",
                code="checklist_line_twice",
                field="key",
            )
        cleaned[key] = (key, value, note)
    return list(cleaned.values())


@service
def checklist_record(
    user: User,
    inspection: Inspection,
    *,
    results: Sequence[Mapping[str, Any]],
    now: dt.datetime | None = None,
) -> list[ChecklistResult]:
    """一表通查 — record (or correct) the results of lines of the visit's merged checklist: 符合, 不符合 or 不涉及,
    with a note. By an officer on the visit, once checked in and until the visit's result is entered.

    国办发〔2024〕54号: 严格行政检查标准、程序 — the checklist is the published standard the visit is held to, so
    its results are written during the visit (after 扫码进企) and are final with the visit's result: what the
    result rests on is not rewritten afterwards.
    """
    inspection = Inspection.objects.select_for_update(of=("self",)).get(pk=inspection.pk)
    officer = _on_inspection(user, inspection)
    if inspection.status == InspectionStatus.PLANNED:
        raise RuleViolation(
            "须先扫码进企，再录入检查表单结果。",
            "Check in before recording the checklist.",
            code="not_checked_in",
        )
    if inspection.status != InspectionStatus.CHECKED_IN:
        raise RuleViolation(
            "本次检查的结果已录入，检查表单结果不能再修改。",
            "The visit's result is entered; its checklist is final.",
            code="checklist_final",
        )
    cleaned = _cleaned(results)
    lines = visit_checklist(inspection, with_results=False).by_key()
    unknown = [key for key, _v, _n in cleaned if key not in lines]
    if unknown:
        raise InvalidInput(
            "检查表单中没有该条目（检查表单可能已更新，请刷新页面）。",
            "No such line in the visit's checklist.",
            code="checklist_line_unknown",
            field="key",
        )
    current = _now(now)
    existing = {r.line_key: r for r in ChecklistResult.objects.filter(inspection=inspection)}
    changed: list[str] = []
    created: list[ChecklistResult] = []
    updated: list[ChecklistResult] = []
    for key, value, note in cleaned:
        line = lines[key]
        row = existing.get(key)
        if row is not None and row.result == value and row.note == note:
            continue
        if row is None:
            created.append(
                ChecklistResult(
                    inspection=inspection,
                    line_key=key,
                    content=line.content,
                    basis=line.basis,
                    result=value,
                    note=note,
                    recorded_by=user,
                    recorded_at=current,
                )
            )
        else:
            row.result, row.note, row.recorded_by, row.recorded_at = value, note, user, current
            updated.append(row)
        changed.append(f"{line.number}. {line.content}：{_LABELS[value]}{'（' + note + '）' if note else ''}")
    ChecklistResult.objects.bulk_create(created)
    ChecklistResult.objects.bulk_update(updated, ["result", "note", "recorded_by", "recorded_at"])
    if changed:
        record_append(
            actor=user,
            action="inspection.checklist.record",
            obj=inspection,
            officer=officer,
            changes={"lines": changed},
            occurred_at=current,
        )
    return list(
        ChecklistResult.objects.filter(inspection=inspection, line_key__in=[k for k, _v, _n in cleaned])
    )
