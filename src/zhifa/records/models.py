"""Tables of the full-process record (执法全过程记录): an append-only ledger kept as an RFC 6962 Merkle tree.

* :class:`LedgerEntry` — one row per recorded state change, ``seq`` 0, 1, 2 … without gaps.
* :class:`LedgerNode` — the hash of every *complete aligned* subtree (level ``j``, index ``i`` covers the
  entries ``[i * 2**j, (i + 1) * 2**j)``), written when it completes, so that the root and any proof cost
  O(log n) reads (see :mod:`zhifa.records.merkle`).
* :class:`LedgerMeta` — the hash algorithm, fixed at the first entry.
* :class:`LedgerHead` — the one row whose lock serialises *sequencing*; it holds the current size.
* :class:`LedgerPending` — entries written by a business transaction that found the head row busy: committed
  with that transaction, then given their ``seq`` and integrated into the tree in batches
  (:func:`zhifa.records.services.ledger_integrate`), as Trillian's and Tessera's logs sequence first and
  integrate after.
* :class:`SignedTreeHead` — every signed (size, root, time, algorithm).

Database triggers (migration 0002) refuse UPDATE and DELETE (and TRUNCATE on PostgreSQL) on entries, nodes,
meta and signed heads.  Only the head row changes.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models


class LedgerMeta(models.Model):
    """账本参数 — written once, with the first entry; never changed."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    hash_algorithm = models.CharField("哈希算法", max_length=16)
    created_at = models.DateTimeField("创建时间")

    class Meta:
        verbose_name = "账本参数"
        verbose_name_plural = verbose_name

    def __str__(self) -> str:
        return self.hash_algorithm


class LedgerHead(models.Model):
    """账本头 — the single row locked (SELECT … FOR UPDATE) by every append; ``size`` is the entry count."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    size = models.BigIntegerField("记录数", default=0)

    class Meta:
        verbose_name = "账本头"
        verbose_name_plural = verbose_name

    def __str__(self) -> str:
        return str(self.size)


class LedgerPending(models.Model):
    """待排序记录 — an entry committed with its business transaction but not yet given a ``seq``.

    The integrator moves these rows, oldest ``id`` first, into :class:`LedgerEntry` (and the tree) under the
    head lock, in short transactions of their own, and deletes them there.  A trigger refuses UPDATE: what the
    business transaction recorded is what gets sequenced.
    """

    id = models.BigAutoField(primary_key=True)
    at = models.DateTimeField("记录时间")
    occurred_at = models.DateTimeField("发生时间", null=True, blank=True)
    actor_id = models.BigIntegerField("操作用户", null=True, blank=True)
    actor_username = models.CharField("操作用户名", max_length=150, blank=True)
    officer_id = models.BigIntegerField("执法人员", null=True, blank=True)
    officer_name = models.CharField("执法人员姓名", max_length=50, blank=True)
    action = models.CharField("动作", max_length=64)
    object_type = models.CharField("对象类型", max_length=100)
    object_id = models.CharField("对象标识", max_length=64)
    place = models.CharField("地点", max_length=200, blank=True)
    changes = models.TextField("变更内容（规范化 JSON）")

    class Meta:
        verbose_name = "待排序记录"
        verbose_name_plural = verbose_name
        ordering = ["id"]

    def __str__(self) -> str:
        return f"待排序 {self.id} {self.action} {self.object_type}:{self.object_id}"


class LedgerEntry(models.Model):
    """执法全过程记录条目 — one state change of an enforcement act, review, inspection or supervision step."""

    seq = models.BigIntegerField("序号", primary_key=True)
    at = models.DateTimeField("记录时间")
    occurred_at = models.DateTimeField("发生时间", null=True, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
        verbose_name="操作用户",
    )
    actor_username = models.CharField("操作用户名", max_length=150, blank=True)
    officer = models.ForeignKey(
        "org.Officer",
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
        verbose_name="执法人员",
    )
    officer_name = models.CharField("执法人员姓名", max_length=50, blank=True)
    action = models.CharField("动作", max_length=64)
    object_type = models.CharField("对象类型", max_length=100)
    object_id = models.CharField("对象标识", max_length=64)
    place = models.CharField("地点", max_length=200, blank=True)
    changes = models.TextField("变更内容（规范化 JSON）")
    changes_digest = models.CharField("变更摘要", max_length=64)
    leaf_data = models.TextField("叶子数据（规范化 JSON）")
    leaf_hash = models.BinaryField("叶子哈希", max_length=32)

    class Meta:
        verbose_name = "执法全过程记录"
        verbose_name_plural = verbose_name
        ordering = ["seq"]
        indexes = [models.Index(fields=["object_type", "object_id", "seq"], name="records_entry_object")]

    def __str__(self) -> str:
        return f"#{self.seq} {self.action} {self.object_type}:{self.object_id}"


class LedgerNode(models.Model):
    """默克尔树节点 — hash of the complete aligned subtree ``[index * 2**level, (index + 1) * 2**level)``."""

    pk = models.CompositePrimaryKey("level", "index")
    level = models.PositiveSmallIntegerField("层")
    index = models.BigIntegerField("位置")
    hash = models.BinaryField("哈希", max_length=32)

    class Meta:
        verbose_name = "默克尔树节点"
        verbose_name_plural = verbose_name

    def __str__(self) -> str:
        return f"L{self.level}#{self.index}"


class SignedTreeHead(models.Model):
    """签名树头 — the platform's signature over (tree size, root, time, algorithm); every one is kept."""

    tree_size = models.BigIntegerField("树大小")
    root = models.BinaryField("根哈希", max_length=32)
    signed_at = models.DateTimeField("签名时间", db_index=True)
    hash_algorithm = models.CharField("哈希算法", max_length=16)
    signature_algorithm = models.CharField("签名算法", max_length=16)
    public_key = models.BinaryField("公钥")
    signature = models.BinaryField("签名")

    class Meta:
        verbose_name = "签名树头"
        verbose_name_plural = verbose_name
        ordering = ["-id"]

    def __str__(self) -> str:
        return f"{self.tree_size} @ {self.signed_at:%Y-%m-%d %H:%M:%S}"
