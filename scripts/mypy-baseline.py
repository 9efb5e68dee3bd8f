#!/usr/bin/env python3
"""Run mypy on src/zhifa and hold its error count per file to mypy-baseline.txt, a baseline that only shrinks.

    scripts/mypy-baseline.py            check: fails when a file has more errors than its baseline count,
                                        or when a file that had none has some; says when a count dropped
    scripts/mypy-baseline.py --update   rewrite mypy-baseline.txt from this run (after fixing errors, or after
                                        files were moved: the diff shows what changed)

mypy's settings are in pyproject.toml ([tool.mypy]); its cache is .venv/mypy-cache (MYPY_CACHE_DIR overrides
it), so a second run rechecks only what changed. The baseline is one line per file, `path count`, sorted by path.
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BASELINE = ROOT / "mypy-baseline.txt"
# `src/zhifa/x.py:12: error: message  [code]`; a file-level error has no line number. Notes are not counted.
ERROR = re.compile(r"^(?P<path>[^:\s][^:]*\.pyi?):(?:\d+:)?(?:\d+:)? error: ")

HEADER = (
    "# mypy errors per file (scripts/mypy-baseline.py): a count may only go down.\n"
    "# Rewrite with `scripts/mypy-baseline.py --update` after fixing errors or moving files.\n"
)


def run_mypy() -> tuple[Counter[str], dict[str, list[str]]]:
    env = dict(os.environ)
    # The django-stubs plugin imports zhifa.settings: src on the path, data under var unless said otherwise.
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(ROOT / "src"), env.get("PYTHONPATH", "")) if p)
    env.setdefault("ZHIFA_DATA_DIR", str(ROOT / "var"))
    proc = subprocess.run(  # noqa: S603 - fixed argv: this venv's mypy
        [sys.executable, "-m", "mypy", "--config-file", str(ROOT / "pyproject.toml"), "--no-error-summary"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    # 0: no errors, 1: errors found; anything else (2: bad config, a crash) is not a count we can trust.
    if proc.returncode not in (0, 1):
        sys.stderr.write(proc.stdout + proc.stderr)
        sys.exit(f"mypy failed (exit {proc.returncode}) before it could count errors")
    counts: Counter[str] = Counter()
    lines: dict[str, list[str]] = {}
    for line in proc.stdout.splitlines():
        if m := ERROR.match(line):
            path = Path(m["path"]).as_posix()
            counts[path] += 1
            lines.setdefault(path, []).append(line)
    if proc.returncode == 1 and not counts:
        sys.stderr.write(proc.stdout + proc.stderr)
        sys.exit("mypy reported failure but no error line could be read")
    return counts, lines


def read_baseline() -> Counter[str]:
    counts: Counter[str] = Counter()
    if not BASELINE.exists():
        return counts
    for n, raw in enumerate(BASELINE.read_text(encoding="utf-8").splitlines(), 1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        try:
            path, count = line.rsplit(None, 1)
            counts[path] = int(count)
        except ValueError:
            sys.exit(f"{BASELINE.name}:{n}: expected `path count`, got {raw!r}")
    return counts


def write_baseline(counts: Counter[str]) -> None:
    body = "".join(f"{path} {counts[path]}\n" for path in sorted(counts))
    BASELINE.write_text(HEADER + body, encoding="utf-8")


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--update", action="store_true", help="rewrite mypy-baseline.txt from this run")
    args = parser.parse_args()

    current, lines = run_mypy()
    total = sum(current.values())
    if args.update:
        write_baseline(current)
        print(f"mypy: wrote {BASELINE.name}: {total} errors in {len(current)} files")
        return 0

    baseline = read_baseline()
    grown = sorted(p for p in current if current[p] > baseline.get(p, 0))
    dropped = sorted(p for p in baseline if current.get(p, 0) < baseline[p])
    for path in grown:
        was = baseline.get(path, 0)
        what = "a file that had none" if was == 0 else f"was {was}"
        print(f"mypy: {path}: {current[path]} errors ({what}):")
        for line in lines[path]:
            print(f"    {line}")
    for path in dropped:
        print(f"mypy: {path}: {current.get(path, 0)} errors, down from {baseline[path]}")
    if grown:
        print(
            f"mypy: more errors than the baseline in {len(grown)} file(s). All of that file's errors are "
            "listed, old and new: fix the new ones (errors that only moved with their code: "
            "`scripts/mypy-baseline.py --update`)."
        )
        return 1
    if dropped:
        print("mypy: fewer errors than the baseline: run `scripts/mypy-baseline.py --update` and commit it.")
    print(f"mypy: {total} errors in {len(current)} files, none above the baseline ({sum(baseline.values())})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
