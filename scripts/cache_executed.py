"""Hand the notebooks that nbmake executed to the site build's execution cache.

`scripts/test.sh` runs every notebook once with nbmake on a scratch copy. This script stores
each executed notebook in the jupyter-cache that `jupyter-book build` uses, keyed by the code of
the committed notebook and tagged with the time nbmake measured. The build then renders these
outputs instead of running the notebooks again, and its execution-status page lists nbmake's
times.

It refuses a run with a failure in it: a notebook that nbmake reports failed, or whose outputs
hold an error, is never cached (it would show as a pass on the status page). It then exits with
status 1 and names them, and caches nothing.

Usage: python scripts/cache_executed.py SCRATCH_DIR JUNIT_XML CACHE_DIR
"""

from __future__ import annotations

import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import nbformat
from jupyter_cache import get_cache
from jupyter_cache.base import CacheBundleIn


def nbmake_results(junit_xml: Path) -> tuple[dict[str, float], list[str]]:
    """Seconds per notebook file name, and the names that failed, from pytest's JUnit report."""
    times, failed = {}, []
    for case in ET.parse(junit_xml).getroot().iter("testcase"):
        times[case.get("name")] = float(case.get("time"))
        if case.find("failure") is not None or case.find("error") is not None:
            failed.append(case.get("name"))
    return times, failed


def error_outputs(notebook: nbformat.NotebookNode) -> list[str]:
    """`ename: evalue` of every error output that an executed notebook holds."""
    return [
        f"{output.ename}: {output.evalue}"
        for cell in notebook.cells
        if cell.cell_type == "code"
        for output in cell.get("outputs", [])
        if output.output_type == "error"
    ]


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


def main(scratch: Path, junit_xml: Path, cache_dir: Path) -> int:
    times, failed = nbmake_results(junit_xml)
    executed_paths = sorted((scratch / "book").rglob("*.ipynb"))
    executed = {path: nbformat.read(path, as_version=4) for path in executed_paths}
    problems = [f"{name}: nbmake reports a failure" for name in failed]
    problems += [
        f"{path.name}: {error}"
        for path, notebook in executed.items()
        for error in error_outputs(notebook)
    ]
    problems += [
        f"{path.name}: nbmake did not run it" for path in executed if path.name not in times
    ]
    if problems:
        print("refusing to cache a run with failures:\n  " + "\n  ".join(problems), file=sys.stderr)
        return 1
    cache = get_cache(str(cache_dir))
    cache.clear_cache()
    for executed_path, notebook in executed.items():
        source_path = Path("book") / executed_path.relative_to(scratch / "book")
        source = nbformat.read(source_path, as_version=4)
        cache.cache_notebook_bundle(
            CacheBundleIn(
                with_outputs_of(source, notebook),
                str(source_path.resolve()),
                data={"execution_seconds": times[executed_path.name]},
            ),
            check_validity=False,
            overwrite=True,
        )
    print(f"cached {len(cache.list_cache_records())} executed notebooks in {cache_dir}")
    return 0


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1]), Path(sys.argv[2]), Path(sys.argv[3])))
