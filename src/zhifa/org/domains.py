"""The enforcement domains (执法领域) the platform knows from its first migration."""

from __future__ import annotations

DOMAINS: list[tuple[str, str]] = [
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


def ensure_domains() -> None:
    """Create any missing domain rows (after a test flush, or on a database built without migrations)."""
    # local import: migration 0002 imports DOMAINS from here and must not load the current models
    from zhifa.org.models import Domain

    existing = set(Domain.objects.values_list("code", flat=True))
    Domain.objects.bulk_create(
        [Domain(code=c, name=n, sort=i) for i, (c, n) in enumerate(DOMAINS) if c not in existing]
    )
