"""The CJK font lookup, kept at its old address: it lives in ``zhifa.core.pdf`` with the rest of the PDF kit."""

from __future__ import annotations

from zhifa.core.pdf import FONT_CANDIDATES, font_file

__all__ = ["FONT_CANDIDATES", "font_file"]
