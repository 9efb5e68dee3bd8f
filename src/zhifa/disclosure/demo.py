"""Demo step 130: publish the demo county's decided cases (robust when there are none)."""

from __future__ import annotations

from typing import Any

from zhifa.disclosure.models import Publication, PublicationStatus


def build_disclosure_demo(ctx: Any) -> None:
    from zhifa.disclosure import services
    from zhifa.org.models import Role, RoleAssignment, User

    services.disclosure_sweep(today=ctx.today)
    pending = list(Publication.objects.filter(status=PublicationStatus.DRAFT).select_related("agency")[:200])
    if not pending:
        ctx.say("公示：没有待公示的决定")
        return
    drafter = User.objects.filter(username="demo_officer").first()
    approver = User.objects.filter(username="demo_head").first()
    published = 0
    for p in pending:
        heads = RoleAssignment.objects.filter(role=Role.AGENCY_HEAD, agency=p.agency).values_list(
            "user", flat=True
        )
        officers = RoleAssignment.objects.filter(role=Role.OFFICER, agency=p.agency).values_list(
            "user", flat=True
        )
        a = approver if approver and approver.pk in set(heads) else User.objects.filter(pk__in=heads).first()
        d = (
            drafter
            if drafter and drafter.pk in set(officers)
            else User.objects.filter(pk__in=officers).first()
        )
        if a is None or d is None or a.pk == d.pk:
            continue
        # Leave a few open so that the queue (and an overdue flag) has something to show.
        if published and published % 5 == 4:
            published += 1
            continue
        services.publication_submit(actor=d, publication=p)
        services.publication_approve(actor=a, publication=p)
        published += 1
    ctx.say(f"公示：{published} 件执法决定已公示")
