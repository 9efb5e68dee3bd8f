"""执法信息公示 — publication of enforcement results (事后公开), its deadlines, withdrawal and annual statistics.

A ``Publication`` is the obligation to publish one enforcement result and, once published, the public record
of it. It is created when the result exists (a penalty decision: ``cases.hooks.register_after("decide")``;
an inspection result: the ``disclosure_sweep`` command) with its due date in working days, drafted as a
desensitised text, approved by a second person and published; a decision later revoked, confirmed unlawful
or to be remade is withdrawn (its reason kept here and on the ledger).
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import F, Q

from zhifa.core.fields import ClockDateTimeField


class ResultKind(models.TextChoices):
    """公示的执法结果类别."""

    PENALTY = "penalty", "行政处罚决定"
    NOT_PUNISH = "not_punish", "不予行政处罚决定"
    INSPECTION = "inspection", "行政检查结果"
    LICENSING = "licensing", "行政许可决定"
    COMPULSION = "compulsion", "行政强制决定"


class LicenceCategory(models.TextChoices):
    """许可类别 of the 双公示 行政许可 layout: the five kinds of 行政许可法 第十二条 (普通许可、特许、认可、核准、
    登记) and 其他 for what the law's other items cover (第十二条第六项)."""

    ORDINARY = "ordinary", "普通"
    FRANCHISE = "franchise", "特许"
    RECOGNITION = "recognition", "认可"
    APPROVAL = "approval", "核准"
    REGISTRATION = "registration", "登记"
    OTHER = "other", "其他"


class PublicationStatus(models.TextChoices):
    DRAFT = "draft", "待提交"
    SUBMITTED = "submitted", "待审核"
    PUBLISHED = "published", "已公示"
    WITHDRAWN = "withdrawn", "已撤回"
    # 信用修复 granted: the publication stopped early (信用修复管理办法); on the record, off every public form
    REPAIRED = "repaired", "已信用修复"


class WithdrawKind(models.TextChoices):
    """撤回情形 (seed 001; 行政处罚法 第四十八条第二款)."""

    REVOKED = "revoked", "决定被依法撤销"
    CHANGED = "changed", "决定被依法变更"
    UNLAWFUL = "unlawful", "决定被确认违法"
    INVALID = "invalid", "决定被确认无效"
    REMADE = "remade", "决定被要求重新作出"
    ERROR = "error", "公示信息有误，更正后重新公示"
    # 更正: withdrawn and republished with the corrected text (``publication_correct``; a changed decision)
    CORRECTED = "corrected", "更正"


class PeriodTier(models.TextChoices):
    """公示期档次 — how long a result stays public (``DisclosureRule``; docs/disclosure.md 公示期限)."""

    LIGHT = "light", "轻微（警告、通报批评、较低数额罚款）"
    GENERAL = "general", "一般"
    SERIOUS = "serious", "严重"
    OTHER = "other", "其他执法结果"
    LICENSING = "licensing", "行政许可决定"


class RepairStatus(models.TextChoices):
    PENDING = "pending", "待决定"
    GRANTED = "granted", "准予修复"
    REFUSED = "refused", "不予修复"


class DisclosureOverride(models.TextChoices):
    """机关决定 — the agency's decision against the region's default on whether a result is published."""

    PUBLISH = "publish", "决定公开（不受默认规则限制）"
    WITHHOLD = "withhold", "决定不予公开"


def default_person_unpublished_kinds() -> list[str]:
    """对自然人默认不予公开的处罚种类: a warning (警告) to a citizen has no 一定社会影响 by default."""
    return ["warning"]


