"""Outgoing webhooks (issue 20 item 7): the outbox written with the publication, delivery in order per endpoint
with exponential backoff against a real receiver on 127.0.0.1, at most N attempts then failed and flagged, the
Standard Webhooks signature over the exact body bytes, the 双公示 increments pushed with their cursor, the
endpoints' scope, the URL rules, and the secret shown once."""

from __future__ import annotations

import datetime as dt
import http.server
import io
import itertools
import json
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
import standardwebhooks.webhooks
from django.core.management import call_command
from django.db import transaction
from django.test import Client
from standardwebhooks import Webhook, WebhookVerificationError

from zhifa.channels import crypto, selectors, services, transport
from zhifa.channels.models import (
    DeliveryStatus,
    EventType,
    ExportIncrementItem,
    WebhookAttempt,
    WebhookDelivery,
    WebhookEndpoint,
)
from zhifa.channels.signing import signed_headers
from zhifa.core import clock
from zhifa.core.errors import InvalidInput, PermissionDenied, RuleViolation
from zhifa.disclosure import selectors as disclosure_selectors
from zhifa.disclosure import services as disclosure_services
from zhifa.disclosure.models import ResultKind
from zhifa.disclosure.tests.helpers import publication_of, publish
from zhifa.testing.registries import flag_listener
from zhifa.testing.worlds import CaseWorld, decide_simple

pytestmark = pytest.mark.django_db

T0 = dt.datetime(2026, 11, 18, 2, 0, tzinfo=dt.UTC)  # 10:00 Beijing time on the suite's day


# --- a real receiver on 127.0.0.1 -----------------------------------------------------------------------------


@dataclass
class Receiver:
    url: str
    answers: list[int]  # the status of each request in turn; the last one repeats
    requests: list[tuple[dict[str, str], bytes]] = field(default_factory=list)


@pytest.fixture
def receiver(settings: Any) -> Iterator[Receiver]:
    """An ``http.server`` on a free port of 127.0.0.1 in a thread; loopback allowed for the test."""
    settings.WEBHOOK_ALLOW_PRIVATE = True
    state = Receiver(url="", answers=[200])

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
            state.requests.append(({k.lower(): v for k, v in self.headers.items()}, body))
            n = len(state.requests) - 1
            status = state.answers[min(n, len(state.answers) - 1)]
            self.send_response(status)
            self.send_header("Content-Length", "2")
            self.end_headers()
            self.wfile.write(b"ok")

        def log_message(self, format: str, *args: Any) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    state.url = f"http://127.0.0.1:{server.server_address[1]}/hook?source=zhifa"
    try:
        yield state
    finally:
        server.shutdown()
        server.server_close()


def verify(secret: str, headers: dict[str, str], body: bytes) -> Any:
    """The specification's own verification (``standardwebhooks.Webhook.verify``), its clock on the platform's."""

    class OnThePlatformClock(dt.datetime):
        @classmethod
        def now(cls, tz: Any = None) -> Any:  # type: ignore[override]
            return clock.now()

    original = standardwebhooks.webhooks.datetime
    standardwebhooks.webhooks.datetime = OnThePlatformClock  # type: ignore[misc]
    try:
        return Webhook(secret).verify(body, headers)
    finally:
        standardwebhooks.webhooks.datetime = original  # type: ignore[misc]


def endpoint(world: CaseWorld, url: str, events: list[str] | None = None) -> tuple[WebhookEndpoint, str]:
    return services.endpoint_create(
        actor=world.head,
        agency=world.agency,
        name="测县市监门户网站",
        url=url,
        events=events or [EventType.PUBLISHED, EventType.WITHDRAWN],
    )


# --- delivery ---------------------------------------------------------------------------------------------------


