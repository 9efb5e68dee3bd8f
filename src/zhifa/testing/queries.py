"""Query counts: a page or a selector costs the same number of queries whatever the number of rows it shows.

    few = count_queries(lambda: client.get(url))
    ...add rows...
    assert count_queries(lambda: client.get(url)) == few == 23

The pinned figure is the page's cost today; a change that adds a query per row (an N+1) makes the second count
differ from the first, and any other new query shows against the pinned figure.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db import connection
from django.test.utils import CaptureQueriesContext


def count_queries(fn: Callable[[], Any]) -> int:
    """The number of queries ``fn()`` sends to the default database."""
    with CaptureQueriesContext(connection) as captured:
        result = fn()
    status = getattr(result, "status_code", 200)
    assert status == 200, f"HTTP {status}"
    return len(captured.captured_queries)


def queries_of(fn: Callable[[], Any]) -> list[str]:
    """The SQL ``fn()`` sends (to read when a count changes)."""
    with CaptureQueriesContext(connection) as captured:
        fn()
    return [q["sql"] for q in captured.captured_queries]
