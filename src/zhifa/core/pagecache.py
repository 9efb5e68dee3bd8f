"""Public page cache (公开页面缓存): anonymous public pages are rendered once per publication, not per request.

``@public_page`` on a public view serves an anonymous GET from ``CACHES["pages"]`` (``ZHIFA_PAGE_CACHE``: per
process, a file directory, or the shared database table) under a key made of

- the page version: one database row (``core.PublicPageVersion``), so an invalidation made on one app server
  reaches every other server, whichever backend holds the bodies. Each process keeps the number it read for at
  most ``PAGE_VERSION_MEMO_MS`` (``ZHIFA_PAGE_VERSION_MEMO_MS``, default 1,000; 0 reads the row on every
  request): a cached page then costs no database query and no connection, and another server's publication
  shows here within that bound. The process that bumps forgets its memo at once and again when the
  transaction commits, so its own next page shows the publication; inside a transaction the row is always
  read (and never remembered), so an uncommitted number never outlives a rollback in the memo;
- the business date (pages that count periods, e.g. a publication's end of display, change at midnight);
- host, scheme, language, path and the exact query string (a search is cached per query; a long query string
  is not cached), the htmx headers, and the reader's display cookies (大字模式, 高对比度).

What is never cached or served from the cache:
- anything for a signed-in user or a token client, or a visitor who carries a session or messages cookie
  (their page may hold their name, messages or a logout form): the cache only ever holds anonymous pages and
  only ever answers visitors without a session;
- a page whose rendering used the CSRF token (the token is the visitor's own), set a cookie, queued a message
  or wrote to the session; any status but 200; streamed answers.

The CSP nonce of a cached page is a placeholder in the stored body, replaced by the serving request's own nonce
(django-csp then sends that nonce in the header), so every answer carries a fresh nonce.

``bump()`` adds one to the version, in the caller's transaction; ``invalidate_on(Model, ...)`` bumps after every
save or delete of those models (each app registers the models its public pages show, in ``AppConfig.ready``),
and disclosure's publication events bump through a listener (``zhifa.disclosure.apps``).
"""

from __future__ import annotations

import hashlib
import threading
import time
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.contrib.messages import get_messages
from django.core.cache import caches
from django.db import connection, transaction
from django.db.models import F, Model
from django.db.models.signals import post_delete, post_save
from django.http import HttpRequest, HttpResponse

from zhifa.core import clock
from zhifa.core.models import PublicPageVersion

NONCE_PLACEHOLDER = "__zhifa_csp_nonce__"
MAX_QUERY = 256  # longer query strings are answered but not cached
_HEADER_KEYS = ("HTTP_HX_REQUEST", "HTTP_HX_TARGET", "HTTP_HX_HISTORY_RESTORE_REQUEST", "HTTP_HX_BOOSTED")
_READER_COOKIES = ("portal_large", "portal_contrast")
_KEPT_HEADERS = ("Content-Type", "Content-Disposition", "Content-Language", "Vary")


# (monotonic seconds when read, number): the page version this process read last; see the module's documentation
_memo: tuple[float, int] | None = None
_memo_lock = threading.Lock()
_monotonic: Callable[[], float] = time.monotonic  # tests replace it to move time on


def _outside_transactions() -> bool:
    """No transaction of our own is open on the default connection (the test case's wrapping ones aside)."""
    return not connection.in_atomic_block or all(
        getattr(block, "_from_testcase", False) for block in connection.atomic_blocks
    )


def version() -> int:
    """The current page version (0 before the first bump or when the row is missing), remembered in this process
    for at most ``PAGE_VERSION_MEMO_MS``."""
    global _memo
    memo_s = getattr(settings, "PAGE_VERSION_MEMO_MS", 0) / 1000
    remember = memo_s > 0 and _outside_transactions()
    if remember:
        held = _memo
        if held is not None and 0 <= _monotonic() - held[0] < memo_s:
            return held[1]
    read_at = _monotonic()
    number = PublicPageVersion.objects.filter(pk=1).values_list("number", flat=True).first() or 0
    if remember:
        with _memo_lock:
            _memo = (read_at, number)
    return number


def forget_version() -> None:
    """Drop this process's remembered page version: the next request reads the row."""
    global _memo
    with _memo_lock:
        _memo = None


