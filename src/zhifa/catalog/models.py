"""执法事项目录与四张清单 — the enforcement catalog (权责清单 / 行政执法事项目录) and the four lenient lists.

A ``CatalogItem`` row is one *version* of an agency's enforcement item: the pair (agency, code) keeps its
identity across versions, each version has its own effective dates, and no two versions of one pair overlap
(enforced in ``services.catalog_item_save``, which closes the previous version the day before the new one).

A ``LenientEntry`` is one entry of the four lists (四张清单: 不予处罚, 从轻处罚, 减轻处罚, 免予行政强制), tied to one
or more item codes through ``LenientEntryItem``. A ``LenientDecision`` is the officer's recorded answer for
one case and one entry (append-only; the latest row counts).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from zhifa.core.fields import ClockDateTimeField


class ItemKind(models.TextChoices):
    """行政执法事项类别 — the kinds of administrative power on a 权责清单."""

    PENALTY = "penalty", "行政处罚"
    COMPULSION = "compulsion", "行政强制"
    INSPECTION = "inspection", "行政检查"
    LICENSING = "licensing", "行政许可"
    LEVY = "levy", "行政征收"
    FEE = "fee", "行政收费"
    PAYMENT = "payment", "行政给付"
    CONFIRMATION = "confirmation", "行政确认"
    REWARD = "reward", "行政奖励"
    ADJUDICATION = "adjudication", "行政裁决"
    OTHER = "other", "其他"


class CatalogItem(models.Model):
    """执法事项 — one version of one enforcement item of one agency, with its legal basis."""

    agency = models.ForeignKey(
        "org.Agency", on_delete=models.PROTECT, related_name="catalog_items", verbose_name="实施主体"
    )
    code = models.CharField("事项编码", max_length=64)
    version = models.PositiveIntegerField("版本", default=1)
    name = models.CharField("事项名称", max_length=300)
    kind = models.CharField("事项类别", max_length=16, choices=ItemKind.choices)
    domain = models.ForeignKey(
        "org.Domain", on_delete=models.PROTECT, related_name="+", verbose_name="执法领域"
    )
    law_name = models.CharField("法律依据名称", max_length=200)
    article = models.CharField("条款", max_length=100)
    article_text = models.TextField("条文内容")
    effective_from = models.DateField("施行日期")
    effective_to = models.DateField("失效日期", null=True, blank=True, help_text="空表示现行有效")
    created_at = ClockDateTimeField("登记时间", auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = "执法事项"
        verbose_name_plural = verbose_name
        ordering = ["agency_id", "code", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["agency", "code", "version"], name="catalog_item_version_unique"),
            models.CheckConstraint(
                condition=Q(effective_to__isnull=True) | Q(effective_to__gte=models.F("effective_from")),
                name="catalog_item_dates_ordered",
            ),
        ]
        indexes = [
            models.Index(fields=["agency", "code", "effective_from"], name="catalog_item_in_force"),
            models.Index(fields=["kind", "effective_from"], name="catalog_item_kind"),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    def in_force_on(self, day: object) -> bool:
        return self.effective_from <= day and (self.effective_to is None or day <= self.effective_to)  # type: ignore[operator]

    @property
    def basis(self) -> str:
        return f"《{self.law_name}》{self.article}"


class LenientKind(models.TextChoices):
    """四张清单 — the four lists of inclusive, prudent enforcement."""

    NO_PENALTY = "no_penalty", "不予处罚"
    LIGHTER = "lighter", "从轻处罚"
    MITIGATED = "mitigated", "减轻处罚"
    NO_COMPULSION = "no_compulsion", "免予行政强制"


# The statutory basis each list rests on (cited in the list pages and the refusals).
LENIENT_BASIS: dict[str, str] = {
    LenientKind.NO_PENALTY: "《中华人民共和国行政处罚法》第三十三条",
    LenientKind.LIGHTER: "《中华人民共和国行政处罚法》第三十二条",
    LenientKind.MITIGATED: "《中华人民共和国行政处罚法》第三十二条",
    LenientKind.NO_COMPULSION: "《中华人民共和国行政强制法》第十六条第二款",
}


class LenientEntry(models.Model):
    """四张清单事项 — one entry of a lenient list, issued by an agency or by a region's government."""

    kind = models.CharField("清单", max_length=16, choices=LenientKind.choices)
    number = models.CharField("序号", max_length=32)
    title = models.CharField("违法行为", max_length=300)
    agency = models.ForeignKey(
        "org.Agency",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="lenient_entries",
        verbose_name="发布机关",
    )
    region = models.ForeignKey(
        "org.Region",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="适用区域",
        help_text="机关发布的为其所属区划；政府发布的为该政府的区划",
    )
    issuer_name = models.CharField("发布单位", max_length=100)
    conditions_text = models.TextField("适用条件")
    conditions = models.JSONField("条件清单", default=list, help_text="逐项核对的条件，如“首次违法”")
    law_basis = models.CharField("法律依据", max_length=300)
    effective_from = models.DateField("施行日期")
    effective_to = models.DateField("失效日期", null=True, blank=True)
    created_at = ClockDateTimeField("登记时间", auto_now_add=True)

    class Meta:
        verbose_name = "四张清单事项"
        verbose_name_plural = verbose_name
        ordering = ["kind", "number", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(effective_to__isnull=True) | Q(effective_to__gte=models.F("effective_from")),
                name="lenient_entry_dates_ordered",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.number} {self.title}"

    @property
    def item_codes(self) -> list[str]:
        return [link.code for link in self.items.all()]


