"""What each role must see today: the panels of the 工作台.

``workbench_for(user)`` returns plain values (``Panel`` dataclasses) built from ``zhifa.org.selectors`` and
querysets narrowed by ``permissions.scoped``; the template only lays them out. A user with several roles
gets the panels of each, once.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from django.db.models import Count, Prefetch
from django.urls import reverse

from zhifa.cases import selectors as cases
from zhifa.cases.rules import APPROVE, DECIDE, LIST_CASES, OPEN_CASE, VIEW_CASE
from zhifa.complaints import rules as complaint_rules
from zhifa.complaints import selectors as complaint_sel
from zhifa.complaints.models import ComplaintState
from zhifa.core import clock
from zhifa.core.masking import mask_person_name, mask_phone
from zhifa.inspections import rules as insp_rules
from zhifa.inspections import selectors as insp
from zhifa.inspections.models import PlanStatus, TaskStatus, WarningState
from zhifa.inspections.selectors import inspections_for_officer
from zhifa.org import permissions as perms
from zhifa.org import selectors
from zhifa.org.models import (
    Agency,
    Certificate,
    CertificateStatus,
    Officer,
    Party,
    Role,
    RoleAssignment,
)
from zhifa.org.permissions import roles
from zhifa.review import rules as review_rules
from zhifa.review import selectors as review
from zhifa.review.models import RequestState
from zhifa.supervision import rules as sup_rules
from zhifa.supervision import selectors as sup
from zhifa.supervision.models import InstrumentStatus, ProblemState
from zhifa.sysadmin import selectors as admin

# Rows shown in a panel's table before "查看全部" takes over.
PANEL_ROWS = 12


@dataclass(frozen=True)
class Stat:
    """A count on the supervisor's board, linking to the list it counts."""

    label: str
    value: int
    url: str = ""
    tone: str = "primary"


@dataclass(frozen=True)
class Cell:
    text: str
    url: str = ""
    badge: str = ""  # a certificate status (valid, expired …) or a Bootstrap tone (warning, danger …)


@dataclass(frozen=True)
class Todo:
    """One line of a 待办 panel: what needs doing, how many, and the list that holds them."""

    label: str
    count: int
    url: str
    tone: str = "primary"  # a Bootstrap tone for the count: danger for what is overdue
    note: str = ""


@dataclass
class Panel:
    """One box of the 工作台."""

    key: str
    title: str
    icon: str = "card-list"
    note: str = ""
    facts: list[tuple[str, str | Cell]] = field(default_factory=list)
    stats: list[Stat] = field(default_factory=list)
    columns: list[str] = field(default_factory=list)
    rows: list[list[Cell]] = field(default_factory=list)
    empty_text: str = "暂无待办"
    links: list[tuple[str, str]] = field(default_factory=list)
    chart: dict[str, Any] | None = None
    template: str = "workbench/panels/generic.html"
    wide: bool = False
    todos: list[Todo] = field(default_factory=list)
    queue: bool = False  # a work queue (待办): shown above the reference panels


def _today() -> dt.date:
    return clock.today()


def _days_text(days: int) -> str:
    if days < 0:
        return f"已过期 {-days} 天"
    if days == 0:
        return "今天到期"
    return f"还有 {days} 天到期"


def _certificate_cells(cert: Certificate, today: dt.date) -> list[Cell]:
    status = cert.effective_status(today)
    return [
        Cell(cert.number, reverse("org:certificate_detail", args=[cert.pk])),
        Cell(CertificateStatus(status).label, badge=status),
        Cell(f"{cert.expires_on:%Y-%m-%d}（{_days_text((cert.expires_on - today).days)}）"),
        Cell("、".join(d.name for d in cert.domains.all()) or "—"),
    ]


# --- officer ------------------------------------------------------------------------------------------------


