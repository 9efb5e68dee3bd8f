"""检查码 — the signed inspection code an officer shows at the enterprise (its QR payload).

Signed with an HMAC (``django.core.signing``: HMAC-SHA256 over the platform's ``SECRET_KEY`` with the salt
``zhifa.inspections.code``), not Ed25519: only the platform itself verifies codes (the officer's check-in and
the enterprise's scan both call the server), so a shared-key MAC is enough and the code stays short enough
for a small QR. The payload is ``{"v": 1, "i": inspection id, "p": party id, "nb": not before, "na": not
after}`` (Unix seconds); the validity window is the task's period in local days, ``starts_on`` 00:00 to the
day after ``ends_on`` 00:00.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from typing import Any

from django.core import signing
from django.core.cache import cache
from django.utils import timezone

SALT = "zhifa.inspections.code"
VERSION = 1


@dataclass(frozen=True)
class CodePayload:
    inspection_id: int
    party_id: int
    not_before: dt.datetime
    not_after: dt.datetime


class ForgedCode(Exception):
    """The signature does not hold; ``claimed`` is what the payload says, when it can be read at all."""

    def __init__(self, claimed: CodePayload | None) -> None:
        super().__init__("forged inspection code")
        self.claimed = claimed


def _local_midnight(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min), timezone.get_current_timezone())


def window(starts_on: dt.date, ends_on: dt.date) -> tuple[dt.datetime, dt.datetime]:
    return _local_midnight(starts_on), _local_midnight(ends_on + dt.timedelta(days=1))


def issue_code(inspection: Any) -> str:
    """The signed code of an inspection of an approved task (its QR payload)."""
    task = inspection.task
    not_before, not_after = window(task.starts_on, task.ends_on)
    payload = {
        "v": VERSION,
        "i": inspection.pk,
        "p": inspection.party_id,
        "nb": int(not_before.timestamp()),
        "na": int(not_after.timestamp()),
    }
    return signing.dumps(payload, salt=SALT, compress=False)


def _payload(data: Any) -> CodePayload | None:
    try:
        if data["v"] != VERSION:
            return None
        return CodePayload(
            inspection_id=int(data["i"]),
            party_id=int(data["p"]),
            not_before=dt.datetime.fromtimestamp(int(data["nb"]), tz=dt.UTC),
            not_after=dt.datetime.fromtimestamp(int(data["na"]), tz=dt.UTC),
        )
    except (KeyError, TypeError, ValueError, OverflowError, OSError):
        return None


def _claimed(code: str) -> CodePayload | None:
    """What an unsigned or badly signed code claims, read without trusting it (to attach its warning)."""
    try:
        body = code.split(":", 1)[0]
        return _payload(json.loads(signing.b64_decode(body.encode("ascii"))))
    except (ValueError, UnicodeError, json.JSONDecodeError, TypeError):
        return None


def read_code(code: str) -> CodePayload:
    """The verified payload of a code; raises :class:`ForgedCode` when the signature or the shape fails."""
    if not isinstance(code, str) or not code or len(code) > 1000:
        raise ForgedCode(None)
    try:
        data = signing.loads(code, salt=SALT)
    except signing.BadSignature:
        raise ForgedCode(_claimed(code)) from None
    payload = _payload(data)
    if payload is None:
        raise ForgedCode(None)
    return payload


def qr_svg_for(inspection: Any) -> str:
    """The QR image of the inspection's code, drawn once per visit and window (kept in the default cache).

    A code signed at any moment carries the same claims (inspection, party, window), and reading a code checks
    those claims, not the moment it was signed: the image drawn first serves until the window changes.
    """
    task = inspection.task
    key = f"inspections:qr:{VERSION}:{inspection.pk}:{inspection.party_id}:{task.starts_on}:{task.ends_on}"
    svg = cache.get(key)
    if svg is None:
        svg = qr_svg(issue_code(inspection))
        cache.set(key, svg, 24 * 3600)
    return svg


def qr_svg(code: str) -> str:
    """The code as an SVG QR image (for pages and printed notices)."""
    import qrcode  # local import: qrcode loads only when a code is drawn
    import qrcode.image.svg  # local import: qrcode loads only when a code is drawn

    image = qrcode.make(code, image_factory=qrcode.image.svg.SvgPathImage, box_size=8)
    return image.to_string(encoding="unicode")
