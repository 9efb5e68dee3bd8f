"""Request and response shapes of the cases API (执法案件接口).

Dates are limited to 2000–2100 and amounts to two decimals below a trillion yuan at the edge; the services
check the rules of law again. A refused transition answers 409 ``{code, message, message_en}``.
"""

from __future__ import annotations

import datetime as dt
import enum
from decimal import Decimal
from typing import TYPE_CHECKING, Annotated

from ninja import Schema
from pydantic import AfterValidator, Field
from pydantic_core import PydanticCustomError

from zhifa.cases import models


def _enum(name: str, choices: type[models.models.TextChoices]) -> type[enum.Enum]:
    """The model's choices under a name of their own in the OpenAPI document (other apps have a ``Stage``)."""
    return enum.Enum(name, {c.name: c.value for c in choices}, type=str)  # type: ignore[return-value]


# The API's enums are the models' choices under names of their own. mypy cannot follow `enum.Enum(name, ...)`,
# so it checks them as the choices they copy: the same members and str values.
if TYPE_CHECKING:
    Stage = models.Stage
    Procedure = models.Procedure
    SourceKind = models.SourceKind
    PenaltyKind = models.PenaltyKind
    ServiceMethod = models.ServiceMethod
    NotPunishReason = models.NotPunishReason
    TransferTarget = models.TransferTarget
    TransferFeedback = models.TransferFeedback
    SeizureKind = models.SeizureKind
    ReleaseReason = models.ReleaseReason
    RemedyKind = models.RemedyKind
    HearingClosedReason = models.HearingClosedReason
    HearingEndReason = models.HearingEndReason
    RecusalInitiator = models.RecusalInitiator
else:
    Stage = _enum("CaseStage", models.Stage)
    Procedure = _enum("CaseProcedure", models.Procedure)
    SourceKind = _enum("CaseSourceKind", models.SourceKind)
    PenaltyKind = _enum("CasePenaltyKind", models.PenaltyKind)
    ServiceMethod = _enum("CaseServiceMethod", models.ServiceMethod)
    NotPunishReason = _enum("CaseNotPunishReason", models.NotPunishReason)
    TransferTarget = _enum("CaseTransferTarget", models.TransferTarget)
    TransferFeedback = _enum("CaseTransferFeedback", models.TransferFeedback)
    SeizureKind = _enum("CaseSeizureKind", models.SeizureKind)
    ReleaseReason = _enum("CaseSeizureReleaseReason", models.ReleaseReason)
    RemedyKind = _enum("CaseRemedyKind", models.RemedyKind)
    HearingClosedReason = _enum("CaseHearingClosedReason", models.HearingClosedReason)
    HearingEndReason = _enum("CaseHearingEndReason", models.HearingEndReason)
    RecusalInitiator = _enum("CaseRecusalInitiator", models.RecusalInitiator)


def _check_date(value: dt.date) -> dt.date:
    if not dt.date(2000, 1, 1) <= value <= dt.date(2100, 12, 31):
        raise PydanticCustomError(
            "invalid_date", "日期应在 2000 年至 2100 年之间。", {"message_en": "Dates run from 2000 to 2100."}
        )
    return value


Date = Annotated[dt.date, AfterValidator(_check_date)]
MAX_ID = 2**63 - 1  # the largest id the databases hold: a larger one is bad input, not a server error
Id = Annotated[int, Field(ge=1, le=MAX_ID)]
Yuan = Annotated[Decimal, Field(ge=0, max_digits=14, decimal_places=2)]
Text = Annotated[str, Field(max_length=500)]
LongText = Annotated[str, Field(max_length=5000)]
Kinds = Annotated[list[PenaltyKind], Field(min_length=1, max_length=len(models.PenaltyKind.values))]


# --- out ---------------------------------------------------------------------------------------------------------


class CaseNextActionOut(Schema):
    code: str
    label: str
    allowed: bool
    reason: str


class CaseNeedOut(Schema):
    needed: bool
    reasons: list[str]