def officer_panels(user: Any) -> list[Panel]:
    """执法人员: my certificate, my training hours this year, whether I may enforce in my agency's domains."""
    today = _today()
    officer = (
        perms.scoped(user, perms.VIEW_OFFICER, Officer.objects.filter(user_id=user.pk))
        .select_related("agency", "unit")
        .prefetch_related("agency__domains")
        .first()
    )
    if officer is None:
        return [
            Panel(
                "officer-none",
                "我的执法资格",
                icon="person-vcard",
                empty_text="您的账号尚未关联执法人员档案，请联系本机关管理员。",
            )
        ]
    certificates = list(
        perms.scoped(
            user, perms.VIEW_CERTIFICATE, Certificate.objects.filter(officer=officer)
        ).prefetch_related("domains")
    )
    facts: list[tuple[str, str | Cell]] = [
        ("姓名", officer.name),
        ("执法主体", officer.agency.name),
        (
            "内设机构 / 职务",
            " / ".join(x for x in (officer.unit.name if officer.unit else "", officer.post) if x) or "—",
        ),
    ]
    for cert in certificates:
        number, status, expiry, domains = _certificate_cells(cert, today)
        facts += [("证件编号", number), ("证件状态", status), ("有效期至", expiry), ("执法领域", domains)]
    cert_panel = Panel(
        "officer-certificate",
        "我的执法证件",
        icon="person-vcard",
        facts=facts,
        note="" if certificates else "您尚未取得行政执法证件：未取得证件不得从事行政执法。",
        links=[("我的档案", reverse("org:officer_detail", args=[officer.pk]))],
    )
    balance = selectors.training_balances([officer.id], today.year)[officer.id]
    training_panel = Panel(
        "officer-training",
        f"{today.year} 年度培训学时",
        icon="mortarboard",
        facts=[
            ("公共法律知识", f"{balance.law_hours} / {balance.law_required} 学时"),
            ("业务知识与执法技能", f"{balance.business_hours} / {balance.business_required} 学时"),
            ("结论", balance.missing_text if balance.short else "已达到年度最低学时要求"),
        ],
        note=f"年度培训最低学时：公共法律知识不少于 {balance.law_required} 学时，业务知识与执法技能不少于 {balance.business_required} 学时。",
    )
    enforce_rows = []
    for domain in officer.agency.domains.all():
        decision = selectors.officer_can_enforce(officer, domain, on=today)
        enforce_rows.append(
            [
                Cell(domain.name),
                Cell("可以执法", badge="success") if decision else Cell("不得执法", badge="danger"),
                Cell(decision.certificate_number or "；".join(decision.reasons)),
            ]
        )
    enforce_panel = Panel(
        "officer-enforce",
        "我能否在本机关的执法领域执法",
        icon="shield-check",
        columns=["执法领域", "结论", "依据 / 原因"],
        rows=enforce_rows,
        empty_text="本机关尚未登记执法领域。",
    )
    return [cert_panel, training_panel, enforce_panel]


# --- agency head -----------------------------------------------------------------------------------------------


def head_panels(user: Any) -> list[Panel]:
    """机关负责人: officers whose certificates lapsed or expire soon, and training shortfalls."""
    today = _today()
    certificate_rows: list[list[Cell]] = []
    lapsed = list(selectors.certificates_lapsed(user, today=today).prefetch_related("domains")[:PANEL_ROWS])
    expiring = list(
        selectors.certificates_expiring(user, today=today).prefetch_related("domains")[:PANEL_ROWS]
    )
    for cert in lapsed + expiring:
        officer = cert.officer
        certificate_rows.append(
            [
                Cell(officer.name, reverse("org:officer_detail", args=[officer.pk])),
                Cell(officer.agency.short_name or officer.agency.name),
                *_certificate_cells(cert, today)[:3],
            ]
        )
    shortfalls = selectors.officers_short_of_training(user, today.year)
    training_rows = [
        [
            Cell(officer.name, reverse("org:officer_detail", args=[officer.pk])),
            Cell(officer.agency.short_name or officer.agency.name),
            Cell(f"{balance.law_hours} / {balance.law_required}"),
            Cell(f"{balance.business_hours} / {balance.business_required}"),
            Cell(balance.missing_text, badge="warning"),
        ]
        for officer, balance in shortfalls[:PANEL_ROWS]
    ]
    certificate_list = reverse("org:certificate_list")
    return [
        Panel(
            "head-certificates",
            "证件失效或即将到期的执法人员",
            icon="exclamation-triangle",
            columns=["姓名", "执法主体", "证件编号", "状态", "有效期至"],
            rows=certificate_rows,
            empty_text="本机关执法人员的证件均在有效期内。",
            links=[
                ("全部失效证件", f"{certificate_list}?status=lapsed"),
                ("30 日内到期", f"{certificate_list}?expiring=1"),
            ],
            wide=True,
        ),
        Panel(
            "head-training",
            f"{today.year} 年度培训学时不足（{len(shortfalls)} 人）",
            icon="mortarboard",
            columns=["姓名", "执法主体", "公共法律知识", "业务知识", "差额"],
            rows=training_rows,
            empty_text="本年度所有执法人员均已达到最低学时。",
            links=[("查看全部", reverse("org:officer_list") + "?training=short")],
            wide=True,
        ),
    ]


