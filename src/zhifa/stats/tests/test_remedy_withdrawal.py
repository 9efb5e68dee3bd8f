"""行政处罚法 第四十八条第二款: when an imported reconsideration or court outcome revokes, changes, or finds
unlawful or void the decision with a given document number, its publication leaves the portal at once, with
the outcome as the reason on the record; an upheld decision stays."""

from __future__ import annotations

import datetime as dt

from django.test import Client

from zhifa.cases import services as case_services
from zhifa.cases.models import CaseDocument
from zhifa.cases.tests.helpers import CaseWorld
from zhifa.disclosure.models import Publication, PublicationStatus, WithdrawKind
from zhifa.disclosure.tests.helpers import publish
from zhifa.records.models import LedgerEntry
from zhifa.search.models import SearchDocument
from zhifa.stats import selectors, services
from zhifa.stats.tests.helpers import xlsx
from zhifa.testing.worlds import decide_simple

HEADER = ["类型", "案号", "执法主体统一社会信用代码", "结果", "结案日期", "原行政行为文号"]


def _import(world: CaseWorld, *rows: list[str]):
    return services.remedy_import(
        actor=world.supervisor, region=world.county, filename="r.xlsx", content=xlsx([HEADER, *rows])
    )


def _publication(world: CaseWorld, *, published: bool) -> Publication:
    case = decide_simple(world, on=dt.date(2025, 3, 3))
    # the 行政处罚决定书 is issued: its number is the publication's 文号, the one a remedy outcome names
    case_services.document_issue(
        actor=world.officer_user, case=case, doc_type="decision", on=dt.date(2025, 3, 3)
    )
    if published:
        publish(world, case)
    return Publication.objects.get(source_type="cases.case", source_id=str(case.pk))


def test_a_revoked_decision_is_withdrawn_from_the_portal_with_the_outcome_as_reason(world: CaseWorld) -> None:
    p = _publication(world, published=True)
    assert p.document_number and SearchDocument.objects.filter(source_id=str(p.pk)).exists()
    u = world.agency.uscc
    batch = _import(world, ["行政复议", "测复〔2025〕7号", u, "撤销", "2025-06-01", p.document_number])
    p.refresh_from_db()
    assert (p.status, p.withdraw_kind, batch.withdrawn) == (
        PublicationStatus.WITHDRAWN,
        WithdrawKind.REVOKED,
        1,
    )
    assert "测复〔2025〕7号" in p.withdraw_reason and p.document_number in p.withdraw_reason
    assert not SearchDocument.objects.filter(
        source_type="disclosure.publication", source_id=str(p.pk)
    ).exists()
    entry = LedgerEntry.objects.filter(action="disclosure.withdraw", object_id=str(p.pk)).get()
    assert entry.actor_id == world.supervisor.pk and "撤销" in entry.changes
    page = Client().get(f"/public/decisions/{p.pk}/")
    assert page.status_code == 200 and "撤回" in page.content.decode()


def test_an_upheld_decision_or_another_agencys_number_stays_published(world: CaseWorld) -> None:
    p = _publication(world, published=True)
    u, other = world.agency.uscc, world.other_agency.uscc
    batch = _import(
        world,
        ["行政复议", "测复〔2025〕8号", u, "维持", "2025-06-01", p.document_number],
        ["行政诉讼", "（2025）测行初8号", other, "撤销", "2025-06-02", p.document_number],
    )
    p.refresh_from_db()
    assert (p.status, batch.withdrawn) == (PublicationStatus.PUBLISHED, 0)


def test_a_decision_found_unlawful_before_publication_is_never_published(world: CaseWorld) -> None:
    p = _publication(world, published=False)
    scope = selectors.scope_for(world.supervisor, year=2025)
    assert selectors.headline(scope)["publications_overdue"] == 1
    # the draft takes the 文号 of its case's 决定书 when that is issued (the document_issue hook of disclosure)
    number = CaseDocument.objects.get(case_id=p.source_id, doc_type="decision").number
    assert p.document_number == number
    _import(
        world,
        ["行政诉讼", "（2025）测行初9号", world.agency.uscc, "确认违法", "2025-06-01", number],
    )
    p.refresh_from_db()
    assert (p.status, p.withdraw_kind, p.published_at) == (
        PublicationStatus.WITHDRAWN,
        WithdrawKind.UNLAWFUL,
        None,
    )
    assert selectors.headline(selectors.scope_for(world.supervisor, year=2025))["publications_overdue"] == 0
    assert Client().get(f"/public/decisions/{p.pk}/").status_code == 404  # it was never public
