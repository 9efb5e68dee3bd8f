"""Fixtures of the oversight tests: ``world`` and ``sup`` come from ``zhifa.testing``; ``city_sup`` is a
supervisor of the city above 测县 (the bureau a 共性问题 is escalated to)."""

from pathlib import Path
from typing import Any

import pytest

from zhifa.org.models import Region, Role, User
from zhifa.org.tests.factories import UserFactory, grant


@pytest.fixture(autouse=True)
def evidence_dirs(evidence_dirs: Path) -> Path:
    return evidence_dirs


@pytest.fixture
def city_sup(sup: Any) -> User:
    user = UserFactory()
    grant(user, Role.SUPERVISOR, region=Region.objects.get(code="880100"))
    return User.objects.get(pk=user.pk)
