"""The ledger's periodic jobs for ``zhifa worker``: integrating pending entries (待排序记录入账), signing the head
(签名树头) and the verification (账本校验)."""

from __future__ import annotations

from zhifa.core.jobs import register_job
from zhifa.records import selectors, services
from zhifa.records.verifications import verification_record
from zhifa.records.verify import verify_ledger


class LedgerVerificationFailed(Exception):
    """The verification found a problem: the job is recorded as failed (and the run kept for the status page)."""


def ledger_sign_job() -> str:
    """Sign the current head when entries arrived since the newest signed head (quiet hours included)."""
    size = selectors.ledger_size()
    latest = selectors.latest_signed_head()
    if latest is not None and latest.tree_size >= size:
        return f"无新记录，最近签名树头大小 {latest.tree_size}"
    head = services.ledger_sign()
    return f"已签名树头：大小 {head.tree_size}"


def ledger_integrate_job() -> str:
    """待排序记录入账: entries whose integration after commit did not happen (the head was busy and its holder
    rolled back, or the process ended) are sequenced here, within one worker tick."""
    count = services.ledger_integrate()
    return f"已入账待排序记录 {count} 条" if count else "无待排序记录"


def ledger_verify_job() -> str:
    """``zhifa ledger verify``: recompute the whole ledger and keep the run (the status page lists it)."""
    result = verify_ledger()
    verification_record(result)
    first = result.first_failure
    if first is not None:
        raise LedgerVerificationFailed(
            f"账本校验未通过（{len(result.failures)} 个问题），首个：{first.text()}"
        )
    return f"账本校验通过：记录 {result.entries_checked} 条，签名树头 {result.signed_heads_checked} 个"


def register() -> None:
    register_job("ledger_integrate", 15, ledger_integrate_job, label="待排序记录入账")
    register_job("ledger_sign", 600, ledger_sign_job, label="签名账本树头")
    register_job("ledger_verify", 86400, ledger_verify_job, label="账本全量校验", lease_s=6 * 3600)
