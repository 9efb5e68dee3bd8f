"""Full verification of the ledger (账本校验): recompute everything from the stored rows.

Streams the entries in ``seq`` order in keyset chunks (never the whole table in memory) and, for each entry,
recomputes the changes digest from the stored canonical changes, the leaf data from the stored fields and the
leaf hash; rebuilds the tree as it goes (a stack of at most log2(n) subtree hashes) and compares every stored
node row with it; checks that ``seq`` runs 0..n-1 without a gap and that the head's size is n; checks every
signed tree head's signature with a trusted public key and its root against the recomputed tree; and calls
the evidence app's ``zhifa.evidence.verify.verify_all()`` when that app is installed.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q

from zhifa.records import hooks, merkle, signing
from zhifa.records.ledger import leaf_text
from zhifa.records.models import LedgerEntry, LedgerHead, LedgerMeta, LedgerNode, SignedTreeHead

DEFAULT_CHUNK = 2000
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

    @property
    def ok(self) -> bool:
        return not self.failures

    @property
    def first_failure(self) -> Failure | None:
        return self.failures[0] if self.failures else None


def _entry_chunks(chunk_size: int, limit: int) -> Iterator[list[tuple[Any, ...]]]:
    """Entries with ``seq < limit`` in seq order, ``chunk_size`` rows per query (keyset pagination)."""
    after = -1
    while True:
        rows = list(
            LedgerEntry.objects.filter(seq__gt=after, seq__lt=limit)
            .order_by("seq")
            .values_list(*ENTRY_FIELDS)[:chunk_size]
        )
        if not rows:
            return
        yield rows
        after = rows[-1][0]


def _stored_nodes(first_size: int, last_size: int) -> dict[tuple[int, int], bytes]:
    """Stored nodes that complete when the tree grows from ``first_size`` to ``last_size`` leaves."""
    condition = Q()
    level = 0
    while (1 << level) <= last_size:
        low, high = first_size >> level, (last_size >> level) - 1
        if low <= high:
            condition |= Q(level=level, index__gte=low, index__lte=high)
        level += 1
    if not condition:
        return {}
    return {
        (lv, ix): bytes(h)
        for lv, ix, h in LedgerNode.objects.filter(condition).values_list("level", "index", "hash")
    }


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
    if failures:
        result.duration_s = time.perf_counter() - started
        return result

    # Verification runs beside live appends and signing: it checks the log as of its start (the head's size
    # then, the signed heads that existed then) and leaves what arrives meanwhile to the next run.
    last_head_id = SignedTreeHead.objects.order_by("-id").values_list("id", flat=True).first() or 0
    wanted_sizes = set(
        SignedTreeHead.objects.filter(id__lte=last_head_id).values_list("tree_size", flat=True).distinct()
    )
    wanted_sizes |= {size for size, _ in witnessed}
    roots: dict[int, bytes] = {}
    tree = _Tree(algorithm or "sm3")
    if 0 in wanted_sizes:
        roots[0] = tree.root()
    hash_bytes, leaf_hash = merkle.hash_bytes, merkle.leaf_hash
    structure_ok = True  # after a gap the recomputed tree no longer lines up with the stored nodes
    hashed = 0
    for rows in _entry_chunks(chunk_size, head_size):
        first_size = tree.size
        stored = _stored_nodes(first_size, first_size + len(rows)) if structure_ok else {}
        for row in rows:
            (seq, at, occurred_at, actor_id, actor_username, officer_id, officer_name, action, object_type,
             object_id, place, changes, digest, leaf_data, stored_leaf_hash) = row  # fmt: skip
            result.entries_checked += 1
            if structure_ok and seq != tree.size:
                failures.append(
                    _entry_failure(tree.size, "缺失（序号不连续）。", f"missing (next stored seq is {seq}).")
                )
                structure_ok = False
            changes_bytes = changes.encode("utf-8")
            hashed += len(changes_bytes)
            if hash_bytes(changes_bytes, algorithm).hex() != digest:
                failures.append(
                    _entry_failure(seq, "的变更内容与摘要不符。", "changes do not match their digest.")
                )
            expected_leaf = leaf_text(
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
            if expected_leaf != leaf_data:
                failures.append(
                    _entry_failure(seq, "的字段与叶子数据不符。", "stored fields do not match the leaf data.")
                )
            leaf_bytes = expected_leaf.encode("utf-8")
            hashed += len(leaf_bytes) + 1
            computed_leaf = leaf_hash(leaf_bytes, algorithm)
            if computed_leaf != bytes(stored_leaf_hash):
                failures.append(_entry_failure(seq, "的叶子哈希不符。", "leaf hash does not match."))
            if not structure_ok:
                continue
            for level, index, h in tree.add(computed_leaf):
                if level:
                    hashed += 1 + 2 * len(h)
                result.nodes_checked += 1
                if stored.pop((level, index), None) != h:
                    failures.append(
                        _entry_failure(
                            seq,
                            f"处的默克尔树节点（层 {level}，位置 {index}）缺失或不符。",
                            f"Merkle node (level {level}, index {index}) is missing or wrong.",
                        )
                    )
            if tree.size in wanted_sizes:
                roots[tree.size] = tree.root()
    result.bytes_hashed = hashed

    if structure_ok and tree.size < head_size:
        failures.append(
            _entry_failure(tree.size, "缺失（账本头记有更多记录）。", f"missing (the head says {head_size}).")
        )
    failures.extend(_rows_beyond_the_head(head_size, check_nodes=structure_ok))
    _check_signed_heads(result, roots, tree.size if structure_ok else -1, algorithm, last_head_id)
    if witnessed:
        _check_witnessed(result, roots, tree.size if structure_ok else -1, witnessed)
    if include_evidence:
        failures.extend(_evidence_failures(result))
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
    result: VerificationResult, roots: dict[int, bytes], size: int, algorithm: str, last_head_id: int
) -> None:
    trusted = signing.trusted_public_keys() if SignedTreeHead.objects.exists() else set()
    heads = (
        SignedTreeHead.objects.filter(id__lte=last_head_id)
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
