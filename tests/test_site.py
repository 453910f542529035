"""The built site in a real browser: headless Debian Chromium driven by Playwright.

Both editions (English at the site's root, 简体中文 under ``zh_CN/``): every page of the table
of contents renders with no console error, requests nothing from another origin, links to its
counterpart in the other edition and has no serious or critical accessibility violation
(axe-core); notebook pages carry a Colab link to their own notebook and show their figures; math
is typeset by the MathJax copy served from the site itself; search finds a chapter, in Chinese
too.
"""

from __future__ import annotations

import functools
import http.server
import shutil
import subprocess
import tarfile
import threading
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import yaml
from conftest import ROOT, source_of, toc_entries

pytestmark = pytest.mark.browser
playwright_sync = pytest.importorskip("playwright.sync_api")

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
PAGES = toc_entries()
# Where each edition lives on the site, and where its counterpart is from there.
EDITIONS = {"en": "", "zh_CN": "zh_CN/"}
COUNTERPART = {"en": "zh_CN/", "zh_CN": ""}
EDITION_PAGES = [(edition, entry) for edition in EDITIONS for entry in PAGES]
AXE_PACKAGE = "axe-core@4.14.1"
AXE_FILE = ROOT / "_build" / "test-vendor" / "axe.min.js"
# axe-core's impact levels that fail the test (the other two are "moderate" and "minor").
AXE_FAILING = ["serious", "critical"]
CHAPTER_SECONDS = 120
NOTEBOOK_PAGES = [e for e in PAGES if source_of(e).suffix == ".ipynb"]
_SPHINX = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))["sphinx"]["config"]
# Where every notebook page's Colab button must point: the chapter's reader's edition.
COLAB_URL = _SPHINX["colab_notebook_url"]


def vendor_axe(target: Path = AXE_FILE) -> Path:
    """axe-core's browser bundle from the npm registry (`npm pack`, once), cached at `target`."""
    if target.exists():
        return target
    npm = shutil.which("npm")
    if npm is None:
        pytest.fail("npm is needed once to fetch axe-core for the accessibility test")
    target.parent.mkdir(parents=True, exist_ok=True)
    subprocess.run(
        [npm, "pack", AXE_PACKAGE, "--silent", "--pack-destination", str(target.parent)],
        check=True,
        stdout=subprocess.DEVNULL,
    )
    (tarball,) = target.parent.glob("axe-core-*.tgz")
    with tarfile.open(tarball) as archive:
        target.write_bytes(archive.extractfile("package/axe.min.js").read())
    tarball.unlink()
    return target


