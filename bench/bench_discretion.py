"""Benchmark of issue 6 item 2 (discretion): recommendation latency with 5,000 catalog item codes and 20,000 tiers.

    .venv/bin/python bench/bench_discretion.py                                 # SQLite under /tmp
    .venv/bin/python bench/bench_discretion.py --no-sqlite \\
        --postgres postgres://postgres@127.0.0.1:5432/postgres                # database zhifa_bench_discretion

Each database leg runs in a child process on a fresh database (created on the PostgreSQL server and dropped
afterwards): migrate; one agency with ``--codes`` catalog item codes, each with a benchmark: 80 % one version
of four tiers, 20 % two versions of two tiers (so 5,000 codes give 6,000 versions and 20,000 tiers), bulk-loaded
(no ledger entries; the service path is timed separately); ``--cases`` cases over random codes with their
discretion facts; then p50/p95 of

- ``recommend(case)`` — the facts, the applicable versions and their tiers from the database, version choice
  (从旧兼从轻), tier, circumstances, explanation: what the case page, the API and the notify/decide checks run;
- ``check_deviation`` as the "decide" hook runs it (recommend plus the deviation test);
- ``recommend_for`` alone on in-memory specs (the pure rules, no database);
- ``benchmark_create`` through the service (validation, version closing, tiers, ledger entry).
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import time
from decimal import Decimal
from pathlib import Path
from urllib.parse import urlparse, urlunparse

PG_DATABASE = "zhifa_bench_discretion"
DEFAULT_SQLITE_DIR = "/tmp/zhifa_bench_discretion"


def _percentiles(samples: list[float]) -> dict[str, float]:
    samples = sorted(samples)
    p95 = samples[max(0, round(0.95 * len(samples)) - 1)]
    return {"p50_ms": round(statistics.median(samples) * 1000, 3), "p95_ms": round(p95 * 1000, 3)}


def _time(fn: object, runs: int) -> dict[str, float]:
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        fn()  # type: ignore[operator]
        samples.append(time.perf_counter() - started)
    return _percentiles(samples)


def _child(codes: int, cases: int, runs: int, seed: int) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zhifa.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from zhifa.cases.models import Case
    from zhifa.core.validators import uscc_with_check
    from zhifa.discretion import checks, logic, services
    from zhifa.discretion.models import Benchmark, CaseFacts, Tier
    from zhifa.org.domains import ensure_domains
    from zhifa.org.models import Agency, Domain, Region, RegionLevel, Role, RoleAssignment, ScopeKind, User

    rng = random.Random(seed)
    log = lambda m: print(m, file=sys.stderr, flush=True)  # noqa: E731
    t0 = time.perf_counter()
    call_command("migrate", verbosity=0, interactive=False)
    log(f"migrated in {time.perf_counter() - t0:.0f} s")

    ensure_domains()
    province = Region.objects.create(code="890000", name="基准省", level=RegionLevel.PROVINCE)
    county = Region.objects.create(code="890102", name="基准县", level=RegionLevel.COUNTY, parent=province)
    agency = Agency.objects.create(
        name="基准县市场监督管理局", uscc=uscc_with_check("11890102MA0000001"), region=county
    )
    market = Domain.objects.get(code="market")
    head = User.objects.create(username="bench_head", full_name="基准负责人")
    RoleAssignment.objects.create(user=head, role=Role.AGENCY_HEAD, scope=ScopeKind.OWN_AGENCY, agency=agency)
    head = User.objects.get(pk=head.pk)

    t0 = time.perf_counter()
    d = Decimal
    code_list = [f"BENCH-{i:05d}" for i in range(codes)]
    two_versions = set(rng.sample(code_list, codes // 5))
    heads, tier_rows = [], []
    for code in code_list:
        if code in two_versions:
            heads.append((code, 1, dt.date(2023, 1, 1), dt.date(2024, 12, 31), 2))
            heads.append((code, 2, dt.date(2025, 1, 1), None, 2))
        else:
            heads.append((code, 1, dt.date(2023, 1, 1), None, 4))
    objs = [
        Benchmark(
            agency=agency,
            agency_path=agency.path,
            region_path=county.path,
            catalog_item_code=code,
            title=f"违法行为 {code}",
            version=version,
            effective_from=start,
            effective_to=end,
            law_name="中华人民共和国基准法",
            article="第十条",
            basis_text="……处罚款。",
        )
        for code, version, start, end, _n in heads
    ]
    Benchmark.objects.bulk_create(objs, batch_size=2000)
    ids = dict(
        ((c, v), pk) for c, v, pk in Benchmark.objects.values_list("catalog_item_code", "version", "pk")
    )
    for code, version, _start, _end, n in heads:
        bounds = [None, d(1000), d(10000), d(50000), None][: n + 1] if n == 4 else [None, d(10000), None]
        scale = d(1) if version == 1 else d("0.8")  # version 2 is lighter: 从旧兼从轻 picks it
        for i in range(n):
            tier_rows.append(
                Tier(
                    benchmark_id=ids[(code, version)],
                    order=i + 1,
                    name=["轻微", "一般", "较重", "严重"][i],
                    gains_min_yuan=bounds[i],
                    gains_max_yuan=bounds[i + 1],
                    fine_min_yuan=d(1000) * (i + 1) * scale,
                    fine_max_yuan=d(5000) * (i + 1) * scale,
                )
            )
    Tier.objects.bulk_create(tier_rows, batch_size=5000)
    log(f"loaded {len(objs)} versions, {len(tier_rows)} tiers in {time.perf_counter() - t0:.0f} s")

    case_objs = [
        Case(
            agency=agency,
            domain=market,
            catalog_item_code=rng.choice(code_list),
            title="基准案件",
            source_kind="inspection",
            source_received_on=dt.date(2025, 3, 1),
            stage="investigation",
            act_date=dt.date(2024, 6, 1) + dt.timedelta(days=rng.randrange(300)),
        )
        for _ in range(cases)
    ]
    Case.objects.bulk_create(case_objs, batch_size=2000)
    case_ids = list(Case.objects.values_list("pk", flat=True))
    CaseFacts.objects.bulk_create(
        [
            CaseFacts(
                case_id=pk,
                illegal_gains_yuan=d(rng.randrange(0, 100_000)),
                circumstances=rng.choice([[], ["cooperative"], ["obstructed"]]),
                updated_by=head,
            )
            for pk in case_ids
        ],
        batch_size=2000,
    )
    if connection.vendor == "postgresql":
        with connection.cursor() as cur:
            cur.execute("ANALYZE")
    loaded = list(Case.objects.select_related("agency__region").filter(pk__in=case_ids))

    def one_recommend() -> None:
        rec = services.recommend(rng.choice(loaded), decision_date=dt.date(2025, 6, 1))
        assert rec.found

    def guarded_check() -> None:
        from zhifa.core.errors import RuleViolation

        case = rng.choice(loaded)
        with contextlib.suppress(RuleViolation):
            checks.check_deviation(
                case,
                code="decide",
                actor=head,
                on=dt.date(2025, 6, 1),
                changes={"fine_yuan": Decimal(3000), "penalty_kinds": ["fine"]},
            )

    specs = [
        services.spec_of(b)
        for b in Benchmark.objects.filter(catalog_item_code=code_list[0]).prefetch_related("tiers")
    ]
    facts = logic.Facts(illegal_gains_yuan=d(3200), circumstances=("cooperative",))

    def pure() -> None:
        logic.recommend_for(specs, facts, act_date=dt.date(2024, 6, 1), decision_date=dt.date(2025, 6, 1))

    created = iter(range(10_000))

    def create() -> None:
        services.benchmark_create(
            actor=head,
            agency=agency,
            catalog_item_code=f"NEW-{next(created)}",
            title="新事项",
            law_name="中华人民共和国基准法",
            article="第十一条",
            basis_text="……处罚款。",
            effective_from=dt.date(2025, 1, 1),
            tiers=[
                logic.TierSpec(
                    "一般", 1, gains_max_yuan=d(10000), fine_min_yuan=d(1000), fine_max_yuan=d(5000)
                ),
                logic.TierSpec(
                    "严重", 2, gains_min_yuan=d(10000), fine_min_yuan=d(5000), fine_max_yuan=d(20000)
                ),
            ],
        )

    result = {
        "database": connection.vendor,
        "codes": codes,
        "versions": len(objs),
        "tiers": len(tier_rows),
        "cases": cases,
        "runs": runs,
        "recommend": _time(one_recommend, runs),
        "check_deviation_decide": _time(guarded_check, runs),
        "recommend_for_pure": _time(pure, runs * 10),
        "benchmark_create_service": _time(create, max(20, runs // 10)),
    }
    print(json.dumps(result, ensure_ascii=False))


def _run_child(env: dict[str, str], args: argparse.Namespace) -> dict[str, object]:
    command = [
        sys.executable,
        __file__,
        "--child",
        "--codes",
        str(args.codes),
        "--cases",
        str(args.cases),
        "--runs",
        str(args.runs),
        "--seed",
        str(args.seed),
    ]
    result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    sys.stderr.write(result.stderr[-4000:])
    if result.returncode != 0:
        raise SystemExit(f"child failed ({result.returncode})")
    return json.loads(result.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--codes", type=int, default=5000, help="catalog item codes (tiers = 4 × codes)")
    parser.add_argument("--cases", type=int, default=2000)
    parser.add_argument("--runs", type=int, default=500, help="timed runs per measure")
    parser.add_argument("--seed", type=int, default=6)
    parser.add_argument(
        "--postgres", help="server URL; a database zhifa_bench_discretion is created and dropped"
    )
    parser.add_argument("--no-sqlite", action="store_true")
    args = parser.parse_args()
    if args.child:
        _child(args.codes, args.cases, args.runs, args.seed)
        return

    src = str(Path(__file__).resolve().parent.parent / "src")
    base_env = {**os.environ, "DJANGO_SETTINGS_MODULE": "zhifa.settings", "PYTHONPATH": src}
    results = []
    if not args.no_sqlite:
        shutil.rmtree(DEFAULT_SQLITE_DIR, ignore_errors=True)
        Path(DEFAULT_SQLITE_DIR).mkdir(parents=True)
        env = {**base_env, "ZHIFA_DATA_DIR": DEFAULT_SQLITE_DIR}
        env.pop("ZHIFA_DATABASE_URL", None)
        results.append(_run_child(env, args))
        shutil.rmtree(DEFAULT_SQLITE_DIR, ignore_errors=True)
    if args.postgres:
        import psycopg

        server = urlparse(args.postgres)
        admin_url = urlunparse(server._replace(path="/postgres"))
        with psycopg.connect(admin_url, autocommit=True) as admin:
            admin.execute(f"DROP DATABASE IF EXISTS {PG_DATABASE}")
            admin.execute(f"CREATE DATABASE {PG_DATABASE}")
        try:
            env = {
                **base_env,
                "ZHIFA_DATABASE_URL": urlunparse(server._replace(path=f"/{PG_DATABASE}")),
                "ZHIFA_DATA_DIR": DEFAULT_SQLITE_DIR + "_pg",
            }
            results.append(_run_child(env, args))
        finally:
            with psycopg.connect(admin_url, autocommit=True) as admin:
                admin.execute(f"DROP DATABASE IF EXISTS {PG_DATABASE} WITH (FORCE)")
            shutil.rmtree(DEFAULT_SQLITE_DIR + "_pg", ignore_errors=True)
    print(json.dumps(results, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
