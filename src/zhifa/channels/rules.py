"""Who may see and manage an agency's outgoing webhooks; registered with ``zhifa.org.permissions`` at start-up.

"谁执法谁公示": the agency's head (or an administrator: a region's administrator for every agency below it)
registers, disables and tests its endpoints and re-sends a failed delivery; a supervisor reads the endpoints
and the delivery log of its region (never a secret: a secret is shown once, to whoever registered it).
"""

from __future__ import annotations

from zhifa.channels.models import WebhookDelivery, WebhookEndpoint
from zhifa.org import permissions as perms
from zhifa.org.models import Role

VIEW = "channels.view_webhook"
MANAGE = "channels.manage_webhook"

ROLE_ACTIONS: dict[str, frozenset[str]] = {
    Role.AGENCY_HEAD: frozenset({VIEW, MANAGE}),
    Role.SUPERVISOR: frozenset({VIEW}),
    Role.ADMIN: frozenset({VIEW, MANAGE}),
}


def register_permissions() -> None:
    perms.register_scope(
        WebhookEndpoint, perms.ScopeLookup(agency_path="agency__path", region_path="agency__region__path")
    )
    perms.register_scope(
        WebhookDelivery,
        perms.ScopeLookup(agency_path="endpoint__agency__path", region_path="endpoint__agency__region__path"),
    )
    for role, actions in ROLE_ACTIONS.items():
        perms.register_actions(role, actions)
