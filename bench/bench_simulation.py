"""Runs of ``zhifa simulate-inspections`` over a grid of county sizes, and the chart of visits per enterprise.

    .venv/bin/python bench/bench_simulation.py                          # the grid below, results to /tmp
    .venv/bin/python bench/bench_simulation.py --runs 20000x12x1 --chart docs/simulation-visits.svg
    .venv/bin/python bench/bench_simulation.py --from /tmp/zhifa_simulation.jsonl --chart docs/simulation-visits.svg

Each run is one ``zhifa simulate-inspections`` process (its own throwaway SQLite database); its last line, one
JSON object, is appended to ``--out`` (JSON lines) with the load average before the run. ``--chart`` draws the
share of enterprises by visits in the year, both modes, for the largest run read: a hand-written SVG (no
plotting library is installed, and none is needed for bars).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path

GRID = [
    (n, m, seed)
    for n, m in ((2000, 6), (2000, 12), (2000, 20), (20000, 6), (20000, 12), (20000, 20), (50000, 12))
    for seed in (1, 2, 3)
]


def run(n: int, m: int, seed: int) -> dict[str, object]:
    load = os.getloadavg()[0]
    done = subprocess.run(
        [
            str(Path(sys.executable).with_name("zhifa")),
            "simulate-inspections",
            f"--enterprises={n}",
            f"--agencies={m}",
            f"--seed={seed}",
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    figures = json.loads(done.stdout.strip().splitlines()[-1])
    figures["load_before"] = round(load, 1)
    return figures


def chart(figures: dict[str, object], path: Path) -> None:
    """Bars: share of enterprises with 0, 1, 2 … visits in the year, independent (grey) and zhifa (green)."""
    independent: dict[str, int] = figures["visits_per_enterprise_independent"]  # type: ignore[assignment]
    zhifa: dict[str, int] = figures["visits_per_enterprise_zhifa"]  # type: ignore[assignment]
    total = sum(independent.values())
    top = max(int(k) for k in (*independent, *zhifa))
    width, height, left, bottom, top_pad = 900, 380, 60, 50, 60
    plot_w, plot_h = width - left - 20, height - bottom - top_pad
    peak = max(max(independent.values()), max(zhifa.values())) / total
    scale = plot_h / (peak * 1.1)
    slot = plot_w / (top + 1)
    bar = slot * 0.38
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" font-family="sans-serif" font-size="12">',
        f'<rect width="{width}" height="{height}" fill="white"/>',
        f'<text x="{left}" y="22" font-size="14">Visits per enterprise in the year (N={figures["enterprises"]}, '
        f"M={figures['agencies']}, seed {figures['seed']}): independent {figures['visits_independent']}, "
        f"zhifa {figures['visits_zhifa']}, reduction {float(figures['reduction']):.1%}</text>",  # type: ignore[arg-type]
        f'<line x1="{left}" y1="{height - bottom}" x2="{width - 20}" y2="{height - bottom}" stroke="black"/>',
        f'<line x1="{left}" y1="{top_pad}" x2="{left}" y2="{height - bottom}" stroke="black"/>',
    ]
    for tick in range(0, int(peak * 110) + 1, 10):
        y = height - bottom - tick / 100 * scale
        parts.append(f'<text x="{left - 6}" y="{y + 4:.1f}" text-anchor="end">{tick}%</text>')
        parts.append(f'<line x1="{left}" y1="{y:.1f}" x2="{width - 20}" y2="{y:.1f}" stroke="#ddd"/>')
    for k in range(top + 1):
        x = left + k * slot + slot * 0.1
        for offset, counts, colour in ((0, independent, "#999"), (bar, zhifa, "#2a8a4a")):
            share = counts.get(str(k), 0) / total
            h = share * scale
            parts.append(
                f'<rect x="{x + offset:.1f}" y="{height - bottom - h:.1f}" width="{bar:.1f}" height="{h:.1f}" '
                f'fill="{colour}"><title>{k} visits: {share:.1%}</title></rect>'
            )
        parts.append(f'<text x="{x + bar:.1f}" y="{height - bottom + 16}" text-anchor="middle">{k}</text>')
    parts += [
        f'<text x="{left + plot_w / 2}" y="{height - 12}" text-anchor="middle">visits in the year</text>',
        f'<rect x="{width - 300}" y="{top_pad}" width="12" height="12" fill="#999"/>',
        f'<text x="{width - 282}" y="{top_pad + 10}">independent (each agency on its own)</text>',
        f'<rect x="{width - 300}" y="{top_pad + 18}" width="12" height="12" fill="#2a8a4a"/>',
        f'<text x="{width - 282}" y="{top_pad + 28}">zhifa (matching and merge)</text>',
        "</svg>",
    ]
    path.write_text("\n".join(parts) + "\n", encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--runs", nargs="*", help="NxMxSEED … (default: the grid in this file)")
    parser.add_argument("--out", default="/tmp/zhifa_simulation.jsonl", help="JSON lines, appended")
    parser.add_argument("--from", dest="source", help="read results from this JSON lines file, run nothing")
    parser.add_argument("--chart", help="write the SVG chart here")
    args = parser.parse_args()
    results: list[dict[str, object]] = []
    if args.source:
        results = [json.loads(line) for line in Path(args.source).read_text().splitlines() if line.strip()]
    else:
        grid = [tuple(int(x) for x in r.split("x")) for r in args.runs] if args.runs else GRID
        for n, m, seed in grid:
            figures = run(n, m, seed)
            results.append(figures)
            with Path(args.out).open("a", encoding="utf-8") as out:
                out.write(json.dumps(figures, ensure_ascii=False, sort_keys=True) + "\n")
            print(
                f"N={n} M={m} seed={seed}: independent {figures['visits_independent']} zhifa "
                f"{figures['visits_zhifa']} reduction {figures['reduction']} uninspected "
                f"{figures['planned_checks_uninspected']} {figures['seconds']} s (load {figures['load_before']})",
                flush=True,
            )
    if args.chart and results:
        chart(max(results, key=lambda r: (r["enterprises"], r["agencies"])), Path(args.chart))  # type: ignore[arg-type]


if __name__ == "__main__":
    main()
