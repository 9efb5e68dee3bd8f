"""Writes to the full-process record (执法全过程记录): :func:`record_append` and :func:`ledger_sign`.

Every other app records its state changes with one call, inside its own transaction::

    with transaction.atomic():
        case.stage = "open"
        case.save(update_fields=["stage"])
        record_append(actor=user, action="case.open", obj=case, changes={"stage": ["", "open"]})
"""

from __future__ import annotations

import datetime as dt
import logging
import re
from collections.abc import Mapping
from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import IntegrityError, transaction
from django.utils import timezone

from zhifa.core import clock
from zhifa.core.env import env_str
from zhifa.core.errors import InvalidInput
from zhifa.org.models import User
from zhifa.records import merkle, signing
from zhifa.records.canonical import canonical_text
from zhifa.records.ledger import changes_digest, configured_algorithm, fetch_nodes, leaf_text, node_key
from zhifa.records.models import LedgerEntry, LedgerHead, LedgerMeta, LedgerNode, SignedTreeHead
from zhifa.records.selectors import ledger_root

ACTION_PATTERN = re.compile(r"^[a-z][a-z0-9_]*(\.[a-z0-9_]+)+$")
#: Default of ``ZHIFA_LEDGER_SIGN_INTERVAL``: an append signs a head when the newest is older than this.
DEFAULT_SIGN_INTERVAL_S = 60

logger = logging.getLogger(__name__)


def _lock_head() -> LedgerHead:
    """The head row, locked until the caller's transaction ends (PostgreSQL: SELECT … FOR UPDATE).

    On SQLite the transaction already holds the database's write lock (BEGIN IMMEDIATE).
    """
    head = LedgerHead.objects.select_for_update().filter(pk=1).first()
    if head is None:  # migration 0002 creates it; a flushed test database may not have it
        try:
            with transaction.atomic():
                LedgerHead.objects.create(pk=1, size=0)
        except IntegrityError:
            pass
        head = LedgerHead.objects.select_for_update().get(pk=1)
    return head


def _fixed_algorithm(now: Any) -> str:
    configured = configured_algorithm()
    meta = LedgerMeta.objects.filter(pk=1).first()
    if meta is None:
        LedgerMeta.objects.create(pk=1, hash_algorithm=configured, created_at=now)
        return configured
    if meta.hash_algorithm != configured:
        raise ImproperlyConfigured(
            f"账本哈希算法已在第一条记录时固定为 {meta.hash_algorithm}，不能改为 {configured}。"
            f" / The ledger hash is fixed at {meta.hash_algorithm}; ZHIFA_LEDGER_HASH={configured} is refused."
        )
    return meta.hash_algorithm


def _object_ref(obj: Any, object_type: str, object_id: str | int | None) -> tuple[str, str]:
    if obj is not None:
        if object_type or object_id not in (None, ""):
            raise InvalidInput(
                "对象与对象类型/标识只能二选一。", "Give obj or object_type/object_id, not both."
            )
        if obj.pk is None:
            raise InvalidInput("不能记录尚未保存的对象。", "The object must be saved before it is recorded.")
        object_type, object_id = obj._meta.label_lower, str(obj.pk)
    object_id = "" if object_id is None else str(object_id)
    if not object_type or not object_id:
        raise InvalidInput("记录必须指明对象类型和标识。", "A record needs an object type and id.")
    if len(object_type) > 100 or len(object_id) > 64:
        raise InvalidInput("对象类型或标识过长。", "Object type (100) or id (64) too long.")
    return object_type, object_id


def record_append(
    *,
    actor: User | None = None,
    action: str,
    obj: Any = None,
    object_type: str = "",
    object_id: str | int | None = None,
    changes: Mapping[str, Any] | None = None,
    officer: Any = None,
    place: str | None = None,
    occurred_at: Any = None,
) -> LedgerEntry:
    """记录 — append one entry to the ledger, inside the caller's transaction.

    Commits or rolls back with the change it records.  Raises ``RuntimeError`` when called outside
    ``transaction.atomic()``, :class:`InvalidInput` for a malformed action, object, place or change set.
    """
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("record_append must run inside the caller's transaction.atomic()")
    if not isinstance(action, str) or len(action) > 64 or not ACTION_PATTERN.match(action):
        raise InvalidInput(
            f"动作代码无效：{action!r}（应如 case.open）。",
            f"Invalid action code {action!r} (e.g. case.open).",
        )
    object_type, object_id = _object_ref(obj, object_type, object_id)
    place = place or ""
    if len(place) > 200:
        raise InvalidInput("地点过长（最多 200 字）。", "Place is longer than 200 characters.")
    if occurred_at is not None and timezone.is_naive(occurred_at):
        raise InvalidInput("发生时间必须带时区。", "occurred_at must be an aware datetime.")
    try:
        changes_text = canonical_text(dict(changes or {}))
    except (TypeError, ValueError) as exc:
        raise InvalidInput(
            f"变更内容无法规范化为 JSON：{exc}", f"Changes have no canonical JSON form: {exc}"
        ) from exc

    user = actor if actor is not None and getattr(actor, "is_authenticated", False) else None
    actor_id = user.pk if user is not None else None
    actor_username = user.get_username() if user is not None else ""
    officer_id = officer.pk if officer is not None else None
    officer_name = officer.name if officer is not None else ""

    # No savepoint of its own (two round trips per append): a failure here marks the caller's transaction
    # for rollback, so a half-written entry can never be committed.
    with transaction.atomic(savepoint=False):
        head = _lock_head()
        now = clock.now()
        algorithm = _fixed_algorithm(now)
        seq = head.size
        digest = changes_digest(changes_text, algorithm)
        leaf = leaf_text(
            seq=seq,
            at=now,
            occurred_at=occurred_at,
            actor_id=actor_id,
            actor_username=actor_username,
            officer_id=officer_id,
            officer_name=officer_name,
            action=action,
            object_type=object_type,
            object_id=object_id,
            place=place,
            changes_digest=digest,
            hash_algorithm=algorithm,
        )
        leaf_hash = merkle.leaf_hash(leaf.encode("utf-8"), algorithm)
        entry = LedgerEntry.objects.create(
            seq=seq,
            at=now,
            occurred_at=occurred_at,
            actor_id=actor_id,
            actor_username=actor_username,
            officer_id=officer_id,
            officer_name=officer_name,
            action=action,
            object_type=object_type,
            object_id=object_id,
            place=place,
            changes=changes_text,
            changes_digest=digest,
            leaf_data=leaf,
            leaf_hash=leaf_hash,
        )
        LedgerNode.objects.bulk_create(_completed_nodes(seq + 1, leaf_hash, algorithm))
        LedgerHead.objects.filter(pk=1).update(size=seq + 1)
        _sign_if_due(now)
    return entry


