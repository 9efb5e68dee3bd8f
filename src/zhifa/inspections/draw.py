"""双随机抽取规则 — the public, exact rule of every draw, in pure Python (no Django), so anyone can re-run it.

The contract (docs/inspections.md states it in full, byte by byte):

* ``select(candidates, k, seed)`` — the ``k`` candidates with the smallest
  ``SHA-256(seed || 0x00 || candidate.encode("utf-8"))``, in ascending order of that digest.
* ``commitment(secret) = SHA-256(secret)`` — published when the task is created.
* ``draw_seed(secret, root, task_id) = SHA-256(secret || root || str(task_id).encode("ascii"))`` — the root
  is that of the latest signed ledger head at draw time; the task id is written in ASCII decimal.
* ``stratum_seed(seed, label) = SHA-256(seed || label.encode("utf-8"))`` — each stratum (e.g.
  ``party/B/餐饮``) and each inspector team (``inspectors/<party candidate>``) draws with its own seed.
* ``pool_hash(strata)`` — SHA-256 of the lines ``label TAB candidate``, sorted by code point and joined by LF.
* ``ratio_share(size, ratio_percent) = ceil(size * ratio_percent / 100)``, at most ``size``.

Nothing here reads the database or the clock: the same inputs give the same draw on every computer.
"""

from __future__ import annotations

import hashlib
import heapq
from collections.abc import Mapping, Sequence
from decimal import ROUND_CEILING, Decimal

__all__ = [
    "commitment",
    "draw_seed",
    "pool_hash",
    "ratio_share",
    "rerun",
    "select",
    "stratum_seed",
]

SEPARATOR = b"\x00"
#: Label of the inspector directory snapshot in its pool hash; teams are labelled ``inspectors/<party>``.
INSPECTOR_DIRECTORY_LABEL = "inspectors"


def _digest(seed: bytes, candidate: str) -> bytes:
    return hashlib.sha256(seed + SEPARATOR + candidate.encode("utf-8")).digest()


def select(candidates: Sequence[str], k: int, seed: bytes) -> list[str]:
    """The ``k`` candidates with the smallest SHA-256(seed || 0x00 || candidate), in ascending digest order.

    Raises ``ValueError`` for ``k < 0``, ``k > len(candidates)``, duplicate candidates or an empty seed.
    """
    if not isinstance(seed, (bytes, bytearray)) or len(seed) == 0:
        raise ValueError("seed must be non-empty bytes")
    if not isinstance(k, int) or isinstance(k, bool) or k < 0:
        raise ValueError(f"k must be an integer ≥ 0, got {k!r}")
    if k > len(candidates):
        raise ValueError(f"k = {k} is larger than the pool ({len(candidates)} candidates)")
    if len(set(candidates)) != len(candidates):
        raise ValueError("duplicate candidates in the pool")
    seed = bytes(seed)
    prefix = hashlib.sha256(seed + SEPARATOR)
    keyed = []
    for candidate in candidates:
        h = prefix.copy()
        h.update(candidate.encode("utf-8"))
        keyed.append((h.digest(), candidate))
    # Digests of distinct candidates differ (SHA-256 collisions aside), so ties never reach the candidate.
    return [candidate for _, candidate in heapq.nsmallest(k, keyed)]


def commitment(secret: bytes) -> bytes:
    """SHA-256 of the task's secret: published at creation, so the secret cannot be changed later."""
    if not secret:
        raise ValueError("secret must be non-empty bytes")
    return hashlib.sha256(secret).digest()


def task_id_bytes(task_id: int) -> bytes:
    """The task id as it enters the seed: ASCII decimal, no sign, no leading zeros."""
    if not isinstance(task_id, int) or isinstance(task_id, bool) or task_id < 0:
        raise ValueError(f"task id must be an integer ≥ 0, got {task_id!r}")
    return str(task_id).encode("ascii")


