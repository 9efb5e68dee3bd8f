"""The sending side (县级平台): the outbox written with each supervision change, the signed batches made from
it, and the push (``outbox_push_once``; ``zhifa push-outbox``) that delivers them to the upstream in order.

- Items are written by listeners that run inside the transaction of the change they carry: Django's
  ``post_save`` of a supervision flag (监督预警), problem (监督问题) or filed report (报告, ``zhifa.reporting``), and ``zhifa.disclosure.hooks`` for a
  decision published or withdrawn (公示决定). No active upstream, no item.
- The push freezes the waiting items into a batch: a batch id, the upstream's next sequence number, the year's
  statistics when they changed, and the newest signed tree head of this instance's ledger with the
  consistency proof from the head the previous batch carried (``zhifa.records.witness.export_heads`` form),
  so that the city can witness the county's ledger. The body is signed with this instance's Ed25519 ledger key
  (``zhifa.records.signing``), whose public key the city pinned.
- Each attempt is a Standard Webhooks request (``zhifa.channels.signing``, the shared secret the city issued)
  sent by ``zhifa.channels.transport`` (its address guards apply), retried with ``zhifa.channels.services.backoff``.
  Batches of one upstream go strictly in sequence: nothing after the oldest pending one goes until it is
  acknowledged, and a batch is never given up on (the receiver would refuse the gap).
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import json
import secrets
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import Q, Sum

from zhifa.channels import crypto, transport
from zhifa.channels.services import Sender, backoff, publication_data, withdrawal_data
from zhifa.channels.signing import signed_headers
from zhifa.core import clock
from zhifa.core.errors import RuleViolation
from zhifa.disclosure import hooks as disclosure_hooks
from zhifa.disclosure.models import Publication
from zhifa.exchange.adapters import adapter_for
from zhifa.exchange.models import BatchStatus, ItemKind, OutboxBatch, OutboxItem, Upstream
from zhifa.records import selectors as ledger_selectors
from zhifa.records import signing, witness
from zhifa.reporting.models import Report, ReportStatus
from zhifa.stats.aggregates import DUE_METRICS
from zhifa.stats.models import Fact
from zhifa.supervision.models import Flag, FlagState, Problem, ProblemState

BATCH_FORMAT = "zhifa-exchange-batch"
BATCH_VERSION = 1
RECEIVE_PATH = "/api/exchange/batches"
MAX_ITEMS_PER_BATCH = 200
LEASE_SECONDS = 300
#: ``zhifa worker`` calls ``outbox_push_once`` this often (seconds)
PUSH_INTERVAL_SECONDS = 60

#: the statistics a county reports (the headline of ``zhifa.stats``), with their labels
STAT_METRICS: dict[str, str] = {
    "case.decided": "作出处罚决定",
    "case.fine": "罚没金额（元）",
    "inspection.done": "完成检查",
    "warning.raised": "检查预警",
    "case.legal_review": "法制审核",
    "publication.published": "公示",
    "complaint.received": "投诉举报",
}


# --- what an item carries ------------------------------------------------------------------------------------


def _plain(data: dict[str, Any]) -> dict[str, Any]:
    plain: dict[str, Any] = json.loads(json.dumps(data, ensure_ascii=False, default=str))
    return plain


def _agency_name(agency: Any) -> str:
    return str(agency.name) if agency is not None else ""


def flag_data(flag: Flag) -> dict[str, Any]:
    """监督预警 as the city sees it."""
    return _plain(
        {
            "title": flag.title,
            "detail": flag.detail,
            "flag_kind": flag.kind,
            "severity": flag.severity,
            "severity_label": flag.get_severity_display(),
            "state": flag.state,
            "state_label": flag.get_state_display(),
            "is_open": flag.state == FlagState.NEW and flag.source_open,
            "agency_name": _agency_name(flag.agency),
            "due": flag.due,
            "first_seen_at": flag.first_seen_at,
        }
    )


def problem_data(problem: Problem) -> dict[str, Any]:
    """监督问题 as the city sees it."""
    return _plain(
        {
            "title": problem.title,
            "description": problem.description,
            "category_label": problem.get_category_display() if problem.category else "",
            "source_label": problem.get_source_kind_display(),
            "state": problem.state,
            "state_label": problem.get_state_display(),
            "is_open": problem.state != ProblemState.CLOSED,
            "agency_name": _agency_name(problem.agency),
            "due": problem.due,
            "verified": problem.verified,
        }
    )


def decision_data(event: str, p: Publication) -> dict[str, Any]:
    """公示决定: the public (desensitised) text the portal shows, as the webhooks of ``zhifa.channels`` send it."""
    withdrawn = event == disclosure_hooks.WITHDRAWN
    data = withdrawal_data(p) if withdrawn else publication_data(p)
    return _plain(
        {
            **data,
            "title": p.title,
            "state": "withdrawn" if withdrawn else "published",
            "state_label": "已撤回" if withdrawn else "已公示",
            "is_open": False,
            "agency_name": _agency_name(p.agency),
        }
    )


def report_data(report: Report) -> dict[str, Any]:
    """报告 as the city receives it: the filed report's figures and text, its period, due date and state."""
    return _plain(
        {
            "title": str(report),
            "kind_name": report.kind.name,
            "period_label": report.period_label,
            "period_start": report.period_start,
            "period_end": report.period_end,
            "due": report.due_on,
            "state": report.status,
            "state_label": report.get_status_display(),
            "is_open": report.status in (ReportStatus.SUBMITTED, ReportStatus.GOVERNMENT),
            "agency_name": _agency_name(report.filer_agency) or report.filer_region.name,
            "submitted_at": report.submitted_at,
            "submitted_late": report.submitted_late,
            "figures": report.figures,
            "sections": report.sections,
            "return_reason": report.return_reason,
        }
    )


