"""The warning-queue source of reporting: reports past their due date and not filed (报送逾期), one flag per
filer and period, closed by the scan once the report is filed (``zhifa.core.flags``)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from django.urls import reverse

from zhifa.core.flags import FlagCandidate
from zhifa.reporting import selectors

KIND = "report_overdue"
LABEL = "报送事项逾期未报"


def report_overdue(since: dt.datetime | None) -> Iterator[FlagCandidate]:
    for o in selectors.overdue_all():
        key = (
            f"{o.kind.pk}:{o.agency.pk if o.agency else 'r' + str(o.region.pk)}:{o.period.start.isoformat()}"
        )
        yield FlagCandidate(
            kind=KIND,
            key=key,
            agency_id=o.agency.pk if o.agency else None,
            region_id=None if o.agency else o.region.pk,
            title=f"报送逾期：{o.filer_name} · {o.kind.name}（{o.period.label}）",
            detail=f"报送期限 {o.period.due_on:%Y-%m-%d}，状态：{o.status_label}。",
            object_type="reporting.reportkind",
            object_id=str(o.kind.pk),
            url=reverse("reporting:mine"),  # every role the flag reaches (filer and bureaus) may open it
            due=o.period.due_on,
            severity="warning",
        )
