"""``zhifa push-webhooks`` (docs/deployment.md) is the Django command ``push_webhooks`` of zhifa.channels."""

from __future__ import annotations

import pytest

from zhifa import cli


def test_the_console_script_names_it_push_webhooks(monkeypatch: pytest.MonkeyPatch) -> None:
    called: list[list[str]] = []
    monkeypatch.setattr(cli, "execute_from_command_line", called.append)
    cli.main(["push-webhooks", "--max-per-endpoint", "5"])
    assert called == [["zhifa", "push_webhooks", "--max-per-endpoint", "5"]]
