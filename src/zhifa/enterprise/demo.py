"""The enterprise's part of the demo county (示范县): a planned visit to ``demo_enterprise``'s company, filed and
approved, for which the market bureau has offered visit times (商定入企时间), so that 我的检查 shows a visit to
agree a time for next to the visits already in its history (the inspections step's passed visit and an
unfiled entry). Registered as a demo step after the inspections (order 117); everything through the services.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from zhifa.core import clock
from zhifa.core.errors import DomainError
from zhifa.inspections import services
from zhifa.inspections.models import InspectionItem, TaskKind
from zhifa.org.demo import DemoPartFailed
from zhifa.org.models import Domain, Officer, RoleAssignment, User
from zhifa.org.selectors import officer_can_enforce


def build_enterprise_demo(context: Any) -> None:
    try:
        _offer_visit_window(context)
    except DomainError as refusal:  # never swallowed: the whole demo stops and names the part
        raise DemoPartFailed("企业端商定入企时间", str(refusal)) from refusal


def _offer_visit_window(context: Any) -> None:
    link = RoleAssignment.objects.filter(user__username="demo_enterprise", party__isnull=False).first()
    officer_user = User.objects.filter(username="demo_officer").first()
    head = User.objects.filter(username="demo_head").first()
    if link is None or link.party is None or officer_user is None or head is None:
        return
    me = Officer.objects.select_related("agency").get(user=officer_user)
    item = InspectionItem.objects.filter(agency=me.agency, code="SC-SJ-002").first()
    if item is None:
        return  # the inspections step made no list
    today = clock.today()
    market = Domain.objects.get(code="market")
    partner = next(
        (
            o
            for o in Officer.objects.filter(agency=me.agency, is_active=True).exclude(pk=me.pk).order_by("pk")
            if officer_can_enforce(o, market, on=today).allowed
        ),
        None,
    )
    if partner is None:
        raise DemoPartFailed("企业端商定入企时间", f"{me.agency.name}没有第二名持证执法人员")
    task = services.task_file(
        officer_user,
        agency=me.agency,
        item=item,
        # A complaint-triggered visit (投诉举报): the company is at the county's yearly cap of routine visits
        # by the market regulator (demo step inspections), and a triggered visit is not refused by it.
        kind=TaskKind.COMPLAINT,
        party=link.party,
        officer_ids=[me.pk, partner.pk],
        title=f"{link.party.name}产品质量投诉核查",
        reason="12345 热线投诉：所购产品无中文标识，请核查进货查验和产品标识。",
        starts_on=today + dt.timedelta(days=1),
        ends_on=today + dt.timedelta(days=21),
    )
    services.task_approve(head, task)
    inspection = task.inspections.get()
    services.visit_window_offer(
        officer_user,
        inspection,
        first_day=today + dt.timedelta(days=2),
        last_day=today + dt.timedelta(days=6),
        day_starts=dt.time(9, 0),
        day_ends=dt.time(12, 0),
        slot_minutes=60,
        note="请选择方便接受检查的时段，检查约需一小时。",
    )
    context.say(f"企业端：{link.party.name}的一次投诉核查待商定入企时间")
