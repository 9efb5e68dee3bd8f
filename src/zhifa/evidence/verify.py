"""Evidence check for ``zhifa ledger verify``: re-hash every stored blob and compare with its record."""

from __future__ import annotations

import itertools
from operator import itemgetter

from zhifa.evidence.models import Evidence
from zhifa.evidence.storage import evidence_storage, hash_chunks, read_chunks


def verify_all() -> list[str]:
    """One line (Chinese / English) per missing or altered evidence file; an empty list when all holds.

    Rows are read in storage-key order so that each distinct blob is streamed once (1 MiB chunks), however
    many evidence rows share it, and memory stays flat however many rows there are.
    """
    storage = evidence_storage()
    rows = Evidence.objects.order_by("storage_key", "id").values_list(
        "storage_key", "id", "original_filename", "sm3", "sha256", "size_bytes"
    )
    problems: list[str] = []
    for key, group in itertools.groupby(rows.iterator(chunk_size=2000), key=itemgetter(0)):
        members = list(group)
        which = "、".join(f"#{pk} {name}" for _, pk, name, *_ in members[:3])
        which += " 等" if len(members) > 3 else ""
        recorded = {tuple(m[3:]) for m in members}
        if len(recorded) > 1:
            problems.append(
                f"共用同一文件的证据记录摘要不一致：{key}（{which}） / "
                f"evidence records of one file disagree: {key}"
            )
            continue
        sm3, sha256, size = recorded.pop()
        if not storage.exists(key):
            problems.append(f"证据文件缺失：{key}（{which}） / evidence file missing: {key}")
            continue
        with storage.open(key, "rb") as fh:
            actual = hash_chunks(read_chunks(fh))
        if (actual.sm3, actual.sha256, actual.size_bytes) != (sm3, sha256, size):
            problems.append(
                f"证据文件被改动：{key}（{which}），记录 SHA-256 {sha256}，实际 {actual.sha256} / "
                f"evidence file altered: {key} (recorded SHA-256 {sha256}, found {actual.sha256})"
            )
    return problems
