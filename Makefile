# cleaner: every target installs what it needs into .venv first.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
OUT    ?= corpora/out

.PHONY: install corpus test lint bench golden fuzz clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

## install: create .venv and install cleaner with its test tools
install: $(STAMP)

## corpus: clean the shipped sample corpus into corpora/out/
corpus: $(STAMP)
	$(BIN)/cleaner run corpora/sample --out $(OUT) --no-translate
	@echo "clean text in $(OUT)/clean/ and $(OUT)/clean.jsonl; every removed line in $(OUT)/rejects.jsonl"

## test: the whole test suite
test: $(STAMP)
	$(BIN)/python -m pytest -q

## lint: ruff and mypy
lint: $(STAMP)
	$(BIN)/ruff check cleaner tests
	$(BIN)/ruff format --check cleaner tests
	$(BIN)/mypy

## bench: throughput against the naive loop, and language-ID accuracy/speed
bench: $(STAMP)
	$(BIN)/python tests/bench/bench_cleaning.py
	$(BIN)/python tests/bench/langid_eval.py

## golden: regenerate the golden end-to-end outputs (review the diff before committing)
golden: $(STAMP)
	$(BIN)/python tests/golden/regenerate.py

clean:
	rm -rf $(OUT) .pytest_cache .ruff_cache
