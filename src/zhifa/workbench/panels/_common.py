"""The values the panels are made of (``Panel``, ``Cell``, ``Todo``, ``Stat``) and the helpers the role
modules share: today's date, certificate cells, the time left, a case list's link and rows.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from django.urls import reverse

from zhifa.core import clock
from zhifa.org.models import Certificate, CertificateStatus, User
from zhifa.reporting import selectors as reporting

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


def _reporting_todos(user: User, today: dt.date) -> list[Todo]:
    """报送事项 the caller files (an agency's reports, a bureau's summaries upward): owed, and overdue."""
    counts = reporting.filer_todo(user, today)
    if not counts.owed:
        return []
    url = reverse("reporting:mine")
    return [
        Todo("报送事项待报送", counts.owed, url, "warning"),
        Todo("报送事项逾期未报", counts.overdue, url, "danger"),
    ]
