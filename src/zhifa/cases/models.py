"""Enforcement cases (执法案件): case sources, the general and simple procedures, administrative compulsion.

A ``Case`` is born as a case source (案源, stage ``source``) and moves through the stages of the general
procedure only by the services in ``zhifa.cases.services``; an on-the-spot decision (简易程序) is a case
created decided and handed over. The models hold data and simple invariants; the rules live in the services.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Q

from zhifa.core.fields import ClockDateTimeField


class Procedure(models.TextChoices):
    GENERAL = "general", "普通程序"
    SIMPLE = "simple", "简易程序"


class Stage(models.TextChoices):
    """案件环节 — the stages of the general procedure and its exits."""

    SOURCE = "source", "案源登记"
    OPENED = "opened", "立案"
    INVESTIGATION = "investigation", "调查取证"
    REVIEW = "review", "案件审查"
    NOTIFIED = "notified", "事先告知"
    HEARING = "hearing", "听证"
    LEGAL_REVIEW = "legal_review", "法制审核"
    COLLECTIVE_DISCUSSION = "collective_discussion", "集体讨论"
    DECIDED = "decided", "决定"
    SERVED = "served", "送达"
    EXECUTING = "executing", "执行"
    CLOSED = "closed", "结案"
    ARCHIVED = "archived", "归档"
    # exits
    NOT_OPENED = "not_opened", "不予立案"
    NOT_PUNISHED = "not_punished", "不予处罚"
    TRANSFERRED = "transferred", "移送"
    WITHDRAWN = "withdrawn", "撤案"


# Stages in which the 90-day decision period runs (行政处罚法 第六十条).
PRE_DECISION_STAGES = frozenset(
    {
        Stage.OPENED,
        Stage.INVESTIGATION,
        Stage.REVIEW,
        Stage.NOTIFIED,
        Stage.HEARING,
        Stage.LEGAL_REVIEW,
        Stage.COLLECTIVE_DISCUSSION,
    }
)
EXIT_STAGES = frozenset({Stage.NOT_OPENED, Stage.NOT_PUNISHED, Stage.TRANSFERRED, Stage.WITHDRAWN})
FINISHED_STAGES = EXIT_STAGES | {Stage.CLOSED, Stage.ARCHIVED}


class SourceKind(models.TextChoices):
    """案源 — where a possible violation came from."""

    INSPECTION = "inspection", "检查发现"
    COMPLAINT = "complaint", "投诉举报"
    REFERRAL = "referral", "移送"
    HOTLINE = "hotline_12345", "12345 工单"
    ASSIGNMENT = "assignment", "上级交办"
    OTHER = "other", "其他"


class PenaltyKind(models.TextChoices):
    """行政处罚的种类 (行政处罚法 第九条)."""

    WARNING = "warning", "警告"
    CRITICISM = "criticism", "通报批评"
    FINE = "fine", "罚款"
    CONFISCATE_INCOME = "confiscate_income", "没收违法所得"
    CONFISCATE_PROPERTY = "confiscate_property", "没收非法财物"
    SUSPEND_LICENCE = "suspend_licence", "暂扣许可证件"
    LOWER_QUALIFICATION = "lower_qualification", "降低资质等级"
    REVOKE_LICENCE = "revoke_licence", "吊销许可证件"
    RESTRICT_BUSINESS = "restrict_business", "限制开展生产经营活动"
    STOP_BUSINESS = "stop_business", "责令停产停业"
    CLOSE = "close", "责令关闭"
    RESTRICT_PRACTICE = "restrict_practice", "限制从业"
    OTHER = "other", "其他行政处罚"


class NotPunishReason(models.TextChoices):
    """不予处罚的理由."""

    MINOR_CORRECTED = "minor_corrected", "违法行为轻微并及时改正，没有造成危害后果（第三十三条第一款）"
    FIRST_MINOR = "first_minor", "初次违法且危害后果轻微并及时改正（第三十三条第一款）"
    NO_FAULT = "no_fault", "有证据足以证明没有主观过错（第三十三条第二款）"
    NOT_ESTABLISHED = "not_established", "违法事实不能成立（第五十七条第一款第三项）"
    LIMITATION = "limitation", "超过追责时效（第三十六条）"
    # 行政处罚法 第三十条: 不满十四周岁的未成年人有违法行为的，不予行政处罚，责令监护人加以管教.
    UNDER_14 = "under_14", "不满十四周岁的未成年人有违法行为（第三十条）"
    # 行政处罚法 第三十一条: 精神病人、智力残疾人在不能辨认或者不能控制自己行为时有违法行为的，不予行政处罚.
    MENTAL_INCAPACITY = (
        "mental_incapacity",
        "精神病人、智力残疾人在不能辨认或者不能控制自己行为时有违法行为（第三十一条）",
    )
    OTHER = "other", "其他依法不予处罚的情形"


class TransferTarget(models.TextChoices):
    AGENCY = "agency", "移送其他行政机关"
    JUDICIAL = "judicial", "涉嫌犯罪移送司法机关"


class ServiceMethod(models.TextChoices):
    """送达方式 (行政处罚法 第六十一条; 民事诉讼法 送达)."""

    ON_SITE = "on_site", "宣告后当场交付"
    DIRECT = "direct", "直接送达"
    LEFT = "left", "留置送达"
    ENTRUSTED = "entrusted", "委托送达"
    MAIL = "mail", "邮寄送达"
    ELECTRONIC = "electronic", "电子送达（当事人同意并签订确认书）"
    ANNOUNCEMENT = "announcement", "公告送达"


class DecisionCorrection(models.TextChoices):
    """行政处罚决定被依法变更、撤销、确认违法或者确认无效 (行政处罚法 第四十八条第二款)."""

    REVOKED = "revoked", "撤销"
    CHANGED = "changed", "变更"
    UNLAWFUL = "unlawful", "确认违法"
    INVALID = "invalid", "确认无效"


class HearingClosedReason(models.TextChoices):
    """不公开举行听证的理由 (行政处罚法 第六十四条第三项: 除涉及国家秘密、商业秘密或者个人隐私依法予以保密外，
    听证公开举行)."""

    STATE_SECRET = "state_secret", "涉及国家秘密"
    BUSINESS_SECRET = "business_secret", "涉及商业秘密"
    PRIVACY = "privacy", "涉及个人隐私"


class HearingEndReason(models.TextChoices):
    """终止听证 (行政处罚法 第六十四条第六项): the party is taken to have given up the hearing."""

    ABSENT = "absent", "当事人及其代理人无正当理由拒不出席听证"
    LEFT = "left", "当事人及其代理人未经许可中途退出听证"


class PartyRole(models.TextChoices):
    PARTY = "party", "当事人"
    THIRD_PARTY = "third_party", "第三人"


class Case(models.Model):
    """执法案件 — one administrative penalty case from its source to its archive."""

    agency = models.ForeignKey(
        "org.Agency", on_delete=models.PROTECT, related_name="cases", verbose_name="执法主体"
    )
    domain = models.ForeignKey(
        "org.Domain", on_delete=models.PROTECT, related_name="+", verbose_name="执法领域"
    )
    catalog_item_code = models.CharField(
        "执法事项编码",
        max_length=64,
        blank=True,
        help_text="行政执法事项清单中的事项（目录在后续议题中建立）",
    )
    procedure = models.CharField("程序", max_length=8, choices=Procedure.choices, default=Procedure.GENERAL)
    stage = models.CharField("环节", max_length=24, choices=Stage.choices, default=Stage.SOURCE)
    stage_entered_on = models.DateField("最近一步日期", null=True, blank=True)
    title = models.CharField("案由", max_length=200)
    facts = models.TextField("违法事实", blank=True)
    parties = models.ManyToManyField(
        "org.Party", through="CaseParty", related_name="cases", verbose_name="当事人"
    )
    officers = models.ManyToManyField(
        "org.Officer", through="CaseOfficer", related_name="cases", verbose_name="承办人员"
    )

    # 案源
    source_kind = models.CharField("案源类型", max_length=16, choices=SourceKind.choices)
    source_received_on = models.DateField("案源登记日期")
    source_reference = models.CharField("来源编号", max_length=64, blank=True, help_text="如 12345 工单号")
    source_summary = models.TextField("案源内容", blank=True)
    not_opened_reason = models.CharField("不予立案理由", max_length=500, blank=True)
    # 核查期限 — the period to check a lead before deciding whether to open (市场监督管理行政处罚程序规定 第十八条)
    source_check_due = models.DateField("案源核查期限", null=True, blank=True)
    source_check_extended_days = models.PositiveSmallIntegerField("核查期限延长（工作日）", default=0)
    # 立案 is approved by the agency head (市场监督管理行政处罚程序规定 第十八条: 由负责人决定是否立案)
    open_approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="批准立案的机关负责人",
    )

    # 立案
    number = models.CharField("案件编号", max_length=64, null=True, blank=True)
    number_year = models.PositiveSmallIntegerField("编号年度", null=True, blank=True)
    number_seq = models.PositiveIntegerField("编号序号", null=True, blank=True)
    opened_on = models.DateField("立案日期", null=True, blank=True)
    act_date = models.DateField("违法行为发生（终了）日", null=True, blank=True)
    serious_harm = models.BooleanField(
        "涉及生命健康安全、金融安全且有危害后果", default=False, help_text="追责时效五年（第三十六条）"
    )
    limitation_expired = models.BooleanField("立案时已超过追责时效", default=False)
    is_complex = models.BooleanField(
        "情节复杂或重大违法行为", default=False, help_text="须集体讨论（第五十七条第二款）"
    )
    decision_due = models.DateField("决定期限", null=True, blank=True)
    investigation_started_on = models.DateField("调查开始日期", null=True, blank=True)
    investigation_ended_on = models.DateField("调查终结日期", null=True, blank=True)

    # 事先告知（退回补充调查后重新告知时轮次加一；法制审核和集体讨论按轮次计）
    notice_round = models.PositiveSmallIntegerField("告知轮次", default=0)
    notified_on = models.DateField("告知日期", null=True, blank=True)
    proposed_kinds = models.JSONField("拟处罚种类", default=list, blank=True)
    proposed_fine_yuan = models.DecimalField(
        "拟罚款（元）", max_digits=14, decimal_places=2, null=True, blank=True
    )
    proposed_confiscation_yuan = models.DecimalField(
        "拟没收金额/价值（元）", max_digits=14, decimal_places=2, null=True, blank=True
    )
    hearing_right = models.BooleanField("告知听证权利", default=False)
    statement_due = models.DateField("陈述申辩截止日", null=True, blank=True)
    hearing_request_due = models.DateField("听证申请截止日", null=True, blank=True)
    statement_received_on = models.DateField("收到陈述申辩日期", null=True, blank=True)
    statement_text = models.TextField("陈述申辩内容", blank=True)
    rights_waived_on = models.DateField("当事人明确放弃陈述申辩、听证日期", null=True, blank=True)
    # 行政处罚法 第六十四条第一项: the hearing request period (and the statement period) run from service.
    notice_served_on = models.DateField("告知书送达日期", null=True, blank=True)
    notice_service_method = models.CharField(
        "告知书送达方式", max_length=16, choices=ServiceMethod.choices, blank=True
    )
    # 行政处罚法 第四十五条第一款: the agency reviews (复核) the facts, reasons and evidence the party gave.
    statement_reviewed_on = models.DateField("陈述申辩复核日期", null=True, blank=True)
    statement_adopted = models.BooleanField("陈述申辩意见是否采纳", null=True, blank=True)
    statement_review_opinion = models.TextField("复核意见", blank=True)

    # 听证
    hearing_requested_on = models.DateField("申请听证日期", null=True, blank=True)
    hearing_notice_on = models.DateField("听证通知日期", null=True, blank=True)
    hearing_on = models.DateField("听证日期", null=True, blank=True)
    hearing_held_on = models.DateField("举行听证日期", null=True, blank=True)
    hearing_closed_reason = models.CharField(
        "不公开举行听证的理由",
        max_length=16,
        choices=HearingClosedReason.choices,
        blank=True,
        help_text="空白为公开举行（行政处罚法第六十四条第三项）",
    )
    hearing_ended_on = models.DateField("终止听证日期", null=True, blank=True)
    hearing_end_reason = models.CharField(
        "终止听证的情形", max_length=8, choices=HearingEndReason.choices, blank=True
    )

    # 决定
    penalty_kinds = models.JSONField("处罚种类", default=list, blank=True)
    fine_yuan = models.DecimalField("罚款（元）", max_digits=14, decimal_places=2, null=True, blank=True)
    confiscation_yuan = models.DecimalField(
        "没收金额/价值（元）", max_digits=14, decimal_places=2, null=True, blank=True
    )
    decision_text = models.TextField("处罚内容", blank=True)
    legal_basis = models.TextField(
        "法律依据",
        blank=True,
        help_text="违反的法律条款和处罚依据（事先告知书、决定书载明，行政处罚法第四十四条、第五十九条）",
    )
    decided_on = models.DateField("决定日期", null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    not_punish_reason = models.CharField(
        "不予处罚理由", max_length=20, choices=NotPunishReason.choices, blank=True
    )

    # 送达
    service_due = models.DateField("送达期限", null=True, blank=True)
    service_method = models.CharField("送达方式", max_length=16, choices=ServiceMethod.choices, blank=True)
    served_on = models.DateField("送达日期", null=True, blank=True)
    served_late_reason = models.CharField("逾期送达原因", max_length=300, blank=True)

    # 简易程序：备案
    place = models.CharField("地点", max_length=200, blank=True)
    filing_due = models.DateField("备案期限", null=True, blank=True)
    filed_on = models.DateField("备案日期", null=True, blank=True)
    filed_late_reason = models.CharField("逾期备案原因", max_length=300, blank=True)

    # 执行
    payment_due = models.DateField("缴款期限", null=True, blank=True)
    paid_on = models.DateField("缴款日期", null=True, blank=True)
    paid_yuan = models.DecimalField("实缴金额（元）", max_digits=14, decimal_places=2, null=True, blank=True)
    surcharge_yuan = models.DecimalField(
        "加处罚款（元）", max_digits=14, decimal_places=2, null=True, blank=True
    )

    # 决定被依法变更、撤销、确认违法或者确认无效（行政处罚法第四十八条第二款：三日内撤回公示的决定信息）
    decision_correction = models.CharField(
        "决定被纠正", max_length=10, choices=DecisionCorrection.choices, blank=True
    )
    decision_corrected_on = models.DateField("纠正日期", null=True, blank=True)
    decision_correction_reason = models.CharField("纠正理由", max_length=500, blank=True)
    withdrawal_due = models.DateField(
        "撤回公示期限",
        null=True,
        blank=True,
        help_text="三个工作日（行政处罚法第四十八条第二款、第八十五条）",
    )

    # 结案、归档、出口
    closed_on = models.DateField("结案日期", null=True, blank=True)
    archived_on = models.DateField("归档日期", null=True, blank=True)
    archived_from = models.CharField("归档前环节", max_length=24, choices=Stage.choices, blank=True)
    transfer_target = models.CharField("移送对象", max_length=10, choices=TransferTarget.choices, blank=True)
    transfer_target_name = models.CharField("接收机关", max_length=200, blank=True)
    ended_on = models.DateField("办结日期（不予立案/不予处罚/移送/撤案）", null=True, blank=True)
    end_reason = models.CharField("理由", max_length=500, blank=True)

    # 工作台：当前环节最近的期限（由服务维护，用于按期限排序）
    next_deadline = models.DateField("当前期限", null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = ClockDateTimeField("登记时间", auto_now_add=True)
    updated_at = ClockDateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "执法案件"
        verbose_name_plural = verbose_name
        ordering = ["-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "number_year", "number_seq"],
                condition=Q(number_seq__isnull=False),
                name="case_number_unique_per_agency_year",
            ),
            models.CheckConstraint(
                name="case_fine_not_negative", condition=Q(fine_yuan__isnull=True) | Q(fine_yuan__gte=0)
            ),
            models.CheckConstraint(
                name="case_opened_has_number",
                condition=Q(opened_on__isnull=True) | Q(number__isnull=False),
            ),
            models.CheckConstraint(
                name="case_simple_has_no_general_stages",
                condition=~Q(procedure="simple") | Q(stage__in=["served", "executing", "closed", "archived"]),
            ),
        ]
        indexes = [
            models.Index(fields=["agency", "next_deadline", "id"], name="case_agency_deadline_idx"),
            models.Index(fields=["agency", "stage", "id"], name="case_agency_stage_idx"),
            models.Index(fields=["next_deadline", "id"], name="case_deadline_idx"),
            # lookups by 案件编号 (return visits, search boxes) and the supervision scan of served cases
            models.Index(fields=["number"], name="case_number_idx"),
            models.Index(fields=["stage", "id"], name="case_stage_idx"),
        ]

    def __str__(self) -> str:
        return self.number or f"案源 {self.pk}"

    @property
    def is_finished(self) -> bool:
        return self.stage in FINISHED_STAGES

    @property
    def hearing_over(self) -> bool:
        """The hearing was held, or ended because the party stayed away or left (第六十四条第六项)."""
        return bool(self.hearing_held_on or self.hearing_ended_on)


class CaseParty(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="party_links")
    party = models.ForeignKey("org.Party", on_delete=models.PROTECT, related_name="case_links")
    role = models.CharField("身份", max_length=16, choices=PartyRole.choices, default=PartyRole.PARTY)

    class Meta:
        verbose_name = "案件当事人"
        verbose_name_plural = verbose_name
        constraints = [models.UniqueConstraint(fields=["case", "party"], name="case_party_unique")]

    def __str__(self) -> str:
        return f"{self.case_id}:{self.party_id}"


class CaseOfficer(models.Model):
    """承办人员 — the officers who handle the case (the first is the lead, 主办)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="officer_links")
    officer = models.ForeignKey("org.Officer", on_delete=models.PROTECT, related_name="case_links")
    is_lead = models.BooleanField("主办", default=False)
    # A copy of the case's ``next_deadline`` (None once finished), kept by the services, so that "my cases by
    # deadline" is one range scan of this officer's open links however many cases the agency holds.
    next_deadline = models.DateField("当前期限", null=True, blank=True)

    class Meta:
        verbose_name = "承办人员"
        verbose_name_plural = verbose_name
        constraints = [models.UniqueConstraint(fields=["officer", "case"], name="case_officer_unique")]
        indexes = [
            models.Index(
                fields=["officer", "next_deadline", "case"],
                name="case_officer_deadline_idx",
                condition=Q(next_deadline__isnull=False),
            )
        ]

    def __str__(self) -> str:
        return f"{self.case_id}:{self.officer_id}"


