"""What a Colab or Jupyter reader sees: prose without the book's markup.

The Colab button opens the reader's edition that `scripts/reader_edition.py` writes (see
`_ext/colab_link.py`); `scripts/test.sh` writes it to READER_DIR before these tests run. Its
Markdown must hold no role, no directive fence and no directive option, and every number that
the site shows in a sentence must be there as text.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
import yaml
from conftest import ROOT, cell_source, load_notebook

CHAPTERS = sorted((ROOT / "book").rglob("*.ipynb"))
IDS = [str(p.relative_to(ROOT)) for p in CHAPTERS]
READER = os.environ.get("READER_DIR")
COLAB_URL = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))["sphinx"]["config"][
    "colab_notebook_url"
]
# Book markup that Colab would show raw.
RAW_MARKUP = re.compile(r"\{[\w:-]+\}`|^```+\s*\{|^:::+|^:(class|name|label):", re.M)
ROLE = re.compile(r"\{(?:glue|cite|doc|term|ref|numref|eq)[\w:-]*\}`[^`]*`")


def markdown_of(path: Path) -> list[str]:
    return [cell_source(c) for c in load_notebook(path)["cells"] if c["cell_type"] == "markdown"]


def without_code_blocks(markdown: str) -> str:
    """Markdown without fenced code blocks (```python ... ```), where markup is only shown."""
    return re.sub(r"^```+(?!\s*\{).*?^```+", "", markdown, flags=re.M | re.S)


@pytest.mark.parametrize("path", CHAPTERS, ids=IDS)
def test_no_role_is_swallowed_by_a_code_span(path: Path) -> None:
    """`{glue:text}`x`` inside backticks renders as code on the site, with no build warning."""
    for markdown in markdown_of(path):
        text = without_code_blocks(markdown)
        for match in ROLE.finditer(text):
            before = text[: match.start()]
            # An odd number of backticks before the role on its line: the role is in a code span.
            line = before[before.rfind("\n") + 1 :]
            assert line.count("`") % 2 == 0, f"{path.name}: a role inside a code span: {line}..."


def test_colab_url_pattern_names_the_path() -> None:
    assert "{path}" in COLAB_URL
    assert COLAB_URL.startswith("https://colab.research.google.com/")


@pytest.mark.parametrize("path", CHAPTERS, ids=IDS)
def test_reader_edition_has_no_raw_markup(path: Path) -> None:
    if READER is None:
        pytest.skip("run by scripts/test.sh after scripts/reader_edition.py")
    relative = path.relative_to(ROOT).as_posix()
    # The file that the Colab button opens: the path after the branch in its URL.
    opened = COLAB_URL.format(path=relative).split("/blob/", 1)[1].split("/", 1)[1]
    edition = Path(READER) / opened
    assert edition.exists(), f"no reader's edition at {edition}"
    for markdown in markdown_of(edition):
        match = RAW_MARKUP.search(without_code_blocks(markdown))
        assert match is None, f"{relative}: raw markup in the reader's edition: {match.group(0)!r}"
    source = "".join(markdown_of(path))
    if "{glue:text}" in source:
        assert "[glue]" in "".join(markdown_of(edition)), (
            "the edition does not say where numbers come from"
        )
