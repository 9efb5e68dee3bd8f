"""The small worlds the tests of several apps build on, in region codes 88xxxx / 89xxxx (the demo county uses
86xxxx): ``CaseWorld`` (the case tests' agency with its officers, head, reviewer and supervisor), ``SupWorld``
(that world plus a county justice bureau and supervisors in and out of scope) and ``decide_simple`` (an
on-the-spot fine, decided and handed over).

Imported by the fixtures of ``zhifa.testing.plugin`` once Django is set up (this module imports models).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from zhifa.cases import services as case_services
from zhifa.evidence.required_defaults import ensure_default_rules
from zhifa.org.domains import ensure_domains
from zhifa.org.models import (
    Agency,
    Domain,
    LegalQualification,
    Officer,
    Party,
    PartyKind,
    Region,
    RegionLevel,
    Role,
    User,
)
from zhifa.org.tests.factories import (
    AgencyFactory,
    OfficerFactory,
    PartyFactory,
    UserFactory,
    certificate,
    grant,
    next_resident_id,
)


@dataclass
class CaseWorld:
    county: Region
    agency: Agency
    other_agency: Agency
    market: Domain
    officers: list[Officer]  # o1 (user), o2, o3 (hearing host), all certified for market
    officer_user: User
    head: User
    reviewer: User
    supervisor: User
    outsider: User
    company: Party
    citizen: Party

    def fresh(self, user: User) -> User:
        return User.objects.get(pk=user.pk)


def _user_with(role: str, **scope: Any) -> User:
    user = UserFactory()
    grant(user, role, **scope)
    return User.objects.get(pk=user.pk)


def build_case_world() -> CaseWorld:
    """测县: a county (88xxxx) with a market-supervision agency, three certified officers (the first one a
    user), its head, a legal reviewer with 法律职业资格, a provincial supervisor, a housing agency's head, a
    company and a citizen."""
    ensure_domains()
    ensure_default_rules()  # 执法记录要求清单: a transactional test elsewhere may have flushed the seeded rows
    province = Region.objects.create(code="880000", name="测省", level=RegionLevel.PROVINCE)
    city = Region.objects.create(code="880100", name="测市", level=RegionLevel.CITY, parent=province)
    county = Region.objects.create(code="880102", name="测县", level=RegionLevel.COUNTY, parent=city)
    market = Domain.objects.get(code="market")
    agency = AgencyFactory(name="测县市场监督管理局", short_name="测县市监", region=county)
    agency.domains.set([market])
    other = AgencyFactory(name="测县住建局", short_name="测县住建", region=county)
    other.domains.set(Domain.objects.filter(code="housing"))
    officers = []
    for _ in range(3):
        officer = OfficerFactory(agency=agency)
        certificate(officer, "market", issued=dt.date(2024, 1, 1), expires=dt.date(2030, 12, 31))
        officers.append(officer)
    officer_user = _user_with(Role.OFFICER, agency=agency)
    officers[0].user = officer_user
    officers[0].save(update_fields=["user"])
    head = _user_with(Role.AGENCY_HEAD, agency=agency)
    grant(head, Role.OFFICER, agency=agency)
    head = User.objects.get(pk=head.pk)
    reviewer = _user_with(Role.LEGAL_REVIEWER, agency=agency)
    # 行政处罚法 第五十八条第二款: the world's reviewer holds the 法律职业资格 (a first review needs it).
    LegalQualification.objects.create(
        user=reviewer,
        certificate_number="A20200000000001",
        obtained_on=dt.date(2020, 12, 1),
        recorded_by=reviewer,
    )
    supervisor = _user_with(Role.SUPERVISOR, region=province)
    outsider = _user_with(Role.AGENCY_HEAD, agency=other)
    company = PartyFactory(name="测县示例有限公司", region=county, kind=PartyKind.LEGAL_PERSON)
    citizen = Party.objects.create(
        kind=PartyKind.NATURAL_PERSON, name="赵某", id_number=next_resident_id(), region=county
    )
    return CaseWorld(
        county=county,
        agency=agency,
        other_agency=other,
        market=market,
        officers=officers,
        officer_user=User.objects.get(pk=officer_user.pk),
        head=head,
        reviewer=reviewer,
        supervisor=supervisor,
        outsider=outsider,
        company=company,
        citizen=citizen,
    )


@dataclass
class SupWorld:
    """The case world seen from supervision: 测县司法局 (the supervision organ), a county supervisor, and a
    supervisor and an agency of another province (异省, 89xxxx)."""

    w: CaseWorld
    justice: Agency
    county_sup: User
    foreign_sup: User
    foreign_agency: Agency


def build_sup_world(world: CaseWorld) -> SupWorld:
    justice = AgencyFactory(
        name="测县司法局", short_name="测县司法", region=world.county, is_supervision_organ=True
    )
    province = Region.objects.create(code="890000", name="异省", level=RegionLevel.PROVINCE)
    county = Region.objects.create(code="890102", name="异县", level=RegionLevel.COUNTY, parent=province)
    foreign_agency = AgencyFactory(name="异县市场监督管理局", short_name="异县市监", region=county)
    return SupWorld(
        w=world,
        justice=justice,
        county_sup=_user_with(Role.SUPERVISOR, region=world.county),
        foreign_sup=_user_with(Role.SUPERVISOR, region=province),
        foreign_agency=foreign_agency,
    )


def decide_simple(
    world: CaseWorld, *, on: dt.date = dt.date(2025, 3, 3), party: Any = None, facts: str = "", **kw: Any
) -> Any:
    """An on-the-spot fine (简易程序) — decided and handed over, which creates the publication obligation."""

    return case_services.case_simple_decide(
        basis="《中华人民共和国行政处罚法》第五十九条（测试用依据）",
        actor=world.officer_user,
        agency=world.agency,
        domain=world.market,
        party=party or world.company,
        officers=world.officers[:2],
        kinds=kw.pop("kinds", ["fine"]),
        fine_yuan=kw.pop("fine_yuan", "150"),
        title=kw.pop("title", "销售过期食品"),
        facts=facts or "当事人在经营场所销售超过保质期的食品，违反了食品安全法第三十四条。",
        place="测县某路",
        on=on,
        **kw,
    )
