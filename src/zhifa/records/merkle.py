"""Merkle hash trees as defined by RFC 6962 §2.1, with RFC 9162 proof verification.

This module is pure Python and deliberately has no Django imports, so the same
code can be used by the database-backed log, by offline verifiers and by tests.

Definitions (RFC 6962 §2.1)
---------------------------
For a list of leaf data ``D[n] = {d(0), ..., d(n-1)}`` and a hash function ``H``::

    MTH({})       = H(b"")                                  # the empty tree
    MTH({d(0)})   = H(0x00 || d(0))                         # leaf_hash()
    MTH(D[n])     = H(0x01 || MTH(D[0:k]) || MTH(D[k:n]))   # node_hash()

where ``k`` is the largest power of two strictly smaller than ``n``
(:func:`largest_power_of_two_below`).  The split is *not* the midpoint; a
tree built with any other split is internally consistent but interoperates
with nobody.

* ``PATH(m, D[n])`` (§2.1.1) is the audit path for leaf ``m`` —
  :func:`inclusion_proof`.
* ``PROOF(m, D[n])`` / ``SUBPROOF`` (§2.1.2) proves that the tree of the first
  ``m`` leaves is a prefix of the tree of ``n`` leaves —
  :func:`consistency_proof`.

Proofs are checked with the verification algorithms of RFC 9162 §2.1.3.2
(:func:`verify_inclusion`) and §2.1.4.2 (:func:`verify_consistency`).  The
verifiers never raise on untrusted input: a wrong index, a size out of range,
a proof of the wrong length, hashes of the wrong size or values of the wrong
type all make them return ``False``.  An unknown ``algorithm`` is a
programming error and raises :class:`ValueError` everywhere.

Hash algorithms
---------------
``algorithm`` is ``"sm3"`` (GB/T 32905, the default, via ``hashlib.new("sm3")``)
or ``"sha256"`` (the algorithm of the RFC test vectors).  Both produce 32-byte
digests.  Anything else raises :class:`ValueError`.

Storing a large log in a database
---------------------------------
The proof functions :func:`inclusion_proof_from`, :func:`consistency_proof_from`
and :func:`root_from` never see the leaves: they ask a callback
``subtree_hash(start, end)`` for ``MTH(D[start:end])``.  The list-based
functions (:func:`inclusion_proof`, :func:`consistency_proof`) are thin
wrappers that pass a memoised in-memory callback.

A database-backed log stores, for every *complete aligned* subtree, one row
``(start, end, hash)`` where ``end - start == 2**j`` and ``start`` is a
multiple of ``2**j``.  There are fewer than ``2 n`` such subtrees in a log of
``n`` leaves, and each is immutable once complete: when the leaf with index
``n - 1`` is appended, exactly the blocks listed by
:func:`completed_subtrees` ``(n)`` become complete (smallest first), and each
one's hash is ``node_hash(hash of left half, hash of right half)``, two rows
that already exist.

Every range ``[start, end)`` that the RFC recursion asks for (every node of the
tree) has the property that ``start`` is a multiple of the smallest power of
two ``>= end - start`` (:func:`is_rfc_subtree_range`).  Such a range splits into
at most ``log2(n) + 1`` stored blocks — :func:`aligned_subtrees`, the binary
decomposition of its size, largest block first — and its hash is obtained by
folding those block hashes *right to left* with :func:`combine_range`::

    h = blocks[-1]
    for b in reversed(blocks[:-1]):
        h = node_hash(b, h)

(For such a range the first block is exactly the RFC's left child ``D[0:k]``,
and the rest is again such a range, so the right fold is the RFC definition.
For a range that the recursion never asks for, e.g. ``[1, 4)``, it is not, and
a left fold is wrong for any range of three or more blocks.)
:func:`range_hash_from` does this for a callback that reads one stored block.

Cost: an inclusion or consistency proof has at most ``ceil(log2 n)`` hashes.
All of them are complete aligned subtrees (one stored row each) except at most
one: the sibling where the path leaves the right edge of the tree, which is a
suffix ``[x, n)`` made of at most ``log2 n`` stored blocks.  A proof for a log
of ten million entries therefore needs at most about 2 x 24 row reads, which a
caller can fetch in one query by collecting :func:`aligned_subtrees` first.
"""

