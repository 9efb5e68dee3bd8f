"""Benchmark of the full-process record ledger (issue 4); prints one JSON line per figure.

    .venv/bin/python bench/bench_ledger.py                      # SQLite and PostgreSQL (if reachable)
    .venv/bin/python bench/bench_ledger.py --db sqlite --proof-sizes 1000000,10000000
    .venv/bin/python bench/bench_ledger.py --postgres postgres://postgres@127.0.0.1:5432/postgres

For each database leg it builds fresh databases (a temporary SQLite file; on PostgreSQL databases named
``zhifa_ledger_bench_<random>`` that are dropped at the end) and measures:

* appends/s — ``record_append`` in its own transaction per entry, one writer, then 8 processes at once
  (each process starts at the same wall-clock instant so Django's start-up is not counted), once per
  ``--work-ms`` (the business transaction's own work after its append, before its commit); with the entries
  that were queued (sequenced after commit), the sampled lag from commit to ``seq`` and the pending rows left;
* full verification (``verify_ledger``) over a bulk-loaded log, as a ratio to raw ``hashlib`` hashing the
  same bytes (every changes text, every ``0x00 || leaf``, every ``0x01 || left || right``) in a tight loop;
* inclusion proof latency p50/p95 (``ledger_inclusion_proof`` of a random entry in the whole tree: two
  queries) at each size of ``--proof-sizes``.

Big logs are bulk-loaded, not appended: entries are computed with the same ``leaf_text`` / ``leaf_hash`` as
``record_append`` and the node rows by the same stack of complete subtrees as ``verify``, then inserted in
large transactions (``executemany`` on SQLite, ``COPY`` on PostgreSQL).  ``verify`` passes on the result,
which is the check that the loader builds the same log appends would.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from zhifa.core import clock

ROOT = Path(__file__).resolve().parent.parent
PG_DEFAULT = "postgres://postgres@127.0.0.1:5432/postgres"
CHANGES = {"stage": ["investigating", "decided"], "fine_yuan": "2000.00", "note": "执法记录" * 8}


# ---------------------------------------------------------------------------
# Orchestration (no Django in this process)
# ---------------------------------------------------------------------------


def _emit(record: dict[str, Any]) -> None:
    if "figure" in record:  # how busy the machine was: figures on a shared machine drift with it
        record.setdefault("load_avg_1min", round(os.getloadavg()[0], 2))
    print(json.dumps(record, ensure_ascii=False), flush=True)


def _run(env: dict[str, str], *args: str) -> dict[str, Any]:
    out = subprocess.run(
        [sys.executable, __file__, *args], env=env, capture_output=True, text=True, check=False
    )
    if out.returncode != 0:
        raise RuntimeError(f"{args} failed:\n{out.stderr[-3000:]}")
    return json.loads(out.stdout.strip().splitlines()[-1])


@contextmanager
def fresh_database(leg: str, pg_url: str) -> Iterator[dict[str, str]]:
    env = {k: v for k, v in os.environ.items() if k != "ZHIFA_DATABASE_URL"}
    env["DJANGO_SETTINGS_MODULE"] = "zhifa.settings"
    with tempfile.TemporaryDirectory(prefix="zhifa-ledger-bench-") as tmp:
        env["ZHIFA_DATA_DIR"] = tmp
        name = ""
        admin = None
        if leg == "postgresql":
            import psycopg

            admin = psycopg.connect(pg_url, autocommit=True)
            name = f"zhifa_ledger_bench_{uuid.uuid4().hex[:10]}"
            admin.execute(f'CREATE DATABASE "{name}"')
            env["ZHIFA_DATABASE_URL"] = pg_url.rsplit("/", 1)[0] + "/" + name
        try:
            subprocess.run(
                [sys.executable, "-m", "zhifa.cli", "migrate", "--no-input", "-v0"], env=env, check=True
            )
            yield env
        finally:
            if admin is not None:
                admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
                admin.close()


def args_start_delay() -> float:
    """Seconds between launching the 8 writers and their common start (``BENCH_START_DELAY``, default 30):
    Django's start-up on a loaded 2-CPU machine can take longer, which the figure must not count."""
    return float(os.environ.get("BENCH_START_DELAY", "30"))