class CaseNumberCounter(models.Model):
    """案件编号计数器 — one gapless counter per agency and year, taken under a row lock."""

    agency = models.ForeignKey("org.Agency", on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField("年度")
    last = models.PositiveIntegerField("已用至", default=0)

    class Meta:
        verbose_name = "案件编号计数器"
        verbose_name_plural = verbose_name
        constraints = [models.UniqueConstraint(fields=["agency", "year"], name="case_counter_unique")]

    def __str__(self) -> str:
        return f"{self.agency_id} {self.year}: {self.last}"


class DeadlineExtension(models.Model):
    """延长办案期限 — approved by the agency head, with its reason and legal basis (行政处罚法 第六十条)."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="extensions")
    days = models.PositiveSmallIntegerField("延长天数")
    reason = models.CharField("理由", max_length=500)
    basis = models.CharField("依据（法律、法规、规章）", max_length=300)
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    approved_on = models.DateField("批准日期")
    previous_due = models.DateField("原期限")
    new_due = models.DateField("新期限")
    discussion = models.ForeignKey(
        "CollectiveDiscussion",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="集体讨论记录",
        help_text="首次延长后再延长的，须经机关负责人集体讨论决定（市场监督管理行政处罚程序规定第六十四条）",
    )

    class Meta:
        verbose_name = "延长办案期限"
        verbose_name_plural = verbose_name
        ordering = ["id"]
        constraints = [models.CheckConstraint(condition=Q(days__gt=0), name="extension_days_positive")]

    def __str__(self) -> str:
        return f"延长 {self.days} 日至 {self.new_due:%Y-%m-%d}"


class ExcludedPeriodKind(models.TextChoices):
    """不计入办案期限的期间 — kinds a department's rule leaves out of the decision period (行政处罚法 第六十条:
    法律、法规、规章另有规定的，从其规定; 市场监督管理行政处罚程序规定 第六十四条第三款)."""

    HEARING = "hearing", "听证"
    SUSPENSION = "suspension", "案件中止"
    NOTICE = "notice", "公告"
    TESTING = "testing", "检测、检验、检疫"
    APPRAISAL = "appraisal", "鉴定"
    IDENTIFICATION = "identification", "权利人辨认或者鉴别"
    REFUND = "refund", "责令退还多收价款"


class ExcludedPeriod(models.Model):
    """不计入办案期限的期间 — first and last day (both counted; an open one has no last day yet).

    The hearing period (from the request to the hearing) is recorded by the hearing services themselves; the
    others by the handling officers. Whether a kind is left out depends on the case's domain
    (``zhifa.cases.periods.excluded_kinds``).
    """

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="excluded_periods")
    kind = models.CharField("类型", max_length=16, choices=ExcludedPeriodKind.choices)
    first_day = models.DateField("起始日")
    last_day = models.DateField("结束日", null=True, blank=True)
    reason = models.CharField("说明", max_length=500, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = ClockDateTimeField("登记时间", auto_now_add=True)

    class Meta:
        verbose_name = "不计入办案期限的期间"
        verbose_name_plural = verbose_name
        ordering = ["first_day", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(last_day__isnull=True) | Q(last_day__gte=models.F("first_day")),
                name="excluded_period_ends_after_start",
            ),
            models.UniqueConstraint(
                fields=["case", "kind"], condition=Q(last_day__isnull=True), name="excluded_period_one_open"
            ),
        ]

    def __str__(self) -> str:
        end = f"{self.last_day:%Y-%m-%d}" if self.last_day else "至今"
        return f"{self.get_kind_display()} {self.first_day:%Y-%m-%d}—{end}"

    @property
    def days(self) -> int | None:
        return (self.last_day - self.first_day).days + 1 if self.last_day else None


class LegalReviewOutcome(models.Model):
    """法制审核意见（简版） — agreed or not, by whom, when, the written opinion.

    Minimal on purpose: the full review workflow (issue "legal review") replaces ``case_record_legal_review``.
    """

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="legal_reviews")
    notice_round = models.PositiveSmallIntegerField("告知轮次", default=0)
    agreed = models.BooleanField("同意")
    reviewer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = ClockDateTimeField("审核时间", auto_now_add=True)
    reviewed_on = models.DateField("审核日期")
    opinion = models.TextField("审核意见")

    class Meta:
        verbose_name = "法制审核意见"
        verbose_name_plural = verbose_name
        ordering = ["id"]

    def __str__(self) -> str:
        return "同意" if self.agreed else "不同意"


class DiscussionPurpose(models.TextChoices):
    DECISION = "decision", "决定处罚"
    # 市场监督管理行政处罚程序规定 第六十四条: a further extension of the decision period after the first.
    EXTENSION = "extension", "决定是否继续延长办案期限"


class CollectiveDiscussion(models.Model):
    """集体讨论 — the agency heads' collective decision on a complex or major case (行政处罚法 第五十七条),
    or on whether to extend the decision period once more (市场监督管理行政处罚程序规定 第六十四条)."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="discussions")
    notice_round = models.PositiveSmallIntegerField("告知轮次", default=0)
    purpose = models.CharField(
        "议题", max_length=10, choices=DiscussionPurpose.choices, default=DiscussionPurpose.DECISION
    )
    held_on = models.DateField("讨论日期")
    participants = models.CharField("参加人员", max_length=500)
    conclusion = models.TextField("讨论结论")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = "集体讨论记录"
        verbose_name_plural = verbose_name
        ordering = ["id"]

    def __str__(self) -> str:
        return f"集体讨论 {self.held_on:%Y-%m-%d}"


