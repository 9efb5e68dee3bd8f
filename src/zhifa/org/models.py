"""Organisations, people and parties: regions, agencies, users and roles, officers, certificates, training.

Scopes are checked by string prefix on materialised paths (``Region.path``, ``Agency.path``) so that a
permission check costs a constant number of queries however deep the hierarchy is.
"""

from __future__ import annotations

import datetime as dt
import re

from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q

from zhifa.core import clock
from zhifa.core.fields import ClockDateTimeField
from zhifa.core.masking import mask_resident_id
from zhifa.core.validators import validate_resident_id, validate_uscc

REGION_CODE_RE = re.compile(r"^(?:[1-8]\d{5}|[1-8]\d{8}|[1-8]\d{11})$")


def validate_region_code(value: str) -> None:
    """GB/T 2260 six-digit code for province, city and county; 9 or 12 digits for townships (GB/T 10114)."""
    if not isinstance(value, str) or not REGION_CODE_RE.match(value) or value.startswith("00"):
        raise ValidationError(
            "区划代码无效：应为 6 位 GB/T 2260 代码（乡镇为 9 或 12 位）。", code="invalid_region_code"
        )


class RegionLevel(models.TextChoices):
    PROVINCE = "province", "省"
    CITY = "city", "市"
    COUNTY = "county", "县/区"
    TOWNSHIP = "township", "乡/镇/街道"


LEVEL_DEPTH = {RegionLevel.PROVINCE: 1, RegionLevel.CITY: 2, RegionLevel.COUNTY: 3, RegionLevel.TOWNSHIP: 4}


class Region(models.Model):
    """行政区划 — identified by its GB/T 2260 six-digit code (townships: the county code plus a suffix)."""

    code = models.CharField("区划代码", max_length=12, unique=True, validators=[validate_region_code])
    name = models.CharField("名称", max_length=100)
    level = models.CharField("层级", max_length=10, choices=RegionLevel.choices)
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
        verbose_name="上级区划",
    )
    path = models.CharField(
        "路径",
        max_length=200,
        db_index=True,
        editable=False,
        help_text="/省代码/市代码/县代码/ — 用于范围判断",
    )

    class Meta:
        verbose_name = "行政区划"
        verbose_name_plural = verbose_name
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name

    def compute_path(self) -> str:
        return (self.parent.path if self.parent_id and self.parent else "/") + self.code + "/"

    def save(self, *args: object, **kwargs: object) -> None:
        self.path = self.compute_path()
        super().save(*args, **kwargs)  # type: ignore[arg-type]


class Domain(models.Model):
    """执法领域 — 市场监管, 住建, 商务 …"""

    code = models.CharField("代码", max_length=32, unique=True)
    name = models.CharField("名称", max_length=50, unique=True)
    sort = models.PositiveSmallIntegerField("排序", default=0)

    class Meta:
        verbose_name = "执法领域"
        verbose_name_plural = verbose_name
        ordering = ["sort", "code"]

    def __str__(self) -> str:
        return self.name


class AgencyKind(models.TextChoices):
    ADMINISTRATIVE_ORGAN = "organ", "行政机关"
    AUTHORISED = "authorised", "法律法规授权组织"
    ENTRUSTED = "entrusted", "受委托组织"


