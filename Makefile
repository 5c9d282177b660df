# Both targets build their own virtual environment; nothing installed elsewhere is used.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: check test lint typecheck venv clean

venv: $(STAMP)

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[test]'
	touch $(STAMP)

check: $(STAMP)
	$(BIN)/doclint check
	$(BIN)/doclint coverage --fail-under 100 > /dev/null

test: $(STAMP)
	$(BIN)/python -m pytest

lint: $(STAMP) typecheck
	$(BIN)/ruff check doclint tests benchmarks

# Strict, on all of doclint/ (pyproject.toml's [tool.mypy]).
typecheck: $(STAMP)
	$(BIN)/mypy --strict

clean:
	rm -rf $(VENV) .doclint_cache build *.egg-info
