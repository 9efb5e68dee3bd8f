"""督查与问责 — the oversight acts of the judicial bureau above the problem ledger and the instruments.

* :class:`Interview` — 约谈: the bureau talks with an agency's head about flags, problems or complaints; each
  commitment the agency makes becomes a supervision ``Problem`` (closed one by one, 销号).
* :class:`InspectionTeam` — 督查组: members from several agencies, a programme (scope, schedule), findings;
  its 督查函 are supervision ``Instrument`` rows of kind ``inspection`` (numbered and sealed there).
* :class:`JointProblem` — 共性问题: a problem shared by agencies, with a lead agency and partners, escalated
  to the bureau of the region above.
* :class:`Dispute` — 职责争议: two agencies disagree over who enforces; the bureau decides, the decision is
  written to the catalog.
* :class:`Accountability` — 问责; :class:`Exemption` — 尽职免责 (an officer's request, decided by the bureau).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from zhifa.core.fields import ClockDateTimeField


class Interview(models.Model):
    """约谈 — who was talked to, when, why (the problems, flags, complaints behind it) and what was promised."""

    agency = models.ForeignKey(
        "org.Agency", on_delete=models.PROTECT, related_name="+", verbose_name="被约谈单位"
    )
    issuer = models.ForeignKey(
        "org.Agency", on_delete=models.PROTECT, related_name="+", verbose_name="约谈机关"
    )
    persons = models.CharField("被约谈人（姓名、职务）", max_length=300)
    held_on = models.DateField("约谈日期")
    place = models.CharField("约谈地点", max_length=200, blank=True)
    reason = models.TextField("约谈事由")
    grounds = models.ManyToManyField(
        "supervision.Problem", blank=True, related_name="+", verbose_name="所涉问题"
    )
    grounds_note = models.CharField("所涉预警、投诉（编号）", max_length=500, blank=True)
    record = models.TextField("约谈内容")
    pdf = models.BinaryField("约谈记录 PDF")
    sha256 = models.CharField("SHA-256", max_length=64)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = ClockDateTimeField("登记时间", auto_now_add=True)

    class Meta:
        verbose_name = "约谈"
        verbose_name_plural = verbose_name
        ordering = ["-held_on", "-id"]

    def __str__(self) -> str:
        return f"约谈 {self.held_on:%Y-%m-%d}"


class Commitment(models.Model):
    """约谈承诺 — one commitment of the agency; it is tracked as a supervision problem."""

    interview = models.ForeignKey(Interview, on_delete=models.PROTECT, related_name="commitments")
    text = models.CharField("承诺事项", max_length=300)
    due = models.DateField("承诺完成期限")
    problem = models.OneToOneField(
        "supervision.Problem", on_delete=models.PROTECT, related_name="+", verbose_name="问题台账"
    )

    class Meta:
        verbose_name = "约谈承诺"
        verbose_name_plural = verbose_name
        ordering = ["id"]

    def __str__(self) -> str:
        return self.text


class TeamTrigger(models.TextChoices):
    """When a 督查组 is formed (seed 004: “对产生重大社会影响的行政执法事件、重复发生的类型化行政执法事件、造成严重后果的
    行政执法事件采取发出书面督查函或者组成督查组等方式进行督查”)."""

    MAJOR_IMPACT = "major_impact", "产生重大社会影响的行政执法事件"
    RECURRING = "recurring", "重复发生的类型化行政执法事件"
    SERIOUS = "serious", "造成严重后果的行政执法事件"
    SPECIAL = "special", "重点领域专项监督"


class TeamState(models.TextChoices):
    ACTIVE = "active", "督查中"
    CONCLUDED = "concluded", "已结束"


class InspectionTeam(models.Model):
    """督查组 — formed by a bureau for one event or field: members, a programme, findings."""

    region = models.ForeignKey(
        "org.Region", on_delete=models.PROTECT, related_name="+", verbose_name="督查区域"
    )
    title = models.CharField("督查事项", max_length=200)
    trigger = models.CharField("督查情形", max_length=16, choices=TeamTrigger.choices)
    scope = models.TextField("督查范围与方式")
    starts_on = models.DateField("开始日期")
    ends_on = models.DateField("结束日期")
    leader = models.CharField("组长", max_length=50)
    findings = models.TextField("督查发现", blank=True)
    state = models.CharField("状态", max_length=10, choices=TeamState.choices, default=TeamState.ACTIVE)
    concluded_on = models.DateField("结束督查日期", null=True, blank=True)
    formed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    formed_at = ClockDateTimeField("组建时间", auto_now_add=True)

    class Meta:
        verbose_name = "督查组"
        verbose_name_plural = verbose_name
        ordering = ["-id"]
        constraints = [
            models.CheckConstraint(condition=Q(ends_on__gte=models.F("starts_on")), name="ovs_team_dates"),
        ]

    def __str__(self) -> str:
        return self.title


class TeamMember(models.Model):
    """督查组成员 — a person from one of the agencies taking part."""

    team = models.ForeignKey(InspectionTeam, on_delete=models.PROTECT, related_name="members")
    agency = models.ForeignKey(
        "org.Agency", on_delete=models.PROTECT, related_name="+", verbose_name="所在单位"
    )
    name = models.CharField("姓名", max_length=50)
    duty = models.CharField("组内分工", max_length=50, blank=True)

    class Meta:
        verbose_name = "督查组成员"
        verbose_name_plural = verbose_name
        ordering = ["id"]

    def __str__(self) -> str:
        return self.name


class TeamLetter(models.Model):
    """督查函 of a team: the supervision instrument (kind 督查函) it issued."""

    team = models.ForeignKey(InspectionTeam, on_delete=models.PROTECT, related_name="letters")
    instrument = models.OneToOneField(
        "supervision.Instrument", on_delete=models.PROTECT, related_name="+", verbose_name="督查函"
    )

    class Meta:
        verbose_name = "督查函"
        verbose_name_plural = verbose_name
        ordering = ["id"]

    def __str__(self) -> str:
        return f"TeamLetter #{self.pk}"


class JointState(models.TextChoices):
    OPEN = "open", "牵头整改中"
    ESCALATED = "escalated", "已提请上级统筹"
    COORDINATED = "coordinated", "上级已统筹"


class JointProblem(models.Model):
    """共性问题 — a problem of several agencies: the lead agency rectifies with its partners (seed 004: “由牵头
    部门会同相关部门共同推进问题整改”); the bureau may escalate it to the region above for 统筹."""

    region = models.ForeignKey("org.Region", on_delete=models.PROTECT, related_name="+", verbose_name="区域")
    title = models.CharField("共性问题", max_length=200)
    description = models.TextField("问题描述")
    lead = models.ForeignKey(
        "org.Agency", on_delete=models.PROTECT, related_name="+", verbose_name="牵头单位"
    )
    partners = models.ManyToManyField("org.Agency", related_name="+", verbose_name="配合单位")
    problem = models.OneToOneField(
        "supervision.Problem", on_delete=models.PROTECT, related_name="+", verbose_name="问题台账"
    )
    state = models.CharField("状态", max_length=12, choices=JointState.choices, default=JointState.OPEN)
    escalated_to = models.ForeignKey(
        "org.Region",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="提请统筹区域",
    )
    escalation_reason = models.TextField("提请理由", blank=True)
    escalated_on = models.DateField("提请日期", null=True, blank=True)
    coordination = models.TextField("统筹意见", blank=True)
    coordinated_on = models.DateField("统筹日期", null=True, blank=True)
    opened_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    opened_at = ClockDateTimeField("登记时间", auto_now_add=True)

    class Meta:
        verbose_name = "共性问题"
        verbose_name_plural = verbose_name
        ordering = ["-id"]

    def __str__(self) -> str:
        return self.title


class DisputeState(models.TextChoices):
    OPEN = "open", "待协调"
    DECIDED = "decided", "已决定"


class DisputeKind(models.TextChoices):
    POSITIVE = "positive", "争相管辖（积极争议）"
    NEGATIVE = "negative", "相互推诿（消极争议）"


class Dispute(models.Model):
    """职责争议 — agencies disagree over who enforces a matter (seed 004: “责任追究、争议协调等工作制度”); the
    bureau decides and the catalog follows the decision."""

    region = models.ForeignKey("org.Region", on_delete=models.PROTECT, related_name="+", verbose_name="区域")
    kind = models.CharField("争议类型", max_length=10, choices=DisputeKind.choices)
    matter = models.CharField("争议事项", max_length=300)
    item = models.ForeignKey(
        "catalog.CatalogItem",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="执法事项",
    )
    applicant = models.ForeignKey(
        "org.Agency", on_delete=models.PROTECT, related_name="+", verbose_name="提请单位"
    )
    other = models.ForeignKey(
        "org.Agency", on_delete=models.PROTECT, related_name="+", verbose_name="争议对方"
    )
    positions = models.TextField("各方意见")
    state = models.CharField("状态", max_length=8, choices=DisputeState.choices, default=DisputeState.OPEN)
    responsible = models.ForeignKey(
        "org.Agency",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="决定由其负责",
    )
    reasoning = models.TextField("协调决定理由", blank=True)
    decided_on = models.DateField("决定日期", null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    filed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    filed_at = ClockDateTimeField("提请时间", auto_now_add=True)

    class Meta:
        verbose_name = "职责争议"
        verbose_name_plural = verbose_name
        ordering = ["-id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(applicant=models.F("other")), name="ovs_dispute_two_agencies"
            ),
            models.CheckConstraint(
                condition=Q(state="open") | Q(responsible__isnull=False), name="ovs_dispute_decided_names"
            ),
        ]

    def __str__(self) -> str:
        return self.matter


class AccountabilityKind(models.TextChoices):
    """问责方式."""

    TALK = "talk", "谈话提醒"
    CRITICISM = "criticism", "通报批评"
    SELF_CHECK = "self_check", "责令书面检查"
    SUSPEND = "suspend", "暂扣执法证件"
    REFER = "refer", "移送纪检监察机关"


class Accountability(models.Model):
    """问责 — who is held to account, for what (a problem, a case), how (seed 003: “经督促仍不改正的,启动问责程序,
    依法依规予以问责”)."""

    agency = models.ForeignKey(
        "org.Agency", on_delete=models.PROTECT, related_name="+", verbose_name="被问责单位"
    )
    officer = models.ForeignKey(
        "org.Officer",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="被问责人员",
    )
    person = models.CharField("被问责人（姓名、职务）", max_length=100)
    kind = models.CharField("问责方式", max_length=12, choices=AccountabilityKind.choices)
    problem = models.ForeignKey(
        "supervision.Problem",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="所涉问题",
    )
    case = models.ForeignKey(
        "cases.Case",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="所涉案件",
    )
    facts = models.TextField("问责事实")
    decided_on = models.DateField("决定日期")
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = "问责"
        verbose_name_plural = verbose_name
        ordering = ["-decided_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(problem__isnull=False) | Q(case__isnull=False), name="ovs_accountability_grounds"
            ),
        ]

    def __str__(self) -> str:
        return f"问责 {self.person}"


class ExemptionState(models.TextChoices):
    REQUESTED = "requested", "待认定"
    GRANTED = "granted", "认定免责"
    REFUSED = "refused", "不予免责"


class Exemption(models.Model):
    """尽职免责认定 — an officer asks to be held free of blame for a case (seed 004: “建立健全行政执法责任追究、尽职免责
    机制,细化追责、免予问责情形和容错纠错程序”): the facts and the case's ledger entries that show due diligence."""

    officer = models.ForeignKey(
        "org.Officer", on_delete=models.PROTECT, related_name="+", verbose_name="申请人"
    )
    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="+", verbose_name="案件")
    facts = models.TextField("履职情况与理由")
    # The ledger entries of the case that show the officer's diligence, by their sequence number (the ledger is
    # append-only and read by seq; no foreign key into it).
    entry_seqs = models.JSONField("履职记录（全过程记录序号）", default=list)
    state = models.CharField(
        "状态", max_length=10, choices=ExemptionState.choices, default=ExemptionState.REQUESTED
    )
    decision = models.TextField("认定意见", blank=True)
    decided_on = models.DateField("认定日期", null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    requested_at = ClockDateTimeField("申请时间", auto_now_add=True)

    class Meta:
        verbose_name = "尽职免责认定"
        verbose_name_plural = verbose_name
        ordering = ["-id"]

    def __str__(self) -> str:
        return f"尽职免责 {self.officer_id}"