def statistics_data(year: int) -> dict[str, Any]:
    """统计数据: the year's totals of the headline metrics, all agencies of this instance."""
    rows = (
        Fact.objects.filter(
            metric__in=list(STAT_METRICS),
            day__gte=dt.date(year, 1, 1),
            day__lt=dt.date(year + 1, 1, 1),
        )
        .exclude(metric__in=DUE_METRICS)
        .values("metric")
        .annotate(c=Sum("count"), a=Sum("amount"))
        .order_by("metric")
    )
    totals = {r["metric"]: {"count": int(r["c"] or 0), "amount": str(r["a"] or 0)} for r in rows}
    return {
        "title": f"{year} 年度执法统计",
        "year": year,
        "state_label": "已报送",
        "metrics": [
            {"metric": m, "label": label, **totals.get(m, {"count": 0, "amount": "0"})}
            for m, label in STAT_METRICS.items()
        ],
    }


# --- the outbox, in the change's own transaction -------------------------------------------------------------


def enqueue(kind: str, key: str, data: dict[str, Any]) -> int:
    """One item per active upstream; called inside the caller's transaction (commits or rolls back with it)."""
    upstream_ids = list(Upstream.objects.filter(is_active=True).values_list("id", flat=True))
    OutboxItem.objects.bulk_create(
        [OutboxItem(upstream_id=u, kind=kind, key=key, data=data) for u in upstream_ids]
    )
    return len(upstream_ids)


def on_flag_saved(sender: Any, instance: Flag, raw: bool = False, **kwargs: Any) -> None:
    if not raw:
        enqueue(ItemKind.FLAG, f"flag:{instance.pk}", flag_data(instance))


def on_flags_written(written: list[Flag]) -> None:
    """``zhifa.supervision.hooks``: the flags a scan raised, changed or closed in bulk (no ``post_save``)."""
    if not Upstream.objects.filter(is_active=True).exists():
        return
    for flag in written:
        enqueue(ItemKind.FLAG, f"flag:{flag.pk}", flag_data(flag))


