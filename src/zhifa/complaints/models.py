"""投诉举报 — complaints and reports from the public form, the 12345 hotline (file or API) and staff entry.

A complaint is placed by its region (where it happened) until assigned to an agency; supervisors of the
region see it, the agency sees what it was assigned. The complainant follows it with the tracking code the
public form returns, and rates the reply (满意度评价, seed 004: “完善快速响应、满意度评价等配套制度”).
Nothing is deleted.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from zhifa.core.fields import ClockDateTimeField

# 办理期限: the seeds set no number; 15 working days is the default, a region may set its own (ComplaintSetting).
DEFAULT_HANDLING_WORKING_DAYS = 15


class Channel(models.TextChoices):
    WEB = "web", "网上投诉"
    HOTLINE = "hotline_12345", "12345 热线工单"
    PHONE = "phone", "电话"
    LETTER = "letter", "来信"
    VISIT = "visit", "来访"


class ComplaintState(models.TextChoices):
    RECEIVED = "received", "待分办"
    ASSIGNED = "assigned", "办理中"
    REPLIED = "replied", "已答复"
    CLOSED = "closed", "已办结"


class Satisfaction(models.TextChoices):
    SATISFIED = "satisfied", "满意"
    BASIC = "basic", "基本满意"
    DISSATISFIED = "dissatisfied", "不满意"


class Complaint(models.Model):
    """投诉举报 — one complaint or report about administrative enforcement."""

    tracking_code = models.CharField("查询码", max_length=16, unique=True)
    channel = models.CharField("渠道", max_length=16, choices=Channel.choices)
    work_order_no = models.CharField("12345 工单编号", max_length=40, blank=True)
    complainant_name = models.CharField("诉求人", max_length=50, blank=True)
    complainant_phone = models.CharField("联系电话", max_length=20, blank=True)
    region = models.ForeignKey(
        "org.Region", on_delete=models.PROTECT, related_name="+", verbose_name="所在区域"
    )
    region_path = models.CharField(max_length=200, db_index=True, editable=False)
    agency = models.ForeignKey(
        "org.Agency",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="承办单位",
    )
    unit = models.ForeignKey("org.Unit", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    subject = models.CharField("标题", max_length=200)
    content = models.TextField("诉求内容")
    received_on = models.DateField("受理日期")
    state = models.CharField(
        "状态", max_length=10, choices=ComplaintState.choices, default=ComplaintState.RECEIVED
    )
    due = models.DateField("办理期限", null=True, blank=True)
    assigned_at = models.DateTimeField(null=True, blank=True)
    reply = models.TextField("答复", blank=True)
    replied_at = models.DateTimeField(null=True, blank=True)
    replied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    satisfaction = models.CharField("满意度", max_length=12, choices=Satisfaction.choices, blank=True)
    satisfaction_comment = models.CharField("评价意见", max_length=500, blank=True)
    rated_at = models.DateTimeField(null=True, blank=True)
    case = models.ForeignKey("cases.Case", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    problem = models.ForeignKey(
        "supervision.Problem", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = ClockDateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "投诉举报"
        verbose_name_plural = verbose_name
        ordering = ["-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["work_order_no"], condition=~Q(work_order_no=""), name="complaint_work_order_unique"
            ),
            models.CheckConstraint(
                condition=Q(state="received") | Q(agency__isnull=False), name="complaint_assigned_has_agency"
            ),
        ]
        indexes = [
            models.Index(fields=["agency", "state", "id"], name="complaint_agency_state"),
            models.Index(fields=["state", "due"], name="complaint_state_due"),
        ]

    def __str__(self) -> str:
        return f"{self.tracking_code} {self.subject}"

    def save(self, *args: object, **kwargs: object) -> None:
        self.region_path = self.region.path
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "region" in update_fields:  # type: ignore[operator]
            kwargs["update_fields"] = {*update_fields, "region_path"}  # type: ignore[misc]
        super().save(*args, **kwargs)  # type: ignore[arg-type]


class ComplaintSetting(models.Model):
    """办理期限 of a region (and the regions below it, unless they set their own)."""

    region = models.OneToOneField("org.Region", on_delete=models.PROTECT, related_name="+")
    handling_working_days = models.PositiveSmallIntegerField(
        "办理期限（工作日）", default=DEFAULT_HANDLING_WORKING_DAYS
    )

    class Meta:
        verbose_name = "投诉举报办理期限"
        verbose_name_plural = verbose_name

    def __str__(self) -> str:
        return f"{self.region_id}: {self.handling_working_days}"


class ImportBatch(models.Model):
    """One 12345 work-order import (file or API): all rows or none."""

    source = models.CharField("来源", max_length=10)  # file | api
    filename = models.CharField(max_length=200, blank=True)
    rows = models.PositiveIntegerField(default=0)
    imported_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    imported_at = ClockDateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-id"]

    def __str__(self) -> str:
        return f"ImportBatch #{self.pk}"
