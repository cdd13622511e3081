# Two commands do all the set-up on a fresh machine:
#   make run   - build .venv, crawl seeds/ offline into SQLite, print what was stored
#   make test  - build .venv, install the test servers (PostgreSQL, Redis) if missing, run the tests
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
DATA_DIR ?= data
export BLOGINGEST_DATA_DIR := $(abspath $(DATA_DIR))

.PHONY: run test lint typecheck check services bench corpus clean

$(BIN)/.installed: pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	# Older pip releases (23.x) fail to resolve scrapy's lxml extras: upgrade pip first.
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev,bench]'
	touch $@

run: $(BIN)/.installed
	$(BIN)/blogingest db upgrade
	$(BIN)/blogingest crawl --offline
	$(BIN)/blogingest export --format jsonl --limit 5 --brief

# PostgreSQL and Redis back the storage and scale-out tests. They are installed from Debian's
# packages when missing and we may (root with apt-get); elsewhere those tests skip with a reason.
services:
	@if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || ! command -v redis-server >/dev/null 2>&1; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql redis-server >/dev/null; \
	  else echo "note: PostgreSQL/Redis missing and not root: their tests will be skipped"; fi; \
	fi

# Lint, types and the layers' import contracts first, so that pytest's summary is the closing line.
test: $(BIN)/.installed services
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/lint-imports
	$(BIN)/python -m pytest -q -n auto

lint: $(BIN)/.installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: $(BIN)/.installed
	$(BIN)/mypy

check: lint typecheck test

corpus: $(BIN)/.installed
	$(BIN)/python -m benchmarks.corpus ../shared/corpus

bench: $(BIN)/.installed
	$(BIN)/python -m benchmarks.parse_speed ../shared/corpus
	$(BIN)/python -m benchmarks.storage_speed
	$(BIN)/python -m benchmarks.crawl_speed
	$(BIN)/python -m benchmarks.scaleout_speed --posts 2000

clean:
	rm -rf $(VENV) $(DATA_DIR) .pytest_cache .mypy_cache .ruff_cache
