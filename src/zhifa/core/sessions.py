"""Sessions (会话) with the idle timeout, written at most once a minute (``SESSION_ENGINE``).

The idle timeout (``ZHIFA_SESSION_IDLE_MINUTES``, 30 by default: ``SESSION_COOKIE_AGE``) ends a session that made
no request for that long. Django renews a session's expiry only when it saves it; ``SESSION_SAVE_EVERY_REQUEST``
did so on every request, which made every officer page a database write (on SQLite, a request for the one write
lock). This store, Django's database store extended as its documentation shows ("Extending database-backed
session engines"), marks a loaded session modified only when its last write is at least ``RENEW_AFTER`` old
(``settings.SESSION_RENEW_AFTER_SECONDS``, 60; the test suite sets 0: a write on every request), so
Django's ``SessionMiddleware`` saves it (renewing its expiry and the cookie's) at most once a minute. A session
therefore ends between ``SESSION_COOKIE_AGE − RENEW_AFTER`` and ``SESSION_COOKIE_AGE`` after its last request,
never later. A session with its own expiry (``set_expiry``) is renewed on every request, as before.

Expiry is a duration on Django's wall clock (the ``expire_date`` Django writes and compares), not the business
clock of ``zhifa.core.clock``: a set clock would not move it.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.contrib.sessions.backends import db
from django.utils import timezone

RENEW_AFTER = timedelta(seconds=60)  # the default of settings.SESSION_RENEW_AFTER_SECONDS


def renew_after() -> timedelta:
    """How old a session's last write must be before a request writes it again (0: on every request)."""
    return timedelta(seconds=getattr(settings, "SESSION_RENEW_AFTER_SECONDS", RENEW_AFTER.total_seconds()))


class SessionStore(db.SessionStore):
    def _due_for_renewal(self, session: Any, data: dict[str, Any]) -> bool:
        if "_session_expiry" in data:
            return True
        # The last write set expire_date to (then + age): it is RENEW_AFTER old once fewer than (age − RENEW_AFTER)
        # remain.
        remaining = session.expire_date - timezone.now()  # noqa: TID251 -- Django's own session clock
        return remaining <= timedelta(seconds=self.get_session_cookie_age()) - renew_after()

    def load(self) -> dict[str, Any]:
        session = self._get_session_from_db()  # type: ignore[attr-defined]  # Django's, not in the stubs
        if not session:
            return {}
        data: dict[str, Any] = self.decode(session.session_data)
        if self._due_for_renewal(session, data):
            self.modified = True
        return data

    async def aload(self) -> dict[str, Any]:
        session = await self._aget_session_from_db()  # type: ignore[attr-defined]
        if not session:
            return {}
        data: dict[str, Any] = self.decode(session.session_data)
        if self._due_for_renewal(session, data):
            self.modified = True
        return data
