"""案件证据包 — a zip that lets a court or reviewer verify an object's full-process record offline.

``zhifa ledger export-case CASE [--out FILE]`` writes:

* ``manifest.json`` — the object, export time, tree size, hash algorithm, the public key (PEM and SHA-256
  fingerprint), the signed tree head with its signature, the list of entry ``seq`` numbers and of evidence
  files, and an *export statement* signed with the same key (so that removing an entry or a file from the
  bundle is detected);
* ``entries.jsonl`` — every ledger entry of the object and of its evidence items (``evidence.evidence:<id>``),
  with the leaf data exactly as stored, its leaf hash, the stored canonical changes and an inclusion proof
  against the signed head's tree size;
* ``evidence/<sha256><ext>`` — the files, streamed from storage into the zip in 1 MiB chunks;
* ``foreign_evidence`` in the manifest — evidence attached to the object from outside its own agency: listed
  (id, agency, digests) but neither included nor counted;
* ``documents/`` — documents the cases app exposes (:func:`case_documents`; none yet);
* ``verify.py`` — the stand-alone verifier (:mod:`zhifa.records.verifier.standalone`), and ``README.txt``.

It lives in the evidence app (above records, below cases); the cases app, above it, is consulted through
Django's app registry only when installed. ``zhifa ledger export-case`` reaches it through ``zhifa.records.hooks``.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import re
import tempfile
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db.models import Q

from zhifa.core import clock
from zhifa.core.errors import InvalidInput, NotFound, RuleViolation
from zhifa.evidence.required import foreign_evidence, own_evidence
from zhifa.evidence.services import access_record
from zhifa.evidence.storage import evidence_storage
from zhifa.org.models import User
from zhifa.records import signing
from zhifa.records.canonical import canonical_text, iso_utc
from zhifa.records.models import LedgerEntry, SignedTreeHead
from zhifa.records.selectors import latest_signed_head, ledger_inclusion_proof
from zhifa.records.services import ledger_sign
from zhifa.records.verifier import script_bytes

BUNDLE_FORMAT = "zhifa-case-bundle-v1"
STATEMENT_PREFIX = "zhifa-case-bundle-v1\n"
EVIDENCE_TYPE = "evidence.evidence"
CHUNK_BYTES = 1024 * 1024
_IN_BATCH = 500
_OBJECT_SPEC = re.compile(r"^(?P<type>[a-z][a-z0-9_]*\.[a-z][a-z0-9_]*):(?P<id>\S{1,64})$")
_SAFE_EXT = re.compile(r"^\.[a-z0-9]{1,8}$")

README = """zhifa 案件证据包 / zhifa case bundle

校验方法（任何装有 Python 3.8 及以上版本的电脑，无需联网、无需安装其他软件）：
    在解压后的文件夹中运行：python3 verify.py
    核对平台公钥：          python3 verify.py --fingerprint <平台公布的公钥 SHA-256 指纹>
全部检查成立时退出码为 0，并显示“校验通过”；否则逐项列出不成立之处。

To verify (any computer with Python 3.8 or later, offline, nothing to install):
    in the unzipped folder run: python3 verify.py
    pin the platform key:       python3 verify.py --fingerprint <published SHA-256 fingerprint>
Exit status 0 and "VERIFIED" only when every check holds; otherwise each problem is named.

