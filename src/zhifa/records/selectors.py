"""Reads of the full-process record: size, roots and proofs in O(log n) rows, signed heads, the public key.

The ledger is one platform-wide log, so these selectors take no data scope: what they reveal (hashes,
sizes, sequence numbers) says nothing about any case.  Selectors that return entries' contents (a case's
timeline) belong with the pages that show them and must take the caller's scope.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.db import connection

from zhifa.core.errors import InvalidInput, NotFound
from zhifa.records import merkle, signing
from zhifa.records.ledger import configured_algorithm, fetch_nodes, node_key
from zhifa.records.models import LedgerHead, LedgerMeta, LedgerPending, SignedTreeHead


@dataclass(frozen=True)
class InclusionProof:
    seq: int
    leaf_data: bytes
    leaf_hash: bytes
    tree_size: int
    root: bytes
    proof: list[bytes]
    algorithm: str


@dataclass(frozen=True)
class ConsistencyProof:
    old_size: int
    new_size: int
    old_root: bytes
    new_root: bytes
    proof: list[bytes]
    algorithm: str


def ledger_size() -> int:
    """Number of committed entries."""
    head = LedgerHead.objects.filter(pk=1).only("size").first()
    return head.size if head is not None else 0


def ledger_pending_count() -> int:
    """Entries committed but not yet sequenced (待排序记录): a few for milliseconds under concurrent writers."""
    return LedgerPending.objects.count()


def ledger_algorithm() -> str:
    """The hash algorithm fixed at the first entry (the configured one while the ledger is empty)."""
    meta = LedgerMeta.objects.filter(pk=1).first()
    return meta.hash_algorithm if meta is not None else configured_algorithm()


def _check_size(tree_size: object, current: int, name: str = "size") -> int:
    if not isinstance(tree_size, int) or isinstance(tree_size, bool) or not 0 <= tree_size <= current:
        raise InvalidInput(
            f"树大小 {tree_size} 无效：账本当前有 {current} 条记录。",
            f"Invalid {name} {tree_size}: the ledger has {current} entries.",
            code="ledger_bad_size",
        )
    return tree_size


def _stored_hashes(ranges: list[tuple[int, int]]) -> Callable[[int, int], bytes]:
    """One query for every aligned block of ``ranges``; returns an ``aligned_hash`` callback over them."""
    keys = {node_key(s, e) for start, end in ranges for s, e in merkle.aligned_subtrees(start, end)}
    found = fetch_nodes(keys)

    def aligned_hash(start: int, end: int) -> bytes:
        key = node_key(start, end)
        if key not in found:
            raise RuntimeError(f"ledger node {key} is missing; run `zhifa ledger verify`")
        return found[key]

    return aligned_hash


def _with_stored_nodes(compute: Callable[[Callable[[int, int], bytes]], object], algorithm: str) -> object:
    """Run a merkle ``*_from`` function twice: once to learn which ranges it needs, then on one query's rows.

    The ranges a proof asks for depend only on the sizes and the index, never on the hashes returned.
    """
    wanted: list[tuple[int, int]] = []
    dummy = bytes(merkle.digest_size(algorithm))

    def record(start: int, end: int) -> bytes:
        wanted.append((start, end))
        return dummy

    compute(record)
    aligned = _stored_hashes(wanted)
    return compute(lambda start, end: merkle.range_hash_from(aligned, start, end, algorithm))


def ledger_root(tree_size: int | None = None) -> bytes:
    """Merkle root of the first ``tree_size`` entries (default: all); at most log2(n) + 1 node rows read."""
    algorithm = ledger_algorithm()
    current = ledger_size()
    size = _check_size(current if tree_size is None else tree_size, current)
    result = _with_stored_nodes(lambda sub: merkle.root_from(sub, size, algorithm), algorithm)
    assert isinstance(result, bytes)
    return result


def _proof_context(seq: int) -> tuple[int, str, str | None, bytes | None]:
    """Size, algorithm and the entry's leaf in one query (a proof must cost two queries in all)."""
    if not 0 <= seq < 2**63:
        seq = -1  # never stored: reported as an unknown entry
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT h.size, m.hash_algorithm, e.leaf_data, e.leaf_hash FROM records_ledgerhead h"
            " LEFT JOIN records_ledgermeta m ON m.id = 1 LEFT JOIN records_ledgerentry e ON e.seq = %s"
            " WHERE h.id = 1",
            [seq],
        )
        row = cursor.fetchone()
    if row is None:
        return 0, configured_algorithm(), None, None
    size, algorithm, leaf_data, leaf_hash = row
    return (
        size,
        algorithm or configured_algorithm(),
        leaf_data,
        None if leaf_hash is None else bytes(leaf_hash),
    )


def ledger_inclusion_proof(seq: int, tree_size: int | None = None) -> InclusionProof:
    """RFC 6962 audit path of entry ``seq`` in the tree of ``tree_size`` entries (default: all)."""
    current, algorithm, leaf_data, leaf_hash = _proof_context(seq)
    size = _check_size(current if tree_size is None else tree_size, current)
    if leaf_data is None or leaf_hash is None:
        raise NotFound(
            f"账本中没有第 {seq} 号记录。", f"No ledger entry with seq {seq}.", code="ledger_no_entry"
        )
    if seq >= size:
        raise InvalidInput(
            f"第 {seq} 号记录不在前 {size} 条记录构成的树中。",
            f"Entry {seq} is not in the tree of the first {size} entries.",
            code="ledger_bad_size",
        )
    both: dict[str, object] = {}

    def compute(sub: Callable[[int, int], bytes]) -> object:
        both["proof"] = merkle.inclusion_proof_from(sub, seq, size, algorithm)
        both["root"] = merkle.root_from(sub, size, algorithm)
        return both

    _with_stored_nodes(compute, algorithm)
    return InclusionProof(
        seq=seq,
        leaf_data=leaf_data.encode("utf-8"),
        leaf_hash=leaf_hash,
        tree_size=size,
        root=both["root"],  # type: ignore[arg-type]
        proof=both["proof"],  # type: ignore[arg-type]
        algorithm=algorithm,
    )


def ledger_consistency_proof(old_size: int, new_size: int | None = None) -> ConsistencyProof:
    """RFC 6962 proof that the first ``old_size`` entries are a prefix of the first ``new_size``."""
    current = ledger_size()
    new = _check_size(current if new_size is None else new_size, current, "new size")
    old = _check_size(old_size, new, "old size")
    algorithm = ledger_algorithm()
    both: dict[str, object] = {}

    def compute(sub: Callable[[int, int], bytes]) -> object:
        both["proof"] = merkle.consistency_proof_from(sub, old, new, algorithm)
        both["old_root"] = merkle.root_from(sub, old, algorithm)
        both["new_root"] = merkle.root_from(sub, new, algorithm)
        return both

    _with_stored_nodes(compute, algorithm)
    return ConsistencyProof(
        old_size=old,
        new_size=new,
        old_root=both["old_root"],  # type: ignore[arg-type]
        new_root=both["new_root"],  # type: ignore[arg-type]
        proof=both["proof"],  # type: ignore[arg-type]
        algorithm=algorithm,
    )


def latest_signed_head(tree_size: int | None = None) -> SignedTreeHead | None:
    """The newest signed head (of exactly ``tree_size`` entries when given)."""
    heads = SignedTreeHead.objects.order_by("-id")
    if tree_size is not None:
        heads = heads.filter(tree_size=tree_size)
    return heads.first()


def ledger_public_key_pem() -> str:
    """The published public key (PEM) that verifies signed tree heads."""
    return signing.load_signing_key().public_key_pem
