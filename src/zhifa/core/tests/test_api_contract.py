"""Issue 18 §4–6: the API's contract is true and its input bounded.

* every schema class the API uses has a component name of its own (two classes of one name overwrote each
  other in the OpenAPI document: ``PlanOut`` ×3, ``AgencyOut`` …);
* every integer parameter and request-body integer has bounds within a 64-bit key, every string parameter a
  length (or an enum/pattern/format), every request-body list a length; an id beyond 2⁶³−1 is 422, not 500;
* the OpenAPI document is built once per process;
* on the demo, every GET operation that needs no parameter, called as an officer and as a supervisor,
  answers a body valid against its response schema in the OpenAPI document.
"""

from __future__ import annotations

import json
import typing
from collections import defaultdict
from collections.abc import Iterator
from typing import Any

import jsonschema
import pytest
from django.test import Client
from pydantic import BaseModel

from zhifa.api import api
from zhifa.core.apitypes import MAX_ID

PREFIX = "/api/"


@pytest.fixture(scope="module")
def document() -> dict[str, Any]:
    from ninja.responses import NinjaJSONEncoder

    return json.loads(json.dumps(api.get_openapi_schema(path_prefix=PREFIX), cls=NinjaJSONEncoder))


def _operations(document: dict[str, Any]) -> Iterator[tuple[str, str, dict[str, Any]]]:
    for path, item in document["paths"].items():
        for method, op in item.items():
            yield method, path, op


# --- unique schema names -----------------------------------------------------------------------------------------


def _models_of(tp: Any, found: dict[str, set[type]]) -> None:
    if isinstance(tp, type) and issubclass(tp, BaseModel):
        if not tp.__module__.startswith("zhifa"):  # Ninja's own per-operation wrappers (no components)
            for field in tp.model_fields.values():
                _models_of(field.annotation, found)
            return
        if tp in found[tp.__name__]:
            return
        found[tp.__name__].add(tp)
        for field in tp.model_fields.values():
            _models_of(field.annotation, found)
        return
    for arg in typing.get_args(tp):
        _models_of(arg, found)


def test_no_two_schema_classes_used_by_the_api_share_a_component_name() -> None:
    found: dict[str, set[type]] = defaultdict(set)
    for _prefix, router in api._routers:
        for path_view in router.path_operations.values():
            for operation in path_view.operations:
                for model in operation.models:
                    _models_of(model, found)
                for model in (operation.response_models or {}).values():
                    _models_of(model, found)
    shared = {
        name: sorted(f"{c.__module__}.{c.__qualname__}" for c in classes)
        for name, classes in found.items()
        if len(classes) > 1
    }
    assert len(found) > 100
    assert not shared, f"schema classes sharing a component name (prefix them with their app): {shared}"


# --- bounded input ---------------------------------------------------------------------------------------------


def _unbounded(schema: dict[str, Any], document: dict[str, Any], where: str, seen: set[str]) -> Iterator[str]:
    if "$ref" in schema:
        name = schema["$ref"].rsplit("/", 1)[-1]
        if name not in seen:
            seen.add(name)
            yield from _unbounded(document["components"]["schemas"][name], document, name, seen)
        return
    for alternative in schema.get("anyOf", []) + schema.get("allOf", []) + schema.get("oneOf", []):
        yield from _unbounded(alternative, document, where, seen)
    kind = schema.get("type")
    low = schema.get("minimum", schema.get("exclusiveMinimum", -(2**64)))
    high = schema.get("maximum", schema.get("exclusiveMaximum", 2**64))
    if kind == "integer" and not (low >= -MAX_ID - 1 and high <= MAX_ID + 1):
        yield where
    if kind == "array":
        if "maxItems" not in schema:
            yield f"{where}[]"
        yield from _unbounded(schema.get("items", {}), document, f"{where}[]", seen)
    for name, field in schema.get("properties", {}).items():
        yield from _unbounded(field, document, f"{where}.{name}", seen)


