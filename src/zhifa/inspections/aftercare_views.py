"""Pages of the enterprise's actions after a visit — 整改报告, 评价, 异议 (``/inspections/mine/<id>/…``) — and the
supervisors' page of objections (``/inspections/objections/``).

Thin like the other pages: the inspection is looked up in the caller's scope (an enterprise user sees only its
own party's; anything else is a 404), the service decides, and a refusal goes back beside its field.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_GET, require_http_methods

from zhifa.core.errors import DomainError, NotFound
from zhifa.core.paging import keyset_page
from zhifa.evidence.uploads import (
    UPLOAD_FIELD,
    EvidenceUploadHandler,
    HashedUploadedFile,
    use_evidence_upload_handler,
)
from zhifa.inspections import rules, selectors, services
from zhifa.inspections.forms import FeedbackForm, ObjectionAnswerForm, ObjectionForm, RectificationForm
from zhifa.inspections.models import Inspection, InspectionFeedback, ObjectionState, Outcome
from zhifa.inspections.views import _tabs
from zhifa.org import permissions as perms
from zhifa.org.forms import add_domain_error
from zhifa.org.http import AuthenticatedHttpRequest


def _own_inspection(request: AuthenticatedHttpRequest, pk: int, action: str) -> Inspection:
    perms.require(request.user, action, request=request)
    inspection = selectors.inspections(request.user).filter(pk=pk).first()
    if inspection is None or not perms.can(request.user, action, inspection):
        raise NotFound(
            "检查不存在或不在您的数据范围内。", "Inspection not found.", code="inspection_not_found"
        )
    return inspection


def _page(
    request: AuthenticatedHttpRequest, template: str, context: dict[str, Any], status: int = 200
) -> HttpResponse:
    return render(request, f"inspections/{template}", context, status=status)


# --- 整改报告 ------------------------------------------------------------------------------------------------------


@login_required
@csrf_exempt  # the CSRF check runs below, after the streaming upload handler is installed
@use_evidence_upload_handler
def mine_rectify(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    return csrf_protect(_mine_rectify)(request, pk)


@require_http_methods(["GET", "POST"])
def _mine_rectify(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """整改报告 — the enterprise reports its rectification with a statement and files (phone camera allowed)."""
    inspection = _own_inspection(request, pk, rules.RECTIFY)
    rectification = selectors.rectification_of(inspection)
    form = RectificationForm()
    status = 200
    if request.method == "POST":
        form = RectificationForm(request.POST)
        files: list[HashedUploadedFile] = []
        try:
            for handler in request.upload_handlers:
                if isinstance(handler, EvidenceUploadHandler) and handler.error is not None:
                    raise handler.error  # too large, or the like: refused beside the form
            files = [f for f in request.FILES.getlist(UPLOAD_FIELD) if isinstance(f, HashedUploadedFile)]
        except DomainError as exc:
            add_domain_error(form, exc)
            status = exc.status
        if status == 200 and form.is_valid():
            try:
                services.rectification_submit(
                    request.user, inspection, statement=form.cleaned_data["statement"], files=files
                )
            except DomainError as exc:
                add_domain_error(form, exc)
                status = exc.status
            else:
                messages.success(request, "整改报告已提交，执法人员将进行复查。")
                return redirect("inspections:mine_rectify", pk=inspection.pk)
        elif status == 200:
            status = 422
        for f in files:
            f.close()
    return _page(
        request,
        "mine_rectify.html",
        {
            "i": inspection,
            "rectification": rectification,
            "files": selectors.rectification_files(rectification) if rectification else [],
            "form": form,
            "open": inspection.outcome == Outcome.RECTIFY
            and rectification is None
            and inspection.recheck_at is None,
        },
        status=status,
    )


# --- 评价 (anonymous) ----------------------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def mine_rate(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """检查评价 — the anonymous rating (``feedback_submit``), from the enterprise's own pages."""
    inspection = _own_inspection(request, pk, rules.RATE)
    form = FeedbackForm(initial={"code": "-"})
    status = 200
    if request.method == "POST":
        form = FeedbackForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.feedback_submit(
                    request.user,
                    inspection,
                    rating=data["rating"],
                    comment=data["comment"],
                    problem_text=data["problem_text"],
                )
            except DomainError as exc:
                add_domain_error(form, exc)
                status = exc.status
            else:
                messages.success(request, "感谢评价。评价不记录您的身份。")
                return redirect("inspections:mine_rate", pk=inspection.pk)
        else:
            status = 422
    rated = InspectionFeedback.objects.filter(inspection=inspection).exists()
    return _page(request, "mine_rate.html", {"i": inspection, "form": form, "rated": rated}, status=status)


# --- 异议 ----------------------------------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def mine_object(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """检查异议 — the enterprise disputes the result or the conduct of a visit; the supervisors answer."""
    inspection = _own_inspection(request, pk, rules.OBJECT)
    form = ObjectionForm()
    status = 200
    if request.method == "POST":
        form = ObjectionForm(request.POST)
        if form.is_valid():
            try:
                services.objection_submit(
                    request.user,
                    inspection,
                    kind=form.cleaned_data["kind"],
                    grounds=form.cleaned_data["grounds"],
                )
            except DomainError as exc:
                add_domain_error(form, exc)
                status = exc.status
            else:
                messages.success(request, "异议已提交，由司法行政机关（执法监督）办理并答复。")
                return redirect("inspections:mine_object", pk=inspection.pk)
        else:
            status = 422
    # the enterprise sees its own objections and their answers (its scope is the party; the rows keep no user)
    mine = list(inspection.objections.order_by("-id"))
    return _page(
        request, "mine_object.html", {"i": inspection, "form": form, "objections": mine}, status=status
    )


# --- 异议办理 (supervisors) ----------------------------------------------------------------------------------------


@login_required
@require_GET
def objection_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    """检查异议 — every objection in the supervisor's region, open ones first by default."""
    perms.require(request.user, rules.VIEW_FEEDBACK, request=request)
    state = request.GET.get("state", ObjectionState.OPEN)
    if state not in (*ObjectionState.values, "all"):
        state = ObjectionState.OPEN
    page = keyset_page(selectors.objections(request.user, state=None if state == "all" else state), request)
    return _page(
        request,
        "objection_list.html",
        {
            "page": page,
            "state": state,
            "states": [*ObjectionState.choices, ("all", "全部")],
            "tabs": _tabs(request),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def objection_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """异议办理 — the objection in full, the visit it is about, and the answer form."""
    perms.require(request.user, rules.VIEW_FEEDBACK, request=request)
    objection = selectors.objections(request.user).filter(pk=pk).first()
    if objection is None:
        raise NotFound("异议不存在或不在您的数据范围内。", "Objection not found.", code="objection_not_found")
    can_answer = objection.state == ObjectionState.OPEN and perms.can(
        request.user, rules.ANSWER_OBJECTION, objection
    )
    form = ObjectionAnswerForm() if can_answer else None
    status = 200
    if request.method == "POST":
        form = ObjectionAnswerForm(request.POST)
        if form.is_valid():
            try:
                services.objection_answer(request.user, objection, answer=form.cleaned_data["answer"])
            except DomainError as exc:
                if exc.status == 403:
                    raise
                add_domain_error(form, exc)
                status = exc.status
            else:
                messages.success(request, "已答复异议。")
                return redirect("inspections:objection_detail", pk=objection.pk)
        else:
            status = 422
    return _page(
        request,
        "objection_detail.html",
        {"o": objection, "i": objection.inspection, "form": form},
        status=status,
    )
