"""Link every page to the same page in the book's other edition (English <-> 简体中文).

It also lets a translated string paste glued numbers, and pastes a glued word (a verdict such as
"faster") in the edition's language, from the catalogue ``edition_glued_catalogue``
(``retrieve_glue_data``).

The Chinese edition is built into ``_build/html/zh_CN/`` next to the English site
(``scripts/edition.py``), so a page's counterpart is found with a relative URL: up to the site's
root, into (or out of) the edition's folder, then the same page name.

Settings (under ``sphinx: config:``):

- ``edition_counterpart_root``: the other edition's root, relative to this edition's root
  (``zh_CN/`` in the English build, ``../`` in the Chinese one); empty adds no link;
- ``edition_counterpart_label``: the link's text, in the other edition's language;
- ``edition_counterpart_lang``: the other edition's language tag (``hreflang`` and ``lang``);
- ``edition_glued_catalogue``: a ``.po`` file translating glued words (``locales/zh_CN/glued.po``,
  kept by ``python scripts/translation.py glued``); empty pastes them as the notebook glued them.
"""

from __future__ import annotations

import dataclasses
from ast import literal_eval
from html import escape
from pathlib import Path

from babel.messages.pofile import read_po
from docutils import nodes
from myst_nb import sphinx_ as myst_nb_sphinx
from myst_nb.core.variables import RetrievalError
from myst_nb.ext.glue import roles as glue_roles
from sphinx.application import Sphinx

# The notebook renderer of the page being read (it holds the page's glue data), by page name.
_RENDERERS: dict[str, object] = {}
# myst-nb writes the execution-status table's header after Sphinx has translated the page.
EXECUTION_TABLE_HEADER = {
    "zh_CN": {
        "Document": "文档",
        "Modified": "修改时间",
        "Method": "方式",
        "Run Time (s)": "运行时间（秒）",
        "Status": "状态",
    }
}
# Glued words in the edition's language: {English text: translation}.
_GLUED: dict[str, str] = {}
_retrieve_glue_data = glue_roles.retrieve_glue_data
_load_renderer = myst_nb_sphinx.load_renderer


def load_renderer(name: str, env: object = None) -> object:
    """myst-nb's renderer factory, remembering each page's renderer.

    Sphinx parses each translated string as a document of its own (``publish_msgstr``), after
    myst-nb has removed its renderer from the page's document, so a ``{glue:text}`` role in a
    translation would find no glue data and paste nothing.
    """
    renderer_class = _load_renderer(name)

    def create(mdit_renderer: object, *args: object, **kwargs: object) -> object:
        renderer = renderer_class(mdit_renderer, *args, **kwargs)
        # Sphinx reads one page at a time and sets env.docname to it before parsing.
        _RENDERERS[env.docname] = renderer
        return renderer

    return create


def retrieve_glue_data(document: nodes.document, key: str) -> object:
    """myst-nb's glue lookup: from the page's notebook for a translated string, words translated."""
    try:
        result = _retrieve_glue_data(document, key)
    except RetrievalError:
        renderer = _RENDERERS.get(document.settings.env.docname)
        if renderer is None:
            raise
        own = document.get("nb_renderer")
        document["nb_renderer"] = renderer
        try:
            result = _retrieve_glue_data(document, key)
        finally:
            if own is None:
                del document["nb_renderer"]
            else:
                document["nb_renderer"] = own
    return dataclasses.replace(result, data=translate_glued(result.data, _GLUED))


def translate_glued(data: dict[str, object], glued: dict[str, str]) -> dict[str, object]:
    """The mime bundle with its text translated where `glued` has it (a repr stays a repr)."""
    translated = dict(data)
    for mime in ("text/plain", "text/markdown"):
        text = data.get(mime)
        if not isinstance(text, str):
            continue
        try:
            value = literal_eval(text)
        except (SyntaxError, ValueError):
            value = text
        if isinstance(value, str) and value in glued:
            translated[mime] = repr(glued[value]) if value != text else glued[value]
    return translated


def load_glued(path: Path) -> dict[str, str]:
    """{English: translation} from a `.po` file, fuzzy and empty translations left out."""
    with path.open("rb") as handle:
        catalog = read_po(handle)
    return {m.id: m.string for m in catalog if m.id and m.string and not m.fuzzy}


def _on_config_inited(app: Sphinx, config: object) -> None:
    _GLUED.clear()
    if config.edition_glued_catalogue:
        _GLUED.update(load_glued(Path(app.confdir, config.edition_glued_catalogue)))


def counterpart_url(pagename: str, root: str) -> str:
    """Relative URL of `pagename`'s counterpart in the edition at `root`.

    ("book/a/b", "zh_CN/") -> "../../zh_CN/book/a/b.html";
    ("book/a/b", "../") -> "../../../book/a/b.html".
    """
    return "../" * pagename.count("/") + root + pagename + ".html"


def translate_header_cells(body: str, labels: dict[str, str]) -> str:
    """`body` with each table header cell `<p>English</p>` in `labels` translated."""
    for english, translated in labels.items():
        body = body.replace(
            f'<th class="head"><p>{english}</p>', f'<th class="head"><p>{translated}</p>'
        )
    return body


def _on_page_context(
    app: Sphinx, pagename: str, templatename: str, context: dict, doctree: object
) -> None:
    labels = EXECUTION_TABLE_HEADER.get(app.config.language)
    if labels and "body" in context:
        context["body"] = translate_header_cells(context["body"], labels)
    root = app.config.edition_counterpart_root
    if not root or doctree is None:
        return
    url = escape(counterpart_url(pagename, root))
    lang = escape(app.config.edition_counterpart_lang)
    label = escape(app.config.edition_counterpart_label)
    context["metatags"] = (
        context.get("metatags", "") + f'\n<link rel="alternate" hreflang="{lang}" href="{url}" />'
    )
    switch = (
        f'<p class="edition-switch"><a href="{url}" hreflang="{lang}" lang="{lang}">'
        f"{label}</a></p>\n"
    )
    context["body"] = switch + context.get("body", "")


def setup(app: Sphinx) -> dict[str, object]:
    app.add_config_value("edition_counterpart_root", "", "html", types=[str])
    app.add_config_value("edition_counterpart_label", "", "html", types=[str])
    app.add_config_value("edition_counterpart_lang", "", "html", types=[str])
    app.add_config_value("edition_glued_catalogue", "", "env", types=[str])
    app.connect("config-inited", _on_config_inited)
    app.connect("html-page-context", _on_page_context)
    myst_nb_sphinx.load_renderer = lambda name: load_renderer(name, app.env)
    glue_roles.retrieve_glue_data = retrieve_glue_data
    return {"parallel_read_safe": True, "parallel_write_safe": True}