def bench_appends(leg: str, pg_url: str, count: int, work_ms: list[float]) -> None:
    with fresh_database(leg, pg_url) as env:
        _run(env, "_append", "5", "--start-at", "0")  # first entry fixes the algorithm; warm-up
        one = _run(env, "_append", str(count), "--start-at", "0")
        _emit({"leg": leg, "figure": "appends_per_s_1_writer", "value": round(count / one["seconds"], 1),
               "entries": count})  # fmt: skip
        for work in work_ms:
            start_at = time.time() + args_start_delay()  # every process set up before the common start
            procs = [
                subprocess.Popen(
                    [
                        sys.executable,
                        __file__,
                        "_append",
                        str(count // 4),
                        "--start-at",
                        str(start_at),
                        "--work-ms",
                        str(work),
                    ],
                    env=env,
                    stdout=subprocess.PIPE,
                    text=True,
                )
                for _ in range(8)
            ]
            results = [json.loads(p.communicate()[0].strip().splitlines()[-1]) for p in procs]
            if any(p.returncode for p in procs):
                raise RuntimeError("a concurrent writer failed")
            began = min(r["began"] for r in results)
            ended = max(r["ended"] for r in results)
            total = sum(r["count"] for r in results)
            lags = sorted(lag for r in results for lag in r["lags_ms"])
            status = _run(env, "_status")
            _emit({"leg": leg, "figure": "appends_per_s_8_processes", "business_work_ms": work,
                   "value": round(total / (ended - began), 1), "entries": total,
                   "queued": sum(r["queued"] for r in results),
                   "integration_lag_ms_p50": round(lags[len(lags) // 2], 1) if lags else None,
                   "integration_lag_ms_max": round(lags[-1], 1) if lags else None,
                   "pending_after": status["pending"], "late_start_s": round(began - start_at, 2)})  # fmt: skip
        verify = _run(env, "_verify")
        _emit({"leg": leg, "figure": "verify_after_concurrent_appends", "ok": verify["ok"]})


def bench_big_logs(leg: str, pg_url: str, sizes: list[int], verify_max: int, samples: int) -> None:
    for size in sizes:
        with fresh_database(leg, pg_url) as env:
            load = _run(env, "_bulk", str(size))
            _emit({"leg": leg, "figure": "bulk_load", "entries": size, "seconds": load["seconds"]})
            proofs = _run(env, "_proofs", "--samples", str(samples))
            _emit({"leg": leg, "figure": "inclusion_proof_ms", "entries": size, **proofs})
            if size <= verify_max:
                verify = _run(env, "_verify", "--baseline")
                _emit({"leg": leg, "figure": "verify_throughput", "entries": size, **verify})


def bench_verify_padded(leg: str, pg_url: str, size: int, pads: list[int]) -> None:
    """Verification ratio when entries carry bigger change sets (fixed per-entry costs weigh less)."""
    for pad in pads:
        with fresh_database(leg, pg_url) as env:
            _run(env, "_bulk", str(size), "--pad", str(pad))
            verify = _run(env, "_verify", "--baseline")
            _emit(
                {
                    "leg": leg,
                    "figure": "verify_throughput_padded",
                    "entries": size,
                    "pad_bytes": pad,
                    **verify,
                }
            )


def orchestrate(args: argparse.Namespace) -> None:
    legs = ["sqlite", "postgresql"] if args.db == "both" else [args.db]
    if "postgresql" in legs:
        try:
            import psycopg

            psycopg.connect(args.postgres, connect_timeout=3).close()
        except Exception as exc:
            if args.db == "postgresql":
                raise
            _emit({"leg": "postgresql", "skipped": f"not reachable: {exc}"})
            legs.remove("postgresql")
    _emit({"machine": {"cpus": os.cpu_count(), "python": sys.version.split()[0], "platform": sys.platform}})
    sizes = [int(s) for s in args.proof_sizes.split(",") if s]
    for leg in legs:
        if not args.skip_appends:
            bench_appends(leg, args.postgres, args.appends, [float(w) for w in args.work_ms.split(",") if w])
        bench_big_logs(leg, args.postgres, sizes, args.verify_max, args.samples)
        pads = [int(p) for p in args.verify_pads.split(",") if p]
        if pads:
            bench_verify_padded(leg, args.postgres, 20_000, pads)


# ---------------------------------------------------------------------------
# Steps run inside a Django process
# ---------------------------------------------------------------------------


def _setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zhifa.settings")
    import django

    django.setup()


def step_append(count: int, start_at: float, work_ms: float = 0.0) -> None:
    """``count`` entries, one per transaction; ``work_ms`` of the business transaction's own work (a sleep:
    its other statements) after the append and before the commit.  Every 25th queued entry's integration lag
    (commit to ``seq``) is sampled by polling."""
    _setup()
    from django.db import connection, transaction

    from zhifa.records.services import record_append

    connection.ensure_connection()
    if start_at:
        time.sleep(max(0.0, start_at - time.time()))
    began = time.time()
    queued = 0
    lags = []
    for i in range(count):
        with transaction.atomic():
            entry = record_append(
                action="bench.append",
                object_type="bench.case",
                object_id=str(i),
                changes=CHANGES,
                place="某地",
            )
            if work_ms:
                time.sleep(work_ms / 1000)
        committed = time.perf_counter()
        if entry.seq is None:
            queued += 1
            if queued % 25 == 1:
                from zhifa.records.models import LedgerPending

                pending = LedgerPending.objects.filter(pk=entry.pending_id)
                while pending.exists():
                    time.sleep(0.001)
                lags.append((time.perf_counter() - committed) * 1000)
    ended = time.time()
    _emit({"count": count, "began": began, "ended": ended, "seconds": ended - began, "queued": queued,
           "lags_ms": lags})  # fmt: skip


def step_status() -> None:
    _setup()
    from zhifa.records import models
    from zhifa.records.selectors import ledger_size

    pending = models.LedgerPending.objects.count() if hasattr(models, "LedgerPending") else 0  # older code
    _emit({"pending": pending, "size": ledger_size()})


def _synthetic_rows(
    size: int, algorithm: str, pad: int = 0
) -> Iterator[tuple[tuple[Any, ...], list[tuple[int, int, bytes]]]]:
    """Entry rows and the node rows each completes, computed exactly as record_append does."""
    from zhifa.records import merkle
    from zhifa.records.canonical import canonical_text
    from zhifa.records.ledger import changes_digest, leaf_text

    base = dt.datetime(2025, 1, 1, tzinfo=dt.UTC)
    stack: list[tuple[int, bytes]] = []
    for seq in range(size):
        at = base + dt.timedelta(milliseconds=seq)
        changes = canonical_text({**CHANGES, "seq": seq, **({"pad": "x" * pad} if pad else {})})
        digest = changes_digest(changes, algorithm)
        object_id = str(seq // 20)
        leaf = leaf_text(seq=seq, at=at, occurred_at=None, actor_id=None, actor_username="", officer_id=None,
                         officer_name="", action="bench.append", object_type="bench.case", object_id=object_id,
                         place="某地", changes_digest=digest, hash_algorithm=algorithm)  # fmt: skip
        h = merkle.leaf_hash(leaf.encode(), algorithm)
        nodes = [(0, seq, h)]
        level, n = 0, seq + 1
        while stack and stack[-1][0] == level:
            h = merkle.node_hash(stack.pop()[1], h, algorithm)
            level += 1
            nodes.append((level, (n >> level) - 1, h))
        stack.append((level, h))
        row = (seq, at, None, None, "", None, "", "bench.append", "bench.case", object_id, "某地", changes,
               digest, leaf, nodes[0][2])  # fmt: skip
        yield row, nodes


ENTRY_COLUMNS = (
    "seq, at, occurred_at, actor_id, actor_username, officer_id, officer_name, action, object_type, "
    "object_id, place, changes, changes_digest, leaf_data, leaf_hash"
)


def step_bulk(size: int, pad: int = 0) -> None:
    _setup()
    from django.db import connection, transaction

    from zhifa.records.ledger import configured_algorithm
    from zhifa.records.models import LedgerHead, LedgerMeta

    algorithm = configured_algorithm()
    started = time.perf_counter()
    batch = 50_000
    rows = _synthetic_rows(size, algorithm, pad)
    done = 0
    while done < size:
        entries, nodes = [], []
        for _ in range(min(batch, size - done)):
            row, completed = next(rows)
            entries.append(row)
            nodes.extend(completed)
        with transaction.atomic(), connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                raw = cursor.cursor
                with raw.copy(f"COPY records_ledgerentry ({ENTRY_COLUMNS}) FROM STDIN") as copy:
                    for row in entries:
                        copy.write_row(row)
                with raw.copy('COPY records_ledgernode (level, "index", hash) FROM STDIN') as copy:
                    for node in nodes:
                        copy.write_row(node)
            else:
                marks = ", ".join(["%s"] * 15)
                cursor.executemany(
                    f"INSERT INTO records_ledgerentry ({ENTRY_COLUMNS}) VALUES ({marks})",
                    [(*r[:1], r[1].isoformat(sep=" ").replace("+00:00", ""), *r[2:]) for r in entries],
                )
                cursor.executemany(
                    'INSERT INTO records_ledgernode (level, "index", hash) VALUES (%s, %s, %s)', nodes
                )
        done += len(entries)
    with transaction.atomic():
        LedgerMeta.objects.get_or_create(
            pk=1, defaults={"hash_algorithm": algorithm, "created_at": clock.now()}
        )
        LedgerHead.objects.update_or_create(pk=1, defaults={"size": size})
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE records_ledgerentry; ANALYZE records_ledgernode")
    _emit({"seconds": round(time.perf_counter() - started, 1)})


def _percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round((len(ordered) - 1) * p))]


def step_proofs(samples: int) -> None:
    _setup()
    from zhifa.records import merkle
    from zhifa.records.selectors import ledger_inclusion_proof, ledger_size

    size = ledger_size()
    rng = random.Random(4)
    for seq in rng.sample(range(size), min(20, size)):  # warm-up
        ledger_inclusion_proof(seq)
    timings, cpu = [], []
    for seq in (rng.randrange(size) for _ in range(samples)):
        began, began_cpu = time.perf_counter(), time.process_time()
        proof = ledger_inclusion_proof(seq)
        timings.append((time.perf_counter() - began) * 1000)
        cpu.append((time.process_time() - began_cpu) * 1000)
        assert merkle.verify_inclusion(proof.leaf_data, seq, size, proof.proof, proof.root, proof.algorithm)
    # Wall time includes waiting for a CPU on a busy machine; the client's CPU time does not (but it also
    # leaves out the PostgreSQL server's own work).
    _emit({"p50": round(_percentile(timings, 0.5), 2), "p95": round(_percentile(timings, 0.95), 2),
           "max": round(max(timings), 2), "client_cpu_p50": round(_percentile(cpu, 0.5), 2),
           "client_cpu_p95": round(_percentile(cpu, 0.95), 2), "samples": samples,
           "load_avg_1min": round(os.getloadavg()[0], 2)})  # fmt: skip


def _raw_hash_seconds(algorithm: str) -> tuple[float, int]:
    """Time raw hashlib over exactly the bytes verify hashes, preloaded into memory."""
    from zhifa.records.models import LedgerEntry, LedgerNode

    messages: list[bytes] = []
    for changes, leaf in (
        LedgerEntry.objects.order_by("seq").values_list("changes", "leaf_data").iterator(5000)
    ):
        messages.append(changes.encode())
        messages.append(b"\x00" + leaf.encode())
    size = len(messages) // 2
    by_key = {
        (lv, ix): bytes(h)
        for lv, ix, h in LedgerNode.objects.values_list("level", "index", "hash").iterator(5000)
    }
    for (level, index), _h in by_key.items():
        if level and index < size >> level:
            messages.append(b"\x01" + by_key[(level - 1, 2 * index)] + by_key[(level - 1, 2 * index + 1)])
    total = sum(len(m) for m in messages)
    runs = []
    for _ in range(3):
        if algorithm == "sm3":
            prototype = hashlib.new("sm3")
            began = time.perf_counter()
            for m in messages:
                h = prototype.copy()
                h.update(m)
                h.digest()
        else:
            sha = hashlib.sha256
            began = time.perf_counter()
            for m in messages:
                sha(m).digest()
        runs.append(time.perf_counter() - began)
    return min(runs), total


def step_verify(baseline: bool) -> None:
    _setup()
    from zhifa.records.verify import verify_ledger

    result = verify_ledger()
    if baseline:  # best of two, as the raw figure is the best of three: both as undisturbed as they get
        again = verify_ledger()
        result = again if again.duration_s < result.duration_s else result
    record: dict[str, Any] = {
        "ok": result.ok,
        "entries": result.entries_checked,
        "seconds": round(result.duration_s, 2),
    }
    if baseline:
        raw_s, raw_bytes = _raw_hash_seconds(result.hash_algorithm)
        record.update(
            {
                "algorithm": result.hash_algorithm,
                "bytes_hashed": result.bytes_hashed,
                "raw_bytes": raw_bytes,
                "verify_mb_s": round(result.bytes_hashed / result.duration_s / 1e6, 1),
                "raw_hashlib_mb_s": round(raw_bytes / raw_s / 1e6, 1),
                "ratio": round(raw_s / result.duration_s, 3),
                "entries_per_s": round(result.entries_checked / result.duration_s),
                "median_leaf_bytes": 0,
            }
        )
        from zhifa.records.models import LedgerEntry

        lengths = [len(x) for x in LedgerEntry.objects.values_list("leaf_data", flat=True)[:1000]]
        record["median_leaf_bytes"] = int(statistics.median(lengths)) if lengths else 0
    _emit(record)


def main() -> None:
    sys.path.insert(0, str(ROOT / "src"))
    if len(sys.argv) > 1 and sys.argv[1].startswith("_"):
        step, rest = sys.argv[1], sys.argv[2:]
        parser = argparse.ArgumentParser(prog=f"bench_ledger {step}")
        if step in ("_append", "_bulk"):
            parser.add_argument("count", type=int)
        parser.add_argument("--start-at", type=float, default=0.0)
        parser.add_argument("--samples", type=int, default=1000)
        parser.add_argument("--baseline", action="store_true")
        parser.add_argument("--pad", type=int, default=0)
        parser.add_argument("--work-ms", type=float, default=0.0)
        a = parser.parse_args(rest)
        if step == "_append":
            step_append(a.count, a.start_at, a.work_ms)
        elif step == "_status":
            step_status()
        elif step == "_bulk":
            step_bulk(a.count, a.pad)
        elif step == "_proofs":
            step_proofs(a.samples)
        elif step == "_verify":
            step_verify(a.baseline)
        return
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--db", choices=["sqlite", "postgresql", "both"], default="both")
    parser.add_argument("--postgres", default=PG_DEFAULT, help="admin URL of a PostgreSQL server")
    parser.add_argument("--appends", type=int, default=2000, help="entries for the one-writer figure")
    parser.add_argument("--proof-sizes", default="1000000", help="comma-separated log sizes to bulk-load")
    parser.add_argument("--verify-max", type=int, default=1_000_000, help="verify logs up to this size")
    parser.add_argument("--samples", type=int, default=1000)
    parser.add_argument("--skip-appends", action="store_true")
    parser.add_argument(
        "--work-ms",
        default="0,2",
        help="business work per transaction (ms, comma-separated) of the 8-writer runs",
    )
    parser.add_argument("--verify-pads", default="2048,16384", help="extra bytes of changes per entry")
    orchestrate(parser.parse_args())


if __name__ == "__main__":
    main()