from __future__ import annotations

import functools
import hashlib
import hmac
from collections.abc import Callable, Sequence

__all__ = [
    "ALGORITHMS",
    "LEAF_PREFIX",
    "NODE_PREFIX",
    "AlignedHash",
    "SubtreeHash",
    "aligned_subtrees",
    "combine_range",
    "completed_subtrees",
    "consistency_proof",
    "consistency_proof_from",
    "digest_function",
    "digest_size",
    "hash_bytes",
    "inclusion_proof",
    "inclusion_proof_from",
    "is_rfc_subtree_range",
    "largest_power_of_two_below",
    "leaf_hash",
    "node_hash",
    "range_hash_from",
    "root",
    "root_from",
    "verify_consistency",
    "verify_inclusion",
]

ALGORITHMS: tuple[str, ...] = ("sm3", "sha256")

#: Domain separation prefixes of RFC 6962 §2.1 (second-preimage resistance).
LEAF_PREFIX = b"\x00"
NODE_PREFIX = b"\x01"

#: ``subtree_hash(start, end) -> MTH(D[start:end])`` for any range the RFC recursion uses.
SubtreeHash = Callable[[int, int], bytes]
#: ``aligned_hash(start, end) -> MTH(D[start:end])`` for one complete aligned power-of-two block.
AlignedHash = Callable[[int, int], bytes]

_Digest = Callable[[bytes], bytes]
_BytesLike = (bytes, bytearray, memoryview)


# ---------------------------------------------------------------------------
# Hashing
# ---------------------------------------------------------------------------


@functools.cache
def _make_digest(algorithm: str) -> _Digest:
    if algorithm == "sha256":
        sha256 = hashlib.sha256

        def digest_sha256(data: bytes) -> bytes:
            return sha256(data).digest()

        return digest_sha256

    # Copying a fresh prototype is markedly faster than hashlib.new() per call.
    prototype = hashlib.new("sm3")

    def digest_sm3(data: bytes) -> bytes:
        h = prototype.copy()
        h.update(data)
        return h.digest()

    return digest_sm3


def _digest(algorithm: str) -> _Digest:
    if not isinstance(algorithm, str) or algorithm not in ALGORITHMS:
        raise ValueError(f"unsupported Merkle hash algorithm {algorithm!r}; expected one of {ALGORITHMS}")
    return _make_digest(algorithm)


def digest_function(algorithm: str) -> _Digest:
    """The function ``data -> H(data)`` for ``algorithm``: for loops that hash millions of messages."""
    return _digest(algorithm)


def hash_bytes(data: bytes, algorithm: str = "sm3") -> bytes:
    """Return ``H(data)`` for ``algorithm`` in :data:`ALGORITHMS`."""
    return _digest(algorithm)(data)


@functools.cache
def _digest_size(algorithm: str) -> int:
    return len(_make_digest(algorithm)(b""))


def digest_size(algorithm: str = "sm3") -> int:
    """Size in bytes of every hash (leaf, node, root, proof element) for ``algorithm``."""
    _digest(algorithm)
    return _digest_size(algorithm)


def leaf_hash(data: bytes, algorithm: str = "sm3") -> bytes:
    """``H(0x00 || data)``: the hash of a single leaf (RFC 6962 §2.1)."""
    return _digest(algorithm)(LEAF_PREFIX + data)


def node_hash(left: bytes, right: bytes, algorithm: str = "sm3") -> bytes:
    """``H(0x01 || left || right)``: the hash of an interior node (RFC 6962 §2.1)."""
    return _digest(algorithm)(NODE_PREFIX + left + right)


# ---------------------------------------------------------------------------
# Tree shape helpers
# ---------------------------------------------------------------------------


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _require_int(name: str, value: object) -> int:
    if not _is_int(value):
        raise ValueError(f"{name} must be an int, not {type(value).__name__}")
    return value  # type: ignore[return-value]