def test_a_receiver_failing_twice_then_accepting_gets_three_attempts_on_the_backoff_schedule(
    world: CaseWorld, receiver: Receiver, fixed_clock: Any, settings: Any
) -> None:
    settings.WEBHOOK_RETRY_BASE_SECONDS = 60
    receiver.answers = [500, 503, 204]
    fixed_clock(T0)
    ep, secret = endpoint(world, receiver.url)
    p = publish(world, decide_simple(world))
    d = WebhookDelivery.objects.get(endpoint=ep)
    assert d.event_type == EventType.PUBLISHED and d.publication_id == p.pk

    waits = []  # the clock runs on from where the test sets it: each wait is measured from its attempt
    services.webhooks_push()
    d.refresh_from_db()
    assert (d.status, d.attempts, d.last_status_code) == (DeliveryStatus.PENDING, 1, 500)
    assert d.last_error == "接收方返回 HTTP 500。"
    waits.append(d.next_attempt_at - d.last_attempt_at)
    services.webhooks_push()  # not due yet: nothing is sent
    assert len(receiver.requests) == 1

    fixed_clock(d.next_attempt_at)
    services.webhooks_push()
    d.refresh_from_db()
    assert d.attempts == 2 and d.last_status_code == 503
    waits.append(d.next_attempt_at - d.last_attempt_at)
    assert waits == [dt.timedelta(seconds=60), dt.timedelta(seconds=120)]  # exponential: doubled

    fixed_clock(d.next_attempt_at)
    result = services.webhooks_push()
    d.refresh_from_db()
    assert result.delivered == 1
    assert (d.status, d.attempts, d.next_attempt_at) == (DeliveryStatus.DELIVERED, 3, None)
    assert d.delivered_at == d.last_attempt_at and d.last_error == ""

    assert len(receiver.requests) == 3
    attempts = list(WebhookAttempt.objects.filter(delivery=d).order_by("number"))
    gaps = [b.at - a.at for a, b in itertools.pairwise(attempts)]
    assert dt.timedelta(seconds=60) <= gaps[0] < dt.timedelta(seconds=90)
    assert dt.timedelta(seconds=120) <= gaps[1] < dt.timedelta(seconds=150)
    assert [a.status_code for a in attempts] == [500, 503, 204]
    # the same event id (idempotency key) and the same body bytes every time; each signature verifies
    assert {h["webhook-id"] for h, _ in receiver.requests} == {d.event_id}
    assert {b for _, b in receiver.requests} == {d.body.encode("utf-8")}
    headers, body = receiver.requests[-1]
    payload = verify(secret, headers, body)
    assert payload["type"] == "publication.published" and payload["id"] == d.event_id
    assert (
        payload["data"]["publication_id"] == p.pk and payload["data"]["agency"]["name"] == world.agency.name
    )
    assert headers["content-type"] == "application/json; charset=utf-8"
    # one accepted delivery: nothing left to send
    assert services.webhooks_push().delivered == 0 and len(receiver.requests) == 3


def test_deliveries_to_one_endpoint_go_in_the_order_they_were_made(
    world: CaseWorld, receiver: Receiver, fixed_clock: Any
) -> None:
    receiver.answers = [500, 200]
    fixed_clock(T0)
    ep, _secret = endpoint(world, receiver.url)
    made = [services.endpoint_send_test(actor=world.head, endpoint=ep) for _ in range(3)]
    services.webhooks_push()
    # the first failed: the two behind it wait for it
    assert [h["webhook-id"] for h, _ in receiver.requests] == [made[0].event_id]
    fixed_clock(T0 + dt.timedelta(hours=1))
    services.webhooks_push()
    assert [h["webhook-id"] for h, _ in receiver.requests] == [made[0].event_id] + [d.event_id for d in made]
    assert set(WebhookDelivery.objects.values_list("status", flat=True)) == {DeliveryStatus.DELIVERED}


