"""Pages of the full-process record: an object's timeline with its evidence, one entry with its proof, and
the ledger status for supervisors (with signing on demand for administrators)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from zhifa.core.jobs import job_statuses
from zhifa.org import permissions as perms
from zhifa.org.http import AuthenticatedHttpRequest
from zhifa.records import hooks, labels, rules, services
from zhifa.records.timeline import entry_detail, require_view_object, timeline_for
from zhifa.records.verifications import ledger_status


@login_required
def object_page(request: AuthenticatedHttpRequest, object_type: str, object_id: str) -> HttpResponse:
    """记录时间线 and 证据 of one object: what happened, who did it, and the files, in one place."""
    require_view_object(request.user, object_type, object_id, request=request)
    entries = timeline_for(request.user, object_type, object_id, request=request)
    context: dict[str, Any] = {
        "object_type": object_type,
        "object_id": object_id,
        # 案件 示县市监立〔2026〕13号 — the kind and its human reference, never its id
        "object_label": labels.object_reference(object_type, object_id, request.user).text,
        "entries": entries,
        "evidence_installed": hooks.has_object_page(),
    }
    if context["evidence_installed"]:  # the evidence app fills in its part (it sits above records)
        context.update(hooks.object_page_context(request, object_type, object_id))
    return render(request, "records/object.html", context)


@login_required
def entry_page(request: AuthenticatedHttpRequest, seq: int) -> HttpResponse:
    """One entry: its fields, canonical changes, leaf hash and inclusion proof against the signed head."""
    return render(request, "records/entry.html", {"d": entry_detail(request.user, seq, request=request)})


@login_required
def status_page(request: AuthenticatedHttpRequest) -> HttpResponse:
    """账本状态 — for supervisors and administrators."""
    perms.require(request.user, rules.VIEW_LEDGER_STATUS, request=request)
    return render(
        request,
        "records/status.html",
        {
            "s": ledger_status(),
            "may_sign": perms.can(request.user, rules.SIGN_LEDGER_HEAD),
            "jobs": job_statuses(),
        },
    )


@login_required
@require_POST
def sign_head(request: AuthenticatedHttpRequest) -> HttpResponse:
    """签名树头 on demand (administrators)."""
    perms.require(request.user, rules.SIGN_LEDGER_HEAD, request=request)
    head = services.ledger_sign()
    messages.success(request, f"已签名树头：大小 {head.tree_size}，根哈希 {bytes(head.root).hex()[:16]}…")
    return redirect("records:status")
