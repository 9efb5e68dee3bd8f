"""Tests for zhifa.records.merkle against RFC 6962 §2.1 and RFC 9162 §2.1.

Known values come from the Certificate Transparency reference vectors
(transparency-dev/merkle, formerly google/trillian and google/certificate-transparency).
Everything else is checked against a tiny reference implementation written
straight from the RFC 6962 text below, which shares no code with the module.
"""

from __future__ import annotations

import ast
import hashlib
import math
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from zhifa.records import merkle
from zhifa.records.merkle import (
    ALGORITHMS,
    aligned_subtrees,
    combine_range,
    completed_subtrees,
    consistency_proof,
    consistency_proof_from,
    digest_size,
    hash_bytes,
    inclusion_proof,
    inclusion_proof_from,
    is_rfc_subtree_range,
    largest_power_of_two_below,
    leaf_hash,
    node_hash,
    range_hash_from,
    root,
    root_from,
    verify_consistency,
    verify_inclusion,
)

# ---------------------------------------------------------------------------
# Reference implementation, transcribed from RFC 6962 §2.1, §2.1.1 and §2.1.2
# ---------------------------------------------------------------------------


def ref_hash(data: bytes, algorithm: str) -> bytes:
    return hashlib.new(algorithm, data).digest()


def ref_split(n: int) -> int:
    """The largest power of two smaller than n (n > 1)."""
    k = 1
    while k * 2 < n:
        k *= 2
    return k


def ref_mth(d: list[bytes], algorithm: str) -> bytes:
    n = len(d)
    if n == 0:
        return ref_hash(b"", algorithm)
    if n == 1:
        return ref_hash(b"\x00" + d[0], algorithm)
    k = ref_split(n)
    return ref_hash(b"\x01" + ref_mth(d[:k], algorithm) + ref_mth(d[k:], algorithm), algorithm)


def ref_path(m: int, d: list[bytes], algorithm: str) -> list[bytes]:
    n = len(d)
    if n == 1:
        return []
    k = ref_split(n)
    if m < k:
        return [*ref_path(m, d[:k], algorithm), ref_mth(d[k:], algorithm)]
    return [*ref_path(m - k, d[k:], algorithm), ref_mth(d[:k], algorithm)]


def ref_subproof(m: int, d: list[bytes], b: bool, algorithm: str) -> list[bytes]:
    n = len(d)
    if m == n:
        return [] if b else [ref_mth(d, algorithm)]
    k = ref_split(n)
    if m <= k:
        return [*ref_subproof(m, d[:k], b, algorithm), ref_mth(d[k:], algorithm)]
    return [*ref_subproof(m - k, d[k:], False, algorithm), ref_mth(d[:k], algorithm)]


def ref_proof(m: int, d: list[bytes], algorithm: str) -> list[bytes]:
    if m in (0, len(d)):
        return []
    return ref_subproof(m, d, True, algorithm)


# ---------------------------------------------------------------------------
# Certificate Transparency reference vectors (SHA-256)
# ---------------------------------------------------------------------------

CT_LEAVES = [
    bytes.fromhex(h)
    for h in (
        "",
        "00",
        "10",
        "2021",
        "3031",
        "40414243",
        "5051525354555657",
        "606162636465666768696a6b6c6d6e6f",
    )
]

# CT_ROOTS[n] is the root of the tree of the first n leaves.
CT_ROOTS = [
    bytes.fromhex(h)
    for h in (
        "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
        "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
        "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
        "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
        "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
        "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
        "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
        "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
        "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
    )
]

# (zero-based leaf index, tree size, audit path); the upstream table is one-based.
CT_INCLUSION = [
    (0, 1, []),
    (
        0,
        8,
        [
            "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
            "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
            "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4",
        ],
    ),
    (
        5,
        8,
        [
            "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
            "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
            "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
        ],
    ),
    (2, 3, ["fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125"]),
    (
        1,
        5,
        [
            "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
            "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
            "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
        ],
    ),
]

# (old size, new size, consistency proof)
CT_CONSISTENCY = [
    (1, 1, []),
    (
        1,
        8,
        [
            "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
            "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
            "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4",
        ],
    ),
    (
        6,
        8,
        [
            "0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
            "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
            "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
        ],
    ),
    (
        2,
        5,
        [
            "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
            "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
        ],
    ),
    (
        6,
        7,
        [
            "0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
            "b08693ec2e721597130641e8211e7eedccb4c26413963eee6c1e2ed16ffb1a5f",
            "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
        ],
    ),
]

