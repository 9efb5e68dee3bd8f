"""Supervision fixtures: the cases ``world`` plus a county justice bureau, a county supervisor and a supervisor
of another province (region codes 88xxxx / 89xxxx; the demo county uses 86xxxx)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from zhifa.cases.tests.helpers import CaseWorld, world
from zhifa.org.models import Agency, Region, RegionLevel, Role, User
from zhifa.org.tests.factories import AgencyFactory, UserFactory, grant

__all__ = ["sup", "world"]


@dataclass
class SupWorld:
    w: CaseWorld
    justice: Agency
    county_sup: User
    foreign_sup: User
    foreign_agency: Agency


@pytest.fixture(autouse=True)
def evidence_dirs(settings: Any, tmp_path: Path) -> Path:
    settings.DATA_DIR = tmp_path
    settings.STORAGES = {
        **settings.STORAGES,
        "evidence": {
            "BACKEND": "zhifa.evidence.storage.EvidenceFileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "evidence")},
        },
    }
    return tmp_path


def _user(role: str, **scope: Any) -> User:
    user = UserFactory()
    grant(user, role, **scope)
    return User.objects.get(pk=user.pk)


@pytest.fixture
def sup(world: CaseWorld) -> SupWorld:
    justice = AgencyFactory(
        name="测县司法局", short_name="测县司法", region=world.county, is_supervision_organ=True
    )
    province = Region.objects.create(code="890000", name="异省", level=RegionLevel.PROVINCE)
    county = Region.objects.create(code="890102", name="异县", level=RegionLevel.COUNTY, parent=province)
    foreign_agency = AgencyFactory(name="异县市场监督管理局", short_name="异县市监", region=county)
    return SupWorld(
        w=world,
        justice=justice,
        county_sup=_user(Role.SUPERVISOR, region=world.county),
        foreign_sup=_user(Role.SUPERVISOR, region=province),
        foreign_agency=foreign_agency,
    )