class DisclosureRule(models.Model):
    """公示时限设置 — the numbers a province or city sets, per region (the nearest region up the tree wins).

    Defaults follow seed 001: licence and penalty decisions within 7 working days, other results within 20
    working days of the decision; the previous year's statistics by 31 January.
    """

    region = models.OneToOneField(
        "org.Region", on_delete=models.CASCADE, related_name="+", verbose_name="区划"
    )
    decision_working_days = models.PositiveSmallIntegerField("处罚、许可决定公示时限（工作日）", default=7)
    other_working_days = models.PositiveSmallIntegerField("其他执法结果公示时限（工作日）", default=20)
    stats_deadline = models.CharField("上年度统计公布截止（MM-DD）", max_length=5, default="01-31")
    withdraw_days = models.PositiveSmallIntegerField("撤回时限（日）", default=3)
    # 行政强制 (seed 001: 行政处罚、行政强制、行政检查、行政征收、行政许可 results are all published): a
    # 查封/扣押 decision or a 申请强制执行 is published like a penalty decision, by default in 7 working days.
    compulsion_working_days = models.PositiveSmallIntegerField("行政强制决定公示时限（工作日）", default=7)
    # 行政处罚法 第四十八条: 具有一定社会影响的行政处罚决定应当依法公开 — what a region counts as without it.
    person_unpublished_kinds = models.JSONField(
        "对自然人默认不予公开的处罚种类",
        default=default_person_unpublished_kinds,
        blank=True,
        help_text="处罚种类代码列表；决定的处罚种类全部在其中时默认不予公开",
    )
    person_fine_threshold_yuan = models.DecimalField(
        "对自然人罚款默认公开起点（元）",
        max_digits=12,
        decimal_places=2,
        default=0,
        help_text="仅有罚款（或另有上项种类）且罚款低于此金额的，默认不予公开；0 表示不设起点",
    )
    person_compulsion_published = models.BooleanField("对自然人的行政强制决定默认公开", default=True)

    # 公示期限 (months from the decision; 0 = no end). 国家发展改革委《失信行为纠正后的信用信息修复管理办法（试行）》
    # (2023, 令第58号) and 《信用修复管理办法》(2025): 一般失信 最短 3 个月、最长 1 年；严重失信 最短 1 年、
    # 最长 3 年; 轻微 最长 3 个月, may apply once the duty is performed. Sources in docs/disclosure.md.
    # The day both periods count from: 公示之日 (the default: the period is the time it is public, however late
    # it went up) or 决定之日 (发改办财金〔2019〕527号: 自行政处罚决定之日起).
    period_from = models.CharField(
        "公示期起算",
        max_length=12,
        choices=[("publication", "自公示之日起"), ("decision", "自作出决定之日起")],
        default="publication",
    )
    light_period_months = models.PositiveSmallIntegerField("轻微处罚公示期（月）", default=3)
    general_period_months = models.PositiveSmallIntegerField("一般处罚公示期（月）", default=12)
    serious_period_months = models.PositiveSmallIntegerField("严重处罚公示期（月）", default=36)
    other_period_months = models.PositiveSmallIntegerField(
        "其他执法结果公示期（月）", default=12, help_text="不予处罚决定、检查结果；0 为不设期限"
    )
    licensing_period_months = models.PositiveSmallIntegerField(
        "行政许可决定公示期（月）", default=0, help_text="0 为不设期限"
    )
    light_repair_min_months = models.PositiveSmallIntegerField("轻微处罚最短公示期（月）", default=0)
    general_repair_min_months = models.PositiveSmallIntegerField("一般处罚最短公示期（月）", default=3)
    serious_repair_min_months = models.PositiveSmallIntegerField("严重处罚最短公示期（月）", default=12)
    light_fine_max_yuan = models.DecimalField(
        "较低数额罚款上限（元）", max_digits=14, decimal_places=2, default=5000
    )
    serious_fine_min_yuan = models.DecimalField(
        "严重处罚罚款起点（元）", max_digits=14, decimal_places=2, default=1000000
    )

    class Meta:
        verbose_name = "公示时限设置"
        verbose_name_plural = verbose_name

    def __str__(self) -> str:
        return f"{self.region_id}: {self.decision_working_days}/{self.other_working_days}"


