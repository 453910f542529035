#!/usr/bin/env bash
# The book's test command (run it as `make test`). Steps 1-3 execute every notebook once:
#   1. nbmake runs each notebook on a scratch copy and keeps its outputs and time there;
#   2. those outputs go into the site build's execution cache, and the site is built with
#      warnings as errors (-W): the build finds every notebook cached and runs none again; the
#      Chinese edition is built the same way from the same cache into _build/html/zh_CN, after
#      its translations are measured against the English (scripts/edition.py, translation.py);
#   3. the reader's edition of each chapter (the notebook the Colab button opens) is written
#      from those outputs, and pytest checks the book as a whole, the built site in headless
#      Chromium included;
#   4. every chapter runs again under Colab's library versions with another seed and with cell
#      tags ignored (scripts/colab_pass.sh); SKIP_COLAB_PASS=1 skips this pass.
set -euo pipefail
BIN=${1:-.venv/bin}
ROOT=$(pwd)
# Not under _build: nbmake skips every path with a _build folder in it.
SCRATCH=_executed
CACHE=_build/.jupyter_cache
REPORT=_build/nbmake.xml

if [ ! -x /usr/bin/chromium ]; then
  if [ "$(id -u)" = 0 ]; then
    echo "== installing Debian's Chromium for the browser tests"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  else
    echo "The browser tests need /usr/bin/chromium: sudo apt-get install chromium" >&2
    exit 1
  fi
fi

echo "== 1/4 executing every notebook with nbmake (each notebook's time is listed at the end)"
rm -rf "$SCRATCH"
mkdir -p "$SCRATCH" _build
cp -r book templates "$SCRATCH"/
mapfile -t NOTEBOOKS < <(cd "$SCRATCH" && find book templates -name "*.ipynb" | sort)
(cd "$SCRATCH" && "$ROOT/$BIN/pytest" --nbmake --nbmake-timeout=300 --overwrite \
  -p no:cacheprovider --junit-xml="$ROOT/$REPORT" --durations=0 --durations-min=0 -q \
  "${NOTEBOOKS[@]}")

echo "== 2/4 building the site from nbmake's outputs (cached, nothing runs again; -W)"
"$BIN/python" scripts/cache_executed.py "$SCRATCH" "$REPORT" "$CACHE"
"$BIN/jupyter-book" build . -W -n --keep-going --quiet
echo "== 2/4 the Chinese edition: translations measured against the English, then built (-W)"
"$BIN/python" scripts/edition.py extract
"$BIN/python" scripts/translation.py report
"$BIN/python" scripts/edition.py site zh_CN
cached=$(find book -name '*.ipynb' | wc -l)
"$BIN/python" - "$CACHE" "$cached" <<'PY'
import sys
from jupyter_cache import get_cache
records = len(get_cache(sys.argv[1]).list_cache_records())
if records != int(sys.argv[2]):
    sys.exit(f"the build executed notebooks again: {records} cache records, expected {sys.argv[2]}")
PY

echo "== 3/4 the reader's editions (what the Colab buttons open), then the book-wide tests"
"$BIN/python" scripts/reader_edition.py "$SCRATCH" "$REPORT" _build/reader
SITE_DIR=_build/html EXECUTED_DIR="$SCRATCH" READER_DIR=_build/reader "$BIN/pytest" tests

if [ "${SKIP_COLAB_PASS:-0}" = 1 ]; then
  echo "== 4/4 skipped (SKIP_COLAB_PASS=1): the chapters under Colab's versions and another seed"
else
  echo "== 4/4 every chapter again: Colab's versions, another seed, cell tags ignored"
  bash scripts/colab_pass.sh
fi
