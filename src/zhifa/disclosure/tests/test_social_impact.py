"""行政处罚法 第四十八条第一款: 具有一定社会影响的行政处罚决定应当依法公开 (政府信息公开条例 第二十条第六项:
本行政机关认为具有一定社会影响的行政处罚决定). What has no such impact is the region's rule (``DisclosureRule``:
a warning to a citizen by default; a fine to a citizen below a threshold when set); the agency decides
otherwise with a reason, on the ledger both ways; what is not published stays recorded with its reason."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal

import pytest
from django.test import Client

from zhifa.core.errors import InvalidInput, PermissionDenied, RuleViolation
from zhifa.disclosure import selectors, services
from zhifa.disclosure.models import DisclosureOverride, DisclosureRule, Publication, PublicationStatus
from zhifa.disclosure.tests.helpers import publication_of
from zhifa.records.models import LedgerEntry
from zhifa.testing.worlds import CaseWorld, decide_simple


def _warning(world: CaseWorld, party: object = None) -> Publication:
    case = decide_simple(world, party=party or world.citizen, kinds=["warning"], fine_yuan=None)
    return publication_of(case)


def _override(p: Publication) -> dict[str, object]:
    entry = LedgerEntry.objects.filter(action="disclosure.override", object_id=str(p.pk)).latest("seq")
    return json.loads(entry.changes)  # type: ignore[no-any-return]


def test_a_warning_to_a_citizen_is_not_published_by_default_and_says_why(world: CaseWorld) -> None:
    p = _warning(world)
    assert p.withheld and p.default_withheld and p.status == PublicationStatus.DRAFT
    assert "警告" in p.withheld_reason and "第四十八条" in p.withheld_reason
    obligation = LedgerEntry.objects.get(action="disclosure.obligation", object_id=str(p.pk))
    assert json.loads(obligation.changes)["withheld"] == p.withheld_reason
    with pytest.raises(RuleViolation) as exc:
        services.publication_submit(actor=world.officer_user, publication=p)
    assert exc.value.code == "publication_withheld"
    # not in the open queue, never overdue, but in the supervisors' 不予公开 list with its reason
    assert not selectors.publication_queue(world.head).filter(status__in=selectors.OPEN, withheld=False)
    assert not [f for f in selectors.overdue_publication_flags() if f.key == f"publication:{p.pk}"]
    assert [x.pk for x in selectors.withheld_publications(world.supervisor)] == [p.pk]


def test_a_warning_to_a_company_and_a_fine_to_a_company_are_published(world: CaseWorld) -> None:
    assert not _warning(world, party=world.company).withheld
    assert not publication_of(decide_simple(world, party=world.company, fine_yuan="50")).withheld


def test_a_fine_to_a_citizen_is_published_while_the_region_sets_no_threshold(world: CaseWorld) -> None:
    assert not publication_of(decide_simple(world, party=world.citizen, fine_yuan="150")).withheld


def test_a_region_sets_a_fine_threshold_for_citizens_both_sides(world: CaseWorld) -> None:
    DisclosureRule.objects.create(region=world.county.parent, person_fine_threshold_yuan=Decimal("200"))
    below = publication_of(decide_simple(world, party=world.citizen, fine_yuan="150"))
    at = publication_of(decide_simple(world, party=world.citizen, fine_yuan="200", title="无证经营"))
    assert below.withheld and "低于本地区公开起点 200 元" in below.withheld_reason
    assert not at.withheld
    assert not publication_of(
        decide_simple(world, party=world.company, fine_yuan="150", title="未亮照")
    ).withheld


def test_a_region_may_publish_warnings_to_citizens(world: CaseWorld) -> None:
    DisclosureRule.objects.create(region=world.county, person_unpublished_kinds=[])
    assert not _warning(world).withheld


def test_the_nearest_region_rule_wins(world: CaseWorld) -> None:
    DisclosureRule.objects.create(region=world.county.parent, person_unpublished_kinds=[])
    DisclosureRule.objects.create(region=world.county, person_unpublished_kinds=["warning"])
    assert _warning(world).withheld


def test_the_agency_head_publishes_a_warning_despite_the_default_with_a_reason(world: CaseWorld) -> None:
    p = _warning(world)
    p = services.publication_disclosure_decide(
        actor=world.head,
        publication=p,
        publish=True,
        reason="同一当事人多次违法，社会关注",
        on=dt.date(2025, 3, 4),
    )
    assert not p.withheld and p.disclosure_override == DisclosureOverride.PUBLISH
    assert p.override_by == world.head and p.override_reason == "同一当事人多次违法，社会关注"
    assert _override(p) == {
        "publish": True,
        "default_withheld": True,
        "reason": "同一当事人多次违法，社会关注",
        "on": "2025-03-04",
    }
    services.publication_submit(actor=world.officer_user, publication=p)
    assert services.publication_approve(actor=world.head, publication=p).status == PublicationStatus.PUBLISHED


def test_the_agency_head_withholds_a_fine_to_a_company_with_a_reason(world: CaseWorld) -> None:
    p = publication_of(decide_simple(world, party=world.company))
    services.publication_submit(actor=world.officer_user, publication=p)
    p = services.publication_disclosure_decide(
        actor=world.head, publication=p, publish=False, reason="涉及未成年人保护，不宜公开"
    )
    assert p.withheld and p.status == PublicationStatus.DRAFT and not p.default_withheld
    assert p.withheld_reason == "机关决定不予公开：涉及未成年人保护，不宜公开"
    assert _override(p)["status"] == ["submitted", "draft"] and _override(p)["publish"] is False
    with pytest.raises(RuleViolation):
        services.publication_submit(actor=world.officer_user, publication=p)


def test_an_override_needs_the_head_a_reason_and_a_change(world: CaseWorld) -> None:
    p = _warning(world)
    with pytest.raises(PermissionDenied):
        services.publication_disclosure_decide(
            actor=world.officer_user, publication=p, publish=True, reason="x"
        )
    with pytest.raises(InvalidInput):
        services.publication_disclosure_decide(actor=world.head, publication=p, publish=True, reason="  ")
    with pytest.raises(RuleViolation) as exc:
        services.publication_disclosure_decide(actor=world.head, publication=p, publish=False, reason="重复")
    assert exc.value.code == "publication_disclosure_unchanged"
    assert not LedgerEntry.objects.filter(action="disclosure.override").exists()
    assert Publication.objects.get(pk=p.pk).withheld


def test_a_refresh_keeps_the_agency_decision(world: CaseWorld) -> None:
    p = _warning(world)
    services.publication_disclosure_decide(actor=world.head, publication=p, publish=True, reason="社会关注")
    p = services.publication_refresh(actor=world.officer_user, publication=p)
    assert not p.withheld and p.default_withheld


def test_a_region_may_withhold_compulsion_on_citizens(world: CaseWorld) -> None:
    # local import: the compulsion tests' builder of a seizure
    from zhifa.disclosure.tests.test_compulsion import publication_of_seizure, seize

    DisclosureRule.objects.create(region=world.county, person_compulsion_published=False)
    assert publication_of_seizure(seize(world, party=world.citizen)).withheld
    assert not publication_of_seizure(seize(world, party=world.company)).withheld


def test_the_staff_pages_show_the_reason_and_take_the_decision(world: CaseWorld) -> None:
    p = _warning(world)
    client = Client()
    client.force_login(world.supervisor)
    page = client.get("/disclosure/?tab=withheld").content.decode()
    assert p.withheld_reason in page
    client.force_login(world.head)
    assert "决定公开" in client.get(f"/disclosure/{p.pk}/").content.decode()
    client.post(f"/disclosure/{p.pk}/decide/", {"publish": "1", "reason": "社会关注"})
    assert not Publication.objects.get(pk=p.pk).withheld


def test_the_api_takes_the_decision_and_answers_refusals_in_both_languages(world: CaseWorld) -> None:
    p = _warning(world)
    client = Client()
    client.force_login(world.officer_user)
    url = f"/api/disclosure/publications/{p.pk}/disclosure"
    body = {"publish": True, "reason": "社会关注"}
    assert client.get(f"/api/disclosure/publications/{p.pk}").json()["withheld"] is True
    assert client.post(url, body, content_type="application/json").status_code == 403
    client.force_login(world.head)
    done = client.post(url, body, content_type="application/json").json()
    assert done["withheld"] is False and done["withheld_reason"] == ""
    again = client.post(url, body, content_type="application/json")
    assert again.status_code == 409 and again.json()["code"] == "publication_disclosure_unchanged"
    assert again.json()["message_en"]
    client.force_login(world.outsider)
    assert client.post(url, body, content_type="application/json").status_code == 404