def largest_power_of_two_below(n: int) -> int:
    """The RFC 6962 split point: the largest power of two ``k`` with ``k < n <= 2k``.

    Defined for ``n >= 2`` only (a tree of 0 or 1 leaves is not split).
    """
    _require_int("n", n)
    if n < 2:
        raise ValueError(f"largest_power_of_two_below needs n >= 2, got {n}")
    return 1 << ((n - 1).bit_length() - 1)


def is_rfc_subtree_range(start: int, end: int) -> bool:
    """Whether ``[start, end)`` is a node of some RFC 6962 tree (of any size ``>= end``).

    True exactly when ``0 <= start < end`` and ``start`` is a multiple of the
    smallest power of two ``>= end - start``.  Every range that the recursions
    for MTH, PATH and PROOF ask for has this shape, and for these ranges
    :func:`combine_range` over :func:`aligned_subtrees` gives ``MTH(D[start:end])``.
    """
    if not (_is_int(start) and _is_int(end)) or not 0 <= start < end:
        return False
    span = 1 << (end - start - 1).bit_length()
    return start % span == 0


def aligned_subtrees(start: int, end: int) -> list[tuple[int, int]]:
    """Split ``[start, end)`` into maximal aligned power-of-two blocks, left to right.

    Each returned ``(s, e)`` has ``e - s == 2**j`` and ``s % 2**j == 0``; the
    blocks are contiguous and cover the range exactly.  A range of size ``n``
    yields at most ``2 * log2(n) + 2`` blocks, and a range with
    :func:`is_rfc_subtree_range` yields one block per set bit of its size,
    largest first.
    """
    _require_int("start", start)
    _require_int("end", end)
    if start < 0 or end < start:
        raise ValueError(f"invalid range [{start}, {end})")
    blocks: list[tuple[int, int]] = []
    while start < end:
        size = 1 << ((end - start).bit_length() - 1)  # largest power of two that fits
        if start:
            size = min(size, start & -start)  # largest alignment of start
        blocks.append((start, start + size))
        start += size
    return blocks


def completed_subtrees(tree_size: int) -> list[tuple[int, int]]:
    """Aligned blocks that become complete when the tree grows from ``tree_size - 1`` leaves.

    Returned smallest first, which is the order in which a database must compute
    them: ``(tree_size - 1, tree_size)`` is the new leaf itself, and each next
    block's hash is ``node_hash`` of its two halves, the right half being the
    block before it.  Over all sizes ``1..n`` every aligned block inside
    ``[0, n)`` is listed exactly once.
    """
    _require_int("tree_size", tree_size)
    if tree_size < 1:
        raise ValueError(f"tree_size must be >= 1, got {tree_size}")
    blocks: list[tuple[int, int]] = []
    size = 1
    while tree_size % size == 0:
        blocks.append((tree_size - size, tree_size))
        size <<= 1
    return blocks


def combine_range(hashes_of_aligned_blocks: Sequence[bytes], algorithm: str = "sm3") -> bytes:
    """Fold the hashes of a range's :func:`aligned_subtrees` into ``MTH`` of the range.

    The fold is right to left (``h = blocks[-1]; h = node(b, h)`` for the rest in
    reverse), which equals the RFC 6962 definition for ranges with
    :func:`is_rfc_subtree_range` — the only ranges a proof ever needs.  It is
    *not* a left fold.
    """
    digest = _digest(algorithm)
    if len(hashes_of_aligned_blocks) == 0:
        raise ValueError("combine_range needs at least one block hash")
    h = b"" + hashes_of_aligned_blocks[-1]
    for block in reversed(hashes_of_aligned_blocks[:-1]):
        h = digest(NODE_PREFIX + block + h)
    return h


def range_hash_from(aligned_hash: AlignedHash, start: int, end: int, algorithm: str = "sm3") -> bytes:
    """``MTH(D[start:end])`` from a callback returning the hash of one stored aligned block.

    ``[start, end)`` must satisfy :func:`is_rfc_subtree_range`; at most
    ``log2(end - start) + 1`` blocks are requested.
    """
    _digest(algorithm)
    if not is_rfc_subtree_range(start, end):
        raise ValueError(f"[{start}, {end}) is not a range of the RFC 6962 recursion")
    blocks = [aligned_hash(s, e) for s, e in aligned_subtrees(start, end)]
    return combine_range(blocks, algorithm)


