"""Rate limits of everything an anonymous client can reach, per client IP, with one configuration.

- every request of a client that is neither logged in nor carrying a valid API token: pages under
  ``PORTAL_RATE`` (``ZHIFA_PORTAL_RATE``, the public portal, the public disclosure pages, the complaint form,
  the login page, document verification), the API under ``PORTAL_API_RATE`` (``ZHIFA_PORTAL_API_RATE``:
  ``/api/portal/``, ``/api/search/``, ``/api/disclosure/public/*``, ``/api/complaints/track/``, any 401);
- login attempts (a POST to the login page, the admin site's or the enterprise sign-up page) under ``LOGIN_IP_RATE``
  (``ZHIFA_LOGIN_IP_RATE``) per IP, on top of django-axes' lockout per account;
- over a rate the answer is 429 with ``Retry-After`` (the seconds left in the window): a Chinese page, or
  JSON ``{code, message, message_en}`` under ``/api/``.

The counts live in the cache named by ``RATELIMIT_USE_CACHE`` (settings: the ``shared`` database cache, one
table for every app server, created by this app's migration ``0002``; or files, ``ZHIFA_RATELIMIT_CACHE=file``).

Anonymous requests (the bulk: every public page) are counted **in each process first** (``LocalCounter``) and
added to the shared count in batches, so that a cached public page costs no database write nor query:

- a process adds what it counted for a client to the shared count when that count reaches a tenth of the limit,
  and adds everything it holds at least every ``RATELIMIT_FLUSH_MS`` (``ZHIFA_RATELIMIT_FLUSH_MS``, 1,000 ms);
  each time it learns the shared total back (the cache's ``incr`` answers it);
- a request is over the limit when the shared total last seen plus the process's own uncounted requests is;
- so one process alone counts exactly, and P processes (gunicorn workers on every server) together let a client
  through at most about P × a tenth of the limit more than the limit in one window (each process holds fewer
  than a tenth uncounted, and learns the others' counts at its next addition). ``ZHIFA_RATELIMIT_FLUSH_MS=0``
  adds every request at once (exact, and a database write per anonymous request again).

The windows are django-ratelimit's: fixed, of the rate's period, their ends spread per client (a CRC of the
address), and ``Retry-After`` is the seconds left in the window. Login attempts keep django-ratelimit itself
(``get_usage``: one ``add``/``incr`` of the shared cache per attempt, exact across servers): they are few, each
one writes the database anyway (django-axes), and a brute-force limit should not be lenient.

Why not a library for the anonymous count: django-ratelimit (used here before, and still for login attempts)
counts with one ``add``/``incr`` of a Django cache per request and has no local batching; the ``limits`` package
and django-ratelimit's peers keep counts in memory (one process) or in Redis/Memcached, which zhifa does not
run (its shared store is the database, docs/deployment.md). What is missing is only the batching in front of
the shared cache, some sixty lines here. Where a deployment has a reverse proxy, ``limit_req`` in nginx is the
cheaper place for a per-IP page limit still.

Behind a reverse proxy, set
``ZHIFA_TRUSTED_PROXY_HEADER`` (e.g. ``X-Forwarded-For`` or ``X-Real-IP``) to the header that proxy sets; the
last address in it is the one the proxy saw. Without it, ``REMOTE_ADDR`` is used: a client cannot forge it.
Logged-in staff and token clients are not limited here (their accounts are, by lockout and revocation).
"""

from __future__ import annotations

import hashlib
import ipaddress
import re
import threading
import time
import zlib
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import BaseCache, caches
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django_ratelimit.core import get_usage

from zhifa.org.tokens import user_for_token

MAX_QUERY_STRING = 2048  # an oversized query string is refused (400) before any view runs
MAX_PARAM = 200  # longest single query value a public page accepts
STEP_FRACTION = 10  # a process adds its own count to the shared one when it reaches a tenth of the limit
EXPIRY_MARGIN_S = 5  # the shared count outlives its window by this much (as django-ratelimit's does)
_PERIOD_S = {"s": 1, "m": 60, "h": 3600, "d": 86400}
_RATE = re.compile(r"^\s*(\d+)/(\d*)([smhd])?\s*$", re.IGNORECASE)


