"""执法信息公示 — publication of enforcement results (事后公开), its deadlines, withdrawal and annual statistics.

A ``Publication`` is the obligation to publish one enforcement result and, once published, the public record
of it. It is created when the result exists (a penalty decision: ``cases.hooks.register_after("decide")``;
an inspection result: the ``disclosure_sweep`` command) with its due date in working days, drafted as a
desensitised text, approved by a second person and published; a decision later revoked, confirmed unlawful
or to be remade is withdrawn (its reason kept here and on the ledger).
"""

from __future__ import annotations

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


class WithdrawKind(models.TextChoices):
    """撤回情形 (seed 001; 行政处罚法 第四十八条第二款)."""

    REVOKED = "revoked", "决定被依法撤销"
    CHANGED = "changed", "决定被依法变更"
    UNLAWFUL = "unlawful", "决定被确认违法"
    INVALID = "invalid", "决定被确认无效"
    REMADE = "remade", "决定被要求重新作出"
    ERROR = "error", "公示信息有误，更正后重新公示"


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
    created_at = ClockDateTimeField("创建时间", auto_now_add=True)
    updated_at = ClockDateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "执法信息公示"
        verbose_name_plural = verbose_name
        ordering = ["-id"]
        constraints = [
            models.UniqueConstraint(fields=["source_type", "source_id"], name="publication_source_unique"),
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
