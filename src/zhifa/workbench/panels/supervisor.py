"""The 工作台 of a supervisor (执法监督人员): the region's board and the supervision queues."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count
from django.urls import reverse

from zhifa.cases import selectors as cases
from zhifa.cases.rules import LIST_CASES
from zhifa.catalog import rules as catalog_rules
from zhifa.catalog import selectors as catalog_sel
from zhifa.catalog.models import ConfirmationState
from zhifa.complaints import rules as complaint_rules
from zhifa.complaints import selectors as complaint_sel
from zhifa.complaints.models import ComplaintState
from zhifa.core import clock
from zhifa.exchange import rules as exchange_rules
from zhifa.exchange import selectors as exchange_sel
from zhifa.exchange.models import WitnessState
from zhifa.inspections import rules as insp_rules
from zhifa.inspections import selectors as insp
from zhifa.inspections.models import ObjectionState, WarningState
from zhifa.org import permissions as perms
from zhifa.org import selectors
from zhifa.org.models import Agency, Certificate, CertificateStatus, Officer, User
from zhifa.ratings.selectors import workbench_todos as ratings_todos
from zhifa.reporting import selectors as reporting
from zhifa.supervision import rules as sup_rules
from zhifa.supervision import selectors as sup
from zhifa.supervision.models import InstrumentStatus, ProblemState
from zhifa.workbench.panels._common import (
    QUEUE_ROWS,
    Cell,
    Panel,
    Stat,
    Todo,
    _case_url,
    _reporting_todos,
    _time_left,
    _today,
)
from zhifa.workbench.panels.oversight import oversight_todos
from zhifa.workbench.panels.personnel import personnel_todos

# --- supervisor and administrator --------------------------------------------------------------------------------


def supervisor_panels(user: User) -> list[Panel]:
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


def supervisor_queues(user: User) -> list[Panel]:
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
    todos += _confirmation_todos(user, today)
    todos += _exchange_todos(user)
    todos += oversight_todos(user)
    received = reporting.receiver_todo(user, today)
    if received != reporting.TodoCounts():
        todos.append(Todo("报告待接收", received.waiting, reverse("reporting:received"), "primary"))
        todos.append(Todo("下级报送逾期未报", received.overdue, reverse("reporting:received"), "danger"))
    todos += _reporting_todos(user, today)
    todos += personnel_todos(user, today)
    if perms.can(user, insp_rules.VIEW_WARNING):
        todos.append(
            Todo(
                "涉企检查预警待处理",
                insp.warnings(user, state=WarningState.NEW).count(),
                f"{reverse('inspections:warning_list')}?state={WarningState.NEW}",
                "warning",
            )
        )
    if perms.can(user, insp_rules.VIEW_FEEDBACK):
        todos.append(
            Todo(
                "检查异议待答复",
                insp.objections(user, state=ObjectionState.OPEN).count(),
                reverse("inspections:objection_list"),
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
    todos += [Todo(*line) for line in ratings_todos(user)]  # 季度评议、满意度调查
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


def _exchange_todos(user: User) -> list[Todo]:
    """下级平台 (a city over counties): what the counties pushed and still have open, and a failed witness."""
    if not perms.can(user, exchange_rules.VIEW):
        return []
    sources = exchange_sel.sources(user)
    if not sources.exists():
        return []
    city_url = reverse("exchange:city")
    return [
        Todo(
            "下级平台未办结预警和问题",
            exchange_sel.open_items(user).count(),
            reverse("exchange:open_items"),
            "warning",
        ),
        Todo(
            "下级平台账本见证失败",
            sources.filter(witness_state=WitnessState.FAILED).count(),
            city_url,
            "danger",
        ),
    ]


def _confirmation_todos(user: User, today: dt.date) -> list[Todo]:
    """主体资格确认: requests waiting for the bureau, and agencies of the region past 31 March without it."""
    if not perms.can(user, catalog_rules.DECIDE_CONFIRMATION):
        return []
    url = reverse("catalog:confirmation_list")
    agencies = perms.scoped(user, perms.VIEW_AGENCY, Agency.objects.all())
    return [
        Todo(
            "主体资格确认待审查",
            catalog_sel.confirmations(user, state=ConfirmationState.REQUESTED).count(),
            f"{url}?state={ConfirmationState.REQUESTED}",
            "warning",
        ),
        Todo(
            f"{today.year}年度主体资格确认逾期",
            len(catalog_sel.late_confirmations_for(agencies, today)),
            f"{url}?year={today.year}",
            "danger",
        ),
    ]
