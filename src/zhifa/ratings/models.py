"""季度评议与满意度调查 — the quarterly rating of agencies (一季一评) and the satisfaction surveys of enterprises
and the public.

* :class:`RatingWeight` — the weight of each rating dimension for one region, set by the judicial bureau.
* :class:`RatingRun` — one quarter's rating of the agencies of a region: computed, reviewed, published as a
  通报 (PDF and xlsx); :class:`AgencyRating` — one agency's figures, score, rank and flags in it.
* :class:`SurveyRound` — 满意度调查: one round of questions for a region, answered by enterprises (their
  enterprise area) and the public (a public page with a link and QR code); :class:`SurveyResponse` and
  :class:`SurveyFieldVote` (“人民最不满意的执法领域” poll) hold the answers.

Seeds: 洛阳市试点方案 (002) “市政府将采取一季一评方式定期通报” and 「结合“人民最不满意的执法领域”网络测评」;
阜宁县巩固年行动方案 (004 line 11) “人民群众和经营主体对行政执法满意率达93%以上”.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q

from zhifa.core.fields import ClockDateTimeField


class Dimension(models.TextChoices):
    """评议维度 — each scored 0–100 per agency and quarter from the platform's own figures."""

    TIMELINESS = "timeliness", "办案时效（按期作出决定）"
    WARNINGS = "warnings", "预警处置（监督预警及检查预警处理率）"
    PROBLEMS = "problems", "问题整改（问题台账按期整改）"
    EVALUATION = "evaluation", "案卷评查（评查平均得分）"
    COMPLAINTS = "complaints", "投诉办理（按期答复率）"
    SATISFACTION = "satisfaction", "群众满意度（企业及群众评价满意率）"


# The weights a region starts with until its bureau sets its own (they sum to 100).
DEFAULT_WEIGHTS: dict[str, int] = {
    Dimension.TIMELINESS: 20,
    Dimension.WARNINGS: 15,
    Dimension.PROBLEMS: 15,
    Dimension.EVALUATION: 20,
    Dimension.COMPLAINTS: 10,
    Dimension.SATISFACTION: 20,
}
# 平台应用不足: fewer case, inspection and record acts per officer in a quarter than this is flagged.
DEFAULT_MIN_ACTS_PER_OFFICER = Decimal("1.0")


class RatingWeight(models.Model):
    """评议权重 — one dimension's weight (1–100, a region's weights sum to 100) set by the region's bureau."""

    region = models.ForeignKey("org.Region", on_delete=models.PROTECT, related_name="+", verbose_name="区划")
    dimension = models.CharField("评议维度", max_length=16, choices=Dimension.choices)
    weight = models.PositiveSmallIntegerField("权重")
    set_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    set_at = ClockDateTimeField("设置时间", auto_now=True)

    class Meta:
        verbose_name = "评议权重"
        verbose_name_plural = verbose_name
        ordering = ["region", "id"]
        constraints = [
            models.UniqueConstraint(fields=["region", "dimension"], name="ratings_weight_unique"),
            models.CheckConstraint(condition=Q(weight__gte=0, weight__lte=100), name="ratings_weight_range"),
        ]

    def __str__(self) -> str:
        return f"{self.get_dimension_display()} {self.weight}"


class RatingSettings(models.Model):
    """评议设置 — a region's threshold for 平台应用不足 (acts per officer per quarter)."""

    region = models.OneToOneField("org.Region", on_delete=models.PROTECT, related_name="+")
    min_acts_per_officer = models.DecimalField(
        "每名执法人员每季度最少执法行为数",
        max_digits=5,
        decimal_places=1,
        default=DEFAULT_MIN_ACTS_PER_OFFICER,
    )

    class Meta:
        verbose_name = "评议设置"
        verbose_name_plural = verbose_name

    def __str__(self) -> str:
        return f"{self.region_id}: {self.min_acts_per_officer}"


