"""The OpenAPI document is a committed contract: docs/openapi.json must equal what the code generates."""

from __future__ import annotations

import difflib
import importlib.util
import json
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
import schemathesis
from django.test import Client

ROOT = Path(__file__).resolve().parents[4]
SCRIPT = ROOT / "scripts" / "export-openapi.py"
COMMITTED = ROOT / "docs" / "openapi.json"
RUN_THE_SCRIPT = "run `.venv/bin/python scripts/export-openapi.py` and commit docs/openapi.json"
ERROR_STATUSES_EVERY_OPERATION_DECLARES = ("401", "404", "422")


def _export_script() -> ModuleType:
    spec = importlib.util.spec_from_file_location("export_openapi", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def generated() -> str:
    return _export_script().render()


@pytest.fixture(scope="module")
def document(generated: str) -> dict[str, Any]:
    return json.loads(generated)


def test_committed_openapi_matches_the_code(generated: str) -> None:
    assert COMMITTED.exists(), f"docs/openapi.json is missing: {RUN_THE_SCRIPT}"
    committed = COMMITTED.read_text(encoding="utf-8")
    if committed != generated:
        diff = "".join(
            list(
                difflib.unified_diff(
                    committed.splitlines(keepends=True),
                    generated.splitlines(keepends=True),
                    "docs/openapi.json (committed)",
                    "generated from the code",
                )
            )[:60]
        )
        pytest.fail(
            f"The API changed but docs/openapi.json did not: {RUN_THE_SCRIPT}.\n{diff}", pytrace=False
        )


def test_export_check_mode_reports_a_stale_document(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    script = _export_script()
    stale = tmp_path / "openapi.json"
    stale.write_text("{}\n", encoding="utf-8")
    monkeypatch.setattr(script, "TARGET", stale)
    monkeypatch.setattr(script, "ROOT", tmp_path)
    assert script.main(["--check"]) == 1
    assert script.main([]) == 0
    assert script.main(["--check"]) == 0


def test_openapi_document_is_valid_openapi(document: dict[str, Any]) -> None:
    schemathesis.openapi.from_dict(document).validate()


def test_served_document_is_the_committed_one(db: Any, document: dict[str, Any]) -> None:
    response = Client().get("/api/openapi.json")
    assert response.status_code == 200
    assert response.json() == document


def test_every_operation_declares_its_error_responses(document: dict[str, Any]) -> None:
    """401/404/422 with the {code, message, message_en} shape on every operation, so clients can rely on it.

    Public operations (no ``security``: the portal's read-only API, published decisions, search) never answer
    401, so they declare 422 (and whatever else they answer) only.
    """
    missing = []
    for path, item in document["paths"].items():
        for method, operation in item.items():
            responses = operation.get("responses", {})
            required = ERROR_STATUSES_EVERY_OPERATION_DECLARES if operation.get("security") else ("422",)
            for status in required:
                schema = (
                    responses.get(status, {}).get("content", {}).get("application/json", {}).get("schema")
                )
                if schema != {"$ref": "#/components/schemas/ErrorOut"}:
                    missing.append(f"{method.upper()} {path} {status}")
    assert not missing, (
        "Declare the error responses (response={200: Out, **READ_ERRORS} from zhifa.org.schemas): "
        + ", ".join(missing)
    )


def test_error_shape_requires_code_and_both_messages(document: dict[str, Any]) -> None:
    error = document["components"]["schemas"]["ErrorOut"]
    assert set(error["required"]) == {"code", "message", "message_en"}


def test_no_response_schema_has_a_full_id_number_field(document: dict[str, Any]) -> None:
    """Only ``id_number_masked`` may leave the API; ``id_number`` is an input field only."""
    request_schemas = {
        ref.rsplit("/", 1)[-1]
        for item in document["paths"].values()
        for operation in item.values()
        for content in operation.get("requestBody", {}).get("content", {}).values()
        if (ref := content.get("schema", {}).get("$ref"))
    }
    leaking = [
        name
        for name, schema in document["components"]["schemas"].items()
        if name not in request_schemas and "id_number" in schema.get("properties", {})
    ]
    assert not leaking
