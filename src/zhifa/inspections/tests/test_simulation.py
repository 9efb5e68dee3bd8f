"""``zhifa simulate-inspections``: a small county's year, with and without zhifa's matching."""

from __future__ import annotations

import io
import json
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.db import connection

KEYS = {
    "planned_checks_independent",
    "planned_checks_zhifa",
    "visits_independent",
    "visits_zhifa",
    "reduction",
    "planned_checks_uninspected",
    "max_visits_per_enterprise_independent",
    "max_visits_per_enterprise_zhifa",
    "seconds",
}


@pytest.fixture
def schema(db: Any, tmp_path: Path) -> Path:
    """The migrated test database, copied (nothing is written to it before): the simulation's throwaway
    database starts from it instead of migrating one."""
    if connection.vendor != "sqlite":
        pytest.skip("the simulation always runs on its own SQLite file; the SQLite run covers it")
    path = tmp_path / "schema.sqlite3"
    connection.ensure_connection()
    # iterdump reads through the test's own connection (a backup would wait forever on the test's lock).
    dump = "\n".join(connection.connection.iterdump())
    target = sqlite3.connect(path)
    target.executescript(dump)
    target.close()
    return path


def simulate(schema: Path, seed: int) -> tuple[dict[str, Any], str]:
    out = io.StringIO()
    call_command(
        "simulate_inspections",
        enterprises=200,
        agencies=6,
        seed=seed,
        schema_from=str(schema),
        stdout=out,
    )
    text = out.getvalue()
    return json.loads(text.strip().splitlines()[-1]), text


def test_small_county_cuts_visits_by_a_third_and_leaves_no_planned_check_out(schema: Path) -> None:
    first, _ = simulate(schema, 7)
    assert first.keys() >= KEYS
    assert first["planned_checks_independent"] == first["planned_checks_zhifa"] > 0
    assert first["planned_checks_uninspected"] == 0
    assert first["reduction"] >= 0.30
    assert first["reduction"] == pytest.approx(
        1 - first["visits_zhifa"] / first["visits_independent"], abs=1e-4
    )
    assert first["max_visits_per_enterprise_zhifa"] <= first["max_visits_per_enterprise_independent"]
    again, _ = simulate(schema, 7)
    timing = ("seconds", "cpu_seconds")
    same = {k: v for k, v in first.items() if not k.startswith(timing)}
    assert same == {k: v for k, v in again.items() if not k.startswith(timing)}  # deterministic for a seed
