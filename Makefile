# zhida: the two commands of the Quick start are `make demo` and `make test`.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
PYTEST_ARGS ?= -n 2 --durations=15

.PHONY: demo test install services lint bench lock clean

$(STAMP): requirements.lock pyproject.toml
	$(PY) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q --require-hashes -r requirements.lock
	$(BIN)/python -m pip install -q --no-deps -e .
	touch $@

install: $(STAMP)

## set up, build the demo district on SQLite, run it through, serve the console
demo: install
	$(BIN)/zhida demo run

## install what the tests need (Chromium, a running PostgreSQL) and run the whole suite
test: install services lint
	$(BIN)/python -m pytest $(PYTEST_ARGS)

services:
	bash scripts/ensure-services.sh

## every benchmark at full size (docs/performance.md); `make bench BENCH_ARGS=--smoke` for a quick check
BENCH_ARGS ?=
bench: install services
	$(BIN)/python -m pip install -q --require-hashes -r requirements-bench.lock
	$(BIN)/python -m pip install -q --no-deps -e .
	for b in bench/*_bench.py bench/jobs_coder_eval.py bench/jobs_coder_speed.py; do \
	  echo "== $$b $(BENCH_ARGS)"; $(BIN)/python $$b $(BENCH_ARGS) || exit 1; done

## regenerate the lock files after changing pyproject.toml
lock:
	uv pip compile pyproject.toml --extra test --python-version 3.11 --generate-hashes -o requirements.lock
	uv pip compile pyproject.toml --extra test --extra bench --python-version 3.11 --generate-hashes -o requirements-bench.lock

## the gates: lint (ruff), formatting of the files listed in FORMATTED, types (mypy), import contracts
## (import-linter); configured in pyproject.toml. Grow FORMATTED as files are formatted with `ruff format`.
FORMATTED := zhida/loans/forms.py zhida/loans/corrections.py zhida/platform/__init__.py zhida/platform/calendar.py zhida/platform/clock.py \
	zhida/platform/models.py zhida/platform/senders.py zhida/platform/workflow.py zhida/platform/audit.py \
	zhida/platform/cli.py zhida/platform/outbox.py zhida/platform/queries.py \
	zhida/rules/lang zhida/rules/entities.py zhida/registry/rule_inputs.py zhida/programmes.py zhida/cliutil.py \
	zhida/paging.py \
	zhida/delivery/cli.py zhida/delivery/cli_cycle.py zhida/delivery/cli_pay.py zhida/jobs/cli.py zhida/rules/cli.py \
	zhida/registry/cli.py zhida/imports/cli.py zhida/demo/cli.py zhida/db_cli.py
lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check $(FORMATTED)
	$(BIN)/mypy
	$(BIN)/lint-imports

clean:
	rm -rf $(VENV) zhida.db var .pytest_cache
