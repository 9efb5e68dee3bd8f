"""Pieces shared by the service, the selectors and the verifier: the leaf document and the hash algorithm."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from zhifa.core.env import env_str
from zhifa.records import merkle
from zhifa.records.canonical import canonical_text

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
