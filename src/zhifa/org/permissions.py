"""Who may do what to which object: one central check and the matching scoped querysets.

``can(user, action, obj)`` answers for one object; ``scoped(user, action, queryset)`` narrows a queryset to
exactly the objects ``can`` would allow. Both cost a constant number of queries: a user's role assignments
are loaded once per request (cached on the user object) and scope membership is a prefix test on
materialised paths (``Region.path``, ``Agency.path``).

Every model that can be the target of an action declares how to find its agency, its region and its party
in ``SCOPE_LOOKUPS``. An action not listed for a role is refused, whatever the scope.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import reduce
from operator import or_
from typing import Any

from django.db.models import Model, Q, QuerySet

from zhifa.core.errors import PermissionDenied
from zhifa.core.transactions import flush_denial_audit
from zhifa.org.models import (
    Agency,
    Certificate,
    Officer,
    Party,
    Region,
    Role,
    RoleAssignment,
    ScopeKind,
    TrainingRecord,
    Unit,
    User,
)

# --- actions -----------------------------------------------------------------------------------------------

VIEW_REGION = "org.view_region"
CHANGE_REGION = "org.change_region"
VIEW_AGENCY = "org.view_agency"
CHANGE_AGENCY = "org.change_agency"
VIEW_OFFICER = "org.view_officer"
CHANGE_OFFICER = "org.change_officer"
VIEW_CERTIFICATE = "org.view_certificate"
MANAGE_CERTIFICATE = "org.manage_certificate"
VIEW_TRAINING = "org.view_training"
CHANGE_TRAINING = "org.change_training"
VIEW_PARTY = "org.view_party"
CHANGE_PARTY = "org.change_party"
IMPORT_PARTY = "org.import_party"
VIEW_AUDIT = "core.view_audit"

ACTIONS: tuple[str, ...] = (
    VIEW_REGION,
    CHANGE_REGION,
    VIEW_AGENCY,
    CHANGE_AGENCY,
    VIEW_OFFICER,
    CHANGE_OFFICER,
    VIEW_CERTIFICATE,
    MANAGE_CERTIFICATE,
    VIEW_TRAINING,
    CHANGE_TRAINING,
    VIEW_PARTY,
    CHANGE_PARTY,
    IMPORT_PARTY,
    VIEW_AUDIT,
)

_STAFF_READ = {VIEW_REGION, VIEW_AGENCY, VIEW_OFFICER, VIEW_CERTIFICATE, VIEW_TRAINING, VIEW_PARTY}

# 角色权限表 — what each role may do inside its scope.
ROLE_ACTIONS: dict[str, frozenset[str]] = {
    Role.OFFICER: frozenset(_STAFF_READ | {CHANGE_PARTY}),
    Role.LEGAL_REVIEWER: frozenset(_STAFF_READ),
    Role.AGENCY_HEAD: frozenset(_STAFF_READ | {CHANGE_OFFICER, CHANGE_TRAINING, CHANGE_PARTY, CHANGE_AGENCY}),
    # Judicial bureaus issue and withdraw certificates and supervise everything in their region.
    Role.SUPERVISOR: frozenset(_STAFF_READ | {MANAGE_CERTIFICATE, CHANGE_TRAINING, VIEW_AUDIT}),
    Role.ADMIN: frozenset(ACTIONS),
    Role.ENTERPRISE: frozenset({VIEW_PARTY}),
    # 外聘评查人员 (lawyers, experts on an evaluation panel): no org data at all; zhifa.evaluation grants the scoring
    Role.EVALUATOR: frozenset(),
}


# --- how each model finds its place ---------------------------------------------------------------------------


@dataclass(frozen=True)
class ScopeLookup:
    """ORM paths from a model to the agency path, region path and party id that place it."""

    agency_path: str | None
    region_path: str
    party_id: str | None = None


SCOPE_LOOKUPS: dict[type[Model], ScopeLookup] = {
    Region: ScopeLookup(agency_path=None, region_path="path"),
    Agency: ScopeLookup(agency_path="path", region_path="region__path"),
    Unit: ScopeLookup(agency_path="agency__path", region_path="agency__region__path"),
    Officer: ScopeLookup(agency_path="agency__path", region_path="agency__region__path"),
    Certificate: ScopeLookup(
        agency_path="officer__agency__path", region_path="officer__agency__region__path"
    ),
    TrainingRecord: ScopeLookup(
        agency_path="officer__agency__path", region_path="officer__agency__region__path"
    ),
    Party: ScopeLookup(agency_path=None, region_path="region_path", party_id="id"),
}


def register_scope(model: type[Model], lookup: ScopeLookup) -> None:
    """Later apps (cases, inspections …) register their models here."""
    SCOPE_LOOKUPS[model] = lookup


def register_actions(role: str, actions: Iterable[str]) -> None:
    """Later apps (cases, inspections …) grant their own actions to a role; ``ACTIONS`` stays org's own."""
    ROLE_ACTIONS[role] = ROLE_ACTIONS.get(role, frozenset()) | frozenset(actions)


def _resolve(obj: Any, path: str) -> Any:
    value = obj
    for part in path.split("__"):
        if value is None:
            return None
        value = getattr(value, part)
    return value


# --- the user's grants -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Grant:
    role: str
    scope: str
    agency_path: str | None = None
    region_path: str | None = None  # the agency's region for agency scopes, the region for region scopes
    party_id: int | None = None


