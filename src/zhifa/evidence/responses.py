"""Streaming an evidence file to the reader (after the retrieval has been recorded)."""

from __future__ import annotations

from django.http import FileResponse

from zhifa.evidence.models import Evidence
from zhifa.evidence.storage import evidence_storage

FILE_BLOCK_BYTES = 1024 * 1024


def file_response(evidence: Evidence, *, as_attachment: bool) -> FileResponse:
    fh = evidence_storage().open(evidence.storage_key, "rb")
    response = FileResponse(
        fh,
        as_attachment=as_attachment,
        filename=evidence.original_filename,
        content_type=evidence.content_type,
    )
    response.block_size = FILE_BLOCK_BYTES
    # Uploaded content is shown, never run: no scripts, no plugins, even if a browser sniffs it as HTML.
    response["Content-Security-Policy"] = "sandbox; default-src 'none'; img-src 'self'; media-src 'self'"
    response["X-Evidence-SHA256"] = evidence.sha256
    response["X-Evidence-SM3"] = evidence.sm3
    return response
