"""The book's editions in other languages, built from the same sources through gettext.

The English book is the source. A translated edition is the same build with Sphinx's
``language`` set: every prose string (paragraphs, headings, captions, admonitions, exercises,
table cells) is looked up in ``locales/<language>/LC_MESSAGES/<page>.po``; code, outputs and glued
numbers come from the same notebooks and the same execution cache, so nothing is duplicated.

Commands (``make translations`` and ``make site`` call them):

- ``python scripts/edition.py config zh_CN``: write ``_build/zh_CN/_config.yml``, the English
  configuration with the edition's settings laid over it (absolute paths, so it builds from
  ``_build``);
- ``python scripts/edition.py extract``: write the message templates (``_build/gettext/*.pot``)
  from the English sources, without executing anything;
- ``python scripts/edition.py portable TARGET``: the English configuration with absolute paths
  (``scripts/chapter.sh`` renders one executed notebook with it);
- ``python scripts/edition.py site zh_CN``: build the edition from the execution cache into
  ``_build/html/zh_CN/``, next to the English site, so that each page can link to its
  counterpart with a relative URL.
"""

from __future__ import annotations

import argparse
import copy
import re
import shutil
import subprocess
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
BUILD = ROOT / "_build"
LOCALES = ROOT / "locales"
CACHE = BUILD / ".jupyter_cache"

# What each edition changes in `_config.yml`. `search_language` picks Sphinx's word splitter
# (Chinese: jieba, so that two-character words such as 隐私 are index entries of their own).
EDITIONS: dict[str, dict[str, str]] = {
    "zh_CN": {
        "title": "打造 AI 大模型创业公司：习题与主张的可执行解答",
        "search_language": "zh",
        "label": "简体中文",
        "html_lang": "zh-CN",
        # myst-nb's toggles of hidden cells ("Show code cell source"); {type} would stay English.
        "nb_code_prompt_show": "显示代码单元",
        "nb_code_prompt_hide": "隐藏代码单元",
    },
}
ENGLISH = {"label": "English", "html_lang": "en"}
GLOSSARY = ROOT / "book" / "glossary.md"
SEARCH_WORDS = "search-words.txt"
# A glossary definition starts with its Chinese term in bold: "  **准确率悖论**: High accuracy...".
GLOSSARY_TERM = re.compile(r"^\s+\*\*([^*]+)\*\*:", re.MULTILINE)
CJK_WORD = re.compile(r"[\u4e00-\u9fff]{2,}")


def search_words(glossary: Path = GLOSSARY) -> list[str]:
    """The glossary's Chinese terms as words for the search index's segmenter (jieba).

    Without them jieba splits a term it does not know, e.g. 置换重要性, into pieces, and a
    search for the whole term finds less. Returns the runs of two or more CJK characters.
    """
    terms = GLOSSARY_TERM.findall(glossary.read_text(encoding="utf-8"))
    return sorted({word for term in terms for word in CJK_WORD.findall(term)})


def portable_config(base: dict, execute: str) -> dict:
    """`base` (the parsed `_config.yml`) usable from any folder, executing as `execute` says.

    Jupyter Book resolves the bibliography, the local extensions and Sphinx's extra paths
    against the configuration file's folder; they become absolute. `execute` is a Jupyter Book
    `execute_notebooks` mode ("cache", "off", ...).
    """
    config = copy.deepcopy(base)
    config["execute"]["execute_notebooks"] = execute
    config["bibtex_bibfiles"] = [str(ROOT / p) for p in base.get("bibtex_bibfiles", [])]
    sphinx = config["sphinx"]
    sphinx["local_extensions"] = {
        name: str(ROOT / path) for name, path in sphinx["local_extensions"].items()
    }
    settings = sphinx["config"]
    settings["html_extra_path"] = [str(ROOT / p) for p in settings.get("html_extra_path", [])]
    return config


