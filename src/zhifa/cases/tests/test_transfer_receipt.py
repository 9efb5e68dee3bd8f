"""移送回执与反馈 (issue 21 item 6): a case transferred to the judicial organs gets the 回执 and the feedback
recorded by its own agency; a case transferred to an agency on the platform is acknowledged and answered by that
agency's head — and by no one else; the receipt comes before the feedback; each step is on the case's record."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from zhifa.cases import services
from zhifa.cases.models import TransferReceipt
from zhifa.cases.tests.helpers import D0, CaseWorld, opened
from zhifa.core.errors import InvalidInput, PermissionDenied, RuleViolation
from zhifa.records.models import LedgerEntry

pytestmark = pytest.mark.django_db


def _judicial(world: CaseWorld) -> Any:
    return services.case_transfer(
        actor=world.head,
        case=opened(world),
        target="judicial",
        target_name="测县公安局",
        reason="涉嫌生产销售伪劣产品罪",
        on=D0,
    )


def _to_agency(world: CaseWorld) -> Any:
    return services.case_transfer(
        actor=world.head,
        case=opened(world),
        target="agency",
        target_name="",
        reason="属建筑市场监管事项",
        on=D0,
        receiver=world.other_agency,
    )


def test_a_judicial_transfer_gets_its_receipt_then_feedback_from_the_transferring_agency(
    world: CaseWorld,
) -> None:
    case = _judicial(world)
    with pytest.raises(RuleViolation):
        services.transfer_feedback(actor=world.officer_user, case=case, result="accepted", text="已立案")
    with pytest.raises(InvalidInput):
        services.transfer_acknowledge(actor=world.officer_user, case=case, receipt_no="")
    services.transfer_acknowledge(
        actor=world.officer_user, case=case, receipt_no="测公（经）受字〔2025〕12号"
    )
    services.transfer_feedback(actor=world.officer_user, case=case, result="accepted", text="已立案侦查")
    receipt = TransferReceipt.objects.get(case=case)
    assert receipt.receipt_no and receipt.feedback == "accepted"
    actions = list(
        LedgerEntry.objects.filter(object_type="cases.case", object_id=str(case.pk)).values_list(
            "action", flat=True
        )
    )
    assert actions[-3:] == ["case.transfer", "case.transfer_receipt", "case.transfer_feedback"]
    with pytest.raises(RuleViolation):
        services.transfer_feedback(actor=world.officer_user, case=case, result="declined", text="改")


def test_an_agency_transfer_is_acknowledged_by_the_receiving_head_only(world: CaseWorld) -> None:
    case = _to_agency(world)
    assert case.transfer_target_name == world.other_agency.name
    with pytest.raises(PermissionDenied):
        services.transfer_acknowledge(actor=world.head, case=case)  # the sender cannot sign for the receiver
    services.transfer_acknowledge(actor=world.outsider, case=case)
    services.transfer_feedback(actor=world.outsider, case=case, result="accepted", text="已立案调查")
    receipt = TransferReceipt.objects.get(case=case)
    assert receipt.acknowledged_by == world.outsider and receipt.feedback == "accepted"


def test_a_receiver_is_only_for_a_transfer_to_an_agency_and_never_the_same_agency(world: CaseWorld) -> None:
    with pytest.raises(InvalidInput):
        services.case_transfer(
            actor=world.head,
            case=opened(world),
            target="judicial",
            target_name="测县公安局",
            reason="x",
            on=D0,
            receiver=world.other_agency,
        )
    with pytest.raises(InvalidInput):
        services.case_transfer(
            actor=world.head,
            case=opened(world),
            target="agency",
            target_name="",
            reason="x",
            on=D0,
            receiver=world.agency,
        )
    assert not TransferReceipt.objects.exists()


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_receiving_head_acknowledges_on_the_transfer_page_without_reading_the_case(
    world: CaseWorld,
) -> None:
    case = _to_agency(world)
    head = _client(world.outsider)
    listing = head.get(reverse("cases:transfers")).content.decode()
    assert case.title in listing
    assert head.get(reverse("cases:detail", args=[case.pk])).status_code == 404
    page = head.get(reverse("cases:transfer", args=[case.pk])).content.decode()
    assert "确认接收" in page
    assert head.post(reverse("cases:transfer", args=[case.pk]), {"action": "receipt"}).status_code == 302
    assert TransferReceipt.objects.get(case=case).received_on is not None
    # an agency neither sending nor receiving: 404
    judicial = _judicial(world)
    assert head.get(reverse("cases:transfer", args=[judicial.pk])).status_code == 404


def test_the_api_records_the_feedback_of_the_receiving_agency(world: CaseWorld) -> None:
    case = _to_agency(world)
    head = _client(world.outsider)
    url = f"/api/cases/{case.pk}/transfer-receipt"
    assert _client(world.reviewer).post(url, {}, content_type="application/json").status_code in (403, 404)
    assert head.post(url, {}, content_type="application/json").status_code == 200
    answer = head.post(
        f"/api/cases/{case.pk}/transfer-feedback",
        {"result": "declined", "text": "不属本机关"},
        content_type="application/json",
    )
    assert answer.status_code == 200 and answer.json()["feedback"] == "declined"


def test_the_case_page_of_a_transferred_case_links_to_its_receipt_and_feedback(world: CaseWorld) -> None:
    case = _judicial(world)
    page = _client(world.officer_user).get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert reverse("cases:transfer", args=[case.pk]) in page
    untransferred = opened(world)
    other = _client(world.officer_user).get(reverse("cases:detail", args=[untransferred.pk])).content.decode()
    assert reverse("cases:transfer", args=[untransferred.pk]) not in other