class LenientEntryItem(models.Model):
    """清单事项所对应的执法事项编码 (indexed for matching a case's item)."""

    entry = models.ForeignKey(LenientEntry, on_delete=models.CASCADE, related_name="items")
    code = models.CharField("事项编码", max_length=64, db_index=True)

    class Meta:
        verbose_name = "清单对应事项"
        verbose_name_plural = verbose_name
        constraints = [models.UniqueConstraint(fields=["entry", "code"], name="lenient_entry_item_unique")]

    def __str__(self) -> str:
        return self.code


class LenientDecision(models.Model):
    """清单适用意见 — the officer's answer for one case and one entry: applies or not, and why."""

    case = models.ForeignKey(
        "cases.Case", on_delete=models.PROTECT, related_name="lenient_decisions", verbose_name="案件"
    )
    entry = models.ForeignKey(
        LenientEntry, on_delete=models.PROTECT, related_name="decisions", verbose_name="清单事项"
    )
    kind = models.CharField("清单", max_length=16, choices=LenientKind.choices)
    agency = models.ForeignKey(
        "org.Agency", on_delete=models.PROTECT, related_name="+", verbose_name="办案机关"
    )
    applies = models.BooleanField("是否适用")
    conditions_met = models.JSONField("已满足的条件", default=list)
    reason = models.TextField("理由")
    recorded_on = models.DateField("记录日期")
    recorded_at = ClockDateTimeField("记录时间", auto_now_add=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name="记录人",
    )

    class Meta:
        verbose_name = "清单适用意见"
        verbose_name_plural = verbose_name
        ordering = ["-id"]
        indexes = [models.Index(fields=["case", "entry", "-id"], name="lenient_decision_latest")]

    def __str__(self) -> str:
        return f"{self.case_id}/{self.entry_id}: {'适用' if self.applies else '不适用'}"


class ConfirmationKind(models.TextChoices):
    """确认事项 — what the judicial bureau confirms of an agency each year."""

    QUALIFICATION = "qualification", "执法主体资格"
    INSPECTION = "inspection", "检查主体资格"
    CATALOG = "catalog", "权责清单"


class ConfirmationState(models.TextChoices):
    REQUESTED = "requested", "待确认"
    CONFIRMED = "confirmed", "已确认"
    RETURNED = "returned", "已退回"


class Confirmation(models.Model):
    """主体资格确认 — the judicial bureau's confirmation of an agency's 执法主体资格, 检查主体资格 or 权责清单 for
    one year, on the agency's request, before it is published (国办发〔2024〕54号; seed 004: 检查主体资格确认
    by 31 March).

    The agency requests (``REQUESTED``), the bureau confirms (``CONFIRMED``) or returns it with a reason
    (``RETURNED``); a returned request stays as history and the agency requests again. For the 检查主体资格 and
    the 权责清单 the request freezes the set of catalog versions it asks to confirm (``items``): only versions
    in a confirmed 权责清单 are public.
    """

    agency = models.ForeignKey(
        "org.Agency", on_delete=models.PROTECT, related_name="confirmations", verbose_name="执法主体"
    )
    year = models.PositiveIntegerField("年度")
    kind = models.CharField("确认事项", max_length=16, choices=ConfirmationKind.choices)
    state = models.CharField(
        "状态", max_length=16, choices=ConfirmationState.choices, default=ConfirmationState.REQUESTED
    )
    items = models.ManyToManyField(
        CatalogItem, blank=True, related_name="confirmations", verbose_name="确认的事项版本"
    )
    request_note = models.TextField("申请说明", blank=True)
    requested_on = models.DateField("申请日期")
    requested_at = ClockDateTimeField("申请时间", auto_now_add=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name="申请人",
    )
    bureau = models.ForeignKey(
        "org.Agency",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="confirmations_given",
        verbose_name="确认机关",
    )
    bureau_name = models.CharField("确认机关名称", max_length=100, blank=True)
    decided_on = models.DateField("确认（退回）日期", null=True, blank=True)
    decided_at = models.DateTimeField("确认（退回）时间", null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name="确认人",
    )
    remarks = models.TextField("确认意见", blank=True)
    return_reason = models.TextField("退回理由", blank=True)

    class Meta:
        verbose_name = "主体资格确认"
        verbose_name_plural = verbose_name
        ordering = ["-year", "agency_id", "kind", "-id"]
        constraints = [
            # One open or confirmed record per agency, year and kind; returned ones are history.
            models.UniqueConstraint(
                fields=["agency", "year", "kind"],
                condition=Q(state__in=["requested", "confirmed"]),
                name="confirmation_one_live_per_year",
            ),
            models.CheckConstraint(
                condition=~Q(state="returned") | ~Q(return_reason=""), name="confirmation_return_has_reason"
            ),
            models.CheckConstraint(
                condition=Q(state="requested") | Q(decided_on__isnull=False),
                name="confirmation_decision_dated",
            ),
        ]
        indexes = [models.Index(fields=["state", "year"], name="confirmation_state_year")]

    def __str__(self) -> str:
        return f"{self.agency_id} {self.year} {self.get_kind_display()}"
