"""监督文书 — instruments: the list, issuing one, one instrument, its steps (``actions`` INSTRUMENT), the PDF
and the public verification page its QR code opens."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from zhifa.core.errors import DomainError, InvalidInput
from zhifa.core.paging import keyset_page
from zhifa.org import permissions as perms
from zhifa.org.http import AuthenticatedHttpRequest
from zhifa.org.models import Agency
from zhifa.supervision import actions, selectors, services
from zhifa.supervision.forms import InstrumentForm, parse
from zhifa.supervision.models import Instrument, InstrumentKind, InstrumentStatus, ProblemCategory
from zhifa.supervision.rules import RECTIFY, SUPERVISE, VIEW
from zhifa.supervision.views._common import _action, _get, _require, _run, _scoped_agencies, _tabs


@login_required
@require_GET
def instrument_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    _require(request, VIEW)
    status = request.GET.get("status", "")
    kind = request.GET.get("kind", "")
    qs = selectors.instruments(
        request.user,
        status=status if status in InstrumentStatus.values else None,
        kind=kind if kind in InstrumentKind.values else None,
    )
    page = keyset_page(qs, request)
    return render(
        request,
        "supervision/instrument_list.html",
        {
            "tabs": _tabs(request),
            "page": page,
            "statuses": InstrumentStatus.choices,
            "kinds": InstrumentKind.choices,
            "status": status,
            "kind": kind,
            "can_issue": perms.can(request.user, SUPERVISE),
            "today": services.today(),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def instrument_new(request: AuthenticatedHttpRequest) -> HttpResponse:
    _require(request, SUPERVISE)
    error, field = "", ""
    if request.method == "POST":
        try:
            data = parse(InstrumentForm, request.POST)
            agency = Agency.objects.filter(pk=data["agency"]).first()
            if agency is None:
                raise InvalidInput("请选择被监督机关。", "Choose an agency.", field="agency")
            ins = services.instrument_issue(
                actor=request.user,
                agency=agency,
                kind=data["kind"],
                title=data["title"],
                findings=data["findings"],
                requirements=data["requirements"],
                deadline=data["deadline"],
                basis=data["basis"],
                major=data["major"],
            )
        except DomainError as exc:
            error, field = exc.message, exc.field or ""
        else:
            messages.success(request, f"已制发 {ins.number}。")
            return redirect("supervision:instrument", ins.pk)
    return render(
        request,
        "supervision/instrument_new.html",
        {
            "tabs": _tabs(request),
            "agencies": _scoped_agencies(request),
            "kinds": InstrumentKind.choices,
            "error": error,
            "field": field,
            "data": request.POST,
        },
    )


@login_required
@require_GET
def instrument_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    ins = _get(selectors.instrument_get, request.user, pk)
    return render(
        request,
        "supervision/instrument_detail.html",
        {
            "tabs": _tabs(request),
            "ins": ins,
            "replies": ins.replies.select_related("submitted_by", "decided_by"),
            "can_reply": perms.can(request.user, RECTIFY, ins)
            and ins.status in (InstrumentStatus.ISSUED, InstrumentStatus.RETURNED),
            "can_review": perms.can(request.user, SUPERVISE, ins) and ins.status == InstrumentStatus.REPLIED,
            "can_void": perms.can(request.user, SUPERVISE, ins)
            and ins.status not in (InstrumentStatus.VOIDED, InstrumentStatus.ACCEPTED),
            "can_problem": perms.can(request.user, SUPERVISE, ins),
            "categories": ProblemCategory.choices,
            "overdue": ins.status in (InstrumentStatus.ISSUED, InstrumentStatus.RETURNED)
            and ins.deadline < services.today(),
        },
    )


@login_required
@require_GET
def instrument_pdf(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    ins = _get(selectors.instrument_get, request.user, pk)
    response = HttpResponse(bytes(ins.pdf), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="instrument-{ins.pk}.pdf"'
    return response


@login_required
@require_POST
def instrument_act(request: AuthenticatedHttpRequest, pk: int, action: str) -> HttpResponse:
    """答复 / 采纳 / 退回 / 作废 / 入问题台账 (``actions`` INSTRUMENT); the message after the redirect."""
    ins = _get(selectors.instrument_get, request.user, pk)
    act = _action(actions.INSTRUMENT, action)
    try:
        done = _run(request, act, ins)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, done)
    return redirect("supervision:instrument", pk)


@require_GET
def instrument_verify(request: HttpRequest, number: str) -> HttpResponse:
    """Public: what the QR code on an instrument opens — number, organs, date, digest, status."""
    ins = Instrument.objects.select_related("issuer", "agency").defer("pdf").filter(number=number).first()
    return render(
        request,
        "supervision/instrument_verify.html",
        {"ins": ins, "number": number},
        status=200 if ins else 404,
    )
