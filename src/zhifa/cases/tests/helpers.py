"""Builders of the case tests on the small enforcement world (region codes 88xxxx; the demo county uses 86xxxx).

The world itself (``CaseWorld`` and its ``world`` fixture) lives in ``zhifa.testing``; both are re-exported here
for the modules that import them from this one.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from zhifa.cases import services
from zhifa.cases.models import Case, Stage
from zhifa.org.models import Party, User
from zhifa.testing.plugin import world
from zhifa.testing.worlds import CaseWorld

# A Monday in the past with plain working weeks around it (2025-03-03).
D0 = dt.date(2025, 3, 3)


def register(world: CaseWorld, *, party: Party | None = None, on: dt.date = D0) -> Case:
    return services.case_register_source(
        actor=world.officer_user,
        agency=world.agency,
        domain=world.market,
        source_kind="complaint",
        received_on=on,
        title="销售过期食品",
        parties=[party or world.company],
    )


def opened(world: CaseWorld, *, party: Party | None = None, on: dt.date = D0, **kwargs: Any) -> Case:
    case = register(world, party=party, on=on)
    return services.case_open(
        actor=world.officer_user,
        approved_by=kwargs.pop("approved_by", world.head),
        case=case,
        officers=world.officers[:2],
        act_date=kwargs.pop("act_date", on - dt.timedelta(days=10)),
        on=on,
        **kwargs,
    )


def notified(
    world: CaseWorld,
    *,
    kinds: tuple[str, ...] = ("fine",),
    fine: Decimal | str | None = "5000",
    party: Party | None = None,
    on: dt.date = D0,
    **kwargs: Any,
) -> Case:
    """A case opened on ``on``, investigated, and notified on ``on`` + 7 days, the notice served the same day
    (``serve=False``: not served, the party's periods not running — 行政处罚法 第六十四条第一项)."""
    serve = kwargs.pop("serve", True)
    case = opened(world, party=party, on=on, **kwargs)
    user = world.officer_user
    case = services.case_start_investigation(actor=user, case=case, on=on)
    attach(user, case, "investigation")
    case = services.case_end_investigation(actor=user, case=case, on=on + dt.timedelta(days=7))
    case = services.case_notify_rights(
        basis="《中华人民共和国行政处罚法》第五十九条（测试用依据）",
        actor=user,
        case=case,
        kinds=list(kinds),
        fine_yuan=fine,
        on=on + dt.timedelta(days=7),
    )
    if not serve:
        return case
    from zhifa.cases.hearing import case_serve_notice

    return case_serve_notice(actor=user, case=case, method="direct", on=case.notified_on)


# Small files the evidence app accepts (its magic-byte check), as in the evidence tests.
PDF_BYTES = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n" + b"0" * 512
MP4_BYTES = b"\x00\x00\x00\x20ftypisom\x00\x00\x02\x00isomiso2avc1mp41" + bytes(range(256)) * 4


def attach(user: User, case: Case | int, stage: str, kind: str = "document", salt: str = "") -> Any:
    """Store one evidence item against the case (a 笔录 PDF or an on-site video) the real way."""
    import io

    from zhifa.evidence import services as evidence_services
    from zhifa.evidence.uploads import hashed_upload_from

    pk = case if isinstance(case, int) else case.pk
    body = PDF_BYTES if kind == "document" else MP4_BYTES
    name = "笔录.pdf" if kind == "document" else "现场录像.mp4"
    return evidence_services.evidence_store(
        actor=user,
        upload=hashed_upload_from(io.BytesIO(body + f"{pk}-{stage}-{salt}".encode()), name),
        kind=kind,
        object_type="cases.case",
        object_id=str(pk),
        stage=stage,
    )


def ledger_count(case: Case) -> int:
    from zhifa.records.models import LedgerEntry

    return LedgerEntry.objects.filter(object_type="cases.case", object_id=str(case.pk)).count()


def reload(case: Case) -> Case:
    return Case.objects.get(pk=case.pk)


__all__ = [
    "D0",
    "CaseWorld",
    "Stage",
    "attach",
    "ledger_count",
    "notified",
    "opened",
    "register",
    "reload",
    "world",
]