def draw_seed(secret: bytes, root: bytes, task_id: int) -> bytes:
    """seed = SHA-256(secret || root of the latest signed ledger head || task id in ASCII decimal)."""
    if not secret or not root:
        raise ValueError("secret and root must be non-empty bytes")
    return hashlib.sha256(bytes(secret) + bytes(root) + task_id_bytes(task_id)).digest()


def stratum_seed(seed: bytes, label: str) -> bytes:
    """The seed of one stratum or inspector team: SHA-256(seed || label in UTF-8)."""
    if not seed:
        raise ValueError("seed must be non-empty bytes")
    return hashlib.sha256(bytes(seed) + label.encode("utf-8")).digest()


def pool_hash(strata: Mapping[str, Sequence[str]]) -> str:
    """Hex SHA-256 of the pool snapshot: lines ``label\\tcandidate`` sorted by code point, joined by ``\\n``."""
    lines = sorted(f"{label}\t{candidate}" for label, pool in strata.items() for candidate in pool)
    return hashlib.sha256("\n".join(lines).encode("utf-8")).hexdigest()


def ratio_share(size: int, ratio_percent: Decimal | int | str) -> int:
    """How many of a stratum of ``size`` a ratio (percent) draws: ceil(size × ratio / 100), at most size."""
    ratio = Decimal(str(ratio_percent))
    if size < 0 or ratio < 0 or ratio > 100:
        raise ValueError(f"invalid size {size} or ratio {ratio_percent}")
    share = int((Decimal(size) * ratio / Decimal(100)).to_integral_value(rounding=ROUND_CEILING))
    return min(share, size)


def draw_strata(
    strata: Mapping[str, Sequence[str]], shares: Mapping[str, int], seed: bytes
) -> dict[str, list[str]]:
    """Each stratum draws its share with :func:`select` under its own :func:`stratum_seed`."""
    return {
        label: select(sorted(pool), shares[label], stratum_seed(seed, label))
        for label, pool in sorted(strata.items())
    }


def rerun(published: Mapping[str, object]) -> dict[str, list[str]]:
    """Re-run a published draw from its JSON (the API's ``/inspections/draws/{task}`` answer).

    Checks the commitment, recomputes the seed and the pool hash, and returns every stratum's and team's
    selection; raises ``ValueError`` naming the first thing that does not match.
    """
    secret = bytes.fromhex(str(published["secret"]))
    if commitment(secret).hex() != published["commitment"]:
        raise ValueError("the secret does not match the published commitment")
    seed = draw_seed(secret, bytes.fromhex(str(published["head_root"])), int(str(published["task_id"])))
    if seed.hex() != published["seed"]:
        raise ValueError("the seed does not follow from the secret, the head root and the task id")
    party_strata = published["party_strata"]
    inspector_strata = published["inspector_strata"]
    directory = list(published["inspector_pool"])  # type: ignore[call-overload]
    if not isinstance(party_strata, list) or not isinstance(inspector_strata, list):
        raise ValueError("party_strata and inspector_strata must be lists")
    if pool_hash({s["label"]: list(s["pool"]) for s in party_strata}) != published["pool_hash"]:
        raise ValueError("the party pool does not match the published pool hash")
    if pool_hash({INSPECTOR_DIRECTORY_LABEL: directory}) != published["inspector_pool_hash"]:
        raise ValueError("the inspector directory does not match the published inspector pool hash")
    allowed = set(directory)
    result: dict[str, list[str]] = {}
    for part in (party_strata, inspector_strata):
        for s in part:
            if part is inspector_strata and not set(s["pool"]) <= allowed:
                raise ValueError(f"team {s['label']} draws from outside the inspector directory")
            got = select(list(s["pool"]), int(s["k"]), stratum_seed(seed, s["label"]))
            if got != list(s["selected"]):
                raise ValueError(f"stratum {s['label']} does not re-run to the published selection")
            result[s["label"]] = got
    return result
