"""Hardened edges (issue 18): CSP with nonces and no inline script, Permissions-Policy, no-store when logged in,
and production mode with HTTPS redirect and HSTS on, ``check --deploy`` clean."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from zhifa.cases.tests.helpers import world  # noqa: F401  (fixture)
from zhifa.core.tests.test_settings_production import LONG_KEY, start

SRC = Path(__file__).resolve().parents[2]


def _directives(response: Any) -> dict[str, list[str]]:
    header = response["Content-Security-Policy"]
    return {part.split()[0]: part.split()[1:] for part in header.split(";") if part.strip()}


# --- Content-Security-Policy ------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_html_pages_carry_a_csp_without_inline_script_or_eval() -> None:
    response = Client().get("/accounts/login/")
    policy = _directives(response)
    assert policy["default-src"] == ["'self'"]
    assert "'unsafe-inline'" not in policy["script-src"] and "'unsafe-eval'" not in policy["script-src"]
    assert "'unsafe-inline'" not in policy["style-src-elem"]
    assert policy["object-src"] == ["'none'"] and policy["frame-ancestors"] == ["'none'"]


@pytest.mark.django_db
def test_a_nonced_style_element_gets_the_responses_nonce(world: Any) -> None:  # noqa: F811
    client = Client()
    client.force_login(world.supervisor)
    response = client.get("/supervision/people/")
    assert response.status_code == 200
    nonce = re.search(r'<style nonce="([^"]+)"', response.content.decode())
    assert nonce is not None
    assert f"'nonce-{nonce.group(1)}'" in _directives(response)["style-src-elem"]


def _templates() -> list[Path]:
    return [p for p in SRC.rglob("templates/**/*.html") if "tests" not in p.parts]


def test_no_template_has_inline_script_handlers_or_unnonced_style() -> None:
    """CSP forbids them: scripts live in static files, handlers are data-* attributes (zhifa/behaviours.js)."""
    offences = []
    for path in _templates():
        text = path.read_text(encoding="utf-8")
        for match in re.finditer(r"<script\b([^>]*)>", text):
            attrs = match.group(1)
            if "src=" not in attrs and "application/json" not in attrs and "nonce=" not in attrs:
                offences.append(f"{path.relative_to(SRC)}: inline <script>")
        for match in re.finditer(r"<style\b([^>]*)>", text):
            if "nonce=" not in match.group(1):
                offences.append(f"{path.relative_to(SRC)}: <style> without nonce")
        for match in re.finditer(r"\s(on[a-z]+|hx-on[:\w-]*)=", text):
            offences.append(f"{path.relative_to(SRC)}: inline handler {match.group(1)}")
    assert offences == []


# --- Permissions-Policy and no-store ----------------------------------------------------------------------------


@pytest.mark.django_db
def test_every_answer_has_a_permissions_policy() -> None:
    policy = Client().get("/public/")["Permissions-Policy"]
    assert "camera=()" in policy and "microphone=()" in policy and "geolocation=(self)" in policy


@pytest.mark.django_db
def test_logged_in_pages_are_no_store_and_public_pages_are_not(world: Any) -> None:  # noqa: F811
    anonymous = Client().get("/public/")
    assert "no-store" not in anonymous.get("Cache-Control", "")
    client = Client()
    client.force_login(world.head)
    page = client.get("/workbench/")
    assert page.status_code == 200
    assert "no-store" in page["Cache-Control"] and "private" in page["Cache-Control"]


@pytest.mark.django_db
def test_a_token_clients_answers_are_no_store(world: Any) -> None:  # noqa: F811
    from zhifa.org.tokens import token_create

    _, key = token_create(world.head, "集成")
    response = Client(HTTP_AUTHORIZATION=f"Token {key}").get("/api/org/tokens")
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]


# --- production mode --------------------------------------------------------------------------------------------

SHOW_TLS = (
    "import django; django.setup(); from django.conf import settings; "
    "print(settings.SECURE_SSL_REDIRECT, settings.SECURE_HSTS_SECONDS)"
)


def test_production_mode_redirects_to_https_and_sends_hsts_by_default(tmp_path: Path) -> None:
    result = start(tmp_path, SHOW_TLS, ZHIFA_SECRET_KEY=LONG_KEY)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["True", "31536000"]


def test_development_mode_does_not_redirect(tmp_path: Path) -> None:
    result = start(tmp_path, SHOW_TLS, ZHIFA_PRODUCTION="0")
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["False", "0"]


def test_check_deploy_is_clean_in_production_mode(tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir()
    keys = (
        tmp_path / "keys"
    )  # the ledger's signing key outside the data directory, as production should have it
    keys.mkdir()
    code = (
        "import django; django.setup(); from django.core.management import call_command; "
        "call_command('check', deploy=True, fail_level='WARNING')"
    )
    result = start(
        data,
        code,
        ZHIFA_SECRET_KEY=LONG_KEY,
        ZHIFA_ALLOWED_HOSTS="zhifa.example.gov.cn",
        ZHIFA_LEDGER_SIGNING_KEY_FILE=str(keys / "ledger-ed25519.pem"),
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "W004" not in result.stdout + result.stderr and "W008" not in result.stdout + result.stderr


def test_the_deploy_check_would_name_a_missing_redirect(tmp_path: Path) -> None:
    """The test above can fail: with the redirect switched off, W008 is back."""
    code = (
        "import django; django.setup(); from django.core.management import call_command; "
        "call_command('check', deploy=True, fail_level='WARNING')"
    )
    result = start(tmp_path, code, ZHIFA_SECRET_KEY=LONG_KEY, ZHIFA_SSL_REDIRECT="0")
    assert result.returncode != 0
    assert "W008" in result.stdout + result.stderr
