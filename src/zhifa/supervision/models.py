"""执法监督 — the problem ledger, the one warning queue, supervision instruments and the people around them.

* :class:`Problem` — 问题台账: one problem, closed one by one (销号) only after a supervisor's verification;
  its history is :class:`ProblemStep` (append-only by convention: services only ever add rows).
* :class:`Flag` — 预警: one thing a supervisor should look at, gathered from every source registered in
  ``zhifa.core.flags``; unique per (kind, key).
* :class:`Instrument` — 督办函 / 执法监督意见书 / 执法监督决定书, numbered per issuing organ, kind and year;
  :class:`InstrumentReply` keeps every round of the agency's reply and the supervisor's answer.
* :class:`NoActStatement` — 专项说明 of an agency that made no penalty or licensing decision in a year.
* :class:`Questionnaire`/:class:`Question`/:class:`ReturnVisit` — 案件回访; :class:`SocialSupervisor` and
  :class:`SupervisorTask` — 行政执法社会监督员; :class:`LiaisonPoint`/:class:`LiaisonVisit` — 企业联系点.

Nothing here is deleted: every FK is PROTECT, and rows change state instead of disappearing.
"""

from __future__ import annotations

import re

from django.conf import settings
from django.db import models
from django.db.models import Q

from zhifa.core import flags
from zhifa.core.fields import ClockDateTimeField

# --- problem ledger (问题台账) ----------------------------------------------------------------------------------


class ProblemCategory(models.TextChoices):
    """The six kinds of problems of the special rectification plan (行政执法领域突出问题专项整治, 国办发〔2023〕27号: “六个方面的问题”)."""

    IRREGULAR = "irregular", "执法不规范"
    RIGID = "rigid", "执法方式简单僵化"
    PROFIT = "profit", "逐利执法"
    ROUGH = "rough", "执法粗暴"
    RENT_SEEKING = "rent_seeking", "执法“寻租”"
    INACTION = "inaction", "执法不作为"
    OTHER = "other", "其他"


_MACHINE_REF = re.compile(r"[a-z][a-z_.-]*:[\w:.-]+")


class ProblemSource(models.TextChoices):
    EVALUATION = "evaluation", "案卷评查"
    COMPLAINT = "complaint", "投诉举报"
    WARNING = "warning", "监督预警"
    CAMPAIGN = "campaign", "专项整治"
    INSTRUMENT = "instrument", "监督文书"
    INTERVIEW = "interview", "约谈承诺"
    JOINT = "joint", "共性问题"
    OTHER = "other", "其他"


class ProblemState(models.TextChoices):
    OPEN = "open", "待整改"
    RECTIFYING = "rectifying", "整改中"
    VERIFYING = "verifying", "待核验"
    CLOSED = "closed", "已销号"


