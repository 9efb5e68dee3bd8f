"""行政强制 results are published (seed 001: 行政处罚、行政强制、行政检查、行政征收、行政许可 results): a 查封/扣押
decision and an application for court enforcement get a desensitised draft in the decision's own transaction,
due in the region's working days, and go through the same submit → second-person approval as penalties."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from django.test import Client

from zhifa.cases import services as case_services
from zhifa.cases.models import Case
from zhifa.cases.tests.helpers import D0, attach, opened
from zhifa.core import clock
from zhifa.core.errors import RuleViolation
from zhifa.disclosure import selectors, services
from zhifa.disclosure.models import DisclosureRule, Publication, PublicationStatus, ResultKind
from zhifa.records.models import LedgerEntry
from zhifa.search.services import search
from zhifa.testing.worlds import CaseWorld

D = dt.date


def _investigating(world: CaseWorld, party: Any = None) -> Case:
    case = case_services.case_start_investigation(
        actor=world.officer_user, case=opened(world, party=party), on=D0
    )
    attach(world.officer_user, case, "service_execution", kind="video")
    return case


def seize(world: CaseWorld, party: Any = None, **kwargs: Any) -> Any:
    args: dict[str, Any] = {
        "kind": "detain",
        "items": ["过期奶粉 20 箱"],
        "place": "测县某路 8 号仓库",
        "on": D0,
        "approved_by": world.head,
    }
    args.update(kwargs)
    return case_services.seizure_decide(actor=world.officer_user, case=_investigating(world, party), **args)


def publication_of_seizure(seizure: Any) -> Publication:
    return Publication.objects.get(source_type=services.SEIZURE, source_id=str(seizure.pk))


def test_a_seizure_decision_creates_a_compulsion_draft_due_in_seven_working_days(world: CaseWorld) -> None:
    seizure = seize(world)
    p = publication_of_seizure(seizure)
    assert p.kind == ResultKind.COMPULSION and p.status == PublicationStatus.DRAFT and not p.withheld
    assert p.decided_on == D0 and p.due_on == D(2025, 3, 12)  # Monday + 7 working days
    assert (
        "扣押" in p.title and "过期奶粉 20 箱" in p.content and f"{seizure.due_on:%Y年%m月%d日}" in p.content
    )
    entry = LedgerEntry.objects.filter(action="disclosure.obligation", object_id=str(p.pk)).get()
    assert json.loads(entry.changes)["kind"] == "compulsion"


def test_the_region_sets_the_compulsion_deadline_separately(world: CaseWorld) -> None:
    DisclosureRule.objects.create(
        region=world.county.parent, decision_working_days=7, compulsion_working_days=3
    )
    assert publication_of_seizure(seize(world)).due_on == D(2025, 3, 6)


def test_published_on_the_last_working_day_is_on_time_and_a_day_later_is_late(world: CaseWorld) -> None:
    for on, late in ((D(2025, 3, 12), False), (D(2025, 3, 13), True)):
        p = publication_of_seizure(seize(world))
        services.publication_submit(actor=world.officer_user, publication=p)
        p = services.publication_approve(actor=world.head, publication=p, on=on)
        assert p.status == PublicationStatus.PUBLISHED and p.published_late is late


def test_preview_of_a_seizure_on_a_citizen_is_desensitised(world: CaseWorld) -> None:
    world.citizen.address = "测县幸福路 9 号 3 单元"
    world.citizen.save(update_fields=["address"])
    seizure = seize(world, party=world.citizen, place="测县幸福路 9 号 3 单元")
    p = publication_of_seizure(seizure)
    assert p.party_name == "赵*" and p.party_uscc == ""
    assert "赵某" not in p.body and "幸福路 9 号" not in p.body and world.citizen.id_number not in p.body


def test_a_compulsion_draft_needs_a_second_person(world: CaseWorld) -> None:
    p = publication_of_seizure(seize(world))
    services.publication_submit(actor=world.head, publication=p)
    with pytest.raises(RuleViolation) as exc:
        services.publication_approve(actor=world.head, publication=p)
    assert exc.value.code == "publication_same_person"
    assert Publication.objects.get(pk=p.pk).status == PublicationStatus.SUBMITTED


def test_an_emergency_seizure_is_published_once_the_head_approves_it_not_before(world: CaseWorld) -> None:
    seizure = seize(world, approved_by=None, emergency=True)
    assert not Publication.objects.filter(source_type=services.SEIZURE).exists()
    case_services.seizure_approve(actor=world.head, seizure=seizure, approve=True, on=D(2025, 3, 4))
    p = publication_of_seizure(seizure)
    assert p.decided_on == D(2025, 3, 4) and p.due_on == D(2025, 3, 13)


def test_an_evidence_preservation_is_not_a_compulsion_result(world: CaseWorld) -> None:
    seize(world, kind="preserve")
    assert not Publication.objects.filter(kind=ResultKind.COMPULSION).exists()


def test_a_published_compulsion_decision_is_in_the_public_list_filter_search_and_export(
    world: CaseWorld,
) -> None:
    p = publication_of_seizure(seize(world))
    services.publication_submit(actor=world.officer_user, publication=p)
    services.publication_approve(actor=world.head, publication=p, on=D(2025, 3, 5))
    # read within its 公示期限 (a compulsion result: 12 months from publication)
    with clock.set_during(D(2025, 3, 10)):
        assert [x.pk for x in selectors.public_publications(kind=ResultKind.COMPULSION)] == [p.pk]
        assert not selectors.public_publications(kind=ResultKind.PENALTY).filter(pk=p.pk).exists()
        assert [h.source_id for h in search("过期奶粉", kind=ResultKind.COMPULSION).items] == [str(p.pk)]
        rows = list(selectors.public_export_rows(ResultKind.COMPULSION))
        assert (
            len(rows) == 1
            and rows[0]["行政强制类别"] == "行政强制措施"
            and "过期奶粉" in rows[0]["行政强制内容"]
        )
        client = Client()
        page = client.get("/public/decisions/?kind=compulsion").content.decode()
        assert "行政强制决定" in page and p.title in page
        assert "行政强制内容" in client.get(f"/public/decisions/{p.pk}/").content.decode()
        export = client.get("/public/export/compulsion.json").json()
        assert export["kind"] == "compulsion" and len(export["items"]) == 1


def test_a_court_application_is_a_compulsion_result_to_publish(world: CaseWorld) -> None:
    # local import: the case tests' builder of a decided, served and unpaid fine
    from zhifa.cases.tests.test_rules import _served_unpaid

    case = _served_unpaid(world)
    case_services.enforcement_demand(actor=world.officer_user, case=case, on=D(2025, 9, 1))
    demand = case_services.court_application(
        actor=world.head, case=case, court_name="测县人民法院", on=D(2025, 9, 26)
    )
    p = Publication.objects.get(source_type=services.ENFORCEMENT, source_id=str(demand.pk))
    assert p.kind == ResultKind.COMPULSION and p.decided_on == D(2025, 9, 26)
    assert "测县人民法院" in p.content and "申请人民法院强制执行" in p.title


def test_the_sweep_finds_compulsion_results_without_a_publication(world: CaseWorld) -> None:
    seizure = seize(world)
    publication_of_seizure(seizure).delete()
    assert services.disclosure_sweep()["compulsion"] == 1
    assert publication_of_seizure(seizure).due_on == D(2025, 3, 12)
    assert services.disclosure_sweep()["compulsion"] == 0


def test_the_seizure_decision_document_gives_the_draft_its_number(world: CaseWorld) -> None:
    seizure = seize(world)
    assert publication_of_seizure(seizure).document_number == ""
    doc = case_services.document_issue(
        actor=world.officer_user, case=seizure.case, doc_type="seizure_decision", seizure=seizure, on=D0
    )
    p = publication_of_seizure(seizure)
    assert p.document_number == doc.number and doc.number in p.body
