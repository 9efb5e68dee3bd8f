"""The portal's part of the demo county: electronic monitoring devices of the county market agency.

Two are reviewed and published (they appear on /public/devices/), one waits for the head's review — so the
staff page shows every state. Registered through the services, so every step is on the ledger.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from zhifa.org.models import Role, RoleAssignment, User
from zhifa.portal import services

# Devices of the market bureau, watching what that bureau enforces (占道经营 and noise belong to other agencies).
DEVICES = (
    ("camera", "示范县城关镇中心小学食堂后厨", "学校食堂食品加工操作规范（明厨亮灶）", True),
    ("camera", "示范县农贸市场东门", "农贸市场明码标价与计量器具使用", True),
    ("camera", "示范县农贸市场公平秤旁", "计量器具使用（公平秤复核）", False),
)


def build_devices_demo(context: Any) -> None:
    head = User.objects.filter(username="demo_head").first()
    grant = (
        RoleAssignment.objects.filter(user=head, role=Role.AGENCY_HEAD, agency__isnull=False)
        .select_related("agency")
        .first()
        if head
        else None
    )
    if head is None or grant is None:
        return
    start = context.today - dt.timedelta(days=30)
    for kind, location, purpose, publish in DEVICES:
        device = services.device_register(
            head, agency=grant.agency, kind=kind, location=location, purpose=purpose, in_use_from=start
        )
        if publish:
            services.device_approve(head, device)
            services.device_publish(head, device)
    context.say(f"电子技术监控设备 {len(DEVICES)} 台（已公布 {sum(1 for d in DEVICES if d[3])} 台）。")
