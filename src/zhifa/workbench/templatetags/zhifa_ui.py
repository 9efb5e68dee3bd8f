"""Layout helpers: the menu a user's roles allow, the demo ribbon, status badges (``{% load zhifa_ui %}``; the
library lives in the top app because the layout reads every app)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django import forms, template
from django.apps import apps
from django.conf import settings
from django.http import HttpRequest
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.html import format_html

from zhifa.core.menu import menu_entries
from zhifa.org.demo import demo_present_cached
from zhifa.org.menu import may_open  # noqa: F401  (the name views imported from here)
from zhifa.org.models import CertificateStatus, Role
from zhifa.org.permissions import can as can_do
from zhifa.org.permissions import roles
from zhifa.records.labels import object_reference

register = template.Library()


@dataclass(frozen=True)
class MenuItem:
    label: str
    url: str
    icon: str
    active: bool
    name: str = ""  # the URL name, "namespace:page"


@dataclass(frozen=True)
class MenuGroup:
    """One entry of the top bar: a single page, or a dropdown of the pages of one area of work."""

    label: str
    icon: str
    items: tuple[MenuItem, ...]

    @property
    def active(self) -> bool:
        return any(item.active for item in self.items)


# Areas of work, in the order of the top bar; a page goes to the area of its URL namespace.
_GROUPS: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("工作台", "speedometer2", ("core",)),
    ("办案", "briefcase", ("cases", "review", "catalog", "discretion", "caselib")),
    ("检查", "clipboard-check", ("inspections",)),
    ("公示", "megaphone", ("disclosure", "portal", "guides", "channels")),
    (
        "监督",
        "eye",
        (
            "supervision",
            "complaints",
            "oversight",
            "reporting",
            "stats",
            "ratings",
            "evaluation",
            "exchange",
            "records",
        ),
    ),
    ("基础数据", "building", ("org", "personnel")),
    ("系统管理", "gear", ("sysadmin",)),
)


def menu_groups(request: HttpRequest) -> list[MenuGroup]:
    """The allowed pages (``menu_for``) by area of work; an area with one page is a plain link."""
    items = menu_for(request)
    by_namespace: dict[str, list[MenuItem]] = {}
    for item in items:
        by_namespace.setdefault(item.name.split(":", 1)[0], []).append(item)
    groups: list[MenuGroup] = []
    placed: set[str] = set()
    for label, icon, namespaces in _GROUPS:
        members = tuple(i for ns in namespaces for i in by_namespace.get(ns, ()))
        placed.update(namespaces)
        if members:
            groups.append(MenuGroup(label, icon, members))
    for ns, unplaced in by_namespace.items():  # an app not placed yet still shows, as its own area
        if ns not in placed:
            groups.append(MenuGroup(unplaced[0].label, unplaced[0].icon, tuple(unplaced)))
    return groups


# URL name → path, per URLconf and script prefix: every page's menu reverses the same few dozen names, and each
# reverse() costs about 0.1 ms of CPU.
_URLS: dict[tuple[str, str, str], str] = {}


def _reverse_cached(url_name: str) -> str:
    key = (str(get_urlconf() or settings.ROOT_URLCONF), get_script_prefix(), url_name)
    url = _URLS.get(key)
    if url is None:
        url = _URLS[key] = reverse(url_name)
    return url


def menu_for(request: HttpRequest) -> list[MenuItem]:
    """The registered menu pages (``zhifa.core.menu``) the user's roles allow, checked with
    ``permissions.can(user, action)``."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return []
    items = []
    for entry in menu_entries():
        if entry.action is not None and not can_do(user, entry.action):
            continue
        url = _reverse_cached(entry.url_name)
        active = request.path == url if entry.exact else request.path.startswith(url)
        items.append(MenuItem(entry.label, url, entry.icon, active, entry.url_name))
    return items


@register.simple_tag(takes_context=True)
def can(context: template.Context, action: str) -> bool:
    """``{% can "review.report" as allowed %}``: whether the signed-in user's roles allow the action (tabs and
    buttons show only what the user may open)."""
    request = context.get("request")
    user = getattr(request, "user", None)
    return bool(user is not None and user.is_authenticated and can_do(user, action))


