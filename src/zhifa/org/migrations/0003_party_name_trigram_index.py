"""PostgreSQL only: a trigram GIN index so that party search by a name fragment of 3+ characters does not scan.

SQLite has no such index type and is left as it is (the embedded default serves one county). pg_trgm is a
trusted contrib extension since PostgreSQL 13, so the database owner can create it.
"""

from django.db import migrations


def forward(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    schema_editor.execute(
        "CREATE INDEX IF NOT EXISTS org_party_name_trgm ON org_party USING gin (name gin_trgm_ops)"
    )


def backward(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("DROP INDEX IF EXISTS org_party_name_trgm")


class Migration(migrations.Migration):
    dependencies = [("org", "0002_domains_and_append_only_history")]
    operations = [migrations.RunPython(forward, backward)]
