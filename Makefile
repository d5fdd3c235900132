# The two commands a newcomer runs: `make demo` and `make test`. Both create .venv when needed.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
# Extras to install; CI adds the distributed engines (ray, dask, spark) so their tests run instead of skipping.
EXTRAS ?= dev

.PHONY: demo test lint bench check-wheel clean-venv

$(BIN)/clean: pyproject.toml
	$(PY) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[$(EXTRAS)]'
	touch $(BIN)/clean

demo: $(BIN)/clean
	$(BIN)/clean --explain fixtures/golden/seed-bbc-kursk/input.txt

test: $(BIN)/clean
	$(BIN)/ruff check cleaner tests bench scripts
	$(BIN)/mypy
	$(BIN)/python -m pytest

bench: $(BIN)/clean
	$(BIN)/python bench/bench.py

# The wheel in a fresh venv, run from outside the checkout (see scripts/check_wheel.py); .ci/run runs it.
check-wheel: $(BIN)/clean
	$(BIN)/python scripts/check_wheel.py

clean-venv:
	rm -rf $(VENV)
