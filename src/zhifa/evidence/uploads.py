"""Streaming upload: hash (SM3 and SHA-256) while the chunks go to a temporary file, never whole in memory.

``EvidenceUploadHandler`` replaces Django's memory and temporary-file handlers for evidence uploads. It
refuses an upload as soon as it passes ``ZHIFA_EVIDENCE_MAX_BYTES`` (the temporary file is removed at
once) and remembers the refusal so that the view can answer with a clear error. ``hashed_upload_from``
builds the same object from any stream (resumable uploads, commands).
"""

from __future__ import annotations

import functools
import hashlib
from collections.abc import Callable
from typing import IO, Any

from django.conf import settings
from django.core.files import File
from django.core.files.uploadedfile import TemporaryUploadedFile
from django.core.files.uploadhandler import FileUploadHandler, StopUpload
from django.http import HttpRequest

from zhifa.core.errors import DomainError, InvalidInput
from zhifa.evidence.formats import HEAD_BYTES
from zhifa.evidence.storage import CHUNK_BYTES, Digests, hash_chunks, read_chunks

UPLOAD_FIELD = "file"
# Room for the form fields around the file in a multipart body (description, place …).
FORM_OVERHEAD_BYTES = 1024 * 1024


def max_upload_bytes() -> int:
    return int(getattr(settings, "ZHIFA_EVIDENCE_MAX_BYTES", 2 * 1024**3))


def human_bytes(n: int) -> str:
    for unit in ("B", "KiB", "MiB", "GiB", "TiB"):
        if n < 1024 or unit == "TiB":
            return f"{n:g} {unit}" if unit == "B" else f"{n:.1f} {unit}".replace(".0 ", " ")
        n /= 1024  # type: ignore[assignment]
    return str(n)


def too_large_error(limit: int) -> InvalidInput:
    return InvalidInput(
        f"证据文件超过大小上限 {human_bytes(limit)}，未保存。",
        f"The evidence file exceeds the size limit of {limit} bytes; nothing was stored.",
        code="evidence_too_large",
        field=UPLOAD_FIELD,
    )


def missing_error() -> InvalidInput:
    return InvalidInput(
        "请选择要上传的证据文件。",
        "No evidence file was uploaded.",
        code="evidence_missing",
        field=UPLOAD_FIELD,
    )


class HashedUploadedFile(TemporaryUploadedFile):
    """An upload on disk with its digests, size and first bytes, computed while it streamed in."""

    sm3: str = ""
    sha256: str = ""
    head: bytes = b""
    size: int  # counted as the file streams in (Django's UploadedFile allows None)


class _Hasher:
    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.sm3 = hashlib.new("sm3")
        self.sha256 = hashlib.sha256()
        self.size = 0
        self.head = bytearray()
        self.chunks = 0
        self.largest_chunk = 0

    def update(self, chunk: bytes) -> None:
        self.size += len(chunk)
        if self.size > self.limit:
            raise StopUpload(connection_reset=False)
        self.sm3.update(chunk)
        self.sha256.update(chunk)
        if len(self.head) < HEAD_BYTES:
            self.head += chunk[: HEAD_BYTES - len(self.head)]
        self.chunks += 1
        self.largest_chunk = max(self.largest_chunk, len(chunk))

    def finish(self, upload: HashedUploadedFile) -> HashedUploadedFile:
        upload.size = self.size
        upload.sm3 = self.sm3.hexdigest()
        upload.sha256 = self.sha256.hexdigest()
        upload.head = bytes(self.head)
        upload.seek(0)
        return upload


class EvidenceUploadHandler(FileUploadHandler):
    """TemporaryFileUploadHandler semantics plus incremental hashing and the size limit."""

    chunk_size = 256 * 1024

    def __init__(self, request: HttpRequest | None = None, max_bytes: int | None = None) -> None:
        super().__init__(request)
        self.max_bytes = max_bytes if max_bytes is not None else max_upload_bytes()
        self.error: DomainError | None = None
        self.hasher: _Hasher | None = None

    def handle_raw_input(
        self, input_data: Any, META: Any, content_length: int, boundary: Any, encoding: str | None = None
    ) -> None:
        # A body far beyond the limit is refused before a byte of it is written anywhere.
        if content_length > self.max_bytes + FORM_OVERHEAD_BYTES:
            self.error = too_large_error(self.max_bytes)
        return None

    def new_file(self, *args: Any, **kwargs: Any) -> None:
        super().new_file(*args, **kwargs)
        if self.error is not None:
            raise StopUpload(connection_reset=True)
        self.hasher = _Hasher(self.max_bytes)
        self.file = HashedUploadedFile(
            self.file_name, self.content_type, 0, self.charset, self.content_type_extra
        )

    def receive_data_chunk(self, raw_data: bytes, start: int) -> None:
        assert self.hasher is not None
        try:
            self.hasher.update(raw_data)
        except StopUpload:
            self.error = too_large_error(self.max_bytes)
            raise
        self.file.write(raw_data)
        return None

    def file_complete(self, file_size: int) -> HashedUploadedFile:
        assert self.hasher is not None
        return self.hasher.finish(self.file)

    def upload_interrupted(self) -> None:
        if hasattr(self, "file"):
            self.file.close()


def use_evidence_upload_handler(view: Callable[..., Any]) -> Callable[..., Any]:
    """Install the evidence handler before anything reads the body (CSRF checks and Ninja parse it)."""

    @functools.wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        request.upload_handlers = [EvidenceUploadHandler(request)]
        return view(request, *args, **kwargs)

    return wrapped


def uploaded_evidence(request: HttpRequest) -> HashedUploadedFile:
    """The hashed upload of this request, or the clear refusal the handler recorded."""
    files = request.FILES
    handler = next((h for h in request.upload_handlers if isinstance(h, EvidenceUploadHandler)), None)
    if handler is None:
        raise RuntimeError("evidence uploads need use_evidence_upload_handler on the view")
    if handler.error is not None:
        raise handler.error
    upload = files.get(UPLOAD_FIELD)
    if not isinstance(upload, HashedUploadedFile):
        raise missing_error()
    return upload


class HashedLocalFile(File):
    """A file already on local disk (an assembled resumable upload), hashed in place, not copied."""

    def __init__(self, path: str, name: str, digests: Digests, head: bytes) -> None:
        super().__init__(open(path, "rb"), name=name)  # noqa: SIM115 - closed by the evidence service
        self._path = path
        self.size = digests.size_bytes
        self.sm3 = digests.sm3
        self.sha256 = digests.sha256
        self.head = head

    def temporary_file_path(self) -> str:
        return self._path


def hashed_file_at(path: str, name: str) -> HashedLocalFile:
    with open(path, "rb") as fh:
        head = fh.read(HEAD_BYTES)
        fh.seek(0)
        digests = hash_chunks(read_chunks(fh))
    return HashedLocalFile(path, name, digests, head)


def hashed_upload_from(
    stream: IO[bytes],
    filename: str,
    content_type: str = "application/octet-stream",
    max_bytes: int | None = None,
) -> HashedUploadedFile:
    """Copy a stream to a temporary file, hashing as it goes; the caller closes (and so removes) it."""
    limit = max_bytes if max_bytes is not None else max_upload_bytes()
    hasher = _Hasher(limit)
    upload = HashedUploadedFile(filename, content_type, 0, None)
    try:
        while chunk := stream.read(CHUNK_BYTES):
            try:
                hasher.update(chunk)
            except StopUpload:
                raise too_large_error(limit) from None
            upload.write(chunk)
    except BaseException:
        upload.close()
        raise
    return hasher.finish(upload)