SOME_HASH = bytes.fromhex("abacaba000000000000000000000000000000000000000000060061e00123456")


def unhex(hashes: list[str]) -> list[bytes]:
    return [bytes.fromhex(h) for h in hashes]


def flip_bit(value: bytes, bit: int = 0) -> bytes:
    if not value:
        return b"\x01"
    i = (bit // 8) % len(value)
    return value[:i] + bytes([value[i] ^ (1 << (bit % 8))]) + value[i + 1 :]


# ---------------------------------------------------------------------------
# Hashing and known vectors
# ---------------------------------------------------------------------------


def test_sha256_empty_tree_root_is_hash_of_empty_string() -> None:
    assert root([], "sha256") == CT_ROOTS[0]
    assert root([], "sha256").hex() == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"


def test_sm3_empty_tree_root_is_sm3_of_empty_string() -> None:
    assert root([]) == hashlib.new("sm3", b"").digest()


def test_sm3_matches_gbt_32905_example() -> None:
    assert (
        hash_bytes(b"abc", "sm3").hex() == "66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0"
    )


def test_default_algorithm_is_sm3() -> None:
    assert leaf_hash(b"x") == leaf_hash(b"x", "sm3") == hashlib.new("sm3", b"\x00x").digest()
    assert root([b"a", b"b"]) == root([b"a", b"b"], "sm3")


def test_leaf_and_node_hashes_use_rfc_6962_prefixes() -> None:
    for algorithm in ALGORITHMS:
        assert leaf_hash(b"data", algorithm) == hashlib.new(algorithm, b"\x00data").digest()
        assert node_hash(b"L", b"R", algorithm) == hashlib.new(algorithm, b"\x01LR").digest()
        assert digest_size(algorithm) == 32


def test_sha256_root_matches_certificate_transparency_vector() -> None:
    for n in range(len(CT_LEAVES) + 1):
        assert root(CT_LEAVES[:n], "sha256") == CT_ROOTS[n], n
    assert root(CT_LEAVES, "sha256").hex() == (
        "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328"
    )


def test_sha256_single_leaf_root_is_leaf_hash_and_two_leaf_root_is_node_hash() -> None:
    assert root(CT_LEAVES[:1], "sha256") == leaf_hash(b"", "sha256") == CT_ROOTS[1]
    h0, h1 = (leaf_hash(d, "sha256") for d in CT_LEAVES[:2])
    assert node_hash(h0, h1, "sha256") == CT_ROOTS[2]


@pytest.mark.parametrize(("index", "size", "path"), CT_INCLUSION)
def test_sha256_inclusion_proof_matches_certificate_transparency_vector(
    index: int, size: int, path: list[str]
) -> None:
    expected = unhex(path)
    assert inclusion_proof(CT_LEAVES[:size], index, "sha256") == expected
    assert verify_inclusion(CT_LEAVES[index], index, size, expected, CT_ROOTS[size], "sha256")


@pytest.mark.parametrize(("old", "new", "proof"), CT_CONSISTENCY)
def test_sha256_consistency_proof_matches_certificate_transparency_vector(
    old: int, new: int, proof: list[str]
) -> None:
    expected = unhex(proof)
    assert consistency_proof(CT_LEAVES[:new], old, "sha256") == expected
    assert verify_consistency(old, new, CT_ROOTS[old], CT_ROOTS[new], expected, "sha256")


@pytest.mark.parametrize(("index", "size", "path"), [v for v in CT_INCLUSION if v[2]])
def test_corrupted_certificate_transparency_inclusion_proofs_are_rejected(
    index: int, size: int, path: list[str]
) -> None:
    proof = unhex(path)
    data, good_root = CT_LEAVES[index], CT_ROOTS[size]
    bad = [
        (data, index - 1, size, proof, good_root),
        (data, index + 1, size, proof, good_root),
        (data, index ^ 2, size, proof, good_root),
        (data, index, size * 2, proof, good_root),
        (data, index, size // 2, proof, good_root),
        (b"WrongLeaf", index, size, proof, good_root),
        (data, index, size, proof, CT_ROOTS[0]),
        (data, index, size, proof, SOME_HASH),
        (data, index, size, [*proof, b""], good_root),
        (data, index, size, [*proof, good_root], good_root),
        (data, index, size, [b"", *proof], good_root),
        (data, index, size, [good_root, *proof], good_root),
        (data, index, size, proof[:-1], good_root),
        (data, index, size, [proof[0], SOME_HASH, *proof[1:]], good_root),
    ]
    bad += [
        (data, index, size, [*proof[:i], flip_bit(p, 3), *proof[i + 1 :]], good_root)
        for i, p in enumerate(proof)
    ]
    for args in bad:
        assert not verify_inclusion(*args, algorithm="sha256"), args


@pytest.mark.parametrize(("old", "new", "proof"), [v for v in CT_CONSISTENCY if v[2]])
def test_corrupted_certificate_transparency_consistency_proofs_are_rejected(
    old: int, new: int, proof: list[str]
) -> None:
    p = unhex(proof)
    r1, r2 = CT_ROOTS[old], CT_ROOTS[new]
    bad = [
        (old - 1, new, r1, r2, p),
        (old + 1, new, r1, r2, p),
        (old ^ 2, new, r1, r2, p),
        (old, new * 2, r1, r2, p),
        (old, new // 2, r1, r2, p),
        (old, new, b"WrongRoot", r2, p),
        (old, new, r1, b"WrongRoot", p),
        (old, new, r2, r1, p),
        (old, new, r1, r2, []),
        (old, new, r1, r2, [*p, b""]),
        (old, new, r1, r2, [*p, r1]),
        (old, new, r1, r2, [*p, r2]),
        (old, new, r1, r2, [b"", *p]),
        (old, new, r1, r2, [r1, *p]),
        (old, new, r1, r2, [r2, *p]),
        (old, new, r1, r2, [p[0], *p]),
        (old, new, r1, r2, p[:-1]),
    ]
    bad += [(old, new, r1, r2, [*p[:i], flip_bit(h, 4), *p[i + 1 :]]) for i, h in enumerate(p)]
    for args in bad:
        assert not verify_consistency(*args, algorithm="sha256"), args


# ---------------------------------------------------------------------------
# Algorithm selection and argument errors
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("algorithm", ["md5", "SHA256", "sha-256", "", "sm4", None])
def test_unknown_algorithm_raises_value_error_everywhere(algorithm: object) -> None:
    algo = algorithm  # type: ignore[assignment]
    calls: list[Callable[[], object]] = [
        lambda: hash_bytes(b"", algo),
        lambda: leaf_hash(b"", algo),
        lambda: node_hash(b"", b"", algo),
        lambda: root([b"a"], algo),
        lambda: inclusion_proof([b"a"], 0, algo),
        lambda: consistency_proof([b"a", b"b"], 1, algo),
        lambda: verify_inclusion(b"a", 0, 1, [], b"", algo),
        lambda: verify_consistency(1, 2, b"", b"", [], algo),
        lambda: combine_range([b""], algo),
        lambda: digest_size(algo),
    ]
    for call in calls:
        with pytest.raises(ValueError):
            call()


def test_non_bytes_leaves_raise_type_error_instead_of_hashing_zero_bytes() -> None:
    # bytes(5) would be five zero bytes; an int or str leaf is a bug, not data.
    for bad in (5, "text", None):
        with pytest.raises(TypeError):
            leaf_hash(bad)  # type: ignore[arg-type]
        with pytest.raises(TypeError):
            root([b"ok", bad])  # type: ignore[list-item]
        with pytest.raises(TypeError):
            hash_bytes(bad)  # type: ignore[arg-type]
    assert leaf_hash(bytearray(b"x")) == leaf_hash(memoryview(b"x")) == leaf_hash(b"x")


def test_algorithms_constant_lists_sm3_and_sha256() -> None:
    assert ALGORITHMS == ("sm3", "sha256")


def test_consistency_proof_rejects_old_size_out_of_range() -> None:
    leaves = [b"a", b"b", b"c"]
    for bad in (-1, 4, 100):
        with pytest.raises(ValueError):
            consistency_proof(leaves, bad)
    with pytest.raises(ValueError):
        consistency_proof_from(lambda s, e: b"\x00" * 32, 4, 3, "sm3")
    with pytest.raises(ValueError):
        consistency_proof_from(lambda s, e: b"\x00" * 32, -1, 3, "sm3")


def test_consistency_proof_is_empty_for_old_size_zero_or_equal() -> None:
    leaves = [b"a", b"b", b"c"]
    assert consistency_proof(leaves, 0) == []
    assert consistency_proof(leaves, 3) == []
    assert consistency_proof([], 0) == []


def test_inclusion_proof_rejects_index_out_of_range() -> None:
    for bad in (-1, 3, 10):
        with pytest.raises(ValueError):
            inclusion_proof([b"a", b"b", b"c"], bad)
    with pytest.raises(ValueError):
        inclusion_proof([], 0)


def test_verify_inclusion_returns_false_instead_of_raising_on_garbage() -> None:
    leaves = [b"a", b"b", b"c", b"d", b"e"]
    proof = inclusion_proof(leaves, 2)
    good_root = root(leaves)
    assert verify_inclusion(b"c", 2, 5, proof, good_root)
    garbage: list[tuple[object, object, object, object, object]] = [
        (b"c", 5, 5, proof, good_root),  # index == tree_size
        (b"c", 7, 5, proof, good_root),  # index > tree_size
        (b"c", -1, 5, proof, good_root),
        (b"c", 2, 0, proof, good_root),
        (b"c", 2, -5, proof, good_root),
        (b"c", "2", 5, proof, good_root),
        (b"c", 2.0, 5, proof, good_root),
        (b"c", None, 5, proof, good_root),
        (b"c", 2, "5", proof, good_root),
        ("c", 2, 5, proof, good_root),
        (None, 2, 5, proof, good_root),
        (b"c", 2, 5, None, good_root),
        (b"c", 2, 5, b"".join(proof), good_root),
        (b"c", 2, 5, "proof", good_root),
        (b"c", 2, 5, [p.hex() for p in proof], good_root),
        (b"c", 2, 5, [None, *proof[1:]], good_root),
        (b"c", 2, 5, [p[:-1] for p in proof], good_root),
        (b"c", 2, 5, proof, good_root.hex()),
        (b"c", 2, 5, proof, good_root[:-1]),
        (b"c", 2, 5, proof, None),
        (b"c", 2, 5, proof * 50, good_root),
        (b"c", 2, 1 << 70, proof, good_root),
    ]
    for args in garbage:
        assert verify_inclusion(*args) is False, args  # type: ignore[arg-type]


def test_verify_inclusion_of_single_leaf_tree_needs_empty_proof() -> None:
    r = root([b"only"])
    assert verify_inclusion(b"only", 0, 1, [], r)
    assert not verify_inclusion(b"only", 0, 1, [r], r)
    assert not verify_inclusion(b"other", 0, 1, [], r)
    assert not verify_inclusion(b"only", 1, 1, [], r)
    assert not verify_inclusion(b"only", 0, 1, [], b"")


def test_verify_consistency_trivial_cases_follow_rfc_9162() -> None:
    r1, r2 = root([b"a"]), root([b"a", b"b"])
    # old_size == 0: consistent with anything, but only with an empty proof.
    assert verify_consistency(0, 0, r1, r1, [])
    assert verify_consistency(0, 2, root([]), r2, [])
    assert not verify_consistency(0, 2, root([]), r2, [r1])
    assert not verify_consistency(0, 0, r1, r1, [r1])
    # old_size == new_size: equal roots and an empty proof.
    assert verify_consistency(1, 1, r1, r1, [])
    assert not verify_consistency(1, 1, r1, r2, [])
    assert not verify_consistency(1, 1, r1, r1, [r1])
    # Time travel and empty proofs for a real extension.
    assert not verify_consistency(2, 1, r2, r1, [])
    assert not verify_consistency(1, 2, r1, r2, [])
    assert verify_consistency(1, 2, r1, r2, consistency_proof([b"a", b"b"], 1))


def test_verify_consistency_returns_false_instead_of_raising_on_garbage() -> None:
    leaves = [bytes([i]) for i in range(11)]
    r1, r2 = root(leaves[:6]), root(leaves)
    proof = consistency_proof(leaves, 6)
    assert verify_consistency(6, 11, r1, r2, proof)
    garbage: list[tuple[object, object, object, object, object]] = [
        (-1, 11, r1, r2, proof),
        (6, -11, r1, r2, proof),
        (12, 11, r1, r2, proof),
        ("6", 11, r1, r2, proof),
        (6, 11.0, r1, r2, proof),
        (None, 11, r1, r2, proof),
        (6, 11, None, r2, proof),
        (6, 11, r1, r2.hex(), proof),
        (6, 11, r1[:5], r2, proof),
        (6, 11, r1, r2, None),
        (6, 11, r1, r2, b"".join(proof)),
        (6, 11, r1, r2, [p.hex() for p in proof]),
        (6, 11, r1, r2, [*proof, None]),
        (6, 11, r1, r2, proof * 40),
        (0, 11, r1, r2, None),
        (11, 11, r2, r2, None),
        (11, 11, r2[:-1], r2[:-1], []),
    ]
    for args in garbage:
        assert verify_consistency(*args) is False, args  # type: ignore[arg-type]


def test_tree_size_is_bound_by_the_signed_tree_head_not_by_the_proof() -> None:
    # RFC 9162 verification checks a proof against (tree_size, root) as a pair, which a
    # log signs together.  A neighbouring size whose tree has the same shape along the
    # path can accept the same proof and root, so the size must never be taken from an
    # unsigned source.  Documented here so nobody "fixes" the verifier to reject it.
    leaves = [b"a", b"b", b"c"]
    r3 = root(leaves, "sha256")
    proof = inclusion_proof(leaves, 0, "sha256")
    assert verify_inclusion(b"a", 0, 3, proof, r3, "sha256")
    assert verify_inclusion(b"a", 0, 4, proof, r3, "sha256")
    assert not verify_inclusion(b"a", 0, 6, proof, r3, "sha256")


# ---------------------------------------------------------------------------
# Tree-shape helpers
# ---------------------------------------------------------------------------


def test_largest_power_of_two_below_is_the_rfc_split_not_the_midpoint() -> None:
    expected = {2: 1, 3: 2, 4: 2, 5: 4, 6: 4, 7: 4, 8: 4, 9: 8, 1000: 512, 1 << 40: 1 << 39}
    for n, k in expected.items():
        assert largest_power_of_two_below(n) == k
    for n in range(2, 3000):
        k = largest_power_of_two_below(n)
        assert k & (k - 1) == 0 and k < n <= 2 * k
        assert k == ref_split(n)
    for bad in (-1, 0, 1):
        with pytest.raises(ValueError):
            largest_power_of_two_below(bad)


def test_aligned_subtrees_are_maximal_aligned_blocks_covering_the_range() -> None:
    for start in range(0, 140):
        for end in range(start, 140):
            blocks = aligned_subtrees(start, end)
            position = start
            for s, e in blocks:
                size = e - s
                assert s == position
                assert size > 0 and size & (size - 1) == 0
                assert s % size == 0
                # Maximal: the doubled block is misaligned or runs past the end.
                assert s % (2 * size) != 0 or s + 2 * size > end
                position = e
            assert position == end
            assert len(blocks) <= 2 * max(1, (end - start).bit_length())


def test_aligned_subtrees_of_an_rfc_range_is_the_binary_decomposition_of_its_size() -> None:
    assert aligned_subtrees(0, 7) == [(0, 4), (4, 6), (6, 7)]
    assert aligned_subtrees(8, 13) == [(8, 12), (12, 13)]
    assert aligned_subtrees(1, 4) == [(1, 2), (2, 4)]
    assert aligned_subtrees(5, 5) == []
    for start, end in ((-1, 3), (4, 3)):
        with pytest.raises(ValueError):
            aligned_subtrees(start, end)
    for end in range(1, 200):
        sizes = [e - s for s, e in aligned_subtrees(0, end)]
        assert sizes == sorted(sizes, reverse=True)
        assert sum(sizes) == end and len(sizes) == end.bit_count()


def test_is_rfc_subtree_range_accepts_exactly_the_nodes_of_rfc_trees() -> None:
    def nodes(start: int, end: int, out: set[tuple[int, int]]) -> None:
        out.add((start, end))
        if end - start > 1:
            k = ref_split(end - start)
            nodes(start, start + k, out)
            nodes(start + k, end, out)

    all_nodes: set[tuple[int, int]] = set()
    for n in range(1, 65):
        nodes(0, n, all_nodes)
    candidates = {(s, e) for s in range(64) for e in range(s + 1, 65)}
    assert {c for c in candidates if is_rfc_subtree_range(*c)} == all_nodes
    assert not is_rfc_subtree_range(1, 4)
    assert not is_rfc_subtree_range(3, 3)
    assert not is_rfc_subtree_range(-1, 0)


def test_combine_range_folds_right_to_left_and_equals_mth_for_every_rfc_range() -> None:
    for algorithm in ALGORITHMS:
        leaves = [f"leaf-{i}".encode() for i in range(70)]
        for start in range(70):
            for end in range(start + 1, 71):
                if not is_rfc_subtree_range(start, end):
                    continue
                blocks = [ref_mth(leaves[s:e], algorithm) for s, e in aligned_subtrees(start, end)]
                assert combine_range(blocks, algorithm) == ref_mth(leaves[start:end], algorithm)
    with pytest.raises(ValueError):
        combine_range([])


def test_combine_range_is_not_a_left_fold() -> None:
    leaves = [b"a", b"b", b"c", b"d", b"e", b"f", b"g"]
    blocks = [ref_mth(leaves[s:e], "sm3") for s, e in aligned_subtrees(0, 7)]
    left_fold = node_hash(node_hash(blocks[0], blocks[1]), blocks[2])
    assert combine_range(blocks) == root(leaves) != left_fold


def test_completed_subtrees_list_every_aligned_block_once_smallest_first() -> None:
    assert completed_subtrees(1) == [(0, 1)]
    assert completed_subtrees(8) == [(7, 8), (6, 8), (4, 8), (0, 8)]
    assert completed_subtrees(12) == [(11, 12), (10, 12), (8, 12)]
    seen: list[tuple[int, int]] = []
    for n in range(1, 130):
        seen += completed_subtrees(n)
    expected = {(s, s + (1 << j)) for j in range(8) for s in range(0, 130, 1 << j) if s + (1 << j) < 130}
    assert sorted(seen) == sorted(expected)
    with pytest.raises(ValueError):
        completed_subtrees(0)


# ---------------------------------------------------------------------------
# Database-style storage of aligned subtrees
# ---------------------------------------------------------------------------


class AlignedStore:
    """A dict standing in for a table of complete aligned subtree hashes."""

    def __init__(self, algorithm: str) -> None:
        self.algorithm = algorithm
        self.rows: dict[tuple[int, int], bytes] = {}
        self.size = 0
        self.reads = 0

    def append(self, data: bytes) -> None:
        self.size += 1
        for s, e in completed_subtrees(self.size):
            if e - s == 1:
                self.rows[(s, e)] = leaf_hash(data, self.algorithm)
            else:
                mid = s + (e - s) // 2
                self.rows[(s, e)] = node_hash(self.rows[(s, mid)], self.rows[(mid, e)], self.algorithm)

    def aligned_hash(self, start: int, end: int) -> bytes:
        self.reads += 1
        return self.rows[(start, end)]

    def subtree_hash(self, start: int, end: int) -> bytes:
        return range_hash_from(self.aligned_hash, start, end, self.algorithm)


def test_proofs_from_stored_aligned_subtrees_equal_list_based_proofs() -> None:
    for algorithm in ALGORITHMS:
        leaves = [f"entry {i}".encode() for i in range(45)]
        store = AlignedStore(algorithm)
        for n, data in enumerate(leaves, start=1):
            store.append(data)
            assert root_from(store.subtree_hash, n, algorithm) == root(leaves[:n], algorithm)
        n = len(leaves)
        for i in range(n):
            assert inclusion_proof_from(store.subtree_hash, i, n, algorithm) == inclusion_proof(
                leaves, i, algorithm
            )
        for m in range(n + 1):
            assert consistency_proof_from(store.subtree_hash, m, n, algorithm) == consistency_proof(
                leaves, m, algorithm
            )
        assert root_from(store.subtree_hash, 0, algorithm) == root([], algorithm)


def test_proofs_for_ten_million_leaves_read_only_logarithmically_many_stored_blocks() -> None:
    n = 10_000_000
    bound = 2 * math.ceil(math.log2(n)) + 1
    reads = 0
    requested: list[tuple[int, int]] = []

    def aligned_hash(start: int, end: int) -> bytes:
        nonlocal reads
        size = end - start
        assert size & (size - 1) == 0 and start % size == 0 and end <= n
        reads += 1
        return hashlib.sha256(f"{start}:{end}".encode()).digest()

    def subtree_hash(start: int, end: int) -> bytes:
        requested.append((start, end))
        return range_hash_from(aligned_hash, start, end, "sha256")

    for index in (0, 1, 4_194_303, 4_194_304, 5_000_000, 8_388_607, 9_999_998, n - 1):
        reads = 0
        proof = inclusion_proof_from(subtree_hash, index, n, "sha256")
        assert len(proof) <= math.ceil(math.log2(n))
        assert reads <= bound, (index, reads)
    for old in (1, 2, 3, 1_000_000, 4_194_304, 6_666_667, 8_388_608, n - 1):
        reads = 0
        proof = consistency_proof_from(subtree_hash, old, n, "sha256")
        assert len(proof) <= math.ceil(math.log2(n)) + 1
        assert reads <= bound, (old, reads)
    assert all(is_rfc_subtree_range(s, e) for s, e in requested)


def test_proof_callbacks_returning_garbage_raise_value_error() -> None:
    with pytest.raises(ValueError):
        inclusion_proof_from(lambda s, e: b"short", 0, 2, "sm3")
    with pytest.raises(ValueError):
        consistency_proof_from(lambda s, e: "not bytes", 1, 3, "sm3")  # type: ignore[arg-type,return-value]
    with pytest.raises(ValueError):
        inclusion_proof_from(lambda s, e: b"\x00" * 32, 2, 2, "sm3")
    with pytest.raises(ValueError):
        range_hash_from(lambda s, e: b"\x00" * 32, 1, 4, "sm3")


# ---------------------------------------------------------------------------
# Property tests
# ---------------------------------------------------------------------------

algorithms = st.sampled_from(ALGORITHMS)
unique_leaves = st.lists(st.binary(max_size=12), min_size=1, max_size=70, unique=True)
any_leaves = st.lists(st.binary(max_size=12), min_size=0, max_size=70)


@settings(max_examples=40, deadline=None)
@given(leaves=any_leaves, algorithm=algorithms)
def test_root_equals_recursive_rfc_definition(leaves: list[bytes], algorithm: str) -> None:
    assert root(leaves, algorithm) == ref_mth(leaves, algorithm)


@settings(max_examples=40, deadline=None)
@given(leaves=unique_leaves, algorithm=algorithms)
def test_inclusion_proof_for_every_index_verifies_and_equals_rfc_path(
    leaves: list[bytes], algorithm: str
) -> None:
    n = len(leaves)
    r = root(leaves, algorithm)
    for i, data in enumerate(leaves):
        proof = inclusion_proof(leaves, i, algorithm)
        assert proof == ref_path(i, leaves, algorithm)
        assert verify_inclusion(data, i, n, proof, r, algorithm)


@settings(max_examples=30, deadline=None)
@given(leaves=unique_leaves, algorithm=algorithms, bit=st.integers(0, 255))
def test_tampered_inclusion_proof_fails(leaves: list[bytes], algorithm: str, bit: int) -> None:
    n = len(leaves)
    r = root(leaves, algorithm)
    for i, data in enumerate(leaves):
        proof = inclusion_proof(leaves, i, algorithm)
        assert not verify_inclusion(flip_bit(data, bit), i, n, proof, r, algorithm)
        assert not verify_inclusion(data + b"\x00", i, n, proof, r, algorithm)
        assert not verify_inclusion(data, i, n, proof, flip_bit(r, bit), algorithm)
        for j, p in enumerate(proof):
            tampered = [*proof[:j], flip_bit(p, bit), *proof[j + 1 :]]
            assert not verify_inclusion(data, i, n, tampered, r, algorithm)
        for wrong in {i - 1, i + 1, i ^ 2, n, n + 1}:
            assert not verify_inclusion(data, wrong, n, proof, r, algorithm)
        assert not verify_inclusion(data, i, n * 2, proof, r, algorithm)
        assert not verify_inclusion(data, i, n // 2, proof, r, algorithm)
        assert not verify_inclusion(data, i, n, [*proof, r], r, algorithm)
        if proof:
            assert not verify_inclusion(data, i, n, proof[:-1], r, algorithm)
            assert not verify_inclusion(data, i, n, proof[::-1], r, algorithm) or len(proof) == 1


@settings(max_examples=25, deadline=None)
@given(leaves=any_leaves, algorithm=algorithms)
def test_consistency_proof_for_every_old_size_verifies_and_equals_rfc_proof(
    leaves: list[bytes], algorithm: str
) -> None:
    n = len(leaves)
    new_root = root(leaves, algorithm)
    for m in range(n + 1):
        proof = consistency_proof(leaves, m, algorithm)
        assert proof == ref_proof(m, leaves, algorithm)
        assert verify_consistency(m, n, root(leaves[:m], algorithm), new_root, proof, algorithm)


@settings(max_examples=25, deadline=None)
@given(leaves=unique_leaves, algorithm=algorithms, bit=st.integers(0, 255))
def test_tampered_consistency_proof_fails(leaves: list[bytes], algorithm: str, bit: int) -> None:
    n = len(leaves)
    new_root = root(leaves, algorithm)
    for m in range(1, n):
        old_root = root(leaves[:m], algorithm)
        proof = consistency_proof(leaves, m, algorithm)
        assert verify_consistency(m, n, old_root, new_root, proof, algorithm)
        for j, p in enumerate(proof):
            tampered = [*proof[:j], flip_bit(p, bit), *proof[j + 1 :]]
            assert not verify_consistency(m, n, old_root, new_root, tampered, algorithm)
        assert not verify_consistency(m, n, flip_bit(old_root, bit), new_root, proof, algorithm)
        assert not verify_consistency(m, n, old_root, flip_bit(new_root, bit), proof, algorithm)
        assert not verify_consistency(m, n, new_root, old_root, proof, algorithm)
        for wrong_m in {m - 1, m + 1, m ^ 2}:
            if wrong_m != m and wrong_m >= 0:
                assert not verify_consistency(wrong_m, n, old_root, new_root, proof, algorithm)
        assert not verify_consistency(m, n * 2, old_root, new_root, proof, algorithm)
        assert not verify_consistency(m, n // 2, old_root, new_root, proof, algorithm)
        assert not verify_consistency(m, n, old_root, new_root, proof[:-1], algorithm)
        assert not verify_consistency(m, n, old_root, new_root, [*proof, new_root], algorithm)
        # A proof for another old tree of the same size does not transfer.
        other = [*leaves[: m - 1], leaves[m - 1] + b"\xff", *leaves[m:]]
        if len(set(other)) == n:
            assert not verify_consistency(m, n, root(other[:m], algorithm), new_root, proof, algorithm)


@settings(max_examples=30, deadline=None)
@given(leaves=any_leaves)
def test_sm3_and_sha256_give_different_roots(leaves: list[bytes]) -> None:
    assert root(leaves, "sm3") != root(leaves, "sha256")
    assert root(leaves, "sm3") == ref_mth(leaves, "sm3")


@settings(max_examples=20, deadline=None)
@given(leaves=unique_leaves, algorithm=algorithms)
def test_proofs_only_ask_for_ranges_of_the_rfc_recursion(leaves: list[bytes], algorithm: str) -> None:
    n = len(leaves)
    asked: list[tuple[int, int]] = []

    def subtree_hash(start: int, end: int) -> bytes:
        asked.append((start, end))
        return ref_mth(leaves[start:end], algorithm)

    for i in range(n):
        assert inclusion_proof_from(subtree_hash, i, n, algorithm) == ref_path(i, leaves, algorithm)
    for m in range(n + 1):
        assert consistency_proof_from(subtree_hash, m, n, algorithm) == ref_proof(m, leaves, algorithm)
    assert all(is_rfc_subtree_range(s, e) for s, e in asked)


# ---------------------------------------------------------------------------
# Big trees
# ---------------------------------------------------------------------------


def test_root_of_100000_leaves_does_not_recurse() -> None:
    leaves = [i.to_bytes(4, "big") for i in range(100_000)]
    r = root(leaves, "sha256")
    assert len(r) == 32
    proof = inclusion_proof(leaves, 99_999, "sha256")
    assert verify_inclusion(leaves[99_999], 99_999, 100_000, proof, r, "sha256")
    old_root = root(leaves[:65_537], "sha256")
    cproof = consistency_proof(leaves, 65_537, "sha256")
    assert verify_consistency(65_537, 100_000, old_root, r, cproof, "sha256")


def test_module_imports_no_django() -> None:
    tree = ast.parse(Path(merkle.__file__).read_text(encoding="utf-8"))
    imported: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            imported.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            imported.add(node.module.split(".")[0])
    assert "django" not in imported
    assert imported <= {"__future__", "collections", "functools", "hashlib", "hmac"}
