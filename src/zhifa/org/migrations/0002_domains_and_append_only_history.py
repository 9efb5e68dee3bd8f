from django.db import migrations

from zhifa.core.appendonly import append_only_operations
from zhifa.org.domains import DOMAINS



def seed(apps, schema_editor):
    Domain = apps.get_model("org", "Domain")
    for sort, (code, name) in enumerate(DOMAINS):
        Domain.objects.update_or_create(code=code, defaults={"name": name, "sort": sort})


def unseed(apps, schema_editor):
    apps.get_model("org", "Domain").objects.filter(code__in=[c for c, _ in DOMAINS]).delete()


class Migration(migrations.Migration):
    dependencies = [("org", "0001_initial")]
    operations = [
        migrations.RunPython(seed, unseed),
        migrations.RunPython(*append_only_operations("org_certificateevent")),
    ]
