"""Anonymous requests are counted in each process and added to the shared counters in batches
(zhifa.portal.ratelimit.LocalCounter): one process counts exactly, several processes over one shared cache are
limited together within the documented bound, and the 429 answers are unchanged with the batching on."""

from __future__ import annotations

import pytest
from django.core.cache.backends.locmem import LocMemCache
from django.test import Client, override_settings

from zhifa.portal import ratelimit
from zhifa.portal.ratelimit import STEP_FRACTION, LocalCounter


class _Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def _shared(name: str) -> LocMemCache:
    cache = LocMemCache(name, {})
    cache.clear()
    return cache


def _admitted(counter: LocalCounter, cache: LocMemCache, limit: int, *, flush_ms: int = 1000) -> bool:
    count, _ = counter.hit(cache, "anonymous-page", "10.0.0.1", limit, 3600, flush_ms)
    return count <= limit


def test_one_process_admits_exactly_the_limit_and_refuses_the_next() -> None:
    clock = _Clock()
    counter = LocalCounter(monotonic=clock)
    cache = _shared("rl-one")
    assert [_admitted(counter, cache, 40) for _ in range(41)] == [True] * 40 + [False]


def test_two_processes_over_one_shared_cache_are_limited_together() -> None:
    """Each alone would admit 40; together they admit 40 plus at most a tenth of the limit each."""
    clock = _Clock()
    shared = _shared("rl-two")
    a, b = LocalCounter(monotonic=clock), LocalCounter(monotonic=clock)
    admitted = sum(_admitted(p, shared, 40) for _ in range(40) for p in (a, b))
    step = 40 // STEP_FRACTION
    assert 40 <= admitted <= 40 + 2 * (step - 1)
    assert not _admitted(a, shared, 40) and not _admitted(b, shared, 40)


def test_without_a_shared_cache_two_processes_would_each_admit_the_whole_limit() -> None:
    """The refusal side of the test above: the processes learn each other's counts only through the cache."""
    clock = _Clock()
    a, b = LocalCounter(monotonic=clock), LocalCounter(monotonic=clock)
    cache_a, cache_b = _shared("rl-a"), _shared("rl-b")
    assert sum(_admitted(a, cache_a, 40) for _ in range(40)) == 40
    assert sum(_admitted(b, cache_b, 40) for _ in range(40)) == 40


def test_a_process_adds_its_count_to_the_shared_one_within_the_flush_interval() -> None:
    clock = _Clock()
    shared = _shared("rl-flush")
    a, b = LocalCounter(monotonic=clock), LocalCounter(monotonic=clock)
    for _ in range(3):  # below a tenth of 100: held in process A
        a.hit(shared, "anonymous-page", "10.0.0.1", 100, 3600, 1000)
    assert b.hit(shared, "anonymous-page", "10.0.0.1", 100, 3600, 1000)[0] == 1  # B does not know them yet
    clock.now += 1.0
    assert a.hit(shared, "anonymous-page", "10.0.0.1", 100, 3600, 1000)[0] == 4  # A adds its 4 (shared: 4)
    assert b.hit(shared, "anonymous-page", "10.0.0.1", 100, 3600, 1000)[0] == 6  # B adds its 2 and learns 6


def test_with_flush_zero_every_request_goes_to_the_shared_count_at_once() -> None:
    clock = _Clock()
    shared = _shared("rl-zero")
    a, b = LocalCounter(monotonic=clock), LocalCounter(monotonic=clock)
    a.hit(shared, "anonymous-page", "10.0.0.1", 100, 3600, 0)
    assert b.hit(shared, "anonymous-page", "10.0.0.1", 100, 3600, 0)[0] == 2


def test_the_window_and_retry_after_follow_the_rate() -> None:
    counter = LocalCounter(wall=lambda: 7200.0, monotonic=_Clock())
    _, left = counter.hit(_shared("rl-win"), "anonymous-page", "10.0.0.1", 5, 3600, 1000)
    assert 0 <= left <= 3600
    assert ratelimit.parse_rate("300/m") == (300, 60)
    assert ratelimit.parse_rate("5/10s") == (5, 10)
    with pytest.raises(ValueError):
        ratelimit.parse_rate("many")


def test_an_ipv6_client_is_counted_per_64_network() -> None:
    assert ratelimit._client_key("2001:db8:1:2:aaaa::1") == ratelimit._client_key("2001:db8:1:2:bbbb::9")
    assert ratelimit._client_key("2001:db8:1:3::1") != ratelimit._client_key("2001:db8:1:2::1")
    assert ratelimit._client_key("10.0.0.1") != ratelimit._client_key("10.0.0.2")


@pytest.fixture
def _batched(monkeypatch: pytest.MonkeyPatch) -> None:
    """The deployment's batching on, with a clock that does not move (no flush but the tenth-of-the-limit one)."""
    monkeypatch.setattr(ratelimit.COUNTER, "_monotonic", _Clock())
    ratelimit.COUNTER.reset()


@pytest.mark.django_db
@pytest.mark.usefixtures("_batched")
@override_settings(PORTAL_RATE="3/h", RATELIMIT_FLUSH_MS=1000)
def test_batched_counts_still_answer_429_with_retry_after_and_the_chinese_page() -> None:
    client = Client(REMOTE_ADDR="10.5.5.5")
    assert [client.get("/public/flows/").status_code for _ in range(3)] == [200] * 3
    response = client.get("/public/")
    assert response.status_code == 429 and "请求过于频繁" in response.content.decode()
    assert 1 <= int(response["Retry-After"]) <= 3600
    assert Client(REMOTE_ADDR="10.5.5.6").get("/public/flows/").status_code == 200


@pytest.mark.django_db
@pytest.mark.usefixtures("_batched")
@override_settings(PORTAL_API_RATE="2/h", RATELIMIT_FLUSH_MS=1000)
def test_batched_counts_still_answer_the_api_with_429_json() -> None:
    client = Client(REMOTE_ADDR="10.5.5.7")
    assert [client.get("/api/portal/agencies").status_code for _ in range(2)] == [200, 200]
    response = client.get("/api/portal/agencies")
    assert response.status_code == 429 and 1 <= int(response["Retry-After"]) <= 3600
    body = response.json()
    assert body["code"] == "rate_limited" and body["message_en"]
