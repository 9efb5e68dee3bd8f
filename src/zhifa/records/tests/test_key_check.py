"""In production the ledger's signing key must live outside the data directory (``check --deploy``)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management import call_command

from zhifa.records.checks import KEY_INSIDE_DATA_DIR, signing_key_outside_data_dir


def test_production_with_the_key_in_the_data_dir_warns(settings: Any, tmp_path: Path) -> None:
    settings.PRODUCTION = True
    settings.DATA_DIR = tmp_path / "data"
    settings.ZHIFA_LEDGER_SIGNING_KEY_FILE = ""  # the default: $ZHIFA_DATA_DIR/keys/…
    found = signing_key_outside_data_dir()
    assert [w.id for w in found] == [KEY_INSIDE_DATA_DIR]
    assert "数据目录内" in found[0].msg
    settings.ZHIFA_LEDGER_SIGNING_KEY_FILE = str(tmp_path / "data" / "elsewhere" / "k.pem")
    assert [w.id for w in signing_key_outside_data_dir()] == [KEY_INSIDE_DATA_DIR]


def test_production_with_the_key_outside_is_quiet_and_so_is_development(
    settings: Any, tmp_path: Path
) -> None:
    settings.PRODUCTION = True
    settings.DATA_DIR = tmp_path / "data"
    settings.ZHIFA_LEDGER_SIGNING_KEY_FILE = str(tmp_path / "etc" / "ledger-ed25519.pem")
    assert signing_key_outside_data_dir() == []
    settings.PRODUCTION = False
    settings.ZHIFA_LEDGER_SIGNING_KEY_FILE = ""
    assert signing_key_outside_data_dir() == []


def test_check_deploy_reports_it(settings: Any, tmp_path: Path, capsys: Any) -> None:
    settings.PRODUCTION = True
    settings.DATA_DIR = tmp_path / "data"
    settings.ZHIFA_LEDGER_SIGNING_KEY_FILE = ""
    call_command("check", "--deploy", "--tag", "security")
    assert KEY_INSIDE_DATA_DIR in capsys.readouterr().err
