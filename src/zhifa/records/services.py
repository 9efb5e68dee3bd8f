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
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from zhifa.core import clock
from zhifa.core.env import env_str
from zhifa.core.errors import InvalidInput
from zhifa.org.models import User
from zhifa.records import merkle, signing
from zhifa.records.canonical import canonical_text
from zhifa.records.ledger import changes_digest, configured_algorithm, fetch_nodes, leaf_text, node_key
from zhifa.records.models import (
    LedgerEntry,
    LedgerHead,
    LedgerMeta,
    LedgerNode,
    LedgerPending,
    SignedTreeHead,
)
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
    sequenced: bool = False,
) -> LedgerEntry:
    """记录 — append one entry to the ledger, inside the caller's transaction.

    Commits or rolls back with the change it records.  The entry gets its ``seq`` at once when this
    transaction can take the ledger head without waiting (always on SQLite, whose writing transactions run one
    at a time); when another transaction holds the head (PostgreSQL), the entry is written as a pending row
    (``seq`` is ``None``) and sequenced into the log right after this transaction commits — business
    transactions never queue on the ledger.  ``sequenced=True`` waits for the head instead, for the few
    callers that keep the entry's ``seq`` on their own rows (a draw's commitment, a case source).

    Raises ``RuntimeError`` when called outside ``transaction.atomic()``, :class:`InvalidInput` for a
    malformed action, object, place or change set.
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

    fields = {
        "occurred_at": occurred_at,
        "actor_id": actor_id,
        "actor_username": actor_username,
        "officer_id": officer_id,
        "officer_name": officer_name,
        "action": action,
        "object_type": object_type,
        "object_id": object_id,
        "place": place,
        "changes": changes_text,
    }
    # No savepoint of its own (two round trips per append): a failure here marks the caller's transaction
    # for rollback, so a half-written entry can never be committed.
    with transaction.atomic(savepoint=False):
        now = clock.now()
        if sequenced:
            held = _lock_head()  # waits for the head, as the caller asked
            if _registered(_integrate_queued):  # this transaction's own queued entries come first
                while _integrate_locked(held):
                    pass
            head: LedgerHead | None = held
        else:
            head = None if _registered(_integrate_queued) else _try_lock_head()
        if head is None:
            # Another transaction holds the head: do not wait for it.  The entry commits with this
            # transaction as a pending row and is sequenced right after (on commit, or by the worker).
            return _queue(now, fields)
        algorithm = _fixed_algorithm(now)
        seq = head.size
        entry = _sequenced_entry(seq, now, fields, algorithm)
        entry.save(force_insert=True)
        LedgerNode.objects.bulk_create(_completed_nodes(seq + 1, bytes(entry.leaf_hash), algorithm))
        LedgerHead.objects.filter(pk=1).update(size=seq + 1)
        _sign_if_due(now)
        if _concurrent() and not _registered(_integrate_after_holding):
            # Others may have queued while this transaction held the head: sequence them once it commits.
            transaction.on_commit(_integrate_after_holding)
    return entry


def _concurrent() -> bool:
    """True where transactions write at once (PostgreSQL); SQLite runs one writing transaction at a time."""
    return connection.vendor == "postgresql"


def _try_lock_head() -> LedgerHead | None:
    """The head row locked for this transaction, or ``None`` when another transaction holds it.

    PostgreSQL: ``SELECT … FOR UPDATE SKIP LOCKED`` never waits; a transaction that holds the row already gets
    it again.  SQLite: the transaction holds the database's write lock already (BEGIN IMMEDIATE).
    """
    if not _concurrent():
        return _lock_head()
    with connection.cursor() as cursor:  # one round trip, no ORM compilation: every append asks this
        cursor.execute(_TRY_LOCK_SQL)
        size, exists = cursor.fetchone()
    if size is not None:
        return LedgerHead(pk=1, size=size)
    return None if exists else _lock_head()  # no row at all: a flushed test database; create it


_TRY_LOCK_SQL = (
    "SELECT (SELECT size FROM records_ledgerhead WHERE id = 1 FOR UPDATE SKIP LOCKED),"
    " EXISTS (SELECT 1 FROM records_ledgerhead WHERE id = 1)"
)


def _queue(now: dt.datetime, fields: dict[str, Any]) -> LedgerEntry:
    """待排序 — write the entry as a pending row of this transaction; it has no ``seq`` yet."""
    values = {"at": now, **fields}
    columns = ", ".join(connection.ops.quote_name(name) for name in values)
    with connection.cursor() as cursor:  # the ORM's insert compilation costs more than the round trip
        cursor.execute(
            f"INSERT INTO records_ledgerpending ({columns}) VALUES ({', '.join(['%s'] * len(values))})"  # noqa: S608
            " RETURNING id",
            [
                connection.ops.adapt_datetimefield_value(v) if isinstance(v, dt.datetime) else v
                for v in values.values()
            ],
        )
        pending_id = cursor.fetchone()[0]
    if not _registered(_integrate_queued):
        transaction.on_commit(_integrate_queued)
    entry = LedgerEntry(at=now, **fields)
    entry.seq = None  # type: ignore[assignment]  # sequenced after the commit
    entry.pending_id = pending_id  # type: ignore[attr-defined]
    return entry


def _registered(callback: Any) -> bool:
    """Whether this transaction has ``callback`` to run on commit (a rollback, also of the savepoint that
    registered it, forgets it).  A transaction that has queued an entry keeps queueing, so that its entries
    stay in the order it wrote them."""
    return any(item[1] is callback for item in connection.run_on_commit)


def _integrate_queued() -> None:
    """After a commit that queued entries: sequence what is pending (the worker's job catches any left)."""
    _integrate_soon(known_pending=True)


def _integrate_after_holding() -> None:
    """After a commit that held the head: sequence what others queued meanwhile."""
    _integrate_soon()


def _integrate_soon(*, known_pending: bool = False) -> None:
    if connection.in_atomic_block:  # callbacks run by a test inside its own transaction: nothing committed
        return
    try:
        ledger_integrate(known_pending=known_pending)
    except Exception:  # the business transaction has committed; its entry waits for the next integrator
        logger.exception("ledger: integrating pending entries failed / 待排序记录入账失败")


def _sequenced_entry(seq: int, at: dt.datetime, fields: Mapping[str, Any], algorithm: str) -> LedgerEntry:
    """The entry row for ``seq``: its changes digest, leaf document and leaf hash."""
    digest = changes_digest(fields["changes"], algorithm)
    leaf = leaf_text(
        seq=seq,
        at=at,
        occurred_at=fields["occurred_at"],
        actor_id=fields["actor_id"],
        actor_username=fields["actor_username"],
        officer_id=fields["officer_id"],
        officer_name=fields["officer_name"],
        action=fields["action"],
        object_type=fields["object_type"],
        object_id=fields["object_id"],
        place=fields["place"],
        changes_digest=digest,
        hash_algorithm=algorithm,
    )
    return LedgerEntry(
        seq=seq,
        at=at,
        changes_digest=digest,
        leaf_data=leaf,
        leaf_hash=merkle.leaf_hash(leaf.encode("utf-8"), algorithm),
        **fields,
    )


#: Pending rows sequenced per integrating transaction.
INTEGRATE_BATCH = 500
PENDING_FIELDS = (
    "id",
    "at",
    "occurred_at",
    "actor_id",
    "actor_username",
    "officer_id",
    "officer_name",
    "action",
    "object_type",
    "object_id",
    "place",
    "changes",
)


def ledger_integrate(*, max_batches: int = 50, known_pending: bool = False) -> int:
    """排序入账 — give pending entries their ``seq`` and integrate them into the tree; returns how many.

    Each batch is one short transaction of its own (run it outside any transaction): lock the head (skipping when another transaction holds
    it — that one integrates after it commits), take up to :data:`INTEGRATE_BATCH` pending rows oldest first,
    write their entries and every subtree node they complete, delete them, move the head.  After each commit
    it looks again, so a row committed while the head was busy is never left behind by everyone.
    """
    # Called inside a caller's transaction (a test, a command wrapped in one), the batches join it: savepoints,
    # and the head is held until that transaction ends.
    total = 0
    for batch in range(max_batches):
        # a read, not a write lock (the worker asks every few seconds); skipped by whoever just queued a row
        if not (known_pending and batch == 0) and not LedgerPending.objects.exists():
            break
        with transaction.atomic():
            head = _try_lock_head()
            if head is None:
                break
            count = _integrate_locked(head)
        if not count:
            break
        total += count
    return total


def _integrate_locked(head: LedgerHead) -> int:
    """One batch of pending rows (those this transaction sees) into the log, under the head it holds."""
    rows = list(LedgerPending.objects.order_by("id").values_list(*PENDING_FIELDS)[:INTEGRATE_BATCH])
    if not rows:
        return 0
    now = clock.now()
    algorithm = _fixed_algorithm(now)
    entries = [
        _sequenced_entry(
            head.size + n, row[1], dict(zip(PENDING_FIELDS[2:], row[2:], strict=True)), algorithm
        )
        for n, row in enumerate(rows)
    ]
    LedgerEntry.objects.bulk_create(entries)
    LedgerNode.objects.bulk_create(_batch_nodes(head.size, [bytes(e.leaf_hash) for e in entries], algorithm))
    LedgerPending.objects.filter(id__in=[row[0] for row in rows]).delete()
    head.size += len(entries)
    LedgerHead.objects.filter(pk=1).update(size=head.size)
    _sign_if_due(now)
    return len(entries)


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


def _batch_nodes(start_size: int, leaf_hashes: list[bytes], algorithm: str) -> list[LedgerNode]:
    """The node rows completed as the tree grows from ``start_size`` by ``leaf_hashes`` (one read of the older
    left halves for the whole batch; the batch's own nodes are taken from memory)."""
    fresh: dict[tuple[int, int], bytes] = {}
    plans = []
    for n in range(len(leaf_hashes)):
        blocks = merkle.completed_subtrees(start_size + n + 1)
        plans.append(blocks)
    needed = {
        node_key(start, start + (end - start) // 2)
        for blocks in plans
        for start, end in blocks[1:]
        if start + (end - start) // 2 <= start_size  # completed before this batch: stored
    }
    stored = fetch_nodes(needed)
    nodes = []
    for n, blocks in enumerate(plans):
        current = leaf_hashes[n]
        for position, (start, end) in enumerate(blocks):
            if position:
                left = node_key(start, start + (end - start) // 2)
                current = merkle.node_hash(fresh.get(left) or stored[left], current, algorithm)
            key = node_key(start, end)
            fresh[key] = current
            nodes.append(LedgerNode(level=key[0], index=key[1], hash=current))
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
