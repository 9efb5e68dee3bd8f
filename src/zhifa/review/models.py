"""法制审核 — the catalog of major decisions, the legal review workflow and the collective discussion record.

Data and invariants only; every change goes through ``zhifa.review.services``.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from zhifa.cases.models import PenaltyKind
from zhifa.core.fields import ClockDateTimeField

# --- 重大执法决定法制审核目录 ------------------------------------------------------------------------------------


class MajorDecisionCatalog(models.Model):
    """重大执法决定法制审核目录清单 — one version per agency, in force from ``effective_from``.

    A version stays in force until the next version of the same agency takes effect (or ``effective_to``).
    Empty thresholds mean "no criterion of this kind".
    """

    agency = models.ForeignKey("org.Agency", on_delete=models.PROTECT, related_name="major_catalogs")
    effective_from = models.DateField("生效日期")
    effective_to = models.DateField("失效日期", null=True, blank=True)
    fine_citizen_yuan = models.DecimalField(
        "自然人罚款标准（元，达到即为重大）", max_digits=14, decimal_places=2, null=True, blank=True
    )
    fine_organisation_yuan = models.DecimalField(
        "法人或其他组织罚款标准（元）", max_digits=14, decimal_places=2, null=True, blank=True
    )
    confiscation_yuan = models.DecimalField(
        "没收违法所得、非法财物价值标准（元）", max_digits=14, decimal_places=2, null=True, blank=True
    )
    revoke_licence = models.BooleanField("吊销许可证件", default=True)
    stop_business = models.BooleanField("责令停产停业", default=True)
    close = models.BooleanField("责令关闭", default=True)
    hearing = models.BooleanField("经过听证", default=True)
    public_interest = models.BooleanField("涉及重大公共利益", default=True)
    complex_facts = models.BooleanField("案情疑难复杂", default=True)
    item_codes = models.JSONField("列入目录的执法事项编码", default=list, blank=True)
    note = models.CharField("说明（制定依据）", max_length=500, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = ClockDateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "重大执法决定法制审核目录"
        verbose_name_plural = verbose_name
        constraints = [
            models.UniqueConstraint(fields=["agency", "effective_from"], name="review_catalog_one_per_day"),
            models.CheckConstraint(
                condition=Q(effective_to__isnull=True) | Q(effective_to__gt=models.F("effective_from")),
                name="review_catalog_dates_ordered",
            ),
        ]
        indexes = [models.Index(fields=["agency", "-effective_from"])]

    def __str__(self) -> str:
        return f"{self.agency_id} 目录 {self.effective_from:%Y-%m-%d}"


class CaseMark(models.Model):
    """Marks the catalog needs and the case does not hold: 涉及重大公共利益 (行政处罚法 第五十八条第一款第一项)."""

    case = models.OneToOneField("cases.Case", on_delete=models.PROTECT, related_name="review_mark")
    public_interest = models.BooleanField("涉及重大公共利益", default=False)
    note = models.CharField("说明", max_length=500, blank=True)
    marked_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    marked_at = ClockDateTimeField(auto_now=True)

    class Meta:
        verbose_name = "案件重大情形标记"
        verbose_name_plural = verbose_name

    def __str__(self) -> str:
        return f"{self.case_id} 重大公共利益={self.public_interest}"


class ReviewSettings(models.Model):
    """法制审核设置 per agency: time limit, reminder, lead reviewer, quorum of the heads' discussion."""

    agency = models.OneToOneField("org.Agency", on_delete=models.CASCADE, related_name="review_settings")
    time_limit_working_days = models.PositiveSmallIntegerField("审核时限（工作日）", default=7)
    remind_working_days = models.PositiveSmallIntegerField("到期前提醒（工作日）", default=2)
    lead_reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="法制审核负责人（可分配）",
    )
    discussion_quorum = models.PositiveSmallIntegerField("集体讨论最少负责人人数", default=3)

    class Meta:
        verbose_name = "法制审核设置"
        verbose_name_plural = verbose_name

    def __str__(self) -> str:
        return f"{self.agency_id} 法制审核设置"


# --- 法制审核 -------------------------------------------------------------------------------------------------------


