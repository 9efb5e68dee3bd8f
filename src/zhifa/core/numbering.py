"""Gapless numbers (连续编号) — case numbers, document numbers, review opinions, supervision instruments.

Each kind of number has a counter model with a ``last`` field and a unique constraint over its key fields
(agency and year, say). :func:`next_number` takes the counter row under a lock, so two transactions never get
the same number, and the increment belongs to the caller's transaction: a refusal later in the same service
rolls the number back with everything else, so no number is skipped. A number once used stays used (a voided
document keeps its row). Call it inside a transaction (every ``@service`` is one).
"""

from __future__ import annotations

from typing import Any

from django.db import IntegrityError, models, transaction


def next_number(counter: type[models.Model], **key: Any) -> int:
    """Take the next number of the counter row ``key`` (created at 0 the first time), under a row lock."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("next_number must run inside the transaction that uses the number")
    manager: Any = counter._default_manager
    row = manager.select_for_update().filter(**key).first()
    if row is None:
        try:
            with transaction.atomic():  # a savepoint: losing the race to create the row is not an error
                manager.create(**key, last=0)
        except IntegrityError:  # another transaction created it first; wait for its lock below
            pass
        row = manager.select_for_update().get(**key)
    row.last += 1
    row.save(update_fields=["last"])
    return int(row.last)
