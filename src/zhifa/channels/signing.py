"""Standard Webhooks (https://www.standardwebhooks.com/) signing, through the ``standardwebhooks`` package.

Each request carries ``webhook-id`` (the event id: the idempotency key, the same on every retry),
``webhook-timestamp`` (seconds since the epoch, of this attempt) and ``webhook-signature``:
``v1,`` + base64(HMAC-SHA256(secret, "{id}.{timestamp}.{body}")) over the exact body bytes.
"""

from __future__ import annotations

import datetime as dt
import math

from standardwebhooks import Webhook


def signed_headers(*, secret: str, event_id: str, at: dt.datetime, body: bytes) -> dict[str, str]:
    """The three headers of the specification for ``body`` sent at ``at``."""
    signature = Webhook(secret).sign(msg_id=event_id, timestamp=at, data=body)
    return {
        "webhook-id": event_id,
        "webhook-timestamp": str(math.floor(at.timestamp())),
        "webhook-signature": signature,
    }
