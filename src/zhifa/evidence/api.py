"""Evidence API under /api/evidence/: upload (multipart, streamed), list, detail, download, access history,
and a resumable upload for large video (POST /uploads, PUT chunks with Content-Range, POST …/complete)."""

from __future__ import annotations

import datetime as dt
import re
import uuid

from django.http import FileResponse
from ninja import Router, Schema
from ninja.decorators import decorate_view
from pydantic import Field, ValidationError

from zhifa.core.apitypes import BigInt, Id, Reason, ShortText
from zhifa.core.errors import InvalidInput
from zhifa.evidence import selectors, services
from zhifa.evidence.models import AccessPurpose, Evidence, EvidenceKind, Stage
from zhifa.evidence.responses import file_response
from zhifa.evidence.uploads import uploaded_evidence, use_evidence_upload_handler
from zhifa.org.http import AuthenticatedHttpRequest
from zhifa.org.schemas import READ_ERRORS, WRITE_ERRORS

router = Router(tags=["evidence"])


class EvidenceMetaIn(Schema):
    kind: EvidenceKind
    object_type: str = Field(max_length=100)
    object_id: str = Field(max_length=64)
    stage: Stage
    description: str = Field("", max_length=500)
    captured_at: dt.datetime | None = None
    place: str = Field("", max_length=200)


class EvidenceOut(Schema):
    id: int
    kind: str
    original_filename: str
    content_type: str
    size_bytes: int
    sm3: str
    sha256: str
    storage_key: str
    uploaded_by_id: int
    uploaded_at: dt.datetime
    agency_id: int
    object_type: str
    object_id: str
    stage: str
    description: str
    captured_at: dt.datetime | None
    place: str


class AccessOut(Schema):
    id: int
    at: dt.datetime
    actor_id: int
    actor_name: str
    object_type: str
    object_id: str
    purpose: str
    reason: str


class UploadStartIn(EvidenceMetaIn):
    filename: str = Field(max_length=255, min_length=1)
    total_bytes: BigInt


class UploadSessionOut(Schema):
    id: uuid.UUID
    total_bytes: int
    received_bytes: int
    evidence_id: int | None = None


def _meta(data: dict[str, str]) -> EvidenceMetaIn:
    try:
        return EvidenceMetaIn.model_validate({k: v for k, v in data.items() if v != "" or k == "description"})
    except ValidationError as exc:
        first = exc.errors()[0]
        field = ".".join(str(p) for p in first.get("loc", ()))
        raise InvalidInput(
            f"输入不合法：{field} {first.get('msg', '')}",
            f"Invalid input: {field} {first.get('msg', '')}",
            field=field,
        ) from None


_MULTIPART_BODY = {
    "requestBody": {
        "content": {
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "required": ["file", "kind", "object_type", "object_id", "stage"],
                    "properties": {
                        "file": {"type": "string", "format": "binary"},
                        "kind": {"type": "string", "enum": list(EvidenceKind.values)},
                        "object_type": {"type": "string"},
                        "object_id": {"type": "string"},
                        "stage": {"type": "string", "enum": list(Stage.values)},
                        "description": {"type": "string"},
                        "captured_at": {"type": "string", "format": "date-time"},
                        "place": {"type": "string"},
                    },
                }
            }
        },
        "required": True,
    }
}


@router.post(
    "/",
    response={201: EvidenceOut, **WRITE_ERRORS},
    openapi_extra=_MULTIPART_BODY,
    summary="上传证据（流式）",
)
@decorate_view(use_evidence_upload_handler)
def upload(request: AuthenticatedHttpRequest) -> tuple[int, Evidence]:
    upload_file = uploaded_evidence(request)
    try:
        meta = _meta(request.POST.dict())
    except InvalidInput:
        upload_file.close()
        raise
    evidence = services.evidence_store(
        actor=request.user,
        upload=upload_file,
        kind=meta.kind,
        object_type=meta.object_type,
        object_id=meta.object_id,
        stage=meta.stage,
        description=meta.description,
        captured_at=meta.captured_at,
        place=meta.place,
    )
    return 201, evidence


