"""Colab: a setup cell installs what Colab lacks and changes nothing that Colab ships.

Colab's own package list (`colab/pip-freeze.cpu.txt`, see `colab/README.md`) stands in for the
runtime. Each notebook's `%pip install` line is parsed, then resolved by pip on Python 3.13
(Colab's) with `--dry-run --report` against an environment that holds Colab's versions (one
`NAME-VERSION.dist-info/METADATA` per package: metadata is all pip reads). The resolution must
add packages only: no upgrade, downgrade or reinstall of anything Colab ships. Every module a
notebook imports must then come from Colab or from that resolution.
"""

from __future__ import annotations

import functools
import json
import os
import re
import shutil
import subprocess
import sys
from importlib.metadata import packages_distributions
from pathlib import Path

import pytest
from conftest import (
    ROOT,
    cell_source,
    code_cells,
    imported_modules,
    load_notebook,
    notebooks,
    repository_module,
)
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

FREEZE = ROOT / "colab" / "pip-freeze.cpu.txt"
PYENV_313 = Path.home() / ".pyenv" / "versions" / "3.13.0" / "bin" / "python3.13"
NOTEBOOKS = notebooks()
IDS = [str(p.relative_to(ROOT)) for p in NOTEBOOKS]


def colab_ships() -> dict[str, str]:
    """Canonical name -> version of every package in Colab's freeze (URL installs included)."""
    shipped = {}
    for line in FREEZE.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        if " @ " in line:  # e.g. torch @ https://.../torch-2.11.0%2Bcpu-cp313-...whl
            name, url = line.split(" @ ", 1)
            match = re.search(rf"/{re.escape(name)}-([^-/]+)-", url.replace("%2B", "+"))
            shipped[canonicalize_name(name)] = match.group(1) if match else "0"
        else:
            name, version = line.split("==", 1)
            shipped[canonicalize_name(name)] = version
    return shipped


SHIPPED = colab_ships()
colab_constraints = repository_module("scripts/colab_constraints.py")


def setup_installs(path: Path) -> tuple[list[str], list[str]]:
    """(with dependencies, `--no-deps`) requirements of a notebook's `%pip install` lines."""
    return colab_constraints.setup_installs(cell_source(code_cells(load_notebook(path))[0]))


def test_colab_snapshot_is_readable() -> None:
    assert {"torch", "numpy", "pandas", "scikit-learn", "protobuf", "psutil"} <= SHIPPED.keys()
    assert SHIPPED["numpy"] == "2.1.3"


def test_install_lines_parse() -> None:
    setup = '    %pip install --quiet "onnx<1.23" fairlearn  # why\n    %pip install --no-deps a==1'
    assert colab_constraints.setup_installs(setup) == (["onnx<1.23", "fairlearn"], ["a==1"])


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_setup_cell_installs_nothing_colab_ships(path: Path) -> None:
    """Naming a shipped package can only reinstall or move it: Colab's copy is the one to use."""
    for requirement in sum(setup_installs(path), []):
        name = canonicalize_name(Requirement(requirement).name)
        assert name not in SHIPPED, f"{path.name} installs {requirement}: Colab ships {name}"


@functools.cache
def colab_environment(tmp_root: Path) -> tuple[Path, Path]:
    """A Python 3.13 venv with pip, and a folder of Colab's packages as metadata only."""
    python = str(PYENV_313) if PYENV_313.exists() else shutil.which("python3.13")
    if python is None:
        pytest.fail("Python 3.13 (Colab's) is needed for the dry run: install it with pyenv")
    env_dir = tmp_root / "py313"
    if not env_dir.exists():
        subprocess.run([python, "-m", "venv", str(env_dir)], check=True)
    site = tmp_root / "colab-site"
    site.mkdir(exist_ok=True)
    for name, version in SHIPPED.items():
        info = site / f"{name.replace('-', '_')}-{version}.dist-info"
        info.mkdir(exist_ok=True)
        (info / "METADATA").write_text(
            f"Metadata-Version: 2.1\nName: {name}\nVersion: {version}\n", encoding="utf-8"
        )
        (info / "INSTALLER").write_text("pip\n", encoding="utf-8")
    return env_dir / "bin" / "python", site


@functools.cache
def dry_run(requirements: tuple[str, ...], tmp_root: Path, no_deps: bool = False) -> list[dict]:
    """pip's report of what `pip install REQUIREMENTS` would install on Colab (nothing changes)."""
    python, site = colab_environment(tmp_root)
    report = tmp_root / f"report-{abs(hash((requirements, no_deps)))}.json"
    command = [str(python), "-m", "pip", "install", "--dry-run", "--quiet", "--report"]
    command += [str(report), *requirements] + (["--no-deps"] if no_deps else [])
    environment = {**os.environ, "PYTHONPATH": str(site), "PIP_DISABLE_PIP_VERSION_CHECK": "1"}
    result = subprocess.run(command, capture_output=True, text=True, env=environment)
    assert result.returncode == 0, f"pip could not resolve {requirements}:\n{result.stderr}"
    return json.loads(report.read_text(encoding="utf-8"))["install"]


def resolved(path: Path, tmp_root: Path) -> list[dict]:
    """What a notebook's setup cell would install on Colab, in pip's report format."""
    with_deps, no_deps = (tuple(sorted(r)) for r in setup_installs(path))
    found = dry_run(with_deps, tmp_root) if with_deps else []
    return found + (dry_run(no_deps, tmp_root, no_deps=True) if no_deps else [])


@pytest.fixture(scope="session")
def tmp_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("colab")


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_setup_cell_changes_nothing_colab_ships(path: Path, tmp_root: Path) -> None:
    changed = [
        f"{item['metadata']['name']} {SHIPPED[canonicalize_name(item['metadata']['name'])]}"
        f" -> {item['metadata']['version']}"
        for item in resolved(path, tmp_root)
        if canonicalize_name(item["metadata"]["name"]) in SHIPPED
    ]
    assert not changed, f"{path.name}: its installs change what Colab ships: {changed}"


# Imported inside `try: ... except ImportError:` with a fallback that Colab uses.
OPTIONAL_IMPORTS = {"myst_nb"}


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_every_import_is_shipped_or_installed(path: Path, tmp_root: Path) -> None:
    """Every module comes from the standard library, from Colab or from the setup cell."""
    installed = {canonicalize_name(r) for r in SHIPPED}
    installed |= {canonicalize_name(i["metadata"]["name"]) for i in resolved(path, tmp_root)}
    distributions = packages_distributions()  # module -> distributions, in the CI environment
    missing = []
    for module in sorted(imported_modules(path) - OPTIONAL_IMPORTS):
        if module in sys.stdlib_module_names or module == "__future__":
            continue
        providers = {canonicalize_name(d) for d in distributions.get(module, [])}
        assert providers, f"{path.name} imports {module}, which no installed package provides"
        if not providers & installed:
            missing.append(f"{module} (from {', '.join(sorted(providers))})")
    assert not missing, f"{path.name}: Colab lacks {missing}; install it in the setup cell"
