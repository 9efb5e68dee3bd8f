"""Gapless numbers: one sequence per counter key, no number taken twice, none skipped when a service refuses."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, connections, transaction

from zhifa.cases.models import CaseNumberCounter
from zhifa.core.numbering import next_number
from zhifa.org.tests.factories import AgencyFactory


def test_numbers_run_from_one_per_key_and_the_keys_do_not_share_a_sequence(db) -> None:
    a, b = AgencyFactory(), AgencyFactory()
    with transaction.atomic():
        taken = [next_number(CaseNumberCounter, agency=a, year=2026) for _ in range(3)]
        taken += [next_number(CaseNumberCounter, agency=b, year=2026)]
        taken += [next_number(CaseNumberCounter, agency=a, year=2027)]
    assert taken == [1, 2, 3, 1, 1]
    assert CaseNumberCounter.objects.get(agency=a, year=2026).last == 3


def test_a_number_taken_by_a_refused_transaction_is_given_again(db) -> None:
    agency = AgencyFactory()
    with transaction.atomic():
        assert next_number(CaseNumberCounter, agency=agency, year=2026) == 1
    with pytest.raises(ValueError), transaction.atomic():  # noqa: PT012 - the refusal comes after the number
        assert next_number(CaseNumberCounter, agency=agency, year=2026) == 2
        raise ValueError("the service refused after taking the number")
    with transaction.atomic():
        assert next_number(CaseNumberCounter, agency=agency, year=2026) == 2


@pytest.mark.django_db(transaction=True)
def test_a_number_outside_a_transaction_is_refused() -> None:
    with pytest.raises(RuntimeError, match="inside the transaction"):
        next_number(CaseNumberCounter, agency=AgencyFactory(), year=2026)
    assert not CaseNumberCounter.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_simultaneous_transactions_get_distinct_numbers_with_no_gap() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("row locks need PostgreSQL; SQLite runs one writer at a time")
    agency = AgencyFactory()
    workers, each = 4, 5
    barrier = threading.Barrier(workers)
    got: list[int] = []
    errors: list[BaseException] = []

    def run() -> None:
        try:
            barrier.wait()  # all race to create the counter row first
            for _ in range(each):
                with transaction.atomic():
                    got.append(next_number(CaseNumberCounter, agency=agency, year=2026))
        except BaseException as exc:  # reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run) for _ in range(workers)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert not errors
    assert sorted(got) == list(range(1, workers * each + 1))