manifest.json   对象、签名树头、公钥、记录与证据清单、签名的导出声明 / object, signed head, key, lists, statement
entries.jsonl   账本记录及其包含证明 / ledger entries with inclusion proofs
evidence/       证据文件（以 SHA-256 命名）/ evidence files named by SHA-256
documents/      文书 / documents
verify.py       校验程序（仅用 Python 标准库）/ verifier (Python standard library only)
"""


@dataclass(frozen=True)
class BundleTarget:
    """The object whose record is exported (``app_label.model`` and primary key as text)."""

    object_type: str
    object_id: str
    label: str


@dataclass(frozen=True)
class BundleDocument:
    """A document to put under ``documents/``: its file name and a way to open it for reading (bytes)."""

    name: str
    open: Callable[[], IO[bytes]]


@dataclass
class BundleSummary:
    path: Path
    target: BundleTarget
    tree_size: int
    entries: int
    evidence_files: int
    evidence_bytes: int
    documents: int
    warnings: list[str] = field(default_factory=list)


# --- which object ------------------------------------------------------------------------------------------------


def _not_found(spec: str) -> NotFound:
    return NotFound(
        f"找不到要导出的对象：{spec}（应为 app_label.model:ID，如 cases.case:12，或案件编号）。",
        f"No object to export: {spec} (give app_label.model:ID such as cases.case:12, or a case number).",
        code="bundle_object_not_found",
    )


def _has_entries(object_type: str, object_id: str) -> bool:
    return LedgerEntry.objects.filter(object_type=object_type, object_id=object_id).exists()


def resolve_target(spec: str) -> BundleTarget:
    """The object ``spec`` names: ``app_label.model:ID``, or (with the cases app) a case number or case id.

    An object whose row is gone but whose record remains in the ledger can still be exported.
    """
    spec = (spec or "").strip()
    match = _OBJECT_SPEC.match(spec)
    if match:
        object_type, object_id = match["type"], match["id"]
        try:
            model = apps.get_model(object_type)
        except (LookupError, ValueError):
            raise InvalidInput(
                f"对象类型无效：{object_type}。",
                f"Unknown object type {object_type}.",
                code="bundle_bad_type",
            ) from None
        try:
            obj = model._default_manager.filter(pk=object_id).first()
        except (ValueError, TypeError, ValidationError):
            obj = None
        if obj is None and not _has_entries(object_type, object_id):
            raise _not_found(spec)
        return BundleTarget(object_type, object_id, str(obj) if obj is not None else "")
    if spec and apps.is_installed("zhifa.cases"):
        case = _case_by_number_or_id(spec)
        if case is not None:
            return BundleTarget(case._meta.label_lower, str(case.pk), str(case))
    raise _not_found(spec)


def _case_by_number_or_id(spec: str) -> Any:
    # the cases app sits above evidence: its model is looked up, not imported (resolve_target asks only when
    # the app is installed)
    Case = apps.get_model("cases", "Case")
    matches = list(Case.objects.filter(number=spec)[:2])
    if len(matches) > 1:
        raise InvalidInput(
            f"案件编号 {spec} 对应多个案件，请用 cases.case:ID 指定。",
            f"Case number {spec} is ambiguous; use cases.case:ID.",
            code="bundle_ambiguous_case",
        )
    if matches:
        return matches[0]
    if spec.isdigit():
        return Case.objects.filter(pk=int(spec)).first()
    return None


# --- what goes in ---------------------------------------------------------------------------------------------------


def case_documents(target: BundleTarget) -> list[BundleDocument]:
    """文书 — documents of the object to include under ``documents/``.

    A hook for the cases app: none are exposed yet, so this returns ``[]``. When the cases app offers a
    selector for an object's generated documents, call it here (lazily imported).
    """
    return []


def _evidence_of(target: BundleTarget) -> tuple[list[Any], list[Any]]:
    """The object's evidence filed under its own agency (in the bundle), and any other (listed as foreign)."""
    own = list(own_evidence(target.object_type, target.object_id).order_by("id"))
    foreign = list(
        foreign_evidence(target.object_type, target.object_id).select_related("agency").order_by("id")
    )
    return own, foreign


def _foreign_json(item: Any) -> dict[str, Any]:
    """A foreign evidence item as listed (not included): which, from which agency, and its digests."""
    return {
        "id": str(item.pk),
        "agency": item.agency.name,
        "agency_id": item.agency_id,
        "original_filename": item.original_filename,
        "kind": item.kind,
        "stage": item.stage,
        "size_bytes": item.size_bytes,
        "sha256": item.sha256,
    }


def _entry_seqs(target: BundleTarget, evidence_ids: list[str]) -> list[int]:
    """Sequence numbers of the object's entries and of its evidence items' entries, in order."""
    seqs: set[int] = set(
        LedgerEntry.objects.filter(object_type=target.object_type, object_id=target.object_id).values_list(
            "seq", flat=True
        )
    )
    for start in range(0, len(evidence_ids), _IN_BATCH):
        batch = evidence_ids[start : start + _IN_BATCH]
        seqs.update(
            LedgerEntry.objects.filter(Q(object_type=EVIDENCE_TYPE, object_id__in=batch)).values_list(
                "seq", flat=True
            )
        )
    return sorted(seqs)


def _covering_head(last_seq: int | None) -> SignedTreeHead:
    """The newest head signed with the current key that covers ``last_seq``; signs a new one if none does."""
    key = signing.load_signing_key()
    head = latest_signed_head()
    covers = head is not None and (last_seq is None or head.tree_size > last_seq)
    if head is None or not covers or bytes(head.public_key) != key.public_key_raw:
        head = ledger_sign()
    return head


def _evidence_name(evidence: Any) -> str:
    ext = Path(evidence.original_filename or "").suffix.lower()
    return f"evidence/{evidence.sha256}{ext if _SAFE_EXT.match(ext) else '.bin'}"


def _head_json(head: SignedTreeHead) -> dict[str, Any]:
    return {
        "tree_size": head.tree_size,
        "root": bytes(head.root).hex(),
        "signed_at": iso_utc(head.signed_at),
        "hash_algorithm": head.hash_algorithm,
        "signature_algorithm": head.signature_algorithm,
        "signature": bytes(head.signature).hex(),
        "signed_message": signing.tree_head_message(
            head.tree_size, bytes(head.root), head.signed_at, head.hash_algorithm
        ).decode(),
    }


