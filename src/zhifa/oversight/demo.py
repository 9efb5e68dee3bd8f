"""stub"""

from typing import Any


def build_oversight_demo(ctx: Any) -> None:
    return None