class CasePartyOut(Schema):
    id: int
    name: str
    kind: str
    role: str


class CaseOfficerOut(Schema):
    id: int
    name: str
    is_lead: bool


class CaseExtensionOut(Schema):
    id: int
    days: int
    reason: str
    basis: str
    approved_on: dt.date
    previous_due: dt.date
    new_due: dt.date


class CaseLegalReviewOut(Schema):
    id: int
    agreed: bool
    opinion: str
    reviewed_on: dt.date
    notice_round: int


class CaseDiscussionOut(Schema):
    id: int
    held_on: dt.date
    participants: str
    conclusion: str
    notice_round: int


class SeizureOut(Schema):
    id: int
    case_id: int
    kind: SeizureKind
    items: list[str]
    place: str
    decided_on: dt.date
    testing_days: int
    due_on: dt.date
    extension_days: int
    extension_reason: str
    extended_on: dt.date | None
    status: str
    released_on: dt.date | None
    release_reason: str


class CaseEnforcementOut(Schema):
    demand_served_on: dt.date
    demand_due: dt.date
    amount_yuan: Decimal | None
    court_applied_on: dt.date | None
    court_name: str


class CaseOut(Schema):
    id: int
    number: str | None
    title: str
    procedure: Procedure
    stage: Stage
    stage_label: str
    agency_id: Id
    agency_name: str
    domain: str
    catalog_item_code: str
    source_kind: SourceKind
    source_received_on: dt.date
    opened_on: dt.date | None
    decision_due: dt.date | None
    next_deadline: dt.date | None
    deadline_state: str


class CaseRecusalOut(Schema):
    """回避 (行政处罚法 第四十三条): the application and, once made, the head's decision."""

    id: int
    officer_id: int
    initiator: str
    grounds: str
    applied_on: dt.date
    granted: bool | None
    decision_reason: str
    decided_on: dt.date | None
    replacement_id: int | None


class CaseDetailOut(CaseOut):
    facts: str
    source_check_due: dt.date | None = Field(
        None, description="案源核查期限（市场监督管理行政处罚程序规定第十八条）"
    )
    decision_correction: str = Field(
        "", description="决定被纠正：revoked 撤销、changed 变更、unlawful 确认违法、invalid 确认无效"
    )
    decision_corrected_on: dt.date | None = None
    decision_correction_reason: str = ""
    withdrawal_due: dt.date | None = Field(
        None, description="撤回公示的决定信息的期限（三个工作日，行政处罚法第四十八条第二款）"
    )
    source_reference: str
    source_summary: str
    not_opened_reason: str
    act_date: dt.date | None
    serious_harm: bool
    limitation_expired: bool
    is_complex: bool
    parties: list[CasePartyOut]
    officers: list[CaseOfficerOut]
    investigation_started_on: dt.date | None
    investigation_ended_on: dt.date | None
    notice_round: int
    notified_on: dt.date | None
    proposed_kinds: list[str]
    proposed_fine_yuan: Decimal | None
    proposed_confiscation_yuan: Decimal | None
    hearing_right: bool
    statement_due: dt.date | None
    hearing_request_due: dt.date | None
    statement_received_on: dt.date | None
    rights_waived_on: dt.date | None
    hearing_requested_on: dt.date | None
    hearing_notice_on: dt.date | None
    hearing_on: dt.date | None
    hearing_held_on: dt.date | None
    notice_served_on: dt.date | None
    notice_service_method: str
    statement_reviewed_on: dt.date | None
    statement_adopted: bool | None
    statement_review_opinion: str
    hearing_closed_reason: str
    hearing_ended_on: dt.date | None
    hearing_end_reason: str
    recusals: list[CaseRecusalOut]
    penalty_kinds: list[str]
    fine_yuan: Decimal | None
    confiscation_yuan: Decimal | None
    decision_text: str
    decided_on: dt.date | None
    not_punish_reason: str
    service_due: dt.date | None
    service_method: str
    served_on: dt.date | None
    served_late_reason: str
    place: str
    filing_due: dt.date | None
    filed_on: dt.date | None
    payment_due: dt.date | None
    paid_on: dt.date | None
    paid_yuan: Decimal | None
    surcharge_yuan: Decimal | None
    closed_on: dt.date | None
    archived_on: dt.date | None
    transfer_target: str
    transfer_target_name: str
    ended_on: dt.date | None
    end_reason: str
    extensions: list[CaseExtensionOut]
    legal_reviews: list[CaseLegalReviewOut]
    discussions: list[CaseDiscussionOut]
    seizures: list[SeizureOut]
    enforcement: CaseEnforcementOut | None
    needs_legal_review: CaseNeedOut
    needs_collective_discussion: CaseNeedOut
    next_actions: list[CaseNextActionOut]


