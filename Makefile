# The two commands a newcomer needs: `make demo` and `make test`. Both install what they
# need (a virtualenv in .venv with the pinned dev tools, the npm tools in generator/).

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
NODE_STAMP := generator/node_modules/.installed

.PHONY: demo test lint typecheck unit contract generate check-generated bench tools install clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $@

$(NODE_STAMP): generator/package.json generator/package-lock.json
	cd generator && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
	touch $@

install: $(STAMP)

tools: $(STAMP) $(NODE_STAMP)

## The main job: query a stack (CONTENTSTACK_* set) or the bundled demo stack on 127.0.0.1.
demo: $(STAMP)
	$(PY) examples/quickstart.py

## Everything CI checks: lint, types, generated-code drift, unit, payload and contract tests.
test: lint typecheck check-generated unit

lint: $(STAMP)
	$(PY) -m ruff check contentstack_client tests examples generator
	$(PY) -m ruff format --check contentstack_client tests examples generator

typecheck: $(STAMP)
	$(PY) -m mypy

unit: tools
	$(PY) -m pytest

contract: tools
	$(PY) -m pytest -m contract

generate: tools
	$(PY) -m generator.generate

check-generated: tools
	$(PY) -m generator.generate --check

bench: $(STAMP)
	$(PY) tests/bench/run.py

clean:
	rm -rf $(VENV) generator/node_modules build .mypy_cache .ruff_cache .pytest_cache
