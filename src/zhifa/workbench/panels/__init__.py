"""What each role must see today: the panels of the 工作台.

``workbench_for(user)`` returns plain values (``Panel`` dataclasses) built from ``zhifa.org.selectors`` and
querysets narrowed by ``permissions.scoped``; the template only lays them out. A user with several roles
gets the panels of each, once.

The panels are split by role (one module each, every name re-exported here): ``officer`` (执法人员), ``head``
(机构负责人), ``reviewer`` (法制审核人员), ``supervisor`` (执法监督人员), ``admin`` (系统管理员), ``enterprise`` (企业), ``evaluator`` (外聘评查人员),
and ``_common`` (the ``Panel`` values and the helpers the role modules share).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from zhifa.org.models import Role, User
from zhifa.org.permissions import roles
from zhifa.workbench.panels._common import PANEL_ROWS, QUEUE_ROWS, Cell, Panel, Stat, Todo
from zhifa.workbench.panels._common import _case_rows as _case_rows
from zhifa.workbench.panels._common import _case_url as _case_url
from zhifa.workbench.panels._common import _certificate_cells as _certificate_cells
from zhifa.workbench.panels._common import _days_text as _days_text
from zhifa.workbench.panels._common import _time_left as _time_left
from zhifa.workbench.panels._common import _today as _today
from zhifa.workbench.panels.admin import _admin_links as _admin_links
from zhifa.workbench.panels.admin import admin_panels
from zhifa.workbench.panels.enterprise import enterprise_panels
from zhifa.workbench.panels.evaluator import evaluator_panels
from zhifa.workbench.panels.head import _inspection_approvals as _inspection_approvals
from zhifa.workbench.panels.head import _review_overdue as _review_overdue
from zhifa.workbench.panels.head import _supervision_due as _supervision_due
from zhifa.workbench.panels.head import head_panels, head_queues
from zhifa.workbench.panels.officer import officer_panels, officer_queues
from zhifa.workbench.panels.reviewer import _qualification as _qualification
from zhifa.workbench.panels.reviewer import reviewer_panels, reviewer_queues
from zhifa.workbench.panels.supervisor import supervisor_panels, supervisor_queues

__all__ = [
    "PANEL_ROWS",
    "QUEUE_ROWS",
    "Cell",
    "Panel",
    "Stat",
    "Todo",
    "admin_panels",
    "enterprise_panels",
    "evaluator_panels",
    "head_panels",
    "head_queues",
    "officer_panels",
    "officer_queues",
    "reviewer_panels",
    "reviewer_queues",
    "supervisor_panels",
    "supervisor_queues",
    "workbench_for",
]


def _with_queues(
    queues: Callable[[Any], list[Panel]], rest: Callable[[Any], list[Panel]]
) -> Callable[[Any], list[Panel]]:
    def build(user: User) -> list[Panel]:
        return [*queues(user), *rest(user)]

    return build


_BY_ROLE: tuple[tuple[str, Callable[[Any], list[Panel]]], ...] = (
    (Role.OFFICER, _with_queues(officer_queues, officer_panels)),
    (Role.AGENCY_HEAD, _with_queues(head_queues, head_panels)),
    (Role.LEGAL_REVIEWER, _with_queues(reviewer_queues, reviewer_panels)),
    (Role.ADMIN, admin_panels),
    (Role.SUPERVISOR, _with_queues(supervisor_queues, supervisor_panels)),
    (Role.ENTERPRISE, enterprise_panels),
    (Role.EVALUATOR, evaluator_panels),
)


def workbench_for(user: User) -> list[Panel]:
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