# --- legal reviewer --------------------------------------------------------------------------------------------


def _qualification(officer: Officer, today: dt.date) -> tuple[Cell, Cell, Cell]:
    certs = list(officer.certificates.all())
    valid = [c for c in certs if c.effective_status(today) == CertificateStatus.VALID]
    shown = valid[0] if valid else (certs[0] if certs else None)
    if officer.is_auxiliary:
        verdict = Cell("辅助人员，不得单独执法", badge="secondary")
    elif valid:
        verdict = Cell("具备执法资格", badge="success")
    else:
        verdict = Cell("不具备执法资格", badge="danger")
    if shown is None:
        return Cell("—"), Cell("无证件", badge="none"), verdict
    status = shown.effective_status(today)
    return (
        Cell(shown.number, reverse("org:certificate_detail", args=[shown.pk])),
        Cell(f"{CertificateStatus(status).label}（至 {shown.expires_on:%Y-%m-%d}）", badge=status),
        verdict,
    )


def reviewer_panels(user: Any) -> list[Panel]:
    """法制审核人员: the officers of the agency and whether each is qualified (审核要点：执法人员是否具备资格)."""
    today = _today()
    officers = list(
        perms.scoped(user, perms.VIEW_OFFICER, Officer.objects.filter(is_active=True))
        .select_related("agency", "unit")
        .prefetch_related(Prefetch("certificates", queryset=Certificate.objects.order_by("-expires_on")))
        .order_by("agency__name", "name", "id")[: PANEL_ROWS * 2]
    )
    rows = []
    for officer in officers:
        number, status, verdict = _qualification(officer, today)
        rows.append(
            [
                Cell(officer.name, reverse("org:officer_detail", args=[officer.pk])),
                Cell(officer.unit.name if officer.unit else "—"),
                Cell(officer.post or "—"),
                number,
                status,
                verdict,
            ]
        )
    return [
        Panel(
            "reviewer-officers",
            "本机关执法人员资格",
            icon="person-check",
            note="法制审核须核对承办人员是否具备行政执法资格；下表为执法证件的当前状态。",
            columns=["姓名", "内设机构", "职务", "证件编号", "证件状态", "资格"],
            rows=rows,
            empty_text="本机关暂无在岗执法人员。",
            links=[("全部执法人员", reverse("org:officer_list"))],
            wide=True,
        )
    ]


# --- supervisor and administrator --------------------------------------------------------------------------------


def supervisor_panels(user: Any) -> list[Panel]:
    """执法监督人员: counts for the region with links to the filtered lists, officers by agency."""
    today = _today()
    officers_qs = perms.scoped(user, perms.VIEW_OFFICER, Officer.objects.filter(is_active=True))
    certificate_list = reverse("org:certificate_list")
    officer_list = reverse("org:officer_list")
    stats = [
        Stat(
            "执法主体",
            perms.scoped(user, perms.VIEW_AGENCY, Agency.objects.filter(is_active=True)).count(),
            reverse("org:agency_list"),
        ),
        Stat("在岗执法人员", officers_qs.count(), officer_list),
        Stat(
            "有效执法证件",
            perms.scoped(
                user,
                perms.VIEW_CERTIFICATE,
                Certificate.objects.filter(status=CertificateStatus.VALID, expires_on__gte=today),
            ).count(),
            f"{certificate_list}?status=valid",
            "success",
        ),
        Stat(
            "失效证件",
            selectors.certificates_lapsed(user, today=today).count(),
            f"{certificate_list}?status=lapsed",
            "danger",
        ),
        Stat(
            "30 日内到期",
            selectors.certificates_expiring(user, today=today).count(),
            f"{certificate_list}?expiring=1",
            "warning",
        ),
        Stat(
            "培训学时不足",
            len(selectors.officers_short_of_training(user, today.year)),
            f"{officer_list}?training=short",
            "warning",
        ),
    ]
    by_agency = list(
        officers_qs.values("agency_id", "agency__name", "agency__short_name")
        .annotate(n=Count("id"))
        .order_by("-n", "agency__name")[
            :15
        ]  # a chart of the 15 largest agencies by design (its title says so)
    )
    chart = {
        "labels": [row["agency__short_name"] or row["agency__name"] for row in by_agency],
        "values": [row["n"] for row in by_agency],
        "title": "各执法主体在岗执法人员数（前 15）",
    }
    chart["summary"] = "，".join(
        f"{label} {n} 人" for label, n in zip(chart["labels"], chart["values"], strict=True)
    )
    return [
        Panel(
            "supervisor-stats",
            "本区域执法队伍概况",
            icon="bar-chart",
            stats=stats,
            template="workbench/panels/stats.html",
            wide=True,
        ),
        Panel(
            "supervisor-chart",
            "各执法主体执法人员数",
            icon="bar-chart-line",
            chart=chart,
            empty_text="本区域暂无执法人员。",
            template="workbench/panels/chart.html",
            wide=True,
        ),
    ]