# ---------------------------------------------------------------------------
# Proof generation from a subtree_hash callback (O(log n) callback calls)
# ---------------------------------------------------------------------------


def _checked_hash(value: object, size: int, start: int, end: int) -> bytes:
    if not isinstance(value, _BytesLike):
        raise ValueError(f"subtree_hash({start}, {end}) returned {type(value).__name__}, not bytes")
    result = bytes(value)
    if len(result) != size:
        raise ValueError(f"subtree_hash({start}, {end}) returned {len(result)} bytes, expected {size}")
    return result


def root_from(subtree_hash: SubtreeHash, tree_size: int, algorithm: str = "sm3") -> bytes:
    """``MTH(D[tree_size])`` from a ``subtree_hash`` callback (``H(b"")`` for the empty tree)."""
    digest = _digest(algorithm)
    _require_int("tree_size", tree_size)
    if tree_size < 0:
        raise ValueError(f"tree_size must be >= 0, got {tree_size}")
    if tree_size == 0:
        return digest(b"")
    return _checked_hash(subtree_hash(0, tree_size), _digest_size(algorithm), 0, tree_size)


def inclusion_proof_from(
    subtree_hash: SubtreeHash, index: int, tree_size: int, algorithm: str = "sm3"
) -> list[bytes]:
    """RFC 6962 ``PATH(index, D[tree_size])`` using ``subtree_hash(start, end)``.

    Makes at most ``ceil(log2(tree_size))`` callback calls, each for a range with
    :func:`is_rfc_subtree_range`.  Raises :class:`ValueError` unless
    ``0 <= index < tree_size``.
    """
    _digest(algorithm)
    size = _digest_size(algorithm)
    _require_int("index", index)
    _require_int("tree_size", tree_size)
    if not 0 <= index < tree_size:
        raise ValueError(f"leaf index {index} is outside a tree of {tree_size} leaves")

    # Walk from the root down to the leaf; the RFC lists siblings leaf-first.
    siblings: list[bytes] = []
    start, end = 0, tree_size
    while end - start > 1:
        k = largest_power_of_two_below(end - start)
        mid = start + k
        if index < mid:
            siblings.append(_checked_hash(subtree_hash(mid, end), size, mid, end))
            end = mid
        else:
            siblings.append(_checked_hash(subtree_hash(start, mid), size, start, mid))
            start = mid
    siblings.reverse()
    return siblings


def consistency_proof_from(
    subtree_hash: SubtreeHash, old_size: int, new_size: int, algorithm: str = "sm3"
) -> list[bytes]:
    """RFC 6962 ``PROOF(old_size, D[new_size])`` (via ``SUBPROOF``) using ``subtree_hash``.

    Returns ``[]`` when ``old_size`` is 0 or equal to ``new_size``.  Raises
    :class:`ValueError` unless ``0 <= old_size <= new_size``.
    """
    _digest(algorithm)
    size = _digest_size(algorithm)
    _require_int("old_size", old_size)
    _require_int("new_size", new_size)
    if old_size < 0 or new_size < 0:
        raise ValueError(f"tree sizes must be >= 0, got {old_size} and {new_size}")
    if old_size > new_size:
        raise ValueError(f"old size {old_size} is larger than new size {new_size}")
    if old_size in (0, new_size):
        return []

    # SUBPROOF(m, D[start:end], b), iteratively, collecting from the top down.
    nodes: list[bytes] = []
    start, end = 0, new_size
    whole_old_tree = True  # the RFC's ``b``: still on the old tree's left edge
    while old_size != end:  # ``m != n`` in the RFC's relative terms
        k = largest_power_of_two_below(end - start)
        mid = start + k
        if old_size <= mid:
            nodes.append(_checked_hash(subtree_hash(mid, end), size, mid, end))
            end = mid
        else:
            nodes.append(_checked_hash(subtree_hash(start, mid), size, start, mid))
            start = mid
            whole_old_tree = False
    if not whole_old_tree:
        nodes.append(_checked_hash(subtree_hash(start, end), size, start, end))
    nodes.reverse()
    return nodes