class RecusalInitiator(models.TextChoices):
    PARTY = "party", "当事人申请回避"
    OFFICER = "officer", "执法人员自行回避"


class Recusal(models.Model):
    """回避 — an officer with a direct interest or another relation that may affect fairness steps aside
    (行政处罚法 第四十三条). Applied for by the party or declared by the officer; decided by the agency head;
    until then the investigation goes on (决定作出之前，不停止调查)."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="recusals")
    officer = models.ForeignKey(
        "org.Officer", on_delete=models.PROTECT, related_name="recusals", verbose_name="申请回避的执法人员"
    )
    initiator = models.CharField("提出方式", max_length=8, choices=RecusalInitiator.choices)
    grounds = models.TextField("回避理由")
    applied_on = models.DateField("申请日期")
    applied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="登记人"
    )
    granted = models.BooleanField("决定回避", null=True, blank=True)
    decision_reason = models.TextField("决定理由", blank=True)
    decided_on = models.DateField("决定日期", null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="决定的机关负责人",
    )
    replacement = models.ForeignKey(
        "org.Officer",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="另行指定的执法人员",
    )

    class Meta:
        verbose_name = "回避"
        verbose_name_plural = verbose_name
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(decided_on__isnull=True, granted__isnull=True)
                | Q(decided_on__isnull=False, granted__isnull=False),
                name="recusal_decision_complete",
            )
        ]

    def __str__(self) -> str:
        return f"回避 {self.applied_on:%Y-%m-%d}"

    @property
    def status(self) -> str:
        if self.granted is None:
            return "待决定"
        return "决定回避" if self.granted else "驳回申请"


# --- 行政强制 ----------------------------------------------------------------------------------------------------


class SeizureKind(models.TextChoices):
    """The measures on property a case may take: 查封、扣押 (行政强制法 第九条) and 先行登记保存 — evidence
    preservation, a means of taking evidence rather than a compulsory measure (行政处罚法 第五十六条)."""

    SEAL = "seal", "查封"
    DETAIN = "detain", "扣押"
    PRESERVE = "preserve", "先行登记保存"


class SeizureStatus(models.TextChoices):
    ACTIVE = "active", "实施中"
    RELEASED = "released", "已解除"
    # 行政强制法 第二十七条: a handling decision (没收、销毁) ends the measure on the property.
    HANDLED = "handled", "已作出处理决定"


class SeizureHandling(models.TextChoices):
    """查封、扣押后的处理决定 (行政强制法 第二十七条) other than 解除 (which is ``seizure_release``)."""

    CONFISCATE = "confiscate", "没收（依法应当没收的非法财物）"
    DESTROY = "destroy", "销毁（法律、行政法规规定应当销毁）"


class ReleaseReason(models.TextChoices):
    """解除查封、扣押的情形 (行政强制法 第二十八条)."""

    NO_VIOLATION = "no_violation", "当事人没有违法行为"
    UNRELATED = "unrelated", "场所、设施或者财物与违法行为无关"
    DECIDED = "decided", "已对违法行为作出处理决定，不再需要查封、扣押"
    EXPIRED = "expired", "查封、扣押期限已经届满"
    NO_LONGER_NEEDED = "no_longer_needed", "其他不再需要采取查封、扣押措施的情形"
    # 先行登记保存的处理决定 (行政处罚法 第五十六条): the preserved goods are sealed or seized instead.
    CONVERTED = "converted", "先行登记保存后依法转为查封、扣押"
    # 行政强制法 第十九条: acted on in an emergency, the head does not approve — released at once.
    REFUSED = "refused", "机关负责人认为不应当采取，不予批准"


class Seizure(models.Model):
    """查封、扣押 — an administrative compulsory measure within a case, with its decision and inventory."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="seizures")
    kind = models.CharField("措施", max_length=8, choices=SeizureKind.choices)
    items = models.JSONField("清单", default=list)
    # 重大执法决定法制审核 (国办发〔2018〕118号): a measure on property worth at least the configurable
    # threshold (limits MAJOR_SEIZURE_YUAN) is a major decision that needs a passed legal review.
    value_yuan = models.DecimalField(
        "涉案财物估值（元）", max_digits=14, decimal_places=2, null=True, blank=True
    )
    place = models.CharField("地点", max_length=200, blank=True)
    decided_on = models.DateField("决定日期")
    testing_days = models.PositiveSmallIntegerField(
        "检测、检验、检疫或者技术鉴定期间（天）",
        default=0,
        help_text="不计入查封、扣押期限（第二十五条第三款）",
    )
    due_on = models.DateField("期限届满日")
    extension_days = models.PositiveSmallIntegerField("延长天数", default=0)
    extension_reason = models.CharField("延长理由", max_length=500, blank=True)
    extension_approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    extended_on = models.DateField("延长批准日期", null=True, blank=True)
    # 行政强制法 第二十五条第二款: 延长查封、扣押的决定应当及时书面告知当事人，并说明理由.
    extension_notified_on = models.DateField("延长决定书面告知日期", null=True, blank=True)
    extension_notice_method = models.CharField(
        "告知方式", max_length=20, choices=ServiceMethod.choices, blank=True
    )
    # 行政强制法 第二十七条: the handling decision within the period.
    handling = models.CharField("处理决定", max_length=12, choices=SeizureHandling.choices, blank=True)
    handled_on = models.DateField("处理决定日期", null=True, blank=True)
    handling_note = models.CharField("处理决定说明（文号、依据）", max_length=500, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="批准的机关负责人",
        help_text="先行登记保存须经行政机关负责人批准（行政处罚法第五十六条）",
    )
    approved_on = models.DateField("批准日期", null=True, blank=True)
    # 行政强制法 第十九条: in an emergency the officers act first and report to the head within 24 hours.
    emergency = models.BooleanField("情况紧急，当场实施", default=False)
    acted_at = ClockDateTimeField("实施时间", null=True, blank=True)
    report_due = ClockDateTimeField(
        "报告负责人并补办批准期限",
        null=True,
        blank=True,
        help_text="当场实施后二十四小时内（行政强制法第十九条）",
    )
    status = models.CharField(
        "状态", max_length=10, choices=SeizureStatus.choices, default=SeizureStatus.ACTIVE
    )
    released_on = models.DateField("解除日期", null=True, blank=True)
    release_reason = models.CharField("解除理由", max_length=20, choices=ReleaseReason.choices, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = "查封扣押"
        verbose_name_plural = verbose_name
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(extension_days__lte=30), name="seizure_extension_at_most_30_days"
            ),
        ]
        indexes = [models.Index(fields=["status", "due_on"], name="seizure_status_due_idx")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.decided_on:%Y-%m-%d}"


