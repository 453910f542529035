"""Write the reader's edition of every chapter: the notebook that the Colab button opens.

Colab and Jupyter show a chapter's Markdown as it is written, so the book's markup would reach a
reader raw: a glued number as {glue:text}`name:.2f`, a citation as {cite:p}`key`, an exercise
solution as a ```{admonition} fence. This script resolves them from the book's own run:

- `{glue:text}` and `{glue:md}`: the value that the executed notebook glued, formatted as the
  site formats it (myst-nb's own `format_plain_text`);
- `{cite:p}` / `{cite:t}`: "(Author Year)" / "Author (Year)" from `references.bib`;
- `{doc}`: a link to that page on the published site (`book_site_url` in `_config.yml`);
- `{run-time}`: the chapter's time from nbmake's report, phrased as `_ext/run_time.py` does;
- admonitions: a quoted block, or a collapsed `<details>` block for dropdowns;
- exercises (sphinx-exercise): "**Exercise n.**" and its text; the gated solution's fences become
  a "Solution to exercise n" heading and an end line around the solution's code cells.

Code cells are the committed ones, without outputs: the reader's run produces its own, and the
setup cell's `glue` fallback prints each value as `[glue] name = value` next to the code.

The editions go to OUT_DIR with the repository's paths (OUT_DIR/book/part.../chapter.ipynb). The
release publishes OUT_DIR to the branch that `colab_notebook_url` in `_config.yml` names.

Usage: python scripts/reader_edition.py EXECUTED_DIR JUNIT_XML OUT_DIR
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import nbformat
import yaml
from myst_nb.core.variables import format_plain_text
from pybtex.database import parse_file

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "scripts"), str(ROOT / "_ext")]
from cache_executed import nbmake_results  # noqa: E402 (the repository's own modules)
from run_time import PHRASE  # noqa: E402

GLUE_PREFIX = "application/papermill.record/"
ROLE = re.compile(r"\{(glue:text|glue:md|glue|cite:p|cite:t|doc|run-time)\}`([^`]+)`")
FENCE = re.compile(
    r"^```\{admonition\}[ \t]*([^\n]*)\n((?::\w+:[^\n]*\n)*)(.*?)^```[ \t]*$", re.M | re.S
)
# Docutils' named admonitions ({warning}, {note}, ...): their name is their title.
NAMED = "attention|caution|danger|error|hint|important|note|seealso|tip|warning"
NAMED_FENCE = re.compile(
    rf"^```\{{({NAMED})\}}[ \t]*\n((?::\w+:[^\n]*\n)*)(.*?)^```[ \t]*$", re.M | re.S
)
EXERCISE = re.compile(
    r"^```\{exercise\}[^\n]*\n:label: ([\w-]+)\n((?::\w+:[^\n]*\n)*)(.*?)^```[ \t]*$", re.M | re.S
)
SOLUTION_START = re.compile(r"^```\{solution-start\} ([\w-]+)\n(?::\w+:[^\n]*\n)*```[ \t]*$", re.M)
SOLUTION_END = re.compile(r"^```\{solution-end\}\n```[ \t]*$", re.M)
BANNER = (
    "> **Reader's edition.** Numbers in the text are from the book's own run; when you run this "
    "notebook, each cell prints its own as `[glue] name = value`. Rendered chapter: {url}"
)


def glued_values(executed: nbformat.NotebookNode) -> dict[str, dict[str, str]]:
    """name -> mime bundle of every value that an executed notebook glued."""
    values = {}
    for cell in executed.cells:
        for output in cell.get("outputs", []):
            record = output.get("metadata", {}).get("scrapbook")
            if record:
                data = output.get("data", {})
                values[record["name"]] = {
                    key.removeprefix(GLUE_PREFIX): value for key, value in data.items()
                }
    return values


def author_year(entry: object) -> tuple[str, str]:
    """("Hinton et al.", "2015") for a pybtex entry: last names of one, two or more authors."""
    people = entry.persons.get("author") or entry.persons.get("editor") or []
    names = [" ".join(person.last_names) or str(person) for person in people]
    if not names:
        names = [entry.fields.get("organization", entry.fields.get("title", "?"))]
    if len(names) == 1:
        who = names[0]
    elif len(names) == 2:
        who = f"{names[0]} and {names[1]}"
    else:
        who = f"{names[0]} et al."
    return who.replace("{", "").replace("}", ""), entry.fields.get("year", "n.d.")


def page_title(path: Path) -> str:
    """The first level-one heading of a page (.ipynb or .md)."""
    if path.suffix == ".ipynb":
        text = "\n".join(
            cell.source
            for cell in nbformat.read(path, as_version=4).cells
            if cell.cell_type == "markdown"
        )
    else:
        text = path.read_text(encoding="utf-8")
    match = re.search(r"^# (.+)$", text, re.M)
    return match.group(1).strip() if match else path.stem


def resolve_roles(
    markdown: str,
    page: Path,
    glued: dict,
    bibliography: object,
    site_url: str,
    seconds: float | None = None,
) -> str:
    """Replace every role in a Markdown cell of `page` by plain Markdown.

    `seconds` is the page's run time, for `{run-time}`; KeyError if a glued name is missing.
    """

    def replace(match: re.Match) -> str:
        role, content = match.groups()
        if role == "run-time":
            return PHRASE.format(seconds=seconds)
        if role.startswith("glue"):
            name, _, spec = content.partition(":") if role != "glue:md" else (content, "", "")
            bundle = glued[name]
            if role == "glue:md" and "text/markdown" in bundle:
                return bundle["text/markdown"]
            return format_plain_text(bundle["text/plain"], spec if role == "glue:text" else "")
        if role.startswith("cite"):
            cited = [author_year(bibliography.entries[key.strip()]) for key in content.split(",")]
            if role == "cite:t":
                return "; ".join(f"{who} ({year})" for who, year in cited)
            return "(" + "; ".join(f"{who} {year}" for who, year in cited) + ")"
        # {doc}`text <target>` or {doc}`target`, relative to the page or absolute from the root.
        text, _, target = content.rpartition("<") if content.endswith(">") else ("", "", content)
        target = target.rstrip(">").strip()
        resolved = (ROOT / target.lstrip("/")) if target.startswith("/") else (page.parent / target)
        resolved = resolved.resolve().relative_to(ROOT)
        source = next(ROOT.glob(f"{resolved}.*"))
        return f"[{text.strip() or page_title(source)}]({site_url}/{resolved}.html)"

    return ROLE.sub(replace, markdown)


def resolve_admonitions(markdown: str) -> str:
    """An admonition fence as a quoted block; a dropdown one as a collapsed <details> block."""

    def replace(match: re.Match) -> str:
        title, options, body = match.group(1).strip(), match.group(2), match.group(3).strip()
        if "dropdown" in options:
            return f"<details>\n<summary>{title}</summary>\n\n{body}\n\n</details>"
        quoted = "\n".join(f"> {line}" if line else ">" for line in body.splitlines())
        return f"> **{title}**\n>\n{quoted}"

    markdown = NAMED_FENCE.sub(
        lambda m: FENCE.sub(
            replace, f"```{{admonition}} {m.group(1).capitalize()}\n{m.group(2)}{m.group(3)}```"
        ),
        markdown,
    )
    return FENCE.sub(replace, markdown)


def resolve_exercises(markdown: str, numbers: dict[str, int]) -> str:
    """Exercise and solution fences as plain Markdown; `numbers` maps labels to 1, 2, ...
    in page order and is filled as exercises are met."""

    def exercise(match: re.Match) -> str:
        numbers.setdefault(match.group(1), len(numbers) + 1)
        return f"**Exercise {numbers[match.group(1)]}.** {match.group(3).strip()}"

    markdown = EXERCISE.sub(exercise, markdown)
    markdown = SOLUTION_START.sub(
        lambda m: f"**Solution to exercise {numbers[m.group(1)]}** (the cells below run it).",
        markdown,
    )
    return SOLUTION_END.sub("*End of the solution.*", markdown)


def reader_edition(
    source_path: Path, executed_path: Path, seconds: float, bibliography: object, site_url: str
) -> nbformat.NotebookNode:
    """The committed notebook at `source_path` with its Markdown resolved from `executed_path`."""
    source = nbformat.read(source_path, as_version=4)
    glued = glued_values(nbformat.read(executed_path, as_version=4))
    exercise_numbers: dict[str, int] = {}
    for cell in source.cells:
        if cell.cell_type == "markdown":
            text = resolve_roles(cell.source, source_path, glued, bibliography, site_url, seconds)
            cell.source = resolve_exercises(resolve_admonitions(text), exercise_numbers)
    page_url = f"{site_url}/{source_path.relative_to(ROOT).with_suffix('.html')}"
    banner = nbformat.v4.new_markdown_cell(BANNER.format(url=page_url))
    banner.id = "reader-edition-banner"
    source.cells.insert(0, banner)
    return source


def main(executed_dir: Path, junit_xml: Path, out_dir: Path) -> None:
    times, _ = nbmake_results(junit_xml)
    config = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))
    site_url = config["sphinx"]["config"]["book_site_url"].rstrip("/")
    bibliography = parse_file(str(ROOT / "references.bib"))
    written = 0
    for source_path in sorted((ROOT / "book").rglob("*.ipynb")):
        relative = source_path.relative_to(ROOT)
        seconds = times[source_path.name]
        edition = reader_edition(
            source_path, executed_dir / relative, seconds, bibliography, site_url
        )
        target = out_dir / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        nbformat.write(edition, target)
        written += 1
    print(f"wrote {written} reader's editions to {out_dir}")


if __name__ == "__main__":
    main(Path(sys.argv[1]), Path(sys.argv[2]), Path(sys.argv[3]))
