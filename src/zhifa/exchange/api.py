"""数据交换 — JSON API under /api/exchange/.

``POST /api/exchange/batches`` is where a county pushes its batches (no login: the request is authenticated by
the Standard Webhooks signature with the secret this city issued to the county, and the batch by the
county's Ed25519 signature; see ``zhifa.exchange.services.batch_receive`` and docs/exchange.md). The other
operations are the city's read-only view of its counties, scoped like the pages.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from ninja import Query, Router, Schema

from zhifa.core.apitypes import Id
from zhifa.core.paging import CURSOR_HELP, MAX_CURSOR_LENGTH
from zhifa.exchange import selectors, services
from zhifa.exchange.models import ItemKind, ReceivedRecord, Source
from zhifa.org.apitools import caller, keyset
from zhifa.org.schemas import READ_ERRORS, ErrorOut

router = Router(tags=["exchange"])

MAX_LIMIT = 100


class BatchAck(Schema):
    status: str  # "applied" | "duplicate"
    sequence: int
    last_sequence: int


class SourceOut(Schema):
    id: int
    name: str
    code: str
    region_name: str
    is_active: bool
    last_sequence: int
    last_batch_at: dt.datetime | None
    witness_state: str
    witness_error: str
    witness_tree_size: int | None
    witness_checked_at: dt.datetime | None
    open_flags: int
    open_problems: int


class SourcePage(Schema):
    items: list[SourceOut]
    next_cursor: str | None


class RecordOut(Schema):
    id: int
    source_id: int
    kind: str
    key: str
    title: str
    state_label: str
    agency_name: str
    is_open: bool
    due: dt.date | None
    sequence: int
    received_at: dt.datetime
    data: dict[str, Any]


class RecordPage(Schema):
    items: list[RecordOut]
    next_cursor: str | None


@router.post(
    "/batches",
    auth=None,
    response={200: BatchAck, 400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 409: ErrorOut, 422: ErrorOut},
    summary="接收下级平台报送批次（签名认证；重复批次确认不重复入库；序号不连续返回 409）",
    openapi_extra={
        "requestBody": {
            "required": True,
            "description": "批次（docs/exchange-batch.schema.json）",
            "content": {"application/json": {"schema": {"type": "object"}}},
        }
    },
)
def batch_receive(request: HttpRequest) -> dict[str, Any]:
    return services.batch_receive(
        code=str(request.headers.get("zhifa-source") or ""), headers=request.headers, body=request.body
    )


def _source(s: Source) -> dict[str, Any]:
    return {
        "id": s.pk,
        "name": s.name,
        "code": s.code,
        "region_name": s.region.name,
        "is_active": s.is_active,
        "last_sequence": s.last_sequence,
        "last_batch_at": s.last_batch_at,
        "witness_state": s.witness_state,
        "witness_error": s.witness_error,
        "witness_tree_size": s.witness_tree_size,
        "witness_checked_at": s.witness_checked_at,
        "open_flags": getattr(s, "open_flags", 0),
        "open_problems": getattr(s, "open_problems", 0),
    }


def _record(r: ReceivedRecord) -> dict[str, Any]:
    fields = (
        "kind",
        "key",
        "title",
        "state_label",
        "agency_name",
        "is_open",
        "due",
        "sequence",
        "received_at",
    )
    return {"id": r.pk, "source_id": r.source_id, "data": r.data, **{f: getattr(r, f) for f in fields}}


@router.get(
    "/sources", response={200: SourcePage, **READ_ERRORS}, summary="下级平台（账本见证状态、最近接收）"
)
def source_list(
    request: HttpRequest,
    cursor: str | None = Query(None, max_length=MAX_CURSOR_LENGTH, description=CURSOR_HELP),
    limit: int = Query(50, ge=1, le=MAX_LIMIT),
) -> dict[str, Any]:
    rows, next_cursor = keyset(selectors.sources(caller(request)), cursor, limit)
    return {"items": [_source(s) for s in rows], "next_cursor": next_cursor}


@router.get(
    "/sources/{source_id}/records",
    response={200: RecordPage, **READ_ERRORS},
    summary="下级平台报送的数据（预警、问题、公示决定、统计）",
)
def record_list(
    request: HttpRequest,
    source_id: Id,
    kind: str = Query("", max_length=16, description="类别：" + " / ".join(ItemKind.values)),
    open_only: bool = Query(False, description="只看未办结"),
    cursor: str | None = Query(None, max_length=MAX_CURSOR_LENGTH, description=CURSOR_HELP),
    limit: int = Query(50, ge=1, le=MAX_LIMIT),
) -> dict[str, Any]:
    user = caller(request)
    source = services.source_get(user, source_id)
    qs = selectors.records(user, source, kind if kind in ItemKind.values else "", open_only)
    rows, next_cursor = keyset(qs, cursor, limit)
    return {"items": [_record(r) for r in rows], "next_cursor": next_cursor}
