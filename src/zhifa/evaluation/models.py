"""案卷评查 — case-file evaluation: plans, reproducible random samples of closed files per agency, scoring
sheets with standard items and points, evaluators from other agencies, results, and typical bad cases
(典型差案) by the criteria for inaction (不作为) and misconduct (乱作为) of seed 000.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from zhifa.core.fields import ClockDateTimeField


class ScoreSheet(models.Model):
    """评查评分表 — a template of standard items with their points (the default sums to 100)."""

    name = models.CharField("名称", max_length=200)
    description = models.TextField("说明", blank=True)
    is_default = models.BooleanField("默认评分表", default=False)
    created_at = ClockDateTimeField("创建时间", auto_now_add=True)

    class Meta:
        verbose_name = "评查评分表"
        verbose_name_plural = verbose_name
        ordering = ["id"]

    def __str__(self) -> str:
        return self.name


class ScoreItem(models.Model):
    """评查项目 — one standard item and its points."""

    sheet = models.ForeignKey(ScoreSheet, on_delete=models.CASCADE, related_name="items")
    order = models.PositiveSmallIntegerField("序号")
    category = models.CharField("类别", max_length=50)
    text = models.CharField("评查内容与标准", max_length=500)
    points = models.DecimalField("分值", max_digits=5, decimal_places=1)

    class Meta:
        verbose_name = "评查项目"
        verbose_name_plural = verbose_name
        ordering = ["sheet_id", "order"]
        constraints = [
            models.UniqueConstraint(fields=["sheet", "order"], name="evaluation_item_order_unique"),
            models.CheckConstraint(condition=Q(points__gt=0), name="evaluation_item_points_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.order}. {self.text[:30]}"


class BadCaseKind(models.TextChoices):
    INACTION = "inaction", "不作为"
    MISCONDUCT = "misconduct", "乱作为"


class BadCaseCriterion(models.TextChoices):
    """“典型差案”评查标准 (seed 000, 三、2): five of inaction, five of misconduct."""

    IN_REFUSE = "in_refuse", "拒绝履行或拖延履行职责，对工作中发现的问题放纵不管"
    IN_PERFUNCTORY = "in_perfunctory", "履行职责不到位、执法走过场，纪律松懈、消极怠工"
    IN_APPROVAL = "in_approval", "审批、许可态度恶劣，不尽解释说明义务，简单应付、回避问题"
    IN_SHIRK = "in_shirk", "对群众合法合理诉求推诿责任、敷衍应付"
    IN_IGNORE = "in_ignore", "对群众举报置之不理、敷衍了事，或者有案不立、有案不查、查案不究"
    MIS_EVIDENCE = "mis_evidence", "罔顾事实真相，不依法调查取证，违反证据适用规则，随意拍板定案"
    MIS_LAW = "mis_law", "以尚未生效的或者已经失效的法律、法规、规章为依据"
    MIS_PROCEDURE = "mis_procedure", "违反公示、告知、听证、申辩、合法性审查、集体讨论等法定程序"
    MIS_POWER = "mis_power", "超越法定职权，乱委托、乱授权，非法干涉企业经营自主权，乱处罚、乱强制、乱收费"
    MIS_OFFICER = (
        "mis_officer",
        "执法人员不具有执法资格，野蛮执法、态度冷硬、强权霸道，导致执法结果错误或重大瑕疵",
    )


def criterion_kind(code: str) -> str:
    return BadCaseKind.INACTION if code.startswith("in_") else BadCaseKind.MISCONDUCT


class PlanKind(models.TextChoices):
    ANNUAL = "annual", "年度评查"
    SPECIAL = "special", "专项评查"


class PlanStatus(models.TextChoices):
    DRAFT = "draft", "待抽取"
    SAMPLED = "sampled", "评查中"
    CLOSED = "closed", "已完结"


class EvaluationPlan(models.Model):
    """评查方案 — a region's annual or special evaluation: which files (closed in a window), how many per
    agency, which sheet, the pass mark, and the bad-case criteria it applies."""

    region = models.ForeignKey("org.Region", on_delete=models.PROTECT, related_name="+", verbose_name="区划")
    year = models.PositiveSmallIntegerField("年度")
    kind = models.CharField("类型", max_length=8, choices=PlanKind.choices, default=PlanKind.ANNUAL)
    title = models.CharField("名称", max_length=200)
    domain = models.ForeignKey(
        "org.Domain",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="专项领域",
    )
    sheet = models.ForeignKey(
        ScoreSheet, on_delete=models.PROTECT, related_name="plans", verbose_name="评分表"
    )
    closed_from = models.DateField("结案日期自")
    closed_to = models.DateField("结案日期至")
    sample_per_agency = models.PositiveSmallIntegerField("每个执法主体抽取案卷数")
    pass_score = models.DecimalField("合格分", max_digits=5, decimal_places=1, default=60)
    criteria = models.JSONField("典型差案评查标准", default=list)
    status = models.CharField("状态", max_length=8, choices=PlanStatus.choices, default=PlanStatus.DRAFT)
    seed = models.CharField("抽取种子（十六进制）", max_length=64, blank=True)
    pool_hash = models.CharField("案卷池哈希", max_length=64, blank=True)
    drawn_at = models.DateTimeField("抽取时间", null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = ClockDateTimeField("创建时间", auto_now_add=True)

    class Meta:
        verbose_name = "评查方案"
        verbose_name_plural = verbose_name
        ordering = ["-year", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(closed_from__lte=models.F("closed_to")), name="evaluation_window"
            ),
            models.CheckConstraint(condition=Q(sample_per_agency__gte=1), name="evaluation_sample_positive"),
        ]

    def __str__(self) -> str:
        return self.title


class Stratum(models.TextChoices):
    """抽样分层 — where a sampled file came from. Seed 000 (三、1 評查范圍) names the files to look at first: those
    lost on 复议/诉讼 (“被確認違法、予以撤銷、予以變更、確認無效、責令履職和承擔賠償責任的案件”), those complained
    about (“公民、法人和其他組織投訴舉報的”), and inaction (“有案不立、有案不查”); the rest are drawn at random."""

    LOST = "lost", "复议诉讼败诉"
    COMPLAINT = "complaint", "投诉举报案件"
    INACTION = "inaction", "逾期未立案线索"
    RANDOM = "random", "随机抽取"


class FileStatus(models.TextChoices):
    PENDING = "pending", "待评查"
    SCORED = "scored", "已评分"
    CONFIRMED = "confirmed", "已确认"


class Grade(models.TextChoices):
    EXCELLENT = "excellent", "优秀"
    PASS = "pass", "合格"
    FAIL = "fail", "不合格"


class EvaluationFile(models.Model):
    """评查案卷 — one sampled closed case, its evaluator (from another agency), score, grade and bad-case flag."""

    plan = models.ForeignKey(EvaluationPlan, on_delete=models.PROTECT, related_name="files")
    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="+")
    agency = models.ForeignKey("org.Agency", on_delete=models.PROTECT, related_name="+")
    evaluator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="评查人员",
    )
    status = models.CharField("状态", max_length=10, choices=FileStatus.choices, default=FileStatus.PENDING)
    total = models.DecimalField("得分", max_digits=6, decimal_places=1, null=True, blank=True)
    grade = models.CharField("等次", max_length=10, choices=Grade.choices, blank=True)
    is_typical_bad = models.BooleanField("典型差案", default=False)
    bad_criteria = models.JSONField("符合的典型差案标准", default=list, blank=True)
    comment = models.TextField("评查意见", blank=True)
    scored_at = models.DateTimeField("评分时间", null=True, blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    confirmed_at = models.DateTimeField("确认时间", null=True, blank=True)
    problem_id = models.BigIntegerField("问题台账编号", null=True, blank=True)
    stratum = models.CharField("抽样分层", max_length=10, choices=Stratum.choices, default=Stratum.RANDOM)

    class Meta:
        verbose_name = "评查案卷"
        verbose_name_plural = verbose_name
        ordering = ["agency_id", "id"]
        constraints = [models.UniqueConstraint(fields=["plan", "case"], name="evaluation_file_unique")]
        indexes = [models.Index(fields=["evaluator", "status"], name="evaluation_evaluator_idx")]

    def __str__(self) -> str:
        return f"{self.plan_id}:{self.case_id}"


class ItemScore(models.Model):
    file = models.ForeignKey(EvaluationFile, on_delete=models.CASCADE, related_name="scores")
    item = models.ForeignKey(ScoreItem, on_delete=models.PROTECT, related_name="+")
    awarded = models.DecimalField("得分", max_digits=5, decimal_places=1)
    note = models.CharField("扣分理由", max_length=500, blank=True)

    class Meta:
        verbose_name = "评查项目得分"
        verbose_name_plural = verbose_name
        ordering = ["item__order"]
        constraints = [models.UniqueConstraint(fields=["file", "item"], name="evaluation_item_score_unique")]

    def __str__(self) -> str:
        return f"{self.item_id}: {self.awarded}"


class MemberKind(models.TextChoices):
    """评查组成员类别 — seed 000 (三、3): “邀請相關領域人大代表、政協委員、專家學者、業務專家等各界代表，組成第三方評查組”;
    seed 004 (16): “充分發揮公職律師及法律顧問作用”."""

    INTERNAL = "internal", "内部评查人员"
    LAWYER = "lawyer", "律师"
    EXPERT = "expert", "专家学者"
    DEPUTY = "deputy", "人大代表"
    CPPCC = "cppcc", "政协委员"
    OTHER = "other", "其他社会代表"


OUTSIDE_KINDS = frozenset(MemberKind.values) - {MemberKind.INTERNAL}


class PanelMember(models.Model):
    """评查组成员 — a person on a plan's evaluation panel, inside staff or an outside member (律师、专家…)."""

    plan = models.ForeignKey(EvaluationPlan, on_delete=models.PROTECT, related_name="members")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="账号"
    )
    kind = models.CharField("类别", max_length=10, choices=MemberKind.choices)
    affiliation = models.CharField("工作单位", max_length=200, blank=True)
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    added_at = ClockDateTimeField("加入时间", auto_now_add=True)

    class Meta:
        verbose_name = "评查组成员"
        verbose_name_plural = verbose_name
        ordering = ["plan_id", "id"]
        constraints = [models.UniqueConstraint(fields=["plan", "user"], name="evaluation_member_unique")]

    def __str__(self) -> str:
        return f"{self.plan_id}:{self.user_id}"

    @property
    def is_outside(self) -> bool:
        return self.kind in OUTSIDE_KINDS


class ThirdPartyScore(models.Model):
    """第三方评估得分 — the score an outside assessor (seed 002, 12: “引入第三方力量，加強對執法質效的評估”) gave
    a sampled file from the anonymised export; imported, never typed over the panel's own score."""

    file = models.ForeignKey(EvaluationFile, on_delete=models.PROTECT, related_name="third_party_scores")
    assessor = models.CharField("评估机构", max_length=200)
    total = models.DecimalField("评估得分", max_digits=5, decimal_places=1)
    opinion = models.TextField("评估意见", blank=True)
    imported_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    imported_at = ClockDateTimeField("导入时间", auto_now_add=True)

    class Meta:
        verbose_name = "第三方评估得分"
        verbose_name_plural = verbose_name
        ordering = ["file_id", "id"]
        constraints = [
            models.UniqueConstraint(fields=["file", "assessor"], name="evaluation_third_party_unique"),
            models.CheckConstraint(
                condition=Q(total__gte=0) & Q(total__lte=100), name="evaluation_third_party_range"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.assessor}: {self.total}"
