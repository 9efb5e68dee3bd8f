"""The permission matrix: every role × every scope × every action × every object of a small world.

The expected answer is computed from the world's geometry as the test built it (which agency and region
each object belongs to, which regions lie under which), independently of the paths the code uses; the role
column comes from ``ROLE_ACTIONS``, the spec of what each role may do. For every combination ``can`` must
agree, and ``scoped`` must return exactly the objects ``can`` allows — so no one reads or writes outside
their scope.
"""

from __future__ import annotations

import datetime as dt
import itertools
from dataclasses import dataclass, field
from decimal import Decimal

import pytest
from django.db.models import Model

from zhifa.org import permissions as perms
from zhifa.org.models import (
    Agency,
    Certificate,
    Officer,
    Party,
    PartyKind,
    Region,
    RegionLevel,
    Role,
    ScopeKind,
    TrainingRecord,
    Unit,
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
class World:
    regions: dict[str, Region] = field(default_factory=dict)
    agencies: dict[str, Agency] = field(default_factory=dict)
    region_parent: dict[str, str | None] = field(default_factory=dict)
    agency_parent: dict[str, str | None] = field(default_factory=dict)
    agency_region: dict[str, str] = field(default_factory=dict)
    # object -> (home agency key or None, home region key, party key or None)
    homes: dict[tuple[type[Model], int], tuple[str | None, str, str | None]] = field(default_factory=dict)
    parties: dict[str, Party] = field(default_factory=dict)

    def region_ancestors(self, key: str) -> set[str]:
        out, cur = set(), key
        while cur is not None:
            out.add(cur)
            cur = self.region_parent[cur]
        return out

    def agency_ancestors(self, key: str) -> set[str]:
        out, cur = set(), key
        while cur is not None:
            out.add(cur)
            cur = self.agency_parent[cur]
        return out


REGION_TREE = [  # key, code, level, parent
    ("P", "870000", RegionLevel.PROVINCE, None),
    ("C1", "870100", RegionLevel.CITY, "P"),
    ("C2", "870200", RegionLevel.CITY, "P"),
    ("K1", "870102", RegionLevel.COUNTY, "C1"),
    ("K2", "870103", RegionLevel.COUNTY, "C1"),
    ("K3", "870202", RegionLevel.COUNTY, "C2"),
    ("T1", "870102001", RegionLevel.TOWNSHIP, "K1"),
]
AGENCY_TREE = [  # key, region, parent agency
    ("A1", "K1", None),
    ("A1sub", "K1", "A1"),  # e.g. an organisation entrusted by A1
    ("A2", "K1", None),
    ("A3", "K2", None),
    ("A4", "K3", None),
    ("CityA", "C1", None),
]
PARTY_REGIONS = [("PT1", "T1"), ("PK1", "K1"), ("PK2", "K2"), ("PK3", "K3")]


@pytest.fixture
def world(db) -> World:
    w = World()
    for key, code, level, parent in REGION_TREE:
        w.regions[key] = Region.objects.create(
            code=code, name=key, level=level, parent=w.regions[parent] if parent else None
        )
        w.region_parent[key] = parent
    for key, region, parent in AGENCY_TREE:
        agency = AgencyFactory(
            name=key, region=w.regions[region], parent=w.agencies[parent] if parent else None
        )
        w.agencies[key] = agency
        w.agency_parent[key] = parent
        w.agency_region[key] = region
        w.homes[(Agency, agency.pk)] = (key, region, None)
        unit = Unit.objects.create(agency=agency, name="法制股", is_legal_review_office=True)
        w.homes[(Unit, unit.pk)] = (key, region, None)
        officer = OfficerFactory(agency=agency, id_number=next_resident_id())
        w.homes[(Officer, officer.pk)] = (key, region, None)
        cert = certificate(officer, "market")
        w.homes[(Certificate, cert.pk)] = (key, region, None)
        training = TrainingRecord.objects.create(
            officer=officer,
            kind="public_law",
            title="行政处罚法",
            held_on=dt.date(2026, 3, 1),
            hours=Decimal("8"),
        )
        w.homes[(TrainingRecord, training.pk)] = (key, region, None)
    for key, region in PARTY_REGIONS:
        party = PartyFactory(name=key, region=w.regions[region], kind=PartyKind.LEGAL_PERSON)
        w.parties[key] = party
        w.homes[(Party, party.pk)] = (None, region, key)
    for key, region in w.regions.items():
        w.homes[(Region, region.pk)] = (None, key, None)
    return w


SCOPE_CONFIGS = [  # (scope kind, target key)
    (ScopeKind.OWN_AGENCY, "A1"),
    (ScopeKind.AGENCY_TREE, "A1"),
    (ScopeKind.OWN_AGENCY, "CityA"),
    (ScopeKind.REGION, "K1"),
    (ScopeKind.REGION, "C1"),
    (ScopeKind.REGION, "P"),
    (ScopeKind.PARTY, "PK1"),
]


def expected_inside(w: World, scope: str, target: str, home: tuple[str | None, str, str | None]) -> bool:
    agency_key, region_key, party_key = home
    if scope == ScopeKind.PARTY:
        return party_key == target
    if scope == ScopeKind.REGION:
        return target in w.region_ancestors(region_key)
    if agency_key is not None:
        if scope == ScopeKind.OWN_AGENCY:
            return agency_key == target
        return target in w.agency_ancestors(agency_key)
    return w.agency_region[target] in w.region_ancestors(region_key)


def make_user(w: World, role: str, scope: str, target: str) -> User:
    user = UserFactory()
    kwargs: dict[str, object] = {"scope": scope}
    if scope in (ScopeKind.OWN_AGENCY, ScopeKind.AGENCY_TREE):
        kwargs["agency"] = w.agencies[target]
    elif scope == ScopeKind.REGION:
        kwargs["region"] = w.regions[target]
    else:
        kwargs["party"] = w.parties[target]
    grant(user, role, **kwargs)
    return User.objects.get(pk=user.pk)


MODELS = [Region, Agency, Unit, Officer, Certificate, TrainingRecord, Party]


def test_no_one_reads_or_writes_outside_their_scope(world: World) -> None:
    # Only the world's own objects: a demo county may share the test database (other region codes).
    objects = {
        m: [o for o in perms.scoped_select_related(m._default_manager.all()) if (m, o.pk) in world.homes]
        for m in MODELS
    }
    checked = 0
    for role, (scope, target) in itertools.product(Role.values, SCOPE_CONFIGS):
        user = make_user(world, role, scope, target)
        for action in perms.ACTIONS:
            role_may = action in perms.ROLE_ACTIONS[role]
            for model in MODELS:
                allowed_ids = set()
                for obj in objects[model]:
                    expected = role_may and expected_inside(
                        world, scope, target, world.homes[(model, obj.pk)]
                    )
                    got = perms.can(user, action, obj)
                    assert got == expected, (role, scope, target, action, model.__name__, obj.pk)
                    if got:
                        allowed_ids.add(obj.pk)
                    checked += 1
                world_ids = {o.pk for o in objects[model]}
                in_scope = set(perms.scoped(user, action, model).values_list("pk", flat=True)) & world_ids
                assert in_scope == allowed_ids, (role, scope, target, action, model.__name__)
    assert checked == len(Role.values) * len(SCOPE_CONFIGS) * len(perms.ACTIONS) * sum(
        len(v) for v in objects.values()
    )


def test_anonymous_and_inactive_users_may_do_nothing(world: World) -> None:
    from django.contrib.auth.models import AnonymousUser

    inactive = make_user(world, Role.ADMIN, ScopeKind.REGION, "P")
    inactive.is_active = False
    agency = world.agencies["A1"]
    for user in (AnonymousUser(), inactive, None):
        assert not perms.can(user, perms.VIEW_AGENCY, agency)
        assert not perms.scoped(user, perms.VIEW_AGENCY, Agency).exists()


def test_user_without_roles_sees_nothing(world: World) -> None:
    user = UserFactory()
    assert not perms.can(user, perms.VIEW_PARTY)
    assert not perms.scoped(user, perms.VIEW_PARTY, Party).exists()


def test_two_grants_add_up(world: World) -> None:
    user = make_user(world, Role.OFFICER, ScopeKind.OWN_AGENCY, "A1")
    grant(user, Role.OFFICER, agency=world.agencies["A4"])
    user = User.objects.get(pk=user.pk)
    names = set(perms.scoped(user, perms.VIEW_AGENCY, Agency).values_list("name", flat=True))
    names &= set(world.agencies)
    assert names == {"A1", "A4"}


def test_permission_check_costs_constant_queries(world: World, django_assert_num_queries) -> None:
    user = make_user(world, Role.SUPERVISOR, ScopeKind.REGION, "P")
    officers = list(
        perms.scoped_select_related(Officer.objects.filter(agency__region__path__startswith="/870000/"))
    )
    assert len(officers) == len(AGENCY_TREE)
    # One query loads the grants; then every check over any number of objects is free.
    with django_assert_num_queries(1):
        assert all(perms.can(user, perms.VIEW_OFFICER, o) for o in officers)
    # A scoped list is one query, whatever the number of agencies.
    for _ in range(20):
        AgencyFactory(region=world.regions["K3"])
    with django_assert_num_queries(1):
        agencies = list(
            perms.scoped(user, perms.VIEW_AGENCY, Agency).filter(region__path__startswith="/870000/")
        )
    assert len(agencies) == len(AGENCY_TREE) + 20


def test_denial_is_audited_and_raises(world: World) -> None:
    from zhifa.core.errors import PermissionDenied
    from zhifa.core.models import AuditEvent, AuditLog

    user = make_user(world, Role.OFFICER, ScopeKind.OWN_AGENCY, "A1")
    with pytest.raises(PermissionDenied):
        perms.require(user, perms.CHANGE_OFFICER, world.agencies["A2"].officers.first())
    assert AuditLog.objects.filter(event=AuditEvent.PERMISSION_DENIED, user_id=user.pk).exists()
