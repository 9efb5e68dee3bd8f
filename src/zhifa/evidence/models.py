"""Evidence (证据与音像记录) and the access log (调阅记录).

Evidence files are content-addressed and never overwritten or deleted; the rows are append-only too
(database triggers, see the migrations). Both carry the object they belong to as ``object_type``
("app_label.model") and ``object_id``, the same pair the ledger uses.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from zhifa.core.fields import ClockDateTimeField


class EvidenceKind(models.TextChoices):
    PHOTO = "photo", "照片"
    AUDIO = "audio", "录音"
    VIDEO = "video", "录像"
    DOCUMENT = "document", "文书/文档"
    OTHER = "other", "其他"


class Stage(models.TextChoices):
    """执法环节 — the four stages the full-process record covers."""

    INITIATION = "initiation", "启动"
    INVESTIGATION = "investigation", "调查取证"
    DECISION = "decision", "审核决定"
    SERVICE_EXECUTION = "service_execution", "送达执行"


class Evidence(models.Model):
    """证据 — one photo, recording, video or document attached to an enforcement object.

    Same content uploaded twice makes two rows sharing one stored blob (``storage_key``).
    """

    kind = models.CharField("证据类型", max_length=16, choices=EvidenceKind.choices)
    original_filename = models.CharField("原始文件名", max_length=255)
    content_type = models.CharField("文件格式", max_length=100, help_text="按文件内容识别，而非客户端声明")
    size_bytes = models.PositiveBigIntegerField("大小（字节）")
    sm3 = models.CharField("SM3 摘要", max_length=64)
    sha256 = models.CharField("SHA-256 摘要", max_length=64, db_index=True)
    storage_key = models.CharField("存储地址", max_length=200)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="上传人"
    )
    uploaded_at = ClockDateTimeField("上传时间", auto_now_add=True)
    agency = models.ForeignKey(
        "org.Agency", on_delete=models.PROTECT, related_name="evidence", verbose_name="所属执法主体"
    )
    object_type = models.CharField("所属对象类型", max_length=100)
    object_id = models.CharField("所属对象编号", max_length=64)
    stage = models.CharField("执法环节", max_length=20, choices=Stage.choices)
    description = models.CharField("说明", max_length=500, blank=True)
    captured_at = models.DateTimeField("拍摄/录制时间", null=True, blank=True)
    place = models.CharField("地点", max_length=200, blank=True)

    class Meta:
        verbose_name = "证据"
        verbose_name_plural = verbose_name
        ordering = ["uploaded_at", "id"]
        indexes = [models.Index(fields=["object_type", "object_id", "id"], name="evidence_object_idx")]
        constraints = [
            models.CheckConstraint(condition=Q(size_bytes__gt=0), name="evidence_not_empty"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.original_filename}"


class AccessPurpose(models.TextChoices):
    VIEW = "view", "查看"
    DOWNLOAD = "download", "下载"
    EXPORT = "export", "导出"
    PRINT = "print", "打印"


# A retrieval that takes a copy away needs a stated reason (调阅须说明事由).
PURPOSES_NEEDING_REASON = frozenset({AccessPurpose.DOWNLOAD, AccessPurpose.EXPORT, AccessPurpose.PRINT})


class AccessLog(models.Model):
    """调阅记录 — who retrieved which record or evidence item, when, and why. Append-only."""

    at = ClockDateTimeField("时间", auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="调阅人"
    )
    actor_name = models.CharField("调阅人姓名", max_length=150)
    object_type = models.CharField("对象类型", max_length=100)
    object_id = models.CharField("对象编号", max_length=64)
    purpose = models.CharField("方式", max_length=16, choices=AccessPurpose.choices)
    reason = models.CharField("调阅事由", max_length=500, blank=True)

    class Meta:
        verbose_name = "调阅记录"
        verbose_name_plural = verbose_name
        ordering = ["-id"]
        indexes = [models.Index(fields=["object_type", "object_id", "id"], name="accesslog_object_idx")]
        constraints = [
            models.CheckConstraint(
                condition=~Q(purpose__in=sorted(PURPOSES_NEEDING_REASON)) | ~Q(reason=""),
                name="accesslog_copy_needs_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_name} {self.get_purpose_display()} {self.object_type}#{self.object_id}"


class UploadSession(models.Model):
    """断点续传 — a resumable upload of a large file in chunks; becomes one ``Evidence`` on completion."""

    id = models.UUIDField(primary_key=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = ClockDateTimeField("创建时间", auto_now_add=True)
    agency = models.ForeignKey("org.Agency", on_delete=models.PROTECT, related_name="+")
    total_bytes = models.PositiveBigIntegerField("总大小（字节）")
    received_bytes = models.PositiveBigIntegerField("已接收（字节）", default=0)
    filename = models.CharField("原始文件名", max_length=255)
    kind = models.CharField("证据类型", max_length=16, choices=EvidenceKind.choices)
    object_type = models.CharField("所属对象类型", max_length=100)
    object_id = models.CharField("所属对象编号", max_length=64)
    stage = models.CharField("执法环节", max_length=20, choices=Stage.choices)
    description = models.CharField("说明", max_length=500, blank=True)
    captured_at = models.DateTimeField("拍摄/录制时间", null=True, blank=True)
    place = models.CharField("地点", max_length=200, blank=True)
    evidence = models.OneToOneField(
        Evidence, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name="生成的证据"
    )

    class Meta:
        verbose_name = "分片上传"
        verbose_name_plural = verbose_name
        constraints = [
            models.CheckConstraint(condition=Q(total_bytes__gt=0), name="upload_session_not_empty"),
            models.CheckConstraint(
                condition=Q(received_bytes__lte=models.F("total_bytes")), name="upload_session_within_total"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.filename} {self.received_bytes}/{self.total_bytes}"


class RecordRequirement(models.TextChoices):
    """记录形式 — how a stage of an enforcement act must be recorded."""

    TEXT = "text", "文字记录"
    AUDIO_VIDEO = "audio_video", "音像记录"
    PHOTO = "photo", "照片"


class RequiredRecordRule(models.Model):
    """执法记录要求清单 — one thing that must (or should) be recorded for an act type at one stage.

    ``act_type`` is a dotted code ("compulsion.seizure" 查封, "hearing" 听证, "service.lien" 留置送达 …);
    ``stage`` is one of the four evidence stages. Rules are never deleted: an administrator switches one off
    (``active``) or supersedes it with a new row that takes effect later (``effective_from``).
    See ``zhifa.evidence.required`` for how evidence satisfies a rule.
    """

    code = models.CharField(
        "要求编号",
        max_length=80,
        db_index=True,
        help_text="稳定标识，如 compulsion.seizure.av；调用方可用它声明该文字记录已在本系统生成",
    )
    act_type = models.CharField(
        "执法行为类型", max_length=64, help_text="如 penalty.general、compulsion.seizure"
    )
    stage = models.CharField("执法环节", max_length=20, choices=Stage.choices)
    requirement = models.CharField("记录形式", max_length=16, choices=RecordRequirement.choices)
    mandatory = models.BooleanField("必须", default=True, help_text="不勾选即为建议记录，不阻止环节办结")
    description = models.CharField("记录要求", max_length=300)
    source = models.TextField("依据", blank=True)
    active = models.BooleanField("启用", default=True)
    effective_from = models.DateField("生效日期")

    class Meta:
        verbose_name = "执法记录要求"
        verbose_name_plural = "执法记录要求清单"
        ordering = ["act_type", "stage", "id"]
        indexes = [models.Index(fields=["act_type", "stage"], name="required_rule_act_stage_idx")]
        constraints = [
            models.UniqueConstraint(
                fields=["code", "effective_from"], name="required_rule_code_once_per_date"
            ),
            models.CheckConstraint(
                condition=Q(requirement__in=[c.value for c in RecordRequirement]),
                name="required_rule_requirement_valid",
            ),
            models.CheckConstraint(
                condition=Q(stage__in=[c.value for c in Stage]), name="required_rule_stage_valid"
            ),
        ]

    def __str__(self) -> str:
        need = "必须" if self.mandatory else "建议"
        return f"{self.act_type} · {self.get_stage_display()} · {need}{self.get_requirement_display()}：{self.description}"