@pytest.fixture(scope="module")
def axe_source() -> str:
    return vendor_axe().read_text(encoding="utf-8")


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 (the base's name)
        pass


@pytest.fixture(scope="module")
def base_url(site_dir: Path) -> Iterator[str]:
    handler = functools.partial(_QuietHandler, directory=str(site_dir))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: apt-get install chromium")
    with playwright_sync.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


class PageVisit:
    """A page loaded in a fresh context, with its console errors and foreign requests."""

    def __init__(self, browser: object, url: str, origin: str) -> None:
        self.context = browser.new_context()
        self.page = self.context.new_page()
        self.errors: list[str] = []
        self.foreign: list[str] = []
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.route("**/*", functools.partial(self._route, origin=origin))
        self.page.goto(url, wait_until="load")
        self.page.wait_for_load_state("networkidle")

    def _route(self, route: object, request: object, origin: str) -> None:
        parts = urlsplit(request.url)
        same_origin = f"{parts.scheme}://{parts.netloc}" == origin
        if same_origin or parts.scheme in {"data", "blob", "about"}:
            route.continue_()
        else:
            self.foreign.append(request.url)
            route.abort()

    def close(self) -> None:
        self.context.close()


@pytest.fixture
def visit(browser: object, base_url: str) -> Iterator[object]:
    visits: list[PageVisit] = []

    def _visit(path: str) -> PageVisit:
        visits.append(PageVisit(browser, f"{base_url}/{path}", base_url))
        return visits[-1]

    yield _visit
    for page_visit in visits:
        page_visit.close()


@pytest.mark.parametrize(("edition", "entry"), EDITION_PAGES)
def test_page_renders_accessibly_and_links_its_counterpart(
    visit: object, axe_source: str, edition: str, entry: str
) -> None:
    page_visit = visit(f"{EDITIONS[edition]}{entry}.html")
    page = page_visit.page
    assert page.locator("main h1").count() >= 1, "the page has no title"
    assert page_visit.errors == [], f"console errors: {page_visit.errors}"
    assert page_visit.foreign == [], f"requests to other origins: {page_visit.foreign}"
    assert page.eval_on_selector("html", "h => h.lang") == ("zh-CN" if edition == "zh_CN" else "en")

    switch = page.locator(".edition-switch a")
    assert switch.count() == 1, "no link to the other edition"
    href = switch.get_attribute("href")
    target = urlsplit(page.url)._replace(path="").geturl() + "/" + COUNTERPART[edition] + entry
    assert page.evaluate("h => new URL(h, document.baseURI).href", href) == f"{target}.html"

    page.add_script_tag(content=axe_source)
    violations = page.evaluate(
        """async (impacts) => {
            const result = await axe.run(document, {resultTypes: ["violations"]});
            return result.violations.filter(v => impacts.includes(v.impact)).map(
                v => `${v.impact} ${v.id}: ${v.nodes.slice(0, 3).map(n => n.target).join(" | ")}`);
        }""",
        AXE_FAILING,
    )
    assert violations == [], "\n".join(violations)


@pytest.mark.parametrize(("edition", "entry"), [
    (edition, entry) for edition in EDITIONS for entry in NOTEBOOK_PAGES
])  # fmt: skip
def test_notebook_page_has_colab_link_and_figures(visit: object, edition: str, entry: str) -> None:
    page_visit = visit(f"{EDITIONS[edition]}{entry}.html")
    expected = COLAB_URL.format(path=f"{entry}.ipynb")
    hrefs = page_visit.page.eval_on_selector_all(
        "a[href*='colab.research.google.com']", "links => links.map(a => a.href)"
    )
    assert expected in hrefs, f"no Colab link to {expected}: {hrefs}"

    images = page_visit.page.locator(".cell_output img")
    if "plt." in source_of(entry).read_text(encoding="utf-8"):
        assert images.count() >= 1, "the notebook draws figures but the page shows none"
    broken = page_visit.page.eval_on_selector_all(
        "img", "imgs => imgs.filter(i => !(i.complete && i.naturalWidth > 0)).map(i => i.src)"
    )
    assert broken == [], f"images that did not load: {broken}"
    # A traceback on the page is a failure shown as content; expected errors print one line.
    assert page_visit.page.locator(".cell_output .traceback").count() == 0, "a traceback shows"


def test_math_is_typeset_by_the_local_mathjax(visit: object) -> None:
    pages_with_math = [e for e in NOTEBOOK_PAGES if "$" in source_of(e).read_text(encoding="utf-8")]
    assert pages_with_math, "no chapter uses math"
    page_visit = visit(f"{pages_with_math[0]}.html")
    page_visit.page.wait_for_selector("mjx-container", timeout=15_000)
    scripts = page_visit.page.eval_on_selector_all("script[src]", "s => s.map(x => x.src)")
    assert any("_static/mathjax/tex-chtml.js" in src for src in scripts), scripts
    assert page_visit.foreign == []


@pytest.mark.parametrize(
    ("edition", "query", "chapter"),
    [
        ("en", "permutation importance", "permutation-importance"),
        # Two-character Chinese words: found only if the index is segmented into words (jieba).
        ("zh_CN", "隐私", "part7-privacy-security/differential-privacy"),
        ("zh_CN", "梯度", "part2-training/"),
    ],
)
def test_search_finds_a_chapter(visit: object, edition: str, query: str, chapter: str) -> None:
    page_visit = visit(f"{EDITIONS[edition]}search.html?q={query}")
    page_visit.page.wait_for_selector("#search-results li a", timeout=15_000)
    hits = page_visit.page.eval_on_selector_all(
        "#search-results li a", "links => links.map(a => a.href)"
    )
    assert any(chapter in href for href in hits), hits


def test_execution_status_lists_every_notebook_with_its_time(visit: object) -> None:
    page_visit = visit("book/execution-status.html")
    rows = page_visit.page.eval_on_selector_all(
        "main table tbody tr", "rows => rows.map(r => [...r.cells].map(c => c.innerText.trim()))"
    )
    listed = {row[0] for row in rows}
    assert len(rows) == len(NOTEBOOK_PAGES), listed
    for row in rows:
        assert float(row[3]) > 0, f"no run time for {row[0]}"
        # The book's promise to a reader on a laptop: 120 s a chapter on two CPU cores (CI's size).
        assert float(row[3]) <= CHAPTER_SECONDS, f"{row[0]} ran {row[3]} s"
        assert row[4] == "✅", f"{row[0]} did not succeed"
