"""A stand-in county (模拟下级平台): an Ed25519 key, a small Merkle log of its own and the signed batches it would
push — used by the demo (the city page shows a county without a second instance) and by the unit tests
(forks, shrinks, bad signatures, gaps, repeats). The real county is another zhifa instance running
``zhifa.exchange.outbox``; this class writes the same bytes."""

from __future__ import annotations

import base64
import datetime as dt
import json
import secrets
from typing import Any

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from zhifa.channels.signing import signed_headers
from zhifa.core import clock
from zhifa.exchange.outbox import BATCH_FORMAT, BATCH_VERSION
from zhifa.records import merkle, signing, witness
from zhifa.records.canonical import iso_utc

ALGORITHM = "sha256"


class StandInCounty:
    def __init__(self, code: str, secret: str = "") -> None:
        self.code = code
        self.secret = secret
        self.key = Ed25519PrivateKey.generate()
        self.leaves: list[bytes] = []
        self.sequence = 0

    @property
    def public_key_pem(self) -> str:
        return (
            self.key.public_key()
            .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
            .decode()
        )

    def grow(self, n: int) -> None:
        self.leaves += [f"entry {len(self.leaves) + i}".encode() for i in range(n)]

    def head(
        self, size: int, leaves: list[bytes] | None = None, at: dt.datetime | None = None
    ) -> dict[str, Any]:
        """A signed head of the first ``size`` leaves (of ``leaves``: another history, for a fork)."""
        log = (leaves if leaves is not None else self.leaves)[:size]
        signed_at = at or clock.now()
        root = merkle.root(log, ALGORITHM)
        message = signing.tree_head_message(size, root, signed_at, ALGORITHM)
        return {
            "tree_size": size,
            "root": root.hex(),
            "signed_at": iso_utc(signed_at),
            "hash_algorithm": ALGORITHM,
            "signature_algorithm": signing.SIGNATURE_ALGORITHM,
            "signature": self.key.sign(message).hex(),
        }

    def ledger(self, head: dict[str, Any], since: int | None, tree_size: int | None = None) -> dict[str, Any]:
        proofs: dict[str, list[str]] = {}
        if since is not None and since < head["tree_size"]:
            proof = merkle.consistency_proof(self.leaves[: head["tree_size"]], since, ALGORITHM)
            proofs[f"{since}:{head['tree_size']}"] = [p.hex() for p in proof]
        return {
            "format": witness.HEADS_FORMAT,
            "log": signing.LOG_ID,
            "public_key_pem": self.public_key_pem,
            "tree_size": head["tree_size"] if tree_size is None else tree_size,
            "heads": [head],
            "proofs": proofs,
        }

    def batch(
        self,
        items: list[dict[str, Any]],
        ledger: dict[str, Any] | None = None,
        *,
        sequence: int | None = None,
        batch_id: str | None = None,
    ) -> tuple[bytes, dict[str, str]]:
        """The body and headers of the next batch (or of ``sequence``: a gap, a repeat)."""
        if sequence is None:
            self.sequence += 1
            sequence = self.sequence
        batch_id = batch_id or "batch_" + secrets.token_hex(16)
        document = {
            "format": BATCH_FORMAT,
            "version": BATCH_VERSION,
            "adapter": "zhifa-v1",
            "batch_id": batch_id,
            "source": self.code,
            "sequence": sequence,
            "created_at": clock.now().isoformat(timespec="seconds"),
            "items": items,
            "ledger": ledger,
        }
        body = json.dumps(document, ensure_ascii=False, separators=(",", ":")).encode()
        return body, self.headers(batch_id, body)

    def headers(self, batch_id: str, body: bytes, key: Ed25519PrivateKey | None = None) -> dict[str, str]:
        return {
            **signed_headers(secret=self.secret, event_id=batch_id, at=clock.now(), body=body),
            "zhifa-source": self.code,
            "zhifa-batch-signature": "ed25519=" + base64.b64encode((key or self.key).sign(body)).decode(),
        }


def item(kind: str, key: str, **data: Any) -> dict[str, Any]:
    return {"kind": kind, "key": key, "data": data}
