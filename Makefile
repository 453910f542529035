# Two commands do everything on a fresh machine (Python 3.11+, npm, and Chromium for the tests):
#   make site   build the site into _build/html, executing every notebook (cached), and its
#               Chinese edition into _build/html/zh_CN from the same outputs
#   make translations   after changing English prose: update locales/zh_CN's catalogues
#               (new strings empty, changed ones fuzzy) and report what is left to translate
#   make test   run every notebook once with nbmake, build the site from those outputs with -W
#               (through the build's execution cache), then the book-wide tests (toc, coverage
#               map, hygiene, ruff, the site in Chromium); then the chapters again under
#               Colab's library versions with another seed, every cell tag ignored
#   make chapter NB=book/part5-evaluation/fairness.ipynb   one notebook and its page
#               (BOOK_SEED=3 make chapter ... runs it with another seed)
VENV ?= .venv
PYTHON ?= python3
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: install site translations test chapter clean

$(STAMP): requirements.txt requirements-dev.txt requirements-nodeps.txt constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements-dev.txt -c constraints.txt
	$(BIN)/python -m pip install --quiet --no-deps -r requirements-nodeps.txt
	touch $@

install: $(STAMP)

site: install
	$(BIN)/jupyter-book build . -W -n --keep-going
	$(BIN)/python scripts/edition.py site zh_CN

translations: install
	$(BIN)/python scripts/edition.py extract
	$(BIN)/sphinx-intl update -p _build/gettext -l zh_CN -d locales
	$(BIN)/python scripts/translation.py report

test: install
	bash scripts/test.sh $(BIN)

chapter: install
	bash scripts/chapter.sh $(BIN) $(NB)

clean:
	rm -rf _build
