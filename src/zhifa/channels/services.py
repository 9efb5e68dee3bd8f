"""Outgoing webhooks: register, disable and test an endpoint, re-send a failed delivery, the outbox written with
each publication event, and the sweep (``zhifa push-webhooks``) that delivers it.

Delivery is at least once: an attempt whose answer is lost is sent again, with the same ``webhook-id``, which
the receiver uses to drop repeats. Deliveries to one endpoint go in the order they were made: the sweep sends
an endpoint's oldest pending delivery first and goes no further while it waits for a retry. After
``ZHIFA_WEBHOOK_MAX_ATTEMPTS`` failed attempts a delivery is marked failed, the agency's supervision queue is
told (flag ``webhook_delivery_failed``) and the next one goes; the agency can re-send it.
"""

from __future__ import annotations

import datetime as dt
import json
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Max, Q
from django.urls import reverse

from zhifa.channels import crypto, transport
from zhifa.channels.models import (
    SUBSCRIBABLE,
    DeliveryStatus,
    EventType,
    ExportIncrementItem,
    WebhookAttempt,
    WebhookDelivery,
    WebhookEndpoint,
)
from zhifa.channels.rules import MANAGE
from zhifa.channels.selectors import failure_flag
from zhifa.channels.signing import signed_headers
from zhifa.core import clock, flags
from zhifa.core.errors import InvalidInput, RuleViolation
from zhifa.core.pdf import public_url
from zhifa.core.transactions import service
from zhifa.disclosure import hooks as disclosure_hooks
from zhifa.disclosure import selectors as disclosure_selectors
from zhifa.disclosure.models import Publication, ResultKind, WithdrawKind
from zhifa.disclosure.privacy import scrub_text
from zhifa.org import permissions as perms
from zhifa.org.models import Agency, User
from zhifa.records.services import record_append

MAX_BACKOFF_SECONDS = 6 * 3600
EXPORT_KINDS = (
    ResultKind.PENALTY,
    ResultKind.LICENSING,
    ResultKind.COMPULSION,
)  # the layouts of the 双公示 export
MAX_BATCH_ROWS = 500


# --- endpoints ---------------------------------------------------------------------------------------------


def _events(events: list[str] | tuple[str, ...]) -> list[str]:
    chosen = [e for e in SUBSCRIBABLE if e in set(events or ())]
    if not chosen or len(set(events)) != len(chosen):
        raise InvalidInput(
            "请至少选择一种推送事件（公示发布、撤回/更正、双公示增量）。",
            "Choose at least one event: publication.published, publication.withdrawn, shuanggongshi.increment.",
            field="events",
        )
    return chosen


@service
def endpoint_create(
    *, actor: User, agency: Agency, name: str, url: str, events: list[str]
) -> tuple[WebhookEndpoint, str]:
    """登记推送地址 — returns the endpoint and its signing secret, which is shown this once and never again."""
    perms.require(actor, MANAGE, agency)
    name = (name or "").strip()
    if not name or len(name) > 100:
        raise InvalidInput(
            "请填写名称（最多 100 字）。", "A name (at most 100 chars) is required.", field="name"
        )
    url = transport.check_url(url)
    chosen = _events(events)
    secret = crypto.new_secret()
    endpoint = WebhookEndpoint.objects.create(
        agency=agency,
        name=name,
        url=url,
        events=chosen,
        secret_encrypted=crypto.encrypt(secret),
        secret_hint=secret[-4:],
        created_by=actor,
    )
    record_append(
        actor=actor,
        action="channels.endpoint_create",
        obj=endpoint,
        changes={"name": name, "url": url, "events": "、".join(EventType(e).label for e in chosen)},
    )
    return endpoint, secret


def _locked(endpoint: WebhookEndpoint | int) -> WebhookEndpoint:
    pk = endpoint.pk if isinstance(endpoint, WebhookEndpoint) else endpoint
    return WebhookEndpoint.objects.select_for_update().select_related("agency__region").get(pk=pk)


@service
def endpoint_disable(*, actor: User, endpoint: WebhookEndpoint | int) -> WebhookEndpoint:
    """停用 — no new event is queued for it and nothing is sent to it; what is pending waits (enable again)."""
    ep = _locked(endpoint)
    perms.require(actor, MANAGE, ep)
    if not ep.is_active:
        raise RuleViolation(
            "该推送地址已停用。", "The endpoint is already disabled.", code="webhook_disabled"
        )
    ep.is_active, ep.disabled_at, ep.disabled_by = False, clock.now(), actor
    ep.save(update_fields=["is_active", "disabled_at", "disabled_by"])
    record_append(
        actor=actor, action="channels.endpoint_disable", obj=ep, changes={"is_active": [True, False]}
    )
    return ep


