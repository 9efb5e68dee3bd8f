"""A general procedure case from source to archive, and an on-the-spot decision to its filing."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from zhifa.cases import services
from zhifa.cases.hearing import case_serve_notice
from zhifa.cases.models import Case, Procedure, Stage
from zhifa.cases.tests.helpers import D0, CaseWorld, attach, ledger_count, opened, register
from zhifa.records.models import LedgerEntry


def test_general_procedure_walks_from_source_to_archive_with_one_ledger_entry_per_step(
    world: CaseWorld,
) -> None:
    user, head = world.officer_user, world.head
    case = register(world)
    assert case.stage == Stage.SOURCE and case.number is None
    case = services.case_open(
        actor=user, approved_by=head, case=case, officers=world.officers[:2], act_date=D0, on=D0
    )
    assert case.stage == Stage.OPENED
    assert case.number == "测县市监立〔2025〕1号"
    assert case.decision_due == D0 + dt.timedelta(days=90)
    case = services.case_start_investigation(actor=user, case=case, on=D0)
    attach(user, case, "investigation")
    case = services.case_end_investigation(actor=user, case=case, on=D0 + dt.timedelta(days=5))
    case = services.case_notify_rights(
        basis="《中华人民共和国行政处罚法》第五十九条（测试用依据）",
        actor=user,
        case=case,
        kinds=["fine"],
        fine_yuan="5000",
        on=dt.date(2025, 3, 10),
    )
    assert case.stage == Stage.NOTIFIED and not case.hearing_right
    # 行政处罚法 第六十四条第一项: the party's periods run from service of the 告知书
    case = case_serve_notice(actor=user, case=case, method="direct", on=dt.date(2025, 3, 11))
    assert case.statement_due == dt.date(2025, 3, 18)
    case = services.case_decide(
        actor=head, case=case, kinds=["fine"], fine_yuan="5000", on=dt.date(2025, 3, 24)
    )
    assert case.stage == Stage.DECIDED
    case = services.case_serve(actor=user, case=case, method="direct", on=dt.date(2025, 3, 25))
    assert case.payment_due == dt.date(2025, 4, 9)
    case = services.case_record_payment(
        actor=user, case=case, amount_yuan=Decimal("5000"), on=dt.date(2025, 4, 1)
    )
    attach(user, case, "service_execution")  # 送达回证
    case = services.case_close(actor=head, case=case, on=dt.date(2025, 4, 2))
    case = services.case_archive(actor=head, case=case, on=dt.date(2025, 4, 3))
    assert case.stage == Stage.ARCHIVED and case.archived_from == Stage.CLOSED
    actions = list(
        LedgerEntry.objects.filter(object_type="cases.case", object_id=str(case.pk))
        .order_by("seq")
        .values_list("action", flat=True)
    )
    assert actions == [
        "case.register_source",
        "case.open",
        "case.start_investigation",
        "case.end_investigation",
        "case.notify_rights",
        "case.serve_notice",
        "case.decide",
        "case.serve",
        "case.record_payment",
        "case.close",
        "case.archive",
    ]


def test_simple_procedure_decides_serves_and_files_on_the_spot(world: CaseWorld) -> None:
    case = services.case_simple_decide(
        basis="《中华人民共和国行政处罚法》第五十九条（测试用依据）",
        actor=world.officer_user,
        agency=world.agency,
        domain=world.market,
        party=world.citizen,
        officers=world.officers[:2],
        kinds=["fine"],
        fine_yuan="200",
        title="占道经营",
        place="测县人民路 1 号",
        on=dt.date(2025, 6, 3),
    )
    assert case.procedure == Procedure.SIMPLE and case.stage == Stage.SERVED
    assert case.served_on == case.decided_on == dt.date(2025, 6, 3)
    case = services.case_simple_file(actor=world.officer_user, case=case, on=dt.date(2025, 6, 4))
    case = services.case_record_payment(
        actor=world.officer_user, case=case, amount_yuan="200", on=dt.date(2025, 6, 5)
    )
    case = services.case_close(actor=world.head, case=case, on=dt.date(2025, 6, 6))
    assert Case.objects.get(pk=case.pk).stage == Stage.CLOSED
    assert ledger_count(case) == 4


def test_opened_helper(world: CaseWorld) -> None:
    case = opened(world)
    assert case.stage == Stage.OPENED
