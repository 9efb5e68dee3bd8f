"""Extension points through which the evidence app (which sits above records) takes part in the record: the
files' check in ``zhifa ledger verify``, the evidence beside an object's timeline, and the case bundle export of
``zhifa ledger export-case``. The evidence app registers them in its ``AppConfig.ready()``; records never
imports it, and without it they are simply absent (as when the app is not installed).

``register_file_check(fn)``
    ``fn() -> outcome``: checks every stored file against its digest; the outcome is a list of failures, or an
    object with ``failures`` and ``checked`` (see ``zhifa.records.verify``).
``register_evidence_names(fn)``
    ``fn(user, object_type, object_id) -> {evidence id: file name}``: the evidence of the object the user may see.
``register_object_page(fn)``
    ``fn(request, object_type, object_id) -> dict``: the evidence part of the object page's context.
``register_case_export(fn)``
    ``fn(spec, out, username, reason) -> str``: writes the bundle and returns the line the command prints.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

FileCheckFn = Callable[[], Any]
EvidenceNamesFn = Callable[[Any, str, str], dict[str, str]]
ObjectPageFn = Callable[[Any, str, str], dict[str, Any]]
CaseExportFn = Callable[[str, str | None, str | None, str | None], str]

_file_checks: list[FileCheckFn] = []
_evidence_names: list[EvidenceNamesFn] = []
_object_page: list[ObjectPageFn] = []
_case_export: list[CaseExportFn] = []


def _set(bucket: list[Any], fn: Any) -> Any:
    bucket[:] = [fn]  # one provider each: registering again (a reloaded app, a test) replaces it
    return fn


def register_file_check(fn: FileCheckFn) -> FileCheckFn:
    return _set(_file_checks, fn)


def register_evidence_names(fn: EvidenceNamesFn) -> EvidenceNamesFn:
    return _set(_evidence_names, fn)


def register_object_page(fn: ObjectPageFn) -> ObjectPageFn:
    return _set(_object_page, fn)


def register_case_export(fn: CaseExportFn) -> CaseExportFn:
    return _set(_case_export, fn)


def file_check() -> FileCheckFn | None:
    return _file_checks[0] if _file_checks else None


def evidence_names(user: Any, object_type: str, object_id: str) -> dict[str, str]:
    return _evidence_names[0](user, object_type, object_id) if _evidence_names else {}


def has_object_page() -> bool:
    return bool(_object_page)


def object_page_context(request: Any, object_type: str, object_id: str) -> dict[str, Any]:
    return _object_page[0](request, object_type, object_id) if _object_page else {}


def case_export() -> CaseExportFn | None:
    return _case_export[0] if _case_export else None
