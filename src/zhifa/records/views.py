"""Pages of the full-process record: an object's timeline with its evidence, one entry with its proof, and
the ledger status for supervisors (with signing on demand for administrators)."""

from __future__ import annotations

from typing import Any

from django.apps import apps
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from zhifa.org import permissions as perms
from zhifa.org.http import AuthenticatedHttpRequest
from zhifa.records import labels, rules, services
from zhifa.records.timeline import entry_detail, may_see_access_records, require_view_object, timeline_for
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
        "evidence_installed": apps.is_installed("zhifa.evidence"),
    }
    if context["evidence_installed"]:
        from zhifa.evidence import rules as evidence_rules
        from zhifa.evidence import selectors as evidence_selectors
        from zhifa.evidence.targets import target_for

        items = list(evidence_selectors.evidence_for(request.user, object_type, object_id))
        context.update(
            items=items,
            groups=evidence_selectors.group_by_stage(items),
            may_upload=perms.can(request.user, evidence_rules.ADD_EVIDENCE)
            and target_for(object_type) is not None,  # only kinds that take evidence (issue 18)
            may_see_access=may_see_access_records(request.user),
            upload_url=reverse("evidence:upload") + f"?object_type={object_type}&object_id={object_id}",
        )
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
        {"s": ledger_status(), "may_sign": perms.can(request.user, rules.SIGN_LEDGER_HEAD)},
    )


@login_required
@require_POST
def sign_head(request: AuthenticatedHttpRequest) -> HttpResponse:
    """签名树头 on demand (administrators)."""
    perms.require(request.user, rules.SIGN_LEDGER_HEAD, request=request)
    head = services.ledger_sign()
    messages.success(request, f"已签名树头：大小 {head.tree_size}，根哈希 {bytes(head.root).hex()[:16]}…")
    return redirect("records:status")
