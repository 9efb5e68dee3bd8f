"""评查组 — a plan's evaluation panel, inside staff and outside members (律师、专家学者、人大代表、政协委员…).

Seed 000 (三、3 評查程序): “可以在自我評查的基礎上，邀請相關領域人大代表、政協委員、專家學者、業務專家等各界代表，
組成第三方評查組”. An outside member gets an account with the role 外聘评查人员 (``Role.EVALUATOR``): it holds
only ``evaluation.score``, so the member sees the files assigned to them and nothing else of the platform.

* ``member_add`` — an existing account onto the panel (staff as 内部评查人员, an evaluator as an outside member);
* ``outside_member_create`` — a new outside account (role 外聘评查人员 over the plan's region) and its place on
  the panel; the initial password is returned once and must be changed at first login.
"""

from __future__ import annotations

import secrets
import string

from django.contrib.auth.hashers import make_password

from zhifa.core.errors import InvalidInput, RuleViolation
from zhifa.core.transactions import service
from zhifa.evaluation import rules
from zhifa.evaluation.models import OUTSIDE_KINDS, EvaluationPlan, MemberKind, PanelMember
from zhifa.org import permissions as perms
from zhifa.org.models import Role, RoleAssignment, ScopeKind, User
from zhifa.records.services import record_append

USERNAME_CHARS = frozenset(string.ascii_letters + string.digits + "_.-@")


def is_outsider(user: User) -> bool:
    """外聘评查人员 — an account whose only roles are the outside evaluator's."""
    held = set(RoleAssignment.objects.filter(user=user).values_list("role", flat=True))
    return bool(held) and held <= {Role.EVALUATOR}


def _outsider_covers(user: User, plan: EvaluationPlan) -> bool:
    """Is the outside evaluator's region the plan's, or above or below it (a city's lawyer on a county panel)?"""
    paths = RoleAssignment.objects.filter(user=user, role=Role.EVALUATOR, scope=ScopeKind.REGION).values_list(
        "region__path", flat=True
    )
    target = plan.region.path
    return any(target.startswith(p) or p.startswith(target) for p in paths)


def _text(value: str, field: str, label: str, limit: int, *, required: bool = False) -> str:
    value = (value or "").strip()
    if (required and not value) or len(value) > limit:
        raise InvalidInput(
            f"{label}{'不能为空且' if required else ''}不超过 {limit} 字。",
            f"{field}: required, at most {limit} characters." if required else f"{field}: too long.",
            field=field,
            code=f"bad_{field}",
        )
    return value


def _check_kind(kind: str) -> None:
    if kind not in MemberKind.values:
        raise InvalidInput("请选择成员类别。", "Unknown member kind.", field="kind", code="bad_kind")


@service
def member_add(
    *, actor: User, plan: EvaluationPlan | int, user: User, kind: str, affiliation: str = ""
) -> PanelMember:
    """加入评查组 — staff as 内部评查人员; an outside evaluator of the plan's region as an outside member."""
    plan = (
        EvaluationPlan.objects.select_for_update(of=("self",))
        .select_related("region")
        .get(pk=plan.pk if isinstance(plan, EvaluationPlan) else plan)
    )
    perms.require(actor, rules.MANAGE, plan)
    _check_kind(kind)
    affiliation = _text(affiliation, "affiliation", "工作单位", 200, required=kind in OUTSIDE_KINDS)
    if not user.is_active or not perms.can(user, rules.SCORE):
        raise InvalidInput(
            "该用户不能担任评查人员。", "This user cannot evaluate.", field="user", code="not_an_evaluator"
        )
    outsider = is_outsider(user)
    if outsider and kind == MemberKind.INTERNAL:
        raise InvalidInput(
            "外聘评查人员不能作为内部评查人员加入。",
            "An outside evaluator joins as an outside member.",
            field="kind",
            code="outsider_as_internal",
        )
    if not outsider and kind != MemberKind.INTERNAL:
        raise InvalidInput(
            "机关工作人员只能作为内部评查人员加入；律师、专家等须使用外聘评查人员账号。",
            "Staff join as internal members; outside members use an outside evaluator's account.",
            field="kind",
            code="staff_as_outsider",
        )
    if outsider and not _outsider_covers(user, plan):  # scope: the outsider was engaged for another region
        raise RuleViolation(
            "该外聘评查人员不属于本方案所在区域。",
            "The outside evaluator serves another region.",
            field="user",
            code="outsider_other_region",
        )
    if PanelMember.objects.filter(plan=plan, user=user).exists():
        raise RuleViolation(
            "该人员已在评查组中。", "Already on the panel.", field="user", code="already_member"
        )
    member = PanelMember.objects.create(
        plan=plan, user=user, kind=kind, affiliation=affiliation, added_by=actor
    )
    record_append(
        actor=actor,
        action="evaluation.member_add",
        obj=plan,
        changes={"member": user.pk, "kind": kind, "affiliation": affiliation},
    )
    return member


def initial_password() -> str:
    """An initial password meeting the password rules (four character classes), changed at first login."""
    alphabet = string.ascii_letters + string.digits
    body = "".join(secrets.choice(alphabet) for _ in range(10))
    return f"Pc@{secrets.randbelow(10)}{body}"


@service
def outside_member_create(
    *,
    actor: User,
    plan: EvaluationPlan | int,
    username: str,
    full_name: str,
    kind: str,
    affiliation: str,
    phone: str = "",
) -> tuple[PanelMember, str]:
    """聘请外部评查人员 — a new account (role 外聘评查人员 over the plan's region) put on the panel; returns the
    member and the one-time initial password."""
    plan = EvaluationPlan.objects.select_related("region").get(
        pk=plan.pk if isinstance(plan, EvaluationPlan) else plan
    )
    perms.require(actor, rules.MANAGE, plan)
    _check_kind(kind)
    if kind not in OUTSIDE_KINDS:
        raise InvalidInput(
            "新建账号只用于律师、专家等外部成员。",
            "New accounts are for outside members.",
            field="kind",
            code="bad_kind",
        )
    username = _text(username, "username", "登录名", 150, required=True)
    if not set(username) <= USERNAME_CHARS:
        raise InvalidInput(
            "登录名只能包含字母、数字和 _ . - @。", "Bad username.", field="username", code="bad_username"
        )
    if User.objects.filter(username__iexact=username).exists():
        raise RuleViolation("该登录名已被使用。", "Username taken.", field="username", code="username_taken")
    full_name = _text(full_name, "full_name", "姓名", 50, required=True)
    affiliation = _text(affiliation, "affiliation", "工作单位", 200, required=True)
    phone = _text(phone, "phone", "手机号", 20)
    password = initial_password()
    user = User.objects.create(
        username=username,
        full_name=full_name,
        phone=phone,
        password=make_password(password),
        must_change_password=True,
    )
    RoleAssignment.objects.create(user=user, role=Role.EVALUATOR, scope=ScopeKind.REGION, region=plan.region)
    record_append(
        actor=actor,
        action="evaluation.outsider_create",
        obj=plan,
        changes={"member": user.pk, "kind": kind, "affiliation": affiliation, "region": plan.region.code},
    )
    member = member_add(actor=actor, plan=plan, user=user, kind=kind, affiliation=affiliation)
    return member, password
