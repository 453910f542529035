"""The book as a whole: the table of contents, the files under book/ and the coverage map agree."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from conftest import (
    ROOT,
    SHARED,
    cell_source,
    load_notebook,
    repository_module,
    source_of,
    toc_entries,
)
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from packaging.version import Version

EXPECTED_SECTIONS = 42


def test_every_toc_entry_has_exactly_one_source_file() -> None:
    for entry in toc_entries():
        source_of(entry)


def test_every_page_under_book_is_in_the_toc() -> None:
    listed = {ROOT / entry for entry in toc_entries()}
    pages = [p for p in (ROOT / "book").rglob("*") if p.suffix in {".md", ".ipynb"}]
    orphans = [p.relative_to(ROOT) for p in pages if p.with_suffix("") not in listed]
    assert not orphans, f"pages missing from _toc.yml: {orphans}"


def test_coverage_map_lists_every_source_section(coverage: dict) -> None:
    ids = [section["id"] for section in coverage["sections"]]
    assert len(ids) == len(set(ids)), "a section ID appears twice in book/coverage.yml"
    assert len(ids) == EXPECTED_SECTIONS
    seed_list = SHARED / "seed-sections.md"
    if seed_list.exists():
        seed_ids = re.findall(r"^\| (\d{3}\.[a-z]+\d+) \|", seed_list.read_text(), re.M)
        assert sorted(ids) == sorted(seed_ids)


def test_every_section_has_a_title_and_an_answer(coverage: dict) -> None:
    toc = set(toc_entries())
    for section in coverage["sections"]:
        assert section["title"].strip(), section["id"]
        answered = section.get("chapters", []) + section.get("planned", [])
        assert answered, f"{section['id']} names no chapter"
        for chapter in answered:
            assert chapter in toc, f"{section['id']}: {chapter} is not in _toc.yml"


def test_finished_chapters_cite_the_sections_they_answer(coverage: dict) -> None:
    for section in coverage["sections"]:
        for chapter in section.get("chapters", []):
            path = source_of(chapter)
            text = path.read_text(encoding="utf-8")
            if path.suffix == ".ipynb":
                cells = load_notebook(path)["cells"]
                text = "".join(cell_source(c) for c in cells if c["cell_type"] == "markdown")
            assert section["id"] in text, f"{chapter} does not cite {section['id']}"
            assert section["title"] in text, f"{chapter} lacks the Chinese title of {section['id']}"


def test_planned_chapters_are_still_stubs(coverage: dict) -> None:
    """A chapter stays `planned` only while it is a stub; a finished one moves to `chapters`."""
    finished = {c for s in coverage["sections"] for c in s.get("chapters", [])}
    for section in coverage["sections"]:
        for chapter in section.get("planned", []):
            if chapter in finished:
                continue
            assert source_of(chapter).suffix == ".md", (
                f"{chapter} is a notebook: list it under `chapters` for {section['id']}"
            )


@pytest.mark.parametrize(
    "path",
    [
        "README.md",
        "CONTRIBUTING.md",
        "LICENSE.md",
        "requirements.txt",
        "requirements-dev.txt",
        "requirements-nodeps.txt",
        "constraints.txt",
        "constraints-colab.txt",
        "colab/pip-freeze.cpu.txt",
    ],
)
def test_project_files_exist(path: str) -> None:
    assert (ROOT / path).is_file()


def pinned_versions(path: Path) -> dict[str, Version]:
    """Canonical name -> version of each `name==version` line of a constraints file."""
    pins = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if "==" in line and not line.startswith("#"):
            name, version = line.split("==", 1)
            pins[canonicalize_name(name)] = Version(version.split("+")[0])
    return pins


def test_no_dependency_installs_are_pinned_and_match_the_setup_cells() -> None:
    """requirements-nodeps.txt pins exactly what the setup cells install with --no-deps."""
    colab_constraints = repository_module("scripts/colab_constraints.py")
    pinned = {
        canonicalize_name(Requirement(line).name): line
        for line in (ROOT / "requirements-nodeps.txt").read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.startswith("#")
    }
    assert all("==" in line for line in pinned.values()), pinned
    no_deps = colab_constraints.book_setup_installs(ROOT / "book")[1]
    assert {canonicalize_name(Requirement(r).name) for r in no_deps} == set(pinned)


def test_requirement_floors_are_versions_that_were_run() -> None:
    """A floor promises that the chapters ran with that version: CI's pin or Colab's."""
    ci = pinned_versions(ROOT / "constraints.txt")
    colab = pinned_versions(ROOT / "constraints-colab.txt")
    for line in (ROOT / "requirements.txt").read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        requirement = Requirement(line.split("#")[0])
        name = canonicalize_name(requirement.name)
        floors = [Version(s.version) for s in requirement.specifier if s.operator in (">=", "==")]
        assert len(floors) == 1, f"{line}: give one floor (>=)"
        assert floors[0] <= ci[name], f"{line}: CI runs {ci[name]}, below the floor"
        if name in colab:
            assert floors[0] == min(ci[name], colab[name]), (
                f"{line}: CI {ci[name]}, Colab {colab[name]}"
            )
