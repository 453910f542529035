"""The build's own scripts, on small inputs made here: they must not let a failure through."""

from __future__ import annotations

from pathlib import Path

import nbformat
import pytest
from conftest import ROOT, repository_module

cache_executed = repository_module("scripts/cache_executed.py")
reader_edition = repository_module("scripts/reader_edition.py")
colab_link = repository_module("_ext/colab_link.py")
colab_constraints = repository_module("scripts/colab_constraints.py")


def junit(tmp_path: Path, cases: dict[str, bool]) -> Path:
    """A JUnit report like pytest's, with one test case per notebook (True: passed)."""
    body = "".join(
        f'<testcase name="{name}" time="1.5">'
        + ("" if ok else '<failure message="x"/>')
        + "</testcase>"
        for name, ok in cases.items()
    )
    path = tmp_path / "report.xml"
    path.write_text(f"<testsuites><testsuite>{body}</testsuite></testsuites>", encoding="utf-8")
    return path


def executed_book(tmp_path: Path, error: bool) -> Path:
    """A scratch folder holding one executed notebook, with or without an error output."""
    cell = nbformat.v4.new_code_cell("1 / 0" if error else "1")
    if error:
        cell.outputs = [nbformat.v4.new_output("error", ename="ZeroDivisionError", evalue="x")]
    notebook = nbformat.v4.new_notebook(cells=[cell])
    (tmp_path / "scratch" / "book").mkdir(parents=True)
    nbformat.write(notebook, tmp_path / "scratch" / "book" / "a.ipynb")
    return tmp_path / "scratch"


