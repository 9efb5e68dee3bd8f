"""服务指南 — per-agency service guides, one for each kind of enforcement act, kept as versions.

An agency starts from the statutory defaults (``zhifa.guides.statutes``) without typing anything; each save by
its staff adds a new version (nothing is overwritten), so the public sees the current text with its date and the
ledger keeps every change.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from zhifa.core.fields import ClockDateTimeField


class GuideKind(models.TextChoices):
    """The kinds of act a guide covers (行政处罚 both procedures, 行政强制 both forms, 行政检查, 行政许可 受理)."""

    PENALTY_GENERAL = "penalty_general", "行政处罚（普通程序）"
    PENALTY_SIMPLE = "penalty_simple", "行政处罚（简易程序）"
    COMPULSION_MEASURE = "compulsion_measure", "行政强制措施"
    COMPULSION_ENFORCEMENT = "compulsion_enforcement", "行政强制执行"
    INSPECTION = "inspection", "行政检查"
    LICENSING = "licensing", "行政许可（申请与受理）"


# The longest text a guide field takes (a page posting more is refused, never cut).
TEXT_MAX = 4000
LINE_MAX = 200


class ServiceGuide(models.Model):
    """服务指南 — one version of an agency's guide for one kind of act.

    The statutory parts (time limits with their articles, remedies and their periods, the procedure's steps)
    are not stored: they come from ``zhifa.guides.statutes`` so that no agency can edit a law away. What is
    stored is what the agency says of itself: conditions, materials, its promised time, fees, office, address,
    hours, phone, further supervision channels and its remedy bodies.
    """

    agency = models.ForeignKey(
        "org.Agency", on_delete=models.PROTECT, related_name="service_guides", verbose_name="执法主体"
    )
    kind = models.CharField("执法行为类别", max_length=32, choices=GuideKind.choices)
    version = models.PositiveIntegerField("版本")
    conditions = models.TextField("适用条件（启动情形）", max_length=TEXT_MAX)
    materials = models.TextField("所需材料", max_length=TEXT_MAX, blank=True)
    promised_time = models.TextField("承诺办理时限", max_length=TEXT_MAX, blank=True)
    fees = models.TextField("收费", max_length=TEXT_MAX)
    office = models.CharField("办理机构", max_length=LINE_MAX)
    address = models.CharField("办公地址", max_length=LINE_MAX, blank=True)
    hours = models.CharField("办公时间", max_length=LINE_MAX, blank=True)
    phone = models.CharField("咨询电话", max_length=30, blank=True)
    supervision = models.TextField("监督投诉渠道", max_length=TEXT_MAX, blank=True)
    remedy_bodies = models.TextField("复议机关与管辖法院", max_length=TEXT_MAX, blank=True)
    note = models.CharField("修改说明", max_length=LINE_MAX, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="修改人"
    )
    created_at = ClockDateTimeField("更新时间", auto_now_add=True)

    class Meta:
        verbose_name = "服务指南"
        verbose_name_plural = verbose_name
        ordering = ["agency", "kind", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["agency", "kind", "version"], name="guides_one_version_number"),
            models.CheckConstraint(condition=models.Q(version__gte=1), name="guides_version_from_one"),
        ]
        indexes = [models.Index(fields=["agency", "kind", "-version"], name="guides_current")]

    def __str__(self) -> str:
        return f"{self.agency_id} · {self.get_kind_display()} · 第{self.version}版"


# The fields the agency edits, in the order of the form and the page.
EDITABLE_FIELDS: tuple[str, ...] = (
    "conditions",
    "materials",
    "promised_time",
    "fees",
    "office",
    "address",
    "hours",
    "phone",
    "supervision",
    "remedy_bodies",
)

# Their labels, as the model's verbose names say them (for messages, the form and the ledger's labels).
FIELD_LABELS: dict[str, str] = {
    "conditions": "适用条件（启动情形）",
    "materials": "所需材料",
    "promised_time": "承诺办理时限",
    "fees": "收费",
    "office": "办理机构",
    "address": "办公地址",
    "hours": "办公时间",
    "phone": "咨询电话",
    "supervision": "监督投诉渠道",
    "remedy_bodies": "复议机关与管辖法院",
}
