"""``zhifa simulate-inspections --enterprises N --agencies M --seed S`` — the measured cut in visits.

Never touches the configured database: the year runs in a child process whose ``ZHIFA_DATA_DIR`` is a new
temporary directory (its SQLite file, its ledger key), removed afterwards. The child's database is a copy of
a migrated empty SQLite file: ``--schema-from`` names one, else one is migrated once and kept in the system's
temporary directory under a name derived from the migration files (so a later run skips the migration).

The last line of output is one JSON object (see ``zhifa.inspections.simulation``).
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import django
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

import zhifa
from zhifa.inspections import simulation

DB_NAME = "zhifa.sqlite3"


def _schema_key() -> str:
    digest = hashlib.sha256(django.get_version().encode())
    for path in sorted(Path(zhifa.__file__).parent.glob("*/migrations/*.py")):
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def _child_env(data_dir: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("ZHIFA_")}
    env.update(
        ZHIFA_DATA_DIR=str(data_dir),
        ZHIFA_SIMULATION_DIR=str(data_dir),
        DJANGO_SETTINGS_MODULE="zhifa.settings",
        PYTHONPATH=os.pathsep.join([str(Path(zhifa.__file__).parent.parent), env.get("PYTHONPATH", "")]),
    )
    return env


def _zhifa(args: list[str], data_dir: Path, **kwargs: Any) -> subprocess.CompletedProcess[str]:
    return subprocess.run(  # noqa: S603 -- this interpreter running zhifa with fixed arguments
        [sys.executable, "-c", "from zhifa.cli import main; main()", *args],
        env=_child_env(data_dir),
        text=True,
        check=False,
        **kwargs,
    )


def _schema(explicit: str | None, log: Any) -> Path:
    if explicit:
        path = Path(explicit)
        if not path.is_file():
            raise CommandError(f"--schema-from: no such file {path}")
        return path
    cached = Path(tempfile.gettempdir()) / f"zhifa-simulate-schema-{_schema_key()}.sqlite3"
    if cached.is_file():
        return cached
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="zhifa-sim-schema-") as tmp:
        done = _zhifa(["migrate", "--no-input", "-v", "0"], Path(tmp), capture_output=True)
        if done.returncode != 0:
            raise CommandError(f"migrating the simulation's schema failed:\n{done.stderr[-2000:]}")
        part = cached.with_suffix(".part")
        shutil.copyfile(Path(tmp) / DB_NAME, part)
        part.replace(cached)
    log(f"schema migrated in {time.perf_counter() - started:.0f} s, kept as {cached}")
    return cached


class Command(BaseCommand):
    help = (
        "Simulate a county's year of enterprise inspections in a throwaway database, with and without "
        "zhifa's matching; prints the figures, the last line one JSON object."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--enterprises", type=int, default=2000, help="number of enterprises (N)")
        parser.add_argument("--agencies", type=int, default=6, help="number of agencies (M)")
        parser.add_argument("--seed", type=int, default=1, help="seed of the synthetic county and its draws")
        parser.add_argument(
            "--schema-from",
            default=None,
            help="a migrated, empty SQLite database to copy instead of migrating one (tests use it)",
        )
        parser.add_argument("--in-child", action="store_true", help="internal: run here (the child process)")

    def handle(self, *args: Any, **options: Any) -> None:
        n, m = options["enterprises"], options["agencies"]
        if not 1 <= n <= 1_000_000 or not 1 <= m <= len(simulation.AGENCY_NAMES):
            raise CommandError(f"--enterprises 1–1000000, --agencies 1–{len(simulation.AGENCY_NAMES)}")
        if options["in_child"]:
            self._run_here(n, m, options["seed"])
            return
        started = time.perf_counter()
        schema = _schema(options["schema_from"], lambda s: self.stderr.write(s))
        with tempfile.TemporaryDirectory(prefix="zhifa-sim-") as tmp:
            shutil.copyfile(schema, Path(tmp) / DB_NAME)
            done = _zhifa(
                [
                    "simulate_inspections",
                    "--in-child",
                    f"--enterprises={n}",
                    f"--agencies={m}",
                    f"--seed={options['seed']}",
                ],
                Path(tmp),
                capture_output=True,
            )
        if done.returncode != 0:
            raise CommandError(f"the simulation failed:\n{done.stderr[-4000:]}")
        lines = done.stdout.strip().splitlines()
        figures = json.loads(lines[-1])
        figures["seconds_total"] = round(time.perf_counter() - started, 2)
        for line in lines[:-1]:
            self.stdout.write(line)
        self.stdout.write(
            f"模拟县 {n} 户企业、{m} 个部门：独立检查 {figures['visits_independent']} 次，"
            f"zhifa {figures['visits_zhifa']} 次，减少 {figures['reduction']:.1%}"
        )
        self.stdout.write(json.dumps(figures, ensure_ascii=False, sort_keys=True))

    def _run_here(self, n: int, m: int, seed: int) -> None:
        # The guard that keeps the simulation off every real database: the child's SQLite file must lie in
        # the temporary directory its parent made for it.
        own = os.environ.get("ZHIFA_SIMULATION_DIR", "")
        db = settings.DATABASES["default"]
        if (
            not own
            or db["ENGINE"] != "django.db.backends.sqlite3"
            or Path(str(db["NAME"])).resolve().parent != Path(own).resolve()
        ):
            raise CommandError("--in-child runs only in the throwaway database its parent prepared")
        figures = simulation.run(n, m, seed)
        self.stdout.write(json.dumps(figures, ensure_ascii=False, sort_keys=True))
