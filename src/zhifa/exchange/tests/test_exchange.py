"""Counties under a city (issue 22 item 1), in one process: the outbox written with the supervision change,
batches applied once and in order by the city (a repeat acknowledged, a gap refused with 409), bad
signatures refused, the county's ledger witnessed (a fork or a shrink raises the alert), the push retried
with backoff and never skipping a batch, and the pages of the city."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from django.db import transaction
from django.test import Client
from django.urls import reverse

from zhifa.channels import transport
from zhifa.core import clock, flags
from zhifa.core.errors import PermissionDenied
from zhifa.exchange import outbox, selectors, services
from zhifa.exchange.models import (
    BatchStatus,
    ItemKind,
    OutboxBatch,
    OutboxItem,
    ReceivedBatch,
    ReceivedRecord,
    Source,
    WitnessState,
)
from zhifa.exchange.standin import StandInCounty, item
from zhifa.org.models import Role
from zhifa.org.tests.factories import UserFactory, grant
from zhifa.records import signing
from zhifa.records.models import LedgerEntry
from zhifa.supervision.models import Flag

pytestmark = pytest.mark.django_db

T0 = dt.datetime(2026, 11, 18, 2, 0, tzinfo=dt.UTC)
API = "/api/exchange/batches"


@pytest.fixture(autouse=True)
def _clock() -> Any:
    with clock.set_during(T0):
        yield


@pytest.fixture
def city(world: Any) -> dict[str, Any]:
    """The city's administrator (the world's province), a city supervisor, and a county registered by it."""
    admin = UserFactory()
    grant(admin, Role.ADMIN, region=world.county.parent.parent)
    county = StandInCounty(code="880102")
    source, secret = services.source_create(
        actor=admin, region=world.county, name="测县平台", code="880102", public_key_pem=county.public_key_pem
    )
    county.secret = secret
    return {"admin": admin, "county": county, "source": source, "supervisor": world.supervisor}


def post(body: bytes, headers: dict[str, str]) -> Any:
    return Client().post(
        API,
        data=body,
        content_type="application/json",
        **{f"HTTP_{k.upper().replace('-', '_')}": v for k, v in headers.items()},
    )


def flag_item(n: int, *, is_open: bool = True) -> dict[str, Any]:
    return item(ItemKind.FLAG, f"flag:{n}", title=f"预警 {n}", state_label="待处理", is_open=is_open)


# --- receiving ---------------------------------------------------------------------------------------------


def test_a_batch_is_applied_once_and_a_repeat_is_acknowledged_without_applying_it_again(
    city: dict[str, Any],
) -> None:
    county = city["county"]
    body, headers = county.batch([flag_item(1), flag_item(2)])
    first = post(body, headers)
    assert first.status_code == 200, first.content
    assert first.json()["status"] == "applied"
    again = post(body, county.headers(json.loads(body)["batch_id"], body))
    assert again.status_code == 200
    assert again.json()["status"] == "duplicate"
    assert ReceivedRecord.objects.filter(source=city["source"]).count() == 2
    assert ReceivedBatch.objects.filter(source=city["source"]).count() == 1
    assert LedgerEntry.objects.filter(action="exchange.batch_receive").count() == 1


def test_a_later_item_updates_the_record_of_the_same_key_instead_of_adding_one(city: dict[str, Any]) -> None:
    county = city["county"]
    assert post(*county.batch([flag_item(1)])).status_code == 200
    assert post(*county.batch([flag_item(1, is_open=False)])).status_code == 200
    record = ReceivedRecord.objects.get(source=city["source"], key="flag:1")
    assert (record.is_open, record.sequence) == (False, 2)


def test_a_gap_in_the_sequence_is_refused_with_409_and_nothing_is_stored(city: dict[str, Any]) -> None:
    county = city["county"]
    answer = post(*county.batch([flag_item(1)], sequence=2))
    assert answer.status_code == 409
    assert answer.json()["code"] == "sequence_gap"
    assert not ReceivedRecord.objects.exists()
    assert Source.objects.get(pk=city["source"].pk).last_sequence == 0


def test_batches_are_applied_in_sequence_order_once_the_missing_one_arrives(city: dict[str, Any]) -> None:
    county = city["county"]
    one = county.batch([flag_item(1)])
    two = county.batch([flag_item(1, is_open=False)])
    assert post(*two).status_code == 409
    assert post(*one).status_code == 200
    assert post(*two).status_code == 200
    assert not ReceivedRecord.objects.get(key="flag:1").is_open


def test_a_batch_signed_with_another_key_than_the_pinned_one_is_refused(city: dict[str, Any]) -> None:
    county = city["county"]
    body, _ = county.batch([flag_item(1)])
    headers = county.headers(json.loads(body)["batch_id"], body, key=Ed25519PrivateKey.generate())
    answer = post(body, headers)
    assert answer.status_code == 403
    assert answer.json()["code"] == "batch_signature_invalid"
    assert not ReceivedRecord.objects.exists()


def test_a_request_without_the_secret_the_city_issued_is_refused(city: dict[str, Any]) -> None:
    county = city["county"]
    body, headers = county.batch([flag_item(1)])
    forged = {**headers, "webhook-signature": "v1,AAAA"}
    assert post(body, forged).status_code == 401
    assert post(body, {**headers, "zhifa-source": "unknown"}).status_code == 401
    assert not ReceivedRecord.objects.exists()


def test_a_disabled_county_is_refused(city: dict[str, Any]) -> None:
    services.source_set_active(actor=city["admin"], source=city["source"], active=False)
    assert post(*city["county"].batch([flag_item(1)])).status_code == 401


def test_a_changed_body_does_not_verify(city: dict[str, Any]) -> None:
    county = city["county"]
    body, headers = county.batch([flag_item(1)])
    assert post(body.replace("预警 1".encode(), "预警 9".encode()), headers).status_code == 401


# --- witnessing the county's ledger --------------------------------------------------------------------------


def test_a_growing_county_ledger_is_witnessed_with_consistency_proofs(city: dict[str, Any]) -> None:
    county = city["county"]
    county.grow(20)
    first = county.head(10, at=T0 - dt.timedelta(hours=1))
    assert post(*county.batch([], county.ledger(first, None))).status_code == 200
    second = county.head(20)
    assert post(*county.batch([], county.ledger(second, 10))).status_code == 200
    source = Source.objects.get(pk=city["source"].pk)
    assert (source.witness_state, source.witness_tree_size) == (WitnessState.VERIFIED, 20)


def test_a_forked_county_ledger_fails_the_witness_and_raises_a_flag(city: dict[str, Any]) -> None:
    county = city["county"]
    county.grow(20)
    first = county.head(10, at=T0 - dt.timedelta(hours=1))
    assert post(*county.batch([], county.ledger(first, None))).status_code == 200
    county.leaves[3] = b"rewritten"  # history rewritten below the witnessed head
    forked = county.head(20)
    assert post(*county.batch([flag_item(1)], county.ledger(forked, 10))).status_code == 200
    source = Source.objects.get(pk=city["source"].pk)
    assert source.witness_state == WitnessState.FAILED
    assert "不一致" in source.witness_error
    assert Flag.objects.filter(kind=selectors.WITNESS_FLAG_KIND, key=f"source:{source.pk}").exists()
    assert ReceivedRecord.objects.filter(key="flag:1").exists()  # the data is still received


def test_a_shrunk_county_ledger_fails_the_witness(city: dict[str, Any]) -> None:
    county = city["county"]
    county.grow(20)
    head = county.head(20, at=T0 - dt.timedelta(hours=1))
    assert post(*county.batch([], county.ledger(head, None))).status_code == 200
    assert post(*county.batch([], county.ledger(head, None, tree_size=12))).status_code == 200
    source = Source.objects.get(pk=city["source"].pk)
    assert source.witness_state == WitnessState.FAILED
    assert "截短" in source.witness_error


# --- the county's outbox and push ------------------------------------------------------------------------------


@pytest.fixture
def upstream(world: Any, city: dict[str, Any], settings: Any) -> Any:
    """This instance also reports upstream — to itself, under the code of the city's registered county,
    whose pinned key is then this instance's own ledger key."""
    Source.objects.filter(pk=city["source"].pk).update(
        public_key_pem=signing.load_signing_key().public_key_pem
    )
    return services.upstream_create(
        actor=city["admin"],
        name="测市平台",
        url="https://city.example.gov.cn",
        source_code="880102",
        secret=city["county"].secret,
    )


