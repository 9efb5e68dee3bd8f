"""Content-addressed, write-once evidence storage (防删改).

A blob lives at ``sha256/ab/cd/<sha256>``. The storage classes refuse ``delete`` and refuse to write an
existing name unless the new content has the same digest (then the write is a no-op: same content, stored
once). ``storages["evidence"]`` is the local file system by default, S3-compatible object storage when
``ZHIFA_EVIDENCE_STORAGE=s3`` (``zhifa.evidence.storage_s3``).
"""

from __future__ import annotations

import hashlib
import os
import re
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from typing import IO, Any

from django.core.files.storage import FileSystemStorage, Storage, storages

from zhifa.core.errors import RuleViolation

CHUNK_BYTES = 1024 * 1024
CONTENT_ADDRESS_RE = re.compile(r"^sha256/([0-9a-f]{2})/([0-9a-f]{2})/([0-9a-f]{64})$")


def content_address(sha256_hex: str) -> str:
    """The storage key of a blob: ``sha256/ab/cd/abcd…``."""
    if not re.fullmatch(r"[0-9a-f]{64}", sha256_hex):
        raise ValueError(f"not a SHA-256 hex digest: {sha256_hex!r}")
    return f"sha256/{sha256_hex[:2]}/{sha256_hex[2:4]}/{sha256_hex}"


@dataclass(frozen=True)
class Digests:
    sm3: str
    sha256: str
    size_bytes: int


def hash_chunks(chunks: Iterable[bytes]) -> Digests:
    sm3, sha256, size = hashlib.new("sm3"), hashlib.sha256(), 0
    for chunk in chunks:
        sm3.update(chunk)
        sha256.update(chunk)
        size += len(chunk)
    return Digests(sm3.hexdigest(), sha256.hexdigest(), size)


def read_chunks(fileobj: IO[bytes] | Any, chunk_bytes: int = CHUNK_BYTES) -> Iterable[bytes]:
    while chunk := fileobj.read(chunk_bytes):
        yield chunk


def _content_chunks(content: Any) -> Iterable[bytes]:
    if hasattr(content, "seek"):
        content.seek(0)
    if hasattr(content, "chunks"):
        yield from content.chunks(CHUNK_BYTES)
    else:
        yield from read_chunks(content)


def _refuse(message: str, message_en: str, code: str) -> RuleViolation:
    return RuleViolation(message, message_en, code=code)


class WriteOnceMixin:
    """Never delete, never overwrite: an existing name accepts only identical content."""

    def delete(self, name: str) -> None:
        raise _refuse(
            f"证据文件不得删除：{name}", f"Evidence files are never deleted: {name}", "evidence_immutable"
        )

    def get_available_name(self, name: str, max_length: int | None = None) -> str:
        # Never rename: a content address is the name, and a clash must reach _save to be checked.
        return name

    def _confirm_identical(self, name: str, content: Any) -> str:
        storage: Storage = self  # type: ignore[assignment]
        with storage.open(name, "rb") as existing:
            stored = hash_chunks(read_chunks(existing))
        incoming = hash_chunks(_content_chunks(content))
        if (stored.sha256, stored.size_bytes) != (incoming.sha256, incoming.size_bytes):
            raise _refuse(
                f"证据文件不得覆盖：{name} 已存在且内容不同。",
                f"Evidence files are never overwritten: {name} exists with different content.",
                "evidence_overwrite_refused",
            )
        return name


def _expected_sha256(name: str) -> str | None:
    match = CONTENT_ADDRESS_RE.match(name)
    return match.group(3) if match else None


class EvidenceFileSystemStorage(WriteOnceMixin, FileSystemStorage):
    """Local evidence files under ``ZHIFA_DATA_DIR/evidence``, written atomically and made read-only.

    A blob is written to a temporary name beside its final place (or hard-linked from the upload's
    temporary file when both are on one file system), synced, then linked to its content address: a crash
    never leaves a half-written file under a content address, and ``link`` fails rather than replace.
    """

    def _save(self, name: str, content: Any) -> str:
        full_path = self.path(name)
        if os.path.exists(full_path):
            return self._confirm_identical(name, content)
        directory = os.path.dirname(full_path)
        os.makedirs(directory, exist_ok=True)
        expected = _expected_sha256(name)
        if self._link_from_temporary(full_path, content, expected):
            return name
        staging = os.path.join(directory, f".incoming-{uuid.uuid4().hex}")
        try:
            sha256 = hashlib.sha256()
            fd = os.open(staging, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o600)
            with os.fdopen(fd, "wb") as out:
                for chunk in _content_chunks(content):
                    sha256.update(chunk)
                    out.write(chunk)
                out.flush()
                os.fsync(out.fileno())
            if expected is not None and sha256.hexdigest() != expected:
                raise _refuse(
                    f"内容与存储地址不符：{name}",
                    f"Content does not match its address: {name}",
                    "evidence_address_mismatch",
                )
            os.chmod(staging, 0o444)
            try:
                os.link(staging, full_path)
            except FileExistsError:
                return self._confirm_identical(name, content)
        finally:
            if os.path.exists(staging):
                os.unlink(staging)
        return name

    def _link_from_temporary(self, full_path: str, content: Any, expected: str | None) -> bool:
        """Hard-link an upload's temporary file into place when its digest is known and it is local."""
        temporary_path = getattr(content, "temporary_file_path", None)
        known = getattr(content, "sha256", None)
        if temporary_path is None or not known or (expected is not None and known != expected):
            return False
        path = temporary_path()
        with open(path, "rb") as fh:
            os.fsync(fh.fileno())
        try:
            os.link(path, full_path)
        except FileExistsError:
            self._confirm_identical(self.path_to_name(full_path), content)
            return True
        except OSError:  # another file system (EXDEV) or no hard links here: copy instead
            return False
        os.chmod(full_path, 0o444)
        return True

    def path_to_name(self, full_path: str) -> str:
        return os.path.relpath(full_path, self.location).replace(os.sep, "/")


def evidence_storage() -> Storage:
    return storages["evidence"]
