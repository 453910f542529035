"""Notebook hygiene: what every chapter notebook must (and must not) contain."""

from __future__ import annotations

import ast
import os
import re
from pathlib import Path

import pytest
from conftest import ROOT, cell_source, code_cells, imported_modules, load_notebook, notebooks

NOTEBOOKS = notebooks()
IDS = [str(p.relative_to(ROOT)) for p in NOTEBOOKS]

# Calls that fetch data or weights at run time: the book runs offline, from packaged data.
DOWNLOADS = re.compile(
    r"fetch_openml|fetch_california|fetch_covtype|fetch_20newsgroups|fetch_lfw|from_pretrained\("
    r"|urlopen|urlretrieve|requests\.get|hf_hub_download|snapshot_download|download\s*=\s*True"
    r"|load_dataset\(|wget |curl "
)
# The one chapter that loads an untrusted pickle on purpose, to show why nobody else may.
UNSAFE_LOAD_DEMO = "book/part7-privacy-security/model-security.ipynb"


# Cell tags that change how a cell runs. Colab and Jupyter ignore them, so a notebook that needs
# one stops "Run all" there (expected errors go inside `with expect_error(...)` instead).
EXECUTION_TAGS = {"raises-exception", "skip-execution"}
# Helpers that the setup cell of every notebook defines, kept identical to the template's.
SETUP_HELPERS = ("glue", "expect_error")
TEMPLATE = ROOT / "templates" / "chapter-template.ipynb"
# A line that mentions the device may choose only the dtype, the backend or where tensors live:
# each allowed line holds one of these. Anything else (sizes, epochs, repeats) must not depend on
# whether a GPU is present, so that a GPU reader runs what CI checked.
DEVICE_TEST = re.compile(r"DEVICE\.type|\.is_cuda\b|cuda\.is_available\(\)|\bON_GPU\b")
DEVICE_ALLOWED = re.compile(
    r"DEVICE = torch\.device|autocast|GradScaler|float16|bfloat16|AMP_DTYPE|\bnccl\b|\bgloo\b"
    r"|FP16|fp16|synchronize|get_device_name|rng_state|device_type|\.to\(|title=|print\(|f\""
)

# Python modules of this repository, which no notebook may import.
LOCAL_FOLDERS = ("_ext", "scripts", "tests")
LOCAL_MODULES = {module.stem for folder in LOCAL_FOLDERS for module in (ROOT / folder).glob("*.py")}


def test_there_are_notebooks() -> None:
    assert len(NOTEBOOKS) >= 2


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_committed_without_outputs(path: Path) -> None:
    for cell in code_cells(load_notebook(path)):
        assert not cell.get("outputs"), f"{path.name}: a cell has outputs (run nbstripout)"
        assert cell.get("execution_count") is None, f"{path.name}: an execution count is left"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_first_code_cell_is_the_standard_setup(path: Path) -> None:
    """Colab installs (checked against Colab's packages in test_colab.py), glue and the seed."""
    setup = cell_source(code_cells(load_notebook(path))[0])
    assert 'if "google.colab" in sys.modules:' in setup, "no Colab-guarded install block"
    assert "SEED" in setup, "the setup cell defines no SEED"
    assert "from myst_nb import glue" in setup, "the setup cell does not import glue"


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
    for module in imported_modules(path):
        assert module not in LOCAL_MODULES, f"{path.name} imports the local module {module}"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_no_cell_relies_on_execution_tags(path: Path) -> None:
    for cell in code_cells(load_notebook(path)):
        tags = set(cell.get("metadata", {}).get("tags", []))
        assert not tags & EXECUTION_TAGS, (
            f"{path.name}: tagged {sorted(tags & EXECUTION_TAGS)}; Colab ignores tags, so wrap the "
            f"failing code in `with expect_error(...)` instead:\n{cell_source(cell)[:300]}"
        )


def setup_definitions(path: Path) -> dict[str, str]:
    """Source of each SETUP_HELPERS function that a notebook's setup cell defines."""
    setup = cell_source(code_cells(load_notebook(path))[0])
    # IPython's `%pip` line is not Python; it only appears inside the Colab block.
    tree = ast.parse(re.sub(r"^(\s*)%", r"\1pass  # %", setup, flags=re.M))
    return {
        node.name: ast.unparse(node)
        for node in ast.walk(tree)
        if isinstance(node, ast.FunctionDef) and node.name in SETUP_HELPERS
    }


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_setup_helpers_are_the_templates(path: Path) -> None:
    """One kept copy: `glue`'s fallback and `expect_error` are exactly the template's."""
    expected = setup_definitions(TEMPLATE)
    assert sorted(expected) == sorted(SETUP_HELPERS)
    assert setup_definitions(path) == expected, (
        f"{path.name}: setup helpers differ from the template"
    )


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_seed_can_be_overridden(path: Path) -> None:
    setup = cell_source(code_cells(load_notebook(path))[0])
    assert re.search(r'^SEED = int\(os\.environ\.get\("BOOK_SEED", "\d+"\)\)', setup, re.M), (
        f"{path.name}: SEED must come from BOOK_SEED, as in the template"
    )


def device_dependent_lines(source: str) -> list[str]:
    """Lines that test the device for anything but the dtype, the backend or tensor placement.

    A line that tests the device is allowed if it, or (for an `if`) every line of the block it
    opens, matches DEVICE_ALLOWED.
    """
    lines = source.splitlines()
    offending = []
    for number, line in enumerate(lines):
        if not DEVICE_TEST.search(line) or DEVICE_ALLOWED.search(line):
            continue
        indent = len(line) - len(line.lstrip())
        block = []
        for following in lines[number + 1 :]:
            if following.strip() and len(following) - len(following.lstrip()) <= indent:
                break
            if following.strip() and not following.strip().startswith("#"):
                block.append(following)
        if not (line.rstrip().endswith(":") and block and all(map(DEVICE_ALLOWED.search, block))):
            offending.append(line.strip())
    return offending


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_nothing_but_dtype_and_backend_depends_on_the_device(path: Path) -> None:
    offending = [
        line
        for cell in code_cells(load_notebook(path))
        for line in device_dependent_lines(cell_source(cell))
    ]
    assert not offending, f"{path.name}: settings that depend on the device: {offending}"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_run_time_comes_from_the_build(path: Path) -> None:
    """The header states the run time through `{run-time}`, never as a typed number."""
    header = cell_source(load_notebook(path)["cells"][0])
    assert "**Run time.** {run-time}`this page`" in header, f"{path.name}: header run time"
    typed = re.search(r"\b\d+\s?s\b(?: of CPU time)?(?: on two)", header)
    assert typed is None, f"{path.name}: a typed run time: {typed.group(0)!r}"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_every_cell_has_a_unique_id(path: Path) -> None:
    """nbformat 4.5 requires cell ids; a missing or repeated one breaks tools that read them."""
    ids = [cell.get("id") for cell in load_notebook(path)["cells"]]
    assert None not in ids, f"{path.name}: a cell has no id (nbformat.validator.normalize adds one)"
    assert len(ids) == len(set(ids)), f"{path.name}: two cells share an id"


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
