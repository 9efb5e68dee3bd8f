"""记录的中文标签 — how a ledger entry reads on a page: the action's label and each changed field's label and value.

The apps that write the record own its words: each registers, in ``AppConfig.ready()``, the labels of its action
codes (``register_actions``) and of the fields it puts in ``changes`` (``register_fields``), with how a value is
shown: a choice's label, names for ids, 元 for money, 是/否 for yes/no, a date. A page never shows a code: an
action without a label reads as its app's name + 操作记录, a field without a label is left out of the summary
(the entry page keeps the full raw record for verifiers), and None, empty values and nested objects are skipped.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError

from zhifa.core import clock
from zhifa.org.models import User

#: Resolves ids (as strings) to names in one query: {"3": "示范县市场监督管理局"}.
Resolver = Callable[[set[str]], Mapping[str, str]]

TEXT, DATE, MONEY, BOOL, CHOICE, NAMES, COUNT = "text", "date", "money", "bool", "choice", "names", "count"

#: How a row came in (the ``source`` several apps write): the choices of a :class:`Field`.
ENTRY_SOURCES = {
    "form": "页面录入",
    "import": "文件导入",
    "file": "文件导入",
    "api": "接口导入",
    "demo": "演示数据",
    "dispute": "职责争议协调决定",
}


@dataclass(frozen=True)
class Field:
    """How one field of ``changes`` is shown."""

    label: str
    kind: str = TEXT
    choices: Mapping[str, str] | None = None  # kind CHOICE: value → label
    resolver: Resolver | None = None  # kind NAMES: ids → names
    unit: str = ""  # kind COUNT: 天, 件 …
    transition: bool = False  # a ``[old, new]`` pair (环节, 状态) shown as 旧 → 新


_CODE = re.compile(r"[a-z][a-z0-9]*(?:[_.][a-z0-9]+)*")
_ACTIONS: dict[str, str] = {}
_FIELDS: dict[str, Field] = {}  # "field" for every action, or "action:field" for one action


def register_actions(labels: Mapping[str, str]) -> None:
    """Chinese labels of action codes (``"case.open": "立案"``)."""
    _ACTIONS.update(labels)


def register_fields(fields: Mapping[str, Field | str]) -> None:
    """Fields of ``changes``: a plain label (text) or a :class:`Field`; ``"action:field"`` for one action only."""
    _FIELDS.update({key: Field(value) if isinstance(value, str) else value for key, value in fields.items()})


def choices(text_choices: Any) -> dict[str, str]:
    """A TextChoices class as the value → label mapping of :class:`Field`."""
    return {str(value): str(label) for value, label in text_choices.choices}


def names_of(model_path: str, attribute: str = "name", key: str = "pk") -> Resolver:
    """A resolver of ids (or of another unique ``key``, e.g. a code) to ``attribute`` of the model."""

    def resolve(ids: set[str]) -> Mapping[str, str]:
        model = apps.get_model(model_path)
        wanted = [i for i in ids if i.isdigit()] if key == "pk" else list(ids)
        rows = model._default_manager.filter(**{f"{key}__in": wanted}).values_list(key, attribute)
        return {str(k): str(name) for k, name in rows}

    return resolve


def user_names(ids: set[str]) -> Mapping[str, str]:
    """Users' full names (never their login names)."""
    rows = (
        get_user_model().objects.filter(pk__in=[i for i in ids if i.isdigit()]).values_list("pk", "full_name")
    )
    return {str(pk): name or "用户" for pk, name in rows}


# --- reading ------------------------------------------------------------------------------------------------------


def action_label(code: str) -> str:
    """The Chinese label of an action code; an unknown one reads as its app's name + 操作记录, never as the code."""
    if code in _ACTIONS:
        return _ACTIONS[code]
    prefix = code.split(".", 1)[0]
    for config in apps.get_app_configs():
        if config.label in (prefix, f"{prefix}s") and config.name.startswith("zhifa."):
            return f"{config.verbose_name}操作记录"
    return "操作记录"


def object_type_label(object_type: str) -> str:
    """``cases.case`` → 案件 (the model's verbose name), or 对象 when the type is no model."""
    try:
        return str(apps.get_model(object_type)._meta.verbose_name)
    except (LookupError, ValueError):
        return "对象"


# --- the objects a record names: their human reference ------------------------------------------------------------

#: How an app names one of its objects on a page: (object, user) → (text, the url of its page when ``user`` may
#: open it, else ""). The text is what a person knows the object by — 案件 and its number, 案源 and its 案由 and
#: date, 检查 and its party and date — never its id.
Referencer = Callable[[Any, User | None], tuple[str, str]]
_REFERENCES: dict[str, Referencer] = {}


@dataclass(frozen=True)
class ObjectReference:
    """An object as a page names it: ``text`` (its kind and its reference) and ``url`` ("" when no link)."""

    text: str
    url: str = ""


def register_references(referencers: Mapping[str, Referencer]) -> None:
    """Each app registers, in ``AppConfig.ready()``, how its object types read (``{"cases.case": fn}``)."""
    _REFERENCES.update(referencers)


