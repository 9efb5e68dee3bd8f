"""Reads of the oversight app; every one takes the caller and narrows to the caller's scope."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from zhifa.org import permissions as perms
from zhifa.org.models import Agency, Region, User
from zhifa.oversight.models import (
    Accountability,
    Dispute,
    DisputeState,
    Exemption,
    ExemptionState,
    InspectionTeam,
    Interview,
    JointProblem,
    JointState,
)
from zhifa.oversight.rules import OVERSEE, VIEW


def interviews(user: User) -> QuerySet[Interview]:
    return perms.scoped(user, VIEW, Interview.objects.select_related("agency", "issuer"))


def teams(user: User) -> QuerySet[InspectionTeam]:
    return perms.scoped(user, VIEW, InspectionTeam.objects.select_related("region"))


def joint_problems(user: User) -> QuerySet[JointProblem]:
    return perms.scoped(
        user, VIEW, JointProblem.objects.select_related("region", "lead", "problem", "escalated_to")
    )


def joint_problems_to_coordinate(user: User) -> QuerySet[JointProblem]:
    """共性问题 escalated to a region the user supervises as its own (the city bureau's 待办): the region escalated
    to must be within the user's grants, not only the problem's region."""
    regions = perms.scoped(user, OVERSEE, Region.objects.all())
    return joint_problems(user).filter(state=JointState.ESCALATED, escalated_to__in=regions)


def disputes(user: User) -> QuerySet[Dispute]:
    qs = Dispute.objects.select_related("applicant", "other", "responsible", "item", "region")
    scoped = perms.scoped(user, VIEW, qs)
    # The other party of a dispute sees it too (its head must know what is said of it).
    mine = perms.scoped(user, VIEW, Agency.objects.all()).values("pk")
    return qs.filter(Q(pk__in=scoped.values("pk")) | Q(other_id__in=mine))


def disputes_open(user: User) -> QuerySet[Dispute]:
    return disputes(user).filter(state=DisputeState.OPEN)


def accountabilities(user: User) -> QuerySet[Accountability]:
    return perms.scoped(
        user, VIEW, Accountability.objects.select_related("agency", "officer", "problem", "case")
    )


def exemptions(user: User) -> QuerySet[Exemption]:
    return perms.scoped(user, VIEW, Exemption.objects.select_related("officer__agency", "case"))


def exemptions_pending(user: User) -> QuerySet[Exemption]:
    return exemptions(user).filter(state=ExemptionState.REQUESTED)
