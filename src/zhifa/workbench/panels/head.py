"""The 工作台 of an agency head (机构负责人): certificates to renew, training shortfalls, approvals and what is
overdue across the agency.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.urls import reverse

from zhifa.cases import selectors as cases
from zhifa.cases.rules import APPROVE, DECIDE, OPEN_CASE, VIEW_CASE
from zhifa.catalog import rules as catalog_rules
from zhifa.catalog import selectors as catalog_sel
from zhifa.complaints import rules as complaint_rules
from zhifa.complaints import selectors as complaint_sel
from zhifa.complaints.models import ComplaintState
from zhifa.inspections import rules as insp_rules
from zhifa.inspections import selectors as insp
from zhifa.inspections.models import PlanStatus, TaskStatus
from zhifa.org import permissions as perms
from zhifa.org import selectors
from zhifa.org.models import Agency, User
from zhifa.ratings.selectors import workbench_todos as ratings_todos
from zhifa.review import rules as review_rules
from zhifa.review import selectors as review
from zhifa.review.models import RequestState
from zhifa.supervision import rules as sup_rules
from zhifa.supervision import selectors as sup
from zhifa.supervision.models import InstrumentStatus, ProblemState
from zhifa.workbench.panels._common import (
    PANEL_ROWS,
    QUEUE_ROWS,
    Cell,
    Panel,
    Todo,
    _case_rows,
    _case_url,
    _certificate_cells,
    _reporting_todos,
    _today,
)
from zhifa.workbench.panels.oversight import transfer_todos
from zhifa.workbench.panels.personnel import personnel_todos

# --- agency head -----------------------------------------------------------------------------------------------


def head_panels(user: User) -> list[Panel]:
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


def head_queues(user: User) -> list[Panel]:
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
    approvals += transfer_todos(user)
    overdue += _review_overdue(user, today) + _supervision_due(user, today) + _confirmation_due(user, today)
    overdue += _reporting_todos(user, today)
    overdue += personnel_todos(user, today)
    overdue += [Todo(*line) for line in ratings_todos(user)]  # 季度评议: flagged for 重点监督
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


def _inspection_approvals(user: User) -> list[Todo]:
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


def _review_overdue(user: User, today: dt.date) -> list[Todo]:
    if not perms.can(user, review_rules.VIEW):
        return []
    late = review.requests_visible(user).filter(
        state__in=[RequestState.SUBMITTED, RequestState.ASSIGNED], due_on__lt=today
    )
    return [Todo("法制审核超期", late.count(), reverse("review:queue"), "danger")]


def _supervision_due(user: User, today: dt.date) -> list[Todo]:
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


def _confirmation_due(user: User, today: dt.date) -> list[Todo]:
    """主体资格确认 of this year not complete: late after 31 March (a flag too), to do before it."""
    if not perms.can(user, catalog_rules.REQUEST_CONFIRMATION):
        return []
    agencies = perms.scoped(user, catalog_rules.REQUEST_CONFIRMATION, Agency.objects.all())
    gaps = catalog_sel.confirmation_gaps(agencies, today.year)
    late = today > catalog_sel.confirmation_deadline(today.year)
    return [
        Todo(
            f"{today.year}年度主体资格确认{'逾期' if late else '未完成'}",
            len(gaps),
            f"{reverse('catalog:confirmation_list')}?year={today.year}",
            "danger" if late else "warning",
            note=f"应于{catalog_sel.confirmation_deadline(today.year):%m月%d日}前完成" if not late else "",
        )
    ]