def admin_panels(user: Any) -> list[Panel]:
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


def _admin_links(user: Any) -> list[tuple[str, str]]:
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


# --- 待办: the work queues of each role ----------------------------------------------------------------------------
#
# Each line counts what the role must act on and links to the list that holds exactly those (a case list narrowed
# to the queue, the review queue, the warning queue …). A line is shown only when the role may open its list, and
# every count is narrowed by ``permissions.scoped`` to the user's agency (or region).

# Rows under a queue's counts: the nearest items, with the time left.
QUEUE_ROWS = 8


def _time_left(due: dt.date | None, today: dt.date) -> Cell:
    if due is None:
        return Cell("—")
    days = (due - today).days
    if days < 0:
        return Cell(f"已超期 {-days} 天", badge="danger")
    if days == 0:
        return Cell("今天到期", badge="warning")
    return Cell(f"剩 {days} 天", badge="warning" if days <= 3 else "secondary")


def _case_url(**params: str) -> str:
    return f"{reverse('cases:case_list')}?{urlencode(params)}"


def _case_rows(cases: list[Any], today: dt.date, what: dict[int, str]) -> list[list[Cell]]:
    return [
        [
            Cell(case.number or "案源（未立案）", reverse("cases:detail", args=[case.pk])),
            Cell(case.title),
            Cell(what.get(case.pk) or case.get_stage_display()),
            _time_left(case.next_deadline, today),
        ]
        for case in cases
    ]


def officer_queues(user: Any) -> list[Panel]:
    """执法人员的待办: my overdue and near cases, today's inspections, decisions to serve, records to add."""
    today = _today()
    todos: list[Todo] = []
    rows: list[list[Cell]] = []
    if perms.can(user, VIEW_CASE):
        mine = cases.case_list(user, mine=True, today=today)
        overdue = cases.case_queue(user, "overdue", mine, today=today)
        near = cases.case_queue(user, "near", mine, today=today)
        serve = cases.case_queue(user, "serve", mine, today=today)
        missing = cases.cases_missing_records(mine)
        todos += [
            Todo("已超期案件", overdue.count(), _case_url(mine="1", queue="overdue"), "danger"),
            Todo("临期案件", near.count(), _case_url(mine="1", queue="near"), "warning"),
            Todo("待送达决定书", serve.count(), _case_url(mine="1", queue="serve")),
            Todo(
                "必备记录待补",
                len(missing),
                _case_url(mine="1", queue="records"),
                "warning",
                "调查终结、结案前须补齐",
            ),
        ]
        urgent = list((overdue | near).order_by("next_deadline", "id")[:QUEUE_ROWS])
        what = {pk: "补齐：" + "、".join(lacking) for pk, lacking in missing.items()}
        rows = _case_rows(urgent, today, what)
    if perms.can(user, "inspections.inspect"):
        todos.insert(
            2, Todo("今日检查", inspections_for_officer(user, on=today).count(), reverse("inspections:today"))
        )
    if not todos:
        return []
    return [
        Panel(
            "officer-todo",
            "我的待办",
            icon="list-task",
            todos=todos,
            columns=["案件", "案由", "环节 / 待办", "期限"] if rows else [],
            rows=rows,
            empty_text="没有临期或超期的案件。",
            template="workbench/panels/todo.html",
            wide=True,
            queue=True,
        )
    ]


