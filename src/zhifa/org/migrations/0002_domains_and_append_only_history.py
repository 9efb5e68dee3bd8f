from django.db import migrations

from zhifa.core.appendonly import append_only_operations

DOMAINS = [
    ("market", "市场监管"),
    ("housing", "住房城乡建设"),
    ("commerce", "商务"),
    ("emergency", "应急管理"),
    ("ecology", "生态环境"),
    ("transport", "交通运输"),
    ("agriculture", "农业农村"),
    ("culture_tourism", "文化和旅游"),
    ("health", "卫生健康"),
    ("comprehensive", "综合行政执法"),
    ("natural_resources", "自然资源"),
    ("water", "水利"),
    ("public_security", "公安"),
    ("education", "教育"),
    ("human_resources", "人力资源和社会保障"),
    ("civil_affairs", "民政"),
    ("forestry", "林业"),
    ("taxation", "税务"),
    ("judicial", "司法行政"),
]


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
