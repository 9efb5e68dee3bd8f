"""上下级平台数据交换 — counties under a city: a county's instance pushes its supervision data to the instance
of the city (or province) that supervises it, and the city keeps what it received per county.

The sending side (县级平台):

- ``Upstream`` (上级平台): where this instance pushes — the city's address, the code the city gave this
  county, and the shared secret the city issued (encrypted at rest, as ``zhifa.channels`` keeps webhook
  secrets).
- ``OutboxItem`` (待报送事项): one change to carry (a flag, a problem, a published decision, the year's
  statistics), written in the transaction of the change itself.
- ``OutboxBatch`` (报送批次): items frozen into one signed batch with a batch id and the next sequence number
  of the upstream; sent in sequence order, retried with the backoff of ``zhifa.channels``, never skipped.

The receiving side (市级平台):

- ``Source`` (下级平台): one county the city registered: its code, the shared secret (shown once), the
  county's pinned Ed25519 public key, the last sequence applied, and the witness store of its ledger heads.
- ``ReceivedBatch`` (已接收批次): one applied batch (``(source, sequence)`` and ``(source, batch_id)`` unique).
- ``ReceivedRecord`` (下级报送数据): the latest state of one flag, problem, decision or statistics set of a
  county, keyed by ``(source, kind, key)``: a repeated item updates it, never duplicates it.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from zhifa.core.fields import ClockDateTimeField


class ItemKind(models.TextChoices):
    """报送数据类别."""

    FLAG = "flag", "监督预警"
    PROBLEM = "problem", "监督问题"
    DECISION = "decision", "公示决定"
    STATISTICS = "statistics", "统计数据"
    REPORT = "report", "报告"


class BatchStatus(models.TextChoices):
    PENDING = "pending", "待报送"
    DELIVERED = "delivered", "已送达"


class WitnessState(models.TextChoices):
    NONE = "none", "尚未见证"
    VERIFIED = "verified", "验证通过"
    FAILED = "failed", "验证失败"


class Upstream(models.Model):
    """上级平台 — the city (or province) instance this county's instance reports to."""

    name = models.CharField("上级平台名称", max_length=100)
    url = models.URLField("上级平台地址", max_length=500)
    source_code = models.CharField("本平台编码", max_length=40)  # the code the city registered us under
    secret_encrypted = models.TextField("接入密钥（加密保存）")
    secret_hint = models.CharField("密钥末四位", max_length=8)
    adapter = models.CharField("报送格式", max_length=40, default="zhifa-v1")
    is_active = models.BooleanField("启用", default=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = ClockDateTimeField("登记时间", auto_now_add=True)
    # the sequence number of the last batch made (strictly increasing, no gap: the receiver refuses a gap)
    last_sequence = models.PositiveBigIntegerField("最近批次序号", default=0)
    # the size of the newest signed head put in a batch: the next batch proves consistency from it
    last_head_size = models.PositiveBigIntegerField("最近报送树头大小", null=True, blank=True)
    statistics_digest = models.CharField("最近报送统计摘要", max_length=64, blank=True)
    lease_until = models.DateTimeField("报送租约至", null=True, blank=True)

    class Meta:
        verbose_name = "上级平台"
        verbose_name_plural = verbose_name
        ordering = ["id"]

    def __str__(self) -> str:
        return self.name


class OutboxItem(models.Model):
    """待报送事项 — one change waiting for the next batch (written in the change's own transaction)."""

    upstream = models.ForeignKey(Upstream, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField("类别", max_length=16, choices=ItemKind.choices)
    key = models.CharField("标识", max_length=100)
    data = models.JSONField("内容", default=dict)
    created_at = ClockDateTimeField("产生时间", auto_now_add=True)

    class Meta:
        verbose_name = "待报送事项"
        verbose_name_plural = verbose_name
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.kind}:{self.key}"


class OutboxBatch(models.Model):
    """报送批次 — the exact signed bytes sent on every attempt, until the upstream acknowledges them."""

    upstream = models.ForeignKey(Upstream, on_delete=models.PROTECT, related_name="batches")
    batch_id = models.CharField("批次编号", max_length=40, unique=True)
    sequence = models.PositiveBigIntegerField("批次序号")
    body = models.TextField("报文")
    signature = models.CharField("签名", max_length=200)  # Ed25519 over the body, base64
    item_count = models.PositiveIntegerField("事项数", default=0)
    status = models.CharField("状态", max_length=12, choices=BatchStatus.choices, default=BatchStatus.PENDING)
    attempts = models.PositiveIntegerField("已尝试次数", default=0)
    next_attempt_at = models.DateTimeField("下次尝试时间", null=True, blank=True)
    last_attempt_at = models.DateTimeField("最近尝试时间", null=True, blank=True)
    last_status_code = models.PositiveSmallIntegerField("最近响应码", null=True, blank=True)
    last_error = models.CharField("最近错误", max_length=300, blank=True)
    delivered_at = models.DateTimeField("送达时间", null=True, blank=True)
    created_at = ClockDateTimeField("生成时间", auto_now_add=True)

    class Meta:
        verbose_name = "报送批次"
        verbose_name_plural = verbose_name
        ordering = ["-id"]
        indexes = [models.Index(fields=["upstream", "status", "sequence"], name="exchange_batch_queue")]
        constraints = [
            models.UniqueConstraint(fields=["upstream", "sequence"], name="exchange_batch_sequence"),
            models.CheckConstraint(
                name="exchange_batch_pending_has_next",
                condition=~Q(status="pending") | Q(next_attempt_at__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return self.batch_id


class Source(models.Model):
    """下级平台 — a county instance whose batches this (city) instance accepts."""

    region = models.ForeignKey("org.Region", on_delete=models.PROTECT, related_name="+", verbose_name="区划")
    name = models.CharField("下级平台名称", max_length=100)
    code = models.CharField("平台编码", max_length=40, unique=True)
    secret_encrypted = models.TextField("接入密钥（加密保存）")
    secret_hint = models.CharField("密钥末四位", max_length=8)
    public_key_pem = models.TextField("签名公钥")  # pinned: a batch signed with another key is refused
    public_key_sha256 = models.CharField("公钥指纹", max_length=64)
    is_active = models.BooleanField("启用", default=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = ClockDateTimeField("登记时间", auto_now_add=True)
    last_sequence = models.PositiveBigIntegerField("已接收批次序号", default=0)
    last_batch_at = models.DateTimeField("最近接收时间", null=True, blank=True)
    witness_store = models.JSONField("见证记录", default=dict, blank=True)
    witness_state = models.CharField(
        "账本见证", max_length=10, choices=WitnessState.choices, default=WitnessState.NONE
    )
    witness_error = models.CharField("见证错误", max_length=500, blank=True)
    witness_checked_at = models.DateTimeField("最近见证时间", null=True, blank=True)
    witness_tree_size = models.PositiveBigIntegerField("已见证树头大小", null=True, blank=True)

    class Meta:
        verbose_name = "下级平台"
        verbose_name_plural = verbose_name
        ordering = ["region__path", "id"]

    def __str__(self) -> str:
        return self.name


class ReceivedBatch(models.Model):
    """已接收批次 — one applied batch of a source (a repeat is acknowledged and not applied again)."""

    source = models.ForeignKey(Source, on_delete=models.PROTECT, related_name="batches")
    batch_id = models.CharField("批次编号", max_length=40)
    sequence = models.PositiveBigIntegerField("批次序号")
    item_count = models.PositiveIntegerField("事项数", default=0)
    body_sha256 = models.CharField("报文摘要", max_length=64)
    received_at = ClockDateTimeField("接收时间", auto_now_add=True)

    class Meta:
        verbose_name = "已接收批次"
        verbose_name_plural = verbose_name
        ordering = ["-id"]
        constraints = [
            models.UniqueConstraint(fields=["source", "sequence"], name="exchange_received_sequence"),
            models.UniqueConstraint(fields=["source", "batch_id"], name="exchange_received_batch_id"),
        ]

    def __str__(self) -> str:
        return f"{self.source_id}#{self.sequence}"


class ReceivedRecord(models.Model):
    """下级报送数据 — the latest state of one item of a county, as its last batch carried it."""

    source = models.ForeignKey(Source, on_delete=models.PROTECT, related_name="records")
    kind = models.CharField("类别", max_length=16, choices=ItemKind.choices)
    key = models.CharField("标识", max_length=100)
    title = models.CharField("事项", max_length=300)
    state_label = models.CharField("状态", max_length=40, blank=True)
    agency_name = models.CharField("执法主体", max_length=200, blank=True)
    is_open = models.BooleanField("未办结", default=False)
    due = models.DateField("期限", null=True, blank=True)
    data = models.JSONField("内容", default=dict)
    sequence = models.PositiveBigIntegerField("批次序号")
    received_at = models.DateTimeField("接收时间")

    class Meta:
        verbose_name = "下级报送数据"
        verbose_name_plural = verbose_name
        ordering = ["-received_at", "-id"]
        indexes = [models.Index(fields=["source", "kind", "is_open"], name="exchange_record_open")]
        constraints = [
            models.UniqueConstraint(fields=["source", "kind", "key"], name="exchange_record_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.source_id}:{self.kind}:{self.key}"
