"""Benchmark of issue 8 item 5: p95 search latency over N published decisions on PostgreSQL.

    createdb -h 127.0.0.1 -U postgres zhifa_bench_search
    ZHIFA_DATABASE_URL=postgres://postgres@127.0.0.1:5432/zhifa_bench_search \\
        .venv/bin/python bench/bench_search.py --rows 1000000
    .venv/bin/python bench/bench_search.py --skip-load          # measure again on the loaded database

Migrates the database, creates 20 agencies, drops the GIN index, bulk-loads ``--rows`` synthetic decisions with
COPY (Chinese texts composed of fragments: party, violation, basis, penalty — tokens made by the app's own
tokenizer, once per fragment, since punctuation separates fragments and no bigram crosses it), rebuilds the GIN
index, ANALYZEs, then times ``zhifa.search.services.search`` (first page of 20, as the portal and API call it)
for 1-, 2- and multi-character queries, common and rare, with and without filters. Prints JSON.
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import json
import os
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zhifa.settings")

SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈"
)
PLACES = [
    "城关",
    "东城",
    "西湖",
    "南山",
    "北岭",
    "河口",
    "新桥",
    "白沙",
    "青石",
    "柳湾",
    "金山",
    "平安",
    "长乐",
    "永和",
]
TRADES = [
    "食品",
    "餐饮",
    "建材",
    "五金",
    "服装",
    "药房",
    "超市",
    "汽修",
    "物流",
    "印刷",
    "养殖",
    "化工",
    "家具",
    "茶叶",
]
FORMS = ["有限公司", "商行", "经营部", "店", "厂", "合作社"]
VIOLATIONS = [
    "销售过期食品",
    "未取得食品经营许可从事经营活动",
    "未按规定公示营业执照",
    "销售不合格产品",
    "虚假宣传",
    "使用未经检验的计量器具",
    "违法建设",
    "占用道路堆放物料",
    "无证排污",
    "超标排放大气污染物",
    "未落实安全生产责任制",
    "擅自改变房屋用途",
    "拒不配合监督检查",
    "价格欺诈",
    "销售假冒注册商标商品",
    "未建立进货查验记录",
    "非法收购鲸类制品",
]
BASES = [
    "违反了《中华人民共和国食品安全法》第三十四条",
    "违反了《中华人民共和国产品质量法》第四十九条",
    "违反了《中华人民共和国广告法》第二十八条",
    "违反了《中华人民共和国大气污染防治法》第十八条",
    "违反了《中华人民共和国安全生产法》第二十一条",
    "违反了《中华人民共和国城乡规划法》第四十条",
    "违反了《中华人民共和国价格法》第十四条",
    "违反了《中华人民共和国商标法》第五十七条",
]
PENALTIES = [
    "给予警告",
    "罚款人民币五千元",
    "罚款人民币两万元",
    "没收违法所得",
    "责令停产停业",
    "罚款人民币八百元",
]
DOMAINS = ["market", "housing", "ecology", "emergency", "commerce", "transport"]
KINDS = ["penalty"] * 8 + ["inspection", "not_punish"]
QUERIES = [
    ("1 字·常见", "罚", {}),
    ("1 字·较少", "鲸", {}),
    ("2 字·常见", "食品", {}),
    ("2 字·较少", "茶叶", {}),
    ("多字", "过期食品", {}),
    ("多字·较长", "未取得食品经营许可", {}),
    ("多字·无结果", "量子纠缠", {}),
    ("1 字+机关", "罚", {"agency": True}),
    (
        "2 字+领域+日期",
        "食品",
        {"domain": "market", "date_from": dt.date(2025, 1, 1), "date_to": dt.date(2025, 6, 30)},
    ),
    ("多字+机关+类别", "销售假冒", {"agency": True, "kind": "penalty"}),
    ("无检索词+机关", "", {"agency": True}),
]


def _percentiles(samples: list[float]) -> dict[str, float]:
    samples = sorted(samples)
    p95 = samples[max(0, round(0.95 * len(samples)) - 1)]
    return {"p50_ms": round(statistics.median(samples) * 1000, 2), "p95_ms": round(p95 * 1000, 2)}


def _agencies() -> list[int]:
    from zhifa.org.models import Agency, Region, RegionLevel

    province, _ = Region.objects.get_or_create(
        code="970000", defaults={"name": "基准省", "level": RegionLevel.PROVINCE}
    )
    ids = list(Agency.objects.filter(region=province).values_list("id", flat=True))
    for i in range(len(ids), 20):
        agency = Agency(
            name=f"基准{TRADES[i % len(TRADES)]}执法局{i}", uscc=f"11970000MB{i:07d}X"[:18], region=province
        )
        agency.save()
        ids.append(agency.pk)
    return ids


def _load(rows: int, agencies: list[int], seed: int) -> float:
    from django.db import connection

    from zhifa.search.tokens import index_tokens

    rng = random.Random(seed)
    cache: dict[str, set[str]] = {}

    def tokens_of(*fragments: str) -> str:
        out: dict[str, None] = {}
        for fragment in fragments:
            toks = cache.get(fragment)
            if toks is None:
                toks = cache[fragment] = set(index_tokens(fragment).split())
            for t in toks:
                out[t] = None
        return " ".join(out)

    start_day = dt.date(2020, 1, 1).toordinal()
    days = dt.date(2026, 6, 30).toordinal() - start_day
    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("DROP INDEX IF EXISTS search_doc_tsv_gin")
        cursor.execute("SELECT coalesce(max(id), 0) FROM search_searchdocument")
        first = cursor.fetchone()[0] + 1
        raw = cursor.connection
        batch = 50_000
        for offset in range(0, rows, batch):
            buf = io.StringIO()
            for i in range(offset, min(rows, offset + batch)):
                natural = rng.random() < 0.3
                place, trade = rng.choice(PLACES), rng.choice(TRADES)
                party = (
                    (rng.choice(SURNAMES) + "*" * rng.choice((1, 2)))
                    if natural
                    else f"{place}{trade}{rng.choice(FORMS)}"
                )
                violation, basis, penalty = rng.choice(VIOLATIONS), rng.choice(BASES), rng.choice(PENALTIES)
                title = f"{violation}（行政处罚决定）"
                body = f"当事人：{party}。违法事实：当事人在{place}经营{trade}期间{violation}。依据：{basis}。处理结果：{penalty}。"
                toks = tokens_of(
                    violation,
                    "行政处罚决定",
                    party,
                    "当事人",
                    "违法事实",
                    f"当事人在{place}经营{trade}期间{violation}",
                    "依据",
                    basis,
                    "处理结果",
                    penalty,
                )
                date = dt.date.fromordinal(start_day + rng.randrange(days))
                row = [
                    "disclosure.publication",
                    str(first + i),
                    str(rng.choice(agencies)),
                    rng.choice(DOMAINS),
                    rng.choice(KINDS),
                    date.isoformat(),
                    title,
                    party,
                    body,
                    toks,
                    "2026-07-01 00:00:00+00",
                ]
                buf.write("\t".join(row) + "\n")
            buf.seek(0)
            with (
                raw.cursor() as pg,
                pg.copy(
                    "COPY search_searchdocument (source_type, source_id, agency_id, domain, kind, date, title, party, "
                    "body, tokens, indexed_at) FROM STDIN"
                ) as copy,
            ):
                copy.write(buf.getvalue())
            print(f"  loaded {min(rows, offset + batch):,}", file=sys.stderr, flush=True)
        cursor.execute("CREATE INDEX search_doc_tsv_gin ON search_searchdocument USING gin (tsv)")
        cursor.execute("ANALYZE search_searchdocument")
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=40)
    parser.add_argument("--seed", type=int, default=8)
    parser.add_argument("--skip-load", action="store_true")
    args = parser.parse_args()
    if not (os.environ.get("ZHIFA_DATABASE_URL") or "").startswith("postgres"):
        sys.exit("set ZHIFA_DATABASE_URL to a PostgreSQL database of your own")

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from zhifa.search.services import search

    call_command("migrate", verbosity=0)
    agencies = _agencies()
    load_s = None if args.skip_load else _load(args.rows, agencies, args.seed)
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM search_searchdocument")
        total = cursor.fetchone()[0]
        cursor.execute("SELECT pg_size_pretty(pg_total_relation_size('search_searchdocument'))")
        size = cursor.fetchone()[0]
    rng = random.Random(1)
    results = []
    for label, query, filters in QUERIES:
        kwargs = dict(filters)
        samples = []
        hits = 0
        for run in range(args.runs + 3):
            if kwargs.pop("agency", None) or filters.get("agency"):
                kwargs["agency_id"] = rng.choice(agencies)
            started = time.perf_counter()
            page = search(query, **kwargs)
            elapsed = time.perf_counter() - started
            if run >= 3:  # three warm-up runs
                samples.append(elapsed)
            hits = len(page.items)
        results.append({"query": label, "q": query, "page_hits": hits, **_percentiles(samples)})
        print(json.dumps(results[-1], ensure_ascii=False), file=sys.stderr, flush=True)
    print(
        json.dumps(
            {
                "rows": total,
                "table_size": size,
                "load_s": load_s and round(load_s, 1),
                "cpus": os.cpu_count(),
                "results": results,
            },
            ensure_ascii=False,
            indent=1,
        )
    )


if __name__ == "__main__":
    main()