class RequestState(models.TextChoices):
    SUBMITTED = "submitted", "已送审（待分配）"
    ASSIGNED = "assigned", "审核中"
    RETURNED = "returned", "存在问题（退回）"
    AGREED = "agreed", "同意"


OPEN_STATES = (RequestState.SUBMITTED, RequestState.ASSIGNED)


class ReviewRequest(models.Model):
    """法制审核申请 — one round of review of one case's proposed decision."""

    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="review_requests")
    agency = models.ForeignKey("org.Agency", on_delete=models.PROTECT, related_name="+")
    round_no = models.PositiveSmallIntegerField("送审轮次")
    notice_round = models.PositiveSmallIntegerField("告知轮次")
    state = models.CharField(
        "状态", max_length=12, choices=RequestState.choices, default=RequestState.SUBMITTED
    )
    draft_decision = models.TextField("拟作出的决定（文书草稿）")
    explanation = models.TextField("情况说明")
    proposed_kinds = models.JSONField("拟处罚种类", default=list)
    proposed_fine_yuan = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)
    proposed_confiscation_yuan = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)
    reasons = models.JSONField("须审核的理由", default=list)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    submitted_on = models.DateField("送审日期")
    due_on = models.DateField("审核期限")
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    assigned_on = models.DateField("分配日期", null=True, blank=True)
    concluded_on = models.DateField("审核完成日期", null=True, blank=True)
    opinion = models.TextField("审核意见", blank=True)
    reminded_on = models.DateField("提醒日期", null=True, blank=True)
    escalated_on = models.DateField("超期报告负责人日期", null=True, blank=True)
    created_at = ClockDateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "法制审核申请"
        verbose_name_plural = verbose_name
        constraints = [
            models.UniqueConstraint(fields=["case", "round_no"], name="review_request_round_unique"),
            models.UniqueConstraint(
                fields=["case"],
                condition=Q(state__in=["submitted", "assigned"]),
                name="review_request_one_open_per_case",
            ),
        ]
        indexes = [
            models.Index(fields=["agency", "state"]),
            models.Index(fields=["reviewer", "state"]),
            models.Index(fields=["state", "due_on"]),
        ]

    def __str__(self) -> str:
        return f"{self.case_id} 第{self.round_no}轮"

    @property
    def is_open(self) -> bool:
        return self.state in OPEN_STATES

    @property
    def proposed_kind_labels(self) -> str:
        return "、".join(
            str(PenaltyKind(k).label) if k in PenaltyKind.values else k for k in self.proposed_kinds
        )


class MaterialKind(models.TextChoices):
    """送审材料 — what the plans list (seed 001 三项制度方案 "明确审核责任")."""

    EXPLANATION = "explanation", "拟作出决定的情况说明"
    DRAFT = "draft", "行政执法文书（决定书草稿）"
    EVIDENCE = "evidence", "相关证据"
    STATEMENT = "statement", "当事人陈述申辩（或听证、放弃）材料"
    PROCESS = "process", "执法过程记录资料"


class ReviewMaterial(models.Model):
    """送审材料清单 — one row per required material of one round, as checked when it was accepted."""

    request = models.ForeignKey(ReviewRequest, on_delete=models.CASCADE, related_name="materials")
    kind = models.CharField("材料", max_length=12, choices=MaterialKind.choices)
    present = models.BooleanField("齐备")
    detail = models.CharField("说明", max_length=500, blank=True)

    class Meta:
        verbose_name = "送审材料"
        verbose_name_plural = verbose_name
        constraints = [models.UniqueConstraint(fields=["request", "kind"], name="review_material_unique")]

    def __str__(self) -> str:
        return f"{self.request_id} {self.kind}"


class ReviewPoint(models.TextChoices):
    """审核内容 — the eight points of the plans (seed 001 "明确审核内容")."""

    SUBJECT = "subject", "执法主体是否合法"
    QUALIFICATION = "qualification", "执法人员是否具备执法资格"
    PROCEDURE = "procedure", "执法程序是否合法"
    FACTS = "facts", "事实是否清楚、证据是否合法充分"
    LAW = "law", "适用依据是否准确、裁量基准是否运用适当"
    POWERS = "powers", "是否超越法定权限"
    DOCUMENTS = "documents", "文书是否完备规范"
    CRIME = "crime", "是否涉嫌犯罪需移送司法机关"


