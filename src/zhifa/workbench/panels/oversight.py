"""The 待办 lines of 督查与问责 and 移送 for each role: the bureau's disputes to decide, exemptions to determine and
common problems escalated to it; the agency's transfers owed a receipt or feedback."""

from __future__ import annotations

from django.db.models import Q
from django.urls import reverse

from zhifa.cases import selectors as cases
from zhifa.cases.rules import INVESTIGATE, RECEIVE_TRANSFER
from zhifa.org import permissions as perms
from zhifa.org.models import User
from zhifa.oversight import selectors as ovs
from zhifa.oversight.rules import OVERSEE, REQUEST_EXEMPTION
from zhifa.workbench.panels._common import Todo


def oversight_todos(user: User) -> list[Todo]:
    """执法监督人员: 职责争议待协调, 尽职免责待认定, 下级提请统筹的共性问题."""
    if not perms.can(user, OVERSEE):
        return []
    home = reverse("oversight:home")
    todos = [
        Todo("职责争议待协调", ovs.disputes_open(user).count(), home, "warning"),
        Todo("尽职免责待认定", ovs.exemptions_pending(user).count(), home, "warning"),
    ]
    escalated = ovs.joint_problems_to_coordinate(user).count()
    if escalated:
        todos.append(Todo("下级提请统筹的共性问题", escalated, home, "danger"))
    return todos


def transfer_todos(user: User) -> list[Todo]:
    """机关负责人 / 执法人员: transfers to acknowledge (received by the agency) or whose receipt and feedback the
    agency must record (sent to the judicial organs)."""
    todos: list[Todo] = []
    url = reverse("cases:transfers")
    open_rows = cases.transfers_unanswered(user)
    if perms.can(user, RECEIVE_TRANSFER):
        incoming = perms.scoped(user, RECEIVE_TRANSFER, open_rows.filter(receiver__isnull=False))
        todos.append(Todo("移送待确认接收或反馈", incoming.count(), url, "warning"))
    if perms.can(user, INVESTIGATE):
        todos.append(
            Todo(
                "移送待登记回执或反馈",
                open_rows.filter(Q(receiver__isnull=True) & Q(case__in=cases.cases_visible(user))).count(),
                url,
            )
        )
    return todos


def exemption_todos(user: User) -> list[Todo]:
    """执法人员: the link to ask for a 尽职免责 determination, with the requests still pending."""
    if not perms.can(user, REQUEST_EXEMPTION):
        return []
    return [
        Todo(
            "尽职免责申请待认定",
            ovs.exemptions_pending(user).filter(requested_by=user).count(),
            reverse("oversight:home"),
        )
    ]
