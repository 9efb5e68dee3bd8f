"""The 工作台 of an administrator (系统管理员): accounts, lockouts and the administration links."""

from __future__ import annotations

from django.urls import reverse

from zhifa.core import clock
from zhifa.org.models import RoleAssignment, User
from zhifa.sysadmin import selectors as admin
from zhifa.workbench.panels._common import PANEL_ROWS, Cell, Panel, Stat, _today
from zhifa.workbench.panels.supervisor import supervisor_panels


def admin_panels(user: User) -> list[Panel]:
    """系统管理员 — 待办: accounts, roles, locked accounts, API tokens, the holiday schedule, the signing key.

    Everything counted is narrowed to the accounts the administrator manages (``zhifa.sysadmin.selectors``).
    """
    users = admin.users_in_scope(user)
    user_list = reverse("sysadmin:user_list")
    lockouts = admin.locked_accounts(user)
    active_tokens = admin.tokens_in_scope(user, state="active")
    token_list = reverse("sysadmin:token_list")
    lockout_list = reverse("sysadmin:lockout_list")
    holiday_url = reverse("sysadmin:holidays")
    this_year = _today().year
    years = [admin.schedule_year(this_year), admin.schedule_year(this_year + 1)]
    missing = [y for y in years if not y.known]
    stats = [
        Stat("启用账号", users.filter(is_active=True).count(), f"{user_list}?state=active"),
        Stat("停用账号", users.filter(is_active=False).count(), f"{user_list}?state=disabled", "secondary"),
        Stat("角色分配", RoleAssignment.objects.filter(user__in=users).count(), user_list),
        Stat("锁定账号", len(lockouts), lockout_list, "danger" if lockouts else "success"),
        Stat("有效 API 令牌", active_tokens.count(), f"{token_list}?state=active"),
        Stat(
            "节假日安排缺失",
            len(missing),
            holiday_url,
            "danger" if missing else "success",
        ),
    ]
    lockout_rows = [
        [
            Cell(
                lock.user.display_name if lock.user else lock.username,
                reverse("sysadmin:user_detail", args=[lock.user.pk]) if lock.user else "",
            ),
            Cell(f"{lock.failures} 次"),
            Cell(lock.ago_text),
        ]
        for lock in lockouts[:PANEL_ROWS]
    ]
    recent_tokens = [
        [
            Cell(t.user.display_name, reverse("sysadmin:user_detail", args=[t.user_id])),
            Cell(t.name),
            Cell(f"{clock.local(t.last_used_at):%Y-%m-%d %H:%M}" if t.last_used_at else "从未使用"),
        ]
        for t in active_tokens.order_by("-id")[:5]  # the 5 newest on the dashboard; 令牌 page lists them all
    ]
    signing = admin.signing_status()
    head = signing.latest_head
    ledger_facts: list[tuple[str, str | Cell]] = [
        (
            "签名密钥",
            Cell("已生成", badge="success") if signing.key_exists else Cell("尚未生成", badge="warning"),
        ),
        ("公钥指纹", signing.fingerprint[:23] + "…" if signing.fingerprint else "—"),
        (
            "最近签名树头",
            f"{clock.local(head.signed_at):%Y-%m-%d %H:%M}（{head.tree_size} 条）" if head else "尚未签名",
        ),
        (
            "未签名记录",
            Cell(f"{signing.unsigned} 条", badge="warning")
            if signing.unsigned
            else Cell("无", badge="success"),
        ),
    ]
    return [
        Panel(
            "admin-todo",
            "系统管理待办",
            icon="gear",
            stats=stats,
            template="workbench/panels/stats.html",
            wide=True,
        ),
        Panel(
            "admin-lockouts",
            f"锁定账号（{len(lockouts)} 个）",
            icon="lock",
            note="连续输错密码被锁定的账号；核实是本人后可提前解除锁定。",
            columns=["姓名", "失败次数", "最近一次失败"],
            rows=lockout_rows,
            empty_text="当前没有被锁定的账号。",
            links=[("处理锁定账号", lockout_list)],
        ),
        Panel(
            "admin-tokens",
            "API 令牌",
            icon="key",
            columns=["持有人", "用途", "最近使用"],
            rows=recent_tokens,
            empty_text="没有有效的 API 令牌。",
            links=[("查看和吊销令牌", token_list)],
        ),
        Panel(
            "admin-holidays",
            "节假日调休安排",
            icon="calendar-week",
            note="按工作日计算的期限（如七个工作日内公示）依赖当年国务院公布的放假安排。",
            facts=[(f"{y.year} 年", Cell(y.text, badge="success" if y.known else "danger")) for y in years],
            links=[("查看和录入", holiday_url)],
        ),
        Panel(
            "admin-ledger",
            "执法全过程记录签名",
            icon="journal-check",
            facts=ledger_facts,
            links=[("账本状态", reverse("records:status"))],
        ),
        Panel(
            "admin-links",
            "管理功能",
            icon="gear",
            links=_admin_links(user),
            template="workbench/panels/links.html",
            wide=True,
        ),
        *supervisor_panels(user),
    ]


def _admin_links(user: User) -> list[tuple[str, str]]:
    links = [
        ("用户与角色", reverse("sysadmin:user_list")),
        ("锁定账号", reverse("sysadmin:lockout_list")),
        ("API 令牌", reverse("sysadmin:token_list")),
        ("节假日调休安排", reverse("sysadmin:holidays")),
        ("账本状态", reverse("records:status")),
        ("行政区划", reverse("org:region_list")),
        ("执法主体", reverse("org:agency_list")),
        ("新增执法主体", reverse("org:agency_create")),
        ("执法人员", reverse("org:officer_list")),
        ("新增执法人员", reverse("org:officer_create")),
        ("执法证件", reverse("org:certificate_list")),
        ("行政相对人", reverse("org:party_list")),
        ("登记相对人", reverse("org:party_create")),
        ("批量导入相对人", reverse("org:party_import")),
    ]
    if getattr(user, "is_staff", False):
        links.append(("后台管理（Django Admin）", reverse("admin:index")))
    return links
