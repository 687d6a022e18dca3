# Campaign Notebook: every task a person or CI runs, in one place.
# `make site` and `make test` work on a fresh machine with Python >= 3.11 and make.

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   ?= .venv
BIN    := $(VENV)/bin
export NO_MKDOCS_2_WARNING := 1

.PHONY: site serve test lint typecheck unit bench golden template-code clean help



help:
	@echo "make site      build the notebook into site/ from the records (offline)"
	@echo "make serve     live preview at http://127.0.0.1:8000 (picks up record edits)"
	@echo "make test      lint, type-check, run every test and the quick benchmark"
	@echo "make bench     full benchmark (QUICK=1 for the one-minute version)"
	@echo "make golden    rewrite the golden Markdown files after an intended change"
	@echo "make template-code  compile the package's templates again (site, test and bench do it)"

$(BIN)/python:
	$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || { echo "error: Python >= 3.11 is needed (found $(PYTHON))"; exit 2; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@ $(VENV)/.installed

# The package's templates compiled at setup, as Python compiles .pyc files, into
# generator/site/template_code.json (not in git: another Jinja writes other code). A build loads
# that code while the templates, Jinja and the plain environment match it, and compiles a
# template itself otherwise. About 0.3 s; the file is rewritten only when it would change.
template-code: $(VENV)/.installed
	@$(BIN)/python -m generator.site.write_template_code

# Build into a staging folder and swap it in: a failed build leaves the previous site/ untouched.

site: $(VENV)/.installed template-code
	rm -rf site.new
	$(BIN)/mkdocs build --strict -d site.new
	rm -rf site && mv site.new site

serve: $(VENV)/.installed template-code
	$(BIN)/mkdocs serve --livereload

lint: $(VENV)/.installed-test
	$(BIN)/ruff check generator tests bench
	$(BIN)/ruff format --check generator tests bench
	$(BIN)/lint-imports

typecheck: $(VENV)/.installed-test
	$(BIN)/mypy

# Test tools from the npm registry (axe-core for the accessibility tests), pinned by the lock file.
node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --silent
	touch $@

unit: $(VENV)/.installed-test node_modules/.installed template-code
	bash scripts/ensure-chromium.sh
	$(BIN)/pytest -n 2 -q

test: lint typecheck unit
	$(MAKE) bench QUICK=1

bench: $(VENV)/.installed-test template-code
	$(BIN)/python bench/run.py $(if $(QUICK),--quick,)

golden: $(VENV)/.installed-test
	$(BIN)/pytest -q tests/site -k golden --update-golden


clean:
	rm -rf site site.new build node_modules .pytest_cache .mypy_cache .ruff_cache
