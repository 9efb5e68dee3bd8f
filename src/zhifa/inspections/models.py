"""Inspections of enterprises (涉企行政检查): lists, annual plans, tasks, double-random draws, visits, warnings.

* Lists — :class:`InspectionItem` (随机抽查事项清单), :class:`PartyDomainTag` (检查对象名录库: a party tagged with
  the domains whose agencies may inspect it), :class:`NoDisturbEntry` (无事不扰名单), :class:`ConflictOfInterest`
  (回避). The inspector directory (执法检查人员名录库) is not a table: it is every active officer for whom
  ``zhifa.org.selectors.officer_can_enforce`` says yes in the item's domain, read at draw time.
* :class:`InspectionPlan` and :class:`PlanItem` — 年度涉企检查计划 with ratio and frequency by credit class.
* :class:`InspectionTask` — one random task (双随机) under a plan item, or one filed non-random inspection.
* :class:`DrawRecord` — everything a draw published, so that anyone can re-run it (see ``draw.py``).
* :class:`Inspection` — one visit to one party; :class:`InspectionOfficer` — who goes, with which certificate.
* :class:`InspectionWarning` — 预警, one row per rule and triggering inspection.
* :class:`InspectionFeedback` — the enterprise's anonymous rating of a visit (no user column at all).

``Inspection.inspected_on``/``inspected_day``/``inspected_year`` repeat the local date of entry as a date, as
days since 1970-01-01 and as the year, so that the warning scan's SQL compares integers the same way on SQLite
and PostgreSQL. Services set them; nothing else writes them.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from zhifa.core.fields import ClockDateTimeField

# --- lists ------------------------------------------------------------------------------------------------------


class InspectionItem(models.Model):
    """随机抽查事项 — an item of an agency's random-inspection list, with its legal basis."""

    agency = models.ForeignKey(
        "org.Agency", on_delete=models.PROTECT, related_name="inspection_items", verbose_name="执法主体"
    )
    code = models.CharField("事项编码", max_length=32)
    name = models.CharField("事项名称", max_length=200)
    domain = models.ForeignKey("org.Domain", on_delete=models.PROTECT, related_name="+", verbose_name="领域")
    legal_basis = models.TextField("检查依据")
    objects_desc = models.CharField("检查对象", max_length=300, blank=True)
    content = models.TextField("检查内容", blank=True)
    method = models.CharField("检查方式", max_length=100, blank=True)
    is_active = models.BooleanField("有效", default=True)
    created_at = ClockDateTimeField("创建时间", auto_now_add=True)

    class Meta:
        verbose_name = "随机抽查事项"
        verbose_name_plural = verbose_name
        ordering = ["agency", "code"]
        constraints = [
            models.UniqueConstraint(fields=["agency", "code"], name="inspection_item_code_unique"),
            models.CheckConstraint(condition=~Q(legal_basis=""), name="inspection_item_has_legal_basis"),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class ChecklistLine(models.Model):
    """检查表单条目 — one line of an inspection item's checklist (检查表单), in one version of it.

    A checklist is the set of lines of one item sharing a ``version``; the versions of an item follow one
    another without overlap (``services.checklist_set`` closes the one before, the day before the new one
    starts), so the checklist in force on a day is the version whose period holds it. Kept general on purpose:
    a later import from a spreadsheet, or a joint visit merging the checklists of several items, reads and
    writes the same lines.
    """

    item = models.ForeignKey(
        InspectionItem, on_delete=models.PROTECT, related_name="checklist_lines", verbose_name="抽查事项"
    )
    version = models.PositiveIntegerField("版本")
    order = models.PositiveSmallIntegerField("序号")
    content = models.TextField("检查内容")
    method = models.TextField("检查方法与标准")
    basis = models.CharField("依据条款", max_length=300, blank=True)
    effective_from = models.DateField("施行日期")
    effective_to = models.DateField("失效日期", null=True, blank=True, help_text="空表示现行有效")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = ClockDateTimeField("登记时间", auto_now_add=True)

    class Meta:
        verbose_name = "检查表单条目"
        verbose_name_plural = verbose_name
        ordering = ["item", "-version", "order"]
        constraints = [
            models.UniqueConstraint(fields=["item", "version", "order"], name="checklist_line_unique"),
            models.CheckConstraint(
                condition=Q(effective_to__isnull=True) | Q(effective_to__gte=models.F("effective_from")),
                name="checklist_line_dates_ordered",
            ),
            models.CheckConstraint(condition=~Q(content=""), name="checklist_line_has_content"),
        ]
        indexes = [models.Index(fields=["item", "effective_from"], name="checklist_line_in_force")]

    def __str__(self) -> str:
        return f"{self.item_id} v{self.version} #{self.order}"


class PartyDomainTag(models.Model):
    """检查对象名录库 — a party belongs to the directory of a domain (e.g. 餐饮服务单位 → 市场监管)."""

    party = models.ForeignKey("org.Party", on_delete=models.CASCADE, related_name="+")
    domain = models.ForeignKey("org.Domain", on_delete=models.PROTECT, related_name="+")
    created_at = ClockDateTimeField("登记时间", auto_now_add=True)

    class Meta:
        verbose_name = "检查对象名录"
        verbose_name_plural = verbose_name
        constraints = [models.UniqueConstraint(fields=["party", "domain"], name="party_domain_tag_unique")]
        indexes = [models.Index(fields=["domain", "party"], name="insp_tag_domain_party")]

    def __str__(self) -> str:
        return f"{self.party_id}@{self.domain_id}"


class NoDisturbEntry(models.Model):
    """无事不扰名单 — a low-risk enterprise that gets no routine visits (draws leave it out, routine filings are
    refused); only triggered inspections (投诉举报, 转办移送, 线索)."""

    party = models.OneToOneField("org.Party", on_delete=models.CASCADE, related_name="+")
    reason = models.CharField("列入理由", max_length=300)
    until = models.DateField("有效期至", null=True, blank=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    added_at = ClockDateTimeField("列入时间", auto_now_add=True)

    class Meta:
        verbose_name = "无事不扰名单"
        verbose_name_plural = verbose_name

    def __str__(self) -> str:
        return str(self.party_id)


class VisitCap(models.Model):
    """年度检查上限 — how many routine visits one enterprise may receive in a calendar year, set per region.

    ``per_agency`` caps the visits of one agency to one enterprise, ``per_enterprise`` the visits of all
    agencies together (a joint visit counts once, and once for each agency taking part). A region without a
    row for the year inherits its nearest parent's. Triggered inspections (投诉举报, 转办移送, 线索) are exempt.
    """

    region = models.ForeignKey(
        "org.Region", on_delete=models.PROTECT, related_name="+", verbose_name="适用区划"
    )
    year = models.PositiveSmallIntegerField("年度")
    per_agency = models.PositiveSmallIntegerField("同一部门对同一企业年度上限（次）")
    per_enterprise = models.PositiveSmallIntegerField("同一企业年度检查总数上限（次）")
    basis = models.CharField("依据", max_length=300, blank=True)
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    set_at = ClockDateTimeField("设定时间", auto_now=True)

    class Meta:
        verbose_name = "年度检查上限"
        verbose_name_plural = verbose_name
        ordering = ["-year", "region"]
        constraints = [
            models.UniqueConstraint(fields=["region", "year"], name="visit_cap_region_year_unique"),
            models.CheckConstraint(
                condition=Q(per_agency__gte=1, per_enterprise__gte=1), name="visit_cap_at_least_one"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.region_id} {self.year}"


class ConflictOfInterest(models.Model):
    """回避 — an officer who may not inspect a party (relative, former employer …)."""

    officer = models.ForeignKey("org.Officer", on_delete=models.CASCADE, related_name="+")
    party = models.ForeignKey("org.Party", on_delete=models.CASCADE, related_name="+")
    reason = models.CharField("回避事由", max_length=300)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = ClockDateTimeField("登记时间", auto_now_add=True)

    class Meta:
        verbose_name = "回避登记"
        verbose_name_plural = verbose_name
        constraints = [models.UniqueConstraint(fields=["officer", "party"], name="conflict_unique")]

    def __str__(self) -> str:
        return f"{self.officer_id}≠{self.party_id}"


# --- plans -----------------------------------------------------------------------------------------------------


class PlanStatus(models.TextChoices):
    DRAFT = "draft", "草拟"
    APPROVED = "approved", "已批准"
    FILED = "filed", "已备案"
    PUBLISHED = "published", "已公布"


class InspectionPlan(models.Model):
    """年度涉企检查计划 — approved by the agency head, filed with the judicial bureau, published by 31 March."""

    agency = models.ForeignKey(
        "org.Agency", on_delete=models.PROTECT, related_name="inspection_plans", verbose_name="执法主体"
    )
    year = models.PositiveSmallIntegerField("年度")
    title = models.CharField("计划名称", max_length=200)
    status = models.CharField("状态", max_length=16, choices=PlanStatus.choices, default=PlanStatus.DRAFT)
    joint_agencies = models.ManyToManyField(
        "org.Agency", blank=True, related_name="joint_inspection_plans", verbose_name="联合检查部门"
    )
    allow_advance_notice = models.BooleanField("可提前告知企业", default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = ClockDateTimeField("创建时间", auto_now_add=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    approved_at = models.DateTimeField("批准时间", null=True, blank=True)
    filed_with = models.ForeignKey(
        "org.Agency",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="备案机关",
    )
    filed_at = models.DateTimeField("备案时间", null=True, blank=True)
    published_at = models.DateTimeField("公布时间", null=True, blank=True)
    published_late = models.BooleanField("逾期公布", default=False)

    class Meta:
        verbose_name = "年度涉企检查计划"
        verbose_name_plural = verbose_name
        ordering = ["-year", "agency"]
        constraints = [
            models.UniqueConstraint(fields=["agency", "year", "title"], name="inspection_plan_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.year} {self.title}"


class PlanItem(models.Model):
    """计划事项 — an item in a plan: object range, quarters, ratio (percent) and frequency by credit class."""

    plan = models.ForeignKey(InspectionPlan, on_delete=models.CASCADE, related_name="items")
    item = models.ForeignKey(InspectionItem, on_delete=models.PROTECT, related_name="+")
    scope = models.CharField("检查对象范围", max_length=300, blank=True)
    industries = models.CharField("行业范围（逗号分隔，空为全部）", max_length=300, blank=True)
    quarters = models.CharField("实施季度", max_length=4, default="1234")
    ratio_a = models.DecimalField("A 类抽查比例(%)", max_digits=5, decimal_places=2)
    ratio_b = models.DecimalField("B 类抽查比例(%)", max_digits=5, decimal_places=2)
    ratio_c = models.DecimalField("C 类抽查比例(%)", max_digits=5, decimal_places=2)
    ratio_d = models.DecimalField("D 类抽查比例(%)", max_digits=5, decimal_places=2)
    frequency_a = models.PositiveSmallIntegerField("A 类年度频次", default=1)
    frequency_b = models.PositiveSmallIntegerField("B 类年度频次", default=1)
    frequency_c = models.PositiveSmallIntegerField("C 类年度频次", default=2)
    frequency_d = models.PositiveSmallIntegerField("D 类年度频次", default=3)
    stratify_by_industry = models.BooleanField("按行业分层", default=False)

    class Meta:
        verbose_name = "计划事项"
        verbose_name_plural = verbose_name
        constraints = [
            models.UniqueConstraint(fields=["plan", "item"], name="plan_item_unique"),
            models.CheckConstraint(
                condition=Q(ratio_a__gte=0, ratio_a__lte=100)
                & Q(ratio_b__gte=0, ratio_b__lte=100)
                & Q(ratio_c__gte=0, ratio_c__lte=100)
                & Q(ratio_d__gte=0, ratio_d__lte=100),
                name="plan_item_ratios_are_percentages",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.plan_id}:{self.item_id}"

    def ratio(self, credit_class: str) -> object:
        return getattr(self, f"ratio_{credit_class.lower()}")


# --- tasks and draws ----------------------------------------------------------------------------------------------


class TaskKind(models.TextChoices):
    RANDOM = "random", "双随机抽查"
    SPECIAL = "special", "专项检查"
    COMPLAINT = "complaint", "投诉举报核查"
    ASSIGNED = "assigned", "上级交办"
    REFERRAL = "referral", "转办移送"


class TriggerKind(models.TextChoices):
    """检查触发来源 — why a non-routine inspection was needed; a triggered one is exempt from the yearly caps
    and from the no-disturb list, and records its reference."""

    NONE = "", "日常检查"
    COMPLAINT = "complaint", "投诉举报"
    REFERRAL = "referral", "转办移送"
    LEAD = "lead", "问题线索"


class TaskStatus(models.TextChoices):
    FILED = "filed", "已报备待批准"
    APPROVED = "approved", "已批准"
    DRAWN = "drawn", "已抽取"
    CLOSED = "closed", "已结束"
    CANCELLED = "cancelled", "已撤销"


class InspectionTask(models.Model):
    """检查任务 — a random task under a plan item (draws parties and inspectors) or a filed non-random one."""

    agency = models.ForeignKey(
        "org.Agency", on_delete=models.PROTECT, related_name="inspection_tasks", verbose_name="执法主体"
    )
    item = models.ForeignKey(InspectionItem, on_delete=models.PROTECT, related_name="tasks")
    plan_item = models.ForeignKey(
        PlanItem, null=True, blank=True, on_delete=models.PROTECT, related_name="tasks"
    )
    kind = models.CharField("检查类型", max_length=16, choices=TaskKind.choices)
    title = models.CharField("任务名称", max_length=200)
    reason = models.TextField("检查事由", blank=True)
    quarter = models.PositiveSmallIntegerField("季度", null=True, blank=True)
    starts_on = models.DateField("开始日期")
    ends_on = models.DateField("结束日期")
    status = models.CharField("状态", max_length=16, choices=TaskStatus.choices)
    joint_agencies = models.ManyToManyField(
        "org.Agency", blank=True, related_name="joint_inspection_tasks", verbose_name="联合检查部门"
    )
    party_count = models.PositiveIntegerField("抽取对象数（不按比例时）", null=True, blank=True)
    inspectors_per_inspection = models.PositiveSmallIntegerField("每户检查人员数", default=2)
    stratify_by_credit = models.BooleanField("按信用风险分类分层", default=True)
    stratify_by_industry = models.BooleanField("按行业分层", default=False)
    is_emergency = models.BooleanField("紧急检查（事后补报）", default=False)
    trigger_kind = models.CharField(
        "触发来源", max_length=16, choices=TriggerKind.choices, blank=True, default=TriggerKind.NONE
    )
    trigger_ref = models.CharField("触发来源编号", max_length=200, blank=True)
    advance_notice = models.BooleanField("提前告知企业", default=False)
    industries = models.CharField(
        "联合抽查行业（逗号分隔）", max_length=300, blank=True, help_text="跨部门联合抽查的行业范围"
    )
    # 承诺—揭示: the secret stays unpublished until the draw; its SHA-256 is published at creation.
    secret = models.BinaryField("随机秘密", max_length=32, null=True, blank=True, editable=False)
    commitment = models.CharField("秘密承诺值 SHA-256", max_length=64, blank=True)
    commitment_seq = models.BigIntegerField("承诺值账本序号", null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    filed_at = models.DateTimeField("报备时间")
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    approved_at = models.DateTimeField("批准时间", null=True, blank=True)

    class Meta:
        verbose_name = "检查任务"
        verbose_name_plural = verbose_name
        ordering = ["-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")), name="task_ends_after_start"
            ),
            models.CheckConstraint(condition=Q(inspectors_per_inspection__gte=1), name="task_has_inspectors"),
        ]
        indexes = [models.Index(fields=["agency", "status", "id"], name="insp_task_agency_status")]

    def __str__(self) -> str:
        return self.title


class DrawRecord(models.Model):
    """抽取记录 — the published values of one draw: anyone re-runs it with ``draw.rerun`` and compares."""

    task = models.OneToOneField(InspectionTask, on_delete=models.PROTECT, related_name="draw")
    drawn_at = models.DateTimeField("抽取时间")
    drawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    secret = models.CharField("随机秘密（揭示）", max_length=64)
    commitment = models.CharField("承诺值", max_length=64)
    head_id = models.BigIntegerField("签名树头编号")
    head_tree_size = models.BigIntegerField("签名树头大小")
    head_root = models.CharField("签名树头根哈希", max_length=64)
    head_signed_at = models.DateTimeField("签名时间")
    seed = models.CharField("种子", max_length=64)
    pool_hash = models.CharField("对象池哈希", max_length=64)
    pool_size = models.PositiveIntegerField("对象池大小")
    inspector_pool_hash = models.CharField("检查人员池哈希", max_length=64)
    inspector_pool = models.JSONField("检查人员名录快照", default=list)
    party_strata = models.JSONField("对象分层与抽取结果", default=list)
    inspector_strata = models.JSONField("检查人员抽取结果", default=list)
    exclusions = models.JSONField("排除统计", default=dict)
    ledger_seq = models.BigIntegerField("账本序号")

    class Meta:
        verbose_name = "抽取记录"
        verbose_name_plural = verbose_name

    def __str__(self) -> str:
        return f"draw of task {self.task_id}"


# --- visits ----------------------------------------------------------------------------------------------------


class InspectionStatus(models.TextChoices):
    PLANNED = "planned", "待检查"
    CHECKED_IN = "checked_in", "已进企"
    DONE = "done", "已完成"
    MERGED = "merged", "已合并检查"


class Outcome(models.TextChoices):
    PASS = "pass", "合格"
    RECTIFY = "rectify", "责令整改"
    CASE = "case", "立案"


class InspectionMode(models.TextChoices):
    ONSITE = "onsite", "现场检查"
    REMOTE = "remote", "非现场检查"


class RemoteMethod(models.TextChoices):
    """非现场检查方式."""

    DOCUMENTS = "documents", "书面材料审查"
    VIDEO = "video", "视频检查"
    MONITORING = "monitoring", "在线监测"
    DATA = "data", "信息共享比对"


class Inspection(models.Model):
    """检查 — one visit to one party. No filed task (``filed_at`` empty) means 未报备.

    A visit checks one or more items (:class:`InspectionCheck`): a joint visit (综合查一次) checks the items of
    several agencies at once. ``agency``/``item``/``task`` name the visit's lead agency, item and task.
    """

    task = models.ForeignKey(
        InspectionTask, null=True, blank=True, on_delete=models.PROTECT, related_name="inspections"
    )
    agency = models.ForeignKey(
        "org.Agency", on_delete=models.PROTECT, related_name="+", verbose_name="执法主体"
    )
    item = models.ForeignKey(
        InspectionItem, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    party = models.ForeignKey(
        "org.Party", on_delete=models.PROTECT, related_name="+", verbose_name="检查对象"
    )
    kind = models.CharField("检查类型", max_length=16, choices=TaskKind.choices)
    mode = models.CharField(
        "检查方式", max_length=8, choices=InspectionMode.choices, default=InspectionMode.ONSITE
    )
    remote_method = models.CharField(
        "非现场检查方式", max_length=16, choices=RemoteMethod.choices, blank=True
    )
    trigger_kind = models.CharField(
        "触发来源", max_length=16, choices=TriggerKind.choices, blank=True, default=TriggerKind.NONE
    )
    trigger_ref = models.CharField("触发来源编号", max_length=200, blank=True)
    status = models.CharField(
        "状态", max_length=16, choices=InspectionStatus.choices, default=InspectionStatus.PLANNED
    )
    officers = models.ManyToManyField("org.Officer", through="InspectionOfficer", related_name="+")
    scheduled_on = models.DateField("计划检查日期", null=True, blank=True)
    filed_at = models.DateTimeField("报备时间", null=True, blank=True)
    is_emergency = models.BooleanField("紧急检查", default=False)
    emergency_reason = models.CharField("紧急事由", max_length=300, blank=True)
    entered_at = models.DateTimeField("进企时间", null=True, blank=True)
    place = models.CharField("地点", max_length=200, blank=True)
    recorded_at = models.DateTimeField("录入时间", null=True, blank=True)
    entered_late = models.BooleanField("超时补录", default=False)
    inspected_on = models.DateField("检查日期", null=True, blank=True)
    inspected_day = models.IntegerField("检查日序（1970-01-01 起）", null=True, blank=True)
    inspected_year = models.PositiveSmallIntegerField("检查年度", null=True, blank=True)
    outcome = models.CharField("检查结果", max_length=16, choices=Outcome.choices, blank=True)
    findings = models.TextField("检查情况", blank=True)
    result_at = models.DateTimeField("结果录入时间", null=True, blank=True)
    rectify_deadline = models.DateField("整改期限", null=True, blank=True)
    recheck_at = models.DateTimeField("复查时间", null=True, blank=True)
    recheck_passed = models.BooleanField("复查通过", null=True, blank=True)
    rectification_closed_at = models.DateTimeField("整改销号时间", null=True, blank=True)
    publish_due = models.DateField("结果公示期限", null=True, blank=True)
    case_source_seq = models.BigIntegerField("案源账本序号", null=True, blank=True, unique=True)
    merged_into = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="merged_visits",
        verbose_name="并入检查",
        help_text="合并检查后，本次检查的检查事项与人员并入的那次检查（本记录保留，不删除）",
    )

    class Meta:
        verbose_name = "检查"
        verbose_name_plural = verbose_name
        ordering = ["-id"]
        indexes = [
            models.Index(fields=["party", "inspected_day"], name="insp_party_day"),
            models.Index(fields=["recorded_at", "party"], name="insp_recorded_party"),
            models.Index(fields=["party", "item", "inspected_day"], name="insp_party_item_day"),
            models.Index(
                fields=["agency", "party", "inspected_year", "inspected_day"],
                name="insp_agency_party_year_day",
            ),
            models.Index(fields=["agency", "status", "id"], name="insp_agency_status"),
            models.Index(fields=["party", "status", "scheduled_on"], name="insp_party_planned"),
        ]

    def __str__(self) -> str:
        return f"检查#{self.pk}"

    @property
    def is_filed(self) -> bool:
        return self.filed_at is not None


class InspectionCheck(models.Model):
    """检查事项 — one item checked on one visit, for the agency whose item it is, with its own result.

    Every inspection has at least one (its lead item); a joint visit (综合查一次) has one per item of each
    agency taking part. ``task`` is the task that required the check (the plan's check), which may differ
    from the visit's lead task when visits were merged. ``recognised_from`` (结果互认) names the check of
    another visit whose recorded result counts for this one.
    """

    inspection = models.ForeignKey(Inspection, on_delete=models.CASCADE, related_name="checks")
    agency = models.ForeignKey(
        "org.Agency", on_delete=models.PROTECT, related_name="+", verbose_name="执法主体"
    )
    item = models.ForeignKey(
        InspectionItem, on_delete=models.PROTECT, related_name="+", verbose_name="检查事项"
    )
    task = models.ForeignKey(
        InspectionTask, null=True, blank=True, on_delete=models.PROTECT, related_name="checks"
    )
    outcome = models.CharField("检查结果", max_length=16, choices=Outcome.choices, blank=True)
    findings = models.TextField("检查情况", blank=True)
    result_at = models.DateTimeField("结果录入时间", null=True, blank=True)
    recognised_from = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name="互认来源"
    )
    rectify_deadline = models.DateField("整改期限", null=True, blank=True)
    recheck_at = models.DateTimeField("复查时间", null=True, blank=True)
    recheck_passed = models.BooleanField("复查通过", null=True, blank=True)
    case_source_seq = models.BigIntegerField("案源账本序号", null=True, blank=True, unique=True)

    class Meta:
        verbose_name = "检查事项记录"
        verbose_name_plural = verbose_name
        constraints = [
            models.UniqueConstraint(fields=["inspection", "agency", "item"], name="inspection_check_unique"),
        ]
        indexes = [models.Index(fields=["item", "agency", "inspection"], name="insp_check_item_agency")]

    def __str__(self) -> str:
        return f"{self.inspection_id}:{self.agency_id}:{self.item_id}"


class JointPart(models.Model):
    """联合检查事项 — one agency's item in a joint task (综合查一次), approved by that agency's head.

    A joint task is an :class:`InspectionTask` (its ``agency``/``item`` are the lead ones) with one part per
    (agency, item), the lead's included. Each agency's head approves its own parts (and, for a filed joint
    visit, names its officers); the task is approved when every part is.
    """

    task = models.ForeignKey(InspectionTask, on_delete=models.CASCADE, related_name="parts")
    agency = models.ForeignKey(
        "org.Agency", on_delete=models.PROTECT, related_name="+", verbose_name="执法主体"
    )
    item = models.ForeignKey(
        InspectionItem, on_delete=models.PROTECT, related_name="+", verbose_name="检查事项"
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    approved_at = models.DateTimeField("批准时间", null=True, blank=True)

    class Meta:
        verbose_name = "联合检查事项"
        verbose_name_plural = verbose_name
        ordering = ["task", "id"]
        constraints = [models.UniqueConstraint(fields=["task", "agency", "item"], name="joint_part_unique")]

    def __str__(self) -> str:
        return f"{self.task_id}:{self.agency_id}:{self.item_id}"


class ItemEquivalence(models.Model):
    """互认事项 — two items (of different agencies) whose recorded results count for each other (结果互认).

    Kept by the supervisor (司法行政部门); stored once per pair with ``item_a_id < item_b_id``.
    """

    item_a = models.ForeignKey(InspectionItem, on_delete=models.CASCADE, related_name="+")
    item_b = models.ForeignKey(InspectionItem, on_delete=models.CASCADE, related_name="+")
    note = models.CharField("说明", max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = ClockDateTimeField("登记时间", auto_now_add=True)

    class Meta:
        verbose_name = "互认事项"
        verbose_name_plural = verbose_name
        constraints = [
            models.UniqueConstraint(fields=["item_a", "item_b"], name="item_equivalence_unique"),
            models.CheckConstraint(
                condition=Q(item_a__lt=models.F("item_b")), name="item_equivalence_ordered"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.item_a_id}≡{self.item_b_id}"


class ProposalStatus(models.TextChoices):
    OPEN = "open", "待确认"
    ACCEPTED = "accepted", "已合并"
    DECLINED = "declined", "已拒绝"
    LAPSED = "lapsed", "已失效"


class MergeProposal(models.Model):
    """合并检查建议 — planned visits of one enterprise within the window, proposed as one joint visit.

    Made when a task is drawn or an inspection filed (``services.merge_proposals_refresh``). Every agency
    involved agrees (``agreed_agency_ids``); the last agreement merges the visits (``services.visit_merge``):
    the surviving visit (``survivor``) takes the others' checks and officers, the others are marked merged.
    """

    party = models.ForeignKey(
        "org.Party", on_delete=models.PROTECT, related_name="+", verbose_name="检查对象"
    )
    inspections = models.ManyToManyField(
        Inspection, related_name="merge_proposals", verbose_name="拟合并检查"
    )
    agencies = models.ManyToManyField("org.Agency", related_name="+", verbose_name="涉及部门")
    agreed_agency_ids = models.JSONField("已同意部门", default=list, blank=True)
    status = models.CharField(
        "状态", max_length=16, choices=ProposalStatus.choices, default=ProposalStatus.OPEN
    )
    window_days = models.PositiveSmallIntegerField("合并时间窗（天）")
    first_due = models.DateField("最早计划日期")
    last_due = models.DateField("最晚计划日期")
    created_at = models.DateTimeField("建议时间")
    decided_at = models.DateTimeField("决定时间", null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    survivor = models.ForeignKey(
        Inspection,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="合并后检查",
    )
    note = models.CharField("说明", max_length=300, blank=True)

    class Meta:
        verbose_name = "合并检查建议"
        verbose_name_plural = verbose_name
        ordering = ["first_due", "id"]
        indexes = [models.Index(fields=["status", "party"], name="insp_merge_status_party")]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="declined") | ~Q(note=""), name="declined_merge_has_reason"
            ),
        ]

    def __str__(self) -> str:
        return f"合并建议#{self.pk}"


class InspectionOfficer(models.Model):
    """检查人员 — an officer on one inspection, with the certificate that allowed it at assignment."""

    inspection = models.ForeignKey(Inspection, on_delete=models.CASCADE, related_name="assignments")
    officer = models.ForeignKey("org.Officer", on_delete=models.PROTECT, related_name="+")
    certificate_number = models.CharField("执法证号", max_length=32)

    class Meta:
        verbose_name = "检查人员"
        verbose_name_plural = verbose_name
        constraints = [
            models.UniqueConstraint(fields=["inspection", "officer"], name="inspection_officer_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.inspection_id}:{self.officer_id}"


# --- warnings and feedback ---------------------------------------------------------------------------------------


class WarningKind(models.TextChoices):
    UNFILED = "unfiled", "应报备未报备"
    MULTI_AGENCY = "multi_agency", "多头检查"
    REPEATED = "repeated", "重复检查"
    HIGH_FREQUENCY = "high_frequency", "高频检查"
    FORGED_CODE = "forged_code", "伪造检查码"
    LATE_ENTRY = "late_entry", "超时补录"


class WarningBasis(models.TextChoices):
    """Which rule of a kind fired (高频检查 has two: the credit class's allowance and the per-agency cap)."""

    DEFAULT = "", "—"
    CREDIT_CLASS = "credit_class", "超出信用风险分类允许频次"
    AGENCY_YEAR_CAP = "agency_year_cap", "超出单一部门年度上限"
    BACK_ENTRY = "back_entry", "超出离线补录期限"


class WarningState(models.TextChoices):
    NEW = "new", "待处理"
    HANDLED = "handled", "已处理"
    DISMISSED = "dismissed", "已排除"


class InspectionWarning(models.Model):
    """检查预警 — one rule that fired on one inspection; goes to the agency and the supervisors above it.

    The one warnings table of the inspection rules; supervision reads it through the selectors. Unique per
    (kind, basis, inspection), so the incremental check and the full scan never write the same warning twice.
    """

    kind = models.CharField("预警类型", max_length=16, choices=WarningKind.choices)
    basis = models.CharField(
        "规则", max_length=16, choices=WarningBasis.choices, blank=True, default=WarningBasis.DEFAULT
    )
    state = models.CharField("状态", max_length=16, choices=WarningState.choices, default=WarningState.NEW)
    agency = models.ForeignKey(
        "org.Agency", on_delete=models.PROTECT, related_name="+", verbose_name="责任部门"
    )
    party = models.ForeignKey("org.Party", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    inspection = models.ForeignKey(
        Inspection, null=True, blank=True, on_delete=models.PROTECT, related_name="warnings"
    )
    count = models.PositiveIntegerField("实际次数/部门数", default=0)
    threshold = models.PositiveIntegerField("阈值", default=0)
    detail = models.JSONField("详情", default=dict, blank=True)
    created_at = models.DateTimeField("预警时间")
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    handled_at = models.DateTimeField("处理时间", null=True, blank=True)
    note = models.CharField("处理说明/排除理由", max_length=500, blank=True)

    class Meta:
        verbose_name = "检查预警"
        verbose_name_plural = verbose_name
        ordering = ["-id"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "basis", "inspection"], name="inspection_warning_unique"),
            models.CheckConstraint(
                condition=~Q(state="dismissed") | ~Q(note=""), name="dismissed_warning_has_reason"
            ),
        ]
        indexes = [models.Index(fields=["agency", "state", "id"], name="insp_warning_agency_state")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} #{self.pk}"

    @property
    def suggestion(self) -> str:
        """综合查一次 — what the rule suggests to the agency."""
        if self.kind == WarningKind.MULTI_AGENCY:
            return "建议相关部门对该企业开展跨部门联合检查，“进一次门、查多项事”。"
        if self.kind in (WarningKind.REPEATED, WarningKind.HIGH_FREQUENCY):
            return "建议合并同一企业的检查事项，实行“综合查一次”，避免重复、高频入企。"
        if self.kind == WarningKind.UNFILED:
            return "无报备不进企：请核实并补办报备，或说明理由。"
        return ""


class InspectionFeedback(models.Model):
    """企业评价 — anonymous: no user column; the inspecting agency reads aggregates only, supervisors all."""

    inspection = models.OneToOneField(Inspection, on_delete=models.PROTECT, related_name="feedback")
    rating = models.PositiveSmallIntegerField("满意度（1–5）")
    comment = models.CharField("评价", max_length=500, blank=True)
    problem_reported = models.BooleanField("反映问题", default=False)
    problem_text = models.TextField("问题描述", blank=True)
    created_at = ClockDateTimeField("评价时间", auto_now_add=True)

    class Meta:
        verbose_name = "企业评价"
        verbose_name_plural = verbose_name
        constraints = [
            models.CheckConstraint(condition=Q(rating__gte=1, rating__lte=5), name="feedback_rating_1_to_5"),
        ]

    def __str__(self) -> str:
        return f"{self.inspection_id}: {self.rating}"


# --- the enterprise's actions after a visit: rectification and objection ------------------------------------------


class Rectification(models.Model):
    """整改报告 — the enterprise's report that it has rectified what a 责令整改 result ordered, with its files.

    One per visit (the visit has one rectification order). It puts the visit on the officer's re-check queue;
    ``inspection_recheck`` closes it. Files are evidence (object ``inspections.rectification``) filed under
    the inspecting agency. A report after the deadline is accepted and marked ``late``.
    """

    inspection = models.OneToOneField(Inspection, on_delete=models.PROTECT, related_name="rectification")
    statement = models.TextField("整改情况说明")
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="提交人"
    )
    submitted_at = models.DateTimeField("提交时间")
    deadline = models.DateField("整改期限")
    late = models.BooleanField("逾期提交", default=False)

    class Meta:
        verbose_name = "整改报告"
        verbose_name_plural = verbose_name
        constraints = [models.CheckConstraint(condition=~Q(statement=""), name="rectification_has_statement")]

    def __str__(self) -> str:
        return f"整改报告#{self.pk}"

    @property
    def takes_party_files(self) -> bool:
        """The enterprise may add files (evidence) to its report until the re-check."""
        return self.inspection.recheck_at is None


class ObjectionKind(models.TextChoices):
    RESULT = "result", "对检查结果有异议"
    CONDUCT = "conduct", "对检查行为有异议"


class ObjectionState(models.TextChoices):
    OPEN = "open", "待答复"
    ANSWERED = "answered", "已答复"


class InspectionObjection(models.Model):
    """检查异议 — the enterprise disputes the result or the conduct of a visit.

    Like the rating: no user column, and its ledger entry names no actor. The inspecting agency reads only
    counts (``objection_summary``); supervisors (``inspections.view_feedback``) read each and answer it.
    """

    inspection = models.ForeignKey(Inspection, on_delete=models.PROTECT, related_name="objections")
    kind = models.CharField("异议类型", max_length=16, choices=ObjectionKind.choices)
    grounds = models.TextField("异议理由")
    state = models.CharField(
        "状态", max_length=16, choices=ObjectionState.choices, default=ObjectionState.OPEN
    )
    created_at = models.DateTimeField("提出时间")
    answer = models.TextField("答复意见", blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    answered_at = models.DateTimeField("答复时间", null=True, blank=True)

    class Meta:
        verbose_name = "检查异议"
        verbose_name_plural = verbose_name
        ordering = ["-id"]
        constraints = [
            models.CheckConstraint(condition=~Q(grounds=""), name="objection_has_grounds"),
            models.CheckConstraint(
                condition=~Q(state="answered") | ~Q(answer=""), name="answered_objection_has_answer"
            ),
        ]
        indexes = [models.Index(fields=["state", "id"], name="insp_objection_state")]

    def __str__(self) -> str:
        return f"检查异议#{self.pk}"


# --- 一表通查: results per line of a visit's merged checklist ------------------------------------------------------


class ChecklistLineResult(models.TextChoices):
    CONFORMS = "conforms", "符合"
    NONCONFORMING = "nonconforming", "不符合"
    NOT_APPLICABLE = "not_applicable", "不涉及"


class ChecklistResult(models.Model):
    """检查表单结果 — 一表通查: the result of one line of a visit's merged checklist (符合 / 不符合 / 不涉及).

    A visit's checklist merges the checklists of all its items (``checklists.visit_checklist``); identical
    lines (same content and legal basis) appear once, so a line is named by its ``line_key`` (a digest of the
    content and basis), not by one item's :class:`ChecklistLine`. ``content``/``basis`` keep the line as it
    was checked, whatever later versions of the checklists say.
    """

    inspection = models.ForeignKey(Inspection, on_delete=models.CASCADE, related_name="checklist_results")
    line_key = models.CharField("条目标识", max_length=32)
    content = models.TextField("检查内容")
    basis = models.CharField("依据条款", max_length=300, blank=True)
    result = models.CharField("检查结果", max_length=16, choices=ChecklistLineResult.choices)
    note = models.CharField("说明", max_length=500, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="录入人"
    )
    recorded_at = models.DateTimeField("录入时间")

    class Meta:
        verbose_name = "检查表单结果"
        verbose_name_plural = verbose_name
        constraints = [
            models.UniqueConstraint(fields=["inspection", "line_key"], name="checklist_result_unique"),
            models.CheckConstraint(
                condition=Q(result__in=["conforms", "nonconforming", "not_applicable"]),
                name="checklist_result_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.inspection_id}:{self.line_key}"


# --- 商定入企时间 ----------------------------------------------------------------------------------------------------


class VisitWindow(models.Model):
    """入企时间窗口 — the visit times the agency offers for a planned visit; the enterprise picks one slot.

    The slots are every ``slot_minutes`` from ``day_starts`` to ``day_ends`` on each day from ``first_day`` to
    ``last_day`` (local time), all inside the task's period (the inspection code is valid only there).
    ``agreed_start`` is the slot the enterprise agreed to (商定入企时间); an offer made again replaces the window
    and clears the agreement. Written only by ``services.visit_window_offer`` and ``services.visit_time_agree``.
    """

    inspection = models.OneToOneField(
        Inspection, on_delete=models.CASCADE, related_name="visit_window", verbose_name="检查"
    )
    first_day = models.DateField("可选起始日期")
    last_day = models.DateField("可选截止日期")
    day_starts = models.TimeField("每日起始时间")
    day_ends = models.TimeField("每日结束时间")
    slot_minutes = models.PositiveSmallIntegerField("每个时段（分钟）", default=60)
    note = models.CharField("说明", max_length=300, blank=True)
    offered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="提出人"
    )
    offered_at = models.DateTimeField("提出时间")
    agreed_start = models.DateTimeField("商定入企时间", null=True, blank=True)
    agreed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="确认人",
    )
    agreed_at = models.DateTimeField("确认时间", null=True, blank=True)

    class Meta:
        verbose_name = "入企时间窗口"
        verbose_name_plural = verbose_name
        constraints = [
            models.CheckConstraint(
                condition=Q(last_day__gte=models.F("first_day")), name="visit_window_days_ordered"
            ),
            models.CheckConstraint(
                condition=Q(day_ends__gt=models.F("day_starts")), name="visit_window_hours_ordered"
            ),
            models.CheckConstraint(
                condition=Q(slot_minutes__gte=15, slot_minutes__lte=480), name="visit_window_slot_minutes"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.inspection_id}: {self.first_day}–{self.last_day}"


# --- offline on-site work (离线现场检查) ----------------------------------------------------------------------------


class OfflineActionKind(models.TextChoices):
    """What the officer captured offline on the on-site page; each kind is applied by its service."""

    CHECK_IN = "check_in", "签到进企"
    PHOTO = "photo", "现场照片"
    RESULT = "result", "检查结果"
    CHECKLIST = "checklist", "检查表单结果"


class OfflineActionState(models.TextChoices):
    APPLIED = "applied", "已同步"
    CONFLICT = "conflict", "冲突未执行"


class OfflineAction(models.Model):
    """离线操作 — one action captured on the phone without network and synced later, kept whatever happened.

    ``client_id`` is generated on the phone, so a repeated sync finds the stored row and applies nothing
    twice. ``captured_at`` is when the officer did it on site, ``synced_at`` when it reached the server. A
    conflict (the task was cancelled, a colleague already checked in …) is stored with its reason, never lost;
    the officer sees it on the page, the head and the supervisors in the 离线同步冲突 list.
    """

    client_id = models.UUIDField("客户端编号", unique=True)
    inspection = models.ForeignKey(
        Inspection, on_delete=models.PROTECT, related_name="offline_actions", verbose_name="检查"
    )
    agency = models.ForeignKey(
        "org.Agency", on_delete=models.PROTECT, related_name="+", verbose_name="执法主体"
    )
    officer = models.ForeignKey(
        "org.Officer", on_delete=models.PROTECT, related_name="+", verbose_name="检查人员"
    )
    kind = models.CharField("操作", max_length=16, choices=OfflineActionKind.choices)
    payload = models.JSONField("内容", default=dict, blank=True)
    captured_at = models.DateTimeField("现场采集时间")
    synced_at = models.DateTimeField("同步时间")
    state = models.CharField("同步结果", max_length=16, choices=OfflineActionState.choices)
    reason = models.CharField("未执行原因", max_length=500, blank=True)
    reason_code = models.CharField("原因代码", max_length=64, blank=True)
    beyond_window = models.BooleanField("超出补录期限", default=False)
    evidence_id = models.BigIntegerField("证据编号", null=True, blank=True)
    ledger_seq = models.BigIntegerField("账本序号", null=True, blank=True)

    class Meta:
        verbose_name = "离线操作"
        verbose_name_plural = verbose_name
        ordering = ["-id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(state="conflict") | ~Q(reason=""), name="offline_conflict_has_reason"
            ),
        ]
        indexes = [
            models.Index(fields=["agency", "state", "id"], name="insp_offline_agency_state"),
            models.Index(fields=["inspection", "captured_at"], name="insp_offline_inspection"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.client_id}"