@router.get("/", response={200: list[EvidenceOut], **READ_ERRORS}, summary="某一对象的全部证据")
def list_for_object(
    request: AuthenticatedHttpRequest, object_type: ShortText, object_id: ShortText
) -> list[Evidence]:
    return list(selectors.evidence_for(request.user, object_type, object_id))


@router.get("/access", response={200: list[AccessOut], **READ_ERRORS}, summary="调阅记录（执法监督）")
def access_history(request: AuthenticatedHttpRequest, object_type: ShortText, object_id: ShortText) -> list:
    return selectors.access_history(request.user, object_type, object_id, request=request)


# --- resumable upload -----------------------------------------------------------------------------------------

_CONTENT_RANGE = re.compile(r"^bytes (\d+)-(\d+)/(\d+)$")


@router.post("/uploads", response={201: UploadSessionOut, **WRITE_ERRORS}, summary="开始分片上传（断点续传）")
def upload_start(request: AuthenticatedHttpRequest, payload: UploadStartIn) -> tuple[int, object]:
    session = services.upload_session_start(
        actor=request.user,
        filename=payload.filename,
        total_bytes=payload.total_bytes,
        kind=payload.kind,
        object_type=payload.object_type,
        object_id=payload.object_id,
        stage=payload.stage,
        description=payload.description,
        captured_at=payload.captured_at,
        place=payload.place,
    )
    return 201, session


@router.get(
    "/uploads/{session_id}", response={200: UploadSessionOut, **READ_ERRORS}, summary="查询分片上传进度"
)
def upload_status(request: AuthenticatedHttpRequest, session_id: uuid.UUID) -> object:
    return selectors.upload_session_get(request.user, session_id)


@router.put(
    "/uploads/{session_id}",
    response={200: UploadSessionOut, **WRITE_ERRORS},
    summary="上传一个分片（Content-Range）",
)
def upload_chunk(request: AuthenticatedHttpRequest, session_id: uuid.UUID) -> object:
    match = _CONTENT_RANGE.match(request.headers.get("Content-Range", "").strip())
    if match is None:
        raise InvalidInput(
            "缺少或无法解析 Content-Range（应为 bytes 起-止/总）。",
            "Missing or malformed Content-Range (bytes start-end/total).",
            code="content_range_invalid",
        )
    start, end, total = (int(g) for g in match.groups())
    return services.upload_session_append(
        actor=request.user, session_id=session_id, start=start, end=end, total=total, body=request
    )


@router.post(
    "/uploads/{session_id}/complete",
    response={201: EvidenceOut, **WRITE_ERRORS},
    summary="完成分片上传并存证",
)
def upload_complete(request: AuthenticatedHttpRequest, session_id: uuid.UUID) -> tuple[int, Evidence]:
    return 201, services.upload_session_complete(actor=request.user, session_id=session_id)


@router.get("/{evidence_id}", response={200: EvidenceOut, **READ_ERRORS}, summary="证据详情")
def detail(request: AuthenticatedHttpRequest, evidence_id: Id) -> Evidence:
    return selectors.evidence_get(request.user, evidence_id, request=request)


_FILE_BODY = {
    "responses": {
        200: {
            "description": "证据文件（附 X-Evidence-SHA256、X-Evidence-SM3 响应头）",
            "content": {"application/octet-stream": {"schema": {"type": "string", "format": "binary"}}},
        }
    }
}


@router.get(
    "/{evidence_id}/download",
    response=READ_ERRORS,
    openapi_extra=_FILE_BODY,
    summary="下载证据（须说明调阅事由）",
)
def download(request: AuthenticatedHttpRequest, evidence_id: Id, reason: Reason = "") -> FileResponse:
    evidence = services.evidence_access(request.user, evidence_id, AccessPurpose.DOWNLOAD, reason)
    return file_response(evidence, as_attachment=True)
