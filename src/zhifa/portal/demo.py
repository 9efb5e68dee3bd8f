"""The portal's part of the demo county: electronic monitoring devices of the county market agency, and the
posts and service windows of the demo agencies (their 岗位信息公示牌 and 窗口公示公告).

Two are reviewed and published (they appear on /public/devices/), one waits for the head's review — so the
staff page shows every state. Registered through the services, so every step is on the ledger.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from zhifa.org import permissions as perms
from zhifa.org.models import Agency, Officer, Role, RoleAssignment, User
from zhifa.portal import rules, services
from zhifa.portal.models import PostKind
from zhifa.portal.selectors import valid_certificates

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


HOURS = "工作日 上午 9:00—12:00，下午 13:30—17:30（法定节假日除外）"


def _on_duty(agency_id: int, n: int, on: dt.date) -> list[Officer]:
    """The first ``n`` officers of the agency holding a valid certificate (auxiliary staff are not put alone)."""
    certs = valid_certificates(agency_id=agency_id, on=on).filter(officer__is_auxiliary=False)
    ids = list(
        dict.fromkeys(certs.order_by("officer__name", "officer_id").values_list("officer_id", flat=True))
    )
    return list(Officer.objects.filter(pk__in=ids[:n]))


def build_posts_demo(context: Any) -> None:
    """A service window and an enforcement post for the demo head's agency; a window for every other agency that
    has certified officers (set up by the administrator). Through the services, so each is on the ledger."""
    head = User.objects.filter(username="demo_head").first()
    admin = User.objects.filter(username="demo_admin").first()
    grant = (
        RoleAssignment.objects.filter(user=head, role=Role.AGENCY_HEAD, agency__isnull=False)
        .select_related("agency")
        .first()
        if head
        else None
    )
    made = 0
    mine = grant.agency if grant is not None else None
    if head is not None and mine is not None:
        agency = mine
        services.service_post_create(
            head,
            agency=agency,
            kind=PostKind.WINDOW,
            name="综合服务窗口",
            location=f"{agency.address or agency.name}一楼办事大厅 1 号窗口",
            duties="行政许可申请受理、投诉举报受理、执法信息查询",
            service_hours=HOURS,
            officers=_on_duty(agency.pk, 2, context.today),
        )
        services.service_post_create(
            head,
            agency=agency,
            kind=PostKind.POST,
            name="执法大队值班岗",
            location=f"{agency.address or agency.name}执法大队值班室",
            duties="接报投诉举报线索、现场检查、当场处罚（简易程序）",
            service_hours="24 小时值班",
            officers=_on_duty(agency.pk, 4, context.today),
        )
        made += 2
    if admin is not None:
        others = Agency.objects.filter(is_active=True, is_supervision_organ=False).select_related("region")
        if mine is not None:
            others = others.exclude(pk=mine.pk)
        for agency in others.order_by("region__code", "name")[:12]:
            staff = _on_duty(agency.pk, 2, context.today)
            if not staff or not perms.can(admin, rules.MANAGE_POST, agency):
                continue
            services.service_post_create(
                admin,
                agency=agency,
                kind=PostKind.WINDOW,
                name="综合服务窗口",
                location=f"{agency.address or agency.name}办事大厅",
                duties="执法信息查询、投诉举报受理",
                service_hours=HOURS,
                officers=staff,
            )
            made += 1
    context.say(f"岗位与服务窗口 {made} 个（岗位信息公示牌）。")
