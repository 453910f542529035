"""The Chinese edition's translations: complete, current, and with the English markup kept.

Coverage is measured against the English as it is now: the templates that
`python scripts/edition.py extract` writes to `_build/gettext` (scripts/test.sh runs it before
the tests). An English string that changed since it was translated counts as untranslated, and
its old translation is listed as stale by `python scripts/translation.py report`.
"""

from __future__ import annotations

import os
from pathlib import Path

import nbformat
import pytest
from babel.messages.catalog import Catalog
from conftest import ROOT, cell_source, load_notebook, repository_module, source_of, toc_entries

translation = repository_module("scripts/translation.py")

LANGUAGE = "zh_CN"
CATALOGUES = ROOT / "locales" / LANGUAGE / "LC_MESSAGES"
MIN_SHARE = 0.95  # issue 16: a page below 95 % translated fails


def catalogue_of(entry: str) -> Path:
    return CATALOGUES / f"{entry}.po"


@pytest.fixture(scope="module")
def templates() -> Path:
    if not translation.TEMPLATES.is_dir():
        pytest.fail("no templates in _build/gettext: run `python scripts/edition.py extract`")
    return translation.TEMPLATES


@pytest.mark.parametrize("entry", toc_entries())
def test_every_page_is_translated_with_its_markup(templates: Path, entry: str) -> None:
    template = templates / f"{entry}.pot"
    assert template.exists(), f"no English template for {entry}"
    assert catalogue_of(entry).exists(), f"no catalogue for {entry}: run `make translations`"
    counts = translation.coverage(catalogue_of(entry), template)
    assert counts.share >= MIN_SHARE, (
        f"{entry}: {counts.translated} of {counts.total} strings translated ({counts.share:.1%})"
    )
    assert counts.broken == [], f"translations that lost the English markup: {counts.broken}"


def test_glued_words_are_translated() -> None:
    """A verdict glued as a word ("faster") is pasted in Chinese in the Chinese edition."""
    executed = os.environ.get("EXECUTED_DIR")
    if executed is None:
        pytest.skip("EXECUTED_DIR is not set (scripts/test.sh sets it)")
    known = translation.messages(translation.load(translation.GLUED))
    translated = {m.id for m in known if m.string and not m.fuzzy}
    missing = {}
    for path in sorted(Path(executed, "book").rglob("*.ipynb")):
        words = translation.glued_words(nbformat.read(path, as_version=4))
        missing |= {f"{path.stem}: {name}": text for name, text in words.items()}
    missing = {key: text for key, text in missing.items() if text not in translated}
    assert missing == {}, (
        f"glued words without a translation: {missing}; run "
        f"`python scripts/translation.py glued {executed}` and translate {translation.GLUED}"
    )


@pytest.mark.parametrize("entry", toc_entries())
def test_no_footnotes(entry: str) -> None:
    """A MyST footnote cannot be translated: Sphinx parses each translated string alone, where
    `[^name]` has no definition, and the build warns (inconsistent footnote references)."""
    path = source_of(entry)
    if path.suffix == ".ipynb":
        cells = load_notebook(path)["cells"]
        text = "\n".join(cell_source(c) for c in cells if c["cell_type"] == "markdown")
    else:
        text = path.read_text(encoding="utf-8")
    assert "[^" not in text, f"{entry} uses a footnote: write it as a sentence or a citation"


def test_no_catalogue_without_a_page() -> None:
    pages = {catalogue_of(entry) for entry in toc_entries()}
    orphans = sorted(set(CATALOGUES.rglob("*.po")) - pages)
    assert orphans == [], f"catalogues of pages that are not in the book: {orphans}"


def _catalogue(pairs: dict[str, str], fuzzy: tuple[str, ...] = ()) -> Catalog:
    catalog = Catalog(locale=LANGUAGE)
    for english, chinese in pairs.items():
        catalog.add(english, chinese, flags=["fuzzy"] if english in fuzzy else [])
    return catalog


def test_coverage_counts_changed_english_and_lost_markup(tmp_path: Path) -> None:
    """The measure itself: a changed English string, a fuzzy one, lost markup all show."""
    english = {
        "Accuracy is {glue:text}`acc:.1%`.": "",
        "Use `torch.compile`.": "",
        "The short answer": "",
        "Checks": "",
    }
    template, catalogue = tmp_path / "page.pot", tmp_path / "page.po"
    translation.save(_catalogue(english), template)
    translated = {
        "Accuracy is {glue:text}`acc:.1%`.": "准确率为 {glue:text}`acc:.1%`。",
        "Use `torch.compile`.": "使用 torch.compile。",  # inline code lost
        "The short answer": "简短回答",
        "Checks": "检查",
    }
    translation.save(_catalogue(translated, fuzzy=("Checks",)), catalogue)
    counts = translation.coverage(catalogue, template)
    assert (counts.total, counts.translated) == (4, 3)
    assert counts.broken == ["Use `torch.compile`."]
    assert counts.stale == ["Checks"]

    english["The short answer, changed"] = english.pop("The short answer")
    translation.save(_catalogue(english), template)
    counts = translation.coverage(catalogue, template)
    assert counts.translated == 2
    assert "The short answer" in counts.stale