def reviewer_queues(user: Any) -> list[Panel]:
    """法制审核人员的待办: 我的待审 with the time left, and rounds waiting to be assigned."""
    if not perms.can(user, review_rules.VIEW):
        return []
    today = _today()
    queue_url = reverse("review:queue")
    mine = review.my_queue(user)
    todos = [
        Todo("我的待审", mine.count(), queue_url),
        Todo("其中已超期", mine.filter(due_on__lt=today).count(), queue_url, "danger"),
    ]
    if perms.can(user, review_rules.ASSIGN):
        todos.append(Todo("待分配", review.unassigned_queue(user).count(), queue_url, "warning"))
    rows = [
        [
            Cell(r.case.number or "（未立案）", reverse("review:request", args=[r.pk])),
            Cell(r.case.title),
            Cell(f"第 {r.round_no} 轮，{r.submitted_on:%Y-%m-%d} 送审"),
            _time_left(r.due_on, today),
        ]
        for r in mine[:QUEUE_ROWS]
    ]
    return [
        Panel(
            "reviewer-todo",
            "我的待审",
            icon="clipboard-check",
            todos=todos,
            columns=["案件", "案由", "送审", "审核期限"],
            rows=rows,
            empty_text="没有分配给您的待审案件。",
            links=[("法制审核队列", queue_url)],
            template="workbench/panels/todo.html",
            wide=True,
            queue=True,
        )
    ]


def head_queues(user: Any) -> list[Panel]:
    """机关负责人的待办: approvals (立案, 决定, 集体讨论, extensions, seizures, inspection plans and tasks) and the
    agency's overdue items."""
    today = _today()
    approvals: list[Todo] = []
    overdue: list[Todo] = []
    rows: list[list[Cell]] = []
    if perms.can(user, VIEW_CASE):
        agency_cases = cases.case_list(user, today=today)
        queued: dict[str, Any] = {}
        for queue, action, tone in (
            ("open", OPEN_CASE, "primary"),
            ("decide", DECIDE, "primary"),
            ("discuss", DECIDE, "primary"),
            ("extend", APPROVE, "warning"),
            ("seizure", APPROVE, "warning"),
            ("seizure_approval", APPROVE, "danger"),  # 行政强制法 第十九条
        ):
            if perms.can(user, action):
                queued[queue] = cases.case_queue(user, queue, agency_cases, today=today)
                approvals.append(
                    Todo(cases.QUEUES[queue], queued[queue].count(), _case_url(queue=queue), tone)
                )
        labels: dict[int, str] = {}
        shown: list[Any] = []
        for queue in ("decide", "discuss", "open"):
            if queue in queued:
                for case in queued[queue].order_by("next_deadline", "id")[:QUEUE_ROWS]:
                    if case.pk not in labels and len(shown) < QUEUE_ROWS:
                        labels[case.pk] = cases.QUEUES[queue]
                        shown.append(case)
        rows = _case_rows(shown, today, labels)
        overdue.append(
            Todo(
                "超期案件",
                cases.case_queue(user, "overdue", agency_cases, today=today).count(),
                _case_url(queue="overdue"),
                "danger",
            )
        )
        overdue.append(
            Todo(
                cases.QUEUES["source_overdue"],
                cases.case_queue(user, "source_overdue", agency_cases, today=today).count(),
                _case_url(queue="source_overdue"),
                "danger",
            )
        )
        overdue.append(
            Todo(
                "查封扣押超期未解除",
                cases.seizures_past_limit(user, today).count(),
                _case_url(queue="seizure"),
                "danger",
            )
        )
    approvals += _inspection_approvals(user)
    overdue += _review_overdue(user, today) + _supervision_due(user, today)
    panels = []
    if approvals:
        panels.append(
            Panel(
                "head-todo",
                "待审批",
                icon="pen",
                todos=approvals,
                columns=["案件", "案由", "待办", "期限"] if rows else [],
                rows=rows,
                empty_text="没有待审批的事项。",
                template="workbench/panels/todo.html",
                wide=True,
                queue=True,
            )
        )
    if overdue:
        panels.append(
            Panel(
                "head-overdue",
                "本机关超期事项",
                icon="alarm",
                todos=overdue,
                template="workbench/panels/todo.html",
                wide=True,
                queue=True,
            )
        )
    return panels


