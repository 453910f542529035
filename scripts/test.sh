#!/usr/bin/env bash
# The book's test command (run it as `make test`). Every notebook executes exactly once:
#   1. nbmake runs each notebook on a scratch copy of the book and writes its outputs there;
#   2. the site is built from that copy with execution off and warnings as errors (-W);
#   3. pytest checks the book as a whole, including the built site in headless Chromium.
set -euo pipefail
BIN=${1:-.venv/bin}
ROOT=$(pwd)
# Not under _build: nbmake skips every path with a _build folder in it.
SCRATCH=_executed

if [ ! -x /usr/bin/chromium ]; then
  if [ "$(id -u)" = 0 ]; then
    echo "== installing Debian's Chromium for the browser tests"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  else
    echo "The browser tests need /usr/bin/chromium: sudo apt-get install chromium" >&2
    exit 1
  fi
fi

echo "== 1/3 executing every notebook with nbmake (each notebook's time is listed at the end)"
rm -rf "$SCRATCH"
mkdir -p "$SCRATCH"
cp -r _config.yml _toc.yml references.bib CONTRIBUTING.md book templates _ext "$SCRATCH"/
if [ -d _build/vendor ]; then mkdir -p "$SCRATCH/_build" && cp -r _build/vendor "$SCRATCH/_build/"; fi
mapfile -t NOTEBOOKS < <(cd "$SCRATCH" && find book templates -name "*.ipynb" | sort)
(cd "$SCRATCH" && "$ROOT/$BIN/pytest" --nbmake --nbmake-timeout=300 --overwrite \
  -p no:cacheprovider --durations=0 --durations-min=0 -q "${NOTEBOOKS[@]}")

echo "== 2/3 building the site from the executed notebooks (no re-execution, -W)"
"$BIN/python" - "$SCRATCH/_config.yml" <<'PY'
import sys, yaml
path = sys.argv[1]
config = yaml.safe_load(open(path, encoding="utf-8"))
config["execute"]["execute_notebooks"] = "off"
yaml.safe_dump(config, open(path, "w", encoding="utf-8"), allow_unicode=True, sort_keys=False)
PY
"$BIN/jupyter-book" build "$SCRATCH" -W -n --keep-going --quiet

echo "== 3/3 book-wide tests"
SITE_DIR="$SCRATCH/_build/html" EXECUTED_DIR="$SCRATCH" "$BIN/pytest" tests
