"""Fixtures of the discretion tests: the case world of the cases app, and evidence in a temp directory."""

from zhifa.cases.tests.conftest import evidence_dirs
from zhifa.cases.tests.helpers import world

__all__ = ["evidence_dirs", "world"]
