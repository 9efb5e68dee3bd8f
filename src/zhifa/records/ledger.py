"""Pieces shared by the service, the selectors and the verifier: the leaf document and the hash algorithm."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import connection

from zhifa.core.env import env_str
from zhifa.records import merkle
from zhifa.records.canonical import canonical_text
from zhifa.records.models import LedgerNode

#: Version of the leaf document; a change of fields is a new version, never an edit of this one.
LEAF_VERSION = 1


def configured_algorithm() -> str:
    """``ZHIFA_LEDGER_HASH``: ``sm3`` (default) or ``sha256``; only read before the first entry."""
    value = (getattr(settings, "ZHIFA_LEDGER_HASH", "") or env_str("ZHIFA_LEDGER_HASH") or "sm3").lower()
    if value not in merkle.ALGORITHMS:
        raise ImproperlyConfigured(
            f"ZHIFA_LEDGER_HASH 只能是 sm3 或 sha256，而不是 {value!r} / ZHIFA_LEDGER_HASH must be sm3 or sha256"
        )
    return value


def leaf_text(
    *,
    seq: int,
    at: dt.datetime,
    occurred_at: dt.datetime | None,
    actor_id: int | None,
    actor_username: str,
    officer_id: int | None,
    officer_name: str,
    action: str,
    object_type: str,
    object_id: str,
    place: str,
    changes_digest: str,
    hash_algorithm: str,
) -> str:
    """The canonical JSON of a whole entry; its UTF-8 bytes are the Merkle leaf data."""
    return canonical_text(
        {
            "v": LEAF_VERSION,
            "seq": seq,
            "at": at,
            "occurred_at": occurred_at,
            "actor": {"id": actor_id, "username": actor_username},
            "officer": {"id": officer_id, "name": officer_name},
            "action": action,
            "object": {"type": object_type, "id": object_id},
            "place": place,
            "changes_digest": changes_digest,
            "hash_algorithm": hash_algorithm,
        }
    )


def changes_digest(changes_text: str, hash_algorithm: str) -> str:
    return merkle.hash_bytes(changes_text.encode("utf-8"), hash_algorithm).hex()


def node_key(start: int, end: int) -> tuple[int, int]:
    """``(level, index)`` of the complete aligned block ``[start, end)``."""
    level = (end - start).bit_length() - 1
    return level, start >> level


def fetch_nodes(keys: Iterable[tuple[int, int]]) -> dict[tuple[int, int], bytes]:
    """Stored node hashes for ``(level, index)`` keys, in one query (raw SQL: the ORM's compilation of a
    40-term OR costs more than the query itself, and a proof must stay in the low milliseconds)."""
    keys = list(dict.fromkeys(keys))
    if not keys:
        return {}
    table = connection.ops.quote_name(LedgerNode._meta.db_table)
    index = connection.ops.quote_name("index")
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # A join against two arrays: one index probe per key, planned in a tenth of a millisecond
            # (a 40-term OR becomes a BitmapOr that costs four times as much).
            cursor.execute(
                f"SELECT n.level, n.{index}, n.hash FROM unnest(%s::smallint[], %s::bigint[]) AS k(l, i)"  # noqa: S608 - quoted names, bound values
                f" JOIN {table} n ON n.level = k.l AND n.{index} = k.i",
                [[level for level, _ in keys], [ix for _, ix in keys]],
            )
        else:
            where = " OR ".join([f"(level = %s AND {index} = %s)"] * len(keys))
            cursor.execute(
                f"SELECT level, {index}, hash FROM {table} WHERE {where}",  # noqa: S608
                [v for k in keys for v in k],
            )
        return {(level, ix): bytes(h) for level, ix, h in cursor.fetchall()}
