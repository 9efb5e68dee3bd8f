"""投诉举报 — reads in the caller's scope (supervisors: their region; agencies: what they were assigned)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

from django.db.models import QuerySet
from django.urls import reverse

from zhifa.complaints.models import Complaint, ComplaintState, Satisfaction
from zhifa.complaints.rules import VIEW
from zhifa.core import clock
from zhifa.core.errors import NotFound
from zhifa.core.flags import FlagCandidate
from zhifa.org import permissions as perms
from zhifa.org.models import User


def complaints(
    user: User, *, state: str | None = None, channel: str | None = None, agency_id: int | None = None
) -> QuerySet[Complaint]:
    qs = perms.scoped(user, VIEW, Complaint.objects.select_related("agency", "region"))
    if state:
        qs = qs.filter(state=state)
    if channel:
        qs = qs.filter(channel=channel)
    if agency_id:
        qs = qs.filter(agency_id=agency_id)
    return qs


def complaint_get(user: User, pk: int) -> Complaint:
    found = (
        perms.scoped(user, VIEW, Complaint.objects.select_related("agency__region", "region", "unit"))
        .filter(pk=pk)
        .first()
    )
    if found is None:
        raise NotFound(
            "投诉举报不存在或不在您的数据范围内。", "Complaint not found.", code="complaint_not_found"
        )
    return found


def complaints_submitted_by(user: User) -> QuerySet[Complaint]:
    """我的投诉 — what the user submitted on the public form while signed in (an enterprise's own complaints),
    newest first. Not scoped by role: a complainant always sees its own."""
    if not getattr(user, "is_authenticated", False):
        return Complaint.objects.none()
    return Complaint.objects.filter(created_by_id=user.pk).select_related("agency").order_by("-id")


def complaint_by_code(code: str) -> Complaint | None:
    """The public tracking page: only by the exact code the form returned."""
    code = (code or "").strip().upper()
    if not code or len(code) > 16:
        return None
    return Complaint.objects.select_related("agency").filter(tracking_code=code).first()


def complaints_overdue_flags(since: Any) -> Iterator[FlagCandidate]:
    """Flag source ``complaint_overdue``: assigned complaints past their handling deadline, not replied."""

    rows = Complaint.objects.filter(state=ComplaintState.ASSIGNED, due__lt=clock.today()).order_by("id")[
        :20_000
    ]
    for c in rows:
        yield FlagCandidate(
            kind="complaint_overdue",
            key=f"complaint:{c.pk}",
            agency_id=c.agency_id,
            title=f"投诉举报超期未答复：{c.subject}",
            detail=f"{c.get_channel_display()} {c.work_order_no or c.tracking_code}，办理期限 {c.due}。",
            object_type="complaints.complaint",
            object_id=str(c.pk),
            url=reverse("complaints:detail", args=[c.pk]),
            due=c.due,
        )


def agency_complaint_figures(
    agency_ids: list[int], start: dt.date, end: dt.date
) -> dict[int, dict[str, int]]:
    """季度评议「投诉办理」: per agency, complaints received in [start, end) and assigned to it — how many, how many
    replied by their deadline, how many rated and how many of those 满意/基本满意."""
    result: dict[int, dict[str, int]] = {}
    rows = Complaint.objects.filter(
        agency_id__in=agency_ids, received_on__gte=start, received_on__lt=end
    ).values_list("agency_id", "due", "replied_at", "satisfaction")
    for agency_id, due, replied_at, satisfaction in rows:
        f = result.setdefault(agency_id, {"received": 0, "on_time": 0, "rated": 0, "satisfied": 0})
        f["received"] += 1
        if replied_at is not None and (due is None or clock.business_date(replied_at) <= due):
            f["on_time"] += 1
        if satisfaction:
            f["rated"] += 1
            f["satisfied"] += satisfaction in (Satisfaction.SATISFIED, Satisfaction.BASIC)
    return result
