#!/usr/bin/env bash
# One chapter, for authors: `make chapter NB=book/part5-evaluation/fairness.ipynb [BOOK_SEED=3]`.
#   1. nbmake runs the notebook on a scratch copy (outputs kept there, nothing in book/ changes);
#   2. that executed copy is rendered as a single page into _build/chapter/ (no re-execution).
# Citations and cross-references resolve only in the whole book (`make test`), so the page build
# reports them as warnings but does not fail on them; the notebook's own checks do fail it.
set -euo pipefail
BIN=${1:?usage: scripts/chapter.sh BIN NOTEBOOK}
NB=${2:?usage: scripts/chapter.sh BIN NOTEBOOK}
ROOT=$(pwd)
SCRATCH=_executed_chapter
OUT=_build/chapter
[ -f "$NB" ] || { echo "no notebook at $NB" >&2; exit 1; }
rm -rf "$SCRATCH" "$OUT"
mkdir -p "$SCRATCH" "$OUT"
cp "$NB" "$SCRATCH/"
NAME=$(basename "$NB")
echo "== running $NB with nbmake (BOOK_SEED=${BOOK_SEED:-unset, the default seed})"
(cd "$SCRATCH" && "$ROOT/$BIN/pytest" --nbmake --nbmake-timeout=300 --overwrite -p no:cacheprovider \
  --durations=0 --durations-min=0 -q "$NAME")
# Render the outputs nbmake just produced (no execution), with the book's extensions and references.
"$BIN/python" scripts/edition.py portable "$SCRATCH/_config.yml" --execute off
echo "== rendering the executed notebook as one page"
(cd "$SCRATCH" && "$ROOT/$BIN/jupyter-book" build "$NAME" --config _config.yml \
  --path-output "$ROOT/$OUT" --quiet) || true
PAGE=$(find "$OUT" -name "${NAME%.ipynb}.html" | head -1)
[ -n "$PAGE" ] || { echo "the page was not built" >&2; exit 1; }
echo "== page: $PAGE"