def test_every_parameter_and_body_number_is_bounded(document: dict[str, Any]) -> None:
    problems: set[str] = set()
    for method, path, op in _operations(document):
        for parameter in op.get("parameters", []):
            where = f"{method.upper()} {path} {parameter['name']}"
            schema = parameter["schema"]
            problems.update(_unbounded(schema, document, where, set()))
            for alternative in schema.get("anyOf", [schema]):
                if alternative.get("type") == "string" and not (
                    {"maxLength", "enum", "pattern"} & set(alternative)
                    or alternative.get("format") in ("date", "date-time", "uuid")
                ):
                    problems.add(f"{where} (string without maxLength)")
        for content in op.get("requestBody", {}).get("content", {}).values():
            problems.update(_unbounded(content["schema"], document, f"{method.upper()} {path} body", set()))
    assert not problems, "unbounded input:\n" + "\n".join(sorted(problems))


TOO_BIG = str(MAX_ID + 1)


@pytest.mark.parametrize(
    "url",
    [
        f"/api/catalog/entries?agency_id={TOO_BIG}",
        f"/api/catalog/items?agency_id={TOO_BIG}",
        f"/api/catalog/items?cursor={TOO_BIG}",
        f"/api/org/officers?agency={TOO_BIG}",
        f"/api/org/certificates?officer={TOO_BIG}",
        f"/api/org/certificates?agency={TOO_BIG}",
        f"/api/org/agencies?cursor={TOO_BIG}",
        f"/api/org/agencies/{TOO_BIG}",
        f"/api/cases/{TOO_BIG}",
        f"/api/evidence/{TOO_BIG}",
        f"/api/evidence/?object_type=cases.case&object_id={'9' * 200}",
    ],
)
def test_a_number_beyond_a_64_bit_key_is_422_not_500(admin_client: Client, url: str) -> None:
    response = admin_client.get(url)
    assert response.status_code == 422, response.content
    assert set(response.json()) >= {"code", "message", "message_en"}


def test_an_overflowing_body_id_is_422(admin_client: Client) -> None:
    body = {"agency_id": int(TOO_BIG), "code": "X1", "name": "某事项", "kind": "penalty", "domain": "market"}
    response = admin_client.post("/api/catalog/items", body, content_type="application/json")
    assert response.status_code == 422, response.content


# --- the document, once --------------------------------------------------------------------------------------------


def test_the_openapi_document_is_built_once_and_served_from_the_cache(
    client: Client, monkeypatch: pytest.MonkeyPatch, db: Any
) -> None:
    # db: an anonymous request is counted by the rate limit, whose cache is a database table
    import ninja.main

    first = client.get("/api/openapi.json")
    assert first.status_code == 200 and "paths" in first.json()
    calls: list[str] = []
    original = ninja.main.get_schema
    monkeypatch.setattr(ninja.main, "get_schema", lambda **kw: calls.append("built") or original(**kw))
    again = client.get("/api/openapi.json")
    assert again.status_code == 200 and again.content == first.content and calls == []


# --- responses valid against the document, on the demo -----------------------------------------------------------


def _validate(document: dict[str, Any], op: dict[str, Any], status: int, body: Any, where: str) -> None:
    declared = op["responses"].get(str(status))
    assert declared is not None, f"{where}: status {status} is not declared in the OpenAPI document"
    content = declared.get("content", {}).get("application/json")
    if content is None:
        return
    schema = {**content["schema"], "components": document["components"]}
    errors = sorted(jsonschema.Draft202012Validator(schema).iter_errors(body), key=lambda e: list(e.path))
    assert not errors, f"{where} ({status}): {errors[0].message} at {list(errors[0].absolute_path)}"


@pytest.mark.django_db
@pytest.mark.parametrize("username", ["demo_officer", "demo_supervisor"])
def test_every_get_without_parameters_answers_as_its_schema_says(
    demo_county: Any, document: dict[str, Any], username: str
) -> None:
    from zhifa.org.models import User

    client = Client()
    client.force_login(User.objects.get(username=username))
    checked = 0
    for method, path, op in _operations(document):
        required = [p for p in op.get("parameters", []) if p.get("required")]
        if method != "get" or "{" in path or required or path.endswith("openapi.json"):
            continue
        response = client.get(path)
        if not response.get("Content-Type", "").startswith("application/json"):
            continue  # files (CSV, PDF, Atom) are described by type only
        _validate(document, op, response.status_code, response.json(), f"GET {path} as {username}")
        checked += 1
    assert checked > 40
