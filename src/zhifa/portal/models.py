"""公示平台 — models. The portal itself shows other apps' data; it owns only the monitoring-device register."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from zhifa.core.fields import ClockDateTimeField


class DeviceKind(models.TextChoices):
    CAMERA = "camera", "视频监控"
    SPEED = "speed", "测速设备"
    NOISE = "noise", "噪声监测"
    EMISSION = "emission", "排放在线监测"
    WEIGHING = "weighing", "称重检测"
    OTHER = "other", "其他"


class MonitoringDevice(models.Model):
    """电子技术监控设备 — a device that gathers evidence of violations; its location is published before use.

    行政处罚法 第四十一条: the device must pass legal and technical review (法制和技术审核) and its location
    must be made public (设置地点应当向社会公布). ``approved_at`` records the review, ``published_at`` the
    publication; only devices with both appear on the portal.
    """

    agency = models.ForeignKey(
        "org.Agency", on_delete=models.PROTECT, related_name="monitoring_devices", verbose_name="执法主体"
    )
    kind = models.CharField("设备类型", max_length=16, choices=DeviceKind.choices)
    location = models.CharField("设置地点", max_length=200)
    purpose = models.CharField("监控内容", max_length=300)
    in_use_from = models.DateField("启用日期")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="登记人"
    )
    created_at = ClockDateTimeField("登记时间", auto_now_add=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="审核人",
    )
    approved_at = models.DateTimeField("法制和技术审核时间", null=True, blank=True)
    published_at = models.DateTimeField("公布时间", null=True, blank=True)
    # 停用: a moved or removed device stays listed with the day it stopped (evidence it gathered before that
    # day keeps its basis); a moved one is registered anew at its new place.
    retired_on = models.DateField("停用日期", null=True, blank=True)
    retire_reason = models.CharField("停用原因", max_length=200, blank=True)
    retired_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = "电子技术监控设备"
        verbose_name_plural = verbose_name
        ordering = ["-id"]
        indexes = [models.Index(fields=["published_at", "id"], name="portal_device_published")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(published_at__isnull=True) | models.Q(approved_at__isnull=False),
                name="portal_device_published_after_approval",
            ),
            models.CheckConstraint(
                condition=models.Q(retired_on__isnull=True) | ~models.Q(retire_reason=""),
                name="portal_device_retired_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.location}"

    @property
    def status_label(self) -> str:
        if self.retired_on:
            return f"{self.retired_on:%Y-%m-%d} 起停用"
        if self.published_at:
            return "已公布"
        if self.approved_at:
            return "已审核，待公布"
        return "待审核"


class PostKind(models.TextChoices):
    WINDOW = "window", "服务窗口"
    POST = "post", "执法岗位"


class ServicePost(models.Model):
    """岗位/窗口 — a service window or enforcement post of an agency, with the officers on it.

    Seed 003 (“三项制度”实施方案): 办事大厅、服务窗口等固定办事地点要设置岗位信息公示牌，明示工作人员的单位、姓名、
    职务、岗位、执法种类 … 咨询服务、投诉举报等信息. The portal prints its 岗位信息公示牌 and 窗口公示公告 from this row;
    only officers holding a valid certificate appear on them. Written only by ``services``.
    """

    agency = models.ForeignKey(
        "org.Agency", on_delete=models.PROTECT, related_name="service_posts", verbose_name="执法主体"
    )
    kind = models.CharField("类别", max_length=16, choices=PostKind.choices, default=PostKind.WINDOW)
    name = models.CharField("岗位/窗口名称", max_length=50)
    location = models.CharField("地点", max_length=200, blank=True)
    duties = models.CharField("岗位职责与办理事项", max_length=300, blank=True)
    service_hours = models.CharField("办公时间", max_length=200, blank=True)
    officers = models.ManyToManyField(
        "org.Officer", blank=True, related_name="service_posts", verbose_name="在岗执法人员"
    )
    is_active = models.BooleanField("启用", default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="登记人"
    )
    created_at = ClockDateTimeField("登记时间", auto_now_add=True)

    class Meta:
        verbose_name = "岗位/窗口"
        verbose_name_plural = verbose_name
        ordering = ["agency", "name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["agency", "name"], name="portal_post_name_unique_in_agency"),
        ]
        indexes = [models.Index(fields=["agency", "is_active", "name"], name="portal_post_agency")]

    def __str__(self) -> str:
        return self.name
