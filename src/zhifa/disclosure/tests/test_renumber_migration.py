"""Data migration disclosure.0004: publications stored before issue 16 carry the 立案 number as their 决定书文号.
It takes the issued decision document's number, or empties the 文号 when none is issued, in the publication,
its body and the search index; nothing else changes, and running it again changes nothing."""

from __future__ import annotations

import importlib
from types import SimpleNamespace
from typing import Any

from django.apps import apps
from django.db import connection

from zhifa.cases import services as case_services
from zhifa.disclosure.models import Publication
from zhifa.disclosure.renumber import body_with_number, renumber_publications
from zhifa.disclosure.services import index_publication
from zhifa.disclosure.tests.helpers import publication_of, publish
from zhifa.search.models import SearchDocument
from zhifa.search.services import search, search_count
from zhifa.testing.worlds import decide_simple

MIGRATION = importlib.import_module("zhifa.disclosure.migrations.0004_decision_document_numbers")


def _as_stored_before_the_fix(p: Publication, case: Any) -> Publication:
    """What the old code stored: the 立案 number as 文号, in the body and in the index."""
    p.document_number = case.number
    p.body = body_with_number(p.body, case.number)
    p.save(update_fields=["document_number", "body"])
    if p.published_on:
        index_publication(p)
    return p


def _migrate() -> None:
    MIGRATION.forward(apps, SimpleNamespace(connection=connection))


def test_the_migration_gives_an_old_publication_its_decision_documents_number_and_reindexes_it(
    world: Any,
) -> None:
    case = decide_simple(world)
    document = case_services.document_issue(actor=world.officer_user, case=case, doc_type="decision")
    p = _as_stored_before_the_fix(publish(world, case), case)
    assert search_count(case.number)[0] == 1  # the old index finds the decision by its 立案 number

    _migrate()

    p.refresh_from_db()
    assert p.document_number == document.number
    assert f"决定书文号：{document.number}" in p.body and case.number not in p.body
    indexed = SearchDocument.objects.get(source_type="disclosure.publication", source_id=str(p.pk))
    assert document.number in indexed.body and case.number not in indexed.body
    assert search_count(case.number)[0] == 0
    assert [hit.source_id for hit in search(document.number).items] == [str(p.pk)]


def test_the_migration_empties_the_number_of_a_decision_without_an_issued_document(world: Any) -> None:
    case = decide_simple(world)
    published = _as_stored_before_the_fix(publish(world, case), case)
    draft_case = decide_simple(world)
    draft = _as_stored_before_the_fix(publication_of(draft_case), draft_case)

    _migrate()

    for p, c in ((published, case), (draft, draft_case)):
        p.refresh_from_db()
        assert p.document_number == "" and "决定书文号" not in p.body and c.number not in p.body
        assert p.body.startswith("执法主体：")
    assert not SearchDocument.objects.filter(source_id=str(draft.pk)).exists()  # a draft stays unindexed
    assert search_count(case.number)[0] == 0


def test_a_publication_already_right_is_left_alone_and_a_second_run_changes_nothing(world: Any) -> None:
    right = decide_simple(world)
    case_services.document_issue(actor=world.officer_user, case=right, doc_type="decision")
    right_p = publish(world, right)
    wrong = decide_simple(world)
    _as_stored_before_the_fix(publish(world, wrong), wrong)
    before = Publication.objects.values("body", "updated_at").get(pk=right_p.pk)

    first = renumber_publications(
        Publication, apps.get_model("cases", "CaseDocument"), SearchDocument, connection
    )
    second = renumber_publications(
        Publication, apps.get_model("cases", "CaseDocument"), SearchDocument, connection
    )

    assert [pk for pk, _old, _new in first] == [publication_of(wrong).pk]
    assert first[0][1:] == (wrong.number, "")
    assert second == []
    assert Publication.objects.values("body", "updated_at").get(pk=right_p.pk) == before


def test_the_number_line_sits_after_the_agency_line_as_the_service_writes_it() -> None:
    body = "执法主体：测县市场监督管理局\n当事人：某公司\n决定日期：2025年03月03日"
    numbered = body_with_number(body, "测市监罚〔2025〕1号")
    assert numbered.split("\n")[1] == "决定书文号：测市监罚〔2025〕1号"
    assert body_with_number(body_with_number(numbered, "测市监立〔2025〕9号"), "") == body
