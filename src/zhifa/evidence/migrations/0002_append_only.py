from django.db import migrations

from zhifa.core.appendonly import append_only_operations


class Migration(migrations.Migration):
    """Evidence rows and the access log (调阅记录) are never changed or deleted."""

    dependencies = [("evidence", "0001_initial")]
    operations = [
        migrations.RunPython(*append_only_operations("evidence_evidence")),
        migrations.RunPython(*append_only_operations("evidence_accesslog")),
    ]
