"""公示全文检索 — the index of public documents (decisions and results already published and desensitised)."""

from __future__ import annotations

from django.db import models

from zhifa.core.fields import ClockDateTimeField


class SearchDocument(models.Model):
    """检索文档 — one public document as the public may read it, with its tokens.

    The full-text index beside it is the database's own: an FTS5 table ``search_fts`` (SQLite, rowid = id)
    or a generated ``tsv`` column with a GIN index (PostgreSQL); both are created in migration 0002.
    """

    id = models.BigAutoField(primary_key=True)
    source_type = models.CharField("来源类型", max_length=40)
    source_id = models.CharField("来源编号", max_length=64)
    agency = models.ForeignKey(
        "org.Agency", null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name="机关"
    )
    domain = models.CharField("领域代码", max_length=32, blank=True)
    kind = models.CharField("类别", max_length=32, blank=True)
    date = models.DateField("日期")
    title = models.CharField("标题", max_length=300)
    party = models.CharField("当事人（已脱敏）", max_length=200, blank=True)
    body = models.TextField("正文（已脱敏）", blank=True)
    tokens = models.TextField("分词", blank=True)
    indexed_at = ClockDateTimeField("索引时间", auto_now=True)

    class Meta:
        verbose_name = "检索文档"
        verbose_name_plural = verbose_name
        constraints = [
            models.UniqueConstraint(fields=["source_type", "source_id"], name="search_doc_source_unique"),
        ]
        indexes = [
            models.Index(fields=["-date", "-id"], name="search_doc_date_idx"),
            models.Index(fields=["agency", "-date", "-id"], name="search_doc_agency_date_idx"),
            models.Index(fields=["domain", "-date", "-id"], name="search_doc_domain_date_idx"),
            models.Index(fields=["kind", "-date", "-id"], name="search_doc_kind_date_idx"),
        ]

    def __str__(self) -> str:
        return self.title
