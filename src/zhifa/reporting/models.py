"""报送事项 — reports filed upward on a schedule: what a judicial bureau asks its agencies (or the bureaus of
the counties below it) to file, how often and by when, and each report drafted, submitted, received.

The seeds that ask for them (quoted in ``docs/reporting.md``):

* seed 000 （五）注重總結經驗: “指定專人負責工作情況的整理、報送，每兩個月報送一次階段性進展情況，整治工作結束前
  報送工作情況報告” — a bi-monthly progress report and a one-off closing report;
* seed 002 （三）做好评估总结: “各单位要及时总结试点工作经验和存在问题，每季度向市政府汇报工作进展情况” — quarterly,
  to the level above (a county's bureau files to the city);
* seed 004 第9项: “综合运用行政执法工作报告、统计分析、评议考核……对行政执法工作开展经常性监督” and “涉及重大问题或者
  被监督机关拒不纠正的，报请县政府制发行政执法监督决定书” — the yearly work report, and a step where the
  people's government of the level decides;
* seed 001 总结报告阶段: “于2019年11月10日前将推行“三项制度”工作总结报送市住房和城乡建设局和县司法局” — a one-off
  summary with a fixed date.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Q

from zhifa.core.fields import ClockDateTimeField


class Period(models.TextChoices):
    BIMONTHLY = "bimonthly", "每两个月"
    QUARTERLY = "quarterly", "每季度"
    YEARLY = "yearly", "每年度"
    ONCE = "once", "一次性"


class FilerLevel(models.TextChoices):
    AGENCIES = "agencies", "本区域行政执法机关"
    BUREAUS = "bureaus", "下一级司法行政机关（本级汇总）"


class ReportKind(models.Model):
    """报送事项 — set by the judicial bureau of a region: who files, how often, by when, with which sections.

    The bureau of ``region`` receives the reports. ``filers``: the enforcement agencies of the region (and of
    its townships), or the bureaus of the regions directly below (a city asks its counties for county-level
    summaries).
    """

    region = models.ForeignKey(
        "org.Region", on_delete=models.PROTECT, related_name="+", verbose_name="接收区划（本级司法行政机关）"
    )
    name = models.CharField("报送事项", max_length=100)
    period = models.CharField("报送周期", max_length=10, choices=Period.choices)
    due_days = models.PositiveSmallIntegerField("期满后报送期限（日）", default=10)
    starts_on = models.DateField("起始日期")
    ends_on = models.DateField("截止日期", null=True, blank=True, help_text="一次性事项：报告期截止日")
    filers = models.CharField(
        "报送单位", max_length=10, choices=FilerLevel.choices, default=FilerLevel.AGENCIES
    )
    agencies = models.ManyToManyField(
        "org.Agency", blank=True, related_name="+", verbose_name="指定报送机关（空则全部）"
    )
    sections = models.JSONField("报告模板（章节）", default=list)
    needs_government_approval = models.BooleanField("须报请本级人民政府审定", default=False)
    basis = models.CharField("依据", max_length=300, blank=True)
    active = models.BooleanField("启用", default=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = ClockDateTimeField("创建时间", auto_now_add=True)

    class Meta:
        verbose_name = "报送事项"
        verbose_name_plural = verbose_name
        ordering = ["region_id", "id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(period="once") | Q(ends_on__isnull=False), name="reporting_once_has_end"
            ),
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=models.F("starts_on")),
                name="reporting_kind_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class ReportStatus(models.TextChoices):
    DRAFT = "draft", "起草中"
    SUBMITTED = "submitted", "已报送"
    RETURNED = "returned", "已退回"
    GOVERNMENT = "government", "待人民政府审定"
    ACCEPTED = "accepted", "已接收"


FILED_STATUSES = (ReportStatus.SUBMITTED, ReportStatus.GOVERNMENT, ReportStatus.ACCEPTED)


class Report(models.Model):
    """报告 — one filer's report for one period of a kind: figures drafted from the platform's data, text
    sections the filer writes, and the receiving bureau's decision."""

    kind = models.ForeignKey(
        ReportKind, on_delete=models.PROTECT, related_name="reports", verbose_name="报送事项"
    )
    filer_agency = models.ForeignKey(
        "org.Agency",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="报送机关",
    )
    filer_region = models.ForeignKey(
        "org.Region", on_delete=models.PROTECT, related_name="+", verbose_name="报送区划"
    )
    period_start = models.DateField("报告期起")
    period_end = models.DateField("报告期止")
    due_on = models.DateField("报送期限")
    status = models.CharField("状态", max_length=10, choices=ReportStatus.choices, default=ReportStatus.DRAFT)
    figures = models.JSONField("数据", default=list)
    sections = models.JSONField("正文", default=list)
    drafted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    drafted_at = ClockDateTimeField("起草时间", auto_now_add=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    submitted_at = models.DateTimeField("报送时间", null=True, blank=True)
    submitted_late = models.BooleanField("逾期报送", default=False)
    received_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    received_at = models.DateTimeField("接收/退回时间", null=True, blank=True)
    return_reason = models.TextField("退回理由", blank=True)
    government_reference = models.CharField("人民政府审定文号", max_length=100, blank=True)
    government_approved_on = models.DateField("人民政府审定日期", null=True, blank=True)

    class Meta:
        verbose_name = "报告"
        verbose_name_plural = verbose_name
        ordering = ["-period_end", "-id"]
        indexes = [models.Index(fields=["kind", "status"], name="reporting_kind_status")]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "filer_agency", "period_start"],
                condition=Q(filer_agency__isnull=False),
                name="reporting_one_per_agency_period",
            ),
            models.UniqueConstraint(
                fields=["kind", "filer_region", "period_start"],
                condition=Q(filer_agency__isnull=True),
                name="reporting_one_per_bureau_period",
            ),
            models.CheckConstraint(
                condition=Q(period_end__gte=models.F("period_start")), name="reporting_period_ordered"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind.name}（{self.period_label}）"

    @property
    def filer_name(self) -> str:
        if self.filer_agency_id and self.filer_agency:
            return self.filer_agency.name
        return f"{self.filer_region.name}司法局"

    @property
    def period_label(self) -> str:
        return period_label(self.period_start, self.period_end)


def period_label(start: dt.date, end: dt.date) -> str:
    """报告期 in words: 2026年1月—2月, 2026年第1季度, 2026年度, or the dates."""
    if start.year == end.year and start.day == 1:
        months = (end.year - start.year) * 12 + end.month - start.month + 1
        last_day = (end + dt.timedelta(days=1)).day == 1
        if last_day and months == 12:
            return f"{start.year}年度"
        if last_day and months == 3 and start.month % 3 == 1:
            return f"{start.year}年第{(start.month + 2) // 3}季度"
        if last_day and months == 2:
            return f"{start.year}年{start.month}月—{end.month}月"
    return f"{start:%Y年%m月%d日}至{end:%Y年%m月%d日}"
