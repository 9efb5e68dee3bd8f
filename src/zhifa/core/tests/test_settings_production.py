"""Production mode (ZHIFA_PRODUCTION=1) refuses to start with the default key or with DEBUG on.

Settings are read once per process, so each case starts a fresh interpreter.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

LONG_KEY = "k" * 24 + "-zhifa-production-secret-key-for-tests"
CHECK_COOKIES = (
    "import django; django.setup(); from django.conf import settings; "
    "print(settings.SESSION_COOKIE_SECURE, settings.CSRF_COOKIE_SECURE, settings.DEBUG)"
)


def start(
    tmp_path: Path, code: str = "import django; django.setup()", **env: str
) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("ZHIFA_")}
    clean |= {
        "DJANGO_SETTINGS_MODULE": "zhifa.settings",
        "ZHIFA_PRODUCTION": "1",
        "ZHIFA_DATA_DIR": str(tmp_path),
        "PYTHONIOENCODING": "utf-8",
        **env,
    }
    return subprocess.run(
        [sys.executable, "-c", code], env=clean, capture_output=True, text=True, encoding="utf-8", timeout=120
    )


def test_production_without_secret_key_refuses_to_start(tmp_path: Path) -> None:
    result = start(tmp_path)

    assert result.returncode != 0
    assert "生产模式拒绝启动：ZHIFA_SECRET_KEY 未设置或过短" in result.stderr


def test_production_with_a_short_secret_key_refuses_to_start(tmp_path: Path) -> None:
    result = start(tmp_path, ZHIFA_SECRET_KEY="k" * 31)

    assert result.returncode != 0
    assert "ZHIFA_SECRET_KEY 未设置或过短" in result.stderr


def test_production_with_debug_on_refuses_to_start(tmp_path: Path) -> None:
    result = start(tmp_path, ZHIFA_SECRET_KEY=LONG_KEY, ZHIFA_DEBUG="1")

    assert result.returncode != 0
    assert "生产模式拒绝启动：ZHIFA_DEBUG 必须关闭" in result.stderr


def test_production_with_long_key_and_debug_off_starts_with_secure_cookies(tmp_path: Path) -> None:
    result = start(tmp_path, CHECK_COOKIES, ZHIFA_SECRET_KEY=LONG_KEY)

    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["True", "True", "False"]


def test_development_mode_starts_without_key_and_without_secure_cookies(tmp_path: Path) -> None:
    result = start(tmp_path, CHECK_COOKIES, ZHIFA_PRODUCTION="0")

    assert result.returncode == 0, result.stderr
    assert result.stdout.split()[:2] == ["False", "False"]