class Problem(models.Model):
    """问题台账 — a problem with a responsible agency (and unit), a target and a deadline, closed one by one."""

    agency = models.ForeignKey(
        "org.Agency", on_delete=models.PROTECT, related_name="+", verbose_name="责任单位"
    )
    unit = models.ForeignKey(
        "org.Unit", null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name="责任股室"
    )
    source_kind = models.CharField("问题来源", max_length=16, choices=ProblemSource.choices)
    source_ref = models.CharField("来源编号", max_length=100, blank=True)
    category = models.CharField("问题类别", max_length=16, choices=ProblemCategory.choices, blank=True)
    title = models.CharField("问题", max_length=200)
    description = models.TextField("问题描述", blank=True)
    target = models.CharField("整改目标", max_length=300, blank=True)
    due = models.DateField("整改期限", null=True, blank=True)
    state = models.CharField("状态", max_length=12, choices=ProblemState.choices, default=ProblemState.OPEN)
    verified = models.BooleanField("已核验通过", default=False)
    reopen_count = models.PositiveIntegerField("重新打开次数", default=0)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    opened_at = ClockDateTimeField("登记时间", auto_now_add=True)
    closed_at = models.DateTimeField("销号时间", null=True, blank=True)

    class Meta:
        verbose_name = "问题台账"
        verbose_name_plural = verbose_name
        ordering = ["-id"]
        indexes = [models.Index(fields=["agency", "state", "id"], name="sup_problem_agency_state")]
        constraints = [
            models.CheckConstraint(
                condition=~Q(state="closed") | Q(verified=True), name="sup_problem_closed_verified"
            ),
        ]

    def __str__(self) -> str:
        return f"问题 #{self.pk} {self.title}"

    @property
    def source_ref_label(self) -> str:
        """来源编号 as a reader sees it: a warning's kind (预警 ``kind:key``) by its label, a reference another app
        wrote for machines (``evaluation-file:3``) not at all — the title names the file; a typed number as is."""
        ref = self.source_ref
        if self.source_kind == ProblemSource.WARNING and ":" in ref:
            label = flags.label(ref.split(":", 1)[0])
            return label if label != ref.split(":", 1)[0] else ""
        if _MACHINE_REF.fullmatch(ref):
            return ""
        return ref


class ProblemStepKind(models.TextChoices):
    OPEN = "open", "登记"
    RECTIFY = "rectify", "整改措施"
    SUBMIT = "submit", "提请核验"
    VERIFY_PASS = "verify_pass", "核验通过"
    VERIFY_FAIL = "verify_fail", "核验未通过"
    CLOSE = "close", "销号"
    REOPEN = "reopen", "重新打开"


class ProblemStep(models.Model):
    """台账记录 — one step of a problem's life, with the measures and evidence the agency gave."""

    problem = models.ForeignKey(Problem, on_delete=models.PROTECT, related_name="steps")
    kind = models.CharField("事项", max_length=12, choices=ProblemStepKind.choices)
    text = models.TextField("内容", blank=True)
    evidence = models.TextField("佐证材料", blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    at = ClockDateTimeField("时间", auto_now_add=True)

    class Meta:
        verbose_name = "问题台账记录"
        verbose_name_plural = verbose_name
        ordering = ["id"]

    # --- one warning queue (监督预警) --------------------------------------------------------------------------------

    def __str__(self) -> str:
        return f"ProblemStep #{self.pk}"


class FlagState(models.TextChoices):
    NEW = "new", "待处理"
    HANDLED = "handled", "已处理"
    DISMISSED = "dismissed", "已排除"
    CONVERTED = "converted", "已转问题"


class FlagSeverity(models.TextChoices):
    INFO = "info", "提示"
    WARNING = "warning", "预警"
    SERIOUS = "serious", "严重"


class Flag(models.Model):
    """预警 — one flag of one source, upserted by (kind, key); ``source_open`` is whether the source still
    yields it. The agency and region paths are copied from the agency (or region) so scope is a prefix test."""

    kind = models.CharField("预警类型", max_length=40)
    key = models.CharField("标识", max_length=100)
    agency = models.ForeignKey(
        "org.Agency",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="责任单位",
    )
    region = models.ForeignKey(
        "org.Region", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    agency_path = models.CharField(max_length=400, blank=True, db_index=True)
    region_path = models.CharField(max_length=200, db_index=True)
    title = models.CharField("预警事项", max_length=300)
    detail = models.TextField("详情", blank=True)
    object_type = models.CharField(max_length=100, blank=True)
    object_id = models.CharField(max_length=64, blank=True)
    url = models.CharField(max_length=300, blank=True)
    due = models.DateField("期限", null=True, blank=True)
    severity = models.CharField(
        "级别", max_length=8, choices=FlagSeverity.choices, default=FlagSeverity.WARNING
    )
    data = models.JSONField(default=dict, blank=True)
    state = models.CharField("状态", max_length=10, choices=FlagState.choices, default=FlagState.NEW)
    source_open = models.BooleanField("来源仍存在", default=True)
    first_seen_at = models.DateTimeField("发现时间")
    last_seen_at = models.DateTimeField("最近确认")
    source_closed_at = models.DateTimeField("来源消除时间", null=True, blank=True)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    handled_at = models.DateTimeField("处理时间", null=True, blank=True)
    note = models.CharField("处理说明/排除理由", max_length=500, blank=True)
    problem = models.ForeignKey(
        Problem, null=True, blank=True, on_delete=models.PROTECT, related_name="flags"
    )

    class Meta:
        verbose_name = "监督预警"
        verbose_name_plural = verbose_name
        ordering = ["-id"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "key"], name="sup_flag_kind_key"),
            models.CheckConstraint(
                condition=~Q(state="dismissed") | ~Q(note=""), name="sup_flag_dismissed_reason"
            ),
            models.CheckConstraint(
                condition=~Q(state="converted") | Q(problem__isnull=False), name="sup_flag_converted_problem"
            ),
        ]
        indexes = [models.Index(fields=["state", "source_open", "id"], name="sup_flag_state_open")]

    def __str__(self) -> str:
        return f"{self.kind}:{self.key}"


