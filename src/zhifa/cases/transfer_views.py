"""移送案件 pages: the transfers of the caller's agency (outgoing, with the receipt and feedback still owed) and
the cases transferred to it (incoming, to acknowledge and answer). The receiving agency sees the transfer — the
case's title, number, the transferring agency and the reason — not the case file."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from zhifa.cases import services
from zhifa.cases.models import TransferFeedback, TransferReceipt, TransferTarget
from zhifa.cases.rules import INVESTIGATE, RECEIVE_TRANSFER, VIEW_CASE
from zhifa.cases.selectors import transfers_visible
from zhifa.core import clock
from zhifa.core.errors import DomainError, InvalidInput
from zhifa.org import permissions as perms
from zhifa.org.http import AuthenticatedHttpRequest
from zhifa.org.models import User

ROWS = 100


def _can_answer(user: User, receipt: TransferReceipt) -> bool:
    if receipt.receiver_id is not None:
        return perms.can(user, RECEIVE_TRANSFER, receipt)
    return perms.can(user, INVESTIGATE, receipt.case)


def _require_any(request: AuthenticatedHttpRequest) -> None:
    if not (perms.can(request.user, VIEW_CASE) or perms.can(request.user, RECEIVE_TRANSFER)):
        perms.require(request.user, VIEW_CASE, request=request)


@login_required
@require_GET
def transfer_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    _require_any(request)
    rows = list(transfers_visible(request.user)[:ROWS])
    return render(request, "cases/transfer_list.html", {"rows": rows, "limit": ROWS})


@login_required
@require_http_methods(["GET", "POST"])
def transfer_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    _require_any(request)
    receipt = transfers_visible(request.user).filter(case_id=pk).first()
    if receipt is None:
        raise Http404("该移送不存在或不在您的数据范围内。")
    error, field = "", ""
    if request.method == "POST":
        action = request.POST.get("action", "")
        try:
            if action == "receipt":
                on = request.POST.get("on") or ""
                services.transfer_acknowledge(
                    actor=request.user,
                    case=receipt.case,
                    receipt_no=request.POST.get("receipt_no", ""),
                    on=_day(on, "on", "接收日期"),
                )
            elif action == "feedback":
                services.transfer_feedback(
                    actor=request.user,
                    case=receipt.case,
                    result=request.POST.get("result", ""),
                    text=request.POST.get("text", ""),
                    on=_day(request.POST.get("on") or "", "on", "反馈日期"),
                )
            else:
                raise Http404("未知操作。")
        except DomainError as exc:
            error, field = exc.message, exc.field or ""
        else:
            messages.success(request, "已登记移送回执。" if action == "receipt" else "已登记接收机关反馈。")
            return redirect("cases:transfer", pk)
        receipt.refresh_from_db()
    return render(
        request,
        "cases/transfer_detail.html",
        {
            "r": receipt,
            "case": receipt.case,
            "is_judicial": receipt.case.transfer_target == TransferTarget.JUDICIAL,
            "can_answer": _can_answer(request.user, receipt),
            "can_open_case": perms.can(request.user, VIEW_CASE, receipt.case),
            "results": TransferFeedback.choices,
            "error": error,
            "field": field,
            "today": clock.today(),
        },
    )


def _day(raw: str, field: str, label: str) -> dt.date | None:
    raw = raw.strip()
    if not raw:
        return None
    try:
        return dt.date.fromisoformat(raw)
    except ValueError as exc:
        raise InvalidInput(f"{label}格式应为 YYYY-MM-DD。", f"{field}: use YYYY-MM-DD.", field=field) from exc
