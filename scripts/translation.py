"""Translators' tools for the gettext catalogues under ``locales/`` (see CONTRIBUTING).

A catalogue (``.po``) pairs each prose string of a page (``msgid``, MyST Markdown) with its
translation (``msgstr``). These commands keep that work plain text and checkable:

- ``dump PO TXT``: write the strings still to translate (untranslated or fuzzy) to ``TXT`` as
  blocks ``=== N`` followed by the English text, verbatim (no escaping);
- ``apply PO TXT``: read the same blocks with the English replaced by the translation and store
  them in ``PO`` (fuzzy flags are cleared: a translator has checked the string);
- ``report [PO ...]``: per page, the share of the English strings that have a translation, the
  stale translations (fuzzy, or of an English string that is no longer in the page: the source
  changed since translation), and translations whose markup differs from the English (a role,
  inline code, math or link target lost or altered). Exit status 1 if any is broken.

- ``glued EXECUTED_DIR``: add to ``locales/zh_CN/glued.po`` every glued value that a page pastes
  as prose (``{glue:text}``/``{glue:md}`` of lower-case words, such as a verdict "faster"), read
  from executed notebooks; the Chinese edition pastes their translations (``_ext/editions.py``).

``report`` measures against the current English when ``_build/gettext/<page>.pot`` exists
(``python scripts/edition.py extract`` writes it; ``make test`` and ``make translations`` run
it), and against the catalogue's own entries otherwise.
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass
from pathlib import Path

import nbformat
from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po, write_po
from myst_nb.core.variables import format_plain_text

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))
from reader_edition import glued_values  # noqa: E402 (the repository's own modules)

LOCALES = ROOT / "locales"
TEMPLATES = ROOT / "_build" / "gettext"
# Markup a translation must keep exactly: MyST roles with their targets, inline code, math,
# link targets. (Link texts and everything else are translated.)
MARKUP = re.compile(
    r"\{[\w:.-]+\}`[^`]*`"  # roles: {glue:text}`key:.1%`, {cite:p}`key`, {doc}`text <page>`
    r"|(?<!`)(`+)(?!`).+?(?<!`)\1(?!`)"  # inline code, `x` or `` with `backticks` inside ``
    r"|\$\$.+?\$\$|\$[^$\n]+\$"  # math
    r"|\]\([^)\s]+\)",  # link targets
    re.DOTALL,
)
# A role's own text is translated where it has one: {doc}`模型安全 <model-security>`.
ROLE_TEXT = re.compile(r"^(\{[\w:.-]+\}`)[^`<]*<([^`>]+)>`$")
HEADER = re.compile(r"^=== (\d+)$", re.MULTILINE)
GLUED = LOCALES / "zh_CN" / "glued.po"
GLUE_ROLE = re.compile(r"\{glue:(?:text|md)\}`([\w.]+)")
# Prose glued as a value: lower-case words ("faster", "3 of 3", "age and education"). Names,
# numbers and machine descriptions ("AMD EPYC, 1 thread", "p < 1e-6") are pasted as they are.
PROSE = re.compile(r"^(?=.*[a-z]{2})[a-z0-9][A-Za-z0-9 ,:;.-]*$")


@dataclass
class Coverage:
    """Counts for one page: English strings, those translated, stale and broken translations."""

    path: Path
    total: int
    translated: int
    stale: list[str]
    broken: list[str]

    @property
    def share(self) -> float:
        """Translated share in [0, 1]; a page with no strings counts as translated."""
        return self.translated / self.total if self.total else 1.0


def load(path: Path) -> Catalog:
    """Read a `.po` file."""
    with path.open("rb") as handle:
        return read_po(handle)


def save(catalog: Catalog, path: Path) -> None:
    """Write a `.po` file, wrapped at 79 columns as sphinx-intl writes it."""
    with path.open("wb") as handle:
        write_po(handle, catalog, width=79)


def messages(catalog: Catalog) -> list:
    """The catalogue's messages in file order, the header excluded."""
    return [m for m in catalog if m.id]


def markup(text: str) -> list[str]:
    """The markup tokens of `text` that a translation must keep, sorted.

    A role with a title and a target keeps only its name and target: the title is prose.
    """
    tokens = (match.group(0) for match in MARKUP.finditer(text))
    return sorted(ROLE_TEXT.sub(r"\1<\2>`", token) for token in tokens)


