"""The public page cache (zhifa.core.pagecache): anonymous public pages are served from the cache until a
publication, withdrawal or other change they show; signed-in users and pages holding a visitor's own token are
never cached; the version row makes an invalidation reach every server."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db.models import F
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.test import Client, RequestFactory

from zhifa.core.models import PublicPageVersion
from zhifa.core.pagecache import public_page
from zhifa.disclosure import services
from zhifa.disclosure.tests.helpers import publish

TITLE = "销售过期食品"


def _cache_state(response: Any) -> str:
    return response.headers.get("X-Zhifa-Page-Cache", "")


def test_a_public_page_is_served_from_the_cache_until_a_publication_then_shows_it(
    client: Client, world: Any, simple_decision: Any
) -> None:
    first = client.get("/public/decisions/")
    again = client.get("/public/decisions/")
    assert _cache_state(first) == "miss" and _cache_state(again) == "hit"
    assert TITLE not in again.content.decode()
    publish(world, simple_decision)
    after = client.get("/public/decisions/")
    assert _cache_state(after) == "miss" and TITLE in after.content.decode()
    assert _cache_state(client.get("/public/decisions/")) == "hit"


def test_a_withdrawal_takes_the_decision_off_the_cached_pages(
    client: Client, world: Any, simple_decision: Any
) -> None:
    p = publish(world, simple_decision)
    client.get(f"/public/decisions/{p.pk}/")
    cached = client.get(f"/public/decisions/{p.pk}/")
    assert _cache_state(cached) == "hit" and "超过保质期" in cached.content.decode()
    services.publication_withdraw(actor=world.head, publication=p, kind="remade", reason="责令重新作出")
    page = client.get(f"/public/decisions/{p.pk}/").content.decode()
    assert "已撤回" in page and "超过保质期" not in page
    assert TITLE not in client.get("/public/decisions/").content.decode()


def test_search_results_are_cached_per_query(client: Client, world: Any, simple_decision: Any) -> None:
    publish(world, simple_decision)
    found = client.get("/public/search/", {"q": "过期食品"})
    other = client.get("/public/search/", {"q": "无此字号"})
    assert _cache_state(found) == _cache_state(other) == "miss"
    assert "过期食品</mark>" in client.get("/public/search/", {"q": "过期食品"}).content.decode()
    assert TITLE not in client.get("/public/search/", {"q": "无此字号"}).content.decode()


def test_a_change_to_an_agency_refreshes_the_cached_agency_list(client: Client, world: Any) -> None:
    assert "测县市场监督管理局" in client.get("/public/agencies/").content.decode()
    assert _cache_state(client.get("/public/agencies/")) == "hit"
    world.agency.name = "测县市场监管局（更名）"
    world.agency.save(update_fields=["name"])
    page = client.get("/public/agencies/")
    assert _cache_state(page) == "miss" and "测县市场监管局（更名）" in page.content.decode()


def test_an_invalidation_reaches_every_server_through_the_version_row(
    client: Client, world: Any, settings: Any
) -> None:
    """Two servers with their own per-process caches: the version row, bumped by a write on either, is read
    by both, so neither serves the page it cached before."""
    server_a = {**settings.CACHES, "pages": {**settings.CACHES["pages"], "LOCATION": "server-a"}}
    server_b = {**settings.CACHES, "pages": {**settings.CACHES["pages"], "LOCATION": "server-b"}}
    settings.CACHES = server_a
    client.get("/public/agencies/")
    assert _cache_state(client.get("/public/agencies/")) == "hit"
    settings.CACHES = server_b
    client.get("/public/agencies/")
    assert _cache_state(client.get("/public/agencies/")) == "hit"
    # a publication committed through server B (or any other process) adds one to the row
    PublicPageVersion.objects.filter(pk=1).update(number=F("number") + 1)
    assert _cache_state(client.get("/public/agencies/")) == "miss"
    settings.CACHES = server_a
    assert _cache_state(client.get("/public/agencies/")) == "miss"


def test_a_signed_in_user_never_gets_the_cached_anonymous_page_and_never_fills_it(
    client: Client, world: Any
) -> None:
    staff = Client()
    staff.force_login(world.head)
    own = staff.get("/public/decisions/")
    assert own.status_code == 200 and _cache_state(own) == "" and "no-store" in own["Cache-Control"]
    assert _cache_state(client.get("/public/decisions/")) == "miss"  # the staff page was not stored
    assert _cache_state(client.get("/public/decisions/")) == "hit"
    again = staff.get("/public/decisions/")
    assert _cache_state(again) == "" and "no-store" in again["Cache-Control"]


def test_a_visitor_with_a_session_cookie_is_answered_afresh(client: Client, world: Any) -> None:
    client.get("/public/agencies/")
    assert _cache_state(client.get("/public/agencies/")) == "hit"
    client.cookies["sessionid"] = "an-old-session"
    assert _cache_state(client.get("/public/agencies/")) == ""


def _anonymous(path: str = "/public/x/", nonce: str | None = None) -> HttpRequest:
    request = RequestFactory().get(path)
    request.user = AnonymousUser()
    if nonce is not None:
        request.csp_nonce = nonce  # type: ignore[attr-defined]
        request._csp_nonce = nonce  # type: ignore[attr-defined]
    return request


def test_a_page_holding_a_csrf_token_is_never_cached_so_no_token_reaches_another_visitor(db: Any) -> None:
    @public_page
    def with_form(request: HttpRequest) -> HttpResponse:
        return HttpResponse(f'<input name="csrfmiddlewaretoken" value="{get_token(request)}">')

    @public_page
    def without_form(request: HttpRequest) -> HttpResponse:
        return HttpResponse("<p>公开</p>")

    first, second = with_form(_anonymous("/public/form/")), with_form(_anonymous("/public/form/"))
    assert _cache_state(first) == _cache_state(second) == ""
    assert first.content != second.content  # each visitor their own token
    without_form(_anonymous("/public/plain/"))
    assert _cache_state(without_form(_anonymous("/public/plain/"))) == "hit"


def test_a_cached_page_carries_the_serving_requests_own_csp_nonce(db: Any) -> None:
    @public_page
    def with_script(request: HttpRequest) -> HttpResponse:
        return HttpResponse(f'<script nonce="{request.csp_nonce}">1</script>')  # type: ignore[attr-defined]

    first = with_script(_anonymous(nonce="Zmlyc3Rub25jZQ=="))
    cached = with_script(_anonymous(nonce="c2Vjb25kbm9uY2U="))
    assert _cache_state(first) == "miss" and _cache_state(cached) == "hit"
    assert b'nonce="c2Vjb25kbm9uY2U="' in cached.content and b"Zmlyc3Rub25jZQ" not in cached.content


class _Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def memo_clock(settings: Any, monkeypatch: pytest.MonkeyPatch) -> Iterator[_Clock]:
    """The deployment's page version memo (1 s) and rate-limit batching, on clocks the test moves."""
    from zhifa.core import pagecache
    from zhifa.portal import ratelimit

    clock = _Clock()
    settings.PAGE_VERSION_MEMO_MS = 1000
    settings.RATELIMIT_FLUSH_MS = 1000
    monkeypatch.setattr(pagecache, "_monotonic", clock)
    monkeypatch.setattr(ratelimit.COUNTER, "_monotonic", clock)
    ratelimit.COUNTER.reset()
    pagecache.forget_version()
    yield clock
    pagecache.forget_version()