@register.simple_tag(takes_context=True)
def zhifa_layout(context: template.Context) -> dict[str, Any]:
    """Everything the base layout needs: menu, demo flag, role labels."""
    request = context.get("request")
    user = getattr(request, "user", None)
    role_labels: list[str] = []
    if user is not None and user.is_authenticated:
        role_labels = [str(Role(r).label) for r in Role.values if r in roles(user)]
    return {
        "menu": menu_groups(request) if request is not None else [],
        "demo": demo_present_cached(request),
        "role_labels": role_labels,
    }


_TONES = frozenset({"primary", "secondary", "success", "danger", "warning", "info", "light", "dark"})
_BADGE = {
    "valid": "text-bg-success",
    "suspended": "text-bg-warning",
    "revoked": "text-bg-danger",
    "cancelled": "text-bg-secondary",
    "expired": "text-bg-danger",
    "none": "text-bg-light border",
}


@register.filter
def status_badge(status: str) -> str:
    """Bootstrap badge classes for a certificate's effective status, or for a Bootstrap tone."""
    if status in _TONES:
        return f"text-bg-{status}"
    return _BADGE.get(status or "none", "text-bg-secondary")


@register.simple_tag(takes_context=True)
def page_url(context: template.Context, **changes: Any) -> str:
    """The current query string with ``changes`` applied (``None`` removes a key); cursors always reset."""
    request = context["request"]
    query = request.GET.copy()
    for key in ("after", "before"):
        query.pop(key, None)
    for key, value in changes.items():
        if value is None or value == "":
            query.pop(key, None)
        else:
            query[key] = str(value)
    encoded = query.urlencode()
    return f"{request.path}?{encoded}" if encoded else request.path


@register.filter
def bs(field: Any) -> str:
    """Render a bound field's widget with Bootstrap classes and the ARIA state of its errors."""
    widget = field.field.widget
    if isinstance(widget, forms.CheckboxInput):
        css = "form-check-input"
    elif isinstance(widget, forms.CheckboxSelectMultiple | forms.RadioSelect):
        css = ""
    elif isinstance(widget, forms.Select):
        css = "form-select"
    else:
        css = "form-control"
    attrs: dict[str, str] = {}
    existing = widget.attrs.get("class", "")
    classes = " ".join(c for c in (existing, css, "is-invalid" if field.errors else "") if c)
    if classes:
        attrs["class"] = classes
    if field.errors:
        attrs["aria-invalid"] = "true"
        attrs["aria-describedby"] = f"{field.auto_id}_error"
    return field.as_widget(attrs=attrs)


@register.filter
def status_label(status: str) -> str:
    """The Chinese label of a certificate status (``无证件`` when there is none)."""
    if not status:
        return "无证件"
    try:
        return str(CertificateStatus(status).label)
    except ValueError:
        return status


# The officer's quick actions on a phone (a bar at the bottom of the screen): (label, url name, icon, action).
_QUICK: tuple[tuple[str, str, str, str], ...] = (
    ("当场处罚", "cases:simple_new", "lightning-charge", "cases.open_case"),
    ("今日检查", "inspections:today", "qr-code", "inspections.inspect"),
)


@register.simple_tag(takes_context=True)
def quick_actions(context: template.Context) -> list[MenuItem]:
    """当场处罚 and 今日检查, for a user who may open them: one tap away on a phone."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if request is None or user is None or not user.is_authenticated:
        return []
    return [
        MenuItem(label, _reverse_cached(name), icon, request.path == _reverse_cached(name), name)
        for label, name, icon, action in _QUICK
        if can_do(user, action)
    ]


@register.filter
def object_kind(object_type: str) -> str:
    """``cases.case`` → 案件: the model's verbose name, never the dotted type (对象 for an unknown one)."""
    try:
        return str(apps.get_model(object_type)._meta.verbose_name)
    except (LookupError, ValueError):
        return "对象"


@register.simple_tag(takes_context=True)
def object_link(context: Any, object_type: str, object_id: Any) -> str:
    """The object a record belongs to as a person knows it — 案件 示县市监立〔2026〕13号, 检查 … — linked to its
    page when the user may open it; never its kind and id (``zhifa.records.labels.object_reference``)."""
    refs = context.render_context.get("zhifa_object_refs")
    if refs is None:  # one look-up per object on a page (an access log lists the same object many times)
        refs = context.render_context["zhifa_object_refs"] = {}
    key = (object_type, str(object_id))
    if key not in refs:
        request = context.get("request")
        refs[key] = object_reference(object_type, str(object_id), getattr(request, "user", None))
    ref = refs[key]
    if ref.url:
        return format_html('<a href="{}">{}</a>', ref.url, ref.text)
    return ref.text