class CasePage(Schema):
    items: list[CaseOut]
    next_cursor: str | None


class CaseDeadlinePage(Schema):
    items: list[CaseOut]
    next_cursor: str | None = Field(None, description="下一页游标：“期限日期:案件编号”，如 2026-05-01:123")


# --- in ----------------------------------------------------------------------------------------------------------


class CaseOnIn(Schema):
    on: Date | None = Field(None, description="办理日期，默认今天；不得晚于今天，不得早于上一环节")


class CaseOpenIn(CaseOnIn):
    officer_ids: list[Id] = Field(min_length=2, max_length=10, description="承办人员，第一位为主办")
    act_date: Date
    serious_harm: bool = False
    is_complex: bool = False
    facts: LongText = ""
    catalog_item_code: str | None = Field(None, max_length=64)
    approved_by_id: Id | None = Field(
        None,
        description="批准立案的机关负责人（用户编号）；机关负责人本人办理的不填（市场监督管理行政处罚程序规定第十八条）",
    )


class CaseCreateIn(Schema):
    agency_id: Id
    domain_code: str = Field(min_length=1, max_length=32)
    source_kind: SourceKind
    received_on: Date
    title: str = Field(min_length=1, max_length=200)
    summary: LongText = ""
    reference: str = Field("", max_length=64)
    party_ids: list[Id] = Field(min_length=1, max_length=20)
    catalog_item_code: str = Field("", max_length=64)
    open: CaseOpenIn | None = Field(None, description="同时立案")


class CaseReasonIn(CaseOnIn):
    reason: str = Field(min_length=1, max_length=500)


class CaseNotifyIn(CaseOnIn):
    kinds: Kinds
    fine_yuan: Yuan | None = None
    confiscation_yuan: Yuan | None = None
    grant_hearing: bool = Field(False, description="其他较重的行政处罚：另行告知听证权利")
    basis: str | None = Field(
        None,
        max_length=2000,
        description="违法和处罚的法律依据（法律、条、款、项）；不填取执法事项的依据，都没有则 422（行政处罚法第三十八条）",
    )
    different_act_reason: str = Field(
        "",
        max_length=500,
        description="确属不同违法行为的理由：已对当事人同一执法事项、同一违法行为发生日的行为罚款的，不填则 409 double_fine"
        "（行政处罚法第二十九条）",
    )


class CaseStatementIn(CaseOnIn):
    text: LongText = Field(min_length=1)


class CaseScheduleHearingIn(CaseOnIn):
    hearing_on: Date
    closed_reason: HearingClosedReason | None = Field(
        None,
        description="不公开举行的理由（国家秘密、商业秘密、个人隐私）；不填为公开举行（第六十四条第三项）",
    )


class CaseServeNoticeIn(CaseOnIn):
    """送达事先告知书 (行政处罚法 第六十四条第一项: the periods run from this day)."""

    method: ServiceMethod
    consent_confirmed: bool = False


class CaseReviewStatementIn(CaseOnIn):
    """陈述申辩复核 (行政处罚法 第四十五条第一款)."""

    adopted: bool
    opinion: LongText = Field(min_length=1)


