"""统计与考评 — pre-aggregated facts for the supervision dashboard, the annual statistics report's imported
reconsideration and litigation outcomes, and the configurable agency assessment (考评).

``Fact`` rows are the dashboard's only source: one count and one amount per (metric, agency, domain, day,
key). They are kept correct as data arrives (``zhifa.stats.aggregates``: each case or inspection remembers
what it contributed in ``Contribution``, and a change applies only the difference, in the same transaction)
and can be recomputed from scratch (``zhifa stats_rebuild``).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

# RemedyOutcome and the outcomes each kind allows belong to the case (a CaseRemedy records them); importable from here too
from zhifa.cases.models import LITIGATION_OUTCOMES, RECONSIDERATION_OUTCOMES, RemedyOutcome  # noqa: F401
from zhifa.core.fields import ClockDateTimeField


class Fact(models.Model):
    """统计事实 — one pre-aggregated cell: how many, and how much money, per metric/agency/domain/day/key.

    ``day`` is the first day of the month for monthly metrics and the exact date for ``case.deadline`` (open
    cases by their current deadline, so that "overdue today" is a sum over ``day < today``).
    """

    metric = models.CharField("指标", max_length=32)
    agency = models.ForeignKey(
        "org.Agency",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="执法主体",
    )
    region_path = models.CharField("区划路径", max_length=200)
    domain_id = models.PositiveIntegerField("执法领域", default=0, help_text="0 = 不分领域")
    day = models.DateField("日期（月度指标为月初）")
    key = models.CharField("分项", max_length=40, blank=True, default="")
    count = models.BigIntegerField("数量", default=0)
    amount = models.DecimalField("金额（元）", max_digits=18, decimal_places=2, default=0)

    class Meta:
        verbose_name = "统计事实"
        verbose_name_plural = verbose_name
        constraints = [
            models.UniqueConstraint(
                fields=["metric", "agency", "domain_id", "day", "key"],
                condition=Q(agency__isnull=False),
                name="stats_fact_cell_unique",
            ),
            models.UniqueConstraint(
                fields=["metric", "region_path", "domain_id", "day", "key"],
                condition=Q(agency__isnull=True),
                name="stats_fact_region_cell_unique",
            ),
        ]
        indexes = [
            models.Index(fields=["metric", "day", "region_path"], name="stats_fact_metric_day_idx"),
            models.Index(fields=["region_path", "metric", "day"], name="stats_fact_region_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.metric} {self.day} {self.key}: {self.count}"


class RegionFact(models.Model):
    """区划汇总 — a roll-up of ``Fact`` for one region and everything below it, per metric/month/key.

    Kept by the same increments as ``Fact`` (``zhifa.stats.aggregates``): every change of a cell is added to
    the roll-up of each region on its path (county, city, province …), so a supervisor's chart reads a few
    hundred rows of their own region instead of summing every agency's cells. Domains are not rolled up (the
    dashboard does not split by domain) and ``case.deadline`` (exact days, read per agency) is not either.
    """

    metric = models.CharField("指标", max_length=32)
    region_path = models.CharField("区划路径", max_length=200)
    day = models.DateField("月份（月初）")
    key = models.CharField("分项", max_length=40, blank=True, default="")
    count = models.BigIntegerField("数量", default=0)
    amount = models.DecimalField("金额（元）", max_digits=18, decimal_places=2, default=0)

    class Meta:
        verbose_name = "区划汇总"
        verbose_name_plural = verbose_name
        constraints = [
            models.UniqueConstraint(
                fields=["region_path", "metric", "day", "key"], name="stats_regionfact_cell_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.region_path} {self.metric} {self.day} {self.key}: {self.count}"


class Contribution(models.Model):
    """What one source row (a case, an inspection, a warning) last added to ``Fact``; a change subtracts it."""

    source = models.CharField("来源", max_length=16)
    object_id = models.BigIntegerField("对象标识")
    facts = models.JSONField("贡献", default=list)

    class Meta:
        verbose_name = "统计贡献"
        verbose_name_plural = verbose_name
        constraints = [
            models.UniqueConstraint(fields=["source", "object_id"], name="stats_contribution_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.source}:{self.object_id}"


# --- 复议、诉讼结果（导入） ---------------------------------------------------------------------------------------------


class RemedyKind(models.TextChoices):
    RECONSIDERATION = "reconsideration", "行政复议"
    LITIGATION = "litigation", "行政诉讼"


# What a party wins against the agency: these count as 纠错 (reconsideration) or 败诉 (litigation).
CORRECTED_OUTCOMES = frozenset(
    {
        RemedyOutcome.REVOKED,
        RemedyOutcome.CHANGED,
        RemedyOutcome.CONFIRMED_ILLEGAL,
        RemedyOutcome.CONFIRMED_VOID,
        RemedyOutcome.ORDERED_TO_PERFORM,
        RemedyOutcome.PAYMENT_ORDERED,
    }
)


class RemedyImport(models.Model):
    """复议诉讼结果导入批次 — one imported xlsx file (all rows or none)."""

    region = models.ForeignKey("org.Region", on_delete=models.PROTECT, related_name="+", verbose_name="区划")
    filename = models.CharField("文件名", max_length=200)
    sha256 = models.CharField("SHA-256", max_length=64)
    rows = models.PositiveIntegerField("行数")
    withdrawn = models.PositiveIntegerField(
        "撤回公示数", default=0, help_text="结果为撤销、变更、确认违法或无效，据原文号撤回的公示"
    )
    imported_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    imported_at = ClockDateTimeField("导入时间", auto_now_add=True)

    class Meta:
        verbose_name = "复议诉讼结果导入"
        verbose_name_plural = verbose_name
        ordering = ["-id"]

    def __str__(self) -> str:
        return f"{self.filename} ({self.rows})"


class RemedyCase(models.Model):
    """行政复议、行政诉讼案件结果 — one concluded reconsideration or lawsuit against an agency's act."""

    batch = models.ForeignKey(RemedyImport, on_delete=models.PROTECT, related_name="cases")
    agency = models.ForeignKey(
        "org.Agency", on_delete=models.PROTECT, related_name="+", verbose_name="被申请人/被告"
    )
    kind = models.CharField("类型", max_length=16, choices=RemedyKind.choices)
    number = models.CharField("案号", max_length=80)
    outcome = models.CharField("结果", max_length=24, choices=RemedyOutcome.choices)
    concluded_on = models.DateField("结案日期")
    year = models.PositiveSmallIntegerField("年度")
    act_reference = models.CharField("原行政行为文号", max_length=100, blank=True)

    class Meta:
        verbose_name = "复议诉讼结果"
        verbose_name_plural = verbose_name
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "number"], name="stats_remedy_number_unique"),
        ]
        indexes = [models.Index(fields=["year", "agency"], name="stats_remedy_year_idx")]

    def __str__(self) -> str:
        return f"{self.number} {self.get_outcome_display()}"

    @property
    def corrected(self) -> bool:
        return self.outcome in CORRECTED_OUTCOMES


