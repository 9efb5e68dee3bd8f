"""推送渠道 — outgoing webhooks: an agency's own website or 政务新媒体 accounts told of its publications.

A ``WebhookEndpoint`` is one receiver an agency registered (URL, the events it wants, a signing secret kept
encrypted and shown once). Every event for it becomes a ``WebhookDelivery`` row written in the transaction of
the publication step that caused it (the outbox); ``zhifa push-webhooks`` sends the rows in order per
endpoint, signed as the Standard Webhooks specification says, retries with exponential backoff and marks a row
failed after the maximum number of attempts. Each attempt is kept (``WebhookAttempt``) for the delivery log.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from zhifa.core.fields import ClockDateTimeField


class EventType(models.TextChoices):
    """推送事件."""

    PUBLISHED = "publication.published", "公示发布"
    WITHDRAWN = "publication.withdrawn", "撤回/更正"
    SHUANGGONGSHI = "shuanggongshi.increment", "双公示增量"
    TEST = "webhook.test", "测试事件"


# the events an endpoint may subscribe to (the test event is sent on request only)
SUBSCRIBABLE: tuple[str, ...] = (EventType.PUBLISHED, EventType.WITHDRAWN, EventType.SHUANGGONGSHI)


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", "待推送"
    DELIVERED = "delivered", "已送达"
    FAILED = "failed", "推送失败"


class WebhookEndpoint(models.Model):
    """推送地址 — one receiver of an agency's publication events (its website, a 政务新媒体 account's bridge)."""

    agency = models.ForeignKey(
        "org.Agency", on_delete=models.PROTECT, related_name="+", verbose_name="执法主体"
    )
    name = models.CharField("名称", max_length=100)
    url = models.URLField("推送地址", max_length=500)
    events = models.JSONField("推送事件", default=list)
    # the signing secret, encrypted with a key derived from ZHIFA_SECRET_KEY (channels.crypto); shown once
    secret_encrypted = models.TextField("签名密钥（加密保存）")
    secret_hint = models.CharField("密钥末四位", max_length=8)
    is_active = models.BooleanField("启用", default=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = ClockDateTimeField("登记时间", auto_now_add=True)
    disabled_at = models.DateTimeField("停用时间", null=True, blank=True)
    disabled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # 双公示增量: the number of the last batch made for this endpoint (the batch's cursor; strictly increasing)
    export_batches = models.PositiveIntegerField("双公示增量批次", default=0)
    # one sender at a time per endpoint (keeps the order): a sweep takes the lease with a conditional update
    lease_until = models.DateTimeField("推送租约至", null=True, blank=True)

    class Meta:
        verbose_name = "推送地址"
        verbose_name_plural = verbose_name
        ordering = ["-id"]
        indexes = [models.Index(fields=["agency", "is_active"], name="webhook_endpoint_agency")]

    def __str__(self) -> str:
        return self.name

    def event_labels(self) -> list[str]:
        labels = dict(EventType.choices)
        return [labels.get(e, e) for e in self.events]


class WebhookDelivery(models.Model):
    """推送记录 — one event for one endpoint: the exact body sent, its id (the idempotency key) and its fate."""

    endpoint = models.ForeignKey(
        WebhookEndpoint, on_delete=models.PROTECT, related_name="deliveries", verbose_name="推送地址"
    )
    event_id = models.CharField("事件编号", max_length=40, unique=True)  # webhook-id: "msg_<32 hex>"
    event_type = models.CharField("事件", max_length=40, choices=EventType.choices)
    body = models.TextField("报文")  # UTF-8 JSON, exactly the bytes signed and sent on every attempt
    publication_id = models.BigIntegerField("公示事项", null=True, blank=True)
    cursor = models.CharField("增量游标", max_length=40, blank=True)
    status = models.CharField(
        "状态", max_length=12, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING
    )
    attempts = models.PositiveSmallIntegerField("已尝试次数", default=0)
    next_attempt_at = models.DateTimeField("下次尝试时间", null=True, blank=True)
    last_attempt_at = models.DateTimeField("最近尝试时间", null=True, blank=True)
    last_status_code = models.PositiveSmallIntegerField("最近响应码", null=True, blank=True)
    last_error = models.CharField("最近错误", max_length=300, blank=True)
    delivered_at = models.DateTimeField("送达时间", null=True, blank=True)
    failed_at = models.DateTimeField("失败时间", null=True, blank=True)
    created_at = ClockDateTimeField("产生时间", auto_now_add=True)

    class Meta:
        verbose_name = "推送记录"
        verbose_name_plural = verbose_name
        ordering = ["-id"]
        indexes = [
            models.Index(fields=["endpoint", "status", "id"], name="webhook_delivery_queue"),
            models.Index(fields=["status", "next_attempt_at"], name="webhook_delivery_due"),
        ]
        constraints = [
            models.CheckConstraint(
                name="webhook_delivery_pending_has_next",
                condition=~Q(status="pending") | Q(next_attempt_at__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return self.event_id


class ExportIncrementItem(models.Model):
    """双公示增量待推送 — a penalty or licensing decision published for an endpoint's agency and not yet put in a
    batch. Written in the publication's own transaction; the sweep turns the endpoint's items into one
    ``shuanggongshi.increment`` delivery per kind and deletes them (the rows live on in the delivery's body)."""

    endpoint = models.ForeignKey(
        WebhookEndpoint, on_delete=models.CASCADE, related_name="+", verbose_name="推送地址"
    )
    kind = models.CharField("类别", max_length=16)
    publication_id = models.BigIntegerField("公示事项")
    created_at = ClockDateTimeField("产生时间", auto_now_add=True)

    class Meta:
        verbose_name = "双公示增量待推送"
        verbose_name_plural = verbose_name
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(
                fields=["endpoint", "kind", "publication_id"], name="export_increment_item_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.endpoint_id}:{self.kind}:{self.publication_id}"


class WebhookAttempt(models.Model):
    """一次推送尝试 — what one attempt sent back (or why it could not be sent)."""

    delivery = models.ForeignKey(
        WebhookDelivery, on_delete=models.CASCADE, related_name="attempt_log", verbose_name="推送记录"
    )
    number = models.PositiveSmallIntegerField("第几次")
    at = models.DateTimeField("时间")
    status_code = models.PositiveSmallIntegerField("响应码", null=True, blank=True)
    error = models.CharField("错误", max_length=300, blank=True)
    duration_ms = models.PositiveIntegerField("耗时（毫秒）", default=0)

    class Meta:
        verbose_name = "推送尝试"
        verbose_name_plural = verbose_name
        ordering = ["delivery", "number"]
        constraints = [
            models.UniqueConstraint(fields=["delivery", "number"], name="webhook_attempt_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.delivery_id}#{self.number}"