class CaseEndHearingIn(CaseOnIn):
    """终止听证 (行政处罚法 第六十四条第六项)."""

    reason: HearingEndReason
    note: Annotated[str, Field(max_length=2000)] = ""


class CaseRecusalApplyIn(CaseOnIn):
    """申请回避 / 自行回避 (行政处罚法 第四十三条)."""

    officer_id: Id
    initiator: RecusalInitiator = RecusalInitiator.PARTY
    grounds: Annotated[str, Field(min_length=1, max_length=2000)]


class CaseRecusalDecideIn(CaseOnIn):
    """回避决定 (行政处罚法 第四十三条第三款): the oldest pending application."""

    granted: bool
    reason: Annotated[str, Field(min_length=1, max_length=2000)]
    replacement_officer_id: Id | None = None


class CaseHoldHearingIn(CaseOnIn):
    host_officer_id: Id
    summary: LongText = ""


class CaseLegalReviewIn(CaseOnIn):
    agreed: bool
    opinion: LongText = Field(min_length=1)


class CaseDiscussionIn(CaseOnIn):
    participants: Text = Field(min_length=1)
    conclusion: LongText = Field(min_length=1)


class CaseDecideIn(CaseOnIn):
    kinds: Kinds
    fine_yuan: Yuan | None = None
    confiscation_yuan: Yuan | None = None
    text: LongText = ""
    basis: str | None = Field(
        None,
        max_length=2000,
        description="违法和处罚的法律依据（法律、条、款、项）；不填取执法事项的依据，都没有则 422（行政处罚法第三十八条）",
    )
    different_act_reason: str = Field(
        "",
        max_length=500,
        description="确属不同违法行为的理由：已对当事人同一执法事项、同一违法行为发生日的行为罚款的，不填则 409 double_fine"
        "（行政处罚法第二十九条）",
    )


class CaseServeIn(CaseOnIn):
    method: ServiceMethod
    consent_confirmed: bool = False
    late_reason: str = Field("", max_length=300)


class CasePaymentIn(CaseOnIn):
    amount_yuan: Yuan


class CaseCourtIn(CaseOnIn):
    court_name: str = Field(min_length=1, max_length=200)


class CaseNotPunishIn(CaseOnIn):
    reason: NotPunishReason
    note: Text = ""


class CaseTransferIn(CaseOnIn):
    target: TransferTarget
    target_name: str = Field(min_length=1, max_length=200)
    reason: Text = Field(min_length=1)
    receiver_id: int | None = Field(
        None, ge=1, le=2**31 - 1, description="平台内接收单位（移送其他行政机关时可选；其确认接收并反馈）"
    )


class TransferReceiptIn(Schema):
    receipt_no: str = Field("", max_length=100, description="回执编号（移送司法机关时必填）")
    on: Date | None = Field(None, description="接收日期，默认今天")


class TransferFeedbackIn(Schema):
    result: TransferFeedback
    text: Text = Field(min_length=1)
    on: Date | None = Field(None, description="反馈日期，默认今天")


class CaseExtendIn(CaseOnIn):
    days: int = Field(ge=1, le=366)
    reason: Text = Field(min_length=1)
    basis: str = Field(min_length=1, max_length=300, description="延长的法律、法规、规章依据")
    discussion_participants: Text = Field(
        "",
        description="继续延长（第二次起）须经机关负责人集体讨论：参加人员（市场监督管理行政处罚程序规定第六十四条）",
    )
    discussion_conclusion: LongText = Field("", description="继续延长的集体讨论结论")


class ExcludedPeriodKindIn(enum.StrEnum):
    """不计入办案期限的期间类型（听证期间自动登记）."""

    SUSPENSION = "suspension"
    NOTICE = "notice"
    TESTING = "testing"
    APPRAISAL = "appraisal"
    IDENTIFICATION = "identification"
    REFUND = "refund"