# ---------------------------------------------------------------------------
# In-memory trees
# ---------------------------------------------------------------------------


def _leaf_hashes(leaves: Sequence[bytes], digest: _Digest) -> list[bytes]:
    # ``prefix + d`` (not ``bytes(d)``) so that an int leaf raises instead of hashing zero bytes.
    return [digest(LEAF_PREFIX + d) for d in leaves]


def root(leaves: Sequence[bytes], algorithm: str = "sm3") -> bytes:
    """``MTH(D[n])`` of raw leaf data; ``H(b"")`` for an empty list.

    Computed bottom-up, level by level, promoting an unpaired last node
    unchanged to the next level.  That is the RFC split: the left ``k`` leaves
    (``k`` the largest power of two below ``n``) always pair up completely, and
    the leftover right part is carried up until it meets them.  No recursion, so
    the size of the tree is limited only by memory.
    """
    digest = _digest(algorithm)
    if len(leaves) == 0:
        return digest(b"")
    level = _leaf_hashes(leaves, digest)
    while len(level) > 1:
        paired = [digest(NODE_PREFIX + level[i] + level[i + 1]) for i in range(0, len(level) - 1, 2)]
        if len(level) % 2:
            paired.append(level[-1])
        level = paired
    return level[0]


class _InMemoryTree:
    """All complete aligned subtree hashes of a list of leaves, as a database would store them."""

    def __init__(self, leaves: Sequence[bytes], algorithm: str) -> None:
        digest = _digest(algorithm)
        self._algorithm = algorithm
        level = _leaf_hashes(leaves, digest)
        # levels[j][i] = MTH(D[i * 2**j : (i + 1) * 2**j]); only complete blocks.
        self._levels: list[list[bytes]] = [level]
        while len(level) > 1:
            level = [digest(NODE_PREFIX + level[i] + level[i + 1]) for i in range(0, len(level) - 1, 2)]
            self._levels.append(level)
        self._memo: dict[tuple[int, int], bytes] = {}

    def aligned_hash(self, start: int, end: int) -> bytes:
        j = (end - start).bit_length() - 1
        return self._levels[j][start >> j]

    def subtree_hash(self, start: int, end: int) -> bytes:
        key = (start, end)
        cached = self._memo.get(key)
        if cached is None:
            cached = range_hash_from(self.aligned_hash, start, end, self._algorithm)
            self._memo[key] = cached
        return cached


def inclusion_proof(leaves: Sequence[bytes], index: int, algorithm: str = "sm3") -> list[bytes]:
    """RFC 6962 ``PATH(index, D[n])`` for raw leaf data; raises :class:`ValueError` for a bad index."""
    _digest(algorithm)
    _require_int("index", index)
    if not 0 <= index < len(leaves):
        raise ValueError(f"leaf index {index} is outside a tree of {len(leaves)} leaves")
    tree = _InMemoryTree(leaves, algorithm)
    return inclusion_proof_from(tree.subtree_hash, index, len(leaves), algorithm)


def consistency_proof(leaves: Sequence[bytes], old_size: int, algorithm: str = "sm3") -> list[bytes]:
    """RFC 6962 ``PROOF(old_size, D[n])`` for raw leaf data, ``n = len(leaves)``.

    ``[]`` when ``old_size`` is 0 or ``n``; :class:`ValueError` when it is
    negative or larger than ``n``.
    """
    _digest(algorithm)
    _require_int("old_size", old_size)
    if not 0 <= old_size <= len(leaves):
        raise ValueError(f"old size {old_size} is outside 0..{len(leaves)}")
    if old_size in (0, len(leaves)):
        return []
    tree = _InMemoryTree(leaves, algorithm)
    return consistency_proof_from(tree.subtree_hash, old_size, len(leaves), algorithm)


# ---------------------------------------------------------------------------
# Verification (RFC 9162 §2.1.3.2 and §2.1.4.2); never raises on bad input
# ---------------------------------------------------------------------------