def object_reference(object_type: str, object_id: str | int, user: User | None = None) -> ObjectReference:
    """案件 示县市监立〔2026〕13号 with a link to the case — the kind and the human reference of an object, never
    ``object:123``. A type no app describes reads as its kind and links to its record page (when ``user`` may
    read it); an object that is gone reads as its kind with （已不存在）."""
    kind = object_type_label(object_type)
    try:
        model = apps.get_model(object_type)
    except (LookupError, ValueError):
        return ObjectReference(kind)  # a type that is no model (对象): nothing more to say without its id
    try:
        obj = model._default_manager.filter(pk=object_id).first()
    except (ValueError, TypeError, ValidationError):
        obj = None
    if obj is None:
        return ObjectReference(f"{kind}（已不存在）")
    referencer = _REFERENCES.get(object_type)
    if referencer is not None:
        text, url = referencer(obj, user)
        return ObjectReference(text or kind, url)
    # local import: records.timeline imports this module at load and registers its labels (cycle)
    from zhifa.records.timeline import record_url

    return ObjectReference(kind, record_url(user, object_type, str(object_id)))


def field(action: str, key: str) -> Field | None:
    return _FIELDS.get(f"{action}:{key}") or _FIELDS.get(key)


def business_date(changes: Mapping[str, Any], occurred_at: dt.datetime | None) -> dt.date | None:
    """The day the act was done: the ``on`` date the service was given, else the day it happened."""
    value = changes.get("on")
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value[:10])
        except ValueError:
            pass
    if occurred_at is not None:
        return clock.local(occurred_at).date()
    return None


def parse(changes_text: str) -> dict[str, Any]:
    try:
        changes = json.loads(changes_text)
    except ValueError:
        return {}
    return changes if isinstance(changes, dict) else {}


def _empty(value: Any) -> bool:
    return value is None or value == "" or value == [] or value == {} or isinstance(value, dict)


def _ids(value: Any) -> list[str]:
    items = value if isinstance(value, list) else [value]
    return [str(i) for i in items if i is not None and i != ""]


def _money(value: Any) -> str:
    try:
        amount = Decimal(str(value))
    except InvalidOperation:
        return str(value)
    text = f"{amount:,.2f}".rstrip("0").rstrip(".")
    return f"{text} 元"


def _date(value: Any) -> str:
    text = str(value)
    if "T" in text:
        try:
            return f"{clock.local(dt.datetime.fromisoformat(text.replace('Z', '+00:00'))):%Y-%m-%d %H:%M}"
        except ValueError:
            return text[:10]
    return text[:10]


def _one(f: Field, value: Any, names: Mapping[str, str]) -> str:
    if f.kind == BOOL:
        return "是" if value else "否"
    if f.kind == MONEY:
        return _money(value)
    if f.kind == DATE:
        return _date(value)
    if f.kind == CHOICE:
        return (f.choices or {}).get(str(value), "")  # an unknown value is left out, never shown as its code
    if f.kind == NAMES:
        return names.get(str(value), "（已删除）")
    if f.kind == COUNT:
        return f"{value} {f.unit}".strip()
    text = str(value)
    return "" if _CODE.fullmatch(text) else text  # a stored code (``inspection_result``) is never shown


def value_text(f: Field, value: Any, names: Mapping[str, str] | None = None) -> str:
    """One value as a page shows it (a ``[old, new]`` pair of a state as ``旧 → 新``)."""
    names = names or {}
    if f.transition and isinstance(value, list) and len(value) == 2:
        old, new = ("" if _empty(v) else _one(f, v, names) for v in value)  # False is a value: 否
        return f"{old} → {new}" if old else new
    if isinstance(value, list):
        text = "、".join(t for t in (_one(f, v, names) for v in value if not _empty(v)) if t)
    else:
        text = _one(f, value, names)
    return text if len(text) <= 60 else text[:60] + "…"


def summaries(
    rows: Iterable[tuple[str, Mapping[str, Any]]], *, limit: int = 6
) -> list[list[tuple[str, str]]]:
    """For each ``(action, changes)``, its labelled fields as ``(label, value)`` (ids resolved in one query per
    resolver; unknown fields, empty values and ``on`` — shown as the business date — left out)."""
    rows = list(rows)
    wanted: dict[Resolver, set[str]] = {}
    for action, changes in rows:
        for key, value in changes.items():
            f = field(action, key)
            if f is not None and f.kind == NAMES and f.resolver is not None and not _empty(value):
                wanted.setdefault(f.resolver, set()).update(_ids(value))
    resolved: dict[Resolver, Mapping[str, str]] = {r: r(ids) for r, ids in wanted.items()}
    result = []
    for action, changes in rows:
        parts: list[tuple[str, str]] = []
        for key, value in changes.items():
            f = field(action, key)
            if f is None or key == "on" or _empty(value):
                continue
            names = resolved.get(f.resolver, {}) if f.resolver is not None else {}
            text = value_text(f, value, names)
            if text:
                parts.append((f.label, text))
        result.append(parts[:limit])
    return result
