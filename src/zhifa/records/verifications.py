"""账本校验记录 — the outcome of every ``zhifa ledger verify`` run, kept append-only for the status page.

The models live here rather than in ``models.py`` (another engineer's file); ``RecordsConfig.ready`` imports
this module so that Django registers them. Migration ``records/0003`` creates the verification table and its
append-only triggers, ``records/0004`` the checkpoints (``LedgerCheckpoint``) the incremental job starts from.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db import models, transaction

from zhifa.core import clock
from zhifa.records import signing
from zhifa.records.models import SignedTreeHead
from zhifa.records.selectors import ledger_algorithm, ledger_pending_count, ledger_root, ledger_size


class LedgerVerification(models.Model):
    """账本校验记录 — one run of the full verification: when, what it covered, whether everything held."""

    finished_at = models.DateTimeField("完成时间", db_index=True)
    duration_ms = models.PositiveBigIntegerField("耗时（毫秒）")
    ok = models.BooleanField("全部成立")
    size = models.BigIntegerField("账本记录数")
    hash_algorithm = models.CharField("哈希算法", max_length=16, blank=True)
    entries_checked = models.BigIntegerField("校验记录数")
    nodes_checked = models.BigIntegerField("校验节点数")
    signed_heads_checked = models.BigIntegerField("校验签名树头数")
    evidence_checked = models.BigIntegerField("校验证据文件数", null=True, blank=True)
    failure_count = models.PositiveIntegerField("问题数", default=0)
    first_failure = models.TextField("首个问题", blank=True)

    class Meta:
        app_label = "records"
        verbose_name = "账本校验记录"
        verbose_name_plural = verbose_name
        ordering = ["-id"]

    def __str__(self) -> str:
        return f"{self.finished_at:%Y-%m-%d %H:%M:%S} {'通过' if self.ok else '未通过'}"


class LedgerCheckpoint(models.Model):
    """账本校验检查点 — a (size, root) a verification run recomputed and found sound.

    The full run (daily) and the incremental run (every few minutes) each add one when they pass; the
    incremental run starts from the newest.  Append-only, like the runs themselves.
    """

    class Kind(models.TextChoices):
        FULL = "full", "全量校验"
        RECENT = "recent", "增量校验"

    verified_at = models.DateTimeField("校验时间")
    kind = models.CharField("校验方式", max_length=8, choices=Kind.choices)
    tree_size = models.BigIntegerField("树大小")
    root = models.CharField("根哈希（十六进制）", max_length=128)
    signed_head_id = models.BigIntegerField("已校验的最新签名树头", default=0)

    class Meta:
        app_label = "records"
        verbose_name = "账本校验检查点"
        verbose_name_plural = verbose_name
        ordering = ["-id"]

    def __str__(self) -> str:
        return f"{self.tree_size} @ {self.verified_at:%Y-%m-%d %H:%M:%S} ({self.get_kind_display()})"


def checkpoint_record(result: Any, kind: str) -> LedgerCheckpoint | None:
    """Keep a passed run's (size, root) as the next incremental run's starting point; nothing for a failed
    run, or when the run saw nothing the newest checkpoint does not already cover."""
    if not result.ok or (not result.root and result.size):
        return None
    latest = latest_checkpoint()
    if (
        latest is not None
        and latest.tree_size == result.size
        and latest.signed_head_id >= result.last_signed_head_id
    ):
        return None
    with transaction.atomic():
        return LedgerCheckpoint.objects.create(
            verified_at=clock.now(),
            kind=kind,
            tree_size=result.size,
            root=result.root.hex(),
            signed_head_id=result.last_signed_head_id,
        )


def latest_checkpoint() -> LedgerCheckpoint | None:
    """The newest verified (size, root), or None before the first passed run."""
    return LedgerCheckpoint.objects.order_by("-id").first()


def verification_record(result: Any, *, finished_at: dt.datetime | None = None) -> LedgerVerification:
    """Keep the outcome of one ``verify_ledger`` run (a ``VerificationResult``)."""
    first = result.first_failure
    evidence = result.evidence_checked
    with transaction.atomic():
        return LedgerVerification.objects.create(
            finished_at=finished_at or clock.now(),
            duration_ms=max(0, round(result.duration_s * 1000)),
            ok=result.ok,
            size=result.size,
            hash_algorithm=result.hash_algorithm or "",
            entries_checked=result.entries_checked,
            nodes_checked=result.nodes_checked,
            signed_heads_checked=result.signed_heads_checked,
            evidence_checked=evidence if evidence is None or evidence >= 0 else None,
            failure_count=len(result.failures),
            first_failure=first.text() if first is not None else "",
        )


def latest_verification() -> LedgerVerification | None:
    """The newest verification run (the platform's own health, not any case: no data scope)."""
    return LedgerVerification.objects.order_by("-id").first()


@dataclass(frozen=True)
class LedgerStatus:
    """账本状态 — what the supervisors' status page shows (hashes and counts only, nothing of any case)."""

    size: int
    hash_algorithm: str
    root: str
    key_exists: bool
    public_key_pem: str
    public_key_fingerprint: str
    latest_head: Any  # SignedTreeHead or None
    latest_head_fingerprint: str
    unsigned_entries: int
    recent_heads: list[Any]
    latest_verification: LedgerVerification | None
    recent_verifications: list[LedgerVerification]
    pending: int = 0  # 待排序记录: committed, not yet sequenced


def ledger_status(*, recent: int = 10) -> LedgerStatus:
    """Size, algorithm, root, key, signed heads and verification runs; reads the key without creating it."""
    size = ledger_size()
    key_exists = signing.key_path().exists()
    pem = fingerprint = ""
    if key_exists:
        key = signing.load_signing_key()
        pem, fingerprint = key.public_key_pem, signing.key_fingerprint(key.public_key_raw)
    heads = list(SignedTreeHead.objects.order_by("-id")[:recent])
    latest = heads[0] if heads else None
    runs = list(LedgerVerification.objects.order_by("-id")[:recent])
    return LedgerStatus(
        size=size,
        hash_algorithm=ledger_algorithm(),
        root=ledger_root(size).hex(),
        key_exists=key_exists,
        public_key_pem=pem,
        public_key_fingerprint=fingerprint,
        latest_head=latest,
        latest_head_fingerprint=signing.key_fingerprint(bytes(latest.public_key)) if latest else "",
        unsigned_entries=size - latest.tree_size if latest else size,
        recent_heads=heads,
        latest_verification=runs[0] if runs else None,
        recent_verifications=runs,
        pending=ledger_pending_count(),
    )
