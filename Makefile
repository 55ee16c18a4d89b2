# Postloan: `make run` serves the dashboard on the demo warehouse; `make test` runs everything.
# Every target is idempotent: a second run only does what is missing.

SHELL := /bin/bash
.SHELLFLAGS := -euo pipefail -c
.DEFAULT_GOAL := help

PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.postloan-installed
WAREHOUSE := data/warehouse.duckdb
DEMO_EXTRACT := data/demo-extract
DEMO_ARGS ?=
PORT ?= 8501
PYTEST_ARGS ?=
TEST_WORKERS ?= 2
# Each browser worker serves its own demo warehouse on its own port with its own Chromium. Two
# by default since settle() waits for lazily loaded elements (stSkeleton) and counts runs right
# (the idle test's missing metrics on two workers): 53 passed twice on two workers at load 10-15.
BROWSER_WORKERS ?= 2
SIZES ?= 100000 1000000
PG := scripts/pg.sh
PG_PORT ?= 54329
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: help run install system-deps lint format test bench constraints clean distclean

help:  ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-12s %s\n", $$1, $$2}'

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# Reinstall only when the dependency pins or the project metadata change.
$(STAMP): pyproject.toml constraints.txt | $(BIN)/python
	$(BIN)/pip install --quiet --disable-pip-version-check -c constraints.txt -e '.[dev]'
	touch $@

install: $(STAMP)  ## create .venv and install the project with its dev tools

# Built only when missing: the demo extract goes through the same load, checks and build as a real one.
$(WAREHOUSE): | $(STAMP)
	rm -rf $(DEMO_EXTRACT)
	$(BIN)/postloan demo $(DEMO_EXTRACT) $(DEMO_ARGS)
	$(BIN)/postloan load $(DEMO_EXTRACT) --warehouse duckdb:///$(WAREHOUSE)

# The Chinese font the committee pack's PDF embeds (without it the PDF names a viewer-side font).
CJK_FONT := /usr/share/fonts/truetype/wqy/wqy-zenhei.ttc
$(CJK_FONT):
	export DEBIAN_FRONTEND=noninteractive; \
	$(SUDO) apt-get install -y -q --no-install-recommends fonts-wqy-zenhei >/dev/null \
	|| { $(SUDO) apt-get update -q >/dev/null \
	     && $(SUDO) apt-get install -y -q --no-install-recommends fonts-wqy-zenhei >/dev/null; }

# A demo warehouse written by an older version (tables or columns missing) is made anew.
run: $(STAMP) $(CJK_FONT) $(WAREHOUSE)  ## serve the dashboard on http://localhost:8501, with the scheduler
	$(BIN)/postloan info --warehouse duckdb:///$(WAREHOUSE) >/dev/null 2>&1 \
		|| { echo "the demo warehouse is from an older version: making it anew"; \
		     rm -f $(WAREHOUSE); $(MAKE) --no-print-directory $(WAREHOUSE); }
	export POSTLOAN_WAREHOUSE_URL="$${POSTLOAN_WAREHOUSE_URL:-duckdb:///$(WAREHOUSE)}"; \
	$(BIN)/postloan user init; \
	$(BIN)/postloan scheduler & scheduler=$$!; \
	trap 'kill $$scheduler 2>/dev/null || true' EXIT INT TERM; \
	$(BIN)/streamlit run dashboard/server.py --server.port $(PORT) --server.headless true

# PostgreSQL for the DuckDB+PostgreSQL suite; Chromium and a Chinese font for the browser tests;
# LibreOffice Calc (headless) for the workbook tests.
# apt only when something is missing.
system-deps:  ## apt-get install postgresql, chromium, a CJK font and LibreOffice Calc when missing
	@missing=""; \
	ls /usr/lib/postgresql/*/bin/postgres >/dev/null 2>&1 || missing="$$missing postgresql"; \
	command -v chromium >/dev/null 2>&1 || missing="$$missing chromium"; \
	[ -e /usr/share/fonts/truetype/wqy/wqy-zenhei.ttc ] || missing="$$missing fonts-wqy-zenhei"; \
	command -v soffice >/dev/null 2>&1 || missing="$$missing libreoffice-calc-nogui"; \
	if [ -n "$$missing" ]; then \
		echo "installing:$$missing"; \
		export DEBIAN_FRONTEND=noninteractive; \
		$(SUDO) apt-get install -y -q --no-install-recommends $$missing >/dev/null \
		|| { $(SUDO) apt-get update -q >/dev/null \
		     && $(SUDO) apt-get install -y -q --no-install-recommends $$missing >/dev/null; }; \
	fi

lint: $(STAMP)  ## ruff check and format check
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(STAMP)  ## apply ruff fixes and formatting
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# One shell: the trap stops the throwaway server however pytest ends. Port 54329 unless taken
# (say, by another checkout's run), then any free one. Two runs, both always run, and the target
# fails if either fails: everything but the browser tests on $(TEST_WORKERS) xdist workers, then
# the browser tests on $(BROWSER_WORKERS) workers (each with its own demo warehouse, Streamlit
# server and Chromium; tests wait on conditions, never on time, so load only slows them).
# --dist loadfile keeps each module, and so its module-scoped warehouse, in one worker; every
# worker has its own temporary folder and PostgreSQL databases are named t_<uuid>, so workers
# never share a file or a database. PYTEST_ARGS go to both runs; exit 5 (nothing selected, e.g.
# PYTEST_ARGS=tests/queries for the browser run) is not a failure.
test: $(STAMP) system-deps lint  ## the whole suite on DuckDB and PostgreSQL (starts a throwaway PG)
	export POSTLOAN_PG_PORT="$$($(BIN)/python scripts/free_port.py $(PG_PORT))"; \
	trap '$(PG) stop' EXIT; trap 'exit 130' INT TERM; \
	$(PG) start; \
	export POSTLOAN_TEST_PG_URL="$$($(PG) url)"; \
	status=0; \
	$(BIN)/pytest -n $(TEST_WORKERS) --dist loadfile -m "not browser" --durations=30 $(PYTEST_ARGS) \
		|| { rc=$$?; [ $$rc = 5 ] || status=$$rc; }; \
	$(BIN)/pytest -n $(BROWSER_WORKERS) --dist loadfile -m browser --durations=15 \
		$(or $(PYTEST_ARGS),tests/browser) \
		|| { rc=$$?; [ $$rc = 5 ] || status=$$rc; }; \
	exit $$status

bench: $(STAMP)  ## time DuckDB and a PostgreSQL it starts (SIZES="100000 1000000", PG_BENCH=0 DuckDB only, PG_URL= a loaded one), write docs/benchmarks.md
	$(BIN)/python scripts/bench.py $(SIZES) $(if $(filter 0,$(PG_BENCH)),--no-pg) \
		$(if $(PG_URL),--pg-url '$(PG_URL)')

constraints: $(STAMP)  ## re-pin constraints.txt from the current .venv
	$(BIN)/pip freeze --exclude-editable --exclude postloan > constraints.txt

clean:  ## remove caches, the demo extract and the demo warehouse
	rm -rf $(DEMO_EXTRACT) $(WAREHOUSE) data/.warehouse.duckdb.*.tmp* \
		.pytest_cache .ruff_cache .hypothesis build *.egg-info
	find . -name __pycache__ -type d -prune -exec rm -rf {} +

distclean: clean  ## clean, and remove the virtual environment too
	rm -rf $(VENV)
