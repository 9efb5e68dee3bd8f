"""The endpoints' signing secrets at rest: encrypted (Fernet: AES-128-CBC + HMAC-SHA256, from ``cryptography``)
with a key derived from ``ZHIFA_SECRET_KEY``, so that a copy of the database alone does not let anyone sign
messages an agency's website would accept. The secret must be recoverable (the platform signs with it), so a
hash will not do. Changing ``ZHIFA_SECRET_KEY`` makes the stored secrets unreadable: the endpoints then need a
new secret (disable and register again); ``decrypt`` says so in Chinese rather than failing with a 500.
"""

from __future__ import annotations

import base64
import hashlib
import secrets

from cryptography.fernet import Fernet, InvalidToken
from django.conf import settings

from zhifa.core.errors import RuleViolation

SECRET_PREFIX = "whsec_"  # noqa: S105 - the Standard Webhooks prefix of a secret, not a secret


def _fernet() -> Fernet:
    digest = hashlib.sha256(b"zhifa.channels.webhook-secret\x00" + settings.SECRET_KEY.encode()).digest()
    return Fernet(base64.urlsafe_b64encode(digest))


def new_secret() -> str:
    """A fresh secret as the Standard Webhooks specification writes it: ``whsec_`` + base64 of 32 random bytes."""
    return SECRET_PREFIX + base64.b64encode(secrets.token_bytes(32)).decode()


def encrypt(secret: str) -> str:
    return _fernet().encrypt(secret.encode()).decode()


def decrypt(token: str) -> str:
    try:
        return _fernet().decrypt(token.encode()).decode()
    except InvalidToken:
        raise RuleViolation(
            "签名密钥无法解密（系统密钥已更换），请停用该推送地址并重新登记。",
            "The signing secret cannot be decrypted (the secret key changed); register the endpoint again.",
            code="webhook_secret_unreadable",
        ) from None