def test_after_the_maximum_attempts_a_delivery_is_failed_and_flagged_and_the_next_one_goes(
    world: CaseWorld, fixed_clock: Any, settings: Any
) -> None:
    settings.WEBHOOK_MAX_ATTEMPTS = 3
    fixed_clock(T0)
    ep, _secret = endpoint(world, "https://www.example.gov.cn/hook")
    first = services.endpoint_send_test(actor=world.head, endpoint=ep)
    second = services.endpoint_send_test(actor=world.head, endpoint=ep)
    sent: list[str] = []

    def refusing(url: str, body: bytes, headers: dict[str, str]) -> transport.Outcome:
        sent.append(headers["webhook-id"])
        if headers["webhook-id"] == first.event_id:
            return transport.Outcome(None, "连接或等待响应超时（5 秒）。", 5000)
        return transport.Outcome(200, "", 10)

    raised: list[Any] = []
    with flag_listener(raised.append):
        for minutes in (1, 3, 7):  # past the waits of 60 s and then 120 s
            fixed_clock(T0 + dt.timedelta(minutes=minutes))
            services.webhooks_push(send=refusing)
    first.refresh_from_db()
    second.refresh_from_db()
    assert sent == [first.event_id] * 3 + [second.event_id]
    assert (first.status, first.attempts, first.next_attempt_at) == (DeliveryStatus.FAILED, 3, None)
    assert first.last_error == "连接或等待响应超时（5 秒）。"
    assert second.status == DeliveryStatus.DELIVERED
    assert [f.key for f in raised] == [f"webhook_delivery:{first.pk}"]
    flag = raised[0]
    assert flag.agency_id == world.agency.pk and flag.title == "公示推送失败：测县市监门户网站（测试事件）"
    assert [f.key for f in selectors.failed_delivery_flags(None)] == [flag.key]

    # the agency re-sends it: a new round, the same event id; the flag closes
    services.delivery_retry(actor=world.head, delivery=first)
    assert list(selectors.failed_delivery_flags(None)) == []
    services.webhooks_push(send=lambda url, body, headers: transport.Outcome(200, "", 1))
    first.refresh_from_db()
    assert first.status == DeliveryStatus.DELIVERED and first.attempts == 1
    assert list(WebhookAttempt.objects.filter(delivery=first).values_list("number", flat=True)) == [
        1,
        2,
        3,
        4,
    ]


def test_the_outbox_rolls_back_with_the_publication(world: CaseWorld) -> None:
    ep, _secret = endpoint(world, "https://www.example.gov.cn/hook")
    case = decide_simple(world)
    p = publication_of(case)
    disclosure_services.publication_submit(actor=world.officer_user, publication=p)
    seen: list[int] = []

    def approve_then_fail() -> None:
        with transaction.atomic():
            disclosure_services.publication_approve(actor=world.head, publication=p)
            seen.append(WebhookDelivery.objects.filter(endpoint=ep).count())
            raise RuntimeError("the publication's transaction fails after the approval")

    with pytest.raises(RuntimeError, match="fails after the approval"):
        approve_then_fail()
    assert seen == [1]
    assert not WebhookDelivery.objects.filter(endpoint=ep).exists()


def test_a_withdrawal_and_a_correction_are_pushed_with_their_reason(world: CaseWorld) -> None:
    ep, _secret = endpoint(world, "https://www.example.gov.cn/hook", [EventType.WITHDRAWN])
    p = publish(world, decide_simple(world))
    assert not WebhookDelivery.objects.filter(endpoint=ep).exists()  # not subscribed to 公示发布
    disclosure_services.publication_withdraw(
        actor=world.head, publication=p, kind="error", reason="当事人名称有误，更正后重新公示"
    )
    d = WebhookDelivery.objects.get(endpoint=ep)
    data = json.loads(d.body)["data"]
    assert d.event_type == EventType.WITHDRAWN and data["correction"] is True
    assert data["withdraw_kind_label"] == "公示信息有误，更正后重新公示"
    assert data["withdraw_reason"] == "当事人名称有误，更正后重新公示"


