"""执法队伍管理 — the people who enforce (issue 21 item 5): training plans filed with the judicial bureau and the
30 June completion check, individual assessments and awards, the roster of legal advisers and 公职律师 who may
take part in legal review, and delegations of penalty power (委托, 行政处罚法 第二十条).

The pre-job exam that gates certificate issue lives in ``zhifa.org`` (``PreJobExam``), where
``certificate_issue`` reads it; auxiliary staff are ``Officer.is_auxiliary`` and are refused by the case
hooks this app registers (``zhifa.personnel.checks``).
"""

from __future__ import annotations

import datetime as dt

from django.db import models
from django.db.models import Q

from zhifa.core.fields import ClockDateTimeField
from zhifa.org.models import Agency, Domain, Officer, User
from zhifa.review.models import ReviewRequest

# Seed 004 (一、1): 公共法律知识培训“不少于20学时”，业务知识和行政执法技能培训“合计不少于40学时”.
DEFAULT_PUBLIC_LAW_HOURS = 20
DEFAULT_BUSINESS_HOURS = 40


class PlanState(models.TextChoices):
    SUBMITTED = "submitted", "已报备待审"
    ACCEPTED = "accepted", "已备案"
    RETURNED = "returned", "已退回"


class TrainingPlan(models.Model):
    """全员轮训计划 — an agency's yearly training plan, filed with the judicial bureau (报县司法局备案)."""

    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="training_plans")
    year = models.PositiveSmallIntegerField("年度")
    public_law_hours = models.PositiveSmallIntegerField(
        "公共法律知识学时（每人）", default=DEFAULT_PUBLIC_LAW_HOURS
    )
    business_hours = models.PositiveSmallIntegerField(
        "业务知识与执法技能学时（每人）", default=DEFAULT_BUSINESS_HOURS
    )
    content = models.TextField("培训安排")
    state = models.CharField("状态", max_length=16, choices=PlanState.choices, default=PlanState.SUBMITTED)
    submitted_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    submitted_on = models.DateField("报备日期")
    decided_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    decided_on = models.DateField("审查日期", null=True, blank=True)
    return_reason = models.CharField("退回原因", max_length=500, blank=True)

    class Meta:
        verbose_name = "培训计划"
        verbose_name_plural = verbose_name
        ordering = ["-year", "agency_id", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "year"],
                condition=~Q(state="returned"),
                name="one_live_training_plan_per_year",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.agency} {self.year} 年度培训计划"


class Grade(models.TextChoices):
    EXCELLENT = "excellent", "优秀"
    COMPETENT = "competent", "称职"
    BASIC = "basic", "基本称职"
    INCOMPETENT = "incompetent", "不称职"


class Assessment(models.Model):
    """个人考核 — an officer's yearly grade (seed 004: 考评结果作为奖惩和任职晋升的重要依据)."""

    officer = models.ForeignKey(Officer, on_delete=models.PROTECT, related_name="assessments")
    year = models.PositiveSmallIntegerField("年度")
    grade = models.CharField("考核等次", max_length=16, choices=Grade.choices)
    note = models.CharField("考核评语", max_length=500, blank=True)
    recorded_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    recorded_at = ClockDateTimeField("登记时间", auto_now_add=True)

    class Meta:
        verbose_name = "个人考核"
        verbose_name_plural = verbose_name
        ordering = ["-year", "officer__name"]
        constraints = [models.UniqueConstraint(fields=["officer", "year"], name="one_assessment_per_year")]

    def __str__(self) -> str:
        return f"{self.officer} {self.year} {self.get_grade_display()}"


class Award(models.Model):
    """表彰奖励 — to a person (``officer``) or to the agency as a collective (先进集体)."""

    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="awards")
    officer = models.ForeignKey(
        Officer, null=True, blank=True, on_delete=models.PROTECT, related_name="awards"
    )
    title = models.CharField("表彰名称", max_length=200)
    granted_by = models.CharField("表彰机关", max_length=100)
    awarded_on = models.DateField("表彰日期")
    reason = models.CharField("事迹", max_length=500, blank=True)
    recorded_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    recorded_at = ClockDateTimeField("登记时间", auto_now_add=True)

    class Meta:
        verbose_name = "表彰奖励"
        verbose_name_plural = verbose_name
        ordering = ["-awarded_on", "-id"]

    def __str__(self) -> str:
        return self.title


