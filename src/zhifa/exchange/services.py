"""Exchange services: registering the upstream (county side) and the counties (city side), and receiving a
batch (``batch_receive``: authenticated, checked, applied once, in order, witnessed).

Receiving, in the order of the checks (docs/exchange.md):

1. the source code (header ``zhifa-source``) names an active 下级平台, and the Standard Webhooks signature
   (``webhook-id`` = batch id, ``webhook-timestamp``, ``webhook-signature``) verifies with the secret the city
   issued to it, within five minutes of the city's clock — else 401;
2. the Ed25519 signature (``zhifa-batch-signature``) verifies with the county's pinned public key — else 403;
3. the body is a batch of a known format, version and adapter, of this source — else 422;
4. a batch id already applied is acknowledged again (200, ``duplicate``) and not applied twice; a sequence
   other than the next one is refused with 409 (``sequence_gap``) so that the sender retries in order;
5. the items are stored per ``(source, kind, key)``; the batch and a ledger entry are written; the county's
   signed head travelling in the batch is witnessed (``zhifa.records.witness``): a fork or a shrink marks the
   source's witness as failed and raises a supervision flag, but the data is still received (it is what the
   county says; the flag says it can no longer be checked against what it said before).
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import hashlib
import hmac
import json
import re
from typing import Any

from standardwebhooks import Webhook

from zhifa.channels import crypto, transport
from zhifa.core import clock, flags
from zhifa.core.errors import DomainError, InvalidInput, NotFound, PermissionDenied, RuleViolation
from zhifa.core.transactions import service
from zhifa.exchange import rules
from zhifa.exchange.adapters import adapter_for
from zhifa.exchange.models import ReceivedBatch, ReceivedRecord, Source, Upstream, WitnessState
from zhifa.exchange.outbox import BATCH_FORMAT, BATCH_VERSION
from zhifa.exchange.selectors import witness_flag
from zhifa.org import permissions as perms
from zhifa.org.models import Region, User
from zhifa.records import signing, witness
from zhifa.records.services import record_append

TIMESTAMP_TOLERANCE = dt.timedelta(minutes=5)
CODE_PATTERN = re.compile(r"^[A-Za-z0-9_-]{2,40}$")


class NotAuthenticated(DomainError):
    status = 401
    code = "not_authenticated"


# --- configuration ---------------------------------------------------------------------------------------


def _name(name: str) -> str:
    name = (name or "").strip()
    if not name or len(name) > 100:
        raise InvalidInput(
            "请填写名称（最多 100 字）。", "A name (at most 100 chars) is required.", field="name"
        )
    return name


def _code(code: str, field: str) -> str:
    code = (code or "").strip()
    if not CODE_PATTERN.match(code):
        raise InvalidInput(
            "平台编码须为 2–40 位字母、数字、下划线或连字符（如区划代码 330102）。",
            "The code must be 2–40 letters, digits, _ or -.",
            field=field,
        )
    return code


@service
def upstream_create(*, actor: User, name: str, url: str, source_code: str, secret: str) -> Upstream:
    """登记上级平台 — where this instance pushes, the code the city gave it and the secret the city issued."""
    perms.require(actor, rules.MANAGE_UPSTREAM)
    secret = (secret or "").strip()
    if not secret.startswith(crypto.SECRET_PREFIX) or len(secret) > 200:
        raise InvalidInput(
            "接入密钥应为上级平台登记本平台时给出的 whsec_ 开头的密钥。",
            "The secret is the whsec_… value the upstream issued.",
            field="secret",
        )
    try:
        Webhook(secret)
    except (ValueError, binascii.Error):
        raise InvalidInput("接入密钥格式不正确。", "The secret is malformed.", field="secret") from None
    up = Upstream.objects.create(
        name=_name(name),
        url=transport.check_url(url),
        source_code=_code(source_code, "source_code"),
        secret_encrypted=crypto.encrypt(secret),
        secret_hint=secret[-4:],
        created_by=actor,
    )
    record_append(
        actor=actor,
        action="exchange.upstream_create",
        obj=up,
        changes={"name": up.name, "url": up.url, "source_code": up.source_code},
    )
    return up


@service
def upstream_set_active(*, actor: User, upstream: Upstream | int, active: bool) -> Upstream:
    """停用/启用上级平台 — a disabled upstream gets no new items; its pending batches wait, in order."""
    perms.require(actor, rules.MANAGE_UPSTREAM)
    pk = upstream.pk if isinstance(upstream, Upstream) else upstream
    up = Upstream.objects.select_for_update().get(pk=pk)
    if up.is_active == active:
        raise RuleViolation(
            "该上级平台已启用。" if active else "该上级平台已停用。",
            "Already in that state.",
            code="upstream_state",
        )
    up.is_active = active
    up.save(update_fields=["is_active"])
    record_append(
        actor=actor, action="exchange.upstream_active", obj=up, changes={"is_active": [not active, active]}
    )
    return up


@service
def source_create(
    *, actor: User, region: Region, name: str, code: str, public_key_pem: str
) -> tuple[Source, str]:
    """登记下级平台 — returns the source and its secret, shown this once (the county enters it as its upstream)."""
    perms.require(actor, rules.MANAGE, region)
    code = _code(code, "code")
    if Source.objects.filter(code=code).exists():
        raise RuleViolation("该平台编码已登记。", "The code is already registered.", code="source_code_taken")
    try:
        key_raw = witness.public_key_raw((public_key_pem or "").strip())
    except witness.WitnessError:
        raise InvalidInput(
            "签名公钥应为下级平台账本的 Ed25519 公钥（PEM，见其“账本核验”页或 /api/portal/ledger/public-key）。",
            "The public key must be the county ledger's Ed25519 public key in PEM.",
            field="public_key_pem",
        ) from None
    secret = crypto.new_secret()
    source = Source.objects.create(
        region=region,
        name=_name(name),
        code=code,
        secret_encrypted=crypto.encrypt(secret),
        secret_hint=secret[-4:],
        public_key_pem=signing.public_key_pem(key_raw),
        public_key_sha256=signing.key_fingerprint(key_raw),
        created_by=actor,
    )
    record_append(
        actor=actor,
        action="exchange.source_create",
        obj=source,
        changes={"name": source.name, "code": code, "public_key_sha256": source.public_key_sha256},
    )
    return source, secret


@service
def source_set_active(*, actor: User, source: Source | int, active: bool) -> Source:
    """停用/启用下级平台 — a disabled source's batches are refused (401) until it is enabled again."""
    pk = source.pk if isinstance(source, Source) else source
    s = Source.objects.select_for_update().select_related("region").get(pk=pk)
    perms.require(actor, rules.MANAGE, s)
    if s.is_active == active:
        raise RuleViolation(
            "该下级平台已启用。" if active else "该下级平台已停用。",
            "Already in that state.",
            code="source_state",
        )
    s.is_active = active
    s.save(update_fields=["is_active"])
    record_append(
        actor=actor, action="exchange.source_active", obj=s, changes={"is_active": [not active, active]}
    )
    return s


