"""Request and response shapes of the inspections API (涉企行政检查接口)."""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal
from typing import Annotated, Any

from ninja import Schema
from pydantic import BeforeValidator, Field, StrictBool
from pydantic_core import PydanticCustomError

from zhifa.inspections.models import (
    InspectionMode,
    ObjectionKind,
    ObjectionState,
    OfflineActionKind,
    OfflineActionState,
    Outcome,
    RemoteMethod,
    TaskKind,
    TriggerKind,
    WarningKind,
    WarningState,
)
from zhifa.org.models import CreditClass

Percent = Decimal
MAX_ID = 2**63 - 1  # the largest key both databases store
Id = Annotated[int, Field(ge=1, le=MAX_ID)]


def _text_only(value: Any) -> Any:
    # Without this a number would be read as a Unix time: 0 → 1970-01-01.
    if not isinstance(value, (str, dt.date)):
        raise PydanticCustomError(
            "invalid_date",
            "日期/时间应写作 ISO 8601 文本，如 2026-03-31 或 2026-03-31T09:00:00+08:00。",
            {"message_en": "Dates and times are ISO 8601 text."},
        )
    return value


Date = Annotated[dt.date, BeforeValidator(_text_only)]
DateTime = Annotated[dt.datetime, BeforeValidator(_text_only)]
Bool = StrictBool


# --- lists -------------------------------------------------------------------------------------------------------


class ItemIn(Schema):
    agency_id: Id
    code: str = Field(min_length=1, max_length=32)
    name: str = Field(min_length=1, max_length=200)
    domain_code: str = Field(min_length=1, max_length=32)
    legal_basis: str = Field(min_length=1, max_length=5000)
    objects_desc: str = Field("", max_length=300)
    content: str = Field("", max_length=5000)
    method: str = Field("", max_length=100)


class ItemOut(Schema):
    id: int
    agency_id: int
    agency_name: str
    code: str
    name: str
    domain_code: str
    legal_basis: str
    objects_desc: str
    content: str
    method: str
    is_active: bool


class ItemPage(Schema):
    items: list[ItemOut]
    next_cursor: str | None


class InspectorOut(Schema):
    officer_id: int
    name: str
    agency_id: int
    certificate_number: str


class DirectoryPartyOut(Schema):
    id: int
    name: str
    uscc: str | None
    industry: str
    credit_class: CreditClass


class DirectoryPartyPage(Schema):
    items: list[DirectoryPartyOut]
    next_cursor: str | None


class TagsIn(Schema):
    domain_codes: list[str] = Field(min_length=1, max_length=20)


class NoDisturbIn(Schema):
    party_id: Id
    reason: str = Field(min_length=1, max_length=300)
    until: Date | None = None


class ConflictIn(Schema):
    officer_id: Id
    party_id: Id
    reason: str = Field(min_length=1, max_length=300)


class OkOut(Schema):
    ok: bool


# --- plans -------------------------------------------------------------------------------------------------------


class PlanIn(Schema):
    agency_id: Id
    year: int = Field(ge=2000, le=2100)
    title: str = Field(min_length=1, max_length=200)
    allow_advance_notice: Bool = True
    joint_agency_ids: list[Id] = Field(default_factory=list, max_length=20)


class RatiosIn(Schema):
    """抽查比例（%），按信用风险分类：A 类最低，D 类最高。"""

    A: Percent = Field(ge=0, le=100, max_digits=5, decimal_places=2)
    B: Percent = Field(ge=0, le=100, max_digits=5, decimal_places=2)
    C: Percent = Field(ge=0, le=100, max_digits=5, decimal_places=2)
    D: Percent = Field(ge=0, le=100, max_digits=5, decimal_places=2)


class FrequenciesIn(Schema):
    A: int = Field(1, ge=0, le=52)
    B: int = Field(1, ge=0, le=52)
    C: int = Field(2, ge=0, le=52)
    D: int = Field(3, ge=0, le=52)


