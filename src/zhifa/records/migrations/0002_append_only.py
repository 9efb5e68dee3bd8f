from django.db import migrations

from zhifa.core.appendonly import append_only_operations


def create_head(apps, schema_editor):
    apps.get_model("records", "LedgerHead").objects.get_or_create(pk=1, defaults={"size": 0})


class Migration(migrations.Migration):
    dependencies = [("records", "0001_ledger")]
    operations = [
        migrations.RunPython(*append_only_operations("records_ledgerentry")),
        migrations.RunPython(*append_only_operations("records_ledgernode")),
        migrations.RunPython(*append_only_operations("records_ledgermeta")),
        migrations.RunPython(*append_only_operations("records_signedtreehead")),
        migrations.RunPython(create_head, migrations.RunPython.noop),
    ]
