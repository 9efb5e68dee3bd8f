"""Full verification of the ledger (账本校验): recompute everything from the stored rows.

Streams the entries in ``seq`` order in keyset batches of raw rows (never the whole table in memory, never a
model instance) and, for each entry, hashes the stored changes (their digest must match) and the stored leaf
bytes ``0x00 || leaf_data`` (the leaf hash must match); checks that the stored columns say what the leaf says
(the leaf's canonical JSON rebuilt from the columns by a string template, with ``leaf_text`` as the authority
whenever the template differs); rebuilds the tree as it goes (a stack of at most log2(n) subtree hashes) and
compares every stored node row with it (node rows read per batch, by primary-key ranges); checks that ``seq``
runs 0..n-1 without a gap and that the head's size is n; checks every signed tree head's signature with a
trusted public key and its root against the recomputed tree; and calls the evidence app's check when that app
is installed.

:func:`verify_ledger_since` does the same for the entries after a verified checkpoint (size, root): the
worker's frequent incremental job (``ledger_verify_recent``), beside the daily full run.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import connection
from django.db.models import Q

from zhifa.records import hooks, merkle, signing
from zhifa.records.ledger import LEAF_VERSION, fetch_nodes, leaf_text
from zhifa.records.models import LedgerEntry, LedgerHead, LedgerMeta, LedgerNode, SignedTreeHead
from zhifa.records.selectors import ledger_consistency_proof

DEFAULT_CHUNK = 10_000
#: The columns the authoritative (slow) check of a suspect entry reads through the ORM.
ENTRY_FIELDS = (
    "seq",
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
    "changes_digest",
    "leaf_data",
    "leaf_hash",
)
# The datetimes as the leaf writes them (ISO 8601 UTC, ``Z``, no ``.000000``), computed by the database.
_ISO_SQL = {
    "sqlite": "replace({col}, ' ', 'T') || 'Z'",  # Django stores str(naive UTC datetime)
    "postgresql": "replace(to_char({col} AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"'), '.000000Z', 'Z')",
}
# A value as a JSON literal (strings escaped as json.dumps escapes them, NULL as null), by the database.
_JSON_SQL = {"sqlite": "json_quote({col})", "postgresql": "coalesce(to_json({col})::text, 'null')"}


@dataclass(frozen=True)
class Failure:
    """One thing that does not hold; ``ref`` names it (``entry 12``, ``signed head 3``, a file)."""

    kind: str
    ref: str
    message: str
    message_en: str
    seq: int | None = None

    def text(self) -> str:
        """Chinese / English, once when the two are one line already (the evidence app writes both)."""
        return self.message if self.message == self.message_en else f"{self.message} / {self.message_en}"


@dataclass
class VerificationResult:
    size: int = 0
    hash_algorithm: str = ""
    entries_checked: int = 0
    nodes_checked: int = 0
    signed_heads_checked: int = 0
    witnessed_checked: int | None = None  # None: no witness store given
    evidence_checked: int | None = None  # None: the evidence app is not installed
    bytes_hashed: int = 0
    duration_s: float = 0.0
    failures: list[Failure] = field(default_factory=list)
    root: bytes = b""  # the recomputed root at ``size`` (empty when the entries failed structurally)
    last_signed_head_id: int = 0  # the newest signed head the run covered

    @property
    def ok(self) -> bool:
        return not self.failures

    @property
    def first_failure(self) -> Failure | None:
        return self.failures[0] if self.failures else None


def _entry_sql() -> str:
    """The entry columns verification hashes, and whether the stored columns say what the leaf says.

    The database rebuilds the leaf's canonical JSON from the columns (keys sorted, every value a JSON literal
    so that no value can stand for another field) and compares it with the stored leaf: one boolean per row
    instead of eleven columns turned into Python objects.  A row it does not confirm is checked again with
    ``leaf_text``, which decides (:func:`_columns_disagreeing`).
    """
    vendor = connection.vendor if connection.vendor in _ISO_SQL else "sqlite"
    iso, js = _ISO_SQL[vendor], _JSON_SQL[vendor]
    meta = connection.ops.quote_name(LedgerMeta._meta.db_table)
    parts = [
        ('{"action":', "action"),
        (',"actor":{"id":', "actor_id"),
        (',"username":', "actor_username"),
        ('},"at":', iso.format(col="at")),
        (',"changes_digest":', "changes_digest"),
        (',"hash_algorithm":', f"(SELECT hash_algorithm FROM {meta} WHERE id = 1)"),  # noqa: S608
        (',"object":{"id":', "object_id"),
        (',"type":', "object_type"),
        ('},"occurred_at":', iso.format(col="occurred_at")),
        (',"officer":{"id":', "officer_id"),
        (',"name":', "officer_name"),
        ('},"place":', "place"),
        (',"seq":', None),
    ]
    pieces = []
    for literal, column in parts:
        pieces.append("'" + literal + "'")
        if column is not None:
            pieces.append(js.format(col=column))
    pieces += ["seq", "'" + f',"v":{LEAF_VERSION}}}' + "'"]
    expected = " || ".join(pieces)
    table = connection.ops.quote_name(LedgerEntry._meta.db_table)
    columns = f"seq, changes, changes_digest, leaf_data, leaf_hash, leaf_data = ({expected})"
    return f"SELECT {columns} FROM {table} WHERE seq > %s AND seq < %s ORDER BY seq LIMIT %s"  # noqa: S608


def _entry_chunks(chunk_size: int, limit: int, after: int = -1) -> Iterator[list[tuple[Any, ...]]]:
    """Raw entry rows with ``after < seq < limit`` in seq order, ``chunk_size`` per query (keyset)."""
    sql = _entry_sql()
    while True:
        with connection.cursor() as cursor:
            cursor.execute(sql, [after, limit, chunk_size])
            rows = cursor.fetchall()
        if not rows:
            return
        yield rows
        after = rows[-1][0]


def _stored_nodes(first_size: int, last_size: int) -> dict[int, bytes]:
    """Stored nodes that complete when the tree grows from ``first_size`` to ``last_size`` leaves.

    Keyed ``index << 6 | level`` (an int, cheaper to build and probe than a tuple); one query of primary-key
    ranges, one per level.
    """
    terms, params = [], []
    level = 0
    while (1 << level) <= last_size:
        low, high = first_size >> level, (last_size >> level) - 1
        if low <= high:
            terms.append('(level = %s AND "index" BETWEEN %s AND %s)')
            params += [level, low, high]
        level += 1
    if not terms:
        return {}
    table = connection.ops.quote_name(LedgerNode._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f'SELECT level, "index", hash FROM {table} WHERE {" OR ".join(terms)}',  # noqa: S608
            params,
        )
        return {ix << 6 | lv: bytes(h) for lv, ix, h in cursor.fetchall()}


def _nodes_beyond(size: int) -> list[tuple[int, int]]:
    """Node rows that lie (partly) outside the first ``size`` entries: none may exist."""
    condition = Q(level__gt=max(size.bit_length(), 1))
    for level in range(max(size.bit_length(), 1) + 1):
        condition |= Q(level=level, index__gte=size >> level)
    # a sample for the report: five stray nodes prove the tampering; the check fails on the first
    return list(
        LedgerNode.objects.filter(condition).order_by("level", "index").values_list("level", "index")[:5]
    )


def _evidence_failures(result: VerificationResult) -> list[Failure]:
    check = hooks.file_check()
    if check is None:
        return []  # the evidence app is not installed here (it registers its check: zhifa.records.hooks)
    outcome: Any = check()
    items: Iterable[Any] = getattr(outcome, "failures", outcome) or []
    checked = getattr(outcome, "checked", None)
    failures = []
    for item in items:
        if isinstance(item, str):  # one line, "中文 / English", naming the file
            ref, message, message_en = item, item, item
        else:
            ref = str(getattr(item, "name", None) or getattr(item, "path", None) or item)
            message = str(getattr(item, "message", "") or f"证据文件校验失败：{ref}")
            message_en = str(getattr(item, "message_en", "") or f"Evidence file fails: {ref}")
        failures.append(Failure("evidence", ref, message, message_en))
    result.evidence_checked = checked if isinstance(checked, int) else -1
    return failures


class _Tree:
    """The recomputed tree: the stack of complete subtrees of the leaves seen so far (≤ log2 n + 1)."""

    def __init__(self, algorithm: str) -> None:
        self.algorithm = algorithm
        self.size = 0
        self.stack: list[tuple[int, bytes]] = []  # (level, hash), levels strictly decreasing

    def add(self, leaf_hash: bytes) -> list[tuple[int, int, bytes]]:
        """Add a leaf; return the nodes (level, index, hash) that complete, smallest first."""
        node = merkle.node_hash
        self.size += 1
        completed = [(0, self.size - 1, leaf_hash)]
        level, h = 0, leaf_hash
        stack = self.stack
        while stack and stack[-1][0] == level:
            _, left = stack.pop()
            h = node(left, h, self.algorithm)
            level += 1
            completed.append((level, (self.size >> level) - 1, h))
        stack.append((level, h))
        return completed

    def root(self) -> bytes:
        if not self.stack:
            return merkle.hash_bytes(b"", self.algorithm)
        h = self.stack[-1][1]
        for _, left in reversed(self.stack[:-1]):
            h = merkle.node_hash(left, h, self.algorithm)
        return h


def _entry_failure(seq: int, what: str, what_en: str) -> Failure:
    return Failure(
        "entry",
        f"entry {seq}",
        f"第 {seq} 号记录{what}",
        f"entry seq {seq}: {what_en}",
        seq=seq,
    )


def _meta_failures(result: VerificationResult) -> tuple[str, int]:
    """Read the algorithm and the head's size into ``result``; a missing or unknown algorithm fails."""
    failures = result.failures
    meta = LedgerMeta.objects.filter(pk=1).first()
    head = LedgerHead.objects.filter(pk=1).first()
    head_size = head.size if head is not None else 0
    result.size = head_size
    algorithm = meta.hash_algorithm if meta is not None else ""
    result.hash_algorithm = algorithm
    if meta is None and (head_size or LedgerEntry.objects.exists()):
        failures.append(
            Failure("meta", "ledger meta", "账本参数（哈希算法）缺失。", "Ledger meta row is missing.")
        )
    if algorithm and algorithm not in merkle.ALGORITHMS:
        failures.append(
            Failure(
                "meta", "ledger meta", f"未知哈希算法 {algorithm}。", f"Unknown hash algorithm {algorithm}."
            )
        )
    return algorithm, head_size