def on_problem_saved(sender: Any, instance: Problem, raw: bool = False, **kwargs: Any) -> None:
    if not raw:
        enqueue(ItemKind.PROBLEM, f"problem:{instance.pk}", problem_data(instance))


def on_report_saved(sender: Any, instance: Report, raw: bool = False, **kwargs: Any) -> None:
    """A report once filed (submitted, returned, awaiting the government, accepted): drafts stay at home."""
    if not raw and instance.status != ReportStatus.DRAFT:
        enqueue(ItemKind.REPORT, f"report:{instance.pk}", report_data(instance))


def on_publication_event(event: str, p: Publication) -> None:
    if event in (disclosure_hooks.PUBLISHED, disclosure_hooks.WITHDRAWN):
        enqueue(ItemKind.DECISION, f"publication:{p.pk}", decision_data(event, p))


# --- batches -------------------------------------------------------------------------------------------------


def ledger_part(since: int | None) -> dict[str, Any] | None:
    """The newest signed head with the consistency proof from ``since`` (the head the last batch carried)."""
    head = ledger_selectors.latest_signed_head()
    if head is None:
        return None
    size = ledger_selectors.ledger_size()
    proofs: dict[str, list[str]] = {}
    if since is not None and since < head.tree_size <= size:
        proof = ledger_selectors.ledger_consistency_proof(since, head.tree_size).proof
        proofs[f"{since}:{head.tree_size}"] = [p.hex() for p in proof]
    return {
        "format": witness.HEADS_FORMAT,
        "log": signing.LOG_ID,
        "public_key_pem": ledger_selectors.ledger_public_key_pem(),
        "tree_size": size,
        "heads": [witness.head_public(head)],
        "proofs": proofs,
    }


def sign_body(body: bytes) -> str:
    """Ed25519 over the exact body bytes with this instance's ledger key, base64."""
    return base64.b64encode(signing.sign(signing.load_signing_key(), body)).decode()


def _statistics_item(up: Upstream) -> dict[str, Any] | None:
    data = statistics_data(clock.today().year)
    digest = hashlib.sha256(json.dumps(data, sort_keys=True).encode()).hexdigest()
    if digest == up.statistics_digest:
        return None
    up.statistics_digest = digest
    return {"kind": ItemKind.STATISTICS.value, "key": f"statistics:{data['year']}", "data": data}


def build_batch(upstream_id: int) -> OutboxBatch | None:
    """Freeze the upstream's waiting items (and changed statistics, and a newer signed head) into the next
    batch; None when there is nothing new to say."""
    with transaction.atomic():
        up = Upstream.objects.select_for_update().get(pk=upstream_id)
        adapter = adapter_for(up.adapter)
        items = list(OutboxItem.objects.filter(upstream=up).order_by("id")[:MAX_ITEMS_PER_BATCH])
        carried = [adapter.item_out(i.kind, i.key, i.data) for i in items]
        stats = _statistics_item(up)
        if stats is not None:
            carried.append(adapter.item_out(stats["kind"], stats["key"], stats["data"]))
        ledger = ledger_part(up.last_head_size)
        new_head = ledger is not None and ledger["heads"][0]["tree_size"] != up.last_head_size
        if not carried and not new_head:
            return None
        up.last_sequence += 1
        batch_id = "batch_" + secrets.token_hex(16)
        document = {
            "format": BATCH_FORMAT,
            "version": BATCH_VERSION,
            "adapter": adapter.name,
            "batch_id": batch_id,
            "source": up.source_code,
            "sequence": up.last_sequence,
            "created_at": clock.now().isoformat(timespec="seconds"),
            "items": carried,
            "ledger": ledger,
        }
        body = json.dumps(document, ensure_ascii=False, separators=(",", ":"))
        if ledger is not None:
            up.last_head_size = ledger["heads"][0]["tree_size"]
        up.save(update_fields=["last_sequence", "last_head_size", "statistics_digest"])
        OutboxItem.objects.filter(pk__in=[i.pk for i in items]).delete()
        return OutboxBatch.objects.create(
            upstream=up,
            batch_id=batch_id,
            sequence=up.last_sequence,
            body=body,
            signature=sign_body(body.encode()),
            item_count=len(carried),
            next_attempt_at=clock.now(),
        )