def test_a_cached_public_page_needs_no_database_query(
    client: Client, world: Any, memo_clock: _Clock, django_assert_num_queries: Any
) -> None:
    assert _cache_state(client.get("/public/agencies/")) == "miss"
    with django_assert_num_queries(0):
        assert _cache_state(client.get("/public/agencies/")) == "hit"


def test_without_the_memo_each_cached_page_reads_the_version_row(
    client: Client, world: Any, memo_clock: _Clock, settings: Any, django_assert_num_queries: Any
) -> None:
    settings.PAGE_VERSION_MEMO_MS = 0
    client.get("/public/agencies/")
    with django_assert_num_queries(1):
        assert _cache_state(client.get("/public/agencies/")) == "hit"


def test_a_publication_shows_at_once_in_the_publishing_process_with_the_memo_on(
    client: Client, world: Any, simple_decision: Any, memo_clock: _Clock
) -> None:
    client.get("/public/decisions/")
    assert _cache_state(client.get("/public/decisions/")) == "hit"
    publish(world, simple_decision)
    after = client.get("/public/decisions/")
    assert _cache_state(after) == "miss" and TITLE in after.content.decode()


def test_another_servers_publication_shows_here_within_the_memo_bound(
    client: Client, world: Any, memo_clock: _Clock
) -> None:
    client.get("/public/agencies/")
    # a publication committed by another process adds one to the row; this process has not read it yet
    PublicPageVersion.objects.filter(pk=1).update(number=F("number") + 1)
    memo_clock.now += 0.5
    assert _cache_state(client.get("/public/agencies/")) == "hit"  # within the bound: the page read before
    memo_clock.now += 0.6
    assert _cache_state(client.get("/public/agencies/")) == "miss"  # past it: the new number, rendered afresh