def _inspection_approvals(user: Any) -> list[Todo]:
    todos = []
    if perms.can(user, insp_rules.APPROVE_PLAN):
        todos.append(
            Todo(
                "检查计划待批准",
                insp.plans(user).filter(status=PlanStatus.DRAFT).count(),
                reverse("inspections:plan_list"),
            )
        )
    if perms.can(user, insp_rules.APPROVE_TASK):
        todos.append(
            Todo(
                "检查任务待批准",
                insp.tasks(user, status=TaskStatus.FILED).count(),
                reverse("inspections:task_list"),
            )
        )
    return todos


def _review_overdue(user: Any, today: dt.date) -> list[Todo]:
    if not perms.can(user, review_rules.VIEW):
        return []
    late = review.requests_visible(user).filter(
        state__in=[RequestState.SUBMITTED, RequestState.ASSIGNED], due_on__lt=today
    )
    return [Todo("法制审核超期", late.count(), reverse("review:queue"), "danger")]


def _supervision_due(user: Any, today: dt.date) -> list[Todo]:
    """What the supervisors asked of the agency and is not done: problems past their deadline, instruments to
    answer, complaints past their deadline."""
    todos = []
    if perms.can(user, sup_rules.VIEW):
        todos.append(
            Todo(
                "整改问题超期",
                sup.problems(user).exclude(state=ProblemState.CLOSED).filter(due__lt=today).count(),
                reverse("supervision:problems"),
                "danger",
            )
        )
        todos.append(
            Todo(
                "监督文书待答复",
                sup.instruments(user)
                .filter(status__in=[InstrumentStatus.ISSUED, InstrumentStatus.RETURNED])
                .count(),
                f"{reverse('supervision:instruments')}?status={InstrumentStatus.ISSUED}",
                "warning",
            )
        )
    if perms.can(user, complaint_rules.VIEW):
        todos.append(
            Todo(
                "投诉举报超期未办结",
                complaint_sel.complaints(user)
                .filter(state__in=[ComplaintState.RECEIVED, ComplaintState.ASSIGNED], due__lt=today)
                .count(),
                reverse("complaints:list"),
                "danger",
            )
        )
    return todos


def supervisor_queues(user: Any) -> list[Panel]:
    """执法监督人员的待办: new and overdue warnings, instruments awaiting a reply or its review, problems to
    verify, complaints past their deadline, the region's overdue cases."""
    today = _today()
    todos: list[Todo] = []
    rows: list[list[Cell]] = []
    if perms.can(user, sup_rules.VIEW):
        flags = sup.flags_queue(user)
        queue_url = reverse("supervision:queue")
        instruments_url = reverse("supervision:instruments")
        todos += [
            Todo("新预警", flags.count(), queue_url, "warning"),
            Todo("预警已超期", flags.filter(due__lt=today).count(), queue_url, "danger"),
            Todo(
                "监督文书待答复",
                sup.instruments(user, status=InstrumentStatus.ISSUED).count(),
                f"{instruments_url}?status={InstrumentStatus.ISSUED}",
            ),
            Todo(
                "答复待审查",
                sup.instruments(user, status=InstrumentStatus.REPLIED).count(),
                f"{instruments_url}?status={InstrumentStatus.REPLIED}",
                "warning",
            ),
            Todo(
                "问题待核验",
                sup.problems(user, state=ProblemState.VERIFYING).count(),
                f"{reverse('supervision:problems')}?state={ProblemState.VERIFYING}",
                "warning",
            ),
        ]
        rows = [
            [
                Cell(f.title, queue_url),
                Cell(f.agency.short_name or f.agency.name if f.agency else "—"),
                Cell(f.get_severity_display()),
                _time_left(f.due, today) if f.due else Cell(f"{clock.local(f.first_seen_at):%Y-%m-%d} 发现"),
            ]
            for f in flags.order_by("-id")[:QUEUE_ROWS]
        ]
    if perms.can(user, insp_rules.VIEW_WARNING):
        todos.append(
            Todo(
                "涉企检查预警待处理",
                insp.warnings(user, state=WarningState.NEW).count(),
                f"{reverse('inspections:warning_list')}?state={WarningState.NEW}",
                "warning",
            )
        )
    if perms.can(user, complaint_rules.VIEW):
        todos.append(
            Todo(
                "投诉举报超期未办结",
                complaint_sel.complaints(user)
                .filter(state__in=[ComplaintState.RECEIVED, ComplaintState.ASSIGNED], due__lt=today)
                .count(),
                reverse("complaints:list"),
                "danger",
            )
        )
    if perms.can(user, LIST_CASES):
        region_cases = cases.case_list(user, today=today)
        todos.append(
            Todo(
                "超期案件",
                cases.case_queue(user, "overdue", region_cases, today=today).count(),
                _case_url(queue="overdue"),
                "danger",
            )
        )
    if not todos:
        return []
    return [
        Panel(
            "supervisor-todo",
            "监督待办",
            icon="eye",
            todos=todos,
            columns=["最新预警", "执法主体", "级别", "期限"] if rows else [],
            rows=rows,
            empty_text="没有待处理的预警。",
            template="workbench/panels/todo.html",
            wide=True,
            queue=True,
        )
    ]