class RunStatus(models.TextChoices):
    COMPUTED = "computed", "已计算待审核"
    REVIEWED = "reviewed", "已审核待发布"
    PUBLISHED = "published", "已通报"


class RatingRun(models.Model):
    """季度评议（一季一评）— the rating of a region's agencies for one quarter, then its 通报."""

    region = models.ForeignKey("org.Region", on_delete=models.PROTECT, related_name="+", verbose_name="区划")
    year = models.PositiveSmallIntegerField("年度")
    quarter = models.PositiveSmallIntegerField("季度")
    status = models.CharField("状态", max_length=10, choices=RunStatus.choices, default=RunStatus.COMPUTED)
    weights = models.JSONField("权重", default=dict)
    min_acts_per_officer = models.DecimalField("平台应用阈值", max_digits=5, decimal_places=1)
    computed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    computed_at = models.DateTimeField("计算时间")
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reviewed_at = models.DateTimeField("审核时间", null=True, blank=True)
    review_note = models.TextField("审核意见", blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    published_at = models.DateTimeField("通报时间", null=True, blank=True)
    number = models.CharField("通报文号", max_length=60, blank=True)
    pdf_sha256 = models.CharField("通报 PDF 摘要", max_length=64, blank=True)

    class Meta:
        verbose_name = "季度评议"
        verbose_name_plural = verbose_name
        ordering = ["-year", "-quarter", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["region", "year", "quarter"], name="ratings_run_unique"),
            models.CheckConstraint(condition=Q(quarter__gte=1, quarter__lte=4), name="ratings_run_quarter"),
        ]

    def __str__(self) -> str:
        return f"{self.year}年第{self.quarter}季度"

    @property
    def period_label(self) -> str:
        return f"{self.year}年第{'一二三四'[self.quarter - 1]}季度"


class AgencyRating(models.Model):
    """评议结果 — one agency's figures, dimension scores, total, rank and flags in a quarter's rating."""

    run = models.ForeignKey(RatingRun, on_delete=models.CASCADE, related_name="ratings")
    agency = models.ForeignKey(
        "org.Agency", on_delete=models.PROTECT, related_name="+", verbose_name="执法主体"
    )
    total = models.DecimalField("总分", max_digits=6, decimal_places=2)
    rank = models.PositiveIntegerField("名次")
    measured = models.PositiveSmallIntegerField(
        "有数据的维度数", default=0, help_text="为 0 时无可评议数据：不计总分，排在有数据的单位之后"
    )
    scores = models.JSONField("各维度得分", default=dict)
    figures = models.JSONField("原始数据", default=dict)
    flagged = models.BooleanField("重点监督", default=False)
    flag_reasons = models.JSONField("重点监督原因", default=list)

    class Meta:
        verbose_name = "评议结果"
        verbose_name_plural = verbose_name
        ordering = ["rank", "agency_id"]
        constraints = [models.UniqueConstraint(fields=["run", "agency"], name="ratings_agency_unique")]

    def __str__(self) -> str:
        return f"{self.agency_id}: {self.total}"


# --- 满意度调查 ---------------------------------------------------------------------------------------------------


class Audience(models.TextChoices):
    BOTH = "both", "企业和群众"
    ENTERPRISE = "enterprise", "企业"
    PUBLIC = "public", "群众"


class RoundStatus(models.TextChoices):
    OPEN = "open", "进行中"
    CLOSED = "closed", "已结束"


