"""公示推送 — JSON API under /api/channels/: an agency's outgoing webhook endpoints and their delivery log.

Scoped like the pages: 404 outside the caller's scope, 403 for a role that may not manage endpoints, 409 for a
rule (already disabled, not failed), 422 for bad input. The signing secret is in the answer to the create only.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema

from zhifa.channels import selectors, services
from zhifa.channels.models import SUBSCRIBABLE, WebhookDelivery, WebhookEndpoint
from zhifa.core.apitypes import Id
from zhifa.core.errors import NotFound
from zhifa.core.paging import CURSOR_HELP, MAX_CURSOR_LENGTH
from zhifa.org.apitools import caller, keyset
from zhifa.org.models import Agency
from zhifa.org.schemas import READ_ERRORS, WRITE_ERRORS

router = Router(tags=["channels"])

MAX_LIMIT = 100
EVENTS_HELP = "推送事件：" + " / ".join(SUBSCRIBABLE)


class EndpointOut(Schema):
    id: int
    agency_id: int
    agency_name: str
    name: str
    url: str
    events: list[str]
    is_active: bool
    secret_hint: str
    created_at: dt.datetime
    disabled_at: dt.datetime | None


class EndpointCreatedOut(EndpointOut):
    secret: str = Field(..., description="签名密钥（whsec_…）：只在此应答中出现一次")


class EndpointIn(Schema):
    agency_id: int = Field(..., ge=1, le=2**62, description="执法主体")
    name: str = Field(..., min_length=1, max_length=100)
    url: str = Field(..., min_length=1, max_length=500, description="http(s) 推送地址")
    events: list[str] = Field(..., min_length=1, max_length=3, description=EVENTS_HELP)


class DeliveryOut(Schema):
    id: int
    endpoint_id: int
    event_id: str
    event_type: str
    status: str
    attempts: int
    next_attempt_at: dt.datetime | None
    last_attempt_at: dt.datetime | None
    last_status_code: int | None
    last_error: str
    delivered_at: dt.datetime | None
    failed_at: dt.datetime | None
    created_at: dt.datetime
    cursor: str


class EndpointPage(Schema):
    items: list[EndpointOut]
    next_cursor: str | None


class DeliveryPage(Schema):
    items: list[DeliveryOut]
    next_cursor: str | None


def _out(ep: WebhookEndpoint) -> dict[str, Any]:
    return {
        "id": ep.pk,
        "agency_id": ep.agency_id,
        "agency_name": ep.agency.name,
        "name": ep.name,
        "url": ep.url,
        "events": list(ep.events),
        "is_active": ep.is_active,
        "secret_hint": ep.secret_hint,
        "created_at": ep.created_at,
        "disabled_at": ep.disabled_at,
    }


def _delivery(d: WebhookDelivery) -> dict[str, Any]:
    fields = (
        "event_id",
        "event_type",
        "status",
        "attempts",
        "next_attempt_at",
        "last_attempt_at",
        "last_status_code",
        "last_error",
        "delivered_at",
        "failed_at",
        "created_at",
        "cursor",
    )
    return {"id": d.pk, "endpoint_id": d.endpoint_id, **{f: getattr(d, f) for f in fields}}


@router.get("/endpoints", response={200: EndpointPage, **READ_ERRORS}, summary="推送地址（本人数据范围）")
def endpoint_list(
    request: HttpRequest,
    cursor: str | None = Query(None, max_length=MAX_CURSOR_LENGTH, description=CURSOR_HELP),
    limit: int = Query(50, ge=1, le=MAX_LIMIT),
) -> dict[str, Any]:
    rows, next_cursor = keyset(selectors.endpoints(caller(request)), cursor, limit)
    return {"items": [_out(ep) for ep in rows], "next_cursor": next_cursor}


@router.post(
    "/endpoints", response={201: EndpointCreatedOut, **WRITE_ERRORS}, summary="登记推送地址（密钥只返回一次）"
)
def endpoint_create(request: HttpRequest, payload: EndpointIn) -> tuple[int, dict[str, Any]]:
    agency = Agency.objects.select_related("region").filter(pk=payload.agency_id).first()
    if agency is None:
        raise NotFound("执法主体不存在。", "No such agency.", code="agency_not_found", field="agency_id")
    endpoint, secret = services.endpoint_create(
        actor=caller(request), agency=agency, name=payload.name, url=payload.url, events=payload.events
    )
    return 201, {**_out(endpoint), "secret": secret}


def _endpoint(request: HttpRequest, endpoint_id: int) -> WebhookEndpoint:
    return selectors.endpoint_get(caller(request), endpoint_id)


@router.get("/endpoints/{endpoint_id}", response={200: EndpointOut, **READ_ERRORS}, summary="推送地址详情")
def endpoint_detail(request: HttpRequest, endpoint_id: Id) -> dict[str, Any]:
    return _out(_endpoint(request, endpoint_id))


@router.post("/endpoints/{endpoint_id}/disable", response={200: EndpointOut, **WRITE_ERRORS}, summary="停用")
def endpoint_disable(request: HttpRequest, endpoint_id: Id) -> dict[str, Any]:
    ep = services.endpoint_disable(actor=caller(request), endpoint=_endpoint(request, endpoint_id))
    return _out(ep)


@router.post("/endpoints/{endpoint_id}/enable", response={200: EndpointOut, **WRITE_ERRORS}, summary="启用")
def endpoint_enable(request: HttpRequest, endpoint_id: Id) -> dict[str, Any]:
    ep = services.endpoint_enable(actor=caller(request), endpoint=_endpoint(request, endpoint_id))
    return _out(ep)


@router.post(
    "/endpoints/{endpoint_id}/test", response={201: DeliveryOut, **WRITE_ERRORS}, summary="发送测试事件"
)
def endpoint_test(request: HttpRequest, endpoint_id: Id) -> tuple[int, dict[str, Any]]:
    d = services.endpoint_send_test(actor=caller(request), endpoint=_endpoint(request, endpoint_id))
    return 201, _delivery(d)


@router.get(
    "/endpoints/{endpoint_id}/deliveries",
    response={200: DeliveryPage, **READ_ERRORS},
    summary="推送记录（状态、尝试次数、下次尝试、最近错误）",
)
def delivery_list(
    request: HttpRequest,
    endpoint_id: Id,
    cursor: str | None = Query(None, max_length=MAX_CURSOR_LENGTH, description=CURSOR_HELP),
    limit: int = Query(50, ge=1, le=MAX_LIMIT),
) -> dict[str, Any]:
    user = caller(request)
    rows, next_cursor = keyset(selectors.deliveries(user, _endpoint(request, endpoint_id)), cursor, limit)
    return {"items": [_delivery(d) for d in rows], "next_cursor": next_cursor}


@router.post(
    "/deliveries/{delivery_id}/retry",
    response={200: DeliveryOut, **WRITE_ERRORS},
    summary="重新推送失败的记录",
)
def delivery_retry(request: HttpRequest, delivery_id: Id) -> dict[str, Any]:
    user = caller(request)
    d = services.delivery_retry(actor=user, delivery=selectors.delivery_get(user, delivery_id))
    return _delivery(d)