def grants(user: User | Any) -> list[Grant]:
    """The user's role assignments as plain values, loaded once and cached on the user object."""
    if user is None or not getattr(user, "is_authenticated", False) or not getattr(user, "is_active", False):
        return []
    cached = getattr(user, "_zhifa_grants", None)
    if cached is not None:
        return cached
    result: list[Grant] = []
    rows = RoleAssignment.objects.filter(user_id=user.pk).select_related("agency__region", "region")
    for row in rows:
        if row.scope in (ScopeKind.OWN_AGENCY, ScopeKind.AGENCY_TREE):
            result.append(
                Grant(row.role, row.scope, agency_path=row.agency.path, region_path=row.agency.region.path)
            )
        elif row.scope == ScopeKind.REGION:
            result.append(Grant(row.role, row.scope, region_path=row.region.path))
        elif row.scope == ScopeKind.PARTY:
            result.append(Grant(row.role, row.scope, party_id=row.party_id))
    user._zhifa_grants = result
    return result


def roles(user: User | Any) -> set[str]:
    return {g.role for g in grants(user)}


def has_role(user: User | Any, role: str) -> bool:
    return role in roles(user)


def _grant_allows(
    grant: Grant, lookup: ScopeLookup, agency_path: str | None, region_path: str | None, party_id: int | None
) -> bool:
    if grant.scope == ScopeKind.PARTY:
        return lookup.party_id is not None and party_id == grant.party_id
    if grant.scope == ScopeKind.REGION:
        return region_path is not None and region_path.startswith(grant.region_path or "\x00")
    # Agency scopes: objects that belong to an agency are matched by the agency path; objects that do not
    # (parties, regions) by the region the agency serves.
    if lookup.agency_path is not None:
        if agency_path is None:
            return False
        if grant.scope == ScopeKind.OWN_AGENCY:
            return agency_path == grant.agency_path
        return agency_path.startswith(grant.agency_path or "\x00")
    return region_path is not None and region_path.startswith(grant.region_path or "\x00")


def can(user: User | Any, action: str, obj: Model | None = None) -> bool:
    """May ``user`` do ``action`` to ``obj``? With ``obj=None``: may the user do it to anything at all."""
    if user is None or not getattr(user, "is_authenticated", False) or not getattr(user, "is_active", False):
        return False
    if getattr(user, "is_superuser", False):
        return True
    relevant = [g for g in grants(user) if action in ROLE_ACTIONS.get(g.role, frozenset())]
    if not relevant:
        return False
    if obj is None:
        return True
    lookup = SCOPE_LOOKUPS.get(type(obj))
    if lookup is None:
        raise LookupError(f"{type(obj).__name__} has no scope lookup; register it in SCOPE_LOOKUPS")
    agency_path = _resolve(obj, lookup.agency_path) if lookup.agency_path else None
    region_path = _resolve(obj, lookup.region_path)
    party_id = _resolve(obj, lookup.party_id) if lookup.party_id else None
    return any(_grant_allows(g, lookup, agency_path, region_path, party_id) for g in relevant)


def _grant_q(grant: Grant, lookup: ScopeLookup) -> Q | None:
    if grant.scope == ScopeKind.PARTY:
        return Q(**{lookup.party_id: grant.party_id}) if lookup.party_id else None
    if grant.scope == ScopeKind.REGION:
        return Q(**{f"{lookup.region_path}__startswith": grant.region_path})
    if lookup.agency_path is not None:
        if grant.scope == ScopeKind.OWN_AGENCY:
            return Q(**{lookup.agency_path: grant.agency_path})
        return Q(**{f"{lookup.agency_path}__startswith": grant.agency_path})
    return Q(**{f"{lookup.region_path}__startswith": grant.region_path})


def scoped(user: User | Any, action: str, queryset: QuerySet | type[Model]) -> QuerySet:
    """Narrow ``queryset`` to the objects ``can(user, action, obj)`` allows; every list uses this."""
    qs = queryset._default_manager.all() if isinstance(queryset, type) else queryset
    if user is None or not getattr(user, "is_authenticated", False) or not getattr(user, "is_active", False):
        return qs.none()
    if getattr(user, "is_superuser", False):
        return qs
    lookup = SCOPE_LOOKUPS[qs.model]
    conditions: Iterable[Q | None] = (
        _grant_q(g, lookup) for g in grants(user) if action in ROLE_ACTIONS.get(g.role, frozenset())
    )
    qs_filters = [c for c in conditions if c is not None]
    if not qs_filters:
        return qs.none()
    return qs.filter(reduce(or_, qs_filters))


def require(user: User | Any, action: str, obj: Model | None = None, *, request: Any = None) -> None:
    """Raise ``PermissionDenied`` (and write the denial to the audit log) unless ``can`` allows."""
    if can(user, action, obj):
        return

    exc = PermissionDenied("您无权执行此操作。", "You are not allowed to do this.", code="permission_denied")
    # Audited now if no transaction is open, else after the rollback (zhifa.core.transactions.service).
    exc.pending_audit = (user, action, obj, request)  # type: ignore[attr-defined]
    flush_denial_audit(exc)
    raise exc


def scoped_select_related(queryset: QuerySet) -> QuerySet:
    """Join what ``can`` reads (agency and region paths) so that checking a list costs no extra queries."""
    lookup = SCOPE_LOOKUPS[queryset.model]
    related = {p.rsplit("__", 1)[0] for p in (lookup.agency_path, lookup.region_path) if p and "__" in p}
    return queryset.select_related(*sorted(related)) if related else queryset
