"""典型案例库 — JSON API under /api/caselib/: search, a case, choose (the bureau), withdraw."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Query, Router, Schema

from zhifa.caselib import rules, selectors, services
from zhifa.caselib.models import LibraryCase
from zhifa.core.apitypes import Id
from zhifa.core.errors import NotFound
from zhifa.org import permissions as perms
from zhifa.org.apitools import caller
from zhifa.org.schemas import READ_ERRORS, WRITE_ERRORS

router = Router(tags=["caselib"])

MAX_ID = 2**62


class LibraryCaseOut(Schema):
    id: int
    kind: str
    kind_label: str
    status: str
    title: str
    summary: str
    key_points: str
    decision_text: str
    keywords: str
    domain: str
    agency: str
    catalog_item_code: str
    chosen_on: str


class LibraryChooseIn(Schema):
    evaluation_file_id: Id
    kind: str
    title: str
    summary: str
    key_points: str
    keywords: str = ""


class LibraryWithdrawIn(Schema):
    reason: str


def _out(item: LibraryCase) -> dict[str, Any]:
    return {
        "id": item.pk,
        "kind": item.kind,
        "kind_label": item.get_kind_display(),
        "status": item.status,
        "title": item.title,
        "summary": item.summary,
        "key_points": item.key_points,
        "decision_text": item.decision_text,
        "keywords": item.keywords,
        "domain": item.domain.name,
        "agency": item.agency.name,
        "catalog_item_code": item.catalog_item_code,
        "chosen_on": item.chosen_at.date().isoformat(),
    }


def _id(value: int) -> int:
    if not 0 < value <= MAX_ID:
        raise NotFound("典型案例不存在或不在您的数据范围内。", "Not found.")
    return value


@router.get("/cases", response={200: list[LibraryCaseOut], **READ_ERRORS}, summary="检索典型案例")
def case_search(
    request: HttpRequest,
    q: str = Query("", max_length=100),
    kind: str = Query("", pattern="^(|guiding|warning)$"),
) -> list[dict[str, Any]]:
    user = caller(request)
    perms.require(user, rules.VIEW)
    return [_out(i) for i in selectors.search(user, query=q, kind=kind)[:100]]


@router.get("/cases/{case_id}", response={200: LibraryCaseOut, **READ_ERRORS}, summary="典型案例")
def case_get(request: HttpRequest, case_id: Id) -> dict[str, Any]:
    return _out(selectors.get(caller(request), _id(case_id)))


@router.post("/cases", response={201: LibraryCaseOut, **WRITE_ERRORS}, summary="发布典型案例")
def case_choose(request: HttpRequest, payload: LibraryChooseIn) -> tuple[int, dict[str, Any]]:
    user = caller(request)
    perms.require(user, rules.MANAGE)
    file = selectors.candidates(user).filter(pk=_id(payload.evaluation_file_id)).first()
    if file is None:
        raise NotFound("评查案卷不存在或不在您的数据范围内。", "File not found.", code="file_not_found")
    item = services.case_choose(
        actor=user,
        file=file,
        kind=payload.kind,
        title=payload.title,
        summary=payload.summary,
        key_points=payload.key_points,
        keywords=payload.keywords,
    )
    return 201, _out(item)


@router.post(
    "/cases/{case_id}/withdraw", response={200: LibraryCaseOut, **WRITE_ERRORS}, summary="撤回典型案例"
)
def case_withdraw(request: HttpRequest, case_id: Id, payload: LibraryWithdrawIn) -> dict[str, Any]:
    user = caller(request)
    item = selectors.get(user, _id(case_id))
    return _out(services.case_withdraw(actor=user, item=item, reason=payload.reason))
