"""Hand the notebooks that nbmake executed to the site build's execution cache.

`scripts/test.sh` runs every notebook once with nbmake on a scratch copy. This script stores
each executed notebook in the jupyter-cache that `jupyter-book build` uses, keyed by the code of
the committed notebook and tagged with the time nbmake measured. The build then renders these
outputs instead of running the notebooks again, and its execution-status page lists nbmake's
times.

Usage: python scripts/cache_executed.py SCRATCH_DIR JUNIT_XML CACHE_DIR
"""

from __future__ import annotations

import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import nbformat
from jupyter_cache import get_cache
from jupyter_cache.base import CacheBundleIn


def nbmake_times(junit_xml: Path) -> dict[str, float]:
    """Seconds per notebook file name, from pytest's JUnit report of the nbmake run."""
    times = {}
    for case in ET.parse(junit_xml).getroot().iter("testcase"):
        times[case.get("name")] = float(case.get("time"))
    return times


def with_outputs_of(
    source: nbformat.NotebookNode, executed: nbformat.NotebookNode
) -> nbformat.NotebookNode:
    """The committed notebook (its metadata decides the cache key) carrying executed outputs."""
    assert len(source.cells) == len(executed.cells), "nbmake changed the number of cells"
    for cell, ran in zip(source.cells, executed.cells, strict=True):
        if cell.cell_type == "code":
            cell.outputs = ran.outputs
            cell.execution_count = ran.execution_count
    return source


def main(scratch: Path, junit_xml: Path, cache_dir: Path) -> None:
    times = nbmake_times(junit_xml)
    cache = get_cache(str(cache_dir))
    cache.clear_cache()
    for executed_path in sorted((scratch / "book").rglob("*.ipynb")):
        source_path = Path("book") / executed_path.relative_to(scratch / "book")
        source = nbformat.read(source_path, as_version=4)
        executed = nbformat.read(executed_path, as_version=4)
        cache.cache_notebook_bundle(
            CacheBundleIn(
                with_outputs_of(source, executed),
                str(source_path.resolve()),
                data={"execution_seconds": times[executed_path.name]},
            ),
            check_validity=False,
            overwrite=True,
        )
    print(f"cached {len(cache.list_cache_records())} executed notebooks in {cache_dir}")


if __name__ == "__main__":
    main(Path(sys.argv[1]), Path(sys.argv[2]), Path(sys.argv[3]))
