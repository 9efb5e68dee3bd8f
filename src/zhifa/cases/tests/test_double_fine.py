"""行政处罚法 第二十九条 一事不二罚: no second fine on the same party for the same act (the same 执法事项 and act
date, already decided with a fine), unless the actor records why it is a different act."""

from __future__ import annotations

import json

from zhifa.cases import fines, services
from zhifa.cases.tests.fine_helpers import ACT, BASIS, D, decided, notify, reviewed
from zhifa.cases.tests.helpers import CaseWorld, reload
from zhifa.cases.tests.test_rules import refused
from zhifa.records.models import LedgerEntry


def _first_fined(world: CaseWorld):
    return decided(world, notify(world, reviewed(world)))


def test_a_second_fine_for_the_same_act_is_refused_at_the_notice(world: CaseWorld) -> None:
    first = _first_fined(world)
    second = reviewed(world)
    assert [c.pk for c in fines.earlier_fines(second)] == [first.pk]
    refused(lambda: notify(world, second), "double_fine", second)


def test_a_warning_for_the_same_act_is_not_a_second_fine(world: CaseWorld) -> None:
    _first_fined(world)
    assert notify(world, reviewed(world), fine=None).stage == "notified"


def test_another_act_date_is_another_act(world: CaseWorld) -> None:
    _first_fined(world)
    second = reviewed(world, act_date=D(2025, 2, 21))
    assert fines.earlier_fines(second) == []
    assert notify(world, second).stage == "notified"


def test_an_earlier_case_not_yet_decided_does_not_count(world: CaseWorld) -> None:
    notify(world, reviewed(world))  # notified, not decided
    assert notify(world, reviewed(world)).stage == "notified"


def test_a_stated_different_act_overrides_and_is_recorded(world: CaseWorld) -> None:
    first = _first_fined(world)
    second = notify(world, reviewed(world), different_act_reason="本次为同日另一批次商品，系另一违法行为")
    entry = LedgerEntry.objects.filter(action="case.notify_rights", object_id=str(second.pk)).get()
    assert json.loads(entry.changes)["same_act_case_ids"] == [first.pk]
    assert json.loads(entry.changes)["different_act_reason"].startswith("本次为同日另一批次")


def test_the_decision_is_refused_too_without_the_reason(world: CaseWorld) -> None:
    first = _first_fined(world)
    second = notify(world, reviewed(world), different_act_reason="另一违法行为")
    services.case_waive_rights(actor=world.officer_user, case=second, on=D(2025, 3, 10))
    second = reload(second)

    def decide(reason: str = ""):
        return services.case_decide(
            actor=world.head,
            case=second,
            kinds=["fine"],
            fine_yuan="5000",
            on=D(2025, 3, 10),
            basis=BASIS,
            different_act_reason=reason,
        )

    refused(decide, "double_fine", second)
    assert decide("经核实系另一违法行为").stage == "decided"
    entry = LedgerEntry.objects.filter(action="case.decide", object_id=str(second.pk)).get()
    assert json.loads(entry.changes)["same_act_case_ids"] == [first.pk]
    assert reload(second).act_date == ACT


def test_the_case_page_warns_of_the_earlier_fine(world: CaseWorld, client) -> None:
    _first_fined(world)
    second = reviewed(world)
    client.force_login(world.officer_user)
    html = client.get(f"/cases/{second.pk}/").content.decode()
    assert 'data-testid="earlier-fines"' in html and "第二十九条" in html
    response = client.post(
        f"/cases/{second.pk}/act/notify_rights/",
        {
            "notify_rights-on": "2025-03-10",
            "notify_rights-kinds": ["fine"],
            "notify_rights-fine_yuan": "5000",
            "notify_rights-basis": BASIS,
        },
    )
    page = response.content.decode()
    assert response.status_code == 422 and "不得给予两次以上罚款" in page and "确属不同违法行为的理由" in page


def test_the_on_the_spot_decision_is_checked_too(world: CaseWorld) -> None:
    from zhifa.cases.models import Case
    from zhifa.cases.tests.fine_helpers import ITEM

    def simple(reason: str = ""):
        return services.case_simple_decide(
            basis=BASIS,
            actor=world.officer_user,
            agency=world.agency,
            domain=world.market,
            party=world.citizen,
            officers=world.officers[:2],
            kinds=["fine"],
            fine_yuan="50",
            title="当场处罚",
            catalog_item_code=ITEM,
            act_date=ACT,
            on=D(2025, 3, 3),
            different_act_reason=reason,
        )

    first = simple()
    count = Case.objects.count()
    refused(simple, "double_fine")
    assert Case.objects.count() == count
    second = simple("同日另一地点的另一违法行为")
    entry = LedgerEntry.objects.get(action="case.simple_decide", object_id=str(second.pk))
    assert json.loads(entry.changes)["same_act_case_ids"] == [first.pk]


def test_the_api_refuses_with_409_and_takes_the_reason(world: CaseWorld) -> None:
    from zhifa.cases.tests.test_api import client_for

    _first_fined(world)
    second = reviewed(world)
    api = client_for(world.officer_user)
    body = {"kinds": ["fine"], "fine_yuan": "5000", "basis": BASIS, "on": "2025-03-10"}
    url = f"/api/cases/{second.pk}/notify-rights"
    response = api.post(url, body, content_type="application/json")
    assert response.status_code == 409 and response.json()["code"] == "double_fine"
    assert "第二十九条" in response.json()["message"] and response.json()["message_en"]
    response = api.post(
        url, {**body, "different_act_reason": "另一违法行为"}, content_type="application/json"
    )
    assert response.status_code == 200, response.json()
