"""Shared fixtures: where the book's files are, and what the table of contents lists."""

from __future__ import annotations

import ast
import importlib.util
import json
import os
import re
import sys
from pathlib import Path
from types import ModuleType

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"


def repository_module(relative: str) -> ModuleType:
    """Import one of the repository's scripts or extensions by its path from the root."""
    path = ROOT / relative
    spec = importlib.util.spec_from_file_location(path.stem, path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[path.stem] = module
    spec.loader.exec_module(module)
    return module


def toc_entries() -> list[str]:
    """Every `file:` of `_toc.yml` (the root included), as paths without an extension."""
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text(encoding="utf-8"))
    entries = [toc["root"]]
    for part in toc["parts"]:
        entries += [chapter["file"] for chapter in part["chapters"]]
    return entries


def source_of(entry: str) -> Path:
    """The `.ipynb` or `.md` file that a toc entry names."""
    matches = [ROOT / f"{entry}{suffix}" for suffix in (".ipynb", ".md")]
    existing = [path for path in matches if path.exists()]
    assert len(existing) == 1, f"{entry}: expected exactly one of {matches}, found {existing}"
    return existing[0]


def notebooks() -> list[Path]:
    return sorted((ROOT / "book").rglob("*.ipynb")) + sorted((ROOT / "templates").glob("*.ipynb"))


def load_notebook(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def code_cells(notebook: dict) -> list[dict]:
    return [cell for cell in notebook["cells"] if cell["cell_type"] == "code"]


def cell_source(cell: dict) -> str:
    source = cell["source"]
    return source if isinstance(source, str) else "".join(source)


def python_of(source: str) -> str:
    """A code cell as plain Python: IPython's `%` and `!` lines become `pass  # %...`.

    A `pass` keeps a block whose body is only a magic (`if colab: %pip install ...`) parsable.
    """
    return re.sub(r"^(\s*)([%!].*)$", r"\1pass  # \2", source, flags=re.M)


def modules_in(source: str) -> set[str]:
    """Top-level modules that one cell's Python imports (not words in its strings or comments).

    IPython's `%` and `!` lines are skipped; a `%%writefile` cell is read as the script it writes.
    A fragment that does not parse alone (a script appended in parts) falls back to a line scan.
    """
    lines = source.splitlines()
    if lines and lines[0].startswith("%%"):
        lines = lines[1:]
    code = python_of("\n".join(lines))
    try:
        tree = ast.parse(code)
    except SyntaxError:
        found = set(re.findall(r"^\s*(?:from|import)\s+(\w+)", code, re.M))
        return found | set(re.findall(r"^\s*import\s+\w+(?:\s+as\s+\w+)?,\s*(\w+)", code, re.M))
    modules = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            modules |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            modules.add(node.module.split(".")[0])
    return modules


def imported_modules(path: Path) -> set[str]:
    """Top-level modules that a notebook imports, less the scripts it writes with %%writefile."""
    cells = [cell_source(cell) for cell in code_cells(load_notebook(path))]
    written = {
        module
        for source in cells
        for line in re.findall(r"^%%writefile\s+(.*)$", source, re.M)
        for module in re.findall(r"(\w+)\.py\b", line)
    }
    modules = set()
    for source in cells:
        modules |= modules_in(source)
    return modules - written


@pytest.fixture(scope="session")
def coverage() -> dict:
    return yaml.safe_load((ROOT / "book" / "coverage.yml").read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def site_dir() -> Path:
    """The built HTML site: `SITE_DIR` (set by scripts/test.sh) or `_build/html`."""
    site = Path(os.environ.get("SITE_DIR", ROOT / "_build" / "html")).resolve()
    if not (site / "index.html").exists():
        pytest.fail(f"no built site at {site}: run `make test` (or `make site`) first")
    return site