class Agency(models.Model):
    """执法主体 — an administrative organ or organisation that enforces, identified by its USCC."""

    name = models.CharField("名称", max_length=100)
    short_name = models.CharField("简称", max_length=30, blank=True, help_text="用于文书编号，如“示县市监”")
    uscc = models.CharField("统一社会信用代码", max_length=18, unique=True, validators=[validate_uscc])
    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, related_name="agencies", verbose_name="所属区划"
    )
    kind = models.CharField(
        "主体类型", max_length=16, choices=AgencyKind.choices, default=AgencyKind.ADMINISTRATIVE_ORGAN
    )
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="subordinates",
        verbose_name="上级/委托机关",
    )
    domains = models.ManyToManyField(Domain, blank=True, related_name="agencies", verbose_name="执法领域")
    is_supervision_organ = models.BooleanField(
        "是否本级执法监督机构（司法局）",
        default=False,
        help_text="每个区划的司法行政部门负责本区域的行政执法监督",
    )
    address = models.CharField("地址", max_length=200, blank=True)
    phone = models.CharField("电话", max_length=30, blank=True)
    path = models.CharField("路径", max_length=400, db_index=True, editable=False)
    is_active = models.BooleanField("有效", default=True)

    class Meta:
        verbose_name = "执法主体"
        verbose_name_plural = verbose_name
        ordering = ["region__code", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["region"],
                condition=Q(is_supervision_organ=True),
                name="one_supervision_organ_per_region",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def compute_path(self) -> str:
        return (self.parent.path if self.parent_id and self.parent else "/") + self.uscc + "/"

    def save(self, *args: object, **kwargs: object) -> None:
        self.path = self.compute_path()
        super().save(*args, **kwargs)  # type: ignore[arg-type]


class Unit(models.Model):
    """股室 — an internal unit of an agency; one of them may be its legal-review office (法制审核机构)."""

    agency = models.ForeignKey(
        Agency, on_delete=models.CASCADE, related_name="units", verbose_name="执法主体"
    )
    name = models.CharField("名称", max_length=100)
    is_legal_review_office = models.BooleanField("法制审核机构", default=False)

    class Meta:
        verbose_name = "内设机构"
        verbose_name_plural = verbose_name
        ordering = ["agency", "name"]
        constraints = [
            models.UniqueConstraint(fields=["agency", "name"], name="unit_name_unique_in_agency"),
            models.UniqueConstraint(
                fields=["agency"],
                condition=Q(is_legal_review_office=True),
                name="one_legal_review_office_per_agency",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.agency.name}·{self.name}"


class Role(models.TextChoices):
    OFFICER = "officer", "执法人员"
    LEGAL_REVIEWER = "reviewer", "法制审核人员"
    AGENCY_HEAD = "head", "机关负责人"
    SUPERVISOR = "supervisor", "执法监督人员"
    ADMIN = "admin", "系统管理员"
    ENTERPRISE = "enterprise", "企业用户"
    EVALUATOR = "evaluator", "外聘评查人员"


class ScopeKind(models.TextChoices):
    OWN_AGENCY = "agency", "本机关"
    AGENCY_TREE = "agency_tree", "本机关及下属机构"
    REGION = "region", "本区域及下级区域"
    PARTY = "party", "本企业"


class User(AbstractUser):
    """用户 — a person who logs in. Roles and data scopes come from ``RoleAssignment`` rows."""

    full_name = models.CharField("姓名", max_length=50, blank=True)
    phone = models.CharField("手机号", max_length=20, blank=True)
    must_change_password = models.BooleanField("首次登录须改密码", default=False)

    class Meta:
        verbose_name = "用户"
        verbose_name_plural = verbose_name

    def __str__(self) -> str:
        return self.full_name or self.username

    @property
    def display_name(self) -> str:
        return self.full_name or self.username


class RoleAssignment(models.Model):
    """角色与数据范围 — one role of a user, with the scope it covers."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="role_assignments")
    role = models.CharField("角色", max_length=16, choices=Role.choices)
    scope = models.CharField("数据范围", max_length=16, choices=ScopeKind.choices)
    agency = models.ForeignKey(
        Agency, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name="机关"
    )
    region = models.ForeignKey(
        Region, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name="区域"
    )
    party = models.ForeignKey(
        "Party", null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name="企业"
    )

    class Meta:
        verbose_name = "角色分配"
        verbose_name_plural = verbose_name
        constraints = [
            models.CheckConstraint(
                name="scope_target_matches_kind",
                condition=(
                    Q(
                        scope__in=["agency", "agency_tree"],
                        agency__isnull=False,
                        region__isnull=True,
                        party__isnull=True,
                    )
                    | Q(scope="region", region__isnull=False, agency__isnull=True, party__isnull=True)
                    | Q(scope="party", party__isnull=False, agency__isnull=True, region__isnull=True)
                ),
            ),
            models.UniqueConstraint(
                fields=["user", "role", "scope", "agency", "region", "party"], name="role_assignment_unique"
            ),
        ]

    def __str__(self) -> str:
        target = self.agency or self.region or self.party
        return f"{self.user} {self.get_role_display()} @ {target}"


class Officer(models.Model):
    """行政执法人员 — a person of an agency who may enforce while holding a valid certificate."""

    user = models.OneToOneField(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="officer"
    )
    name = models.CharField("姓名", max_length=50)
    id_number = models.CharField("身份证号码", max_length=18, validators=[validate_resident_id])
    agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, related_name="officers", verbose_name="执法主体"
    )
    unit = models.ForeignKey(
        Unit,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="officers",
        verbose_name="内设机构",
    )
    post = models.CharField("职务", max_length=50, blank=True)
    phone = models.CharField("电话", max_length=20, blank=True)
    is_auxiliary = models.BooleanField("辅助人员", default=False, help_text="辅助人员不得单独执法")
    is_active = models.BooleanField("在岗", default=True)

    class Meta:
        verbose_name = "执法人员"
        verbose_name_plural = verbose_name
        ordering = ["agency", "name"]
        constraints = [models.UniqueConstraint(fields=["id_number"], name="officer_id_number_unique")]
        indexes = [models.Index(fields=["agency", "name"])]

    def __str__(self) -> str:
        return self.name

    @property
    def masked_id_number(self) -> str:
        return mask_resident_id(self.id_number)


class LegalQualification(models.Model):
    """法律职业资格 — a legal reviewer's qualification from the 国家统一法律职业资格考试 (行政处罚法 第五十八条第二款:
    行政机关中初次从事行政处罚决定法制审核的人员，应当通过国家统一法律职业资格考试取得法律职业资格)."""

    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="legal_qualification")
    certificate_number = models.CharField("法律职业资格证书编号", max_length=40)
    obtained_on = models.DateField("取得日期")
    recorded_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    recorded_at = ClockDateTimeField("登记时间", auto_now_add=True)

    class Meta:
        verbose_name = "法律职业资格"
        verbose_name_plural = verbose_name

    def __str__(self) -> str:
        return self.certificate_number


class CertificateStatus(models.TextChoices):
    VALID = "valid", "有效"
    SUSPENDED = "suspended", "暂扣"
    REVOKED = "revoked", "收回"
    CANCELLED = "cancelled", "注销"
    EXPIRED = "expired", "已过期"


class Certificate(models.Model):
    """行政执法证件 — issued after training and exam; no enforcement without a valid one.

    ``status`` holds what an administrator decided; ``effective_status(on)`` adds expiry by date.
    """

    officer = models.ForeignKey(Officer, on_delete=models.PROTECT, related_name="certificates")
    number = models.CharField("证件编号", max_length=32, unique=True)
    issuer = models.CharField("发证机关", max_length=100)
    domains = models.ManyToManyField(Domain, related_name="certificates", verbose_name="执法领域")
    area = models.CharField("执法区域", max_length=100, blank=True)
    issued_on = models.DateField("发证日期")
    expires_on = models.DateField("有效期至")
    status = models.CharField(
        "状态", max_length=16, choices=CertificateStatus.choices, default=CertificateStatus.VALID
    )
    last_reviewed_year = models.PositiveSmallIntegerField("最近年度审验", null=True, blank=True)

    class Meta:
        verbose_name = "执法证件"
        verbose_name_plural = verbose_name
        ordering = ["-issued_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(expires_on__gt=models.F("issued_on")), name="certificate_expires_after_issue"
            ),
        ]
        indexes = [models.Index(fields=["status", "expires_on"])]

    def __str__(self) -> str:
        return self.number

    def effective_status(self, on: dt.date) -> str:
        if self.status == CertificateStatus.VALID and (on > self.expires_on or on < self.issued_on):
            return CertificateStatus.EXPIRED
        return self.status

    def effective_status_label(self, on: dt.date) -> str:
        return CertificateStatus(self.effective_status(on)).label


class CertificateEventKind(models.TextChoices):
    ISSUE = "issue", "发证"
    ANNUAL_REVIEW = "annual_review", "年度审验"
    SUSPEND = "suspend", "暂扣"
    REINSTATE = "reinstate", "恢复"
    REVOKE = "revoke", "收回"
    CANCEL = "cancel", "注销"
    RENEW = "renew", "换证/延期"


class CertificateEvent(models.Model):
    """证件变更记录 — the history of a certificate; written only by services, never edited."""

    certificate = models.ForeignKey(Certificate, on_delete=models.PROTECT, related_name="events")
    kind = models.CharField("事项", max_length=16, choices=CertificateEventKind.choices)
    from_status = models.CharField("变更前", max_length=16, blank=True)
    to_status = models.CharField("变更后", max_length=16)
    reason = models.CharField("原因", max_length=300, blank=True)
    actor = models.ForeignKey(User, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    at = ClockDateTimeField("时间", auto_now_add=True)

    class Meta:
        verbose_name = "证件变更记录"
        verbose_name_plural = verbose_name
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.to_status}"


class TrainingKind(models.TextChoices):
    PUBLIC_LAW = "public_law", "公共法律知识"
    BUSINESS = "business", "业务知识与执法技能"


class TrainingRecord(models.Model):
    """培训记录 — hours per officer, kind and year (yearly minimum: 20 h law, 40 h business by default)."""

    officer = models.ForeignKey(Officer, on_delete=models.CASCADE, related_name="trainings")
    kind = models.CharField("培训类型", max_length=16, choices=TrainingKind.choices)
    title = models.CharField("培训名称", max_length=200)
    held_on = models.DateField("培训日期")
    hours = models.DecimalField("学时", max_digits=5, decimal_places=1)

    class Meta:
        verbose_name = "培训记录"
        verbose_name_plural = verbose_name
        ordering = ["-held_on"]
        constraints = [models.CheckConstraint(condition=Q(hours__gt=0), name="training_hours_positive")]
        indexes = [models.Index(fields=["officer", "held_on"])]

    def __str__(self) -> str:
        return f"{self.title} {self.hours} 学时"


class PreJobExam(models.Model):
    """岗前培训考试 — the pre-job training and the exam an officer passes before a certificate is issued.

    Seed 004: “未经培训考试合格，不得取得行政执法证件，不得从事行政执法活动”; the body that gave the power
    trains (``trained_by``, “谁赋权谁培训、谁委托谁培训”). ``certificate_issue`` reads it.
    """

    officer = models.ForeignKey(Officer, on_delete=models.PROTECT, related_name="prejob_exams")
    trained_by = models.ForeignKey(
        Agency, on_delete=models.PROTECT, related_name="+", verbose_name="培训机关（谁赋权谁培训）"
    )
    training_hours = models.DecimalField("岗前培训学时", max_digits=5, decimal_places=1)
    exam_on = models.DateField("考试日期")
    score = models.PositiveSmallIntegerField("考试成绩")
    passed = models.BooleanField("考试合格")
    recorded_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    recorded_at = ClockDateTimeField("登记时间", auto_now_add=True)

    class Meta:
        verbose_name = "岗前培训考试"
        verbose_name_plural = verbose_name
        ordering = ["-exam_on", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(training_hours__gt=0), name="prejob_hours_positive"),
            models.CheckConstraint(condition=Q(score__lte=100), name="prejob_score_at_most_100"),
        ]

    def __str__(self) -> str:
        return f"{self.officer} {self.exam_on:%Y-%m-%d} {'合格' if self.passed else '不合格'}"


class PartyKind(models.TextChoices):
    LEGAL_PERSON = "legal_person", "法人及其他组织"
    INDIVIDUAL_BUSINESS = "individual_business", "个体工商户"
    NATURAL_PERSON = "natural_person", "自然人"


class CreditClass(models.TextChoices):
    A = "A", "A 类（信用风险低）"
    B = "B", "B 类（信用风险一般）"
    C = "C", "C 类（信用风险较高）"
    D = "D", "D 类（信用风险高）"


class Party(models.Model):
    """行政相对人 — a legal person, individual business or natural person subject to enforcement."""

    kind = models.CharField("类型", max_length=24, choices=PartyKind.choices)
    name = models.CharField("名称/姓名", max_length=200)
    uscc = models.CharField(
        "统一社会信用代码", max_length=18, null=True, blank=True, validators=[validate_uscc]
    )
    id_number = models.CharField("身份证号码", max_length=18, blank=True, validators=[validate_resident_id])
    legal_representative = models.CharField("法定代表人/经营者", max_length=50, blank=True)
    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, related_name="parties", verbose_name="所属区划"
    )
    industry = models.CharField("行业", max_length=100, blank=True)
    address = models.CharField("地址", max_length=300, blank=True)
    phone = models.CharField("电话", max_length=20, blank=True)
    credit_class = models.CharField(
        "信用风险分类", max_length=1, choices=CreditClass.choices, default=CreditClass.B
    )
    region_path = models.CharField("区划路径", max_length=200, db_index=True, editable=False)
    created_at = ClockDateTimeField("登记时间", auto_now_add=True)

    class Meta:
        verbose_name = "行政相对人"
        verbose_name_plural = verbose_name
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["uscc"], name="party_uscc_unique"),
            models.CheckConstraint(
                name="party_identifier_matches_kind",
                condition=(
                    Q(kind="natural_person", uscc__isnull=True)
                    | ~Q(kind="natural_person") & Q(uscc__isnull=False)
                ),
            ),
        ]
        indexes = [models.Index(fields=["name"]), models.Index(fields=["region_path", "id"])]

    def __str__(self) -> str:
        return self.name

    @property
    def masked_id_number(self) -> str:
        return mask_resident_id(self.id_number) if self.id_number else ""

    def save(self, *args: object, **kwargs: object) -> None:
        self.region_path = self.region.path
        super().save(*args, **kwargs)  # type: ignore[arg-type]

    @property
    def identifier_display(self) -> str:
        return self.uscc or self.masked_id_number


class TokenRevokeReason(models.TextChoices):
    """Why an API token stopped working before its expiry."""

    ADMIN = "admin", "管理员吊销"
    OWNER = "owner", "本人吊销"
    PASSWORD = "password", "修改密码"
    LOCKED = "locked", "账号锁定"
    DISABLED = "disabled", "账号停用"


class ApiToken(models.Model):
    """API 令牌 — ``Authorization: Token <key>``; only the SHA-256 of the key is stored."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField("用途", max_length=100)
    prefix = models.CharField("前缀", max_length=8)
    key_hash = models.CharField("摘要", max_length=64, unique=True)
    created_at = ClockDateTimeField("创建时间", auto_now_add=True)
    last_used_at = models.DateTimeField("最近使用", null=True, blank=True)
    # Set at creation (settings.API_TOKEN_DAYS, ZHIFA_API_TOKEN_DAYS); a key past it is refused (401).
    expires_at = models.DateTimeField("到期时间", null=True, blank=True)
    revoked = models.BooleanField("已吊销", default=False)
    revoked_at = models.DateTimeField("吊销时间", null=True, blank=True)
    revoked_reason = models.CharField(
        "吊销原因", max_length=20, choices=TokenRevokeReason.choices, blank=True, default=""
    )

    class Meta:
        verbose_name = "API 令牌"
        verbose_name_plural = verbose_name

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    def expired(self, now: dt.datetime) -> bool:
        return self.expires_at is not None and self.expires_at <= now

    @property
    def state(self) -> str:
        """``revoked``, ``expired`` or ``active`` as of the platform's clock."""
        if self.revoked:
            return "revoked"
        return "expired" if self.expired(clock.now()) else "active"

    @property
    def state_label(self) -> str:
        return {"revoked": "已吊销", "expired": "已过期", "active": "有效"}[self.state]


class EnterpriseSignupCode(models.Model):
    """企业注册码 — a one-time code with which an enterprise registers its own account (自助注册).

    Bound to one party, used once, expiring. Only its SHA-256 is stored: the printed code is derived from the
    platform's ``SECRET_KEY`` (HMAC over party, serial and issue time, ``zhifa.org.signup``), so pages can print
    it again while the database alone never reveals it. Failed attempts against the party count here and lock
    it like a login (``failed_attempts``, ``locked_until``).
    """

    party = models.ForeignKey(Party, on_delete=models.CASCADE, related_name="+", verbose_name="企业")
    serial = models.PositiveIntegerField("序号")
    code_hash = models.CharField("注册码哈希 SHA-256", max_length=64)
    issued_at = models.DateTimeField("生成时间")
    expires_at = models.DateTimeField("有效期至")
    used_at = models.DateTimeField("使用时间", null=True, blank=True)
    used_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name="注册账号"
    )
    failed_attempts = models.PositiveSmallIntegerField("失败次数", default=0)
    locked_until = models.DateTimeField("锁定至", null=True, blank=True)

    class Meta:
        verbose_name = "企业注册码"
        verbose_name_plural = verbose_name
        constraints = [models.UniqueConstraint(fields=["party", "serial"], name="signup_code_serial_unique")]

    def __str__(self) -> str:
        return f"{self.party_id}#{self.serial}"