class PlanItemIn(Schema):
    item_id: Id
    ratios: RatiosIn
    frequencies: FrequenciesIn = Field(default_factory=FrequenciesIn)
    quarters: str = Field("1234", min_length=1, max_length=4, pattern="^[1-4]{1,4}$")
    scope: str = Field("", max_length=300)
    industries: str = Field("", max_length=300)
    stratify_by_industry: Bool = False


class PlanItemOut(Schema):
    id: int
    item_id: int
    item_name: str
    quarters: str
    scope: str
    industries: str
    ratios: dict[str, Decimal]
    frequencies: dict[str, int]
    stratify_by_industry: bool


class PlanOut(Schema):
    id: int
    agency_id: int
    agency_name: str
    year: int
    title: str
    status: str
    status_label: str
    allow_advance_notice: bool
    joint_agency_ids: list[int]
    approved_at: dt.datetime | None
    filed_with_id: int | None
    filed_at: dt.datetime | None
    published_at: dt.datetime | None
    published_late: bool
    deadline: dt.date
    items: list[PlanItemOut]


class PlanPage(Schema):
    items: list[PlanOut]
    next_cursor: str | None


# --- tasks and draws ---------------------------------------------------------------------------------------------


class RandomTaskIn(Schema):
    plan_item_id: Id
    title: str = Field(min_length=1, max_length=200)
    starts_on: Date
    ends_on: Date
    quarter: int | None = Field(None, ge=1, le=4)
    party_count: int | None = Field(None, ge=1, le=10_000_000)
    inspectors_per_inspection: int = Field(2, ge=1, le=20)
    joint_agency_ids: list[Id] = Field(default_factory=list, max_length=20)
    advance_notice: Bool = False


class FiledTaskIn(Schema):
    agency_id: Id
    item_id: Id
    kind: TaskKind
    party_id: Id
    officer_ids: list[Id] = Field(min_length=1, max_length=20)
    title: str = Field(min_length=1, max_length=200)
    reason: str = Field(min_length=1, max_length=2000)
    starts_on: Date
    ends_on: Date
    is_emergency: Bool = False
    entered_inspection_id: Id | None = Field(
        None, ge=1, description="紧急检查：进企后 24 小时内补报的检查 id"
    )
    trigger_kind: TriggerKind = Field(
        TriggerKind.NONE,
        description="触发来源：空为日常检查（受年度上限与无事不扰限制）；complaint 投诉举报、referral 转办移送、"
        "lead 问题线索不受限。投诉举报、转办移送类检查缺省即为其触发来源。",
    )
    trigger_ref: str = Field("", max_length=200, description="来源编号：投诉编号、移送函号、案件或预警编号")


class TaskOut(Schema):
    id: int
    agency_id: int
    item_id: int
    plan_item_id: int | None
    kind: TaskKind
    title: str
    reason: str
    quarter: int | None
    starts_on: dt.date
    ends_on: dt.date
    status: str
    status_label: str
    party_count: int | None
    inspectors_per_inspection: int
    is_emergency: bool
    commitment: str
    commitment_seq: int | None
    filed_at: dt.datetime
    approved_at: dt.datetime | None
    joint_agency_ids: list[int]
    trigger_kind: TriggerKind
    trigger_ref: str


class TaskPage(Schema):
    items: list[TaskOut]
    next_cursor: str | None


class StratumOut(Schema):
    label: str
    pool: list[str]
    k: int
    selected: list[str]


class DrawOut(Schema):
    """Everything a draw published: re-run it with ``zhifa.inspections.draw.rerun`` (or in the browser)."""

    task_id: int
    task_title: str
    agency: str
    item_code: str
    item_name: str
    legal_basis: str
    rule: str
    commitment: str
    secret: str
    head_id: int
    head_tree_size: int
    head_root: str
    head_signed_at: dt.datetime
    seed: str
    pool_hash: str
    pool_size: int
    inspector_pool_hash: str
    inspector_pool: list[str]
    party_strata: list[StratumOut]
    inspector_strata: list[StratumOut]
    exclusions: dict[str, int]
    ledger_seq: int
    drawn_at: dt.datetime


# --- inspections ---------------------------------------------------------------------------------------------------


class AssignmentOut(Schema):
    officer_id: int
    name: str
    certificate_number: str