def _entry_lines(seqs: list[int], head: SignedTreeHead) -> Iterator[str]:
    """One JSON line per entry, with its inclusion proof against the signed head (checked before writing)."""
    root = bytes(head.root)
    for start in range(0, len(seqs), _IN_BATCH):
        batch = seqs[start : start + _IN_BATCH]
        rows = LedgerEntry.objects.filter(seq__in=batch).order_by("seq")
        for seq, leaf_data, leaf_hash, changes in rows.values_list(
            "seq", "leaf_data", "leaf_hash", "changes"
        ):
            proof = ledger_inclusion_proof(seq, head.tree_size)
            if proof.root != root:
                raise RuleViolation(
                    f"账本与签名树头（大小 {head.tree_size}）不符，不能导出；请运行 zhifa ledger verify。",
                    f"The ledger disagrees with the signed head of size {head.tree_size}; run zhifa ledger verify.",
                    code="bundle_ledger_inconsistent",
                )
            yield (
                canonical_text(
                    {
                        "seq": seq,
                        "leaf_data": leaf_data,
                        "leaf_hash": bytes(leaf_hash).hex(),
                        "changes": changes,
                        "tree_size": proof.tree_size,
                        "proof": [p.hex() for p in proof.proof],
                    }
                )
                + "\n"
            )


def _copy_stream(source: IO[bytes], dest: IO[bytes]) -> tuple[str, str, int]:
    """Copy in 1 MiB chunks, hashing as it goes: (SM3 hex, SHA-256 hex, size)."""
    sm3, sha256, size = hashlib.new("sm3"), hashlib.sha256(), 0
    while chunk := source.read(CHUNK_BYTES):
        sm3.update(chunk)
        sha256.update(chunk)
        dest.write(chunk)
        size += len(chunk)
    return sm3.hexdigest(), sha256.hexdigest(), size


# --- the export ---------------------------------------------------------------------------------------------------


def export_case(
    target: BundleTarget,
    out: Path,
    *,
    actor: User | None = None,
    reason: str = "",
    now: dt.datetime | None = None,
) -> BundleSummary:
    """Write the bundle of ``target`` to ``out`` (atomically: a temporary file renamed into place).

    With ``actor`` (and a ``reason``), the export is first recorded as a retrieval (调阅, purpose ``export``)
    of the object, so the bundle carries the record of its own making.
    """
    if actor is not None:
        access_record(actor, target.object_type, target.object_id, "export", reason)
    evidence, foreign = _evidence_of(target)
    evidence_ids = [str(e.pk) for e in evidence]
    seqs = _entry_seqs(target, evidence_ids)
    head = _covering_head(seqs[-1] if seqs else None)
    key = signing.load_signing_key()
    exported_at = iso_utc(now or clock.now())
    warnings: list[str] = []

    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(dir=out.parent, prefix=".bundle-", suffix=".zip")
    os.close(fd)
    written: dict[str, tuple[str, str, int]] = {}
    documents: list[dict[str, Any]] = []
    try:
        with zipfile.ZipFile(tmp_name, "w", compression=zipfile.ZIP_DEFLATED, allowZip64=True) as zf:
            zf.writestr("verify.py", script_bytes())
            zf.writestr("README.txt", README)
            _write_evidence(zf, evidence, written, warnings)
            zf.writestr(zipfile.ZipInfo("documents/"), b"")
            for doc in case_documents(target):
                name = "documents/" + Path(doc.name).name
                with doc.open() as source, zf.open(_stored(name), "w", force_zip64=True) as dest:
                    sm3, sha256, size = _copy_stream(source, dest)
                documents.append({"name": name, "sm3": sm3, "sha256": sha256, "size_bytes": size})
            with zf.open("entries.jsonl", "w") as dest:
                for line in _entry_lines(seqs, head):
                    dest.write(line.encode("utf-8"))
            manifest = _manifest(target, head, key, exported_at, seqs, evidence, documents, actor, foreign)
            zf.writestr("manifest.json", json.dumps(manifest, ensure_ascii=False, indent=2, sort_keys=True))
        os.replace(tmp_name, out)
    except BaseException:
        Path(tmp_name).unlink(missing_ok=True)
        raise
    return BundleSummary(
        path=out,
        target=target,
        tree_size=head.tree_size,
        entries=len(seqs),
        evidence_files=len(written),
        evidence_bytes=sum(size for _, _, size in written.values()),
        documents=len(documents),
        warnings=warnings,
    )