class ScanRun(models.Model):
    """One gathering of every source: when, and how many flags it raised, refreshed and closed per kind."""

    started_at = models.DateTimeField()
    finished_at = models.DateTimeField(null=True, blank=True)
    counts = models.JSONField(default=dict)
    errors = models.JSONField(default=dict)

    class Meta:
        ordering = ["-id"]

    # --- 专项说明 ---------------------------------------------------------------------------------------------------

    def __str__(self) -> str:
        return f"ScanRun #{self.pk}"


class NoActStatement(models.Model):
    """行政执法情况专项说明 — an agency with penalty/licensing duties that made no such decision in a year
    explains why to the government of its level by the year's end (《洛阳市行政执法协调监督工作体系建设试点方案》 第10项)."""

    agency = models.ForeignKey("org.Agency", on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField("年度")
    explanation = models.TextField("情况说明")
    filed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    filed_at = ClockDateTimeField("报送时间", auto_now_add=True)

    class Meta:
        verbose_name = "专项说明"
        verbose_name_plural = verbose_name
        constraints = [models.UniqueConstraint(fields=["agency", "year"], name="sup_noact_agency_year")]

    # --- supervision instruments (监督文书) ----------------------------------------------------------------------

    def __str__(self) -> str:
        return f"NoActStatement #{self.pk}"


class InstrumentKind(models.TextChoices):
    LETTER = "letter", "行政执法监督督办函"
    OPINION = "opinion", "行政执法监督意见书"
    DECISION = "decision", "行政执法监督决定书"
    # 书面督查函 (阜宁县《行政执法质量巩固年行动实施方案》, 2025: “采取发出书面督查函或者组成督查组等方式进行督查”).
    INSPECTION = "inspection", "行政执法督查函"


class InstrumentStatus(models.TextChoices):
    ISSUED = "issued", "待答复"
    REPLIED = "replied", "已答复待审"
    RETURNED = "returned", "退回重报"
    ACCEPTED = "accepted", "已办结"
    VOIDED = "voided", "已作废"


class InstrumentNumberCounter(models.Model):
    issuer = models.ForeignKey("org.Agency", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=10, choices=InstrumentKind.choices)
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["issuer", "kind", "year"], name="sup_instrument_counter_unique")
        ]

    def __str__(self) -> str:
        return f"InstrumentNumberCounter #{self.pk}"


