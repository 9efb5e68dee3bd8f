"""Chinese segmentation for the index (分词): jieba words, single characters and character bigrams.

The database does no segmentation of its own (SQLite FTS5's ``unicode61`` and PostgreSQL's ``simple``
configuration know nothing of Chinese words), so the app stores each document as a space-separated list of
tokens and searches with tokens made the same way:

* every jieba word of the text (search-engine mode, so long words also give their parts),
* every single CJK character — a one-character query ("罚") matches,
* every bigram of adjacent CJK characters — a two-character query ("食品") matches whatever jieba made of
  the surrounding text ("食品安全法" may be one jieba word, but its bigram 食品 is indexed too),
* ASCII letters and digits as lower-case words.

A query of three or more CJK characters is searched as all of its bigrams (ANDed): a document that contains
the query string contains every one of its bigrams, so nothing that contains the string is missed whatever
jieba made of it in either text (a jieba word of the query alone would miss "食品安全" inside a document
where jieba cut "食品安全法" as one word). Every token is made of letters and digits only, so no query can
carry the syntax of either backend's query language.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable

_CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_RUN = re.compile(rf"[{_CJK}]+|[0-9A-Za-z]+")
_IS_CJK = re.compile(rf"[{_CJK}]")
_TOKEN_OK = re.compile(rf"^[{_CJK}0-9a-z]+$")

_jieba = None


def _segmenter():
    global _jieba
    if _jieba is None:
        # local import: jieba takes ~0.7 s to import and only text segmentation needs it
        import jieba

        jieba.setLogLevel(logging.WARNING)
        _jieba = jieba
    return _jieba


def _bigrams(run: str) -> list[str]:
    return [run[i : i + 2] for i in range(len(run) - 1)]


def index_tokens(*texts: str) -> str:
    """The space-separated token string stored for a document (each token once)."""
    seen: dict[str, None] = {}
    jieba = _segmenter()
    for text in texts:
        if not text:
            continue
        for match in _RUN.finditer(text):
            run = match.group(0)
            if not _IS_CJK.match(run):
                seen.setdefault(run.lower()[:64], None)
                continue
            for ch in run:
                seen.setdefault(ch, None)
            for bigram in _bigrams(run):
                seen.setdefault(bigram, None)
            if len(run) > 2:
                for word in jieba.cut_for_search(run):
                    if len(word) > 2 and _TOKEN_OK.match(word):
                        seen.setdefault(word, None)
    return " ".join(seen)


def query_terms(query: str) -> list[str]:
    """The tokens every matching document must hold (ANDed), in query order, each once."""
    terms: dict[str, None] = {}
    for match in _RUN.finditer(query):
        run = match.group(0)
        if not _IS_CJK.match(run):
            terms.setdefault(run.lower()[:64], None)
        elif len(run) <= 2:
            terms.setdefault(run, None)
        else:
            for bigram in _bigrams(run):
                terms.setdefault(bigram, None)
    return list(terms)


def is_safe_token(token: str) -> bool:
    return bool(_TOKEN_OK.match(token))


def fts5_match(terms: Iterable[str]) -> str:
    """An FTS5 MATCH expression: every term quoted as a phrase, ANDed."""
    return " AND ".join(f'"{t}"' for t in terms if is_safe_token(t))


def pg_tsquery(terms: Iterable[str]) -> str:
    """A tsquery literal (input syntax, not ``to_tsquery``): quoted lexemes taken as they are, ANDed."""
    return " & ".join(f"'{t}'" for t in terms if is_safe_token(t))