class SeizureLegalReview(models.Model):
    """重大查封、扣押的法制审核 — a legal review of a major measure on property before the head approves it
    (国办发〔2018〕118号 重大执法决定法制审核制度). Recorded on the case before the measure exists; the measure
    it cleared is set when the head's approval uses it (one review, one measure)."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="seizure_reviews")
    seizure = models.OneToOneField(
        "Seizure", null=True, blank=True, on_delete=models.PROTECT, related_name="legal_review"
    )
    kind = models.CharField("措施", max_length=8, choices=SeizureKind.choices)
    value_yuan = models.DecimalField("涉案财物估值（元）", max_digits=14, decimal_places=2)
    agreed = models.BooleanField("同意")
    opinion = models.TextField("审核意见")
    reviewer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    reviewed_on = models.DateField("审核日期")

    class Meta:
        verbose_name = "查封扣押法制审核"
        verbose_name_plural = verbose_name
        ordering = ["id"]

    def __str__(self) -> str:
        return "同意" if self.agreed else "不同意"


class EnforcementDemand(models.Model):
    """催告 and 申请法院强制执行 — the written demand before court enforcement (行政强制法 第五十四条)."""

    case = models.OneToOneField(Case, on_delete=models.PROTECT, related_name="enforcement")
    demand_served_on = models.DateField("催告书送达日期")
    demand_due = models.DateField("催告期满日")
    amount_yuan = models.DecimalField(
        "催告金额（元）", max_digits=14, decimal_places=2, null=True, blank=True
    )
    court_applied_on = models.DateField("申请法院强制执行日期", null=True, blank=True)
    court_name = models.CharField("受理法院", max_length=200, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = "催告与申请强制执行"
        verbose_name_plural = verbose_name

    def __str__(self) -> str:
        return f"催告 {self.demand_served_on:%Y-%m-%d}"


class DemandStatement(models.Model):
    """催告后当事人的陈述、申辩 and the agency's 复核 (行政强制法 第三十六条): recorded, reviewed; what is
    established is adopted."""

    demand = models.ForeignKey(EnforcementDemand, on_delete=models.PROTECT, related_name="statements")
    received_on = models.DateField("收到日期")
    text = models.TextField("陈述、申辩内容")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    reviewed_on = models.DateField("复核日期", null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    established = models.BooleanField("事实、理由或者证据成立", null=True, blank=True)
    review_note = models.TextField("复核意见（成立的，写明如何采纳）", blank=True)

    class Meta:
        verbose_name = "催告陈述申辩"
        verbose_name_plural = verbose_name
        ordering = ["received_on", "id"]

    def __str__(self) -> str:
        return f"陈述申辩 {self.received_on:%Y-%m-%d}"


class RemedyKind(models.TextChoices):
    RECONSIDERATION = "reconsideration", "行政复议"
    LITIGATION = "litigation", "行政诉讼"


class RemedyOutcome(models.TextChoices):
    """复议决定 (行政复议法 2023 第六十三条至第六十九条) and 判决/裁定 (行政诉讼法 第六十九条至第七十八条)."""

    # 行政复议
    UPHELD = "upheld", "维持"
    REVOKED = "revoked", "撤销"
    CHANGED = "changed", "变更"
    CONFIRMED_ILLEGAL = "confirmed_illegal", "确认违法"
    CONFIRMED_VOID = "confirmed_void", "确认无效"
    ORDERED_TO_PERFORM = "ordered_to_perform", "责令履行"
    REJECTED = "rejected", "驳回复议请求"
    TERMINATED = "terminated", "终止"
    MEDIATED = "mediated", "调解"
    # 行政诉讼
    CLAIM_REJECTED = "claim_rejected", "驳回诉讼请求"
    PAYMENT_ORDERED = "payment_ordered", "判决给付"
    WITHDRAWN = "withdrawn", "撤诉"
    OTHER = "other", "其他"


RECONSIDERATION_OUTCOMES = frozenset(
    {
        RemedyOutcome.UPHELD,
        RemedyOutcome.REVOKED,
        RemedyOutcome.CHANGED,
        RemedyOutcome.CONFIRMED_ILLEGAL,
        RemedyOutcome.CONFIRMED_VOID,
        RemedyOutcome.ORDERED_TO_PERFORM,
        RemedyOutcome.REJECTED,
        RemedyOutcome.TERMINATED,
        RemedyOutcome.MEDIATED,
        RemedyOutcome.OTHER,
    }
)
LITIGATION_OUTCOMES = frozenset(
    {
        RemedyOutcome.CLAIM_REJECTED,
        RemedyOutcome.REVOKED,
        RemedyOutcome.CHANGED,
        RemedyOutcome.CONFIRMED_ILLEGAL,
        RemedyOutcome.CONFIRMED_VOID,
        RemedyOutcome.ORDERED_TO_PERFORM,
        RemedyOutcome.PAYMENT_ORDERED,
        RemedyOutcome.WITHDRAWN,
        RemedyOutcome.MEDIATED,
        RemedyOutcome.OTHER,
    }
)


def _remedy_outcomes() -> list[tuple[str, str]]:
    # A callable, named by migration 0007 (the outcomes were zhifa.stats's before they moved here).
    return list(RemedyOutcome.choices)


class CaseRemedy(models.Model):
    """行政复议、行政诉讼 the party brought against the decision: applied on, decided on, outcome.

    While one is pending the late-payment surcharge does not run (行政处罚法 第七十三条第三款); the
    imported outcomes (``zhifa.stats`` remedy import) complete the record of the case their 文号 names.
    """

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="remedies")
    kind = models.CharField("类型", max_length=20, choices=RemedyKind.choices)
    applied_on = models.DateField("申请（起诉）日期")
    decided_on = models.DateField("决定（裁判）日期", null=True, blank=True)
    outcome = models.CharField("结果", max_length=30, choices=_remedy_outcomes, blank=True)
    number = models.CharField("案号", max_length=80, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )

    class Meta:
        verbose_name = "行政复议、行政诉讼"
        verbose_name_plural = verbose_name
        ordering = ["applied_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(decided_on__isnull=True) | Q(decided_on__gte=models.F("applied_on")),
                name="remedy_decided_after_applied",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.applied_on:%Y-%m-%d}"

    @property
    def period(self) -> tuple[dt.date, dt.date]:
        """The days the surcharge does not run (第七十三条第三款): a pending one runs on."""
        return self.applied_on, self.decided_on or dt.date.max


# --- 罚款的执行：刑事折抵、暂缓分期、当场收缴 ---------------------------------------------------------------------


class CriminalJudgment(models.Model):
    """刑事判决 — a criminal court's judgment on the same act: its 罚金 offsets the fine (行政处罚法 第三十五条)."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="criminal_judgments")
    court = models.CharField("判决法院", max_length=200)
    number = models.CharField("判决书案号", max_length=80)
    judged_on = models.DateField("判决日期")
    criminal_fine_yuan = models.DecimalField("判处罚金（元）", max_digits=14, decimal_places=2, default=0)
    custody = models.CharField("判处拘役、有期徒刑", max_length=200, blank=True)
    recorded_on = models.DateField("登记日期")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = "刑事判决（折抵）"
        verbose_name_plural = verbose_name
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(criminal_fine_yuan__gte=0), name="criminal_judgment_fine_not_negative"
            )
        ]

    def __str__(self) -> str:
        return f"{self.court} {self.number}"


