"""Demo step 130: publish the demo county's decided cases (robust when there are none).

Every fifth obligation is left open, so that the staff queue — and, once past its due date, the supervision
flag ``publication_overdue`` — has something to show.
"""

from __future__ import annotations

from typing import Any

from zhifa.disclosure.models import Publication, PublicationStatus


def build_disclosure_demo(ctx: Any) -> int:
    from zhifa.disclosure import services
    from zhifa.org.models import Role, RoleAssignment, User

    services.disclosure_sweep(today=ctx.today)
    pending = list(Publication.objects.filter(status=PublicationStatus.DRAFT).order_by("id")[:300])
    published = 0
    for n, p in enumerate(pending):
        if n % 5 == 4:
            continue
        heads = list(
            RoleAssignment.objects.filter(role=Role.AGENCY_HEAD, agency_id=p.agency_id)
            .values_list("user", flat=True)
            .order_by("user")
        )
        officers = list(
            RoleAssignment.objects.filter(role=Role.OFFICER, agency_id=p.agency_id)
            .exclude(user__in=heads[:1])
            .values_list("user", flat=True)
            .order_by("user")
        )
        if not heads or not officers:
            continue
        approver, drafter = User.objects.get(pk=heads[0]), User.objects.get(pk=officers[0])
        services.publication_submit(actor=drafter, publication=p)
        services.publication_approve(actor=approver, publication=p)
        published += 1
    ctx.say(f"公示：{published} 件执法结果已公示，{len(pending) - published} 件待公示")
    return published
