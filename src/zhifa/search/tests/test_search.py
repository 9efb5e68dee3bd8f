"""Chinese full-text search: 1- and 2-character queries, filters, paging, removal, hostile input.

Runs on both backends: SQLite FTS5 by default, PostgreSQL full-text on the PG leg of CI (same assertions).
"""

from __future__ import annotations

import datetime as dt

import pytest

from zhifa.search import services
from zhifa.search.services import BadQuery, index_document, remove_document, search
from zhifa.search.tokens import fts5_match, index_tokens, pg_tsquery, query_terms

DOCS = [
    (
        1,
        "market",
        "penalty",
        dt.date(2025, 3, 3),
        "销售过期食品",
        "测县示例食品有限公司",
        "违反食品安全法第三十四条，罚款五千元。",
    ),
    (2, "market", "penalty", dt.date(2025, 4, 1), "未公示许可证", "测县某超市", "责令改正，给予警告。"),
    (3, "housing", "penalty", dt.date(2025, 5, 6), "违法建设", "张*", "擅自搭建，罚款两万元。"),
    (4, "market", "inspection", dt.date(2025, 6, 1), "食品经营检查结果", "测县某餐馆", "检查合格。"),
]


@pytest.fixture
def indexed(db) -> None:
    for sid, domain, kind, date, title, party, body in DOCS:
        index_document(
            source_type="test.doc",
            source_id=sid,
            agency_id=None,
            domain=domain,
            kind=kind,
            date=date,
            title=title,
            party=party,
            body=body,
        )


def _ids(page) -> list[str]:
    return [h.source_id for h in page.items]


def test_index_holds_characters_bigrams_and_jieba_words() -> None:
    tokens = index_tokens("食品安全法").split()
    assert {"食", "品", "食品", "品安", "安全", "全法"} <= set(tokens)
    assert any(len(t) > 2 for t in tokens)  # a jieba word of the text, e.g. 食品安全 / 安全法


def test_query_terms_are_the_run_itself_up_to_two_characters_and_bigrams_beyond() -> None:
    assert query_terms("罚") == ["罚"]
    assert query_terms("食品") == ["食品"]
    assert query_terms("过期食品") == ["过期", "期食", "食品"]
    assert query_terms('" OR * NEAR( ; DROP') == ["or", "near", "drop"]


def test_backend_query_strings_quote_every_term_and_drop_anything_else() -> None:
    assert fts5_match(["食品", "or"]) == '"食品" AND "or"'
    assert pg_tsquery(["食品", "罚"]) == "'食品' & '罚'"
    assert fts5_match(['a"b']) == "" and pg_tsquery(["a'b"]) == ""


def test_one_character_query_matches(indexed) -> None:
    assert _ids(search("罚")) == ["3", "1"]


def test_two_character_query_matches(indexed) -> None:
    assert _ids(search("食品")) == ["4", "1"]


def test_longer_query_matches_the_string_whatever_jieba_made_of_it(indexed) -> None:
    assert _ids(search("食品安全")) == ["1"]
    assert _ids(search("过期食品")) == ["1"]
    assert _ids(search("食品 警告")) == []


def test_filters_by_domain_kind_and_date(indexed) -> None:
    assert _ids(search("罚", domain="housing")) == ["3"]
    assert _ids(search("食品", kind="inspection")) == ["4"]
    assert _ids(search("", date_from=dt.date(2025, 4, 1), date_to=dt.date(2025, 5, 31))) == ["3", "2"]


def test_keyset_pages_cover_everything_once(indexed) -> None:
    first = search("", limit=3)
    second = search("", limit=3, cursor=first.next_cursor)
    assert _ids(first) + _ids(second) == ["4", "3", "2", "1"] and second.next_cursor is None


def test_removed_document_is_no_longer_found(indexed) -> None:
    assert remove_document("test.doc", 1) is True
    assert _ids(search("过期")) == []
    assert remove_document("test.doc", 1) is False


def test_reindexing_replaces_the_document(indexed) -> None:
    index_document(
        source_type="test.doc",
        source_id=2,
        agency_id=None,
        domain="market",
        kind="penalty",
        date=dt.date(2025, 4, 1),
        title="更正后的标题",
        party="测县某超市",
        body="给予警告。",
    )
    assert _ids(search("许可证")) == [] and _ids(search("更正")) == ["2"]


def test_index_is_scrubbed_of_personal_numbers(db) -> None:
    doc = index_document(
        source_type="test.doc",
        source_id=9,
        agency_id=None,
        domain="",
        kind="",
        date=dt.date(2025, 1, 2),
        title="t",
        party="p",
        body="联系人手机13812345678，身份证110101199003071234",
    )
    assert "13812345678" not in doc.body + doc.tokens and "110101199003071234" not in doc.body + doc.tokens
    assert _ids(search("13812345678")) == []


@pytest.mark.parametrize(
    "query",
    ["食" * (services.MAX_QUERY_CHARS + 1), "a\x00b", " ".join(f"w{i}" for i in range(40))],
)
def test_hostile_or_oversized_queries_are_refused_with_400(db, query: str) -> None:
    with pytest.raises(BadQuery) as exc:
        search(query)
    assert exc.value.status == 400 and exc.value.message


@pytest.mark.parametrize("cursor", ["x", "2025-13-40.1", "2025-01-01.-1", "1" * 50])
def test_bad_cursor_is_refused_with_400(db, cursor: str) -> None:
    with pytest.raises(BadQuery):
        search("", cursor=cursor)


def test_query_syntax_characters_are_harmless(indexed) -> None:
    for query in ['"', "*", "NEAR(食品", "食品 OR 1=1", "'; DROP TABLE x; --", "(((", "^食品"]:
        search(query)  # never an error from the database


def test_search_api_answers_400_in_chinese(client, indexed) -> None:
    ok = client.get("/api/search/", {"q": "食品"})
    assert ok.status_code == 200 and [i["source_id"] for i in ok.json()["items"]] == ["4", "1"]
    bad = client.get("/api/search/", {"q": "食" * 200})
    assert (
        bad.status_code == 400
        and bad.json()["code"] == "query_too_long"
        and "检索词" in bad.json()["message"]
    )
