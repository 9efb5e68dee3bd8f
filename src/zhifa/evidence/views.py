"""Pages: upload (phone capture), gallery of one target, file content and download, access history."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_http_methods

from zhifa.core.errors import DomainError
from zhifa.evidence import rules, selectors, services
from zhifa.evidence.forms import AccessReasonForm, EvidenceMetaForm
from zhifa.evidence.models import AccessPurpose
from zhifa.evidence.responses import file_response
from zhifa.evidence.uploads import uploaded_evidence, use_evidence_upload_handler
from zhifa.org import permissions as perms
from zhifa.org.http import AuthenticatedHttpRequest
from zhifa.records.timeline import can_view_object, timeline_for


def _error_page(request: HttpRequest, exc: DomainError) -> HttpResponse:
    return render(request, "evidence/error.html", {"error": exc}, status=exc.status)


@login_required
@csrf_exempt  # the CSRF check runs below, after the streaming upload handler is installed
@use_evidence_upload_handler
def upload(request: AuthenticatedHttpRequest) -> HttpResponse:
    return csrf_protect(_upload)(request)


@require_http_methods(["GET", "POST"])
def _upload(request: AuthenticatedHttpRequest) -> HttpResponse:
    if request.method == "GET":
        form = EvidenceMetaForm(initial=request.GET.dict())
        return render(request, "evidence/upload.html", {"form": form, "may_upload": _may_upload(request)})
    try:
        upload_file = uploaded_evidence(request)
    except DomainError as exc:
        form = EvidenceMetaForm(request.POST)
        return render(request, "evidence/upload.html", {"form": form, "error": exc}, status=exc.status)
    form = EvidenceMetaForm(request.POST)
    if not form.is_valid():
        upload_file.close()
        return render(request, "evidence/upload.html", {"form": form}, status=422)
    data = form.cleaned_data
    try:
        evidence = services.evidence_store(
            actor=request.user,
            upload=upload_file,
            kind=data["kind"],
            object_type=data["object_type"],
            object_id=data["object_id"],
            stage=data["stage"],
            description=data["description"],
            captured_at=data["captured_at"],
            place=data["place"],
        )
    except DomainError as exc:
        return render(request, "evidence/upload.html", {"form": form, "error": exc}, status=exc.status)
    following = request.POST.get("next", "")
    if following and url_has_allowed_host_and_scheme(
        following, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(following)  # back to the page the upload was made from (e.g. 现场办理)
    return redirect("evidence:gallery", object_type=evidence.object_type, object_id=evidence.object_id)


def _may_upload(request: HttpRequest) -> bool:
    return perms.can(request.user, rules.ADD_EVIDENCE)


@login_required
def gallery(request: AuthenticatedHttpRequest, object_type: str, object_id: str) -> HttpResponse:
    items = list(selectors.evidence_for(request.user, object_type, object_id))
    context = {
        "items": items,
        "groups": selectors.group_by_stage(items),
        "object_type": object_type,
        "object_id": object_id,
        "may_upload": _may_upload(request),
        "may_see_access": perms.can(request.user, rules.VIEW_ACCESS_HISTORY),
        "upload_url": reverse("evidence:upload") + f"?object_type={object_type}&object_id={object_id}",
        "timeline": _timeline(request, object_type, object_id),
    }
    return render(request, "evidence/object_gallery.html", context)


def _timeline(request: AuthenticatedHttpRequest, object_type: str, object_id: str) -> list[Any] | None:
    """The object's record timeline, when the reader may view the object itself (else not shown)."""
    if not can_view_object(request.user, object_type, object_id):
        return None
    try:
        return timeline_for(request.user, object_type, object_id, request=request)
    except DomainError:
        return None


@login_required
def detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    try:
        evidence = selectors.evidence_get(request.user, pk, request=request)
    except DomainError as exc:
        return _error_page(request, exc)
    history = None
    if selectors.can_see_access_history(request.user, evidence):
        history = selectors.access_history(request.user, evidence._meta.label_lower, str(evidence.pk))
    return render(
        request,
        "evidence/detail.html",
        {"evidence": evidence, "history": history, "reason_form": AccessReasonForm()},
    )


@login_required
@require_http_methods(["GET"])
def content(request: AuthenticatedHttpRequest, pk: int) -> HttpResponseBase:
    """The file shown inline (gallery thumbnails, players); each first request is recorded as a view."""
    try:
        if _is_continuation(request):
            evidence = selectors.evidence_get(request.user, pk, request=request)
        else:
            evidence = services.evidence_access(request.user, pk, AccessPurpose.VIEW)
    except DomainError as exc:
        return _error_page(request, exc)
    return file_response(evidence, as_attachment=False)


def _is_continuation(request: HttpRequest) -> bool:
    """A media player's follow-up Range request for the same file, not a new retrieval."""
    range_header = request.headers.get("Range", "")
    return bool(range_header) and not range_header.replace(" ", "").startswith("bytes=0-")


@login_required
@require_http_methods(["GET", "POST"])
def download(request: AuthenticatedHttpRequest, pk: int) -> HttpResponseBase:
    """Download asks for a reason first (调阅事由), records it, then streams the file as an attachment."""
    try:
        evidence = selectors.evidence_get(request.user, pk, request=request)
    except DomainError as exc:
        return _error_page(request, exc)
    form = AccessReasonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.evidence_access(request.user, pk, AccessPurpose.DOWNLOAD, form.cleaned_data["reason"])
        except DomainError as exc:
            form.add_error("reason", exc.message)
        else:
            return file_response(evidence, as_attachment=True)
    status = 422 if request.method == "POST" else 200
    return render(request, "evidence/download.html", {"evidence": evidence, "form": form}, status=status)


@login_required
def access(request: AuthenticatedHttpRequest, object_type: str, object_id: str) -> HttpResponse:
    try:
        history = selectors.access_history(request.user, object_type, object_id, request=request)
    except DomainError as exc:
        return _error_page(request, exc)
    context: dict[str, Any] = {"history": history, "object_type": object_type, "object_id": object_id}
    return render(request, "evidence/access_history.html", context)