class Publication(models.Model):
    """行政执法信息公示 — one enforcement result to publish, its desensitised text, approval and withdrawal."""

    source_type = models.CharField("来源类型", max_length=40)  # "cases.case", "inspections.inspection"
    # a case or inspection id; for a licensing decision imported from 政务服务: "<agency id>:<文书号>"
    source_id = models.CharField("来源编号", max_length=100)
    kind = models.CharField("类别", max_length=16, choices=ResultKind.choices)
    agency = models.ForeignKey(
        "org.Agency", on_delete=models.PROTECT, related_name="+", verbose_name="执法主体"
    )
    domain = models.ForeignKey(
        "org.Domain", null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name="领域"
    )
    decided_on = models.DateField("决定（结果）日期")
    due_on = models.DateField("公示期限", null=True, blank=True, help_text="节假日安排未录入时为空")
    status = models.CharField(
        "状态", max_length=12, choices=PublicationStatus.choices, default=PublicationStatus.DRAFT
    )

    # 公示内容（均已脱敏）
    title = models.CharField("标题", max_length=300)
    document_number = models.CharField("决定书文号", max_length=80, blank=True)
    party_name = models.CharField("当事人（公示名称）", max_length=200)
    party_kind = models.CharField("当事人类别", max_length=24, blank=True)
    party_uscc = models.CharField("统一社会信用代码", max_length=18, blank=True)
    legal_representative = models.CharField("法定代表人", max_length=50, blank=True)
    facts = models.TextField("违法事实/检查情况", blank=True)
    basis = models.TextField("依据", blank=True)
    penalty_kinds = models.JSONField("处罚类别", default=list, blank=True)
    content = models.TextField("处罚内容/结论", blank=True)
    fine_yuan = models.DecimalField("罚款（元）", max_digits=14, decimal_places=2, null=True, blank=True)
    confiscation_yuan = models.DecimalField(
        "没收金额（元）", max_digits=14, decimal_places=2, null=True, blank=True
    )
    body = models.TextField("公示正文", blank=True)
    # 行政许可决定 only (imported from the government services system, 政务服务; empty for other kinds)
    decision_document_name = models.CharField("行政许可决定文书名称", max_length=100, blank=True)
    licence_category = models.CharField(
        "许可类别", max_length=16, choices=LicenceCategory.choices, blank=True
    )
    licence_name = models.CharField("许可证书名称", max_length=100, blank=True)
    licence_number = models.CharField("许可编号", max_length=80, blank=True)
    valid_from = models.DateField("有效期自", null=True, blank=True)
    valid_to = models.DateField("有效期至", null=True, blank=True)
    remarks = models.CharField("备注", max_length=500, blank=True)
    redactions = models.JSONField(
        "不予公开的内容（商业秘密等）", default=list, blank=True, help_text='[{"text": ..., "reason": ...}]'
    )

    # 行政处罚法 第四十八条 (一定社会影响): whether the result is published at all. ``withheld`` is the effective
    # answer (the region's default, or the agency's recorded decision); a withheld result stays here, with
    # its reason, for supervisors — it is never silently dropped.
    withheld = models.BooleanField("不予公开", default=False)
    withheld_reason = models.CharField("不予公开的理由", max_length=500, blank=True)
    default_withheld = models.BooleanField("按本地区规则默认不予公开", default=False)
    disclosure_override = models.CharField(
        "机关决定", max_length=10, choices=DisclosureOverride.choices, blank=True
    )
    override_reason = models.CharField("机关决定的理由", max_length=500, blank=True)
    override_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="作出决定的人员",
    )
    override_on = models.DateField("机关决定日期", null=True, blank=True)

    drafted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    submitted_at = models.DateTimeField("提交时间", null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    published_at = models.DateTimeField("公示时间", null=True, blank=True)
    published_on = models.DateField("公示日期", null=True, blank=True)
    published_late = models.BooleanField("逾期公示", default=False)
    withdrawn_at = models.DateTimeField("撤回时间", null=True, blank=True)
    withdraw_kind = models.CharField("撤回情形", max_length=12, choices=WithdrawKind.choices, blank=True)
    withdraw_reason = models.CharField("撤回理由", max_length=500, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # 公示期限 and 信用修复 (set when published; ``services.lifecycle``)
    period_tier = models.CharField("公示期档次", max_length=10, choices=PeriodTier.choices, blank=True)
    expires_on = models.DateField(
        "公示截止日", null=True, blank=True, help_text="此日之后停止公示（仍留存记录）；空为不设期限"
    )
    repair_from = models.DateField("可申请信用修复日期", null=True, blank=True)
    repaired_at = models.DateTimeField("信用修复时间", null=True, blank=True)
    # 更正: the publication this one corrects (withdrawn, kind 更正, its reason kept there)
    corrects = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="corrections",
        verbose_name="更正的公示",
    )
    created_at = ClockDateTimeField("创建时间", auto_now_add=True)
    updated_at = ClockDateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "执法信息公示"
        verbose_name_plural = verbose_name
        ordering = ["-id"]
        constraints = [
            # one live publication per result; a correction's withdrawn predecessors stay beside it
            models.UniqueConstraint(
                fields=["source_type", "source_id"],
                condition=~Q(status="withdrawn"),
                name="publication_source_live_unique",
            ),
            models.CheckConstraint(
                name="publication_validity_ordered",
                condition=Q(valid_from__isnull=True)
                | Q(valid_to__isnull=True)
                | Q(valid_to__gte=F("valid_from")),
            ),
            models.CheckConstraint(
                name="publication_withheld_has_reason", condition=Q(withheld=False) | ~Q(withheld_reason="")
            ),
            models.CheckConstraint(
                name="publication_override_has_reason",
                condition=Q(disclosure_override="") | ~Q(override_reason=""),
            ),
            models.CheckConstraint(
                name="publication_withheld_not_public",
                condition=Q(withheld=False) | Q(status__in=["draft", "withdrawn"]),
            ),
            models.CheckConstraint(
                name="publication_withdrawn_has_reason",
                condition=~Q(status="withdrawn") | ~Q(withdraw_reason=""),
            ),
            # Whatever was ever public was approved; a decision revoked before publication is withdrawn
            # without ever having been approved or published.
            models.CheckConstraint(
                name="publication_published_has_approver",
                condition=Q(approved_by__isnull=False)
                | ~(Q(status="published") | Q(status="withdrawn", published_at__isnull=False)),
            ),
        ]
        indexes = [
            models.Index(fields=["agency", "status", "due_on"], name="pub_agency_status_due"),
            models.Index(fields=["status", "due_on"], name="pub_status_due"),
            models.Index(fields=["status", "-published_on", "-id"], name="pub_status_published"),
            models.Index(fields=["updated_at", "id"], name="pub_updated"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_public(self) -> bool:
        return self.status in (PublicationStatus.PUBLISHED, PublicationStatus.WITHDRAWN)

    def expired(self, today: dt.date) -> bool:
        """已到期 — published, and its period ended before ``today`` (the project clock's business date)."""
        return (
            self.status == PublicationStatus.PUBLISHED
            and self.expires_on is not None
            and today > self.expires_on
        )

    def state_label(self, today: dt.date) -> str:
        return "已到期" if self.expired(today) else self.get_status_display()


class CreditRepair(models.Model):
    """信用修复申请 — the party asks, after the minimum period and with proof of performance, that a published
    decision stop being public early; the agency that published it grants or refuses with a reason."""

    publication = models.ForeignKey(
        Publication, on_delete=models.PROTECT, related_name="repairs", verbose_name="公示事项"
    )
    party_uscc = models.CharField("统一社会信用代码", max_length=18)
    applicant = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="申请人"
    )
    applied_at = models.DateTimeField("申请时间")
    statement = models.TextField("履行情况说明")
    status = models.CharField(
        "状态", max_length=10, choices=RepairStatus.choices, default=RepairStatus.PENDING
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField("决定时间", null=True, blank=True)
    decision_reason = models.CharField("决定理由", max_length=500, blank=True)

    class Meta:
        verbose_name = "信用修复申请"
        verbose_name_plural = verbose_name
        ordering = ["-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["publication"], condition=Q(status="pending"), name="credit_repair_one_pending"
            ),
            models.CheckConstraint(
                name="credit_repair_decided",
                condition=Q(status="pending") | (Q(decided_by__isnull=False) & Q(decided_at__isnull=False)),
            ),
            models.CheckConstraint(
                name="credit_repair_refused_has_reason",
                condition=~Q(status="refused") | ~Q(decision_reason=""),
            ),
        ]
        indexes = [models.Index(fields=["status", "id"], name="credit_repair_status")]

    def __str__(self) -> str:
        return f"{self.publication_id} {self.status}"


class CreditRepairFile(models.Model):
    """A proof of performance (缴款凭证、整改报告…): PDF, JPEG or PNG, checked by content, at most 5 MB."""

    repair = models.ForeignKey(CreditRepair, on_delete=models.PROTECT, related_name="files")
    name = models.CharField("文件名", max_length=200)
    content_type = models.CharField("文件格式", max_length=100)
    size_bytes = models.PositiveIntegerField("大小（字节）")
    sha256 = models.CharField("SHA-256", max_length=64)
    content = models.BinaryField("内容")

    class Meta:
        verbose_name = "信用修复证明材料"
        verbose_name_plural = verbose_name
        ordering = ["id"]

    def __str__(self) -> str:
        return self.name


class AnnualStatistics(models.Model):
    """年度执法数据统计 — an agency's previous-year figures, published by 31 January (seed 001; configurable)."""

    agency = models.ForeignKey(
        "org.Agency", on_delete=models.PROTECT, related_name="+", verbose_name="执法主体"
    )
    year = models.PositiveSmallIntegerField("年度")
    due_on = models.DateField("公布期限")
    data = models.JSONField("统计数据", default=dict)
    published_at = models.DateTimeField("公布时间")
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    published_late = models.BooleanField("逾期公布", default=False)

    class Meta:
        verbose_name = "年度执法数据统计"
        verbose_name_plural = verbose_name
        ordering = ["-year", "agency_id"]
        constraints = [models.UniqueConstraint(fields=["agency", "year"], name="annual_stats_unique")]

    def __str__(self) -> str:
        return f"{self.agency_id} {self.year}"
