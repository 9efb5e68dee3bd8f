"""行政裁量权基准 — discretion benchmarks, their tiers, a case's discretion facts and deviations.

A ``Benchmark`` (裁量基准) belongs to one issuer (an agency, or a region's government for all its agencies)
and one enforcement-catalog item, referred to by its code string (``Case.catalog_item_code``) so that this
app does not depend on the catalog's tables. Benchmarks are versioned by their effective dates; tiers
(裁量档次) hold evaluable conditions and a range. The rules live in ``services`` and ``logic``.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from zhifa.core.fields import ClockDateTimeField


class HarmLevel(models.TextChoices):
    """危害后果."""

    NONE = "none", "无危害后果"
    MINOR = "minor", "危害后果轻微"
    GENERAL = "general", "危害后果一般"
    SERIOUS = "serious", "危害后果严重"


class FineBasis(models.TextChoices):
    """罚款计算方式."""

    NONE = "none", "不罚款"
    AMOUNT = "amount", "固定金额幅度"
    GAINS_MULTIPLE = "gains_multiple", "违法所得倍数"
    GOODS_MULTIPLE = "goods_multiple", "货值金额倍数"


class Effect(models.TextChoices):
    """情节对幅度的影响."""

    LIGHTER = "lighter", "从轻"
    MITIGATED = "mitigated", "减轻"
    HEAVIER = "heavier", "从重"


class Benchmark(models.Model):
    """裁量基准 — one version of the benchmark of one catalog item, issued by an agency or a region."""

    agency = models.ForeignKey(
        "org.Agency",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="制定机关",
    )
    region = models.ForeignKey(
        "org.Region",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="适用区划",
    )
    # Copies of the issuer's paths (set by the service) so scope checks are prefix tests without joins.
    agency_path = models.CharField(max_length=400, null=True, blank=True, editable=False)
    region_path = models.CharField(max_length=200, db_index=True, editable=False)
    catalog_item_code = models.CharField("执法事项编码", max_length=64)
    title = models.CharField("违法行为", max_length=300)
    version = models.PositiveIntegerField("版本")
    effective_from = models.DateField("生效日期")
    effective_to = models.DateField("失效日期", null=True, blank=True)
    law_name = models.CharField("法律依据名称", max_length=200)
    article = models.CharField("条款", max_length=100)
    basis_text = models.TextField("依据原文")
    # 从轻在本档幅度较低的部分、从重在较高的部分（比例可由制定机关调整）。
    lighter_share = models.DecimalField("从轻所占幅度比例", max_digits=4, decimal_places=2, default=0.3)
    heavier_share = models.DecimalField("从重所占幅度比例", max_digits=4, decimal_places=2, default=0.3)
    # 减轻：在法定最低限以下；下限为法定最低限的此比例（0 表示可低至零）。
    mitigated_floor_ratio = models.DecimalField(
        "减轻处罚下限（占法定最低限比例）", max_digits=4, decimal_places=2, default=0
    )
    repeat_window_months = models.PositiveSmallIntegerField("再犯认定期间（月）", default=12)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = ClockDateTimeField("创建时间", auto_now_add=True)

    class Meta:
        verbose_name = "裁量基准"
        verbose_name_plural = verbose_name
        ordering = ["catalog_item_code", "-effective_from"]
        constraints = [
            models.CheckConstraint(
                name="benchmark_one_issuer",
                condition=(Q(agency__isnull=False) & Q(region__isnull=True))
                | (Q(agency__isnull=True) & Q(region__isnull=False)),
            ),
            models.CheckConstraint(
                name="benchmark_period_ordered",
                condition=Q(effective_to__isnull=True) | Q(effective_to__gte=models.F("effective_from")),
            ),
            models.UniqueConstraint(
                fields=["agency", "catalog_item_code", "version"],
                condition=Q(agency__isnull=False),
                name="benchmark_agency_version_unique",
            ),
            models.UniqueConstraint(
                fields=["region", "catalog_item_code", "version"],
                condition=Q(region__isnull=False),
                name="benchmark_region_version_unique",
            ),
        ]
        indexes = [
            models.Index(
                fields=["catalog_item_code", "agency", "effective_from"], name="benchmark_item_agency_idx"
            ),
            models.Index(
                fields=["catalog_item_code", "region", "effective_from"], name="benchmark_item_region_idx"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.catalog_item_code} v{self.version}"


class Tier(models.Model):
    """裁量档次 — conditions a case's facts must meet and the range that follows."""

    benchmark = models.ForeignKey(Benchmark, on_delete=models.CASCADE, related_name="tiers")
    order = models.PositiveSmallIntegerField("序号")
    name = models.CharField("档次", max_length=20, help_text="如 轻微、一般、较重、严重")
    # 条件（空 = 不限）。金额区间为 下限 ≤ 值 < 上限。
    harm_levels = models.JSONField("危害后果", default=list, blank=True)
    gains_min_yuan = models.DecimalField(
        "违法所得下限", max_digits=14, decimal_places=2, null=True, blank=True
    )
    gains_max_yuan = models.DecimalField(
        "违法所得上限", max_digits=14, decimal_places=2, null=True, blank=True
    )
    goods_min_yuan = models.DecimalField(
        "货值金额下限", max_digits=14, decimal_places=2, null=True, blank=True
    )
    goods_max_yuan = models.DecimalField(
        "货值金额上限", max_digits=14, decimal_places=2, null=True, blank=True
    )
    repeat = models.BooleanField("再犯", null=True, blank=True, help_text="空 = 不限")
    duration_min_days = models.PositiveIntegerField("持续天数下限", null=True, blank=True)
    duration_max_days = models.PositiveIntegerField("持续天数上限", null=True, blank=True)
    condition_text = models.CharField("情形描述", max_length=500, blank=True)
    # 处罚
    fine_basis = models.CharField(
        "罚款方式", max_length=16, choices=FineBasis.choices, default=FineBasis.AMOUNT
    )
    fine_min_yuan = models.DecimalField(
        "罚款下限（元）", max_digits=14, decimal_places=2, null=True, blank=True
    )
    fine_max_yuan = models.DecimalField(
        "罚款上限（元）", max_digits=14, decimal_places=2, null=True, blank=True
    )
    multiple_min = models.DecimalField("倍数下限", max_digits=8, decimal_places=2, null=True, blank=True)
    multiple_max = models.DecimalField("倍数上限", max_digits=8, decimal_places=2, null=True, blank=True)
    kinds = models.JSONField("其他处罚种类", default=list, blank=True)

    class Meta:
        verbose_name = "裁量档次"
        verbose_name_plural = verbose_name
        ordering = ["benchmark", "order"]
        constraints = [models.UniqueConstraint(fields=["benchmark", "order"], name="tier_order_unique")]

    def __str__(self) -> str:
        return self.name