class InspectionOut(Schema):
    id: int
    task_id: int | None
    agency_id: int
    item_id: int | None
    party_id: int
    party_name: str
    kind: TaskKind
    status: str
    status_label: str
    scheduled_on: dt.date | None
    filed_at: dt.datetime | None
    is_emergency: bool
    entered_at: dt.datetime | None
    place: str
    entered_late: bool
    outcome: str
    findings: str
    rectify_deadline: dt.date | None
    recheck_passed: bool | None
    rectification_closed_at: dt.datetime | None
    publish_due: dt.date | None
    officers: list[AssignmentOut]
    mode: InspectionMode
    remote_method: str
    trigger_kind: TriggerKind
    trigger_ref: str


class InspectionPage(Schema):
    items: list[InspectionOut]
    next_cursor: str | None


class CodeOut(Schema):
    inspection_id: int
    code: str
    not_before: dt.datetime
    not_after: dt.datetime
    qr_svg: str


class CheckInIn(Schema):
    code: str = Field(min_length=1, max_length=1000)
    place: str = Field(min_length=1, max_length=200)
    at: DateTime | None = Field(None, description="离线记录的进企时间（带时区）；缺省为当前时间")


class UnfiledEntryIn(Schema):
    party_id: Id
    item_id: Id | None = None
    place: str = Field(min_length=1, max_length=200)
    at: DateTime | None = None
    emergency_reason: str = Field("", max_length=300)
    officer_ids: list[Id] = Field(default_factory=list, max_length=20)


class CodeOfficerOut(Schema):
    name: str
    certificate_number: str
    certificate_status: str
    certificate_expires_on: dt.date | None
    domains: list[str]
    issuer: str


class CodeViewOut(Schema):
    """企业扫码所见：谁来检查、执法证件、检查任务与依据。"""

    valid_now: bool
    not_before: dt.datetime
    not_after: dt.datetime
    agency: str
    task_title: str
    kind_label: str
    item_name: str
    legal_basis: str
    advance_notice: bool
    officers: list[CodeOfficerOut]


class ResultIn(Schema):
    outcome: Outcome
    findings: str = Field(min_length=1, max_length=10000)
    rectify_deadline: Date | None = None


class RemoteIn(Schema):
    """非现场检查: the method and when, then the result as on site; the evidence is uploaded first
    (``POST /api/evidence/`` with ``object_type = inspections.inspection``)."""

    method: RemoteMethod
    outcome: Outcome
    findings: str = Field(min_length=1, max_length=5000)
    rectify_deadline: Date | None = None
    at: DateTime | None = Field(None, description="检查时间（带时区）；缺省为当前时间")


class VisitCapIn(Schema):
    region_id: Id
    year: int = Field(ge=2000, le=2100)
    per_agency: int = Field(ge=1, le=50, description="同一部门对同一企业每年入企检查不超过（次）")
    per_enterprise: int = Field(ge=1, le=50, description="同一企业每年入企检查总数不超过（次）")
    basis: str = Field("", max_length=300)


class VisitCapOut(Schema):
    id: int
    region_id: int
    region_name: str
    year: int
    per_agency: int
    per_enterprise: int
    basis: str


class VisitCapPage(Schema):
    items: list[VisitCapOut]
    next_cursor: str | None


class VisitCountOut(Schema):
    """年度入企次数 against the caps in force for the party's place (``null``: no cap)."""

    year: int
    per_agency_cap: int | None
    per_enterprise_cap: int | None
    cap_region_id: int | None
    by_agency: int
    total: int
    agency_reached: bool
    enterprise_reached: bool
    no_disturb: bool


class NoDisturbOut(Schema):
    party_id: int
    party_name: str
    reason: str
    until: dt.date | None
    added_at: dt.datetime


class NoDisturbPage(Schema):
    items: list[NoDisturbOut]
    next_cursor: str | None


class RecheckIn(Schema):
    passed: Bool
    findings: str = Field(min_length=1, max_length=10000)


class FeedbackIn(Schema):
    rating: int = Field(ge=1, le=5)
    comment: str = Field("", max_length=500)
    problem_text: str = Field("", max_length=5000)


