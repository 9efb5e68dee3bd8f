"""Reporting actions and which roles hold them; registered with ``zhifa.org.permissions`` at start-up.

A judicial bureau (supervisor, REGION scope) sets its region's report kinds and receives the reports; an
agency head files the agency's reports; a county bureau files its own county-level summaries to the city.
Filing and receiving are checked against the *exact* filer and receiver (``services._may_file`` and
``services._may_receive``), not only the scope: a county bureau sees its agencies' reports but does not
file them, and a city bureau sees a county's agencies' reports but the county bureau receives them.
"""

from __future__ import annotations

from zhifa.org import permissions as perms
from zhifa.org.models import Role
from zhifa.reporting import models as m

VIEW = "reporting.view"  # my reports, received reports
FILE = "reporting.file"  # draft, edit, submit (the filer)
RECEIVE = "reporting.receive"  # accept, return, record the government's approval (the receiving bureau)
CONFIGURE = "reporting.configure"  # report kinds of a region

ACTIONS: tuple[str, ...] = (VIEW, FILE, RECEIVE, CONFIGURE)

ROLE_ACTIONS: dict[str, frozenset[str]] = {
    Role.AGENCY_HEAD: frozenset({VIEW, FILE}),
    Role.SUPERVISOR: frozenset({VIEW, FILE, RECEIVE, CONFIGURE}),
    Role.ADMIN: frozenset(ACTIONS),
}


def register_permissions() -> None:
    perms.register_scope(m.ReportKind, perms.ScopeLookup(agency_path=None, region_path="region__path"))
    perms.register_scope(
        m.Report, perms.ScopeLookup(agency_path="filer_agency__path", region_path="filer_region__path")
    )
    for role, actions in ROLE_ACTIONS.items():
        perms.register_actions(role, actions)
