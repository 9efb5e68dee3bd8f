"""Fixtures of the case tests; the builders live in ``helpers``."""

from zhifa.cases.tests.helpers import world

__all__ = ["world"]
