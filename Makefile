# The two commands in the README: `make serve` and `make test`.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
CHROMIUM ?= /usr/bin/chromium

.PHONY: serve test test-fast lint check build bench browser-deps clean

$(BIN)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@

serve: $(BIN)/.installed
	$(BIN)/mkdocs serve

build: $(BIN)/.installed
	$(BIN)/mkdocs build --strict

check: $(BIN)/.installed
	$(BIN)/grader check

# Browser tests use Debian's Chromium and axe-core from npm; no browser is downloaded.
# TypeScript from npm checks the page script's types (tests/test_page_script.py).
browser-deps:
	@test -x $(CHROMIUM) || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null)
	@test -f node_modules/axe-core/axe.min.js -a -x node_modules/.bin/tsc || npm ci --silent --no-audit --no-fund

# ruff (lint and format), mypy over the package, and TypeScript's check of the page script.
lint: $(BIN)/.installed browser-deps
	$(BIN)/ruff check grader tests benchmarks
	$(BIN)/ruff format --check grader tests benchmarks
	$(BIN)/mypy
	node node_modules/typescript/bin/tsc --noEmit -p jsconfig.json

# pytest exits 5 when it collects no test; make treats any non-zero exit as failure.
test: lint
	$(BIN)/python -m pytest

# Every test but the browser ones, for a quick loop while working.
test-fast: $(BIN)/.installed
	$(BIN)/python -m pytest -m "not browser" -q

# Speed, memory, page weight and Lighthouse figures into benchmarks/RESULTS.md; not part of `make test`.
bench: $(BIN)/.installed
	$(BIN)/python -m benchmarks.run

clean:
	rm -rf $(VENV) site node_modules .pytest_cache
