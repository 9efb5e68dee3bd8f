"""Bounded parameter types for the JSON API: nothing reaches the database unchecked (issue 18 §4).

An id beyond what the databases hold (a signed 64-bit integer) is bad input, answered 422 like any other,
never a server error (``OverflowError``). Every integer path or query parameter of the API uses one of these;
``zhifa/core/tests/test_api_bounds.py`` checks the OpenAPI document for any that does not.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import Field

MAX_ID = 2**63 - 1  # the largest primary key SQLite and PostgreSQL (bigint) hold

Id = Annotated[int, Field(ge=1, le=MAX_ID)]
"""A row's id (path or query): 1 … 2⁶³−1."""

BigInt = Annotated[int, Field(ge=-MAX_ID, le=MAX_ID)]
"""Any other integer parameter (a page size the endpoint clamps itself): within a signed 64-bit integer."""

ShortText = Annotated[str, Field(max_length=100)]
"""A code, kind, state or name given as a parameter."""

Reason = Annotated[str, Field(max_length=500)]
"""A free-text reason given as a query parameter."""