# --- 考评 ------------------------------------------------------------------------------------------------------------


class Indicator(models.TextChoices):
    """考评指标 — each is computed 0–100 per agency and year from data the platform holds."""

    CASE_QUALITY = "case_quality", "案卷质量（案卷评查平均得分）"
    TIMELINESS = "timeliness", "办案时效（按期作出决定比例）"
    REVIEW_PASS = "review_pass", "法制审核通过率"
    WARNINGS_HANDLED = "warnings_handled", "检查预警处理率"
    LITIGATION = "litigation", "复议诉讼未被纠错率"


class SchemeStatus(models.TextChoices):
    DRAFT = "draft", "草稿"
    SCORED = "scored", "已评分"


class AssessmentScheme(models.Model):
    """考评方案 — indicators with weights (summing to 100) for the agencies of one region and year."""

    region = models.ForeignKey("org.Region", on_delete=models.PROTECT, related_name="+", verbose_name="区划")
    year = models.PositiveSmallIntegerField("年度")
    name = models.CharField("名称", max_length=200)
    status = models.CharField("状态", max_length=8, choices=SchemeStatus.choices, default=SchemeStatus.DRAFT)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = ClockDateTimeField("创建时间", auto_now_add=True)
    scored_at = models.DateTimeField("评分时间", null=True, blank=True)

    class Meta:
        verbose_name = "考评方案"
        verbose_name_plural = verbose_name
        ordering = ["-year", "-id"]

    def __str__(self) -> str:
        return self.name


class AssessmentIndicator(models.Model):
    scheme = models.ForeignKey(AssessmentScheme, on_delete=models.CASCADE, related_name="indicators")
    code = models.CharField("指标", max_length=24, choices=Indicator.choices)
    weight = models.PositiveSmallIntegerField("权重")

    class Meta:
        verbose_name = "考评指标"
        verbose_name_plural = verbose_name
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["scheme", "code"], name="stats_indicator_unique"),
            models.CheckConstraint(condition=Q(weight__gt=0, weight__lte=100), name="stats_weight_range"),
        ]

    def __str__(self) -> str:
        return f"{self.get_code_display()} {self.weight}"


class AssessmentScore(models.Model):
    """考评得分 — one agency's weighted total in one scheme, its rank and each indicator's value."""

    scheme = models.ForeignKey(AssessmentScheme, on_delete=models.CASCADE, related_name="scores")
    agency = models.ForeignKey("org.Agency", on_delete=models.PROTECT, related_name="+")
    total = models.DecimalField("总分", max_digits=6, decimal_places=2)
    rank = models.PositiveIntegerField("名次")
    detail = models.JSONField("各指标得分", default=dict)

    class Meta:
        verbose_name = "考评得分"
        verbose_name_plural = verbose_name
        ordering = ["rank", "agency_id"]
        constraints = [models.UniqueConstraint(fields=["scheme", "agency"], name="stats_score_unique")]

    def __str__(self) -> str:
        return f"{self.agency_id}: {self.total}"
