"""Template helpers of the public portal: URL names that may not exist yet resolve to ``""``."""

from __future__ import annotations

from typing import Any

from django import template
from django.urls import NoReverseMatch, reverse

from zhifa.org.demo import demo_present_cached
from zhifa.portal.selectors import portal_region

register = template.Library()


@register.simple_tag
def url_or_empty(name: str, *args: Any, **kwargs: Any) -> str:
    """``{% url %}`` that yields ``""`` instead of raising when ``name`` is not (yet) defined."""
    try:
        return reverse(name, args=args or None, kwargs=kwargs or None)
    except NoReverseMatch:
        return ""


@register.simple_tag(takes_context=True)
def portal_nav(context: template.Context) -> list[dict[str, Any]]:
    """The portal's main navigation; entries whose page does not exist yet are left out."""
    request = context.get("request")
    path = getattr(request, "path", "")
    items = [
        ("首页", "portal:home", "house"),
        ("执法主体", "portal:agency_list", "building"),
        ("执法事项", "portal:catalog", "list-check"),
        ("清单公示", "portal:lists", "card-checklist"),
        ("办事指南", "guidepub:index", "signpost"),
        ("执法人员", "portal:officer_check", "person-vcard"),
        ("检查计划", "portal:plans", "calendar-check"),
        ("执法决定", "pub:decision_list", "file-earmark-text"),
        ("核验", "portal:verify", "qr-code-scan"),
        ("投诉与救济", "portal:remedy", "chat-square-text"),
    ]
    out = []
    for label, name, icon in items:
        url = url_or_empty(name)
        if not url:
            continue
        if name == "portal:home":
            active = path == url
        else:
            active = bool(path) and path.startswith(url)
        # a draw's page belongs to the plans, search results to the decisions
        if name == "portal:plans" and path.startswith(
            url_or_empty("portal:plans").replace("plans/", "draws/")
        ):
            active = True
        if name == "pub:decision_list" and path == url_or_empty("pub:search"):
            active = True
        out.append({"label": label, "url": url, "icon": icon, "active": active})
    return out


@register.simple_tag(takes_context=True)
def portal_context(context: template.Context) -> dict[str, Any]:
    """Name, region and the reader's display modes (from the cookies the toggles set)."""
    request = context.get("request")
    cookies = getattr(request, "COOKIES", {}) or {}
    region = portal_region()
    return {
        "name": "行政执法信息公示平台",
        "region": region.name if region is not None else "",
        "demo": demo_present_cached(request),
        "large": cookies.get("portal_large") == "1",
        "contrast": cookies.get("portal_contrast") == "1",
    }