def _fold(stack: list[bytes], digest: Any) -> bytes:
    """The root of the tree whose complete subtrees (largest first) are ``stack``."""
    if not stack:
        return bytes(digest(b""))
    h = stack[-1]
    for left in reversed(stack[:-1]):
        h = digest(merkle.NODE_PREFIX + left + h)
    return bytes(h)


def _columns_disagreeing(seqs: list[int], algorithm: str) -> list[int]:
    """Of entries whose leaf the template did not rebuild, those whose columns ``leaf_text`` also disagrees with.

    The template is only the fast path; ``leaf_text`` (what ``record_append`` writes) decides, so an entry is
    never reported because the template and the canonical JSON differ in some corner of formatting.
    """
    disagreeing = []
    for start in range(0, len(seqs), 500):
        for row in LedgerEntry.objects.filter(seq__in=seqs[start : start + 500]).values_list(*ENTRY_FIELDS):
            (seq, at, occurred_at, actor_id, actor_username, officer_id, officer_name, action, object_type,
             object_id, place, _changes, digest, leaf_data, _leaf_hash) = row  # fmt: skip
            try:
                expected = leaf_text(
                    seq=seq,
                    at=at,
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
            except (TypeError, ValueError):  # a column no append could have written (a naive datetime …)
                expected = None
            if expected != leaf_data:
                disagreeing.append(seq)
    return sorted(disagreeing)


def _node_failure(seq: int, level: int, index: int) -> Failure:
    return _entry_failure(
        seq,
        f"处的默克尔树节点（层 {level}，位置 {index}）缺失或不符。",
        f"Merkle node (level {level}, index {index}) is missing or wrong.",
    )


def _verify_entries(
    result: VerificationResult,
    batches: Iterable[list[tuple[Any, ...]]],
    algorithm: str,
    stack: list[bytes],
    size: int,
    wanted_sizes: set[int],
    roots: dict[int, bytes],
) -> tuple[int, bool]:
    """Check a stream of raw entry rows that should start at ``seq == size`` on top of the tree ``stack``.

    ``stack`` holds the hashes of the complete subtrees of the first ``size`` leaves, largest first (one per
    set bit of ``size``); it is extended in place.  Per entry: the changes digest, the leaf hash of the stored
    leaf bytes, the columns against the leaf, the node rows that complete.  Returns the size reached and
    whether the seqs ran without a gap (after a gap the tree no longer lines up with the stored nodes).
    """
    digest = merkle.digest_function(algorithm)
    leaf_prefix, node_prefix = merkle.LEAF_PREFIX, merkle.NODE_PREFIX
    node_bytes = 1 + 2 * merkle.digest_size(algorithm)
    failures = result.failures
    structure_ok = True
    hashed = checked = nodes = 0
    for rows in batches:
        stored = _stored_nodes(size, size + len(rows)) if structure_ok else {}
        problems: list[tuple[int, int, Failure]] = []  # (seq, step, failure): sorted per batch
        suspects: list[int] = []
        for seq, changes, digest_hex, leaf_data, stored_leaf, columns_match in rows:
            checked += 1
            if structure_ok and seq != size:
                problems.append(
                    (
                        size,
                        0,
                        _entry_failure(size, "缺失（序号不连续）。", f"missing (next stored seq is {seq})."),
                    )
                )
                structure_ok = False
            changes_bytes = changes.encode()
            if digest(changes_bytes).hex() != digest_hex:
                problems.append(
                    (
                        seq,
                        1,
                        _entry_failure(seq, "的变更内容与摘要不符。", "changes do not match their digest."),
                    )
                )
            if not columns_match:
                suspects.append(seq)
            leaf_bytes = leaf_data.encode()
            h = digest(leaf_prefix + leaf_bytes)
            hashed += len(changes_bytes) + len(leaf_bytes) + 1
            if h != stored_leaf:
                problems.append(
                    (seq, 3, _entry_failure(seq, "的叶子哈希不符。", "leaf hash does not match."))
                )
            if not structure_ok:
                continue
            if stored.get(size << 6) != h:
                problems.append((seq, 4, _node_failure(seq, 0, size)))
            index, level = size, 0
            size += 1
            while index & 1:
                h = digest(node_prefix + stack.pop() + h)
                index >>= 1
                level += 1
                if stored.get(index << 6 | level) != h:
                    problems.append((seq, 4, _node_failure(seq, level, index)))
            nodes += level + 1
            hashed += level * node_bytes
            stack.append(h)
            if size in wanted_sizes:
                roots[size] = _fold(stack, digest)
        for seq in _columns_disagreeing(suspects, algorithm) if suspects else ():
            problems.append(
                (
                    seq,
                    2,
                    _entry_failure(
                        seq, "的字段与叶子数据不符。", "stored fields do not match the leaf data."
                    ),
                )
            )
        problems.sort(key=lambda p: (p[0], p[1]))
        failures.extend(p[2] for p in problems)
    result.entries_checked += checked
    result.nodes_checked += nodes
    result.bytes_hashed += hashed
    return size, structure_ok


def _signed_head_snapshot() -> int:
    """The newest signed head's id now: a run checks the heads that existed when it started."""
    return SignedTreeHead.objects.order_by("-id").values_list("id", flat=True).first() or 0


def verify_ledger(
    *,
    chunk_size: int = DEFAULT_CHUNK,
    include_evidence: bool = True,
    witnessed: Sequence[tuple[int, bytes]] = (),
) -> VerificationResult:
    """Recompute and check the whole ledger; the result lists every failure, the first one first.

    ``witnessed``: (tree size, root) of heads a witness holds (``zhifa.records.witness``): the log must be at
    least as long as each, and its recomputed root at that size must equal the witnessed root.
    """
    started = time.perf_counter()
    result = VerificationResult()
    failures = result.failures
    algorithm, head_size = _meta_failures(result)
    if failures:
        result.duration_s = time.perf_counter() - started
        return result

    # Verification runs beside live appends and signing: it checks the log as of its start (the head's size
    # then, the signed heads that existed then) and leaves what arrives meanwhile to the next run.
    last_head_id = _signed_head_snapshot()
    result.last_signed_head_id = last_head_id
    wanted_sizes = set(
        SignedTreeHead.objects.filter(id__lte=last_head_id).values_list("tree_size", flat=True).distinct()
    )
    wanted_sizes |= {size for size, _ in witnessed}
    algorithm = algorithm or "sm3"
    stack: list[bytes] = []
    roots: dict[int, bytes] = {0: _fold(stack, merkle.digest_function(algorithm))}
    size, structure_ok = _verify_entries(
        result, _entry_chunks(chunk_size, head_size), algorithm, stack, 0, wanted_sizes, roots
    )
    if structure_ok and size < head_size:
        failures.append(
            _entry_failure(size, "缺失（账本头记有更多记录）。", f"missing (the head says {head_size}).")
        )
    if structure_ok and size == head_size:
        result.root = _fold(stack, merkle.digest_function(algorithm))
    failures.extend(_rows_beyond_the_head(head_size, check_nodes=structure_ok))
    _check_signed_heads(result, roots, size if structure_ok else -1, result.hash_algorithm, last_head_id)
    if witnessed:
        _check_witnessed(result, roots, size if structure_ok else -1, witnessed)
    if include_evidence:
        failures.extend(_evidence_failures(result))
    result.duration_s = time.perf_counter() - started
    return result


def verify_ledger_since(
    checkpoint_size: int,
    checkpoint_root: bytes,
    *,
    signed_head_id: int = 0,
    chunk_size: int = DEFAULT_CHUNK,
) -> VerificationResult:
    """Incremental verification (增量校验): the entries after a verified checkpoint, and the new signed heads.

    The checkpoint is (size, root) of a log a previous run verified.  The stored nodes of the checkpoint's
    complete subtrees (≤ log2 n rows) must fold to its root, which ties the tree from then on to what was
    verified; the entries ``seq >= checkpoint_size`` are then checked exactly as the full run checks them, on
    top of those subtrees.  Signed heads newer than ``signed_head_id`` are checked (signature, trusted key)
    against the recomputed root at their size, or, for a head older than the checkpoint's size, by a
    consistency proof from the stored nodes to the checkpoint.  What this does not look at — the entries
    below the checkpoint, evidence files — the daily full run (:func:`verify_ledger`) does.
    """
    started = time.perf_counter()
    result = VerificationResult()
    failures = result.failures
    algorithm, head_size = _meta_failures(result)
    if failures:
        result.duration_s = time.perf_counter() - started
        return result
    algorithm = algorithm or "sm3"
    digest = merkle.digest_function(algorithm)
    last_head_id = _signed_head_snapshot()
    result.last_signed_head_id = max(last_head_id, signed_head_id)
    ref = f"checkpoint {checkpoint_size}"
    if head_size < checkpoint_size:
        failures.append(
            Failure(
                "checkpoint",
                ref,
                f"账本只有 {head_size} 条记录，少于已校验的检查点（{checkpoint_size} 条）：记录被删除或回滚。",
                f"the log has {head_size} entries, fewer than the verified checkpoint of {checkpoint_size}:"
                " entries deleted or rolled back.",
            )
        )
        result.duration_s = time.perf_counter() - started
        return result
    keys = [(lv, (checkpoint_size >> lv) - 1) for lv in reversed(range(checkpoint_size.bit_length()))
            if checkpoint_size >> lv & 1]  # fmt: skip
    frontier = fetch_nodes(keys)
    stack = [frontier.get(key, b"") for key in keys]
    if _fold(stack, digest) != checkpoint_root:
        failures.append(
            Failure(
                "checkpoint",
                ref,
                f"前 {checkpoint_size} 条记录的默克尔树节点与已校验检查点的根哈希不符：节点被改写。",
                f"the stored nodes of the first {checkpoint_size} entries do not fold to the verified"
                " checkpoint's root: nodes were rewritten.",
            )
        )
        result.duration_s = time.perf_counter() - started
        return result
    heads = list(
        SignedTreeHead.objects.filter(id__gt=signed_head_id, id__lte=last_head_id).values_list(
            "id", "tree_size", "root"
        )
    )
    wanted_sizes = {tree_size for _, tree_size, _ in heads if tree_size >= checkpoint_size}
    roots: dict[int, bytes] = {checkpoint_size: checkpoint_root}
    size, structure_ok = _verify_entries(
        result,
        _entry_chunks(chunk_size, head_size, checkpoint_size - 1),
        algorithm,
        stack,
        checkpoint_size,
        wanted_sizes,
        roots,
    )
    if structure_ok and size < head_size:
        failures.append(
            _entry_failure(size, "缺失（账本头记有更多记录）。", f"missing (the head says {head_size}).")
        )
    if structure_ok and size == head_size:
        result.root = _fold(stack, digest)
    failures.extend(_rows_beyond_the_head(head_size, check_nodes=structure_ok))
    # Heads older than the checkpoint (a clock or a key restored from backup): a consistency proof.
    for _head_id, tree_size, root in heads:
        if tree_size < checkpoint_size:
            proof = ledger_consistency_proof(tree_size, checkpoint_size).proof
            if merkle.verify_consistency(
                tree_size, checkpoint_size, bytes(root), checkpoint_root, proof, algorithm
            ):
                roots[tree_size] = bytes(root)
    _check_signed_heads(
        result,
        roots,
        size if structure_ok else -1,
        result.hash_algorithm,
        last_head_id,
        after_id=signed_head_id,
    )
    result.duration_s = time.perf_counter() - started
    return result


def _rows_beyond_the_head(head_size: int, *, check_nodes: bool) -> list[Failure]:
    """Entries or nodes beyond the head's size that no concurrent append explains.

    An append commits its entry, its nodes and the new head size together, so a row seen beyond the size read
    at the start is legitimate only if the head, read *after* the row was seen, covers it.
    """
    # a sample for the report (five stray rows prove the point); the check fails on the first
    extra_rows = list(
        LedgerEntry.objects.filter(seq__gte=head_size).order_by("seq").values_list("seq", flat=True)[:5]
    )
    extra_nodes = _nodes_beyond(head_size) if check_nodes else []
    now = LedgerHead.objects.filter(pk=1).values_list("size", flat=True).first() or 0
    failures = [
        _entry_failure(seq, "超出账本头记录数，不在树中。", "lies beyond the head's size (not in the tree).")
        for seq in extra_rows
        if seq >= now
    ][:1]
    stray = [(level, index) for level, index in extra_nodes if (index + 1) << level > now]
    if stray:
        failures.append(
            Failure(
                "node",
                f"node {stray[0]}",
                f"存在超出账本范围的默克尔树节点：{stray}",
                f"Merkle nodes beyond the log's size: {stray}",
            )
        )
    return failures


def _check_signed_heads(
    result: VerificationResult,
    roots: dict[int, bytes],
    size: int,
    algorithm: str,
    last_head_id: int,
    *,
    after_id: int = 0,
) -> None:
    trusted = signing.trusted_public_keys() if SignedTreeHead.objects.exists() else set()
    heads = (
        SignedTreeHead.objects.filter(id__gt=after_id, id__lte=last_head_id)
        .order_by("id")
        .values_list(
            "id",
            "tree_size",
            "root",
            "signed_at",
            "hash_algorithm",
            "signature_algorithm",
            "public_key",
            "signature",
        )
    )
    for (
        head_id,
        tree_size,
        root,
        signed_at,
        hash_algorithm,
        sig_algorithm,
        public_key,
        signature,
    ) in heads.iterator(chunk_size=DEFAULT_CHUNK):
        result.signed_heads_checked += 1
        ref = f"signed head {head_id}"

        def fail(zh: str, en: str, ref: str = ref, head_id: int = head_id, size: int = tree_size) -> None:
            result.failures.append(
                Failure(
                    "signed_head", ref, f"签名树头 {head_id}（大小 {size}）{zh}", f"{ref} (size {size}): {en}"
                )
            )

        message = signing.tree_head_message(tree_size, bytes(root), signed_at, hash_algorithm)
        if sig_algorithm != signing.SIGNATURE_ALGORITHM or not signing.signature_valid(
            bytes(public_key), bytes(signature), message
        ):
            fail("的签名无效。", "signature does not verify.")
        elif bytes(public_key) not in trusted:
            fail("由不受信任的公钥签名。", "signed by a key that is not trusted.")
        if hash_algorithm != algorithm and tree_size:
            fail("的哈希算法与账本不符。", "hash algorithm differs from the ledger's.")
        elif size < 0:
            continue  # the entries already failed; roots cannot be recomputed
        elif tree_size > size:
            fail("超出账本现有记录数。", f"is larger than the log ({size} entries).")
        elif roots.get(tree_size) != bytes(root):
            fail("的根哈希与重算结果不符。", "root differs from the recomputed tree.")


def _check_witnessed(
    result: VerificationResult, roots: dict[int, bytes], size: int, witnessed: Sequence[tuple[int, bytes]]
) -> None:
    """The local log against heads held outside its database: never shorter, never another root."""
    result.witnessed_checked = 0
    for tree_size, root in sorted(set(witnessed)):
        result.witnessed_checked += 1
        ref = f"witnessed head {tree_size}"
        if size < 0:
            return  # the entries already failed; roots cannot be recomputed
        if tree_size > size:
            result.failures.append(
                Failure(
                    "witness",
                    ref,
                    f"本地账本只有 {size} 条记录，短于见证的签名树头（{tree_size} 条）：记录被删除、截短或回滚。",
                    f"the local log has {size} entries, fewer than the witnessed head of {tree_size}:"
                    " entries deleted, truncated or rolled back.",
                )
            )
        elif roots.get(tree_size) != root:
            result.failures.append(
                Failure(
                    "witness",
                    ref,
                    f"本地账本前 {tree_size} 条记录的根哈希与见证的签名树头不符：账本被改写。",
                    f"the root of the first {tree_size} entries differs from the witnessed head: the log was"
                    " rewritten.",
                )
            )