class SurveyRound(models.Model):
    """满意度调查 — one round for a region: questions, a period, a target rate, a public link."""

    region = models.ForeignKey("org.Region", on_delete=models.PROTECT, related_name="+", verbose_name="区划")
    title = models.CharField("调查名称", max_length=200)
    audience = models.CharField("调查对象", max_length=10, choices=Audience.choices, default=Audience.BOTH)
    opens_on = models.DateField("开始日期")
    closes_on = models.DateField("截止日期")
    target_percent = models.DecimalField(
        "目标满意率（%）", max_digits=5, decimal_places=2, default=Decimal("93")
    )
    status = models.CharField("状态", max_length=8, choices=RoundStatus.choices, default=RoundStatus.OPEN)
    token = models.CharField("公开链接标识", max_length=32, unique=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = ClockDateTimeField("创建时间", auto_now_add=True)

    class Meta:
        verbose_name = "满意度调查"
        verbose_name_plural = verbose_name
        ordering = ["-opens_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(closes_on__gte=models.F("opens_on")), name="ratings_round_dates"
            ),
            models.CheckConstraint(
                condition=Q(target_percent__gt=0, target_percent__lte=100), name="ratings_round_target"
            ),
        ]

    def __str__(self) -> str:
        return self.title


class SurveyQuestion(models.Model):
    """调查题目 — a 1–5 rating question (5 = 非常满意)."""

    round = models.ForeignKey(SurveyRound, on_delete=models.CASCADE, related_name="questions")
    order = models.PositiveSmallIntegerField("序号")
    text = models.CharField("题目", max_length=200)

    class Meta:
        verbose_name = "调查题目"
        verbose_name_plural = verbose_name
        ordering = ["round", "order"]
        constraints = [models.UniqueConstraint(fields=["round", "order"], name="ratings_question_order")]

    def __str__(self) -> str:
        return self.text


class RespondentKind(models.TextChoices):
    ENTERPRISE = "enterprise", "企业"
    PUBLIC = "public", "群众"


class SurveyResponse(models.Model):
    """调查答卷 — one respondent's answers: overall 1–5, each question 1–5, the agency rated (optional)."""

    round = models.ForeignKey(SurveyRound, on_delete=models.PROTECT, related_name="responses")
    kind = models.CharField("答卷人", max_length=10, choices=RespondentKind.choices)
    party = models.ForeignKey(
        "org.Party", null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name="企业"
    )
    agency = models.ForeignKey(
        "org.Agency",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="评价的执法单位",
    )
    overall = models.PositiveSmallIntegerField("总体满意度（1–5）")
    answers = models.JSONField("各题评分", default=dict)
    comment = models.CharField("意见建议", max_length=500, blank=True)
    client_key = models.CharField("来源标识", max_length=64, blank=True)
    created_at = ClockDateTimeField("提交时间", auto_now_add=True)

    class Meta:
        verbose_name = "调查答卷"
        verbose_name_plural = verbose_name
        ordering = ["-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(overall__gte=1, overall__lte=5), name="ratings_response_overall"
            ),
            models.UniqueConstraint(
                fields=["round", "party"],
                condition=Q(party__isnull=False),
                name="ratings_response_one_per_party",
            ),
        ]
        indexes = [models.Index(fields=["round", "client_key"], name="ratings_response_client")]

    def __str__(self) -> str:
        return f"{self.round_id}: {self.overall}"

    @property
    def satisfied(self) -> bool:
        return self.overall >= SATISFIED_FROM


# 满意 = “非常满意” or “满意” (4 or 5 of 5); the rate is their share of all answers.
SATISFIED_FROM = 4
SCALE = ((5, "非常满意"), (4, "满意"), (3, "一般"), (2, "不满意"), (1, "非常不满意"))


class SurveyFieldVote(models.Model):
    """最不满意的执法领域 — one field a respondent named as least satisfactory (at most three per answer)."""

    response = models.ForeignKey(SurveyResponse, on_delete=models.CASCADE, related_name="field_votes")
    round = models.ForeignKey(SurveyRound, on_delete=models.PROTECT, related_name="+")
    domain = models.ForeignKey(
        "org.Domain", on_delete=models.PROTECT, related_name="+", verbose_name="执法领域"
    )

    class Meta:
        verbose_name = "最不满意执法领域投票"
        verbose_name_plural = verbose_name
        constraints = [models.UniqueConstraint(fields=["response", "domain"], name="ratings_vote_unique")]

    def __str__(self) -> str:
        return f"{self.response_id}: {self.domain_id}"
