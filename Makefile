# cleaner: every target installs what it needs into .venv first.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
OUT    ?= corpora/out

.PHONY: install corpus test browser lint bench golden fuzz clean boilerplate-data boilerplate-model

# argostranslate depends on stanza, which depends on torch: install the CPU build first, or pip
# fetches the CUDA one (~2.5 GB more). cleaner itself never imports torch. Elsewhere than on this
# project's machines, point pip at PyTorch's CPU index:
#   make TORCH_PIP_ARGS="--index-url https://download.pytorch.org/whl/cpu" install
TORCH_SPEC     ?= torch==2.13.0
TORCH_PIP_ARGS ?=

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet "$(TORCH_SPEC)" $(TORCH_PIP_ARGS)
	@# the distribution was called "cleaner" before it took a name free on PyPI (cleaner-news):
	@# an older .venv may still hold it
	$(BIN)/python -m pip uninstall --quiet --yes cleaner 2>/dev/null || true
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

## install: create .venv and install cleaner with its test tools
install: $(STAMP)

## corpus: clean and translate the shipped sample corpus into corpora/out/
##         (installs the Argos packages it needs when it can; DOWNLOAD=0 never tries)
DOWNLOAD ?= 1
PAIRS    := zh:en en:fr fr:en
corpus: $(STAMP)
	@if $(BIN)/cleaner models check >/dev/null 2>&1; then \
	  $(BIN)/cleaner run corpora/sample --out $(OUT); \
	elif [ "$(DOWNLOAD)" = 1 ] && echo "downloading the translation packages ($(PAIRS)) from the Argos index..." \
	     && $(BIN)/cleaner models install --download $(PAIRS); then \
	  $(BIN)/cleaner run corpora/sample --out $(OUT); \
	else \
	  $(BIN)/cleaner run corpora/sample --out $(OUT) --no-translate && \
	  echo "" && \
	  echo "NOTE: cleaning only. The English side ($(OUT)/parallel/) was NOT produced and Chinese" && \
	  echo "fragments were NOT translated: no translation packages are installed and they could" && \
	  echo "not be downloaded. With internet: .venv/bin/cleaner models install --download $(PAIRS)" && \
	  echo "or from files: .venv/bin/cleaner models install FILE.argosmodel; then make corpus again."; \
	fi
	@echo "clean text in $(OUT)/clean/ and $(OUT)/clean.jsonl; every removed line in $(OUT)/rejects.jsonl;"
	@echo "open $(OUT)/report.html to see what was done to each page, and why"

## test: the whole test suite. Installs Debian's chromium first (apt-get, as root), for the
##       report's browser tests; CLEANER_NO_BROWSER=1 installs nothing and skips those tests
test: $(STAMP)
	@if [ "$${CLEANER_NO_BROWSER:-0}" = 1 ]; then \
	  echo "CLEANER_NO_BROWSER=1: not installing chromium; the browser tests are skipped"; \
	elif ! command -v chromium >/dev/null 2>&1; then \
	  $(MAKE) --no-print-directory browser; \
	fi
	$(BIN)/python -m pytest -q

## browser: Debian's chromium from the machine's apt sources, for the report's browser tests
##          (skipped, with their reason, without it)
browser:
	@if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	  echo "installing Debian's chromium (apt-get install chromium) for the report's browser tests..."; \
	  ( DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium >/dev/null 2>&1 || \
	    ( apt-get update -q >/dev/null 2>&1 && \
	      DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium >/dev/null 2>&1 ) ) || \
	  echo "chromium could not be installed: the report's browser test will be skipped"; \
	else \
	  echo "not root or no apt-get: install chromium to run the report's browser test"; \
	fi

## lint: ruff and mypy
lint: $(STAMP)
	$(BIN)/ruff check cleaner tests
	$(BIN)/ruff format --check cleaner tests
	$(BIN)/mypy

## bench: cleaning throughput against the naive loop, mojibake repair against ftfy,
##        language-ID accuracy/speed, the document-language threshold's measured cases,
##        sentence splitting F1 against pysbd and sentencex,
##        translation speed against argostranslate and raw CTranslate2, scale, the run report's
##        size and load times in Chromium for 1k, 10k and 100k documents, documents/s by
##        input format (text, HTML, WARC, Parquet), finding the article on held-out sites
##        (as naive lines, and as Markdown), and the independent check on trafilatura's own
##        evaluation pages (TRAFILATURA=DIR, a clone of github.com/adbar/trafilatura; skipped
##        without it)
TRAFILATURA ?=
bench: $(STAMP)
	$(BIN)/python tests/bench/bench_cleaning.py
	$(BIN)/python tests/bench/bench_boilerplate.py
	$(BIN)/python tests/bench/bench_trafilatura_eval.py $(if $(TRAFILATURA),--trafilatura $(TRAFILATURA))
	$(BIN)/python tests/bench/bench_markdown.py
	$(BIN)/python tests/bench/encoding_eval.py
	$(BIN)/python tests/bench/langid_eval.py
	$(BIN)/python tests/bench/doclang_eval.py
	$(BIN)/python tests/bench/segment_eval.py
	$(BIN)/python tests/bench/bench_translate.py
	$(BIN)/python tests/bench/bench_scale.py
	$(BIN)/python tests/bench/bench_report.py
	$(BIN)/python tests/bench/bench_formats.py

## boilerplate-data: build the line dataset (corpora/boilerplate/build/) from bare clones of the
##                   public repositories listed in corpora/boilerplate/README.md, under MIRRORS
MIRRORS ?= /work/.mirror
boilerplate-data: $(STAMP)
	$(BIN)/python corpora/boilerplate/build.py --mirrors $(MIRRORS)

## boilerplate-model: retrain the shipped line model on the dataset's train sites
boilerplate-model: $(STAMP)
	$(BIN)/cleaner boilerplate train corpora/boilerplate/build/train.jsonl.gz \
	  --out cleaner/data/boilerplate_model.json

## fuzz: bounded fuzzing of whole runs: hypothesis (FUZZ_EXAMPLES inputs), then atheris
##       (coverage-guided, FUZZ_SECONDS) if it installs
FUZZ_EXAMPLES ?= 500
FUZZ_SECONDS  ?= 120
fuzz: $(STAMP)
	CLEANER_FUZZ_EXAMPLES=$(FUZZ_EXAMPLES) $(BIN)/python -m pytest -q tests/test_hostile.py -k fuzz
	@if $(BIN)/python -m pip install --quiet atheris; then \
	  $(BIN)/python tests/fuzz/fuzz_atheris.py -max_total_time=$(FUZZ_SECONDS) -rss_limit_mb=4096; \
	else echo "atheris does not install here: coverage-guided fuzzing skipped"; fi

## golden: regenerate the golden end-to-end outputs (review the diff before committing);
##         writes nothing if an output disagrees with the hand-written truth (corpora/truth/)
golden: $(STAMP)
	$(BIN)/python tests/golden/regenerate.py

clean:
	rm -rf $(OUT) .pytest_cache .ruff_cache