def _as_hash(value: object, size: int) -> bytes | None:
    if not isinstance(value, _BytesLike):
        return None
    result = bytes(value)
    return result if len(result) == size else None


def _as_hash_list(proof: object, size: int, max_len: int) -> list[bytes] | None:
    if isinstance(proof, (str, *_BytesLike)) or not isinstance(proof, Sequence):
        return None
    if len(proof) > max_len:
        return None
    hashes: list[bytes] = []
    for element in proof:
        h = _as_hash(element, size)
        if h is None:
            return None
        hashes.append(h)
    return hashes


def verify_inclusion(
    data: bytes,
    index: int,
    tree_size: int,
    proof: Sequence[bytes],
    root: bytes,
    algorithm: str = "sm3",
) -> bool:
    """Whether ``proof`` shows leaf ``data`` at ``index`` in the tree of ``tree_size`` with ``root``.

    RFC 9162 §2.1.3.2.  Returns ``False`` (never raises) for any malformed input;
    raises :class:`ValueError` only for an unknown ``algorithm``.

    The proof binds ``root`` and ``tree_size`` only as a pair: a neighbouring
    size whose tree has the same shape along the path may accept the same proof
    and root.  Take both from one signed tree head, never the size from elsewhere.
    """
    digest = _digest(algorithm)
    size = _digest_size(algorithm)
    if not (_is_int(index) and _is_int(tree_size)) or not 0 <= index < tree_size:
        return False
    if not isinstance(data, _BytesLike):
        return False
    expected_root = _as_hash(root, size)
    path = _as_hash_list(proof, size, tree_size.bit_length())
    if expected_root is None or path is None:
        return False

    fn, sn = index, tree_size - 1
    r = digest(LEAF_PREFIX + bytes(data))
    for p in path:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            r = digest(NODE_PREFIX + p + r)
            if not fn & 1:
                while not fn & 1 and fn != 0:
                    fn >>= 1
                    sn >>= 1
        else:
            r = digest(NODE_PREFIX + r + p)
        fn >>= 1
        sn >>= 1
    return sn == 0 and hmac.compare_digest(r, expected_root)


def verify_consistency(
    old_size: int,
    new_size: int,
    old_root: bytes,
    new_root: bytes,
    proof: Sequence[bytes],
    algorithm: str = "sm3",
) -> bool:
    """Whether ``proof`` shows the tree (``old_size``, ``old_root``) is a prefix of (``new_size``, ``new_root``).

    RFC 9162 §2.1.4.2, plus the trivial cases: ``old_size == 0`` is consistent
    with anything given an empty proof; ``old_size == new_size`` needs an empty
    proof and equal roots.  Returns ``False`` (never raises) for any malformed
    input; raises :class:`ValueError` only for an unknown ``algorithm``.  As for
    :func:`verify_inclusion`, each size must come signed together with its root.
    """
    digest = _digest(algorithm)
    size = _digest_size(algorithm)
    if not (_is_int(old_size) and _is_int(new_size)) or not 0 <= old_size <= new_size:
        return False
    path = _as_hash_list(proof, size, new_size.bit_length() + 1)
    if path is None:
        return False
    if old_size == 0:
        return not path
    first = _as_hash(old_root, size)
    second = _as_hash(new_root, size)
    if first is None or second is None:
        return False
    if old_size == new_size:
        return not path and hmac.compare_digest(first, second)
    if not path:
        return False

    if old_size & (old_size - 1) == 0:  # an exact power of two: the old root is a node of the new tree
        path = [first, *path]
    fn, sn = old_size - 1, new_size - 1
    while fn & 1:
        fn >>= 1
        sn >>= 1
    fr = sr = path[0]
    for c in path[1:]:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            fr = digest(NODE_PREFIX + c + fr)
            sr = digest(NODE_PREFIX + c + sr)
            if not fn & 1:
                while not fn & 1 and fn != 0:
                    fn >>= 1
                    sn >>= 1
        else:
            sr = digest(NODE_PREFIX + sr + c)
        fn >>= 1
        sn >>= 1
    return sn == 0 and hmac.compare_digest(fr, first) and hmac.compare_digest(sr, second)