# --- receiving -----------------------------------------------------------------------------------------------


def _header(headers: Any, name: str) -> str:
    return str(headers.get(name) or headers.get(name.title()) or "")


def authenticate(code: str, headers: Any, body: bytes) -> Source:
    """The source that sent ``body``, or ``NotAuthenticated`` / ``PermissionDenied`` (checks 1 and 2)."""
    refused = NotAuthenticated(
        "下级平台未登记、已停用或接入签名无效。",
        "Unknown or disabled source, or the request signature does not verify.",
        code="exchange_not_authenticated",
    )
    source = Source.objects.filter(code=code, is_active=True).first() if code else None
    if source is None:
        raise refused
    msg_id = _header(headers, "webhook-id")
    stamp = _header(headers, "webhook-timestamp")
    try:
        at = dt.datetime.fromtimestamp(int(stamp), tz=dt.UTC)
        expected = Webhook(crypto.decrypt(source.secret_encrypted)).sign(
            msg_id=msg_id, timestamp=at, data=body
        )
    except (ValueError, OverflowError, RuleViolation):
        raise refused from None
    given = _header(headers, "webhook-signature").split()
    if not msg_id or not any(hmac.compare_digest(expected, g) for g in given):
        raise refused
    if abs(clock.now() - at) > TIMESTAMP_TOLERANCE:
        raise NotAuthenticated(
            "接入签名的时间与本平台时间相差超过 5 分钟。",
            "The request timestamp is too far off.",
            code="exchange_stale",
        )
    signature = _header(headers, "zhifa-batch-signature").removeprefix("ed25519=")
    try:
        raw_signature = base64.b64decode(signature, validate=True)
    except (ValueError, binascii.Error):
        raw_signature = b""
    if not signing.signature_valid(witness.public_key_raw(source.public_key_pem), raw_signature, body):
        raise PermissionDenied(
            "批次签名无法用登记的下级平台公钥验证。",
            "The batch signature does not verify with the source's pinned public key.",
            code="batch_signature_invalid",
        )
    return source


