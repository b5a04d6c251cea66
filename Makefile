# Two entry points, both starting from nothing but Python 3.11+ and make:
#   make run   - create .venv, install Caviar, open the window
#   make test  - create .venv with the test extra, run lint, the import contract and all tests
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin

.PHONY: run test lint bench installer clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e ".[test]"
	touch $@ $(VENV)/.installed

run: $(VENV)/.installed
	$(BIN)/caviar

lint: $(VENV)/.installed-test
	$(BIN)/ruff check desktop_app tests benchmarks packaging
	$(BIN)/lint-imports

test: lint
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest -m "not packaging"

bench: $(VENV)/.installed-test
	$(BIN)/python benchmarks/bench_engine.py
	$(BIN)/python benchmarks/bench_sweep.py
	$(BIN)/python benchmarks/bench_trainers.py

installer: $(VENV)/.installed
	$(BIN)/python -m pip install --quiet -e ".[packaging]"
	PYTHON=$(BIN)/python packaging/build.sh

clean:
	rm -rf $(VENV) build dist *.egg-info