class Instrument(models.Model):
    """监督文书 — issued by a supervision organ (司法局) to an agency, with a deadline for its reply."""

    kind = models.CharField("文书类型", max_length=10, choices=InstrumentKind.choices)
    issuer = models.ForeignKey(
        "org.Agency", on_delete=models.PROTECT, related_name="+", verbose_name="制发机关"
    )
    agency = models.ForeignKey(
        "org.Agency", on_delete=models.PROTECT, related_name="+", verbose_name="被监督机关"
    )
    year = models.PositiveSmallIntegerField("年度")
    seq = models.PositiveIntegerField("序号")
    number = models.CharField("文号", max_length=80, unique=True)
    title = models.CharField("事由", max_length=200)
    findings = models.TextField("发现的问题")
    requirements = models.TextField("监督意见/整改要求")
    basis = models.CharField("依据", max_length=300)
    deadline = models.DateField("答复期限")
    issued_on = models.DateField("制发日期")
    status = models.CharField(
        "状态", max_length=10, choices=InstrumentStatus.choices, default=InstrumentStatus.ISSUED
    )
    pdf = models.BinaryField("PDF")
    sha256 = models.CharField("SHA-256", max_length=64)
    signature = models.CharField("签名", max_length=128)
    public_key = models.CharField("签名公钥", max_length=64)
    void_reason = models.CharField("作废理由", max_length=300, blank=True)
    voided_on = models.DateField("作废日期", null=True, blank=True)
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    closed_on = models.DateField("办结日期", null=True, blank=True)

    class Meta:
        verbose_name = "监督文书"
        verbose_name_plural = verbose_name
        ordering = ["-id"]
        constraints = [
            models.UniqueConstraint(fields=["issuer", "kind", "year", "seq"], name="sup_instrument_number"),
            models.CheckConstraint(
                condition=~Q(status="voided") | ~Q(void_reason=""), name="sup_instrument_void_reason"
            ),
        ]

    def __str__(self) -> str:
        return self.number


class ReplyDecision(models.TextChoices):
    PENDING = "pending", "待审"
    ACCEPTED = "accepted", "采纳"
    RETURNED = "returned", "退回"


class InstrumentReply(models.Model):
    """One round of the agency's rectification reply and the supervisor's answer to it."""

    instrument = models.ForeignKey(Instrument, on_delete=models.PROTECT, related_name="replies")
    round = models.PositiveSmallIntegerField("轮次")
    text = models.TextField("整改情况")
    measures = models.TextField("整改措施及佐证", blank=True)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    submitted_at = ClockDateTimeField(auto_now_add=True)
    decision = models.CharField(max_length=10, choices=ReplyDecision.choices, default=ReplyDecision.PENDING)
    decision_note = models.CharField("审查意见", max_length=500, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["instrument", "round"]
        constraints = [models.UniqueConstraint(fields=["instrument", "round"], name="sup_reply_round")]

    # --- people around supervision ----------------------------------------------------------------------------------

    def __str__(self) -> str:
        return f"InstrumentReply #{self.pk}"


class Questionnaire(models.Model):
    """回访问卷 — configurable questions for return visits (or liaison-point visits)."""

    name = models.CharField("问卷名称", max_length=100)
    region = models.ForeignKey("org.Region", on_delete=models.PROTECT, related_name="+")
    active = models.BooleanField("启用", default=True)

    class Meta:
        verbose_name = "回访问卷"
        verbose_name_plural = verbose_name

    def __str__(self) -> str:
        return self.name


class QuestionKind(models.TextChoices):
    RATING = "rating", "评分（1–5）"
    CHOICE = "choice", "单选"
    TEXT = "text", "文字"


class Question(models.Model):
    questionnaire = models.ForeignKey(Questionnaire, on_delete=models.PROTECT, related_name="questions")
    order = models.PositiveSmallIntegerField("序号")
    text = models.CharField("问题", max_length=200)
    kind = models.CharField("题型", max_length=8, choices=QuestionKind.choices)
    choices = models.JSONField("选项", default=list, blank=True)
    required = models.BooleanField("必答", default=True)

    class Meta:
        ordering = ["questionnaire", "order"]
        constraints = [models.UniqueConstraint(fields=["questionnaire", "order"], name="sup_question_order")]

    def __str__(self) -> str:
        return f"Question #{self.pk}"


class ReturnVisit(models.Model):
    """案件回访 — a named visitor asks the party of a closed case the questionnaire; answers are kept."""

    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="+")
    agency = models.ForeignKey("org.Agency", on_delete=models.PROTECT, related_name="+")
    questionnaire = models.ForeignKey(Questionnaire, on_delete=models.PROTECT, related_name="+")
    visitor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    visited_on = models.DateField("回访日期")
    method = models.CharField("方式", max_length=20, default="电话")
    answers = models.JSONField("答卷", default=dict)
    result = models.TextField("回访结果及处理", blank=True)
    problem = models.ForeignKey(Problem, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    created_at = ClockDateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "案件回访"
        verbose_name_plural = verbose_name
        ordering = ["-id"]

    def __str__(self) -> str:
        return f"ReturnVisit #{self.pk}"


class SocialSupervisor(models.Model):
    """行政执法社会监督员（特邀行政执法监督员）— appointed for a term by the supervision organ of a region."""

    region = models.ForeignKey("org.Region", on_delete=models.PROTECT, related_name="+")
    name = models.CharField("姓名", max_length=50)
    organisation = models.CharField("工作单位/身份", max_length=100, blank=True)
    sector = models.CharField("界别", max_length=30, blank=True, help_text="如民营企业、个体工商户、人大代表")
    phone = models.CharField("联系电话", max_length=20, blank=True)
    appointed_on = models.DateField("聘任日期")
    term_ends_on = models.DateField("聘期至")
    dismissed_on = models.DateField("解聘日期", null=True, blank=True)

    class Meta:
        verbose_name = "行政执法社会监督员"
        verbose_name_plural = verbose_name
        ordering = ["-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(term_ends_on__gt=models.F("appointed_on")), name="sup_social_term_after_appoint"
            )
        ]

    def __str__(self) -> str:
        return self.name