@service
def endpoint_enable(*, actor: User, endpoint: WebhookEndpoint | int) -> WebhookEndpoint:
    """启用 — sending resumes with what was pending, in order."""
    ep = _locked(endpoint)
    perms.require(actor, MANAGE, ep)
    if ep.is_active:
        raise RuleViolation("该推送地址已启用。", "The endpoint is already enabled.", code="webhook_enabled")
    ep.is_active, ep.disabled_at, ep.disabled_by = True, None, None
    ep.save(update_fields=["is_active", "disabled_at", "disabled_by"])
    record_append(
        actor=actor, action="channels.endpoint_enable", obj=ep, changes={"is_active": [False, True]}
    )
    return ep


@service
def endpoint_send_test(*, actor: User, endpoint: WebhookEndpoint | int) -> WebhookDelivery:
    """发送测试事件 — queued behind what is pending, so that it also shows the endpoint's order."""
    ep = _locked(endpoint)
    perms.require(actor, MANAGE, ep)
    if not ep.is_active:
        raise RuleViolation(
            "该推送地址已停用，不能发送测试事件。", "The endpoint is disabled.", code="webhook_disabled"
        )
    delivery = _enqueue(ep, EventType.TEST, {"message": "这是一条测试事件。", "agency": _agency(ep.agency)})
    record_append(actor=actor, action="channels.test", obj=ep, changes={"event_type": EventType.TEST.value})
    return delivery


@service
def delivery_retry(*, actor: User, delivery: WebhookDelivery | int) -> WebhookDelivery:
    """重新推送 — a failed delivery gets a new round of attempts (same event id, same body)."""
    pk = delivery.pk if isinstance(delivery, WebhookDelivery) else delivery
    d = WebhookDelivery.objects.select_for_update().select_related("endpoint__agency__region").get(pk=pk)
    perms.require(actor, MANAGE, d)
    if d.status != DeliveryStatus.FAILED:
        raise RuleViolation(
            "只有推送失败的记录可以重新推送。",
            "Only a failed delivery can be re-sent.",
            code="webhook_not_failed",
        )
    d.status, d.attempts, d.next_attempt_at, d.failed_at = DeliveryStatus.PENDING, 0, clock.now(), None
    d.save(update_fields=["status", "attempts", "next_attempt_at", "failed_at"])
    record_append(actor=actor, action="channels.retry", obj=d, changes={"status": ["failed", "pending"]})
    return d


# --- the outbox ----------------------------------------------------------------------------------------------


def _agency(agency: Agency) -> dict[str, str]:
    return {"name": agency.name, "uscc": agency.uscc}


def _body(event_type: str, event_id: str, data: dict[str, Any]) -> str:
    document = {
        "type": event_type,
        "id": event_id,
        "timestamp": clock.now().isoformat(timespec="seconds"),
        "data": data,
    }
    return json.dumps(document, ensure_ascii=False, separators=(",", ":"), default=str)


def _new_event_id() -> str:
    return "msg_" + secrets.token_hex(16)


def _enqueue(
    endpoint: WebhookEndpoint,
    event_type: str,
    data: dict[str, Any],
    *,
    publication_id: int | None = None,
    cursor: str = "",
) -> WebhookDelivery:
    event_id = _new_event_id()
    return WebhookDelivery.objects.create(
        endpoint=endpoint,
        event_id=event_id,
        event_type=event_type,
        body=_body(event_type, event_id, data),
        publication_id=publication_id,
        cursor=cursor,
        next_attempt_at=clock.now(),
    )


def publication_data(p: Publication) -> dict[str, Any]:
    """What a receiver gets of a published decision: the public (desensitised) text the portal shows."""
    natural = p.party_kind == "natural_person"
    return {
        "publication_id": p.pk,
        "kind": p.kind,
        "kind_label": p.get_kind_display(),
        "title": p.title,
        "document_number": p.document_number,
        "agency": _agency(p.agency),
        "party_name": p.party_name,
        "party_uscc": "" if natural else p.party_uscc,
        "decided_on": p.decided_on.isoformat(),
        "published_on": p.published_on.isoformat() if p.published_on else None,
        "fine_yuan": str(p.fine_yuan) if p.fine_yuan is not None else None,
        "body": scrub_text(p.body),
        "url": public_url(reverse("pub:decision_detail", args=[p.pk])),
    }


