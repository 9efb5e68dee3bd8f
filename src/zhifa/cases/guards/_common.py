"""The helpers every guard module shares: the ``Stage`` shorthand ``S``, a refusal, today's date."""

from __future__ import annotations

import datetime as dt

from zhifa.cases.models import Stage
from zhifa.core import clock
from zhifa.core.errors import RuleViolation

S = Stage


def refuse(code: str, message: str, message_en: str) -> RuleViolation:
    return RuleViolation(message, message_en, code=code)


def today() -> dt.date:
    return clock.today()