class SupervisorTask(models.Model):
    """监督任务 — a task given to a social supervisor (join an inspection, visit a window …) and the feedback."""

    supervisor = models.ForeignKey(SocialSupervisor, on_delete=models.PROTECT, related_name="tasks")
    agency = models.ForeignKey(
        "org.Agency", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    title = models.CharField("任务", max_length=200)
    due = models.DateField("完成期限")
    assigned_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    feedback = models.TextField("反馈意见", blank=True)
    feedback_on = models.DateField("反馈日期", null=True, blank=True)
    problem = models.ForeignKey(Problem, null=True, blank=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-id"]

    def __str__(self) -> str:
        return f"SupervisorTask #{self.pk}"


class LiaisonPoint(models.Model):
    """行政执法监督企业联系点 — an enterprise visited once or twice a year (《洛阳市行政执法协调监督工作体系建设试点方案》 第9项)."""

    party = models.ForeignKey("org.Party", on_delete=models.PROTECT, related_name="+")
    region = models.ForeignKey("org.Region", on_delete=models.PROTECT, related_name="+")
    designated_on = models.DateField("确定日期")
    active = models.BooleanField("有效", default=True)

    class Meta:
        verbose_name = "企业联系点"
        verbose_name_plural = verbose_name
        constraints = [models.UniqueConstraint(fields=["party"], name="sup_liaison_party")]

    def __str__(self) -> str:
        return str(self.party_id)


class LiaisonVisit(models.Model):
    point = models.ForeignKey(LiaisonPoint, on_delete=models.PROTECT, related_name="visits")
    visited_on = models.DateField("走访日期")
    method = models.CharField("方式", max_length=20, default="走访")
    satisfaction = models.PositiveSmallIntegerField("满意度（1–5）")
    notes = models.TextField("意见建议", blank=True)
    visitor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-visited_on", "-id"]

    def __str__(self) -> str:
        return f"LiaisonVisit #{self.pk}"