def edition_config(base: dict, language: str, execute: str = "cache") -> dict:
    """Return the edition's Jupyter Book configuration: `base` with the edition's settings.

    The paths are absolute (`portable_config`), because the edition's file lives in
    `_build/<language>/`, and the execution cache is the English build's. Raises KeyError for an
    unknown language.
    """
    edition = EDITIONS[language]
    config = portable_config(base, execute)
    config["title"] = edition["title"]
    config["execute"]["cache"] = str(CACHE)
    settings = config["sphinx"]["config"]
    settings["language"] = language
    settings["locale_dirs"] = [str(LOCALES)]
    settings["gettext_compact"] = False
    settings["html_search_language"] = edition["search_language"]
    settings["html_search_options"] = {"dict": str(BUILD / language / SEARCH_WORDS)}
    settings["nb_code_prompt_show"] = edition["nb_code_prompt_show"]
    settings["nb_code_prompt_hide"] = edition["nb_code_prompt_hide"]
    # The language switch (_ext/editions.py): where the other edition's root is, from this one's.
    settings["edition_counterpart_root"] = "../"
    settings["edition_counterpart_label"] = ENGLISH["label"]
    settings["edition_counterpart_lang"] = ENGLISH["html_lang"]
    settings["edition_glued_catalogue"] = str(LOCALES / language / "glued.po")
    return config


def write_config(language: str, execute: str = "cache") -> Path:
    """Write the edition's `_config.yml` (and search words) under `_build/<language>/`."""
    base = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))
    path = BUILD / language / "_config.yml"
    path.parent.mkdir(parents=True, exist_ok=True)
    words = "".join(f"{word}\n" for word in search_words())
    (path.parent / SEARCH_WORDS).write_text(words, encoding="utf-8")
    text = yaml.safe_dump(edition_config(base, language, execute), allow_unicode=True)
    path.write_text(text, encoding="utf-8")
    return path


def jupyter_book(*args: str) -> None:
    """Run the venv's `jupyter-book` with `args` from the repository root; raise on failure."""
    executable = Path(sys.executable).with_name("jupyter-book")
    subprocess.run([str(executable), *args], cwd=ROOT, check=True)


def extract() -> Path:
    """Write the gettext templates of every page into `_build/gettext/` (nothing executes)."""
    config = write_config("zh_CN", execute="off")
    # From scratch: a change to an extension (what a directive generates) is not a source change.
    shutil.rmtree(BUILD / "pot", ignore_errors=True)
    jupyter_book(
        "build", ".", "--config", str(config), "--path-output", str(BUILD / "pot"),
        "--builder", "custom", "--custom-builder", "gettext", "--quiet",
    )  # fmt: skip
    target = BUILD / "gettext"
    shutil.rmtree(target, ignore_errors=True)
    shutil.copytree(BUILD / "pot" / "_build" / "gettext", target)
    return target


def build_site(language: str, strict: bool = True) -> Path:
    """Build the edition into `_build/html/<language>/` from the execution cache."""
    config = write_config(language)
    flags = ["-W", "-n", "--keep-going"] if strict else []
    output = BUILD / language
    jupyter_book(
        "build", ".", "--config", str(config), "--path-output", str(output), "--quiet", *flags
    )
    target = BUILD / "html" / language
    shutil.rmtree(target, ignore_errors=True)
    shutil.copytree(output / "_build" / "html", target)
    return target


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("config").add_argument("language", choices=EDITIONS)
    portable = commands.add_parser("portable", help="the English config with absolute paths")
    portable.add_argument("target", type=Path)
    portable.add_argument("--execute", default="off")
    commands.add_parser("extract")
    site = commands.add_parser("site")
    site.add_argument("language", choices=EDITIONS)
    site.add_argument("--no-strict", action="store_true", help="build without -W")
    args = parser.parse_args()
    if args.command == "config":
        print(write_config(args.language))
    elif args.command == "portable":
        base = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))
        text = yaml.safe_dump(portable_config(base, args.execute), allow_unicode=True)
        args.target.write_text(text, encoding="utf-8")
    elif args.command == "extract":
        print(extract())
    else:
        print(build_site(args.language, strict=not args.no_strict))


if __name__ == "__main__":
    main()
