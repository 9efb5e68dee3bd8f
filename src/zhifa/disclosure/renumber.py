"""决定书文号 of publications stored before issue 16: they carry the case's 立案 number as ``document_number``.

The number a decision's publication shows is the one of its issued 行政处罚决定书 (不予行政处罚决定书), empty until
one is issued (``services._decision_number``). This module puts right what was stored before that rule: the
publication's ``document_number``, the 决定书文号 line of its ``body``, and — when it is in the index (published)
— the search document's body and tokens, with the FTS5 row on SQLite (PostgreSQL's ``tsv`` is generated).

It is run by data migration ``disclosure.0004_decision_document_numbers`` with the historical models, so it
uses only their fields and pure functions (the masking of ``privacy.scrub_text``, the tokens of
``search.tokens.index_tokens``), never a service or a live model: it must work against the schema of that
migration whatever later migrations add.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from zhifa.disclosure.privacy import scrub_text
from zhifa.search.tokens import index_tokens

CASE = "cases.case"
INDEX_TYPE = "disclosure.publication"
LINE = "决定书文号："
DECISION_KINDS = {"penalty": "decision", "not_punish": "not_punish_decision"}  # ResultKind → DocumentType
ISSUED = "issued"


def body_with_number(body: str, number: str) -> str:
    """The body with its 决定书文号 line saying ``number`` — after the 执法主体 line, as ``_compose_body``
    writes it — or without that line when there is no number."""
    lines = [line for line in body.split("\n") if not line.startswith(LINE)]
    if number:
        lines.insert(1 if lines and lines[0].startswith("执法主体：") else 0, f"{LINE}{number}")
    return "\n".join(lines)


def _issued_numbers(CaseDocument: Any, case_ids: list[int]) -> dict[tuple[int, str], str]:
    """(case id, document type) → the number of the latest issued decision document of that type."""
    numbers: dict[tuple[int, str], str] = {}
    rows = (
        CaseDocument.objects.filter(case_id__in=case_ids, doc_type__in=DECISION_KINDS.values(), status=ISSUED)
        .order_by("id")
        .values_list("case_id", "doc_type", "number")
    )
    for case_id, doc_type, number in rows:
        numbers[(case_id, doc_type)] = number  # the latest wins, as in services._decision_number
    return numbers


def _batches(Publication: Any, size: int = 500) -> Iterator[list[Any]]:
    qs = Publication.objects.filter(source_type=CASE, kind__in=DECISION_KINDS.keys()).order_by("id")
    last = 0
    while True:
        batch = list(qs.filter(id__gt=last).select_related("agency")[:size])
        if not batch:
            return
        yield batch
        last = batch[-1].id


def renumber_publications(
    Publication: Any, CaseDocument: Any, SearchDocument: Any, connection: Any
) -> list[tuple[int, str, str]]:
    """Set each case publication's 文号 to its issued decision document's number (empty when none is issued)
    and re-index the published ones. Idempotent; returns (publication id, old number, new number) per change."""

    changed: list[tuple[int, str, str]] = []
    for batch in _batches(Publication):
        numbers = _issued_numbers(CaseDocument, [int(p.source_id) for p in batch if p.source_id.isdigit()])
        for p in batch:
            key = (int(p.source_id), DECISION_KINDS[p.kind]) if p.source_id.isdigit() else None
            number = (numbers.get(key, "") if key else "")[:80]
            if number == p.document_number:
                continue
            changed.append((p.id, p.document_number, number))
            p.document_number = number
            p.body = body_with_number(p.body, number)
            Publication.objects.filter(pk=p.pk).update(document_number=p.document_number, body=p.body)
            doc = SearchDocument.objects.filter(source_type=INDEX_TYPE, source_id=str(p.pk)).first()
            if doc is None:
                continue  # not in the index: a draft, or withdrawn
            # as services.index_publication: the body and the agency's name, masked; tokens of title+party+body
            doc.body = scrub_text("\n".join(x for x in (p.body, p.agency.name) if x))
            doc.tokens = index_tokens(doc.title, doc.party, doc.body)
            SearchDocument.objects.filter(pk=doc.pk).update(body=doc.body, tokens=doc.tokens)
            if connection.vendor == "sqlite":  # PostgreSQL: ``tsv`` is generated from ``tokens``
                with connection.cursor() as cursor:
                    cursor.execute("DELETE FROM search_fts WHERE rowid = %s", [doc.pk])
                    cursor.execute(
                        "INSERT INTO search_fts (rowid, tokens) VALUES (%s, %s)", [doc.pk, doc.tokens]
                    )
    return changed
