from typing import Any

from django.db import migrations

from zhifa.evidence.required_defaults import ensure_default_rules


def seed_defaults(apps: Any, schema_editor: Any) -> None:
    ensure_default_rules(apps.get_model("evidence", "RequiredRecordRule"))


class Migration(migrations.Migration):
    """执法记录要求清单 — the defaults from the seed plans and national law (zhifa.evidence.required_defaults)."""

    dependencies = [("evidence", "0003_required_record_rule")]
    operations = [migrations.RunPython(seed_defaults, migrations.RunPython.noop)]