def coverage(path: Path, template: Path | None = None) -> Coverage:
    """Translation counts of one catalogue, against the page's current English if `template`.

    A string counts as translated if it has a translation that is not fuzzy; without a template
    the English strings are the catalogue's own entries.
    """
    entries = messages(load(path))
    done = {m.id: m for m in entries if m.string and not m.fuzzy}
    english = [m.id for m in messages(load(template))] if template else [m.id for m in entries]
    current = set(english)
    stale = [m.id for m in entries if m.fuzzy or (m.string and m.id not in current)]
    broken = [i for i in english if i in done and markup(i) != markup(done[i].string)]
    translated = sum(1 for i in english if i in done)
    return Coverage(path, len(english), translated, stale, broken)


def template_of(path: Path) -> Path | None:
    """The page's `.pot` in `_build/gettext` for a catalogue in `locales/<lang>/LC_MESSAGES`."""
    relative = path.resolve().relative_to(LOCALES).parts[2:]
    template = TEMPLATES.joinpath(*relative).with_suffix(".pot")
    return template if template.exists() else None


def dump(po: Path, txt: Path) -> int:
    """Write the strings left to translate in `po` to `txt`; return how many."""
    todo = [(i, m) for i, m in enumerate(messages(load(po))) if not m.string or m.fuzzy]
    txt.write_text("".join(f"=== {i}\n{m.id}\n\n" for i, m in todo), encoding="utf-8")
    return len(todo)


def apply(po: Path, txt: Path) -> int:
    """Store the translations in `txt` (blocks of `dump`) in `po`; return how many."""
    catalog = load(po)
    entries = messages(catalog)
    parts = HEADER.split(txt.read_text(encoding="utf-8"))
    for index, text in zip(parts[1::2], parts[2::2], strict=True):
        message = entries[int(index)]
        message.string = text.strip("\n")
        message.flags.discard("fuzzy")
    save(catalog, po)
    return len(parts) // 2


def glued_words(notebook: nbformat.NotebookNode) -> dict[str, str]:
    """Glued values that the notebook's Markdown pastes as prose: {glue name: English text}.

    `notebook` is an executed notebook. Only lower-case prose counts (`PROSE`): numbers, names
    and machine descriptions are pasted unchanged in every edition. A value glued as Markdown
    counts by its Markdown, else by its plain text (as myst-nb's roles paste it).
    """
    pasted = {
        name
        for cell in notebook.cells
        if cell.cell_type == "markdown"
        for name in GLUE_ROLE.findall(cell.source)
    }
    words = {}
    for name, data in glued_values(notebook).items():
        text = data.get("text/markdown") or data.get("text/plain")
        if name in pasted and text is not None:
            value = format_plain_text(text, "")
            if PROSE.match(value):
                words[name] = value
    return words


def add_glued(executed: Path, target: Path = GLUED) -> list[str]:
    """Add the pasted words of every notebook under `executed` to `target`; return the new ones."""
    catalog = load(target) if target.exists() else Catalog(locale="zh_CN")
    added = []
    for path in sorted(executed.rglob("*.ipynb")):
        for name, text in glued_words(nbformat.read(path, as_version=4)).items():
            if text not in catalog:
                catalog.add(text, "", auto_comments=[f"{path.stem}: {name}"])
                added.append(text)
    save(catalog, target)
    return added


def report(paths: list[Path]) -> int:
    """Print coverage per catalogue; return 1 if a translation's markup is broken, else 0."""
    status = 0
    for path in paths:
        template = template_of(path) if path.resolve().is_relative_to(LOCALES) else None
        counts = coverage(path, template)
        name = path.relative_to(LOCALES) if path.is_relative_to(LOCALES) else path
        print(f"{counts.share:7.1%}  {counts.translated:4d}/{counts.total:<4d}  {name}")
        for text in counts.stale:
            print(f"    stale: {text[:70]!r}")
        for text in counts.broken:
            print(f"    markup differs: {text[:70]!r}")
            status = 1
    return status


def main() -> None:
    command, *args = sys.argv[1:] or ["report"]
    if command == "dump":
        print(dump(Path(args[0]), Path(args[1])), "strings to translate")
    elif command == "apply":
        print(apply(Path(args[0]), Path(args[1])), "translations stored")
    elif command == "glued":
        added = add_glued(Path(args[0]))
        print(len(added), "new glued strings in", GLUED.relative_to(ROOT), *added, sep="\n  ")
    elif command == "report":
        paths = [Path(a) for a in args] or sorted(LOCALES.rglob("*.po"))
        sys.exit(report(paths))
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main()
