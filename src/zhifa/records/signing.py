"""The ledger's signing key and the bytes a signed tree head (签名树头) signs.

Ed25519 from ``cryptography`` (see docs/ledger.md for why not SM2).  The private key is a PKCS#8 PEM file:
``ZHIFA_LEDGER_SIGNING_KEY_FILE`` when set (it must exist), otherwise ``$ZHIFA_DATA_DIR/keys/ledger-ed25519.pem``,
created on first use with mode 0600 in a 0700 directory.  Public keys that signed earlier heads after a key
rotation are trusted when their PEM files lie beside the key as ``keys/trusted/*.pem``.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from zhifa.core.env import env_str
from zhifa.records.canonical import canonical_json, iso_utc

SIGNATURE_ALGORITHM = "ed25519"
#: Names the log and the message format; a verifier refuses any other value.
LOG_ID = "zhifa-ledger-v1"
DEFAULT_KEY_NAME = "ledger-ed25519.pem"


@dataclass(frozen=True)
class SigningKey:
    path: Path
    private_key: Ed25519PrivateKey

    @property
    def public_key(self) -> Ed25519PublicKey:
        return self.private_key.public_key()

    @property
    def public_key_raw(self) -> bytes:
        return self.public_key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)

    @property
    def public_key_pem(self) -> str:
        return public_key_pem(self.public_key_raw)


def key_path() -> Path:
    """Where the private key lives (the file need not exist yet for the default path)."""
    configured = getattr(settings, "ZHIFA_LEDGER_SIGNING_KEY_FILE", "") or env_str(
        "ZHIFA_LEDGER_SIGNING_KEY_FILE"
    )
    if configured:
        return Path(configured)
    return Path(settings.DATA_DIR) / "keys" / DEFAULT_KEY_NAME


def _create_key_file(path: Path) -> None:
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    pem = Ed25519PrivateKey.generate().private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    # Written to a private temporary file, then linked into place: link() fails if another process got
    # there first, and nobody ever reads a half-written key.
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".key-")
    try:
        os.fchmod(fd, 0o600)
        with os.fdopen(fd, "wb") as handle:
            handle.write(pem)
            handle.flush()
            os.fsync(handle.fileno())
        with contextlib.suppress(FileExistsError):
            os.link(tmp, path)
    finally:
        os.unlink(tmp)


def load_signing_key() -> SigningKey:
    """The platform's signing key, created on first use at the default path."""
    path = key_path()
    explicit = bool(
        getattr(settings, "ZHIFA_LEDGER_SIGNING_KEY_FILE", "") or env_str("ZHIFA_LEDGER_SIGNING_KEY_FILE")
    )
    if not path.exists():
        if explicit:
            raise ImproperlyConfigured(
                f"账本签名密钥文件不存在：{path} / ZHIFA_LEDGER_SIGNING_KEY_FILE points to a missing file: {path}"
            )
        _create_key_file(path)
    key = serialization.load_pem_private_key(path.read_bytes(), password=None)
    if not isinstance(key, Ed25519PrivateKey):
        raise ImproperlyConfigured(
            f"账本签名密钥必须是 Ed25519 私钥：{path} / {path} is not an Ed25519 private key"
        )
    return SigningKey(path=path, private_key=key)


def public_key_pem(raw: bytes) -> str:
    key = Ed25519PublicKey.from_public_bytes(raw)
    return key.public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    ).decode()


def key_fingerprint(raw: bytes) -> str:
    """SHA-256 of the raw 32-byte public key, hex: how people compare keys by eye."""
    return hashlib.sha256(raw).hexdigest()


def trusted_public_keys() -> set[bytes]:
    """Raw public keys whose signatures ``verify`` accepts: the current key and ``keys/trusted/*.pem``."""
    current = load_signing_key()
    keys = {current.public_key_raw}
    trusted_dir = current.path.parent / "trusted"
    if trusted_dir.is_dir():
        for pem in sorted(trusted_dir.glob("*.pem")):
            loaded = serialization.load_pem_public_key(pem.read_bytes())
            if isinstance(loaded, Ed25519PublicKey):
                keys.add(loaded.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw))
    return keys


def tree_head_message(tree_size: int, root: bytes, signed_at: dt.datetime, hash_algorithm: str) -> bytes:
    """The exact bytes signed: canonical JSON of the log id, size, root (hex), time (UTC ISO) and algorithm."""
    return canonical_json(
        {
            "log": LOG_ID,
            "tree_size": tree_size,
            "root": root.hex(),
            "signed_at": iso_utc(signed_at),
            "hash_algorithm": hash_algorithm,
        }
    )


def sign(key: SigningKey, message: bytes) -> bytes:
    return key.private_key.sign(message)


def signature_valid(public_key_raw: bytes, signature: bytes, message: bytes) -> bool:
    try:
        Ed25519PublicKey.from_public_bytes(bytes(public_key_raw)).verify(bytes(signature), message)
    except (InvalidSignature, ValueError):
        return False
    return True
