"""A process that appends to the ledger, for the fault tests and the benchmark.

``python -m zhifa.records.tests.append_worker COUNT [--batch B] [--pause S] [--tag T]`` appends COUNT entries
(0: until killed), B entries per transaction, sleeping S seconds between the entries of one transaction, and
prints ``committed <seq> …`` after each commit.  Settings come from the environment (ZHIFA_DATA_DIR,
ZHIFA_DATABASE_URL).  An entry that was queued (PostgreSQL, another writer held the ledger head) has its
``seq`` only once integrated: the worker waits for it after the commit and reads it back by its unique
changes text.
"""

from __future__ import annotations

import argparse
import itertools
import os
import sys
import time


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("count", type=int)
    parser.add_argument("--batch", type=int, default=1)
    parser.add_argument("--pause", type=float, default=0.0)
    parser.add_argument("--tag", default=str(os.getpid()))
    args = parser.parse_args()

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zhifa.settings")
    import django

    django.setup()
    from django.db import transaction

    from zhifa.records.models import LedgerEntry
    from zhifa.records.services import record_append

    def sequenced(entry: LedgerEntry) -> int:
        for _ in range(3000):
            if entry.seq is not None:
                return entry.seq
            found = LedgerEntry.objects.filter(
                object_type=entry.object_type, object_id=entry.object_id, changes=entry.changes
            ).values_list("seq", flat=True)
            if found:
                return found[0]
            time.sleep(0.01)
        raise SystemExit(f"entry {entry.changes} was not sequenced within 30 s")

    appended = 0
    for batch_number in itertools.count():
        if args.count and appended >= args.count:
            break
        entries = []
        with transaction.atomic():
            for i in range(args.batch):
                entry = record_append(
                    action="bench.append",
                    object_type="bench.worker",
                    object_id=args.tag,
                    changes={"batch": batch_number, "i": i, "note": "执法记录" * 8},
                    place="测试地点",
                )
                entries.append(entry)
                if args.pause:
                    time.sleep(args.pause)
        seqs = [sequenced(entry) for entry in entries]
        appended += len(seqs)
        sys.stdout.write("committed " + " ".join(map(str, seqs)) + "\n")
        sys.stdout.flush()


if __name__ == "__main__":
    main()
