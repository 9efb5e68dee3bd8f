"""典型案例库 — the bureau's chosen cases: 指导性案例 (how to do it) and 警示案例 (典型差案, how not to), each with a
summary, its key points and the anonymised decision; officers search them, catalog items show the ones they
illustrate. Seed 004 (9): “綜合運用……案卷評查、案例指導……等方式，對行政執法工作開展經常性監督”.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from zhifa.core.fields import ClockDateTimeField


class LibraryKind(models.TextChoices):
    GUIDING = "guiding", "指导性案例"
    WARNING = "warning", "警示案例"


class LibraryStatus(models.TextChoices):
    PUBLISHED = "published", "已发布"
    WITHDRAWN = "withdrawn", "已撤回"


class LibraryCase(models.Model):
    """典型案例 — one closed case the bureau put in the library, anonymised."""

    region = models.ForeignKey(
        "org.Region", on_delete=models.PROTECT, related_name="+", verbose_name="发布区域"
    )
    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="+", verbose_name="案件")
    evaluation_file = models.ForeignKey(
        "evaluation.EvaluationFile",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="评查案卷",
    )
    agency = models.ForeignKey(
        "org.Agency", on_delete=models.PROTECT, related_name="+", verbose_name="执法主体"
    )
    domain = models.ForeignKey(
        "org.Domain", on_delete=models.PROTECT, related_name="+", verbose_name="执法领域"
    )
    catalog_item_code = models.CharField("执法事项编码", max_length=64, blank=True, db_index=True)
    kind = models.CharField("类别", max_length=10, choices=LibraryKind.choices)
    title = models.CharField("标题", max_length=200)
    summary = models.TextField("基本案情")
    key_points = models.TextField("要旨")
    decision_text = models.TextField("处理决定（脱敏）", blank=True)
    keywords = models.CharField("关键词", max_length=200, blank=True)
    status = models.CharField(
        "状态", max_length=10, choices=LibraryStatus.choices, default=LibraryStatus.PUBLISHED
    )
    chosen_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    chosen_at = ClockDateTimeField("发布时间", auto_now_add=True)
    withdrawn_reason = models.CharField("撤回理由", max_length=500, blank=True)

    class Meta:
        verbose_name = "典型案例"
        verbose_name_plural = verbose_name
        ordering = ["-chosen_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["case"], name="caselib_case_unique")]

    def __str__(self) -> str:
        return self.title
