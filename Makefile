# Flasky: `make run` to start it, `make test` to test it. Both set everything up first.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
FLASK := $(BIN)/flask --app flasky

.PHONY: run test lint coverage check loadtest clean bench lock

# pip first, at the version and hashes requirements-dev.txt locks it to: a current pip
# installs the locks in about two thirds of the time the one a new venv comes with takes.
$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	awk '/^pip==/ { found = 1 } found { print } found && !/\\$$/ { exit }' \
		requirements-dev.txt > $(VENV)/pip.txt
	$(BIN)/python -m pip install --quiet --require-hashes -r $(VENV)/pip.txt

# Every package, setuptools included, comes from a lock that pins and hashes it
# (`make lock` writes them from pyproject.toml); then Flasky itself, editable and
# without dependencies, so `flask --app flasky` works from this checkout.
PIP_INSTALL := $(BIN)/python -m pip install --quiet
INSTALL_FLASKY := $(PIP_INSTALL) --no-deps --no-build-isolation --editable .

$(VENV)/.runtime: requirements.txt | $(BIN)/python
	$(PIP_INSTALL) --require-hashes -r requirements.txt
	$(INSTALL_FLASKY)
	touch $@

$(VENV)/.dev: requirements-dev.txt | $(BIN)/python
	$(PIP_INSTALL) --require-hashes -r requirements-dev.txt
	$(INSTALL_FLASKY)
	touch $(VENV)/.runtime $@

# Regenerate both locks from pyproject.toml (needs the package index). Pins already
# in a lock are kept while they still fit; LOCK_ARGS=--upgrade moves every package to
# its newest allowed version, LOCK_ARGS="--upgrade-package NAME" just one (README.md,
# "Dependencies"). The runtime lock is constrained by the dev lock, so a package has
# one version in both.
PIP_COMPILE := CUSTOM_COMPILE_COMMAND="make lock" $(BIN)/pip-compile --quiet \
	--generate-hashes --allow-unsafe --strip-extras --build-deps-for editable \
	--build-deps-for wheel --no-emit-index-url --no-emit-find-links --no-emit-trusted-host

lock: $(VENV)/.dev
	$(PIP_COMPILE) $(LOCK_ARGS) --extra dev -o requirements-dev.txt pyproject.toml
	$(PIP_COMPILE) $(LOCK_ARGS) --constraint requirements-dev.txt -o requirements.txt \
		pyproject.toml

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
# vulnerabilities in the runtime lock, exactly the pinned and hashed versions
# (needs the vulnerability database online).
check: $(VENV)/.dev
	$(BIN)/ruff check .
	$(BIN)/bandit -r app --severity-level medium --quiet
	$(BIN)/pip-audit -r requirements.txt --disable-pip --progress-spinner off

# Concurrent readers and writers against gunicorn; prints the figures and fails on
# a lost write or a 5xx. LOADTEST_ARGS="--database-url postgresql://..." for PostgreSQL.
loadtest: $(VENV)/.dev
	$(BIN)/python scripts/loadtest.py $(LOADTEST_ARGS)

# Throughput and latency of the main pages next to a hello-world Flask app, on a seeded
# temporary database, quiet and then while a writer adds comments and posts at 0, 2 and
# 10 writes/s (docs/performance.md). SIZE=small (default) or SIZE=large;
# BENCH_ARGS="--live only", "--database-url postgresql://..." and the rest of --help.
SIZE ?= small
BENCH_ARGS ?=
bench: $(VENV)/.runtime
	$(BIN)/python -m bench.run --size $(SIZE) $(BENCH_ARGS)

clean:
	rm -rf $(VENV) htmlcov .coverage .pytest_cache .ruff_cache node_modules build dist *.egg-info