class PaymentPlanKind(models.TextChoices):
    """暂缓或者分期缴纳罚款 (行政处罚法 第六十六条第二款)."""

    DEFER = "defer", "暂缓缴纳"
    INSTALMENTS = "instalments", "分期缴纳"


class PaymentPlanStatus(models.TextChoices):
    APPLIED = "applied", "待批准"
    APPROVED = "approved", "已批准"
    REFUSED = "refused", "不予批准"


class PaymentPlan(models.Model):
    """暂缓、分期缴纳 — the party's application and the agency's approval, with its schedule (第六十六条)."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="payment_plans")
    kind = models.CharField("方式", max_length=12, choices=PaymentPlanKind.choices)
    reason = models.CharField("经济困难的情况", max_length=500)
    applied_on = models.DateField("申请日期")
    status = models.CharField(
        "状态", max_length=10, choices=PaymentPlanStatus.choices, default=PaymentPlanStatus.APPLIED
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_on = models.DateField("批准（不予批准）日期", null=True, blank=True)
    decision_note = models.CharField("审批意见", max_length=500, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = "暂缓、分期缴纳罚款"
        verbose_name_plural = verbose_name
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}（{self.get_status_display()}）"


class Instalment(models.Model):
    """One instalment (or the one deferred payment) of a payment plan: its due date and amount."""

    plan = models.ForeignKey(PaymentPlan, on_delete=models.CASCADE, related_name="instalments")
    seq = models.PositiveSmallIntegerField("期次")
    due_on = models.DateField("缴纳期限")
    amount_yuan = models.DecimalField("金额（元）", max_digits=14, decimal_places=2)
    paid_on = models.DateField("缴纳日期", null=True, blank=True)
    paid_yuan = models.DecimalField("实缴（元）", max_digits=14, decimal_places=2, null=True, blank=True)
    surcharge_yuan = models.DecimalField(
        "加处罚款（元）", max_digits=14, decimal_places=2, null=True, blank=True
    )

    class Meta:
        verbose_name = "分期缴纳"
        verbose_name_plural = verbose_name
        ordering = ["plan", "seq"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "seq"], name="instalment_seq_unique"),
            models.CheckConstraint(condition=Q(amount_yuan__gt=0), name="instalment_amount_positive"),
        ]

    def __str__(self) -> str:
        return f"第 {self.seq} 期 {self.amount_yuan} 元（{self.due_on:%Y-%m-%d} 前）"


class CollectionGround(models.TextChoices):
    """当场收缴罚款的情形 (行政处罚法 第六十八条、第六十九条)."""

    SMALL_FINE = "small_fine", "当场处罚，依法给予一百元以下罚款（第六十八条第一项）"
    HARD_TO_ENFORCE = "hard_to_enforce", "当场处罚，不当场收缴事后难以执行（第六十八条第二项）"
    REMOTE = "remote", "边远、水上、交通不便地区，当事人缴纳确有困难并提出（第六十九条）"


class OnSpotCollection(models.Model):
    """当场收缴罚款 — the ground, the 专用票据 (第七十条), and the money handed in within two working days to the
    agency and by it within two to the bank (第七十一条、第八十五条)."""

    case = models.OneToOneField(Case, on_delete=models.PROTECT, related_name="collection")
    ground = models.CharField("情形", max_length=20, choices=CollectionGround.choices)
    receipt_number = models.CharField("专用票据号码", max_length=64)
    amount_yuan = models.DecimalField("收缴金额（元）", max_digits=14, decimal_places=2)
    collected_on = models.DateField("收缴日期")
    on_water = models.BooleanField("在水上收缴", default=False)
    ashore_on = models.DateField("抵岸日期", null=True, blank=True)
    hand_in_due = models.DateField("交至行政机关期限", null=True, blank=True)
    handed_in_on = models.DateField("交至行政机关日期", null=True, blank=True)
    bank_due = models.DateField("缴付银行期限", null=True, blank=True)
    banked_on = models.DateField("缴付银行日期", null=True, blank=True)
    collected_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = "当场收缴罚款"
        verbose_name_plural = verbose_name

    def __str__(self) -> str:
        return f"当场收缴 {self.amount_yuan} 元（票据 {self.receipt_number}）"


# --- 文书 -------------------------------------------------------------------------------------------------------


class DocumentType(models.TextChoices):
    """执法文书 — the types the platform renders; the word in the number follows each type."""

    FILING_APPROVAL = "filing_approval", "立案审批表"
    INQUIRY_RECORD = "inquiry_record", "询问笔录"
    INSPECTION_RECORD = "inspection_record", "现场检查（勘验）笔录"
    PRESERVATION_NOTICE = "preservation_notice", "先行登记保存证据通知书"
    SEIZURE_DECISION = "seizure_decision", "查封（扣押）决定书"
    SEIZURE_INVENTORY = "seizure_inventory", "查封（扣押）/先行登记保存财物清单"
    SEIZURE_EXTENSION = "seizure_extension", "延长查封（扣押）期限决定书"
    SEIZURE_RELEASE = "seizure_release", "解除查封（扣押）决定书"
    EXTENSION_APPROVAL = "extension_approval", "延长办案期限审批表"
    PRIOR_NOTICE = "prior_notice", "行政处罚事先告知书"
    HEARING_NOTICE = "hearing_notice", "听证通知书"
    HEARING_RECORD = "hearing_record", "听证笔录"
    DECISION = "decision", "行政处罚决定书"
    NOT_PUNISH_DECISION = "not_punish_decision", "不予行政处罚决定书"
    SERVICE_RECEIPT = "service_receipt", "送达回证"
    DEMAND = "demand", "催告书"
    COURT_APPLICATION = "court_application", "强制执行申请书"
    CLOSING_APPROVAL = "closing_approval", "结案审批表"


class DocumentStatus(models.TextChoices):
    ISSUED = "issued", "有效"
    VOIDED = "voided", "已作废"


class DocumentNumberCounter(models.Model):
    """文书编号计数器 — one row per agency, document type and year, taken under a row lock (gapless)."""

    agency = models.ForeignKey("org.Agency", on_delete=models.PROTECT, related_name="+")
    doc_type = models.CharField("文书类型", max_length=20, choices=DocumentType.choices)
    year = models.PositiveSmallIntegerField("年度")
    last = models.PositiveIntegerField("已用至", default=0)

    class Meta:
        verbose_name = "文书编号计数器"
        verbose_name_plural = verbose_name
        constraints = [
            models.UniqueConstraint(fields=["agency", "doc_type", "year"], name="doc_counter_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.doc_type} {self.year}: {self.last}"


class CaseDocument(models.Model):
    """执法文书 — one issued document: its number, the PDF, its SHA-256 and the platform's signature over it.

    A number, once issued, stays with its row: voiding keeps the row (status, reason, date) so the number is
    recorded as voided and never issued again.
    """

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="documents")
    seizure = models.ForeignKey(
        Seizure,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="documents",
        verbose_name="所涉查封扣押/先行登记保存",
    )
    agency = models.ForeignKey("org.Agency", on_delete=models.PROTECT, related_name="+")
    doc_type = models.CharField("文书类型", max_length=20, choices=DocumentType.choices)
    year = models.PositiveSmallIntegerField("年度")
    seq = models.PositiveIntegerField("序号")
    number = models.CharField("文书编号", max_length=80, unique=True)
    pdf = models.BinaryField("PDF")
    sha256 = models.CharField("SHA-256", max_length=64)
    signature = models.CharField("签名（Ed25519，十六进制）", max_length=128)
    public_key = models.CharField("签名公钥（十六进制）", max_length=64)
    status = models.CharField(
        "状态", max_length=8, choices=DocumentStatus.choices, default=DocumentStatus.ISSUED
    )
    void_reason = models.CharField("作废理由", max_length=300, blank=True)
    voided_on = models.DateField("作废日期", null=True, blank=True)
    issued_on = models.DateField("出具日期")
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = ClockDateTimeField("生成时间", auto_now_add=True)

    class Meta:
        verbose_name = "执法文书"
        verbose_name_plural = verbose_name
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["agency", "doc_type", "year", "seq"], name="doc_number_unique"),
            models.CheckConstraint(
                condition=Q(status="issued") | ~Q(void_reason=""), name="doc_voided_has_reason"
            ),
        ]

    def __str__(self) -> str:
        return self.number


class TransferFeedback(models.TextChoices):
    """接收机关的反馈 — what the receiving organ did with a transferred case."""

    ACCEPTED = "accepted", "已立案（受理）"
    DECLINED = "declined", "不予立案（不予受理）"
    RETURNED = "returned", "退回移送机关"


class TransferReceipt(models.Model):
    """移送回执与反馈 — the receipt and the feedback of the organ a case was transferred to (行刑衔接: 公安机关、
    检察院; or another agency). 行政处罚法 第二十七条: “违法行为涉嫌犯罪的，行政机关应当及时将案件移送司法机关”;
    seed 002: “重点完善部门间……移送行政执法案件协作机制,防止相互推诿,造成工作脱节”.

    For a transfer to an agency on the platform (``receiver``) that agency acknowledges and answers itself; for
    the judicial organs the transferring agency records the 回执 and the 反馈 it received on paper."""

    case = models.OneToOneField(Case, on_delete=models.PROTECT, related_name="transfer_receipt")
    receiver = models.ForeignKey(
        "org.Agency",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="接收单位",
    )
    received_on = models.DateField("接收日期", null=True, blank=True)
    receipt_no = models.CharField("回执编号", max_length=100, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    feedback = models.CharField("反馈结果", max_length=10, choices=TransferFeedback.choices, blank=True)
    feedback_text = models.TextField("反馈内容", blank=True)
    feedback_on = models.DateField("反馈日期", null=True, blank=True)

    class Meta:
        verbose_name = "移送回执与反馈"
        verbose_name_plural = verbose_name
        constraints = [
            models.CheckConstraint(
                condition=Q(feedback="") | Q(received_on__isnull=False),
                name="case_transfer_feedback_after_receipt",
            ),
        ]

    def __str__(self) -> str:
        return f"TransferReceipt #{self.pk}"
