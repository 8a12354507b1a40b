# Flasky: `make run` to start it, `make test` to test it. Both set everything up first.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
FLASK := $(BIN)/flask --app flasky

.PHONY: run test lint coverage clean

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

clean:
	rm -rf $(VENV) htmlcov .coverage .pytest_cache .ruff_cache node_modules
