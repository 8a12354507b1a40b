# Flasky: `make run` to start it, `make test` to test it. Both set everything up first.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
FLASK := $(BIN)/flask --app flasky

.PHONY: run test lint coverage check loadtest clean bench

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.runtime: requirements.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.dev: requirements.txt requirements-dev.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $(VENV)/.runtime $@

run: $(VENV)/.runtime
	$(FLASK) deploy
	$(FLASK) run --host 127.0.0.1 --port 5000

# The browser tests' accessibility check injects axe-core from npm; without npm
# on the machine that check is skipped with a reason, the other tests still run.
NPM := $(shell command -v npm 2>/dev/null)
AXE := node_modules/axe-core/axe.min.js

$(AXE): package.json package-lock.json
	npm ci --silent --no-audit --no-fund
	touch $@

test: $(VENV)/.dev $(if $(NPM),$(AXE))
	$(FLASK) test

coverage: $(VENV)/.dev
	$(FLASK) test --coverage

lint: $(VENV)/.dev
	$(BIN)/ruff check .

# Static checks: style, then security findings of medium or high severity in the
# code (a justified exception carries `# nosec` with its reason), then known
# vulnerabilities in the pinned runtime requirements (needs the package index).
check: $(VENV)/.dev
	$(BIN)/ruff check .
	$(BIN)/bandit -r app --severity-level medium --quiet
	$(BIN)/pip-audit -r requirements.txt --progress-spinner off

# Concurrent readers and writers against gunicorn; prints the figures and fails on
# a lost write or a 5xx. LOADTEST_ARGS="--database-url postgresql://..." for PostgreSQL.
loadtest: $(VENV)/.dev
	$(BIN)/python scripts/loadtest.py $(LOADTEST_ARGS)

# Throughput and latency of the main pages next to a hello-world Flask app, on a seeded
# temporary database (docs/performance.md). SIZE=small (default) or SIZE=large.
SIZE ?= small
bench: $(VENV)/.runtime
	$(BIN)/python -m bench.run --size $(SIZE)

clean:
	rm -rf $(VENV) htmlcov .coverage .pytest_cache .ruff_cache node_modules
