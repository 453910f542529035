"""Site assets: MathJax served from the site itself, no script included twice, accessible names.

Accessibility (axe-core's serious and critical rules, checked on every page by the browser test):
``accessible_names`` rewrites each written page so that the theme's search and colour-mode
buttons and myst-nb's hidden-cell toggles are named by what they show (``label-content-name-
mismatch``, on every page). It works on the HTML files, not in the browser: Font Awesome's script
turns the icons into SVGs at a time of its own, so a fix made by a script of ours raced it.
``static/accessibility.css`` darkens the link colour enough for the admonitions' tinted
backgrounds, and the bibliography's entries become list items of the list they are in (Sphinx
marks the list ``role="list"`` but its entries ``doc-biblioentry``, a role that axe-core does not
accept inside a list: a critical ``aria-required-children``).

At ``config-inited`` (before Sphinx validates ``html_extra_path``) this extension makes sure that
``_build/vendor/_static/mathjax`` holds the ``es5`` build of the npm package ``mathjax@3``. The
folder is listed in ``html_extra_path``, so it is copied next to Sphinx's own ``_static`` files and
``mathjax_path: mathjax/tex-chtml.js`` resolves on the site's own origin. The package is fetched
once with ``npm pack`` (the npm registry is the only network this needs) and reused afterwards.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import tarfile
import tempfile
from pathlib import Path

from sphinx.application import Sphinx
from sphinx.config import Config
from sphinx.errors import ExtensionError

MATHJAX_PACKAGE = "mathjax@3"
VENDOR_DIR = Path("_build") / "vendor" / "_static" / "mathjax"
STATIC_DIR = Path(__file__).resolve().parent / "static"
# (pattern, replacement) applied to every written page; see accessible_names.
NAME_FIXES = [
    # The search field shows "Search Ctrl+K": its name comes from that text, not aria-label.
    (re.compile(r'(<button class="btn search-button-field[^>]*?) aria-label="[^"]*"'), r"\1"),
    # The colour-mode icons are decoration; the button's own label says what it does.
    (
        re.compile(r'(<i class="theme-switch [^>]*?)\s+title="[^"]*">'),
        r'\1 aria-hidden="true">',
    ),
    # A hidden cell's toggle is named by the text it shows ("Show code cell source").
    (re.compile(r'<summary aria-label="Toggle hidden content">'), "<summary>"),
]


def vendor_mathjax(srcdir: Path) -> Path:
    """Unpack MathJax's es5 files under ``srcdir/_build/vendor`` unless they are there already."""
    target = srcdir / VENDOR_DIR
    if (target / "tex-chtml.js").exists():
        return target
    npm = shutil.which("npm")
    if npm is None:
        raise ExtensionError("npm is needed once to vendor MathJax (apt-get install npm)")
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run(
            [npm, "pack", MATHJAX_PACKAGE, "--silent", "--pack-destination", tmp],
            check=True,
            stdout=subprocess.DEVNULL,
        )
        (tarball,) = Path(tmp).glob("mathjax-*.tgz")
        with tarfile.open(tarball) as archive:
            members = [m for m in archive.getmembers() if m.name.startswith("package/es5/")]
            archive.extractall(tmp, members=members, filter="data")
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copytree(Path(tmp) / "package" / "es5", target, dirs_exist_ok=True)
    return target


def _on_config_inited(app: Sphinx, config: Config) -> None:
    vendor_mathjax(Path(app.srcdir))
    config.html_static_path.append(str(STATIC_DIR))


def _drop_duplicate_scripts(
    app: Sphinx, pagename: str, templatename: str, context: dict, doctree: object
) -> None:
    """Keep the first of identical script tags.

    Inline scripts that extensions add after the builder starts (sphinx-thebe's
    ``const THEBE_JS_URL = ...``, sphinx-togglebutton's selector) reach the page twice under
    Sphinx 7.4, once with the file name ``None`` and once with ``""``, so Sphinx's own equality
    check misses them; a second ``const`` of the same name is a console error on every page.
    """
    seen: set[tuple[str, str]] = set()
    unique = []
    for script in context.get("script_files", []):
        key = (str(script.filename or ""), str(script.attributes.get("body", "")))
        if key not in seen:
            seen.add(key)
            unique.append(script)
    context["script_files"] = unique


def _list_items_in_citation_lists(
    app: Sphinx, pagename: str, templatename: str, context: dict, doctree: object
) -> None:
    """Mark bibliography entries as the list items that their ``role="list"`` parent needs."""
    body = context.get("body", "")
    if 'role="doc-biblioentry"' in body:
        context["body"] = body.replace('role="doc-biblioentry"', 'role="listitem"')


def accessible_names(html: str) -> str:
    """`html` with the theme's and myst-nb's mismatched accessible names fixed (`NAME_FIXES`)."""
    for pattern, replacement in NAME_FIXES:
        html = pattern.sub(replacement, html)
    return html


def _fix_written_pages(app: Sphinx, exception: Exception | None) -> None:
    if exception is None and app.builder.format == "html":
        for page in Path(app.outdir).rglob("*.html"):
            text = page.read_text(encoding="utf-8")
            fixed = accessible_names(text)
            if fixed != text:
                page.write_text(fixed, encoding="utf-8")


def setup(app: Sphinx) -> dict[str, object]:
    # Priority below the HTML builder's own check of html_extra_path (800), so the folder exists.
    app.connect("config-inited", _on_config_inited, priority=100)
    app.connect("html-page-context", _drop_duplicate_scripts)
    app.connect("build-finished", _fix_written_pages)
    app.add_css_file("accessibility.css")
    app.connect("html-page-context", _list_items_in_citation_lists)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
