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


def _refs(node: Any) -> set[str]:
    """The component schema names a piece of the document refers to, directly."""
    if isinstance(node, dict):
        found = {node["$ref"].rsplit("/", 1)[-1]} if isinstance(node.get("$ref"), str) else set()
        return found.union(*(_refs(v) for k, v in node.items() if k != "$ref"))
    if isinstance(node, list):
        return set().union(*(_refs(v) for v in node))
    return set()


def _reachable(document: dict[str, Any], roots: set[str]) -> set[str]:
    schemas = document["components"]["schemas"]
    seen: set[str] = set()
    todo = list(roots)
    while todo:
        name = todo.pop()
        if name not in seen and name in schemas:
            seen.add(name)
            todo += _refs(schemas[name])
    return seen


def test_no_response_schema_has_a_full_id_number_field(document: dict[str, Any]) -> None:
    """Only masked ID numbers (``id_number_masked``) may leave the API; ``id_number`` and ``party_id_number``
    are input fields only. Every schema a response reaches, nested ones included, is checked."""
    operations = [op for item in document["paths"].values() for op in item.values()]
    response_schemas = _reachable(document, _refs([op.get("responses", {}) for op in operations]))
    request_schemas = _reachable(document, _refs([op.get("requestBody", {}) for op in operations]))
    assert "ErrorOut" in response_schemas
    assert "LicensingRowIn" in request_schemas  # nested in the licensing import's body, found by the walk
    leaking = sorted(
        f"{name}.{prop}"
        for name in response_schemas
        for prop in document["components"]["schemas"][name].get("properties", {})
        if "id_number" in prop and not prop.endswith("_masked")
    )
    assert not leaking, f"full ID numbers in responses: {leaking}"
