"""Every action code appended to the record has a Chinese label (issue 16 item 4): a page never reads
"<app>操作记录" for an act it could name.

The codes are collected from the source: every ``record_append(action=…)`` call, a literal code, either code of
a conditional, or an f-string (``f"complaints.{verb}"``) resolved through the calls of the wrapper whose
parameter fills it (``_record(actor, "assign", …)``). The demo county's ledger is checked as well, for what
the demo appends."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

import zhifa
from zhifa.records import labels
from zhifa.records.models import LedgerEntry
from zhifa.records.services import ACTION_PATTERN

SRC = Path(zhifa.__file__).parent


def _modules() -> Iterator[tuple[Path, ast.Module]]:
    for path in sorted(SRC.rglob("*.py")):
        if {"tests", "migrations"} & set(path.relative_to(SRC).parts):
            continue
        yield path, ast.parse(path.read_text(encoding="utf-8"))


def _name(func: ast.expr) -> str:
    return func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else ""


def _constants(node: ast.expr) -> list[str] | None:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [node.value]
    if isinstance(node, ast.IfExp):
        body, orelse = _constants(node.body), _constants(node.orelse)
        return body + orelse if body is not None and orelse is not None else None
    return None


def _argument(call: ast.Call, function: ast.FunctionDef, parameter: str) -> ast.expr | None:
    for keyword in call.keywords:
        if keyword.arg == parameter:
            return keyword.value
    positional = [a.arg for a in function.args.posonlyargs + function.args.args]
    if parameter in positional and positional.index(parameter) < len(call.args):
        return call.args[positional.index(parameter)]
    return None


def _codes_of(path: Path, module: ast.Module) -> tuple[set[str], list[str]]:
    """The action codes a module appends, and the calls whose code could not be resolved."""
    codes: set[str] = set()
    unresolved: list[str] = []
    functions = {f.name: f for f in ast.walk(module) if isinstance(f, ast.FunctionDef)}
    for function in functions.values():
        for call in ast.walk(function):
            if not (isinstance(call, ast.Call) and _name(call.func) == "record_append"):
                continue
            action = next((k.value for k in call.keywords if k.arg == "action"), None)
            where = f"{path.relative_to(SRC)}:{call.lineno}"
            found = _constants(action) if action is not None else None
            if found is not None:
                codes.update(found)
            elif isinstance(action, ast.JoinedStr):
                resolved = _resolve([module, *_app_modules(path)], function, action)
                if resolved:
                    codes |= resolved
                else:
                    unresolved.append(where)
            else:
                unresolved.append(where)
    return codes, unresolved


def _app_modules(path: Path) -> list[ast.Module]:
    """Every module of the app ``path`` belongs to (a wrapper is called from the app's other modules too)."""
    app = SRC / path.relative_to(SRC).parts[0]
    return [module for other, module in _modules() if other.is_relative_to(app)]


def _resolve(modules: list[ast.Module], wrapper: ast.FunctionDef, template: ast.JoinedStr) -> set[str]:
    """``f"prefix{parameter}"`` of ``wrapper``: the constants its callers in the app pass for the parameter."""
    parts = template.values
    if not (
        len(parts) == 2
        and isinstance(parts[0], ast.Constant)
        and isinstance(parts[1], ast.FormattedValue)
        and isinstance(parts[1].value, ast.Name)
    ):
        return set()
    prefix, parameter = str(parts[0].value), parts[1].value.id
    values: set[str] = set()
    for call in (node for module in modules for node in ast.walk(module)):
        if isinstance(call, ast.Call) and _name(call.func) == wrapper.name:
            argument = _argument(call, wrapper, parameter)
            found = _constants(argument) if argument is not None else None
            if found is None:
                return set()  # a caller passes a computed value: not resolvable statically
            values.update(found)
    return {prefix + value for value in values}


def appended_codes() -> tuple[set[str], list[str]]:
    codes: set[str] = set()
    unresolved: list[str] = []
    for path, module in _modules():
        found, missed = _codes_of(path, module)
        codes |= found
        unresolved += missed
    return codes, unresolved


def test_every_action_code_appended_in_the_source_has_a_chinese_label() -> None:
    codes, unresolved = appended_codes()
    assert not unresolved, f"action codes that cannot be read from the source: {unresolved}"
    assert {"case.open", "complaints.assign", "supervision.problem_verify", "account.unlock"} <= codes
    assert all(ACTION_PATTERN.match(code) for code in codes)
    unlabelled = sorted(code for code in codes if code not in labels._ACTIONS)
    assert not unlabelled, f"action codes with no Chinese label: {unlabelled}"


def test_the_collector_finds_a_code_with_no_label() -> None:
    module = ast.parse(
        "def _record(actor, verb):\n"
        "    record_append(actor=actor, action=f'demo.{verb}')\n"
        "def act(actor):\n"
        "    _record(actor, 'invented')\n"
        "    record_append(action='demo.other' if actor else 'demo.third')\n"
    )
    codes, unresolved = _codes_of(SRC / "demo.py", module)
    assert codes == {"demo.invented", "demo.other", "demo.third"} and not unresolved
    assert not {c for c in codes if c in labels._ACTIONS}


@pytest.mark.django_db
def test_every_action_in_the_demo_countys_ledger_has_a_chinese_label(demo_county: object) -> None:
    codes = set(LedgerEntry.objects.values_list("action", flat=True).distinct())
    assert len(codes) > 20  # the demo records the work of every app
    assert not sorted(code for code in codes if code not in labels._ACTIONS)
    for code in codes:
        assert labels.action_label(code) != "操作记录" and not labels.action_label(code).endswith("操作记录")