def notify_flag(world: Any, n: int) -> None:
    flags.notify(
        flags.FlagCandidate(
            kind="test_exchange", key=f"k{n}", agency_id=world.agency.pk, title=f"测试预警 {n}"
        )
    )


def test_a_flag_is_put_in_the_outbox_in_its_own_transaction(world: Any, upstream: Any) -> None:
    with transaction.atomic():
        notify_flag(world, 1)
    assert OutboxItem.objects.filter(kind=ItemKind.FLAG).count() == 1

    def change_that_fails() -> None:
        with transaction.atomic():
            notify_flag(world, 2)
            raise RuntimeError("the change rolls back")

    with pytest.raises(RuntimeError):
        change_that_fails()
    assert OutboxItem.objects.filter(kind=ItemKind.FLAG).count() == 1


def test_nothing_is_put_in_the_outbox_without_an_active_upstream(world: Any, upstream: Any) -> None:
    services.upstream_set_active(actor=upstream.created_by, upstream=upstream, active=False)
    notify_flag(world, 1)
    assert not OutboxItem.objects.exists()


class Link:
    """The network between the county and the city: the Django test client, or cut."""

    def __init__(self) -> None:
        self.up = True
        self.sent: list[int] = []

    def __call__(self, url: str, body: bytes, headers: dict[str, str]) -> transport.Outcome:
        if not self.up:
            return transport.Outcome(None, "连接被拒绝（接收方未在该端口监听）。", 1)
        self.sent.append(json.loads(body)["sequence"])
        answer = post(body, headers)
        return transport.Outcome(answer.status_code, "" if answer.status_code < 300 else "refused", 1)