def withdrawal_data(p: Publication) -> dict[str, Any]:
    """A withdrawal (撤回) — or a correction (更正: withdrawn as wrong, republished as a new publication)."""
    return {
        "publication_id": p.pk,
        "kind": p.kind,
        "title": p.title,
        "document_number": p.document_number,
        "agency": _agency(p.agency),
        "withdraw_kind": p.withdraw_kind,
        "withdraw_kind_label": p.get_withdraw_kind_display(),
        "withdraw_reason": p.withdraw_reason,
        "withdrawn_at": p.withdrawn_at.isoformat(timespec="seconds") if p.withdrawn_at else None,
        "correction": p.withdraw_kind == WithdrawKind.ERROR,
        "url": public_url(reverse("pub:decision_detail", args=[p.pk])),
    }


def on_publication_event(event: str, p: Publication) -> None:
    """disclosure.hooks: in the publication's own transaction, one delivery per active endpoint of its agency that
    asked for the event, and the 双公示 rows waiting for the next batch."""
    endpoints = [
        e for e in WebhookEndpoint.objects.filter(agency_id=p.agency_id, is_active=True).order_by("id")
    ]
    if not endpoints:
        return
    if event == disclosure_hooks.PUBLISHED:
        event_type, data = EventType.PUBLISHED, publication_data(p)
    elif event == disclosure_hooks.WITHDRAWN:
        event_type, data = EventType.WITHDRAWN, withdrawal_data(p)
    else:
        return
    for ep in endpoints:
        if event_type in ep.events:
            _enqueue(ep, event_type, data, publication_id=p.pk)
    if event == disclosure_hooks.PUBLISHED and p.kind in EXPORT_KINDS:
        ExportIncrementItem.objects.bulk_create(
            [
                ExportIncrementItem(endpoint=ep, kind=p.kind, publication_id=p.pk)
                for ep in endpoints
                if EventType.SHUANGGONGSHI in ep.events
            ],
            ignore_conflicts=True,
        )


def _batch_export_increments(endpoint_id: int) -> int:
    """Turn the endpoint's waiting 双公示 rows into one delivery per kind (called under the endpoint's lease)."""
    made = 0
    with transaction.atomic():
        ep = WebhookEndpoint.objects.select_for_update().select_related("agency").get(pk=endpoint_id)
        items = list(ExportIncrementItem.objects.filter(endpoint=ep).order_by("id"))
        for kind in EXPORT_KINDS:
            ids = [i.publication_id for i in items if i.kind == kind][:MAX_BATCH_ROWS]
            if not ids:
                continue
            rows = disclosure_selectors.public_export_rows_of(kind, ids)
            ExportIncrementItem.objects.filter(endpoint=ep, kind=kind, publication_id__in=ids).delete()
            if not rows:  # all withdrawn before the batch: the withdrawal events say so
                continue
            ep.export_batches += 1
            fields = (
                disclosure_selectors.PENALTY_FIELDS
                if kind == ResultKind.PENALTY
                else disclosure_selectors.LICENSING_FIELDS
            )
            published = [r for _, r in rows]
            data = {
                "kind": kind,
                "agency": _agency(ep.agency),
                "cursor": str(ep.export_batches),
                "previous_cursor": str(ep.export_batches - 1) if ep.export_batches > 1 else None,
                "fields": list(fields),
                "items": published,
                "publication_ids": [pk for pk, _ in rows],
            }
            _enqueue(ep, EventType.SHUANGGONGSHI, data, cursor=str(ep.export_batches))
            made += 1
        if made:
            ep.save(update_fields=["export_batches"])
    return made


# --- the sweep -----------------------------------------------------------------------------------------------


def backoff(attempts: int) -> dt.timedelta:
    """The wait after the ``attempts``-th failed attempt: base, 2 × base, 4 × base … at most 6 hours."""
    base = max(1, settings.WEBHOOK_RETRY_BASE_SECONDS)
    return dt.timedelta(seconds=min(base * 2 ** (attempts - 1), MAX_BACKOFF_SECONDS))


@dataclass
class PushResult:
    batches: int = 0
    delivered: int = 0
    retrying: int = 0
    failed: int = 0
    endpoints: int = 0


Sender = Callable[[str, bytes, dict[str, str]], transport.Outcome]


