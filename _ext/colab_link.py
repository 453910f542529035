"""Point each notebook page's Colab button at the chapter's reader's edition.

sphinx-book-theme builds the Colab button from the repository and branch, so it would open the
committed notebook, whose Markdown carries the book's markup ({glue:text} roles, citations,
admonition fences) that Colab shows raw. `scripts/reader_edition.py` writes a reader's edition
of every chapter with that markup resolved; this extension rewrites the button to open it.

Settings (under `sphinx: config:` in `_config.yml`):

- `colab_notebook_url`: the URL pattern of the reader's edition in Colab, with `{path}` standing
  for the notebook's path in the repository (for example `book/part1-landscape/model-scale.ipynb`);
  empty keeps the theme's button unchanged;
- `book_site_url`: where the site is published (the reader's edition links its pages there).
"""

from __future__ import annotations

from sphinx.application import Sphinx

COLAB_PREFIX = "https://colab.research.google.com/github/"


def rewrite_colab_urls(buttons: list[dict], url: str) -> int:
    """Set `url` on every Colab launch button in the theme's (nested) header buttons."""
    rewritten = 0
    for button in buttons:
        if str(button.get("url", "")).startswith(COLAB_PREFIX):
            button["url"] = url
            rewritten += 1
        rewritten += rewrite_colab_urls(button.get("buttons", []), url)
    return rewritten


def _on_page_context(
    app: Sphinx, pagename: str, templatename: str, context: dict, doctree: object
) -> None:
    pattern = app.config.colab_notebook_url
    if pattern and doctree is not None and str(app.env.doc2path(pagename)).endswith(".ipynb"):
        url = pattern.format(path=f"{pagename}.ipynb")
        rewrite_colab_urls(context.get("header_buttons", []), url)


def setup(app: Sphinx) -> dict[str, object]:
    app.add_config_value("colab_notebook_url", "", "html", types=[str])
    app.add_config_value("book_site_url", "", "html", types=[str])
    # After sphinx-book-theme has added its launch buttons (default priority 500).
    app.connect("html-page-context", _on_page_context, priority=900)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