def test_a_cut_link_keeps_the_batches_and_a_restored_one_delivers_them_in_order_once(
    world: Any, upstream: Any, city: dict[str, Any]
) -> None:
    link = Link()
    notify_flag(world, 1)
    assert outbox.outbox_push_once(send=link).delivered == 1
    link.up = False
    notify_flag(world, 2)
    outbox.outbox_push_once(send=link)
    notify_flag(world, 3)
    result = outbox.outbox_push_once(send=link)  # the first pending one waits for its retry: nothing goes
    assert result.delivered == 0
    pending = OutboxBatch.objects.filter(status=BatchStatus.PENDING).order_by("sequence")
    assert [b.sequence for b in pending] == [2, 3]
    assert pending[0].attempts == 1 and pending[0].next_attempt_at > clock.now()
    link.up = True
    assert outbox.outbox_push_once(send=link).delivered == 0  # not before the backoff is over
    with clock.set_during(T0 + dt.timedelta(hours=1)):
        assert outbox.outbox_push_once(send=link).delivered == 2
    assert link.sent == [1, 2, 3]
    keys = sorted(ReceivedRecord.objects.filter(kind=ItemKind.FLAG).values_list("title", flat=True))
    assert keys == ["测试预警 1", "测试预警 2", "测试预警 3"]
    assert Source.objects.get(pk=city["source"].pk).last_sequence == 3


def test_a_batch_whose_acknowledgement_was_lost_is_sent_again_and_not_applied_twice(
    world: Any, upstream: Any
) -> None:
    def lost(url: str, body: bytes, headers: dict[str, str]) -> transport.Outcome:
        post(body, headers)  # the city applies it; the answer never reaches the county
        return transport.Outcome(None, "连接或等待响应超时（5 秒）。", 5000)

    notify_flag(world, 1)
    outbox.outbox_push_once(send=lost)
    with clock.set_during(T0 + dt.timedelta(hours=1)):
        assert outbox.outbox_push_once(send=Link()).delivered == 1
    assert ReceivedBatch.objects.count() == 1
    assert ReceivedRecord.objects.filter(kind=ItemKind.FLAG).count() == 1


def test_the_batches_carry_the_countys_signed_heads_which_the_city_witnesses(
    world: Any, upstream: Any
) -> None:
    # local import: the ledger's signing service is only needed to make heads for this test
    from zhifa.records.services import ledger_sign

    with transaction.atomic():
        ledger_sign()
    notify_flag(world, 1)
    outbox.outbox_push_once(send=Link())
    source = Source.objects.get(code="880102")
    assert source.witness_state == WitnessState.VERIFIED