def _lease(endpoint_id: int, now: dt.datetime, max_per_endpoint: int) -> bool:
    """Take the endpoint for this sweep (a conditional update: works the same on SQLite and PostgreSQL)."""
    hold = dt.timedelta(seconds=(2 * settings.WEBHOOK_TIMEOUT_SECONDS + 5) * max_per_endpoint + 60)
    taken = (
        WebhookEndpoint.objects.filter(pk=endpoint_id, is_active=True)
        .filter(Q(lease_until__isnull=True) | Q(lease_until__lt=now))
        .update(lease_until=now + hold)
    )
    return taken == 1


def _release(endpoint_id: int) -> None:
    WebhookEndpoint.objects.filter(pk=endpoint_id).update(lease_until=None)


def delivery_attempt(d: WebhookDelivery, send: Sender) -> transport.Outcome:
    ep = d.endpoint
    now = clock.now()
    body = d.body.encode("utf-8")
    try:
        headers = signed_headers(
            secret=crypto.decrypt(ep.secret_encrypted), event_id=d.event_id, at=now, body=body
        )
    except RuleViolation as exc:
        outcome = transport.Outcome(None, exc.message, 0)
    else:
        outcome = send(ep.url, body, headers)
    with transaction.atomic():
        d = WebhookDelivery.objects.select_for_update().select_related("endpoint").get(pk=d.pk)
        if d.status != DeliveryStatus.PENDING:
            return outcome
        number = (d.attempt_log.aggregate(n=Max("number"))["n"] or 0) + 1
        WebhookAttempt.objects.create(
            delivery=d,
            number=number,
            at=now,
            status_code=outcome.status_code,
            error=outcome.error,
            duration_ms=outcome.duration_ms,
        )
        d.attempts += 1
        d.last_attempt_at, d.last_status_code, d.last_error = now, outcome.status_code, outcome.error
        if outcome.accepted:
            d.status, d.delivered_at, d.next_attempt_at = DeliveryStatus.DELIVERED, now, None
        elif d.attempts >= settings.WEBHOOK_MAX_ATTEMPTS:
            d.status, d.failed_at, d.next_attempt_at = DeliveryStatus.FAILED, now, None
        else:
            d.next_attempt_at = now + backoff(d.attempts)
        d.save(
            update_fields=[
                "status",
                "attempts",
                "last_attempt_at",
                "last_status_code",
                "last_error",
                "delivered_at",
                "failed_at",
                "next_attempt_at",
            ]
        )
        if d.status == DeliveryStatus.FAILED:
            flags.notify(failure_flag(d))
    return outcome


def webhooks_push(*, send: Sender | None = None, max_per_endpoint: int = 100) -> PushResult:
    """推送 — the sweep: batch the 双公示 increments, then send each endpoint's due deliveries in order.

    Not one transaction: each attempt is recorded in its own, after the request (a crash between the two sends
    the delivery again: at least once). Runs on SQLite and PostgreSQL alike; two sweeps at once share the work
    by endpoint (``lease_until``)."""
    sender = send or transport.post
    result = PushResult()
    now = clock.now()
    waiting = set(ExportIncrementItem.objects.values_list("endpoint_id", flat=True).distinct())
    due = set(
        WebhookDelivery.objects.filter(status=DeliveryStatus.PENDING, next_attempt_at__lte=now)
        .values_list("endpoint_id", flat=True)
        .distinct()
    )
    active = WebhookEndpoint.objects.filter(pk__in=waiting | due, is_active=True).order_by("id")
    for endpoint_id in active.values_list("id", flat=True):
        if not _lease(endpoint_id, now, max_per_endpoint):
            continue
        result.endpoints += 1
        try:
            if endpoint_id in waiting:
                result.batches += _batch_export_increments(endpoint_id)
            for _ in range(max_per_endpoint):
                head = (
                    WebhookDelivery.objects.select_related("endpoint")
                    .filter(endpoint_id=endpoint_id, status=DeliveryStatus.PENDING)
                    .order_by("id")
                    .first()
                )
                # in order: the oldest pending one first, and nothing after it while it waits for its retry
                if head is None or head.next_attempt_at is None or head.next_attempt_at > clock.now():
                    break
                outcome = delivery_attempt(head, sender)
                if outcome.accepted:
                    result.delivered += 1
                    continue
                head.refresh_from_db(fields=["status"])
                if head.status == DeliveryStatus.FAILED:
                    result.failed += 1
                    continue  # given up on: the next one may go
                result.retrying += 1
                break
        finally:
            _release(endpoint_id)
    return result