class FindingResult(models.TextChoices):
    OK = "ok", "符合"
    PROBLEM = "problem", "存在问题"


class ReviewFinding(models.Model):
    """审核要点意见 — one per review point per round."""

    request = models.ForeignKey(ReviewRequest, on_delete=models.CASCADE, related_name="findings")
    point = models.CharField("审核要点", max_length=16, choices=ReviewPoint.choices)
    result = models.CharField("结论", max_length=8, choices=FindingResult.choices)
    note = models.TextField("说明", blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = ClockDateTimeField(auto_now=True)

    class Meta:
        verbose_name = "审核要点意见"
        verbose_name_plural = verbose_name
        constraints = [models.UniqueConstraint(fields=["request", "point"], name="review_finding_unique")]

    def __str__(self) -> str:
        return f"{self.request_id} {self.point}={self.result}"


# --- 法制审核意见书 -------------------------------------------------------------------------------------------------


class OpinionCounter(models.Model):
    """The last opinion number issued per agency and year (row-locked; gapless)."""

    agency = models.ForeignKey("org.Agency", on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField("年度")
    last = models.PositiveIntegerField("已用至", default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["agency", "year"], name="review_opinion_counter_unique")
        ]

    def __str__(self) -> str:
        return f"{self.agency_id} {self.year}: {self.last}"


class OpinionStatus(models.TextChoices):
    ISSUED = "issued", "有效"
    VOIDED = "voided", "已作废"


class ReviewOpinion(models.Model):
    """法制审核意见书 — the numbered, sealed PDF of one round's conclusion."""

    request = models.ForeignKey(ReviewRequest, on_delete=models.PROTECT, related_name="opinions")
    agency = models.ForeignKey("org.Agency", on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField("年度")
    seq = models.PositiveIntegerField("序号")
    number = models.CharField("文号", max_length=64, unique=True)
    pdf = models.BinaryField("PDF")
    sha256 = models.CharField(max_length=64)
    signature = models.CharField(max_length=128)
    public_key = models.CharField(max_length=64)
    issued_on = models.DateField("出具日期")
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(max_length=8, choices=OpinionStatus.choices, default=OpinionStatus.ISSUED)
    void_reason = models.CharField("作废理由", max_length=300, blank=True)
    voided_on = models.DateField(null=True, blank=True)

    class Meta:
        verbose_name = "法制审核意见书"
        verbose_name_plural = verbose_name
        constraints = [
            models.UniqueConstraint(fields=["agency", "year", "seq"], name="review_opinion_seq_unique")
        ]

    def __str__(self) -> str:
        return self.number


# --- 集体讨论 -------------------------------------------------------------------------------------------------------


class Discussion(models.Model):
    """集体讨论记录 — the heads' discussion of a complex or major case (行政处罚法 第五十七条第二款)."""

    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="review_discussions")
    notice_round = models.PositiveSmallIntegerField("告知轮次")
    held_on = models.DateField("讨论日期")
    place = models.CharField("地点", max_length=200, blank=True)
    host = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    minutes = models.TextField("讨论记录")
    decision = models.TextField("讨论决定")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    case_discussion_id = models.PositiveIntegerField("案件集体讨论记录编号")

    class Meta:
        verbose_name = "集体讨论记录"
        verbose_name_plural = verbose_name

    def __str__(self) -> str:
        return f"{self.case_id} 集体讨论 {self.held_on:%Y-%m-%d}"


class DiscussionParticipant(models.Model):
    discussion = models.ForeignKey(Discussion, on_delete=models.CASCADE, related_name="participants")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    name = models.CharField("姓名", max_length=100)
    opinion = models.TextField("发表意见", blank=True)
    dissent = models.BooleanField("持不同意见", default=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["discussion", "user"], name="review_discussion_participant_unique"
            )
        ]

    def __str__(self) -> str:
        return self.name
