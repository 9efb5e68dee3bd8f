"""Every environment variable the platform reads is declared once and listed in the README."""

from __future__ import annotations

from pathlib import Path

from zhifa.core.env import VARIABLES

README = Path(__file__).resolve().parents[4] / "README.md"


def test_every_declared_variable_is_in_the_readme() -> None:
    text = README.read_text(encoding="utf-8")
    missing = [v.name for v in VARIABLES if f"`{v.name}`" not in text]
    assert not missing, f"README configuration table lacks {missing}"


def test_variables_are_declared_once() -> None:
    names = [v.name for v in VARIABLES]
    assert len(names) == len(set(names))
    assert all(name.startswith("ZHIFA_") for name in names)


def test_every_zhifa_variable_read_by_the_code_is_declared() -> None:
    import re

    src = Path(__file__).resolve().parents[2]
    declared = {v.name for v in VARIABLES}
    used: set[str] = set()
    for path in src.rglob("*.py"):
        if "tests" in path.parts:
            continue
        text = path.read_text(encoding="utf-8")
        used |= set(
            re.findall(r"(?:env_\w+|environ\.get|getenv|environ\[)\(?\s*[\"'](ZHIFA_[A-Z0-9_]+)", text)
        )
    assert used - declared == set(), f"read but not declared in zhifa.core.env.VARIABLES: {used - declared}"