class FeedbackSummaryOut(Schema):
    agency_id: int
    count: int
    shown: bool
    average: float | None
    by_rating: dict[int, int]
    problems: int | None


class FeedbackOut(Schema):
    id: int
    inspection_id: int
    agency_id: int
    party_id: int
    rating: int
    comment: str
    problem_reported: bool
    problem_text: str
    created_at: dt.datetime


class FeedbackPage(Schema):
    items: list[FeedbackOut]
    next_cursor: str | None


# --- rectification reports and objections ----------------------------------------------------------------------


class RectificationIn(Schema):
    statement: str = Field(min_length=1, max_length=5000)


class RectificationOut(Schema):
    id: int
    inspection_id: int
    statement: str
    submitted_at: dt.datetime
    deadline: dt.date
    late: bool
    evidence_ids: list[int] = Field(max_length=1000)


class ObjectionIn(Schema):
    kind: ObjectionKind
    grounds: str = Field(min_length=1, max_length=5000)


class ObjectionAnswerIn(Schema):
    answer: str = Field(min_length=1, max_length=5000)


class ObjectionOut(Schema):
    id: int
    inspection_id: int
    agency_id: int
    party_id: int
    kind: ObjectionKind
    grounds: str
    state: ObjectionState
    created_at: dt.datetime
    answer: str
    answered_at: dt.datetime | None


class ObjectionPage(Schema):
    items: list[ObjectionOut]
    next_cursor: str | None


class ObjectionSummaryOut(Schema):
    agency_id: int
    count: int
    shown: bool
    by_kind: dict[str, int]
    open: int | None


# --- warnings, suggestions, case sources -----------------------------------------------------------------------


class WarningOut(Schema):
    id: int
    kind: WarningKind
    kind_label: str
    basis: str
    state: WarningState
    agency_id: int
    party_id: int | None
    inspection_id: int | None
    count: int
    threshold: int
    detail: dict[str, Any]
    suggestion: str
    created_at: dt.datetime
    note: str


class WarningPage(Schema):
    items: list[WarningOut]
    next_cursor: str | None


class NoteIn(Schema):
    note: str = Field(min_length=1, max_length=500)


class ReasonIn(Schema):
    reason: str = Field(min_length=1, max_length=500)


class MergeSuggestionOut(Schema):
    party_id: int
    party_name: str
    inspection_ids: list[int]
    agency_ids: list[int]
    first_due: dt.date
    last_due: dt.date
    joint: bool


class ProposalVisitOut(Schema):
    inspection_id: int
    agency_name: str
    item_name: str
    scheduled_on: dt.date | None


class MergeProposalOut(Schema):
    id: int
    party_id: int
    party_name: str
    status: str
    status_label: str
    window_days: int
    first_due: dt.date
    last_due: dt.date
    visits: list[ProposalVisitOut] = Field(max_length=1000)
    agency_names: list[str] = Field(max_length=100)
    agreed_names: list[str] = Field(max_length=100)
    survivor_id: int | None


class CaseSourceOut(Schema):
    ledger_seq: int
    inspection_id: int
    party_id: int
    agency_id: int
    item_id: int | None
    item_name: str
    legal_basis: str
    findings: str
    reason: str
    recorded_at: dt.datetime | None


# --- checklists: import and 一表通查 ---------------------------------------------------------------------------------


class ChecklistImportErrorOut(Schema):
    row: int
    column: str
    reason: str


class ChecklistImportedOut(Schema):
    row: int
    item_id: int
    item_code: str
    item_name: str
    agency_name: str
    version: int
    lines: int


class ChecklistImportOut(Schema):
    total_rows: int
    created: list[ChecklistImportedOut]
    errors: list[ChecklistImportErrorOut]
    ok: bool


class ChecklistLineSourceOut(Schema):
    agency_id: int
    agency_name: str
    item_id: int
    item_code: str
    item_name: str
    order: int


