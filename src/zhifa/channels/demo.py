"""Demo step 135: the demo head's agency has registered its website as a webhook endpoint; a test event went
through at the first attempt and a second one is waiting for its retry (the receiver answered 503), so the
delivery log shows both states. Nothing leaves the machine: the attempts are answered by a stand-in receiver."""

from __future__ import annotations

from typing import Any

from zhifa.channels import services, transport
from zhifa.channels.models import SUBSCRIBABLE, WebhookDelivery
from zhifa.org.models import RoleAssignment, User


def build_channels_demo(ctx: Any) -> int:
    head = User.objects.filter(username="demo_head").first()
    grant = RoleAssignment.objects.filter(user=head, agency__isnull=False).select_related("agency").first()
    if head is None or grant is None or grant.agency is None:
        return 0
    endpoint, _secret = services.endpoint_create(
        actor=head,
        agency=grant.agency,
        name="本局门户网站",
        url="https://www.example.gov.cn/zhifa/webhook",
        events=list(SUBSCRIBABLE),
    )
    answers = iter([transport.Outcome(200, "", 85), transport.Outcome(503, "接收方返回 HTTP 503。", 120)])
    for _ in range(2):
        delivery = services.endpoint_send_test(actor=head, endpoint=endpoint)
        d = WebhookDelivery.objects.select_related("endpoint").get(pk=delivery.pk)
        services.delivery_attempt(d, lambda *a: next(answers))
    ctx.say(f"公示推送：{grant.agency.name} 登记推送地址 1 个，测试推送 2 条")
    return 1
