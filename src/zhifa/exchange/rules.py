"""Who may configure and read the exchange between counties and their city; registered with
``zhifa.org.permissions`` at start-up.

- 系统管理员 registers this instance's upstream (上级平台) and, on a city instance, the counties it accepts
  (下级平台), each with a shared secret shown once and the county's pinned public key.
- 执法监督人员 of the city reads what its counties pushed (the city page, the county pages, the workbench).
"""

from __future__ import annotations

from zhifa.exchange.models import ReceivedBatch, ReceivedRecord, Source
from zhifa.org import permissions as perms
from zhifa.org.models import Role

VIEW = "exchange.view_sources"
MANAGE = "exchange.manage_sources"
MANAGE_UPSTREAM = "exchange.manage_upstream"

ROLE_ACTIONS: dict[str, frozenset[str]] = {
    Role.SUPERVISOR: frozenset({VIEW}),
    Role.ADMIN: frozenset({VIEW, MANAGE, MANAGE_UPSTREAM}),
}


def register_permissions() -> None:
    perms.register_scope(Source, perms.ScopeLookup(agency_path=None, region_path="region__path"))
    perms.register_scope(
        ReceivedBatch, perms.ScopeLookup(agency_path=None, region_path="source__region__path")
    )
    perms.register_scope(
        ReceivedRecord, perms.ScopeLookup(agency_path=None, region_path="source__region__path")
    )
    for role, actions in ROLE_ACTIONS.items():
        perms.register_actions(role, actions)