def _document(source: Source, msg_id: str, body: bytes) -> dict[str, Any]:
    try:
        doc = json.loads(body)
    except ValueError:
        raise InvalidInput(
            "批次不是合法的 JSON。", "The batch is not JSON.", code="batch_malformed"
        ) from None
    if not isinstance(doc, dict) or doc.get("format") != BATCH_FORMAT:
        raise InvalidInput("不是数据交换批次。", f"Not a {BATCH_FORMAT} document.", code="batch_malformed")
    if doc.get("version") != BATCH_VERSION:
        raise InvalidInput(
            f"不支持的批次版本：{str(doc.get('version'))[:10]}",
            "Unsupported batch version.",
            code="batch_version",
        )
    sequence = doc.get("sequence")
    if doc.get("source") != source.code or doc.get("batch_id") != msg_id:
        raise InvalidInput(
            "批次的来源或编号与请求不符。",
            "The batch's source or id differs from the request's.",
            code="batch_malformed",
        )
    if not isinstance(sequence, int) or isinstance(sequence, bool) or not 1 <= sequence <= 2**62:
        raise InvalidInput("批次序号无效。", "Invalid sequence.", code="batch_malformed")
    if not isinstance(doc.get("items"), list):
        raise InvalidInput("批次缺少事项列表。", "The batch has no items list.", code="batch_malformed")
    return doc


def _witness(source: Source, ledger: Any) -> None:
    """Check the county's signed head carried by the batch against the heads witnessed before (in place)."""
    if not ledger:
        return
    store = source.witness_store or witness.new_store(source.code)
    now = clock.now()
    try:
        heads = witness.HeadsSource(ledger, source.code)
        if witness.public_key_raw(str(ledger.get("public_key_pem") or "")) != witness.public_key_raw(
            source.public_key_pem
        ):
            raise witness.WitnessError(
                "批次中的账本公钥与登记的公钥不同。", "The ledger key differs from the pinned one."
            )
        store.setdefault("public_key_pem", source.public_key_pem)
        report = witness.witness_into(heads, store)
    except witness.WitnessError as exc:
        source.witness_state, source.witness_error = WitnessState.FAILED, exc.message[:500]
        flags.notify(witness_flag(source))
    else:
        if source.witness_state != WitnessState.FAILED:  # a failure stays until an administrator looks
            source.witness_state, source.witness_error = WitnessState.VERIFIED, ""
        if report.largest is not None:
            source.witness_tree_size = report.largest["tree_size"]
    source.witness_store, source.witness_checked_at = store, now


@service
def batch_receive(*, code: str, headers: Any, body: bytes) -> dict[str, Any]:
    """接收批次 — see the module's docstring for the checks; returns the acknowledgement."""
    source = authenticate(code, headers, body)
    doc = _document(source, _header(headers, "webhook-id"), body)
    adapter = adapter_for(str(doc.get("adapter") or ""))
    sequence, batch_id = doc["sequence"], doc["batch_id"]
    source = Source.objects.select_for_update().get(pk=source.pk)
    done = ReceivedBatch.objects.filter(source=source, batch_id=batch_id).first()
    if done is not None:
        return {"status": "duplicate", "sequence": done.sequence, "last_sequence": source.last_sequence}
    if sequence != source.last_sequence + 1:
        raise RuleViolation(
            f"批次序号不连续：应为 {source.last_sequence + 1}，收到 {sequence}。请按顺序重发。",
            f"Sequence gap: expected {source.last_sequence + 1}, got {sequence}; resend in order.",
            code="sequence_gap",
            details={"expected": source.last_sequence + 1, "received": sequence},
        )
    parsed = [adapter.record_in(item) for item in doc["items"]]
    now = clock.now()
    for kind, key, fields, data in parsed:
        ReceivedRecord.objects.update_or_create(
            source=source,
            kind=kind,
            key=key,
            defaults={
                "title": fields.title,
                "state_label": fields.state_label,
                "agency_name": fields.agency_name,
                "is_open": fields.is_open,
                "due": fields.due,
                "data": data,
                "sequence": sequence,
                "received_at": now,
            },
        )
    batch = ReceivedBatch.objects.create(
        source=source,
        batch_id=batch_id,
        sequence=sequence,
        item_count=len(parsed),
        body_sha256=hashlib.sha256(body).hexdigest(),
    )
    source.last_sequence, source.last_batch_at = sequence, now
    _witness(source, doc.get("ledger"))
    source.save(
        update_fields=[
            "last_sequence",
            "last_batch_at",
            "witness_store",
            "witness_state",
            "witness_error",
            "witness_checked_at",
            "witness_tree_size",
        ]
    )
    record_append(
        action="exchange.batch_receive",
        obj=batch,
        changes={"source": source.name, "sequence": sequence, "items": len(parsed)},
    )
    return {"status": "applied", "sequence": sequence, "last_sequence": sequence}


def source_get(user: User, pk: int) -> Source:
    found = perms.scoped(user, rules.VIEW, Source.objects.select_related("region")).filter(pk=pk).first()
    if found is None:
        raise NotFound("下级平台不存在或不在您的数据范围内。", "Source not found.", code="source_not_found")
    return found