def test_a_disabled_endpoint_gets_no_new_events_and_nothing_is_sent_to_it(world: CaseWorld) -> None:
    ep, _secret = endpoint(world, "https://www.example.gov.cn/hook")
    services.endpoint_send_test(actor=world.head, endpoint=ep)
    services.endpoint_disable(actor=world.head, endpoint=ep)
    publish(world, decide_simple(world))
    assert WebhookDelivery.objects.filter(endpoint=ep).count() == 1  # only the test event of before
    assert services.webhooks_push(send=lambda *a: pytest.fail("sent to a disabled endpoint")).endpoints == 0
    with pytest.raises(RuleViolation, match="已停用"):
        services.endpoint_send_test(actor=world.head, endpoint=ep)


# --- the 双公示 increments, pushed ------------------------------------------------------------------------------


def test_the_shuanggongshi_increments_are_pushed_in_batches_with_a_cursor(world: CaseWorld) -> None:
    ep, _secret = endpoint(world, "https://www.example.gov.cn/hook", [EventType.SHUANGGONGSHI])
    first = [publish(world, decide_simple(world, title=t)) for t in ("销售过期食品", "未明码标价")]
    assert ExportIncrementItem.objects.filter(endpoint=ep).count() == 2
    bodies: list[dict[str, Any]] = []

    def accept(url: str, body: bytes, headers: dict[str, str]) -> transport.Outcome:
        bodies.append(json.loads(body))
        return transport.Outcome(200, "", 1)

    result = services.webhooks_push(send=accept)
    assert result.batches == 1 and result.delivered == 1
    batch = bodies[0]["data"]
    assert bodies[0]["type"] == "shuanggongshi.increment"
    assert (batch["kind"], batch["cursor"], batch["previous_cursor"]) == (ResultKind.PENALTY, "1", None)
    assert batch["publication_ids"] == [p.pk for p in first]
    # the same rows, in the same columns, as the pull feed (?since=) gives for them
    pulled = [
        r for r in disclosure_selectors.public_export_rows(ResultKind.PENALTY) if r["备注"] in {
            f"公示编号 {p.pk}" for p in first
        }
    ]  # fmt: skip
    assert batch["items"] == pulled and batch["fields"] == list(disclosure_selectors.PENALTY_FIELDS)
    assert not ExportIncrementItem.objects.filter(endpoint=ep).exists()

    later = publish(world, decide_simple(world, title="无证经营"))
    services.webhooks_push(send=accept)
    assert bodies[1]["data"]["cursor"] == "2" and bodies[1]["data"]["previous_cursor"] == "1"
    assert bodies[1]["data"]["publication_ids"] == [later.pk]
    assert services.webhooks_push(send=accept).batches == 0  # nothing new, no empty batch


# --- signing -----------------------------------------------------------------------------------------------------


def test_the_signature_follows_the_standard_webhooks_test_vector() -> None:
    headers = signed_headers(
        secret="whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
        event_id="msg_p5jXN8AQM9LWM0D4loKWxJek",
        at=dt.datetime.fromtimestamp(1614265330, dt.UTC),
        body=b'{"test": 2432232314}',
    )
    assert headers == {
        "webhook-id": "msg_p5jXN8AQM9LWM0D4loKWxJek",
        "webhook-timestamp": "1614265330",
        "webhook-signature": "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=",
    }


def test_the_signature_covers_the_exact_body_bytes(fixed_clock: Any) -> None:
    fixed_clock(T0)
    secret = crypto.new_secret()
    body = json.dumps({"当事人": "张**", "罚款": "200.00"}, ensure_ascii=False).encode("utf-8")
    headers = signed_headers(secret=secret, event_id="msg_x", at=clock.now(), body=body)
    assert verify(secret, headers, body)["当事人"] == "张**"
    for changed in (body.replace("张".encode(), "李".encode()), body + b" ", body.replace(b'": "', b'":"')):
        with pytest.raises(WebhookVerificationError):
            verify(secret, headers, changed)
    with pytest.raises(WebhookVerificationError):
        verify(crypto.new_secret(), headers, body)


