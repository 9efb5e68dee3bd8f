"""The ledger's signed tree heads, published (公示): anyone may keep them and check the log only grew.

``GET /api/portal/ledger/heads`` (newest first, keyset-paged like the rest of the portal), ``…/public-key``
and ``…/consistency?first=N&second=M`` (the RFC 9162 proof between two sizes). ``zhifa ledger witness`` on
another machine reads these; see docs/ledger.md, "Witnesses". Mounted under the portal's router (anonymous,
rate-limited with it).
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Query, Router, Schema

from zhifa.core.paging import CURSOR_HELP, MAX_CURSOR_LENGTH
from zhifa.org.apitools import keyset
from zhifa.org.schemas import READ_ERRORS
from zhifa.records import selectors, signing, witness
from zhifa.records.models import SignedTreeHead

router = Router(tags=["portal"], auth=None)

MAX_ID = 2**62
MAX_SIZE = 2**62
MAX_LIMIT = 100
PUBLIC_ERRORS: dict[int, Any] = {k: v for k, v in READ_ERRORS.items() if k not in (401, 403)}


class LedgerHeadOut(Schema):
    id: int
    tree_size: int
    root: str  # hex
    signed_at: str  # UTC ISO 8601, exactly as signed
    hash_algorithm: str
    signature_algorithm: str
    signature: str  # hex


class LedgerHeadPage(Schema):
    items: list[LedgerHeadOut]
    next_cursor: str | None
    tree_size: int  # the log's current size


class LedgerPublicKeyOut(Schema):
    log: str
    signature_algorithm: str
    public_key_pem: str
    public_key_sha256: str
    hash_algorithm: str


class LedgerConsistencyOut(Schema):
    first: int
    second: int
    first_root: str
    second_root: str
    proof: list[str]
    hash_algorithm: str


@router.get(
    "/heads", response={200: LedgerHeadPage, **PUBLIC_ERRORS}, summary="账本签名树头（最新在前）", auth=None
)
def ledger_heads(
    request: HttpRequest,
    cursor: str | None = Query(None, max_length=MAX_CURSOR_LENGTH, description=CURSOR_HELP),
    limit: int = Query(50, ge=1, le=MAX_LIMIT),
) -> dict[str, Any]:
    rows, next_cursor = keyset(SignedTreeHead.objects.all(), cursor, limit)
    return {
        "items": [witness.head_public(h) for h in rows],
        "next_cursor": next_cursor,
        "tree_size": selectors.ledger_size(),
    }


@router.get(
    "/public-key", response={200: LedgerPublicKeyOut, **PUBLIC_ERRORS}, summary="账本签名公钥", auth=None
)
def ledger_public_key(request: HttpRequest) -> dict[str, Any]:
    key = signing.load_signing_key()
    return {
        "log": signing.LOG_ID,
        "signature_algorithm": signing.SIGNATURE_ALGORITHM,
        "public_key_pem": key.public_key_pem,
        "public_key_sha256": signing.key_fingerprint(key.public_key_raw),
        "hash_algorithm": selectors.ledger_algorithm(),
    }


@router.get(
    "/consistency",
    response={200: LedgerConsistencyOut, **PUBLIC_ERRORS},
    summary="账本一致性证明（RFC 9162）",
    auth=None,
)
def ledger_consistency(
    request: HttpRequest,
    first: int = Query(..., ge=0, le=MAX_SIZE, description="较小的树大小"),
    second: int = Query(..., ge=0, le=MAX_SIZE, description="较大的树大小"),
) -> dict[str, Any]:
    proof = selectors.ledger_consistency_proof(first, second)
    return {
        "first": proof.old_size,
        "second": proof.new_size,
        "first_root": proof.old_root.hex(),
        "second_root": proof.new_root.hex(),
        "proof": [p.hex() for p in proof.proof],
        "hash_algorithm": proof.algorithm,
    }