class VisitChecklistLineOut(Schema):
    key: str = Field(description="合并条目标识（检查内容与依据条款的摘要），录入结果时使用")
    number: int
    content: str
    basis: str
    method: str
    sources: list[ChecklistLineSourceOut]
    result: str | None = Field(description="conforms 符合 / nonconforming 不符合 / not_applicable 不涉及")
    result_label: str
    note: str
    recorded_at: dt.datetime | None


class VisitChecklistOut(Schema):
    inspection_id: int
    day: dt.date
    lines: list[VisitChecklistLineOut]
    items_without_checklist: list[str]
    recorded: int
    nonconforming: int


ChecklistLineValue = Annotated[
    str, Field(pattern="^(conforms|nonconforming|not_applicable)$", description="符合 / 不符合 / 不涉及")
]


class ChecklistResultIn(Schema):
    key: str = Field(min_length=1, max_length=32)
    result: ChecklistLineValue
    note: str = Field("", max_length=500)


class ChecklistRecordIn(Schema):
    results: list[ChecklistResultIn] = Field(min_length=1, max_length=1000)


class VisitWindowIn(Schema):
    """商定入企时间 (officer side): the days and daily hours offered, cut into slots."""

    first_day: Date
    last_day: Date
    day_starts: dt.time = Field(dt.time(9), description="每日起始时间，如 09:00")
    day_ends: dt.time = Field(dt.time(17), description="每日结束时间，如 17:00")
    slot_minutes: int = Field(60, ge=15, le=480)
    note: str = Field("", max_length=300)


class VisitWindowOut(Schema):
    inspection_id: int
    first_day: dt.date
    last_day: dt.date
    day_starts: dt.time
    day_ends: dt.time
    slot_minutes: int
    note: str
    offered_at: dt.datetime
    agreed_start: dt.datetime | None
    slots: int


# --- 综合查一次, 结果互认 --------------------------------------------------------------------------------------------


class JointPartIn(Schema):
    agency_id: Id
    item_id: Id


class JointTaskIn(Schema):
    """综合查一次 — with ``party_id`` a filed joint visit; without, a 跨部门联合抽查 of ``party_count`` parties."""

    agency_id: Id = Field(description="牵头部门")
    title: str = Field(min_length=1, max_length=200)
    reason: str = Field(min_length=1, max_length=2000)
    starts_on: Date
    ends_on: Date
    parts: list[JointPartIn] = Field(min_length=2, max_length=30, description="各部门的检查事项")
    party_id: Id | None = None
    officer_ids: list[Id] = Field(
        default_factory=list, max_length=20, description="牵头部门检查人员（报备时）"
    )
    industries: str = Field("", max_length=300, description="联合抽查的行业，逗号分隔")
    party_count: int | None = Field(None, ge=1, le=1000)
    inspectors_per_agency: int = Field(1, ge=1, le=5)


class JointApproveIn(Schema):
    officer_ids: list[Id] = Field(
        default_factory=list, max_length=20, description="本部门检查人员（报备的联合检查）"
    )


class CheckOut(Schema):
    id: int
    inspection_id: int
    agency_id: int
    agency_name: str
    item_id: int
    item_name: str
    task_id: int | None
    outcome: str
    findings: str
    result_at: dt.datetime | None
    rectify_deadline: dt.date | None
    recheck_passed: bool | None
    recognised_from_id: int | None
    case_source_seq: int | None


class RecognitionIn(Schema):
    item_id: Id = Field(description="本部门的检查事项")
    party_id: Id


class EquivalenceIn(Schema):
    item_a_id: Id
    item_b_id: Id
    note: str = Field("", max_length=300)


class OfflineActionOut(Schema):
    """离线操作 — one action captured offline and its sync result (applied, or a conflict with its reason)."""

    client_id: uuid.UUID
    inspection_id: int
    kind: OfflineActionKind
    kind_label: str
    state: OfflineActionState
    state_label: str
    reason: str
    reason_code: str
    captured_at: dt.datetime
    synced_at: dt.datetime
    beyond_window: bool
    evidence_id: int | None
    party_name: str
    officer_name: str


class OfflineActionPage(Schema):
    items: list[OfflineActionOut]
    next_cursor: str | None


class TaskCancelIn(Schema):
    reason: str = Field(min_length=1, max_length=500, description="撤销理由")
