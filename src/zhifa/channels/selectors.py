"""Reads of outgoing webhooks: endpoints and deliveries in the caller's scope, and the failed deliveries that
supervision's queue shows (flag source ``webhook_delivery_failed``)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from django.db.models import Count, Q, QuerySet
from django.urls import reverse

from zhifa.channels.models import DeliveryStatus, WebhookDelivery, WebhookEndpoint
from zhifa.channels.rules import VIEW
from zhifa.core.errors import NotFound
from zhifa.core.flags import FlagCandidate
from zhifa.org import permissions as perms
from zhifa.org.models import User


def endpoints(user: User) -> QuerySet[WebhookEndpoint]:
    """The endpoints the user may see, with their pending and failed counts (newest first)."""
    return (
        perms.scoped(user, VIEW, WebhookEndpoint.objects.select_related("agency"))
        .annotate(
            pending=Count("deliveries", filter=Q(deliveries__status=DeliveryStatus.PENDING)),
            failed=Count("deliveries", filter=Q(deliveries__status=DeliveryStatus.FAILED)),
        )
        .order_by("-id")
    )


def endpoint_get(user: User, pk: int) -> WebhookEndpoint:
    ep = (
        perms.scoped(user, VIEW, WebhookEndpoint.objects.select_related("agency__region"))
        .filter(pk=pk)
        .first()
    )
    if ep is None:
        raise NotFound(
            "推送地址不存在或不在您的数据范围内。", "Webhook endpoint not found.", code="webhook_not_found"
        )
    return ep


def deliveries(user: User, endpoint: WebhookEndpoint) -> QuerySet[WebhookDelivery]:
    """The endpoint's delivery log, newest first (keyset-paged by the caller)."""
    return perms.scoped(user, VIEW, WebhookDelivery.objects.filter(endpoint=endpoint)).order_by("-id")


def delivery_get(user: User, pk: int) -> WebhookDelivery:
    d = (
        perms.scoped(user, VIEW, WebhookDelivery.objects.select_related("endpoint__agency__region"))
        .filter(pk=pk)
        .first()
    )
    if d is None:
        raise NotFound(
            "推送记录不存在或不在您的数据范围内。",
            "Webhook delivery not found.",
            code="webhook_delivery_not_found",
        )
    return d


FLAG_KIND = "webhook_delivery_failed"


def failure_flag(d: WebhookDelivery) -> FlagCandidate:
    """The flag of a delivery given up on (shown in supervision's queue, for the endpoint's agency)."""
    ep = d.endpoint
    return FlagCandidate(
        kind=FLAG_KIND,
        key=f"webhook_delivery:{d.pk}",
        agency_id=ep.agency_id,
        title=f"公示推送失败：{ep.name}（{d.get_event_type_display()}）",
        detail=d.last_error,
        object_type="channels.webhookdelivery",
        object_id=str(d.pk),
        url=reverse("channels:endpoint_detail", args=[ep.pk]),
    )


def failed_delivery_flags(since: dt.datetime | None) -> Iterator[FlagCandidate]:
    """Every delivery given up on and not re-sent: the agency must look at its endpoint."""
    qs = WebhookDelivery.objects.filter(status=DeliveryStatus.FAILED).select_related("endpoint")
    for d in qs.order_by("id").iterator(chunk_size=500):
        yield failure_flag(d)
