"""The `{run-time}` role: a chapter's run time from the book's own execution, never typed.

Each chapter's header says ``**Run time.** {run-time}`this page`.``, which renders as, for
example, "38 s on two CPU cores in the book's last build". The seconds are the ones myst-nb
records for the page's execution: in `make test`, nbmake's time for the notebook (stored with
its outputs in the build's cache by `scripts/cache_executed.py`), the same figure the
execution-status page lists. `scripts/reader_edition.py` writes the same sentence from nbmake's
report. The role's text must be `this page`: a chapter can only state its own time.
"""

from __future__ import annotations

from docutils import nodes
from myst_nb.sphinx_ import NbMetadataCollector
from sphinx.application import Sphinx
from sphinx.transforms.post_transforms import SphinxPostTransform
from sphinx.util import logging
from sphinx.util.docutils import SphinxRole

LOGGER = logging.getLogger(__name__)
PHRASE = "{seconds:.0f} s on two CPU cores in the book's last build"
# The same sentence in the book's other editions (Sphinx's `language`).
PHRASES = {"zh_CN": "在本书最近一次构建中，于两核 CPU 上运行 {seconds:.0f} 秒"}
NOT_EXECUTED = {"en": "(not executed in this build)", "zh_CN": "（本次构建未执行）"}


class RunTimeNode(nodes.Inline, nodes.TextElement):
    """Placeholder for a page's run time, filled in once execution data exists."""


class RunTimeRole(SphinxRole):
    def run(self) -> tuple[list[nodes.Node], list[nodes.system_message]]:
        if self.text.strip() != "this page":
            message = self.inliner.reporter.error(
                f"{{run-time}} takes `this page`, not {self.text!r}", line=self.lineno
            )
            return [], [message]
        return [RunTimeNode()], []


class FillRunTime(SphinxPostTransform):
    """Replace each placeholder by the page's execution time, or warn when there is none."""

    default_priority = 8

    def run(self, **kwargs: object) -> None:
        for node in list(self.document.findall(RunTimeNode)):
            data = NbMetadataCollector.get_exec_data(self.env, self.env.docname) or {}
            seconds = data.get("runtime")
            if seconds is None:
                LOGGER.warning(f"{self.env.docname}: no execution time for {{run-time}}")
                text = NOT_EXECUTED.get(self.config.language, NOT_EXECUTED["en"])
                node.replace_self(nodes.inline("", text))
                continue
            phrase = PHRASES.get(self.config.language, PHRASE)
            node.replace_self(nodes.inline("", phrase.format(seconds=seconds)))


def setup(app: Sphinx) -> dict[str, object]:
    app.add_node(RunTimeNode)
    app.add_role("run-time", RunTimeRole())
    app.add_post_transform(FillRunTime)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
