"""复议/诉讼 recorded on the case pause the late-payment surcharge (行政处罚法 第七十三条第三款)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from zhifa.cases import services
from zhifa.cases.models import Case, CaseRemedy
from zhifa.cases.tests.helpers import CaseWorld, ledger_count, notified, reload
from zhifa.core.errors import InvalidInput, PermissionDenied, RuleViolation

D = dt.date


def served(world: CaseWorld) -> Case:
    """Fined 1,000 yuan, served 2025-03-25: payment due 2025-04-09 (a Wednesday)."""
    case = notified(world, fine="1000")
    case = services.case_waive_rights(actor=world.officer_user, case=case, on=D(2025, 3, 10))
    case = services.case_decide(
        actor=world.head, case=case, kinds=["fine"], fine_yuan="1000", on=D(2025, 3, 24)
    )
    case = services.case_serve(actor=world.officer_user, case=case, method="direct", on=D(2025, 3, 25))
    assert case.payment_due == D(2025, 4, 9)
    return case


def remedy(world: CaseWorld, case: Case, **kwargs: object) -> CaseRemedy:
    args: dict[str, object] = {"kind": "reconsideration", "applied_on": D(2025, 4, 12), "on": D(2025, 4, 12)}
    args.update(kwargs)
    return services.case_record_remedy(actor=world.officer_user, case=case, **args)  # type: ignore[arg-type]


def test_no_surcharge_while_a_reconsideration_is_pending_regression(world: CaseWorld) -> None:
    # Regression (issue 17 item 3): the 复议 pending from 04-12 used to leave the surcharge running (1,300).
    case = served(world)
    before = ledger_count(case)
    remedy(world, case)
    assert ledger_count(case) == before + 1  # recorded on the tamper-evident ledger
    with pytest.raises(RuleViolation) as info:
        services.case_record_payment(
            actor=world.officer_user, case=case, amount_yuan="1300", on=D(2025, 4, 19)
        )
    assert info.value.code == "amount_mismatch"
    # 04-10 and 04-11 late; 04-12..04-19 in 复议: 2 × 3 %.
    case = services.case_record_payment(
        actor=world.officer_user, case=case, amount_yuan="1060", on=D(2025, 4, 19)
    )
    assert case.surcharge_yuan == Decimal("60")


def test_surcharge_runs_again_after_the_reconsideration_is_decided(world: CaseWorld) -> None:
    case = served(world)
    remedy(world, case)
    done = remedy(
        world, case, decided_on=D(2025, 4, 15), outcome="upheld", number="测复〔2025〕1号", on=D(2025, 4, 16)
    )
    assert CaseRemedy.objects.filter(case=case).count() == 1  # the same 复议, completed
    assert (done.decided_on, done.outcome) == (D(2025, 4, 15), "upheld")
    # 10 late days (04-10..04-19) less 4 in 复议 (04-12..04-15) = 6 × 3 % = 180.
    case = services.case_record_payment(
        actor=world.officer_user, case=case, amount_yuan="1180", on=D(2025, 4, 19)
    )
    assert case.surcharge_yuan == Decimal("180")


def test_a_demand_counts_the_surcharge_without_the_litigation_days(world: CaseWorld) -> None:
    case = served(world)
    remedy(world, case, kind="litigation", applied_on=D(2025, 4, 10), on=D(2025, 4, 10))
    remedy(
        world,
        case,
        kind="litigation",
        applied_on=D(2025, 4, 10),
        decided_on=D(2025, 4, 20),
        outcome="claim_rejected",
        on=D(2025, 4, 21),
    )
    demand = services.enforcement_demand(actor=world.officer_user, case=case, on=D(2025, 4, 25))
    assert demand.amount_yuan == Decimal("1150.00")  # 04-21..04-25: 5 × 3 %


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"applied_on": D(2025, 3, 20)}, "applied_on"),  # before the decision was served
        ({"applied_on": D(2025, 4, 13)}, "applied_on"),  # after the day of entry
        ({"decided_on": D(2025, 4, 11), "outcome": "upheld"}, "decided_on"),  # before the application
        ({"decided_on": D(2025, 4, 12), "outcome": "claim_rejected"}, "outcome"),  # a court's outcome
        ({"decided_on": D(2025, 4, 12)}, "outcome"),
        ({"outcome": "upheld"}, "decided_on"),  # an outcome without its date
        ({"kind": "appeal"}, "kind"),
    ],
)
def test_a_wrong_remedy_is_refused_and_nothing_is_written(
    world: CaseWorld, kwargs: dict[str, object], field: str
) -> None:
    case = served(world)
    before = ledger_count(case)
    with pytest.raises(InvalidInput) as info:
        remedy(world, case, **kwargs)
    assert info.value.field == field
    assert ledger_count(case) == before and not CaseRemedy.objects.filter(case=case).exists()


def test_a_decided_remedy_is_not_decided_again(world: CaseWorld) -> None:
    case = served(world)
    remedy(world, case, decided_on=D(2025, 4, 12), outcome="upheld")
    with pytest.raises(RuleViolation) as info:
        remedy(world, case, decided_on=D(2025, 4, 12), outcome="revoked")
    assert info.value.code == "remedy_already_decided"
    assert reload(case).remedies.get().outcome == "upheld"


def test_a_remedy_needs_a_decision_served(world: CaseWorld) -> None:
    case = notified(world, fine="1000")
    with pytest.raises(RuleViolation) as info:
        remedy(world, case, applied_on=D(2025, 3, 10), on=D(2025, 3, 10))
    assert info.value.code == "stage_not_allowed"


def test_a_supervisor_may_not_record_a_remedy(world: CaseWorld) -> None:
    case = served(world)
    with pytest.raises(PermissionDenied):
        services.case_record_remedy(
            actor=world.supervisor,
            case=case,
            kind="reconsideration",
            applied_on=D(2025, 4, 12),
            on=D(2025, 4, 12),
        )
    assert not CaseRemedy.objects.filter(case=case).exists()


# --- the imported outcomes (zhifa.stats remedy import) complete the case's record -------------------------------


def test_an_imported_outcome_naming_the_decision_completes_the_pending_remedy(world: CaseWorld) -> None:
    from zhifa.cases.models import CaseDocument
    from zhifa.records.models import LedgerEntry
    from zhifa.stats import services as stats_services
    from zhifa.stats.tests.helpers import xlsx
    from zhifa.testing.worlds import decide_simple

    case = decide_simple(world, on=D(2025, 3, 3))
    services.document_issue(actor=world.officer_user, case=case, doc_type="decision", on=D(2025, 3, 3))
    number = CaseDocument.objects.get(case=case, doc_type="decision").number
    pending = services.case_record_remedy(
        actor=world.officer_user, case=case, kind="litigation", applied_on=D(2025, 3, 10), on=D(2025, 3, 10)
    )
    header = ["类型", "案号", "执法主体统一社会信用代码", "结果", "结案日期", "原行政行为文号"]
    u = world.agency.uscc
    rows = [
        ["行政复议", "测复〔2025〕3号", u, "维持", "2025-05-01", number],  # another kind: not this record
        ["行政诉讼", "（2025）测行初3号", u, "驳回诉讼请求", "2025-06-01", "测〔2025〕999号"],  # another 文号
    ]
    stats_services.remedy_import(
        actor=world.supervisor, region=world.county, filename="a.xlsx", content=xlsx([header, *rows])
    )
    pending.refresh_from_db()
    assert pending.decided_on is None
    row = ["行政诉讼", "（2025）测行初4号", u, "驳回诉讼请求", "2025-06-01", number]
    stats_services.remedy_import(
        actor=world.supervisor, region=world.county, filename="b.xlsx", content=xlsx([header, row])
    )
    pending.refresh_from_db()
    assert (pending.decided_on, pending.outcome, pending.number) == (
        D(2025, 6, 1),
        "claim_rejected",
        "（2025）测行初4号",
    )
    assert LedgerEntry.objects.filter(action="case.record_remedy", object_id=str(case.pk)).count() == 2


def test_the_remedy_entry_reads_in_chinese_on_the_record(world: CaseWorld) -> None:
    from zhifa.records.labels import action_label, parse, summaries
    from zhifa.records.models import LedgerEntry

    case = served(world)
    remedy(world, case, decided_on=D(2025, 4, 12), outcome="upheld", number="测复〔2025〕2号")
    entry = LedgerEntry.objects.filter(action="case.record_remedy", object_id=str(case.pk)).get()
    assert action_label(entry.action) == "登记行政复议、行政诉讼"
    parts = dict(summaries([(entry.action, parse(entry.changes))], limit=10)[0])
    assert parts["类型"] == "行政复议" and parts["结果"] == "维持" and parts["案号"] == "测复〔2025〕2号"
    assert "2025-04-12" in parts["申请（起诉）日期"]


def test_the_case_page_records_a_remedy_and_shows_it(world: CaseWorld) -> None:
    from django.test import Client
    from django.urls import reverse

    case = served(world)
    client = Client()
    client.force_login(world.officer_user)
    page = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert "登记行政复议、行政诉讼" in page
    url = reverse("cases:act", args=[case.pk, "record_remedy"])
    form = {
        "record_remedy-on": "2025-04-12",
        "record_remedy-kind": "reconsideration",
        "record_remedy-applied_on": "2025-03-20",  # before service: refused beside the field
    }
    response = client.post(url, form)
    assert response.status_code == 422 and "不能早于决定书送达日期" in response.content.decode()
    assert not CaseRemedy.objects.filter(case=case).exists()
    response = client.post(url, {**form, "record_remedy-applied_on": "2025-04-12"})
    assert response.status_code == 302
    page = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert "行政复议" in page and "尚未作出决定（期间不计加处罚款）" in page