def test_cache_refuses_a_failed_notebook(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    scratch = executed_book(tmp_path, error=False)
    status = cache_executed.main(scratch, junit(tmp_path, {"a.ipynb": False}), tmp_path / "cache")
    assert status == 1
    assert "a.ipynb: nbmake reports a failure" in capsys.readouterr().err
    assert not (tmp_path / "cache").exists(), "nothing may be cached from a failed run"


def test_cache_refuses_an_error_output(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    scratch = executed_book(tmp_path, error=True)
    status = cache_executed.main(scratch, junit(tmp_path, {"a.ipynb": True}), tmp_path / "cache")
    assert status == 1
    assert "ZeroDivisionError" in capsys.readouterr().err


def test_nbmake_results_reads_times_and_failures(tmp_path: Path) -> None:
    times, failed = cache_executed.nbmake_results(
        junit(tmp_path, {"a.ipynb": True, "b.ipynb": False})
    )
    assert times == {"a.ipynb": 1.5, "b.ipynb": 1.5}
    assert failed == ["b.ipynb"]


def test_reader_edition_resolves_glue_like_the_site() -> None:
    glued = {"acc": {"text/plain": "0.91234"}, "name": {"text/plain": "'bmi'"}}
    text = "Accuracy {glue:text}`acc:.1%` on {glue:text}`name`, see {cite:p}`x`, "
    text += "{run-time}`this page`."

    class Entry:
        persons = {"author": []}
        fields = {"organization": "Org", "year": "2020"}

    class Bibliography:
        entries = {"x": Entry()}

    page = ROOT / "book" / "intro.md"
    resolved = reader_edition.resolve_roles(text, page, glued, Bibliography(), "S", 41.6)
    assert resolved == (
        "Accuracy 91.2% on bmi, see (Org 2020), 42 s on two CPU cores in the book's last build."
    )


def test_reader_edition_opens_dropdowns_as_details() -> None:
    markdown = "Before\n\n```{admonition} Solution\n:class: dropdown\nThe answer.\n```\n"
    resolved = reader_edition.resolve_admonitions(markdown)
    assert (
        resolved
        == "Before\n\n<details>\n<summary>Solution</summary>\n\nThe answer.\n\n</details>\n"
    )
    plain = reader_edition.resolve_admonitions("```{admonition} Note\n:class: note\nA\n\nB\n```")
    assert plain == "> **Note**\n>\n> A\n>\n> B"


def test_colab_buttons_are_rewritten_in_nested_groups() -> None:
    buttons = [
        {"type": "group", "buttons": [{"url": "https://colab.research.google.com/github/o/r/x"}]},
        {"url": "https://github.com/o/r"},
    ]
    assert colab_link.rewrite_colab_urls(buttons, "NEW") == 1
    assert buttons[0]["buttons"][0]["url"] == "NEW"
    assert buttons[1]["url"] == "https://github.com/o/r"


def test_colab_constraints_are_current() -> None:
    """constraints-colab.txt is what scripts/colab_constraints.py writes from the snapshot."""
    freeze = (ROOT / "colab" / "pip-freeze.cpu.txt").read_text(encoding="utf-8")
    expected = colab_constraints.HEADER + "\n".join(colab_constraints.pinned_lines(freeze)) + "\n"
    assert (ROOT / "constraints-colab.txt").read_text(encoding="utf-8") == expected
    assert "torch==2.13.0" in expected
    assert "numpy==2.1.3" in expected


def test_named_admonitions_and_exercises_are_written_out() -> None:
    quoted = reader_edition.resolve_admonitions("```{warning}\nNot legal advice.\n```")
    assert quoted == "> **Warning**\n>\n> Not legal advice."
    numbers: dict[str, int] = {}
    exercise = reader_edition.resolve_exercises("```{exercise}\n:label: a-1\n\nWhy?\n```", numbers)
    assert exercise == "**Exercise 1.** Why?"
    start = "```{solution-start} a-1\n:class: dropdown\n```"
    assert reader_edition.resolve_exercises(start, numbers).startswith("**Solution to exercise 1**")
    assert reader_edition.resolve_exercises("```{solution-end}\n```", numbers) == (
        "*End of the solution.*"
    )


editions = repository_module("_ext/editions.py")
edition = repository_module("scripts/edition.py")
translation = repository_module("scripts/translation.py")


@pytest.mark.parametrize(
    ("pagename", "root", "url"),
    [
        ("book/intro", "zh_CN/", "../zh_CN/book/intro.html"),
        ("book/part1/a", "zh_CN/", "../../zh_CN/book/part1/a.html"),
        ("book/part1/a", "../", "../../../book/part1/a.html"),
        ("search", "../", "../search.html"),
    ],
)
def test_counterpart_url_climbs_to_the_site_root(pagename: str, root: str, url: str) -> None:
    assert editions.counterpart_url(pagename, root) == url


def test_glued_words_are_translated_as_the_role_pastes_them() -> None:
    glued = {"faster": "更快"}
    # A string glued from Python arrives as its repr; a Markdown value as its text.
    assert editions.translate_glued({"text/plain": "'faster'"}, glued) == {"text/plain": "'更快'"}
    assert editions.translate_glued({"text/markdown": "faster"}, glued) == {"text/markdown": "更快"}
    # Numbers and unknown words pass through.
    assert editions.translate_glued({"text/plain": "0.25"}, glued) == {"text/plain": "0.25"}
    assert editions.translate_glued({"text/plain": "'slower'"}, glued) == {"text/plain": "'slower'"}


def test_glued_words_are_found_in_executed_notebooks() -> None:
    markdown = nbformat.v4.new_markdown_cell("It ran {glue:text}`speed` at {glue:text}`rate:.1f`.")
    cell = nbformat.v4.new_code_cell("glue(...)")
    record = "application/papermill.record/text/plain"
    cell.outputs = [
        nbformat.v4.new_output("display_data", data={record: repr(value)}, metadata=meta)
        for value, meta in [
            ("faster", {"scrapbook": {"name": "speed"}}),
            (3.5, {"scrapbook": {"name": "rate"}}),
            ("unused", {"scrapbook": {"name": "not_in_prose"}}),
        ]
    ]
    notebook = nbformat.v4.new_notebook(cells=[markdown, cell])
    assert translation.glued_words(nbformat.from_dict(notebook)) == {"speed": "faster"}


def test_search_words_are_the_glossarys_chinese_terms(tmp_path: Path) -> None:
    glossary = tmp_path / "glossary.md"
    glossary.write_text(
        "```{glossary}\nA\n  **置换重要性**: one.\n\nB\n  **分类标记 [CLS]、标签**: two.\n```\n",
        encoding="utf-8",
    )
    assert edition.search_words(glossary) == ["分类标记", "标签", "置换重要性"]


def test_execution_table_header_is_translated_and_nothing_else() -> None:
    body = '<th class="head"><p>Status</p></th><td><p>Status</p></td>'
    translated = editions.translate_header_cells(body, editions.EXECUTION_TABLE_HEADER["zh_CN"])
    assert translated == '<th class="head"><p>状态</p></th><td><p>Status</p></td>'


site_assets = repository_module("_ext/site_assets.py")


def test_accessible_names_match_what_the_buttons_show() -> None:
    page = (
        '<button class="btn search-button-field search-button__button" title="Search" '
        'aria-label="Search" data-x="1">\n'
        '<i class="theme-switch fa-solid fa-sun fa-lg" data-mode="light" title="Light"></i>\n'
        '<summary aria-label="Toggle hidden content">\n'
        '<button class="btn theme-switch-button" aria-label="Color mode">'
    )
    fixed = site_assets.accessible_names(page)
    assert 'search-button__button" title="Search" data-x="1">' in fixed
    assert 'data-mode="light" aria-hidden="true">' in fixed
    assert 'title="Light"' not in fixed
    assert "<summary>" in fixed
    assert 'aria-label="Color mode"' in fixed  # the button's own name stays
