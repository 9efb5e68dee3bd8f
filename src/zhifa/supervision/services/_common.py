"""Helpers the supervision services share: today's date, checked text, the agency looked up."""

from __future__ import annotations

import datetime as dt

from zhifa.core import clock
from zhifa.core.errors import InvalidInput
from zhifa.org.models import Agency


def today() -> dt.date:
    return clock.today()


def _text(value: str | None, field: str, label: str, max_len: int, *, required: bool = True) -> str:
    value = (value or "").strip()
    if required and not value:
        raise InvalidInput(f"请填写{label}。", f"{field} is required.", code="required", field=field)
    if len(value) > max_len:
        raise InvalidInput(
            f"{label}过长（最多 {max_len} 字）。", f"{field} is longer than {max_len}.", field=field
        )
    return value


def _agency(agency: Agency | int) -> Agency:
    pk = agency.pk if isinstance(agency, Agency) else agency
    found = Agency.objects.select_related("region").filter(pk=pk).first()
    if found is None:
        raise InvalidInput("执法主体不存在。", "Unknown agency.", field="agency")
    return found
