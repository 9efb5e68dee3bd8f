"""Reads of the case library: staff read the cases published for their region and the regions above it; the
bureau also sees what it withdrew and the confirmed evaluation files it may choose from."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from zhifa.caselib import rules
from zhifa.caselib.models import LibraryCase, LibraryStatus
from zhifa.core.errors import NotFound
from zhifa.evaluation.models import EvaluationFile, FileStatus, Grade
from zhifa.org import permissions as perms
from zhifa.org.models import User
from zhifa.search.services import clean_query


def _ancestors(path: str) -> list[str]:
    """``/86/8601/860102/`` → ``["/86/", "/86/8601/", "/86/8601/860102/"]``."""
    parts = [p for p in path.split("/") if p]
    return ["/" + "/".join(parts[: i + 1]) + "/" for i in range(len(parts))]


def library(user: User) -> QuerySet[LibraryCase]:
    """The cases the user may read: published for their region, above it (a city's case guides its counties) or
    below it (a city bureau reads its counties'); the bureau also sees its own withdrawn ones."""
    qs = LibraryCase.objects.select_related("region", "agency", "domain")
    if getattr(user, "is_superuser", False):
        return qs
    if not perms.can(user, rules.VIEW):
        return qs.none()
    where = Q(pk__in=[])
    for grant in perms.grants(user):
        if rules.VIEW not in perms.ROLE_ACTIONS.get(grant.role, frozenset()) or not grant.region_path:
            continue
        where |= Q(region__path__in=_ancestors(grant.region_path)) | Q(
            region__path__startswith=grant.region_path
        )
    visible = qs.filter(where)
    managed = perms.scoped(user, rules.MANAGE, LibraryCase).values("pk")
    return visible.filter(Q(status=LibraryStatus.PUBLISHED) | Q(pk__in=managed))


def search(
    user: User, query: str = "", kind: str = "", domain_id: int | None = None
) -> QuerySet[LibraryCase]:
    """检索 — every term of ``query`` (the search app's terms: words, CJK bigrams) in the title, summary, key
    points, keywords or decision; raises ``zhifa.search.services.BadQuery`` on a query no one types."""
    qs = library(user)
    for term in clean_query(query):
        qs = qs.filter(
            Q(title__icontains=term)
            | Q(summary__icontains=term)
            | Q(key_points__icontains=term)
            | Q(keywords__icontains=term)
            | Q(decision_text__icontains=term)
        )
    if kind:
        qs = qs.filter(kind=kind)
    if domain_id:
        qs = qs.filter(domain_id=domain_id)
    return qs.order_by("-chosen_at", "-id")


def get(user: User, pk: int) -> LibraryCase:
    item = library(user).filter(pk=pk).first()
    if item is None:
        raise NotFound(
            "典型案例不存在或不在您的数据范围内。", "Library case not found.", code="case_not_found"
        )
    return item


def for_item(user: User, agency_id: int, code: str) -> QuerySet[LibraryCase]:
    """The published cases that illustrate a catalog item (same agency, same item code)."""
    if not code:
        return LibraryCase.objects.none()
    return library(user).filter(agency_id=agency_id, catalog_item_code=code, status=LibraryStatus.PUBLISHED)


def _managed_regions(user: User, field: str) -> Q:
    """The regions the user manages the library of (a supervisor's region and below), as a filter on ``field``."""
    if getattr(user, "is_superuser", False):
        return Q()
    where = Q(pk__in=[])
    for grant in perms.grants(user):
        if rules.MANAGE in perms.ROLE_ACTIONS.get(grant.role, frozenset()) and grant.region_path:
            where |= Q(**{f"{field}__startswith": grant.region_path})
    return where


def candidates(user: User) -> QuerySet[EvaluationFile]:
    """What the bureau may choose from: confirmed files of its plans, excellent ones and 典型差案, not yet chosen."""
    if not perms.can(user, rules.MANAGE):
        return EvaluationFile.objects.none()
    return (
        EvaluationFile.objects.filter(status=FileStatus.CONFIRMED)
        .filter(Q(is_typical_bad=True) | Q(grade=Grade.EXCELLENT))
        .filter(_managed_regions(user, "plan__region__path"))
        .exclude(case_id__in=LibraryCase.objects.values("case_id"))
        .select_related("case", "agency", "plan")
        .order_by("-is_typical_bad", "-id")
    )


def candidate_get(user: User, pk: int) -> EvaluationFile:
    file = candidates(user).filter(pk=pk).first()
    if file is None:
        raise NotFound("评查案卷不存在或不在您的数据范围内。", "File not found.", code="file_not_found")
    return file