class CaseExcludedPeriodIn(CaseOnIn):
    kind: ExcludedPeriodKindIn
    first_day: Date
    last_day: Date | None = Field(None, description="尚未结束的不填")
    reason: Text = ""


class CaseExcludedPeriodEndIn(CaseOnIn):
    kind: ExcludedPeriodKindIn
    last_day: Date


class CaseChangeDecisionIn(CaseOnIn):
    kinds: Kinds
    fine_yuan: Yuan | None = None
    confiscation_yuan: Yuan | None = None
    text: LongText = ""
    reason: Text = Field(min_length=1)


class CaseSourceCheckExtendIn(CaseOnIn):
    working_days: int = Field(ge=1, le=60, description="延长的工作日数（市场监管不超过十五个工作日）")
    reason: Text = Field(min_length=1)


class CaseFileIn(CaseOnIn):
    late_reason: str = Field("", max_length=300)


class CaseSimpleDecisionIn(CaseOnIn):
    agency_id: Id
    domain_code: str = Field(min_length=1, max_length=32)
    party_id: Id
    officer_ids: list[Id] = Field(min_length=1, max_length=10)
    kinds: Kinds
    fine_yuan: Yuan | None = None
    title: str = Field(min_length=1, max_length=200)
    facts: LongText = ""
    place: str = Field("", max_length=200)
    act_date: Date | None = None
    catalog_item_code: str = Field("", max_length=64)
    basis: str | None = Field(
        None,
        max_length=2000,
        description="违法和处罚的法律依据（法律、条、款、项）；不填取执法事项的依据，都没有则 422（行政处罚法第三十八条）",
    )
    statement: LongText = Field("", description="当事人的陈述、申辩（行政处罚法第四十五条）")


class SeizureIn(CaseOnIn):
    kind: SeizureKind
    value_yuan: Yuan | None = Field(
        None, description="涉案财物估值（元）；达到重大执法决定标准的，负责人批准前须经法制审核通过"
    )
    items: list[Annotated[str, Field(min_length=1, max_length=200)]] = Field(min_length=1, max_length=200)
    place: str = Field("", max_length=200)
    testing_days: int = Field(0, ge=0, le=365)
    approved_by_id: Id | None = Field(
        None, description="批准的机关负责人（用户 id）；先行登记保存必填（行政处罚法第五十六条）"
    )
    from_preservation_id: Id | None = Field(
        None, description="由本案的先行登记保存转为查封、扣押时，该先行登记保存的 id（七个工作日内）"
    )
    emergency: bool = Field(
        False, description="情况紧急、当场实施：二十四小时内报告机关负责人补办批准（行政强制法第十九条）"
    )


class SeizureApproveIn(CaseOnIn):
    approve: bool = Field(description="批准；否则不予批准并立即解除（行政强制法第十九条）")
    reason: str = Field("", max_length=500, description="不予批准的理由")


class SeizureExtendIn(CaseOnIn):
    days: int = Field(ge=1, le=366)
    reason: Text = Field(min_length=1)


class SeizureReleaseIn(CaseOnIn):
    reason: ReleaseReason


# --- 行政复议、行政诉讼 (the party's remedies against the decision) ------------------------------------------------


class CaseRemedyIn(CaseOnIn):
    """登记行政复议、行政诉讼; the same kind and application date again completes that record."""

    kind: RemedyKind
    applied_on: Date = Field(description="申请（起诉）日期；不早于决定书送达日期")
    decided_on: Date | None = Field(None, description="决定（裁判）日期")
    outcome: str = Field(
        "", max_length=30, description="结果（复议决定或者判决、裁定的种类），有决定日期时必填"
    )
    number: str = Field("", max_length=80, description="案号")


class CaseRemedyOut(Schema):
    id: int
    case_id: int
    kind: RemedyKind
    kind_label: str
    applied_on: dt.date
    decided_on: dt.date | None
    outcome: str
    outcome_label: str
    number: str


class CaseRemedyList(Schema):
    items: list[CaseRemedyOut]
