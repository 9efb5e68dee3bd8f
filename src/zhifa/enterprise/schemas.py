"""Shapes of the enterprise API (企业端接口)."""

from __future__ import annotations

import datetime as dt

from ninja import Schema
from pydantic import Field

from zhifa.inspections.schemas import DateTime
from zhifa.inspections.services import MAX_SLOTS

MAX_OFFICERS = 50
MAX_CHECKS = 100
MAX_CHECKLIST_LINES = 200


class EnterpriseWindowOut(Schema):
    first_day: dt.date
    last_day: dt.date
    day_starts: dt.time
    day_ends: dt.time
    slot_minutes: int
    note: str
    agreed_start: dt.datetime | None


class EnterpriseCheckOut(Schema):
    agency_name: str
    item_code: str
    item_name: str
    legal_basis: str
    outcome: str
    outcome_label: str
    findings: str
    recognised: bool
    checklist: list[str] = Field(max_length=MAX_CHECKLIST_LINES)


class EnterpriseOfficerOut(Schema):
    name: str
    agency_name: str
    certificate_number: str
    may_enforce: bool
    reasons: list[str] = Field(max_length=20)


class EnterpriseInspectionOut(Schema):
    id: int
    agency_name: str
    item_name: str
    kind: str
    kind_label: str
    status: str
    status_label: str
    mode_label: str
    notice: str
    task_title: str
    task_starts_on: dt.date | None
    task_ends_on: dt.date | None
    scheduled_on: dt.date | None
    entered_at: dt.datetime | None
    filed: bool
    outcome: str
    outcome_label: str
    rectify_deadline: dt.date | None
    recheck_passed: bool | None
    visit_window: EnterpriseWindowOut | None


class EnterpriseInspectionPage(Schema):
    items: list[EnterpriseInspectionOut] = Field(max_length=200)
    next_cursor: str | None


class EnterpriseInspectionDetail(EnterpriseInspectionOut):
    officers: list[EnterpriseOfficerOut] = Field(max_length=MAX_OFFICERS)
    checks: list[EnterpriseCheckOut] = Field(max_length=MAX_CHECKS)
    slots: list[dt.datetime] = Field(max_length=MAX_SLOTS + 1, description="可选入企时段（尚未过去的）")


class VisitTimeIn(Schema):
    start: DateTime = Field(description="所选时段的开始时间（带时区），须为可选时段之一")