def client_ip(request: HttpRequest) -> str:
    """The client's address: from the trusted proxy header when one is configured, else ``REMOTE_ADDR``."""
    header = getattr(settings, "PORTAL_TRUSTED_PROXY_HEADER", "")
    remote = request.META.get("REMOTE_ADDR", "") or "0.0.0.0"  # noqa: S104 - a rate-limit key, not a bind
    if header:
        raw = request.META.get("HTTP_" + header.upper().replace("-", "_"), "")
        # the proxy appends the address it saw: the last entry is the only one we can trust
        candidate = raw.split(",")[-1].strip() if raw else ""
        try:
            return str(ipaddress.ip_address(candidate))
        except ValueError:
            return remote
    return remote


def _too_many(request: HttpRequest, api: bool, retry_after: int = 60) -> HttpResponse:
    retry = str(max(1, retry_after))
    if api:
        return JsonResponse(
            {
                "code": "rate_limited",
                "message": "请求过于频繁，请稍后再试。",
                "message_en": "Too many requests; please try again later.",
            },
            status=429,
            json_dumps_params={"ensure_ascii": False},
            headers={"Retry-After": retry},
        )
    response = render(request, "portal/429.html", {"retry_after": retry}, status=429)
    response["Retry-After"] = retry
    return response


def bad_query(request: HttpRequest, api: bool) -> HttpResponse:
    if api:
        return JsonResponse(
            {
                "code": "query_too_long",
                "message": "查询参数过长或不合法。",
                "message_en": "The query string is too long or malformed.",
            },
            status=400,
            json_dumps_params={"ensure_ascii": False},
        )
    return render(request, "portal/400.html", {"message": "查询参数过长或不合法。"}, status=400)


def parse_rate(rate: str) -> tuple[int, int]:
    """``"300/m"`` → (300, 60): django-ratelimit's notation (``N/[multiplier]{s,m,h,d}``)."""
    match = _RATE.match(rate)
    if not match:
        raise ValueError(f"not a rate: {rate!r}")
    count, multiplier, unit = match.groups()
    return int(count), _PERIOD_S[(unit or "s").lower()] * int(multiplier or 1)


def _window_end(client: str, period_s: int, now: float) -> int:
    """The end (epoch seconds) of the client's current window: fixed windows, ends spread per client."""
    ts = int(now)
    if period_s == 1:
        return ts
    end = ts - ts % period_s + zlib.crc32(client.encode()) % period_s
    return end + period_s if end < ts else end


def _client_key(ip: str) -> str:
    """A client: its IPv4 address, or its IPv6 /64 (one subscriber's network, as django-ratelimit keys it)."""
    try:
        return str(ipaddress.ip_network(f"{ip}/{64 if ':' in ip else 32}", strict=False).network_address)
    except ValueError:
        return ip


@dataclass
class _Count:
    window_end: int
    shared: int = 0  # the shared total as this process last learnt it (its own added requests included)
    pending: int = 0  # counted here, not yet added to the shared total


