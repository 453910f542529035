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
"$BIN/python" - "$ROOT" "$SCRATCH/_config.yml" <<'PY'
import sys
from pathlib import Path

import yaml

root, target = Path(sys.argv[1]), Path(sys.argv[2])
config = yaml.safe_load((root / "_config.yml").read_text(encoding="utf-8"))
config["execute"]["execute_notebooks"] = "off"  # render the outputs nbmake just produced
config["bibtex_bibfiles"] = [str(root / "references.bib")]
config["sphinx"]["local_extensions"] = {
    name: str(root / path) for name, path in config["sphinx"]["local_extensions"].items()
}
target.write_text(yaml.safe_dump(config), encoding="utf-8")
PY
echo "== rendering the executed notebook as one page"
(cd "$SCRATCH" && "$ROOT/$BIN/jupyter-book" build "$NAME" --config _config.yml \
  --path-output "$ROOT/$OUT" --quiet) || true
PAGE=$(find "$OUT" -name "${NAME%.ipynb}.html" | head -1)
[ -n "$PAGE" ] || { echo "the page was not built" >&2; exit 1; }
echo "== page: $PAGE"
