"""CPU profile of the officer pages (issue 22 item 4) in one process: Django's test client, signed in as
``demo_officer``, on a demo database built before (``bench/bench_pages.py`` builds one).

    ZHIFA_DATA_DIR=/tmp/zhifa_bench_pages ZHIFA_ALLOWED_HOSTS=testserver PYTHONPATH=src \\
        .venv/bin/python bench/profile_officer_pages.py [--repeat 20] [--profile] [--top 40]

Prints, per page, the mean wall and CPU milliseconds over ``--repeat`` requests and the number of queries of one
request; with ``--profile``, cProfile's top functions by cumulative time for each page.
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import re
import time

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zhifa.settings")

import django

django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402

from zhifa.org.models import User  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--profile", action="store_true")
    parser.add_argument("--top", type=int, default=40)
    parser.add_argument("--sort", default="cumulative")
    parser.add_argument("--only", default="", help="a regular expression the profiled functions' paths match")
    parser.add_argument("--page", action="append", help="only this page (workbench, case, today)")
    parser.add_argument("--sql", action="store_true", help="print each page's queries")
    args = parser.parse_args()

    client = Client()
    client.force_login(
        User.objects.get(username="demo_officer"), backend="django.contrib.auth.backends.ModelBackend"
    )
    found = re.search(r'href="/cases/(\d+)/"', client.get("/cases/").content.decode())
    assert found, "demo_officer sees no case"
    pages = {"workbench": "/workbench/", "case": f"/cases/{found.group(1)}/", "today": "/inspections/today/"}
    for name, url in pages.items():
        if args.page and name not in args.page:
            continue
        assert client.get(url).status_code == 200, url  # warm: templates, URL resolver, per-process caches
        queries: list[str] = []

        def log(execute, sql, params, many, context, queries=queries):  # type: ignore[no-untyped-def]
            queries.append(sql)
            return execute(sql, params, many, context)

        with connection.execute_wrapper(log):
            client.get(url)
        wall = cpu = 0.0
        profiler = cProfile.Profile() if args.profile else None
        for _ in range(args.repeat):
            w0, c0 = time.perf_counter(), time.process_time()
            if profiler:
                profiler.enable()
            response = client.get(url)
            if profiler:
                profiler.disable()
            wall += time.perf_counter() - w0
            cpu += time.process_time() - c0
            assert response.status_code == 200
        print(
            f"{url:28} wall {wall / args.repeat * 1000:7.1f} ms  cpu {cpu / args.repeat * 1000:7.1f} ms  "
            f"queries {len(queries)}",
            flush=True,
        )
        if args.sql:
            print("\n".join(q[:300] for q in queries))
        if profiler:
            pstats.Stats(profiler).sort_stats(args.sort).print_stats(
                *([args.only] if args.only else []), args.top
            )


if __name__ == "__main__":
    main()