# --- endpoints: scope, URLs, the secret ----------------------------------------------------------------------------


def test_an_endpoint_is_managed_only_within_the_agencys_scope(world: CaseWorld) -> None:
    ep, _secret = endpoint(world, "https://www.example.gov.cn/hook")
    with pytest.raises(PermissionDenied):  # another agency's head
        services.endpoint_create(
            actor=world.outsider,
            agency=world.agency,
            name="x",
            url="https://a.example.cn/",
            events=["webhook.x"],
        )
    with pytest.raises(PermissionDenied):  # an officer of the agency: no right to manage
        services.endpoint_create(
            actor=world.officer_user,
            agency=world.agency,
            name="x",
            url="https://a.example.cn/",
            events=[EventType.PUBLISHED],
        )
    for fn in (services.endpoint_disable, services.endpoint_send_test):
        with pytest.raises(PermissionDenied):
            fn(actor=world.outsider, endpoint=ep)
    with pytest.raises(PermissionDenied):  # a supervisor reads, never manages
        services.endpoint_disable(actor=world.supervisor, endpoint=ep)
    assert list(selectors.endpoints(world.supervisor)) == [ep]
    assert list(selectors.endpoints(world.outsider)) == []
    client = Client()
    client.force_login(world.outsider)
    assert client.get(f"/api/channels/endpoints/{ep.pk}").status_code == 404
    assert client.post(f"/api/channels/endpoints/{ep.pk}/test").status_code == 404
    assert client.get(f"/channels/{ep.pk}/").status_code == 404
    assert WebhookDelivery.objects.count() == 0


