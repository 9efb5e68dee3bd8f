"""决定书文号 of publications stored before issue 16: the issued decision document's number, not the 立案 number.

A data migration (not a command an operator may forget): the wrong number is on the public portal, in the
exports and in the search index of every database published before the fix. It touches only derived,
public copies — the publication's ``document_number`` and ``body`` and its search document — set to what
the publishing service writes today from the case's issued 行政处罚决定书 (不予行政处罚决定书), which the
ledger already records (``case.document_issue``). See ``zhifa.disclosure.renumber``.
"""

from typing import Any

from django.db import migrations

from zhifa.disclosure.renumber import renumber_publications


def forward(apps: Any, schema_editor: Any) -> None:
    renumber_publications(
        apps.get_model("disclosure", "Publication"),
        apps.get_model("cases", "CaseDocument"),
        apps.get_model("search", "SearchDocument"),
        schema_editor.connection,
    )


class Migration(migrations.Migration):
    dependencies = [
        ("disclosure", "0003_licensing_fields"),
        ("cases", "0005_case_number_stage_indexes"),
        ("search", "0002_fulltext"),
    ]
    # backwards: nothing to undo — the 立案 number was never the decision's 文号
    operations = [migrations.RunPython(forward, migrations.RunPython.noop)]