def bump(*_args: Any, **_kwargs: Any) -> None:
    """Invalidate every cached public page on every server (in the caller's transaction)."""
    if not PublicPageVersion.objects.filter(pk=1).update(number=F("number") + 1):
        PublicPageVersion.objects.update_or_create(pk=1, defaults={"number": 1})
    # this process shows its own publication at once: now, and once the new number is committed (a request
    # served by another thread in between may have remembered the old one)
    forget_version()
    transaction.on_commit(forget_version)


def _bump_on_signal(sender: Any, **kwargs: Any) -> None:
    if kwargs.get("raw"):
        return  # loading fixtures
    bump()


def invalidate_on(*models: type[Model]) -> None:
    """Bump the version after each save or delete of these models (what the public pages show)."""
    for model in models:
        uid = f"zhifa.pagecache:{model._meta.label}"
        post_save.connect(_bump_on_signal, sender=model, dispatch_uid=uid + ":save", weak=False)
        post_delete.connect(_bump_on_signal, sender=model, dispatch_uid=uid + ":delete", weak=False)


def _cacheable_request(request: HttpRequest) -> bool:
    if request.method not in ("GET", "HEAD") or getattr(settings, "PAGE_CACHE_SECONDS", 0) <= 0:
        return False
    if getattr(settings, "PAGE_CACHE", "memory") == "off" or request.META.get("CSRF_COOKIE_NEEDS_UPDATE"):
        return False  # off; or something before the view already put this visitor's CSRF token in play
    if "HTTP_AUTHORIZATION" in request.META or len(request.META.get("QUERY_STRING", "")) > MAX_QUERY:
        return False
    cookies = request.COOKIES
    if (
        settings.SESSION_COOKIE_NAME in cookies
        or getattr(settings, "MESSAGES_COOKIE_NAME", "messages") in cookies
    ):
        return False
    user = getattr(request, "user", None)
    return not (user is not None and user.is_authenticated)


def _key(request: HttpRequest, number: int) -> str:
    parts = [
        str(number),
        clock.today().isoformat(),
        request.scheme or "",
        request.get_host(),
        getattr(request, "LANGUAGE_CODE", "") or "",
        request.path,
        request.META.get("QUERY_STRING", ""),
        *(request.META.get(h, "") for h in _HEADER_KEYS),
        *(request.COOKIES.get(c, "") for c in _READER_COOKIES),
    ]
    digest = hashlib.sha256("\x1f".join(parts).encode()).hexdigest()
    return f"zhifa:page:{digest}"


def _storable(request: HttpRequest, response: HttpResponse) -> bool:
    if response.status_code != 200 or getattr(response, "streaming", False) or response.cookies:
        return False
    if request.META.get("CSRF_COOKIE_NEEDS_UPDATE"):
        return False  # the page holds this visitor's CSRF token
    session = getattr(request, "session", None)
    if session is not None and session.modified:
        return False  # the view wrote to the visitor's session: a page of their own
    queued = getattr(get_messages(request), "_queued_messages", None)
    return not queued


def public_page(view: Callable[..., Any]) -> Callable[..., Any]:
    """Serve the view's anonymous GET answers from the page cache (see the module's documentation)."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        if not _cacheable_request(request):
            return view(request, *args, **kwargs)
        cache = caches["pages"]
        key = _key(request, version())
        hit = cache.get(key)
        if hit is not None:
            status, body, headers = hit
            if NONCE_PLACEHOLDER.encode() in body:
                body = body.replace(NONCE_PLACEHOLDER.encode(), str(request.csp_nonce).encode())  # type: ignore[attr-defined]
            response = HttpResponse(body, status=status)
            for name, value in headers:
                response[name] = value
            response["X-Zhifa-Page-Cache"] = "hit"
            return response
        response = view(request, *args, **kwargs)
        if hasattr(response, "render") and callable(response.render) and not response.is_rendered:
            response.render()
        if _storable(request, response):
            body = response.content
            nonce = getattr(request, "_csp_nonce", None)
            if isinstance(nonce, str) and nonce:
                body = body.replace(nonce.encode(), NONCE_PLACEHOLDER.encode())
            headers = [(h, response[h]) for h in _KEPT_HEADERS if h in response]
            cache.set(key, (response.status_code, body, headers))
            response["X-Zhifa-Page-Cache"] = "miss"
        return response

    return wrapper
