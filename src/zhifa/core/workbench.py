"""What each role must do today: the panels of the 工作台."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass
class Panel:
    title: str
    items: list[dict[str, Any]] = field(default_factory=list)
    empty_text: str = "暂无待办"
    link: str = ""


def workbench_for(user: Any) -> list[Panel]:
    return []
