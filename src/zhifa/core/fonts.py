"""The CJK font that document PDFs embed (fpdf2 subsets it into each document)."""

from __future__ import annotations

from pathlib import Path

# fonts-noto-cjk (Debian; the Makefile installs it). Index 2 of the collection is the Simplified Chinese face.
FONT_CANDIDATES = (
    ("/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc", 2),
    ("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc", 2),
)


def font_file() -> tuple[str, int]:
    for path, index in FONT_CANDIDATES:
        if Path(path).exists():
            return path, index
    from zhifa.core.errors import ConfigurationMissing

    raise ConfigurationMissing(
        "未安装中文字体（fonts-noto-cjk），无法生成文书 PDF。请运行 make system-deps"
        "（或 sudo apt-get install fonts-noto-cjk）安装后重试。",
        "The Noto CJK fonts are not installed; documents cannot be rendered. Run `make system-deps`"
        " (or `sudo apt-get install fonts-noto-cjk`) and try again.",
        code="cjk_font_missing",
    )