# --- the push ------------------------------------------------------------------------------------------------


@dataclass
class OutboxResult:
    upstreams: int = 0
    batches: int = 0
    delivered: int = 0
    retrying: int = 0


def batch_headers(batch: OutboxBatch, secret: str, at: dt.datetime) -> dict[str, str]:
    body = batch.body.encode("utf-8")
    return {
        **signed_headers(secret=secret, event_id=batch.batch_id, at=at, body=body),
        "zhifa-source": batch.upstream.source_code,
        "zhifa-batch-signature": "ed25519=" + batch.signature,
    }


def _attempt(batch: OutboxBatch, send: Sender) -> transport.Outcome:
    up = batch.upstream
    now = clock.now()
    try:
        headers = batch_headers(batch, crypto.decrypt(up.secret_encrypted), now)
    except RuleViolation as exc:  # an unreadable secret is an attempt that failed, not a crash
        outcome = transport.Outcome(None, exc.message, 0)
    else:
        outcome = send(up.url.rstrip("/") + RECEIVE_PATH, batch.body.encode("utf-8"), headers)
    with transaction.atomic():
        b = OutboxBatch.objects.select_for_update().get(pk=batch.pk)
        if b.status != BatchStatus.PENDING:
            return outcome
        b.attempts += 1
        b.last_attempt_at, b.last_status_code, b.last_error = now, outcome.status_code, outcome.error
        if outcome.accepted:
            b.status, b.delivered_at, b.next_attempt_at = BatchStatus.DELIVERED, now, None
        else:
            b.next_attempt_at = now + backoff(b.attempts)
        b.save(
            update_fields=[
                "attempts",
                "last_attempt_at",
                "last_status_code",
                "last_error",
                "status",
                "delivered_at",
                "next_attempt_at",
            ]
        )
    return outcome


def _lease(upstream_id: int, now: dt.datetime) -> bool:
    taken = (
        Upstream.objects.filter(pk=upstream_id, is_active=True)
        .filter(Q(lease_until__isnull=True) | Q(lease_until__lt=now))
        .update(lease_until=now + dt.timedelta(seconds=LEASE_SECONDS))
    )
    return taken == 1


def outbox_push_once(
    *, send: Sender | None = None, max_batches: int = 100, retry_now: bool = False
) -> OutboxResult:
    """报送 — one sweep: for each active upstream, make the next batch of what waits and send the pending
    batches in sequence order. Safe to run from several processes at once (a lease per upstream); the
    ``zhifa worker`` calls it every ``PUSH_INTERVAL_SECONDS``. ``retry_now`` (``push-outbox --retry-now``,
    after the link is restored) makes the pending batches due at once instead of after their backoff."""
    sender = send or transport.post
    result = OutboxResult()
    now = clock.now()
    if retry_now:
        OutboxBatch.objects.filter(status=BatchStatus.PENDING, next_attempt_at__gt=now).update(
            next_attempt_at=now
        )
    for upstream_id in Upstream.objects.filter(is_active=True).order_by("id").values_list("id", flat=True):
        if not _lease(upstream_id, now):
            continue
        result.upstreams += 1
        try:
            while build_batch(upstream_id) is not None:
                result.batches += 1
            for _ in range(max_batches):
                head = (
                    OutboxBatch.objects.select_related("upstream")
                    .filter(upstream_id=upstream_id, status=BatchStatus.PENDING)
                    .order_by("sequence")
                    .first()
                )
                # in order: the oldest pending batch first, nothing after it while it waits for its retry
                if head is None or head.next_attempt_at is None or head.next_attempt_at > clock.now():
                    break
                if _attempt(head, sender).accepted:
                    result.delivered += 1
                    continue
                result.retrying += 1
                break
        finally:
            Upstream.objects.filter(pk=upstream_id).update(lease_until=None)
    return result