class LocalCounter:
    """Per-process counts of requests per (group, client, window), added to a shared cache in batches (see the
    module's documentation for the bound this keeps). Thread-safe; one per process (``COUNTER``)."""

    def __init__(
        self,
        wall: Callable[[], float] = time.time,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self._wall = wall
        self._monotonic = monotonic
        self._counts: dict[str, _Count] = {}
        self._lock = threading.Lock()
        self._last_sweep = monotonic()

    def reset(self) -> None:
        """Forget every local count (tests; the shared cache is cleared separately)."""
        with self._lock:
            self._counts.clear()
            self._last_sweep = self._monotonic()

    def hit(
        self, cache: BaseCache, group: str, client: str, limit: int, period_s: int, flush_ms: int
    ) -> tuple[int, int]:
        """Count one request of ``client``: (its count in the window as far as this process knows, the seconds
        until the window ends)."""
        now = self._wall()
        end = _window_end(client, period_s, now)
        key = (
            "zhifa:rl:"
            + hashlib.sha256(f"{group}\x1f{limit}/{period_s}\x1f{client}\x1f{end}".encode()).hexdigest()
        )
        flush_s = flush_ms / 1000
        with self._lock:
            count = self._counts.get(key)
            if count is None:
                count = self._counts[key] = _Count(end)
            count.pending += 1
            due = [key] if flush_s <= 0 or count.pending >= max(1, limit // STEP_FRACTION) else []
            if self._monotonic() - self._last_sweep >= (flush_s if flush_s > 0 else 1.0):
                self._last_sweep = self._monotonic()
                for k in [k for k, c in self._counts.items() if c.window_end < int(now)]:
                    del self._counts[k]  # windows that have ended count no more
                due = [k for k, c in self._counts.items() if c.pending]
            batch = []
            for k in due:
                held = self._counts[k]
                batch.append((k, held.pending, held.window_end))
                held.pending = 0
        for k, added, window_end in batch:  # the shared cache is written outside the lock
            total = _add_to_shared(cache, k, added, window_end - int(now) + EXPIRY_MARGIN_S)
            with self._lock:
                learnt = self._counts.get(k)
                if learnt is not None:
                    learnt.shared = max(learnt.shared, total)
        with self._lock:
            known = count.shared + count.pending
        return known, end - int(now)


def _add_to_shared(cache: BaseCache, key: str, added: int, timeout_s: int) -> int:
    """Add ``added`` to the shared count under ``key``; the shared total after it."""
    timeout_s = max(1, timeout_s)
    if cache.add(key, added, timeout_s):
        return added
    try:
        return int(cache.incr(key, added))
    except ValueError:  # expired between the two calls
        cache.set(key, added, timeout_s)
        return added


COUNTER = LocalCounter()


def _over_anonymous(request: HttpRequest, group: str, rate: str) -> int | None:
    """Count this anonymous request (``COUNTER``); the seconds until the window ends when over, else None."""
    if not rate or not getattr(settings, "RATELIMIT_ENABLE", True):
        return None
    limit, period_s = parse_rate(rate)
    count, left = COUNTER.hit(
        caches[settings.RATELIMIT_USE_CACHE],
        group,
        _client_key(client_ip(request)),
        limit,
        period_s,
        getattr(settings, "RATELIMIT_FLUSH_MS", 0),
    )
    if count <= limit:
        return None
    return left if left > 0 else period_s


def _over(request: HttpRequest, group: str, rate: str) -> int | None:
    """Count this request against ``rate`` in the shared cache at once (django-ratelimit); the seconds until the
    window ends when it is over, else None."""
    if not rate:
        return None

    usage = get_usage(request, group=group, key="ip", rate=rate, increment=True)
    if usage is None or not usage["should_limit"]:
        return None
    return int(usage["time_left"]) if usage["time_left"] > 0 else 60


def _anonymous(request: HttpRequest, api: bool) -> bool:
    """Neither a logged-in session nor (under /api/) a usable API token."""
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return False
    header = request.META.get("HTTP_AUTHORIZATION", "")
    if api and header.startswith("Token "):
        return user_for_token(header.removeprefix("Token ").strip()) is None
    return True


class PortalRateLimitMiddleware:
    """429 for an anonymous client over ``PORTAL_RATE`` (pages) or ``PORTAL_API_RATE`` (API), and for a client
    over ``LOGIN_IP_RATE`` login attempts; 400 for hostile queries on the public portal.

    Placed after ``AuthenticationMiddleware``: it must know whether the request is logged in."""

    PAGE_PREFIXES = ("/public/", "/verify/")
    API_PREFIX = "/api/portal/"
    LOGIN_PATHS = ("/accounts/login/", "/admin/login/", "/accounts/enterprise-signup/")

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        path = request.path
        api = path.startswith("/api/")
        if path.startswith(self.API_PREFIX) or path.startswith(self.PAGE_PREFIXES):
            query = request.META.get("QUERY_STRING", "")
            if len(query) > MAX_QUERY_STRING or "\x00" in query or "%00" in query:
                return bad_query(request, api)
        if request.method == "POST" and path in self.LOGIN_PATHS:
            left = _over(request, "login-ip", getattr(settings, "LOGIN_IP_RATE", ""))
            if left is not None:
                return _too_many(request, False, left)
        if _anonymous(request, api):
            rate = settings.PORTAL_API_RATE if api else settings.PORTAL_RATE
            left = _over_anonymous(request, "anonymous-api" if api else "anonymous-page", rate)
            if left is not None:
                return _too_many(request, api, left)
        return self.get_response(request)
