"""The permission matrix for case actions: every role × every scope × every case action × a case per agency.

Reuses the org matrix's world (regions 87xxxx, six agencies in a small tree) and its independent notion of
what lies inside a scope; the role column comes from ``ROLE_ACTIONS`` after the cases app registered its
actions. ``scoped`` must return exactly the cases ``can`` allows.
"""

from __future__ import annotations

import datetime as dt
import itertools

from zhifa.cases.models import Case, Seizure
from zhifa.cases.rules import ACTIONS
from zhifa.org import permissions as perms
from zhifa.org.models import Domain, Role
from zhifa.org.tests.test_permission_matrix import (  # the org world fixture, reused as is
    SCOPE_CONFIGS,
    World,
    expected_inside,
    make_user,
    world,
)

__all__ = ["world"]


def _cases(w: World) -> dict[int, str]:
    market = Domain.objects.get(code="market")
    homes = {}
    for key, agency in w.agencies.items():
        case = Case.objects.create(
            agency=agency,
            domain=market,
            title=f"{key} 案件",
            source_kind="complaint",
            source_received_on=dt.date(2025, 3, 3),
        )
        Seizure.objects.create(
            case=case,
            kind="detain",
            items=["货物"],
            decided_on=dt.date(2025, 3, 3),
            due_on=dt.date(2025, 4, 2),
            created_by=make_user(w, Role.OFFICER, "agency", key),
        )
        homes[case.pk] = key
    return homes


def test_every_role_and_scope_sees_and_moves_exactly_the_cases_in_scope(world: World) -> None:
    homes = _cases(world)
    cases = list(perms.scoped_select_related(Case.objects.filter(pk__in=homes)))
    seizures = list(Seizure.objects.filter(case__in=homes).select_related("case__agency__region"))
    checked = 0
    for role, (scope, target) in itertools.product(Role.values, SCOPE_CONFIGS):
        user = make_user(world, role, scope, target)
        for action in ACTIONS:
            role_may = action in perms.ROLE_ACTIONS[role]
            allowed = set()
            for case in cases:
                key = homes[case.pk]
                home = (key, world.agency_region[key], None)
                expected = role_may and expected_inside(world, scope, target, home)
                assert perms.can(user, action, case) == expected, (role, scope, target, action, key)
                if expected:
                    allowed.add(case.pk)
                checked += 1
            assert (
                set(perms.scoped(user, action, Case).filter(pk__in=homes).values_list("pk", flat=True))
                == allowed
            )
            for seizure in seizures:
                assert perms.can(user, action, seizure) == (seizure.case_id in allowed)
    assert checked == len(Role.values) * len(SCOPE_CONFIGS) * len(ACTIONS) * len(cases)


def test_case_actions_stay_out_of_orgs_own_action_list() -> None:
    assert not set(ACTIONS) & set(perms.ACTIONS)
    assert set(ACTIONS) <= perms.ROLE_ACTIONS[Role.ADMIN]
    assert perms.ROLE_ACTIONS[Role.ENTERPRISE].isdisjoint(ACTIONS)
