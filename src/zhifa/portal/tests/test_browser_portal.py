"""The portal in chromium: axe-core finds no serious or critical violation; screenshots on a desktop and a
phone, in normal and in large-text + high-contrast mode (docs/screenshots/portal-*.png); the toggles persist.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.test import override_settings

from zhifa.core.tests.test_browser import launch_browser, server  # noqa: F401  (fixtures)

pytestmark = [pytest.mark.browser, pytest.mark.django_db]

AXE = Path(settings.PROJECT_DIR) / "frontend" / "node_modules" / "axe-core" / "axe.min.js"
SHOTS = Path(settings.PROJECT_DIR) / "docs" / "screenshots"
DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}


def _axe_problems(page: Any) -> list[str]:
    page.add_script_tag(path=str(AXE))
    result = page.evaluate(
        "async () => { const r = await axe.run(document, {resultTypes: ['violations']});"
        " return r.violations.map(v => ({id: v.id, impact: v.impact, nodes: v.nodes.slice(0, 3)"
        ".map(n => n.target.join(' '))})); }"
    )
    return [
        f"{v['id']} ({v['impact']}): {v['nodes']}" for v in result if v["impact"] in ("serious", "critical")
    ]


def _disclosure_pages() -> list[tuple[str, str]]:
    """The disclosure app's public pages that exist (they extend the portal layout)."""
    from zhifa.portal.templatetags.portal_ui import url_or_empty

    pages = []
    for name, url_name in (("decisions", "pub:decision_list"), ("search", "pub:search")):
        url = url_or_empty(url_name)
        if url:
            pages.append((name, url))
    return pages


def _pages(cert_number: str) -> list[tuple[str, str]]:
    return [
        ("home", "/public/"),
        ("officer-check", f"/public/officers/?number={cert_number}"),
        ("verify", "/public/verify/"),
        ("catalog", "/public/catalog/"),
        ("flows", "/public/flows/"),
        ("remedy", "/public/remedy/"),
    ]


@override_settings(PORTAL_RATE="", PORTAL_API_RATE="")
def test_portal_pages_have_no_serious_axe_violations_and_fit_a_phone(
    launch_browser: Callable[[], Any],  # noqa: F811
    server: str,  # noqa: F811
) -> None:
    from zhifa.portal.selectors import valid_certificates

    cert_number = valid_certificates().order_by("number").first().number
    pages = _pages(cert_number)
    browser = launch_browser()  # no ORM call after this line
    problems: dict[str, list[str]] = {}
    SHOTS.mkdir(parents=True, exist_ok=True)
    for mode in ("normal", "contrast"):
        for device, viewport in (("desktop", DESKTOP), ("phone", PHONE)):
            # bypass_csp: axe-core is the test's own script, injected inline; the pages' CSP is tested in
            # core/tests/test_security_headers.py and holds in every other browser test
            context = browser.new_context(
                viewport=viewport, locale="zh-CN", reduced_motion="reduce", bypass_csp=True
            )
            if mode == "contrast":
                host = server.removeprefix("http://").split(":")[0]
                context.add_cookies(
                    [
                        {"name": "portal_large", "value": "1", "domain": host, "path": "/"},
                        {"name": "portal_contrast", "value": "1", "domain": host, "path": "/"},
                    ]
                )
            page = context.new_page()
            for name, url in pages:
                page.goto(server + url)
                page.wait_for_load_state("networkidle")
                if device == "phone":
                    width = page.evaluate("document.documentElement.scrollWidth")
                    if width > viewport["width"]:
                        problems.setdefault(f"{name}/{device}/{mode}", []).append(f"scrollWidth {width}")
                if device == "desktop" or name in ("home", "officer-check", "verify"):
                    found = _axe_problems(page)
                    if found:
                        problems[f"{name}/{device}/{mode}"] = found
                if name in ("home", "officer-check", "verify"):
                    page.screenshot(path=str(SHOTS / f"portal-{name}-{device}-{mode}.png"), full_page=True)
            context.close()
    assert problems == {}


@override_settings(PORTAL_RATE="", PORTAL_API_RATE="")
def test_display_toggles_persist_and_skip_link_reaches_main(
    launch_browser: Callable[[], Any],  # noqa: F811
    server: str,  # noqa: F811
) -> None:
    browser = launch_browser()
    page = browser.new_context(viewport=DESKTOP, locale="zh-CN").new_page()
    page.goto(server + "/public/")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent").strip() == "跳到主要内容"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"
    page.get_by_role("button", name="大字模式").click()
    page.get_by_role("button", name="高对比度").click()
    assert page.evaluate("document.documentElement.className") == "pt-large pt-contrast"
    assert page.get_by_role("button", name="大字模式").get_attribute("aria-pressed") == "true"
    page.goto(server + "/public/flows/")
    classes = page.evaluate("document.documentElement.className").split()
    assert "pt-large" in classes and "pt-contrast" in classes
    page.get_by_role("button", name="高对比度").click()
    page.reload()
    assert page.evaluate("document.documentElement.className").split() == ["pt-large"]


@override_settings(PORTAL_RATE="", PORTAL_API_RATE="")
def test_disclosure_pages_in_the_portal_layout_have_no_serious_axe_violations(
    launch_browser: Callable[[], Any],  # noqa: F811
    server: str,  # noqa: F811
) -> None:
    pages = _disclosure_pages()
    if not pages:
        pytest.skip("the disclosure app's public pages are not there yet")
    browser = launch_browser()
    page = browser.new_context(  # bypass_csp: axe-core is injected inline (see above)
        viewport=DESKTOP, locale="zh-CN", reduced_motion="reduce", bypass_csp=True
    ).new_page()
    problems: dict[str, list[str]] = {}
    for name, url in pages:
        page.goto(server + url)
        page.wait_for_load_state("networkidle")
        found = _axe_problems(page)
        if found:
            problems[name] = found
    assert problems == {}
