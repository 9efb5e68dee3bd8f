"""Evidence test world: two counties, an agency in each, an officer, supervisors in and out of scope.

Every test gets its own evidence directory, upload temporary directory and data directory.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from zhifa.org.models import Agency, Party, RegionLevel, Role, User
from zhifa.org.tests.factories import (
    AgencyFactory,
    OfficerFactory,
    PartyFactory,
    RegionFactory,
    UserFactory,
    grant,
)

MiB = 1024 * 1024

JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00" + bytes(range(256)) * 4
PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n" + b"0" * 512
MP4_HEAD = b"\x00\x00\x00\x20ftypisom\x00\x00\x02\x00isomiso2avc1mp41"


@dataclass
class World:
    agency: Agency
    other_agency: Agency
    officer_user: User
    supervisor: User
    outside_supervisor: User
    party: Party

    @property
    def target(self) -> dict[str, str]:
        return {"object_type": "org.party", "object_id": str(self.party.pk)}


@pytest.fixture(autouse=True)
def evidence_dirs(settings: Any, tmp_path: Path) -> Path:
    settings.DATA_DIR = tmp_path
    settings.ZHIFA_LEDGER_SIGNING_KEY_FILE = ""
    settings.STORAGES = {
        **settings.STORAGES,
        "evidence": {
            "BACKEND": "zhifa.evidence.storage.EvidenceFileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "evidence")},
        },
    }
    (tmp_path / "upload-tmp").mkdir()
    settings.FILE_UPLOAD_TEMP_DIR = str(tmp_path / "upload-tmp")
    settings.ZHIFA_EVIDENCE_UPLOAD_DIR = str(tmp_path / "parts")
    settings.ZHIFA_EVIDENCE_MAX_BYTES = 64 * MiB
    return tmp_path


@pytest.fixture
def world(db: Any) -> World:
    province = RegionFactory(code="860000", level=RegionLevel.PROVINCE)
    city = RegionFactory(code="860100", level=RegionLevel.CITY, parent=province)
    county = RegionFactory(code="860102", level=RegionLevel.COUNTY, parent=city)
    other_county = RegionFactory(code="860103", level=RegionLevel.COUNTY, parent=city)
    agency = AgencyFactory(region=county, name="示范县市场监督管理局")
    other_agency = AgencyFactory(region=other_county, name="邻县市场监督管理局")
    officer_user = UserFactory(full_name="张执法")
    OfficerFactory(agency=agency, user=officer_user, name="张执法")
    grant(officer_user, Role.OFFICER, agency=agency)
    supervisor = UserFactory(full_name="李监督")
    grant(supervisor, Role.SUPERVISOR, region=county)
    outside_supervisor = UserFactory(full_name="王监督")
    grant(outside_supervisor, Role.SUPERVISOR, region=other_county)
    party = PartyFactory(region=county)
    return World(agency, other_agency, officer_user, supervisor, outside_supervisor, party)


def stored_files(root: Path) -> list[Path]:
    base = root / "evidence"
    return [p for p in base.rglob("*") if p.is_file()] if base.exists() else []


def temp_files(root: Path) -> list[Path]:
    return [p for p in (root / "upload-tmp").rglob("*") if p.is_file()]


def ledger(action: str) -> list[Any]:
    from zhifa.records.models import LedgerEntry

    return list(LedgerEntry.objects.filter(action=action).order_by("seq"))


def changes(entry: Any) -> dict[str, Any]:
    return json.loads(entry.changes)