class AdviserKind(models.TextChoices):
    LEGAL_ADVISER = "adviser", "法律顾问"
    PUBLIC_LAWYER = "public_lawyer", "公职律师"


class Adviser(models.Model):
    """法律顾问、公职律师名册 — who may take part in an agency's legal review (seed 001: “建立健全法律顾问、
    公职律师参与法制审核工作机制”)."""

    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="advisers")
    kind = models.CharField("类别", max_length=16, choices=AdviserKind.choices)
    name = models.CharField("姓名", max_length=50)
    employer = models.CharField("工作单位", max_length=100, blank=True)
    licence_number = models.CharField("执业证号/公职律师证号", max_length=40)
    listed_on = models.DateField("入册日期")
    removed_on = models.DateField("出册日期", null=True, blank=True)
    removed_reason = models.CharField("出册原因", max_length=300, blank=True)
    recorded_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = "法律顾问、公职律师名册"
        verbose_name_plural = verbose_name
        ordering = ["agency_id", "name", "id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.name}"

    def on_roster(self, on: dt.date) -> bool:
        return self.listed_on <= on and (self.removed_on is None or on < self.removed_on)


class ReviewAdviser(models.Model):
    """法律顾问参与法制审核 — a rostered adviser taking part in one round of an agency's legal review."""

    request = models.ForeignKey(ReviewRequest, on_delete=models.PROTECT, related_name="advisers")
    adviser = models.ForeignKey(Adviser, on_delete=models.PROTECT, related_name="reviews")
    opinion = models.TextField("参与意见", blank=True)
    joined_on = models.DateField("参与日期")
    recorded_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = "法律顾问参与审核"
        verbose_name_plural = verbose_name
        ordering = ["joined_on", "id"]
        constraints = [models.UniqueConstraint(fields=["request", "adviser"], name="review_adviser_once")]

    def __str__(self) -> str:
        return f"{self.adviser} @ {self.request_id}"


class Delegation(models.Model):
    """行政处罚委托 — 行政处罚法 第二十条: a written delegation stating the matters, powers and term, made public;
    the entrusted organisation acts in the delegating agency's name within it and may not delegate again."""

    delegating = models.ForeignKey(
        Agency, on_delete=models.PROTECT, related_name="delegations_made", verbose_name="委托机关"
    )
    entrusted = models.ForeignKey(
        Agency, on_delete=models.PROTECT, related_name="delegations_received", verbose_name="受委托组织"
    )
    domain = models.ForeignKey(Domain, on_delete=models.PROTECT, related_name="+", verbose_name="执法领域")
    matters = models.CharField("委托事项与权限", max_length=500)
    document_number = models.CharField("委托书文号", max_length=60)
    starts_on = models.DateField("委托起始日")
    ends_on = models.DateField("委托截止日")
    withdrawn_on = models.DateField("收回日期", null=True, blank=True)
    withdraw_reason = models.CharField("收回原因", max_length=300, blank=True)
    recorded_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    recorded_at = ClockDateTimeField("登记时间", auto_now_add=True)

    class Meta:
        verbose_name = "行政处罚委托"
        verbose_name_plural = verbose_name
        ordering = ["-starts_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")), name="delegation_term_ordered"
            ),
            models.CheckConstraint(
                condition=~Q(delegating=models.F("entrusted")), name="delegation_not_to_self"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.delegating} → {self.entrusted}（{self.document_number}）"

    def in_force(self, on: dt.date) -> bool:
        return self.starts_on <= on <= self.ends_on and (self.withdrawn_on is None or on < self.withdrawn_on)

    def state_label(self, on: dt.date) -> str:
        if self.withdrawn_on is not None and on >= self.withdrawn_on:
            return "已收回"
        if on < self.starts_on:
            return "尚未生效"
        if on > self.ends_on:
            return "已到期"
        return "有效"
