"""The database's own full-text index over ``SearchDocument.tokens`` — no extension on either backend.

SQLite: an FTS5 table ``search_fts`` whose rowid is the document id; the tokens are already segmented by the
app, and ``unicode61`` splits them at the spaces (CJK characters are token characters to it).

PostgreSQL: a generated column ``tsv`` built with ``array_to_tsvector`` (the tokens become lexemes exactly as
they are — no parser, so no dependence on the database's locale, which in a ``C`` locale would drop CJK
characters) and a GIN index on it.
"""

from django.db import migrations

SQLITE_UP = "CREATE VIRTUAL TABLE IF NOT EXISTS search_fts USING fts5(tokens, tokenize = 'unicode61')"
SQLITE_DOWN = "DROP TABLE IF EXISTS search_fts"

PG_UP = [
    """ALTER TABLE search_searchdocument ADD COLUMN IF NOT EXISTS tsv tsvector GENERATED ALWAYS AS (
        CASE WHEN btrim(tokens) = '' THEN ''::tsvector
        ELSE array_to_tsvector(regexp_split_to_array(btrim(tokens), '\\s+')) END
    ) STORED""",
    "CREATE INDEX IF NOT EXISTS search_doc_tsv_gin ON search_searchdocument USING gin (tsv)",
]
PG_DOWN = [
    "DROP INDEX IF EXISTS search_doc_tsv_gin",
    "ALTER TABLE search_searchdocument DROP COLUMN IF EXISTS tsv",
]


def forward(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        schema_editor.execute(SQLITE_UP)
    elif vendor == "postgresql":
        for sql in PG_UP:
            schema_editor.execute(sql)


def backward(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        schema_editor.execute(SQLITE_DOWN)
    elif vendor == "postgresql":
        for sql in PG_DOWN:
            schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [("search", "0001_initial")]
    operations = [migrations.RunPython(forward, backward)]