def sign_interval() -> dt.timedelta | None:
    """``ZHIFA_LEDGER_SIGN_INTERVAL`` (seconds, default 60; 0 turns signing on append off)."""
    value = getattr(settings, "ZHIFA_LEDGER_SIGN_INTERVAL", None)
    if value is None:
        raw = env_str("ZHIFA_LEDGER_SIGN_INTERVAL")
        value = int(raw) if raw.strip() else DEFAULT_SIGN_INTERVAL_S
    seconds = int(value)
    return dt.timedelta(seconds=seconds) if seconds > 0 else None


class _SignCache:
    """The newest ``signed_at`` this process has seen committed: spares appends the query in between."""

    latest: dt.datetime | None = None


def forget_sign_cache() -> None:
    _SignCache.latest = None


def _sign_if_due(now: dt.datetime) -> None:
    """签名树头 on append — sign the head this append made when the newest signed head is older than the
    interval (or there is none), inside the append's transaction (it holds the ledger lock, so the head
    signed is exactly this append's size). A failure to sign (a missing key file) is logged and never
    refuses the append: the timer's ``zhifa ledger sign`` and ``ledger status`` show it."""
    interval = sign_interval()
    if interval is None:
        return
    cached = _SignCache.latest
    if cached is not None and cached <= now and now - cached < interval:
        return
    newest = SignedTreeHead.objects.order_by("-id").values_list("signed_at", flat=True).first()
    if newest is not None and newest <= now and now - newest < interval:
        _SignCache.latest = newest
        return
    try:
        with transaction.atomic():  # a savepoint: a failed signature leaves the append intact
            head = ledger_sign()
    except Exception:  # the enforcement act must not fail because the signer did
        logger.exception("ledger: signing on append failed / 追加时签名树头失败")
        _SignCache.latest = now  # try again in a minute, not on every append
        return
    signed_at = head.signed_at

    def remember() -> None:
        _SignCache.latest = signed_at

    transaction.on_commit(remember)


def _completed_nodes(tree_size: int, leaf_hash: bytes, algorithm: str) -> list[LedgerNode]:
    """The node rows that complete when the tree grows to ``tree_size`` (the leaf first)."""
    blocks = merkle.completed_subtrees(tree_size)
    # Each block's left half is an older stored node; its right half is the block before it in this list.
    left_keys = [node_key(start, start + (end - start) // 2) for start, end in blocks[1:]]
    lefts = fetch_nodes(left_keys)
    nodes = []
    current = leaf_hash
    for position, (start, end) in enumerate(blocks):
        if position:
            current = merkle.node_hash(lefts[left_keys[position - 1]], current, algorithm)
        level, index = node_key(start, end)
        nodes.append(LedgerNode(level=level, index=index, hash=current))
    return nodes


def ledger_sign() -> SignedTreeHead:
    """签名树头 — sign the current (size, root, time, algorithm) with the platform key and keep it."""
    key = signing.load_signing_key()
    with transaction.atomic():
        head = LedgerHead.objects.filter(pk=1).first()
        size = head.size if head is not None else 0
        meta = LedgerMeta.objects.filter(pk=1).first()
        algorithm = meta.hash_algorithm if meta is not None else configured_algorithm()
        root = ledger_root(size)
        now = clock.now()
        message = signing.tree_head_message(size, root, now, algorithm)
        return SignedTreeHead.objects.create(
            tree_size=size,
            root=root,
            signed_at=now,
            hash_algorithm=algorithm,
            signature_algorithm=signing.SIGNATURE_ALGORITHM,
            public_key=key.public_key_raw,
            signature=signing.sign(key, message),
        )
