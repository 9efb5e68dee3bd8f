"""Inspection test world (region codes 83xxxx): a county with a judicial bureau, a market agency with a head,
two officers and an auxiliary, a neighbouring agency, supervisors in and out of scope, tagged parties.

Each test signs ledger heads with its own key under a temporary data directory.
"""

from __future__ import annotations

import datetime as dt
import itertools
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone

from zhifa.inspections import services
from zhifa.inspections.models import InspectionItem, InspectionPlan, PartyDomainTag, PlanItem
from zhifa.org.domains import ensure_domains
from zhifa.org.models import Agency, Domain, Officer, Party, Region, RegionLevel, Role, User
from zhifa.org.tests.factories import (
    AgencyFactory,
    OfficerFactory,
    PartyFactory,
    RegionFactory,
    UserFactory,
    certificate,
    grant,
)

TZ_NOW = dt.datetime(2026, 2, 10, 9, 0, tzinfo=dt.UTC)
_codes = itertools.count(1)


@pytest.fixture(autouse=True)
def ledger_key(tmp_path: Path, settings: Any) -> None:
    settings.DATA_DIR = tmp_path
    settings.ZHIFA_LEDGER_SIGNING_KEY_FILE = ""


@pytest.fixture
def evidence_dirs(settings: Any, tmp_path: Path) -> Path:
    """Evidence files and uploads under the test's temporary directory (modules that store evidence use it)."""
    settings.STORAGES = {
        **settings.STORAGES,
        "evidence": {
            "BACKEND": "zhifa.evidence.storage.EvidenceFileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "evidence")},
        },
    }
    (tmp_path / "upload-tmp").mkdir(exist_ok=True)
    settings.FILE_UPLOAD_TEMP_DIR = str(tmp_path / "upload-tmp")
    return tmp_path


@dataclass
class World:
    county: Region
    other_county: Region
    bureau: Agency
    agency: Agency
    other_agency: Agency
    head: User
    officer_users: list[User]
    officers: list[Officer]
    unit_head: User
    other_head: User
    supervisor: User
    outside_supervisor: User
    parties: list[Party] = field(default_factory=list)

    @property
    def officer_user(self) -> User:
        return self.officer_users[0]


def make_officer(agency: Agency, name: str, *domains: str, **kwargs: Any) -> tuple[User, Officer]:
    user = UserFactory(full_name=name)
    officer = OfficerFactory(agency=agency, user=user, name=name, **kwargs)
    certificate(officer, *(domains or ("market",)))
    grant(user, Role.OFFICER, agency=agency)
    return User.objects.get(pk=user.pk), officer


@pytest.fixture
def world(db: Any) -> World:
    ensure_domains()
    market = Domain.objects.get(code="market")
    province = RegionFactory(code="830000", level=RegionLevel.PROVINCE)
    city = RegionFactory(code="830100", level=RegionLevel.CITY, parent=province)
    county = RegionFactory(code="830102", level=RegionLevel.COUNTY, parent=city)
    other_county = RegionFactory(code="830103", level=RegionLevel.COUNTY, parent=city)
    bureau = AgencyFactory(region=county, name="检测县司法局", is_supervision_organ=True)
    agency = AgencyFactory(region=county, name="检测县市场监督管理局")
    agency.domains.add(market)
    other_agency = AgencyFactory(region=county, name="检测县应急管理局")
    other_agency.domains.add(Domain.objects.get(code="emergency"), market)
    head = UserFactory(full_name="局长")
    grant(head, Role.AGENCY_HEAD, agency=agency)
    other_head = UserFactory(full_name="应急局长")
    grant(other_head, Role.AGENCY_HEAD, agency=other_agency)
    pairs = [make_officer(agency, f"检查员{i}") for i in range(4)]
    unit_head, _ = make_officer(agency, "股长", post="股长")
    supervisor = UserFactory(full_name="监督员")
    grant(supervisor, Role.SUPERVISOR, region=county)
    outside_supervisor = UserFactory(full_name="外县监督员")
    grant(outside_supervisor, Role.SUPERVISOR, region=other_county)
    w = World(
        county=county,
        other_county=other_county,
        bureau=bureau,
        agency=agency,
        other_agency=other_agency,
        head=User.objects.get(pk=head.pk),
        officer_users=[u for u, _ in pairs],
        officers=[o for _, o in pairs],
        unit_head=unit_head,
        other_head=User.objects.get(pk=other_head.pk),
        supervisor=User.objects.get(pk=supervisor.pk),
        outside_supervisor=User.objects.get(pk=outside_supervisor.pk),
    )
    for i, credit in enumerate("AABBBBCCDD"):
        party = PartyFactory(region=county, credit_class=credit, industry="餐饮" if i % 2 else "零售")
        PartyDomainTag.objects.create(party=party, domain=market)
        w.parties.append(party)
    return w


def make_item(w: World, *, agency: Agency | None = None, code: str | None = None) -> InspectionItem:
    agency = agency or w.agency
    return services.item_create(
        w.head if agency == w.agency else w.other_head,
        agency=agency,
        code=code or f"SC-{next(_codes):03d}",
        name="食品经营许可情况检查",
        domain_code="market",
        legal_basis="《中华人民共和国食品安全法》第一百一十条",
    )


def make_plan(
    w: World,
    *,
    ratios: dict[str, str] | None = None,
    approve: bool = True,
    stratify_by_industry: bool = False,
    year: int = 2026,
) -> tuple[InspectionPlan, PlanItem]:
    item = make_item(w)
    plan = services.plan_create(
        w.officer_user, agency=w.agency, year=year, title=f"{year} 年度计划 {item.code}"
    )
    plan_item = services.plan_item_add(
        w.officer_user,
        plan,
        item=item,
        ratios={k: Decimal(v) for k, v in (ratios or {"A": "10", "B": "30", "C": "50", "D": "100"}).items()},
        stratify_by_industry=stratify_by_industry,
    )
    if approve:
        services.plan_approve(w.head, plan, now=TZ_NOW)
    return plan, plan_item


def make_random_task(w: World, plan_item: PlanItem, **kwargs: Any) -> Any:
    values: dict[str, Any] = {
        "title": "一季度食品经营抽查",
        "starts_on": dt.date(2026, 3, 1),
        "ends_on": dt.date(2026, 3, 31),
        "quarter": 1,
        "now": TZ_NOW,
    }
    values.update(kwargs)
    return services.task_create_random(w.officer_user, plan_item=plan_item, **values)


def at(day: dt.date, hour: int = 10) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))
