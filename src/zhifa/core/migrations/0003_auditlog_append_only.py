from django.db import migrations

from zhifa.core.appendonly import append_only_operations


class Migration(migrations.Migration):
    dependencies = [("core", "0002_initial")]
    operations = [migrations.RunPython(*append_only_operations("core_auditlog"))]
