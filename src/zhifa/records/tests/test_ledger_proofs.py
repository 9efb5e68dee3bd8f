"""The DB-backed Merkle log equals the pure RFC 6962 module, and a proof costs a constant number of queries."""

from __future__ import annotations

from typing import Any

import pytest

from zhifa.core.errors import InvalidInput, NotFound
from zhifa.records import merkle
from zhifa.records.selectors import ledger_consistency_proof, ledger_inclusion_proof, ledger_root

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("algorithm", ["sm3", "sha256"])
def test_roots_and_proofs_equal_the_pure_module_for_every_size(
    append: Any, settings: Any, algorithm: str
) -> None:
    settings.ZHIFA_LEDGER_HASH = algorithm
    leaves = [e.leaf_data.encode() for e in append(21)]
    for size in range(0, 22):
        assert ledger_root(size) == merkle.root(leaves[:size], algorithm)
    for size in (1, 2, 7, 8, 13, 21):
        for seq in range(size):
            proof = ledger_inclusion_proof(seq, size)
            assert proof.proof == merkle.inclusion_proof(leaves[:size], seq, algorithm)
            assert merkle.verify_inclusion(leaves[seq], seq, size, proof.proof, proof.root, algorithm)
    for old in range(0, 22):
        for new in (old, 13, 16, 21):
            if new < old:
                continue
            c = ledger_consistency_proof(old, new)
            assert c.proof == merkle.consistency_proof(leaves[:new], old, algorithm)
            assert merkle.verify_consistency(old, new, c.old_root, c.new_root, c.proof, algorithm)


def test_sha256_root_equals_certificate_transparency_construction(append: Any, settings: Any) -> None:
    settings.ZHIFA_LEDGER_HASH = "sha256"
    leaves = [e.leaf_data.encode() for e in append(5)]
    # RFC 6962 §2.1 by hand: k = 4 for n = 5.
    import hashlib

    def h(b: bytes) -> bytes:
        return hashlib.sha256(b).digest()

    lh = [h(b"\x00" + d) for d in leaves]
    left = h(b"\x01" + h(b"\x01" + lh[0] + lh[1]) + h(b"\x01" + lh[2] + lh[3]))
    assert ledger_root(5) == h(b"\x01" + left + lh[4])


def test_a_proof_costs_the_same_few_queries_whatever_the_size(
    append: Any, django_assert_max_num_queries: Any
) -> None:
    append(70)
    for seq, size in ((0, 1), (5, 33), (69, 70), (40, 70)):
        with django_assert_max_num_queries(4):
            ledger_inclusion_proof(seq, size)
    with django_assert_max_num_queries(4):
        ledger_consistency_proof(21, 70)
    with django_assert_max_num_queries(3):
        ledger_root(67)


def test_unknown_entry_is_refused(append: Any) -> None:
    append(3)
    with pytest.raises(NotFound):
        ledger_inclusion_proof(3)


@pytest.mark.parametrize(("seq", "size"), [(0, 4), (2, 2), (0, -1)])
def test_sizes_outside_the_log_or_below_the_entry_are_refused(append: Any, seq: int, size: int) -> None:
    append(3)
    with pytest.raises(InvalidInput):
        ledger_inclusion_proof(seq, size)


@pytest.mark.parametrize(("old", "new"), [(3, 2), (0, 4), (-1, 2)])
def test_consistency_sizes_out_of_order_or_range_are_refused(append: Any, old: int, new: int) -> None:
    append(3)
    with pytest.raises(InvalidInput):
        ledger_consistency_proof(old, new)