# --- who may do what -------------------------------------------------------------------------------------------


def test_only_an_administrator_registers_a_county(world: Any, city: dict[str, Any]) -> None:
    with pytest.raises(PermissionDenied):
        services.source_create(
            actor=world.supervisor,
            region=world.county,
            name="x",
            code="x1",
            public_key_pem=city["county"].public_key_pem,
        )


def test_the_city_supervisor_sees_the_counties_and_their_open_items(city: dict[str, Any], world: Any) -> None:
    assert post(*city["county"].batch([flag_item(1)])).status_code == 200
    client = Client()
    client.force_login(world.supervisor)
    page = client.get(reverse("exchange:city"))
    assert page.status_code == 200
    assert "测县平台" in page.content.decode()
    assert "预警 1" in client.get(reverse("exchange:open_items")).content.decode()
    assert client.get(reverse("exchange:source_detail", args=[city["source"].pk])).status_code == 200
    assert client.get(reverse("exchange:upstream")).status_code == 403


def test_a_supervisor_of_another_region_does_not_see_the_county(city: dict[str, Any], world: Any) -> None:
    other = UserFactory()
    grant(
        other,
        Role.SUPERVISOR,
        region=world.county.parent.parent.__class__.objects.create(
            code="990000", name="他省", level="province"
        ),
    )
    client = Client()
    client.force_login(other)
    assert client.get(reverse("exchange:source_detail", args=[city["source"].pk])).status_code == 404
    assert not selectors.sources(other).exists()


# --- the documented format -------------------------------------------------------------------------------------


def test_a_batch_the_outbox_builds_follows_the_documented_schema(world: Any, upstream: Any) -> None:
    # local import: jsonschema is a test dependency only
    import jsonschema

    schema = json.loads(
        (Path(__file__).resolve().parents[4] / "docs" / "exchange-batch.schema.json").read_text()
    )
    # local import: the ledger's signing service is only needed to put a head in the batch
    from zhifa.records.services import ledger_sign

    with transaction.atomic():
        ledger_sign()
    notify_flag(world, 1)
    batch = outbox.build_batch(upstream.pk)
    assert batch is not None
    jsonschema.validate(json.loads(batch.body), schema)
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate({**json.loads(batch.body), "sequence": 0}, schema)


def test_a_filed_report_goes_up_through_the_outbox_and_a_draft_does_not(
    sup: Any, upstream: Any, city: dict[str, Any]
) -> None:
    """报告: counties push their reports with the other supervision data (issue 22 item 1)."""
    from zhifa.reporting import services as reporting
    from zhifa.reporting.models import Period

    kind = reporting.kind_create(
        actor=sup.county_sup,
        region=sup.w.county,
        name="专项整治阶段性进展情况",
        period=Period.BIMONTHLY,
        due_days=10,
        starts_on=dt.date(2026, 3, 1),
        sections=["工作开展情况", "存在的问题"],
    )
    agency = sup.w.agency
    report = reporting.report_draft(
        actor=sup.w.head, kind=kind, agency=agency, region=agency.region, period_start=dt.date(2026, 3, 1)
    )
    reporting.report_edit(actor=sup.w.head, report=report, texts={"存在的问题": "无。"})
    assert not OutboxItem.objects.filter(kind=ItemKind.REPORT).exists()  # a draft stays at home

    reporting.report_submit(actor=sup.w.head, report=report)
    sent = OutboxItem.objects.get(kind=ItemKind.REPORT)
    assert sent.key == f"report:{report.pk}"
    assert (sent.data["state_label"], sent.data["is_open"], sent.data["agency_name"]) == (
        "已报送",
        True,
        agency.name,
    )
    assert sent.data["sections"] and sent.data["period_label"]

    link = Link()
    outbox.outbox_push_once(send=link)
    received = ReceivedRecord.objects.get(kind=ItemKind.REPORT)
    assert received.key == f"report:{report.pk}" and received.is_open
    assert received.title == str(report) and received.state_label == "已报送"
