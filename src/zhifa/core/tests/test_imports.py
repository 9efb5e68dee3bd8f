"""No function-local imports: an import inside a function hides a dependency from readers and from import-linter
(the layers of docs/architecture.md; `make test` runs `lint-imports`). One is allowed only where the line, or the
line above it, says why with the marker ``# local import: <reason>`` (e.g. a heavy library only one command needs);
Django's ``AppConfig.ready()`` is where apps import their models and registries, so it is exempt.

The files that still have some are listed in ``local_imports_baseline.txt`` (file → count), which may only shrink:
a file's count may not grow, and no new file may appear. When you hoist imports, lower its number (or remove its
line); ``python src/zhifa/core/tests/test_imports.py`` rewrites the file from the code.
"""

from __future__ import annotations

import ast
import sys
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[2]  # src/zhifa
BASELINE = Path(__file__).with_name("local_imports_baseline.txt")
MARKER = "# local import:"


def _sources() -> list[Path]:
    return sorted(
        p
        for p in PACKAGE.rglob("*.py")
        if not {"migrations", "tests"} & set(p.relative_to(PACKAGE).parts[:-1])
    )


def _local_imports(path: Path) -> list[int]:
    """Line numbers of the imports inside a function of ``path`` that carry no reason."""
    text = path.read_text(encoding="utf-8")
    lines = text.splitlines()
    found: list[int] = []

    def visit(node: ast.AST, in_function: bool) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef):
                exempt = child.name == "ready" and path.name == "apps.py"
                visit(child, in_function or not exempt)
            elif isinstance(child, ast.Import | ast.ImportFrom):
                if in_function:
                    here = lines[child.lineno - 1]
                    above = lines[child.lineno - 2] if child.lineno > 1 else ""
                    if MARKER not in here and MARKER not in above:
                        found.append(child.lineno)
            else:
                visit(child, in_function)

    visit(ast.parse(text, filename=str(path)), False)
    return found


def _counts() -> dict[str, int]:
    counts = {}
    for path in _sources():
        n = len(_local_imports(path))
        if n:
            counts[path.relative_to(PACKAGE).as_posix()] = n
    return counts


def _baseline() -> dict[str, int]:
    counts = {}
    for line in BASELINE.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            name, count = line.rsplit(maxsplit=1)
            counts[name] = int(count)
    return counts


def _write_baseline() -> None:
    body = "".join(f"{name} {count}\n" for name, count in sorted(_counts().items()))
    header = "# function-local imports per file (src/zhifa/…): may only shrink — see test_imports.py\n"
    BASELINE.write_text(header + body, encoding="utf-8")


def test_no_new_function_local_imports() -> None:
    baseline = _baseline()
    grown = []
    for name, count in sorted(_counts().items()):
        allowed = baseline.get(name, 0)
        if count > allowed:
            where = ", ".join(str(n) for n in _local_imports(PACKAGE / name))
            grown.append(f"  {name}: {count} (baseline {allowed}) — lines {where}")
    assert not grown, (
        "Imports inside functions (hoist them to the top of the module, or say why on the line with "
        f"'{MARKER} <reason>'):\n" + "\n".join(grown)
    )


def test_the_baseline_follows_the_code_down() -> None:
    counts = _counts()
    stale = [
        f"  {name} {counts.get(name, 0)}  (baseline says {allowed})"
        for name, allowed in sorted(_baseline().items())
        if counts.get(name, 0) < allowed
    ]
    assert not stale, (
        "Fewer function-local imports than local_imports_baseline.txt allows — well done; lower the baseline so "
        "they cannot come back (or run `python src/zhifa/core/tests/test_imports.py`):\n" + "\n".join(stale)
    )


if __name__ == "__main__":
    _write_baseline()
    sys.stdout.write(f"{BASELINE} written: {sum(_counts().values())} imports in {len(_counts())} files\n")
