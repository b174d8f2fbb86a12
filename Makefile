# Every target creates .venv first when it is missing (or when the pins changed).
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
export NO_MKDOCS_2_WARNING := 1

.PHONY: serve test test-portable check build book bench figures lint format freeze clean

$(STAMP): pyproject.toml constraints.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -c constraints.txt -e '.[torch,docs,test]'
	touch $@

serve: $(STAMP)  ## serve the site at http://127.0.0.1:8000 with live reload
	$(BIN)/mkdocs serve

# every core: one xdist worker per core; the units of work and their order: conftest.py
test: $(STAMP)  ## the whole test suite: nnref, every docs page, the docs machinery
	$(BIN)/pytest -n auto --dist loadscope

# the pages again as another reader's machine runs them: another CPU's kernel paths, the Korean
# pages with 3 torch threads and the English ones with 1 (src/nnref_docs/portable.py says why). One
# pytest worker: with several torch threads, two workers would oversubscribe the cores and a
# training page that takes 3 s ran for over 3 minutes (measured on 2 cores)
test-portable: $(STAMP)  ## the docs again on another CPU's kernel paths, at 3 threads (ko) and 1 (en)
	$(BIN)/python -m nnref_docs.portable

# one page pair, everything about it, in seconds: make check PAGE=docs/03-pytorch/optimizers.ko.md
check: $(STAMP)  ## both languages of PAGE: parse, same code, run, glossary, links, nav
	@test -n "$(PAGE)" || { echo "usage: make check PAGE=docs/<chapter>/<page>.ko.md (or .en.md, or <chapter>/<page>)"; exit 2; }
	$(BIN)/python -m nnref_docs.check $(PAGE)

build: $(STAMP)  ## the static site in site/, warnings are errors
	$(BIN)/mkdocs build --strict

# after make build: headless Chromium prints each language's book page into site/assets/book/, then
# the PDFs are checked (needs pdftotext: apt-get install poppler-utils)
book: $(STAMP)  ## the book's PDF per language, printed from the built site and checked
	$(BIN)/python -m nnref_docs.pdf site --check

# one page pair's figures with PAGE=docs/<chapter>/<page>.ko.md (or .en.md, or <chapter>/<page>), both
# languages; without PAGE every page's
FIGURE_PAIR = $(basename $(basename $(patsubst docs/%,%,$(PAGE))))
figures: $(STAMP)  ## rewrite the figures that pages generate, of one page pair with PAGE=... (then review the diff)
	NNREF_UPDATE_FIGURES=1 $(BIN)/pytest $(if $(PAGE),docs/$(FIGURE_PAIR).ko.md docs/$(FIGURE_PAIR).en.md,docs)

bench: $(STAMP)  ## time make test and the docs alone (budgets 120 s, 60 s), cold and warm builds, page weight
	$(BIN)/python tools/bench.py

LINTED := src tests hooks tools
lint: $(STAMP)  ## ruff's rules and ruff's formatting (make format applies the formatting)
	$(BIN)/ruff check $(LINTED)
	$(BIN)/ruff format --check $(LINTED)

format: $(STAMP)  ## format the code with ruff (the suite checks it)
	$(BIN)/ruff format $(LINTED)
	$(BIN)/ruff check --fix --select I $(LINTED)

freeze: $(STAMP)  ## rewrite constraints.txt from the current venv
	{ head -2 constraints.txt; $(BIN)/pip freeze --exclude-editable | grep -v '^nnref' | sed 's/+cpu//'; } > constraints.new && mv constraints.new constraints.txt

clean:
	rm -rf site build .pytest_cache
