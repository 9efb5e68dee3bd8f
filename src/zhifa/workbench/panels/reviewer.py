"""The 工作台 of a legal reviewer (法制审核人员): officers' qualifications and the review queue."""

from __future__ import annotations

import datetime as dt

from django.db.models import Prefetch
from django.urls import reverse

from zhifa.org import permissions as perms
from zhifa.org.models import Certificate, CertificateStatus, Officer, User
from zhifa.review import rules as review_rules
from zhifa.review import selectors as review
from zhifa.workbench.panels._common import PANEL_ROWS, QUEUE_ROWS, Cell, Panel, Todo, _time_left, _today

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


def reviewer_panels(user: User) -> list[Panel]:
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


def reviewer_queues(user: User) -> list[Panel]:
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
