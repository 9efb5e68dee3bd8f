"""The JSON API (Django Ninja) under /api/, OpenAPI at /api/openapi.json.

Each app contributes a router in ``<app>/api.py``; domain errors become ``{code, message, message_en}``.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError

from zhifa.caselib.api import router as caselib_router
from zhifa.cases.api import router as cases_router
from zhifa.catalog.api import router as catalog_router
from zhifa.channels.api import router as channels_router
from zhifa.complaints.api import router as complaints_router
from zhifa.core.errors import DomainError
from zhifa.core.transactions import flush_denial_audit
from zhifa.disclosure.api import router as disclosure_router
from zhifa.discretion.api import router as discretion_router
from zhifa.enterprise.api import router as enterprise_router
from zhifa.evaluation.api import router as evaluation_router
from zhifa.evidence.api import router as evidence_router
from zhifa.exchange.api import router as exchange_router
from zhifa.guides.api import router as guides_router
from zhifa.inspections.api import router as inspections_router
from zhifa.org.api import router as org_router
from zhifa.org.auth import BrowserSessionAuth, TokenAuth, session_auth, token_auth  # noqa: F401  (their old home)
from zhifa.oversight.api import router as oversight_router
from zhifa.personnel.api import router as personnel_router
from zhifa.portal.api import router as portal_router
from zhifa.ratings.api import router as ratings_router
from zhifa.reporting.api import router as reporting_router
from zhifa.review.api import router as review_router
from zhifa.search.api import router as search_router
from zhifa.stats.api import router as stats_router
from zhifa.supervision.api import router as supervision_router


class ZhifaAPI(NinjaAPI):
    """The Ninja API with its OpenAPI document built once per process (issue 18 §6: it is ~400 KB and took
    a second of CPU per anonymous request). The routers are all registered at import, so it cannot go stale.
    """

    def get_openapi_schema(
        self, *, path_prefix: str | None = None, path_params: dict[str, Any] | None = None
    ) -> Any:
        if path_prefix is None:
            path_prefix = self.get_root_path(path_params or {})
        cache: dict[str, Any] = self.__dict__.setdefault("_zhifa_openapi", {})
        if path_prefix not in cache:
            cache[path_prefix] = super().get_openapi_schema(path_prefix=path_prefix)
        return cache[path_prefix]


api = ZhifaAPI(
    title="zhifa API",
    version="1.0",
    description="行政执法与执法监督一体化平台 — JSON API. Errors: {code, message (中文), message_en}.",
    # The token first: a header token cannot be forged cross-site, so it needs no CSRF check.
    auth=[token_auth, session_auth],
    urls_namespace="api",
)


@api.exception_handler(DomainError)
def _domain_error(request: HttpRequest, exc: DomainError) -> HttpResponse:
    flush_denial_audit(exc)
    return api.create_response(request, exc.as_dict(), status=exc.status)


@api.exception_handler(ValidationError)
def _validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    first = exc.errors[0] if exc.errors else {}
    loc = [str(p) for p in first.get("loc", []) if p not in ("body", "query", "path", "payload", "file")]
    field = ".".join(loc)
    ctx = first.get("ctx") or {}
    if isinstance(ctx, dict) and ctx.get("message_en"):
        # A schema validator's own bilingual refusal (zhifa.org.schemas): its code and both messages.
        code, message, message_en = str(first.get("type")), str(first.get("msg")), str(ctx["message_en"])
    elif first.get("type") == "string_too_long" and isinstance(ctx, dict):
        # A free-text field over its limit (zhifa.core.textlimits): say so in Chinese, with the limit.
        limit = ctx.get("max_length")
        code = "text_too_long"
        message = f"输入过长：{field or '文本'} 最多 {limit} 个字，请精简后再提交。"
        message_en = f"Too long: {field or 'text'} is at most {limit} characters."
    else:
        code = "invalid_input"
        message = f"输入不合法：{field or '请求'} {first.get('msg', '')}".strip()
        message_en = f"Invalid input: {field or 'request'} {first.get('msg', '')}".strip()
    body = {
        "code": code,
        "message": message,
        "message_en": message_en,
        "field": field,
        "details": [{"loc": e.get("loc"), "msg": e.get("msg")} for e in exc.errors],
    }
    return api.create_response(request, body, status=422)


@api.exception_handler(AuthenticationError)
def _auth_error(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    body = {
        "code": "not_authenticated",
        "message": "请先登录或提供有效令牌。",
        "message_en": "Authentication required.",
    }
    return api.create_response(request, body, status=401)


_HTTP_ERROR_MESSAGES = {
    400: ("bad_request", "请求无法解析，请提交合法的 JSON。"),
    429: ("throttled", "请求过于频繁，请稍后再试。"),
}


@api.exception_handler(HttpError)
def _http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    code, message = _HTTP_ERROR_MESSAGES.get(exc.status_code, (f"http_{exc.status_code}", str(exc)))
    if exc.status_code == 403 and "CSRF" in str(exc):
        code, message = "csrf_failed", "安全校验未通过（CSRF），请刷新页面后重试。"
    body = {"code": code, "message": message, "message_en": str(exc)}
    return api.create_response(request, body, status=exc.status_code)


@api.exception_handler(OverflowError)
def _overflow(request: HttpRequest, exc: OverflowError) -> HttpResponse:
    """A number too large for the database that slipped past a schema's bounds: bad input, not a 500."""
    body = {
        "code": "invalid_input",
        "message": "输入的数值超出范围。",
        "message_en": "A number in the request is out of range.",
    }
    return api.create_response(request, body, status=422)


def _register_routers() -> None:
    api.add_router("/org/", org_router)
    api.add_router("/evidence/", evidence_router)
    api.add_router("/cases/", cases_router)
    api.add_router("/inspections/", inspections_router)
    api.add_router("/catalog/", catalog_router)
    api.add_router("/discretion/", discretion_router)
    api.add_router("/review/", review_router)
    api.add_router("/disclosure/", disclosure_router)
    api.add_router("/channels/", channels_router)
    api.add_router("/search/", search_router)
    api.add_router("/portal/guides", guides_router)
    api.add_router("/portal/", portal_router)
    api.add_router("/supervision/", supervision_router)
    api.add_router("/oversight/", oversight_router)
    api.add_router("/complaints/", complaints_router)
    api.add_router("/stats/", stats_router)
    api.add_router("/evaluation/", evaluation_router)
    api.add_router("/exchange/", exchange_router)
    api.add_router("/reporting/", reporting_router)
    api.add_router("/personnel/", personnel_router)
    api.add_router("/ratings/", ratings_router)
    api.add_router("/caselib/", caselib_router)
    api.add_router("/enterprise/", enterprise_router)


_register_routers()