@pytest.mark.parametrize(
    "url",
    ["ftp://www.example.gov.cn/hook", "file:///etc/passwd", "javascript:alert(1)", "www.example.gov.cn/hook",
     "https://user:pw@www.example.gov.cn/", "https:///nohost", "https://www.example.gov.cn:99999/", "http://[::1",
     "http://exa mple.gov.cn/"],
)  # fmt: skip
def test_only_http_and_https_urls_are_accepted(world: CaseWorld, url: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        endpoint(world, url)
    assert caught.value.field == "url"
    assert not WebhookEndpoint.objects.exists()


def test_an_event_list_must_name_known_events(world: CaseWorld) -> None:
    for events in ([], ["webhook.test"], [EventType.PUBLISHED, "other"]):
        with pytest.raises(InvalidInput, match="推送事件"):
            services.endpoint_create(
                actor=world.head,
                agency=world.agency,
                name="网站",
                url="https://www.example.gov.cn/",
                events=events,
            )


@pytest.mark.parametrize(
    ("address", "allowed_private", "refused"),
    [
        ("127.0.0.1", False, True),
        ("10.1.2.3", False, True),
        ("192.168.0.10", False, True),
        ("::ffff:192.168.0.10", False, True),
        ("100.64.1.1", False, True),
        ("10.1.2.3", True, False),  # a county website on the government intranet
        ("127.0.0.1", True, False),
        ("169.254.169.254", True, True),  # the cloud metadata service: never
        ("fe80::1", True, True),
        ("0.0.0.0", True, True),  # noqa: S104 - the address under test
        ("224.0.0.1", True, True),
        ("202.96.134.133", False, False),
        ("2400:3200::1", False, False),
    ],
)
def test_private_addresses_need_the_setting_and_link_local_ones_are_never_reached(
    settings: Any, address: str, allowed_private: bool, refused: bool
) -> None:
    settings.WEBHOOK_ALLOW_PRIVATE = allowed_private
    assert bool(transport.address_refusal(address)) is refused


def test_a_private_address_is_refused_at_send_time_without_the_setting(settings: Any) -> None:
    settings.WEBHOOK_ALLOW_PRIVATE = False
    outcome = transport.post("http://127.0.0.1:9/hook", b"{}", {})
    assert outcome.status_code is None and "ZHIFA_WEBHOOK_ALLOW_PRIVATE" in outcome.error


def test_the_secret_is_stored_encrypted_and_shown_once(world: CaseWorld) -> None:
    client = Client()
    client.force_login(world.head)
    response = client.post(
        "/api/channels/endpoints",
        {
            "agency_id": world.agency.pk,
            "name": "政务微信公众号",
            "url": "https://wx.example.gov.cn/hook",
            "events": ["publication.published"],
        },
        content_type="application/json",
    )
    assert response.status_code == 201
    secret = response.json()["secret"]
    assert secret.startswith("whsec_")
    ep = WebhookEndpoint.objects.get(pk=response.json()["id"])
    assert secret not in ep.secret_encrypted and crypto.decrypt(ep.secret_encrypted) == secret
    assert ep.secret_hint == secret[-4:]
    detail = client.get(f"/api/channels/endpoints/{ep.pk}")
    assert detail.status_code == 200 and "secret" not in detail.json()
    assert secret not in client.get(f"/channels/{ep.pk}/").content.decode()


def test_a_secret_that_cannot_be_decrypted_fails_the_attempt_in_chinese(
    world: CaseWorld, settings: Any
) -> None:
    ep, _secret = endpoint(world, "https://www.example.gov.cn/hook")
    d = services.endpoint_send_test(actor=world.head, endpoint=ep)
    settings.SECRET_KEY = "another-key-after-a-rotation"
    services.webhooks_push(send=lambda *a: pytest.fail("sent without a signature"))
    d.refresh_from_db()
    assert d.status == DeliveryStatus.PENDING and "无法解密" in d.last_error


# --- pages -------------------------------------------------------------------------------------------------------


def test_pages_register_an_endpoint_show_the_secret_once_and_the_log_in_chinese(world: CaseWorld) -> None:
    client = Client()
    client.force_login(world.head)
    assert "登记推送地址" in client.get("/channels/").content.decode()
    bad = client.post(
        "/channels/",
        {
            "agency": world.agency.pk,
            "name": "网站",
            "url": "ftp://x.cn/",
            "events": ["publication.published"],
        },
    )
    assert bad.status_code == 422 and "http:// 或 https://" in bad.content.decode()
    assert not WebhookEndpoint.objects.exists()
    created = client.post(
        "/channels/",
        {
            "agency": world.agency.pk,
            "name": "本局门户网站",
            "url": "https://www.example.gov.cn/hook",
            "events": ["publication.published", "shuanggongshi.increment"],
        },
    )
    page = created.content.decode()
    assert created.status_code == 200 and "no-store" in created["Cache-Control"]
    ep = WebhookEndpoint.objects.get()
    assert crypto.decrypt(ep.secret_encrypted) in page and "只显示这一次" in page
    response = client.post(f"/channels/{ep.pk}/test/")
    assert response.status_code == 302
    log = client.get(f"/channels/{ep.pk}/").content.decode()
    assert "测试事件" in log and "待推送" in log and "公示发布、双公示增量" in log
    officer = Client()
    officer.force_login(world.officer_user)
    assert officer.get("/channels/").status_code == 403
    supervisor = Client()
    supervisor.force_login(world.supervisor)
    listed = supervisor.get("/channels/").content.decode()
    assert "本局门户网站" in listed and "登记推送地址" not in listed


def test_zhifa_push_webhooks_runs_the_sweep_and_says_what_it_did(
    world: CaseWorld, receiver: Receiver
) -> None:
    ep, _secret = endpoint(world, receiver.url)
    services.endpoint_send_test(actor=world.head, endpoint=ep)
    out = io.StringIO()
    call_command("push_webhooks", stdout=out)
    assert out.getvalue().strip() == "endpoints=1 batches=0 delivered=1 retrying=0 failed=0"
    assert len(receiver.requests) == 1
