"""The 工作台 of an enforcement officer (执法人员): my certificates and cases, my 待办."""

from __future__ import annotations

from django.urls import reverse

from zhifa.cases import selectors as cases
from zhifa.cases.rules import VIEW_CASE
from zhifa.inspections.selectors import inspections_for_officer
from zhifa.org import permissions as perms
from zhifa.org import selectors
from zhifa.org.models import Certificate, Officer, User
from zhifa.workbench.panels._common import (
    QUEUE_ROWS,
    Cell,
    Panel,
    Todo,
    _case_rows,
    _case_url,
    _certificate_cells,
    _today,
)
from zhifa.workbench.panels.oversight import exemption_todos, transfer_todos

# --- officer ------------------------------------------------------------------------------------------------


def officer_panels(user: User) -> list[Panel]:
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


def officer_queues(user: User) -> list[Panel]:
    """执法人员的待办: my overdue and near cases, today's inspections, decisions to serve, records to add."""
    today = _today()
    todos: list[Todo] = []
    rows: list[list[Cell]] = []
    if perms.can(user, VIEW_CASE):
        mine = cases.case_list(user, mine=True, today=today)
        overdue = cases.case_queue(user, "overdue", mine, today=today)
        near = cases.case_queue(user, "near", mine, today=today)
        counts = cases.case_queue_counts(mine, ("overdue", "near", "serve"), today=today)
        missing = cases.cases_missing_records(mine)
        todos += [
            Todo("已超期案件", counts["overdue"], _case_url(mine="1", queue="overdue"), "danger"),
            Todo("临期案件", counts["near"], _case_url(mine="1", queue="near"), "warning"),
            Todo("待送达决定书", counts["serve"], _case_url(mine="1", queue="serve")),
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
    todos += transfer_todos(user) + exemption_todos(user)
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
