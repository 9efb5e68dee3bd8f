#!/usr/bin/env python
"""Write the API's OpenAPI document to docs/openapi.json — the committed contract.

    .venv/bin/python scripts/export-openapi.py           # (re)write docs/openapi.json
    .venv/bin/python scripts/export-openapi.py --check   # exit 1 if docs/openapi.json is out of date

The document is the one Django Ninja serves at /api/openapi.json. The test suite regenerates it and diffs
(src/zhifa/core/tests/test_openapi.py), so every change to the API's shape is a deliberate, reviewed diff.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TARGET = ROOT / "docs" / "openapi.json"
API_PREFIX = "/api/"


def render() -> str:
    """The OpenAPI document as stable, human-diffable JSON (Chinese kept readable, trailing newline)."""
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zhifa.settings")
    django.setup()
    from ninja.responses import NinjaJSONEncoder

    from zhifa.api import api

    # The prefix where zhifa/urls.py mounts the API; given here so that the export needs no URLconf.
    schema = api.get_openapi_schema(path_prefix=API_PREFIX)
    return json.dumps(schema, cls=NinjaJSONEncoder, indent=2, ensure_ascii=False) + "\n"


def main(argv: list[str]) -> int:
    text = render()
    if "--check" in argv:
        if not TARGET.exists() or TARGET.read_text(encoding="utf-8") != text:
            print(
                f"{TARGET.relative_to(ROOT)} is out of date: run .venv/bin/python scripts/export-openapi.py"
            )
            return 1
        return 0
    TARGET.parent.mkdir(parents=True, exist_ok=True)
    TARGET.write_text(text, encoding="utf-8")
    print(f"wrote {TARGET.relative_to(ROOT)} ({len(json.loads(text)['paths'])} paths)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
