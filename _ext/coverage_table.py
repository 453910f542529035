"""The ``{coverage-table}`` directive: render ``book/coverage.yml`` as a table with links.

Each row is one section of the source documents: its ID, its Chinese title, what it asks, and the
chapters that answer it (links checked by Sphinx, so a wrong path fails a ``-W`` build) or the
chapters where its answer is planned. Its cells are translated with the page that holds it.
"""

from __future__ import annotations

from pathlib import Path

import yaml
from docutils import nodes
from docutils.statemachine import StringList
from sphinx.application import Sphinx
from sphinx.util.docutils import SphinxDirective

COVERAGE_FILE = Path("book") / "coverage.yml"


def load_coverage(root: Path) -> dict:
    """Read the coverage map that lives at ``book/coverage.yml`` below ``root``."""
    return yaml.safe_load((root / COVERAGE_FILE).read_text(encoding="utf-8"))


def _cell(text: str) -> str:
    return text.replace("|", "\\|")


class CoverageTable(SphinxDirective):
    """Emit a MyST table built from the coverage map and parse it in place."""

    def run(self) -> list[nodes.Node]:
        root = Path(self.env.srcdir)
        self.env.note_dependency(str(root / COVERAGE_FILE))
        coverage = load_coverage(root)
        lines = [
            "| ID | Source section (Chinese title) | What it asks | Answered in |",
            "| --- | --- | --- | --- |",
        ]
        for section in coverage["sections"]:
            doc = coverage["documents"][section["id"].split(".")[0]]
            answered = ", ".join(f"{{doc}}`/{c}`" for c in section.get("chapters", []))
            planned = ", ".join(f"*planned:* `{c}`" for c in section.get("planned", []))
            lines.append(
                f"| `{section['id']}` | {_cell(section['title'])} ({_cell(doc)}) "
                f"| {_cell(section['asks'])} | {'; '.join(p for p in (answered, planned) if p)} |"
            )
        container = nodes.container(classes=["coverage-table"])
        self.state.nested_parse(StringList(lines, source=str(COVERAGE_FILE)), 0, container)
        # The cells need a source to be translatable: gettext extracts them into the page's
        # catalogue, and the Chinese edition shows them translated.
        source, line = self.get_source_info()
        for paragraph in container.findall(nodes.paragraph):
            paragraph.source, paragraph.line = source, line
        return [container]


def setup(app: Sphinx) -> dict[str, object]:
    app.add_directive("coverage-table", CoverageTable)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
