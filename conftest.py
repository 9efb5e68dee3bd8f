"""Shared test set-up: fast password hashing, the database leg in use, a session-wide demo county."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.conf import settings


def pytest_configure(config: pytest.Config) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def pytest_report_header(config: pytest.Config) -> str:
    return f"zhifa database: {settings.DATABASES['default']['ENGINE']}"


@pytest.fixture(scope="session")
def demo_county(django_db_setup: Any, django_db_blocker: Any) -> Iterator[Any]:
    """A small deterministic demo county, built once per test session (and per xdist worker).

    Tests that use it must not change it: use the ``db`` fixture's transaction for writes.
    """
    from zhifa.org.demo import build_demo

    with django_db_blocker.unblock():
        summary = build_demo(scale=0.05, quiet=True)
    yield summary