def _stored(name: str) -> zipfile.ZipInfo:
    """A zip member stored without compression (photos, audio and video are compressed already)."""
    info = zipfile.ZipInfo(name, date_time=clock.now().timetuple()[:6])
    info.compress_type = zipfile.ZIP_STORED
    return info


def _write_evidence(
    zf: zipfile.ZipFile, evidence: list[Any], written: dict[str, tuple[str, str, int]], warnings: list[str]
) -> None:
    """Stream each distinct blob once; a stored file that no longer matches its record is named."""
    if not evidence:
        return

    storage = evidence_storage()
    for item in evidence:
        name = _evidence_name(item)
        if name in written:
            continue
        if not storage.exists(item.storage_key):
            warnings.append(
                f"证据文件缺失：#{item.pk} {item.storage_key} / evidence file missing: {item.storage_key}"
            )
            continue
        with (
            storage.open(item.storage_key, "rb") as source,
            zf.open(_stored(name), "w", force_zip64=True) as dest,
        ):
            written[name] = _copy_stream(source, dest)
        if written[name] != (item.sm3, item.sha256, item.size_bytes):
            warnings.append(
                f"证据文件与存证记录不符：#{item.pk} {item.storage_key} / "
                f"evidence file differs from its record: {item.storage_key}"
            )


def _manifest(
    target: BundleTarget,
    head: SignedTreeHead,
    key: signing.SigningKey,
    exported_at: str,
    seqs: list[int],
    evidence: list[Any],
    documents: list[dict[str, Any]],
    actor: User | None,
    foreign: list[Any] | None = None,
) -> dict[str, Any]:
    items = [
        {
            "id": str(e.pk),
            "file": _evidence_name(e),
            "original_filename": e.original_filename,
            "kind": e.kind,
            "stage": e.stage,
            "content_type": e.content_type,
            "size_bytes": e.size_bytes,
            "sm3": e.sm3,
            "sha256": e.sha256,
        }
        for e in evidence
    ]
    # 外来证据 — evidence attached to the object from outside its agency: named, never included or counted.
    foreign_items = [_foreign_json(e) for e in foreign or []]
    obj = {"type": target.object_type, "id": target.object_id}
    statement = STATEMENT_PREFIX + canonical_text(
        {
            "object": obj,
            "exported_at": exported_at,
            "tree_size": head.tree_size,
            "root": bytes(head.root).hex(),
            "hash_algorithm": head.hash_algorithm,
            "entries": seqs,
            "evidence": [{k: item[k] for k in ("id", "sha256", "sm3", "size_bytes")} for item in items],
            "documents": documents,
            "foreign_evidence": foreign_items,
        }
    )
    public_key = bytes(head.public_key)
    return {
        "format": BUNDLE_FORMAT,
        "object": {**obj, "label": target.label},
        "exported_at": exported_at,
        "exported_by": actor.get_username() if actor is not None else "",
        "tree_size": head.tree_size,
        "hash_algorithm": head.hash_algorithm,
        "public_key_pem": signing.public_key_pem(public_key),
        "public_key_sha256": signing.key_fingerprint(public_key),
        "signed_head": _head_json(head),
        "entries": seqs,
        "evidence": items,
        "documents": documents,
        "foreign_evidence": foreign_items,
        "statement": statement,
        "statement_signature": signing.sign(key, statement.encode("utf-8")).hex(),
    }


def default_bundle_path(target: BundleTarget, now: dt.datetime | None = None) -> Path:
    stamp = (now or clock.now()).astimezone(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
    safe_id = re.sub(r"[^0-9A-Za-z_-]", "_", target.object_id)
    return Path(f"bundle-{target.object_type}-{safe_id}-{stamp}.zip")


def export_command(spec: str, out: str | None, username: str | None, reason: str) -> str:
    """What ``zhifa ledger export-case`` does; returns the line it prints, raises a domain error on refusal.

    A bundle whose evidence files no longer match their records is still written (the verifier names the
    files), but the command then fails so that the operator notices.
    """
    target = resolve_target(spec)
    actor = None
    if username:
        actor = get_user_model().objects.filter(username=username).first()
        if actor is None:
            raise NotFound(f"用户不存在：{username}。", f"No user {username}.", code="bundle_user_not_found")
    summary = export_case(
        target, Path(out) if out else default_bundle_path(target), actor=actor, reason=reason
    )
    line = (
        f"已导出证据包 {summary.path}：记录 {summary.entries} 条，证据文件 {summary.evidence_files} 个"
        f"（{summary.evidence_bytes} 字节），文书 {summary.documents} 份，签名树头大小 {summary.tree_size}"
        f" / bundle written: {summary.entries} entries, {summary.evidence_files} evidence files"
    )
    if summary.warnings:
        raise RuleViolation(
            line + "；但有问题 / with problems: " + "；".join(summary.warnings),
            code="bundle_evidence_altered",
        )
    return line