class CaseFacts(models.Model):
    """裁量情节 — the facts of a case the benchmark is applied to (act date comes from the case)."""

    case = models.OneToOneField("cases.Case", on_delete=models.PROTECT, related_name="discretion_facts")
    illegal_gains_yuan = models.DecimalField(
        "违法所得（元）", max_digits=14, decimal_places=2, null=True, blank=True
    )
    goods_value_yuan = models.DecimalField(
        "货值金额（元）", max_digits=14, decimal_places=2, null=True, blank=True
    )
    harm_level = models.CharField(
        "危害后果", max_length=10, choices=HarmLevel.choices, default=HarmLevel.NONE
    )
    previous_penalty_on = models.DateField("前次同类处罚日期", null=True, blank=True)
    duration_days = models.PositiveIntegerField("持续天数", null=True, blank=True)
    circumstances = models.JSONField("情节", default=list, blank=True)
    mitigation_applied = models.BooleanField("适用减轻处罚", default=False)
    note = models.TextField("说明", blank=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    updated_at = ClockDateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "裁量情节"
        verbose_name_plural = verbose_name

    def __str__(self) -> str:
        return f"case {self.case_id}"


class Deviation(models.Model):
    """偏离基准说明 — the written reason for a penalty outside the recommended range."""

    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="discretion_deviations")
    agency = models.ForeignKey("org.Agency", on_delete=models.PROTECT, related_name="+")
    reason = models.TextField("偏离理由")
    range_text = models.CharField("推荐幅度", max_length=300, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = ClockDateTimeField("记录时间", auto_now_add=True)

    class Meta:
        verbose_name = "偏离基准说明"
        verbose_name_plural = verbose_name
        ordering = ["-id"]
        indexes = [models.Index(fields=["agency", "recorded_at"], name="deviation_agency_idx")]

    def __str__(self) -> str:
        return f"case {self.case_id}: {self.reason[:20]}"


class Outcome(models.Model):
    """裁量结果 — what was decided against what was recommended, kept at decision time for the reports."""

    case = models.OneToOneField("cases.Case", on_delete=models.PROTECT, related_name="discretion_outcome")
    agency = models.ForeignKey("org.Agency", on_delete=models.PROTECT, related_name="+")
    decided_on = models.DateField("决定日期")
    benchmark = models.ForeignKey(Benchmark, null=True, on_delete=models.PROTECT, related_name="+")
    tier_name = models.CharField("适用档次", max_length=20, blank=True)
    min_yuan = models.DecimalField(max_digits=14, decimal_places=2, null=True)
    max_yuan = models.DecimalField(max_digits=14, decimal_places=2, null=True)
    fine_yuan = models.DecimalField(max_digits=14, decimal_places=2, null=True)
    deviated = models.BooleanField("偏离", default=False)

    class Meta:
        verbose_name = "裁量结果"
        verbose_name_plural = verbose_name
        indexes = [models.Index(fields=["agency", "decided_on"], name="outcome_agency_idx")]

    def __str__(self) -> str:
        return f"case {self.case_id}: {self.tier_name}"