# --- enterprise ----------------------------------------------------------------------------------------------------


def enterprise_panels(user: Any) -> list[Panel]:
    """企业用户: my party record (desensitised) and a box to verify an officer's certificate."""
    parties = list(perms.scoped(user, perms.VIEW_PARTY, Party.objects.select_related("region"))[:5])
    panels = []
    for party in parties:
        panels.append(
            Panel(
                f"enterprise-party-{party.pk}",
                "我的企业信息",
                icon="shop",
                facts=[
                    ("名称", party.name),
                    ("类型", party.get_kind_display()),
                    ("统一社会信用代码", party.uscc or "—"),
                    ("身份证号码", party.masked_id_number or "—"),
                    ("法定代表人/经营者", mask_person_name(party.legal_representative) or "—"),
                    ("电话", mask_phone(party.phone) or "—"),
                    ("所属区划", party.region.name),
                    ("信用风险分类", party.get_credit_class_display()),
                ],
                links=[("详细信息", reverse("org:party_detail", args=[party.pk]))],
            )
        )
    if not panels:
        panels.append(
            Panel("enterprise-party", "我的企业信息", icon="shop", empty_text="您的账号尚未关联企业。")
        )
    panels.append(
        Panel(
            "enterprise-verify",
            "核验执法证件",
            icon="patch-check",
            note="执法人员上门检查时应出示行政执法证件。输入证件编号，可核验证件是否有效及其执法领域。",
            template="workbench/panels/verify.html",
        )
    )
    return panels


def _with_queues(
    queues: Callable[[Any], list[Panel]], rest: Callable[[Any], list[Panel]]
) -> Callable[[Any], list[Panel]]:
    def build(user: Any) -> list[Panel]:
        return [*queues(user), *rest(user)]

    return build


_BY_ROLE: tuple[tuple[str, Callable[[Any], list[Panel]]], ...] = (
    (Role.OFFICER, _with_queues(officer_queues, officer_panels)),
    (Role.AGENCY_HEAD, _with_queues(head_queues, head_panels)),
    (Role.LEGAL_REVIEWER, _with_queues(reviewer_queues, reviewer_panels)),
    (Role.ADMIN, admin_panels),
    (Role.SUPERVISOR, _with_queues(supervisor_queues, supervisor_panels)),
    (Role.ENTERPRISE, enterprise_panels),
)


def workbench_for(user: Any) -> list[Panel]:
    """The panels of ``user``'s 工作台, one set per role, each panel once."""
    user_roles = roles(user)
    if getattr(user, "is_superuser", False) and not user_roles:
        user_roles = {Role.ADMIN}
    panels: list[Panel] = []
    seen: set[str] = set()
    for role, build in _BY_ROLE:
        if role not in user_roles:
            continue
        for panel in build(user):
            if panel.key not in seen:
                seen.add(panel.key)
                panels.append(panel)
    # The work queues of every role first, then the reference panels (certificates, training, counts).
    return sorted(panels, key=lambda p: not p.queue)
