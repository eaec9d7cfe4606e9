# The two everyday commands (see README.md):
#   make serve   install what is needed, then serve both languages on http://127.0.0.1:8000/
#   make test    install what is needed, then run every snippet and every test
# Everything is installed into .venv/ from the exact pins in requirements.txt;
# `make backends` adds requirements-backends.txt (jax, jaxlib, torch CPU) to it.
# serve, test and build also install npm's packages (pinned in package.json and
# package-lock.json) into node_modules/ with `npm ci`: Pagefind, which writes the search
# index at build time, and the Japanese style check (textlint).

PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
# The oldest Python every pin of requirements.txt installs on (pymdown-extensions 13.1:
# 3.11.5; mkdocs-material 9.8 and keras 3.15: 3.11). tests/test_python_floor.py holds
# pyproject.toml and README.md to the same number.
PYTHON_FLOOR := 3.11.5
comma := ,
# "<version> <1 if new enough>" of $(PYTHON), or nothing when it does not run.
PYTHON_CHECK = $(shell $(PYTHON) -c 'import sys; v = sys.version_info; print("%d.%d.%d" % v[:3], int(v >= ($(subst .,$(comma),$(PYTHON_FLOOR)),)))' 2>/dev/null)
PYTHON_TOO_OLD = $(PYTHON) is $(if $(PYTHON_CHECK),Python $(word 1,$(PYTHON_CHECK)),not a Python that runs); this site needs Python $(PYTHON_FLOOR) or newer: pass PYTHON=python3.12 (for example)
# TensorFlow's C++ logs go to stderr and are noise here.
export TF_CPP_MIN_LOG_LEVEL ?= 3
# Material prints a banner about its end of life on every build.
export NO_MKDOCS_2_WARNING ?= 1

.PHONY: serve test test-snippets check-mine bench build refresh format drift clean backends history

# Before .venv/ is made: an older Python stops here with one line (make's $(error)),
# instead of pip failing on the first pin that needs a newer one.
$(BIN)/.installed: requirements.txt
	$(if $(filter 1,$(word 2,$(PYTHON_CHECK))),,$(error $(PYTHON_TOO_OLD)))
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.txt
	touch $@

# Pagefind, textlint and its rules, exactly as package-lock.json pins them. Without npm
# the step says so; tests/test_textlint.py skips (fails with CI=true) and the build stops
# with one line asking for `npm ci` (tools/pagefind.py).
NPM ?= npm
node_modules/.installed: package-lock.json
	@if command -v $(NPM) >/dev/null 2>&1; then \
		$(NPM) ci --no-audit --no-fund --loglevel=error && touch $@; \
	else \
		echo "npm not found: the Japanese style check (tests/test_textlint.py) cannot run"; \
	fi

# The other Keras backends, on top of the site's pins (own stamp: make test never needs them).
$(BIN)/.installed-backends: $(BIN)/.installed requirements-backends.txt
	$(BIN)/python -m pip install --quiet -r requirements-backends.txt
	touch $@

serve: $(BIN)/.installed node_modules/.installed
	$(BIN)/mkdocs serve

test: $(BIN)/.installed node_modules/.installed
	$(BIN)/pytest

# Only the snippets: do the outputs shown on the site hold with the installed Keras?
test-snippets: $(BIN)/.installed
	$(BIN)/pytest snippets

# A reader's own Keras: which outputs on the site differ with what $(PYTHON) has installed,
# page by page, and how (tools/mine.py). Runs in that Python, not in .venv/: nothing is
# installed and no file is written. Set PYTHON to the Python of your environment.
check-mine:
	$(PYTHON) -m tools.mine $(ARGS)

# Time the test command against its floor (a benchmark: prints, never fails on a number).
bench: $(BIN)/.installed node_modules/.installed
	$(BIN)/python -m tools.bench $(ARGS)

build: $(BIN)/.installed node_modules/.installed
	$(BIN)/mkdocs build --strict

clean:
	rm -rf site

# Rewrite every snippet's output block with what running it prints (see CONTRIBUTING.md).
refresh: $(BIN)/.installed
	$(BIN)/python -m tools.refresh

# Format and fix what ruff can, our code and the code inside snippets.
format: $(BIN)/.installed
	$(BIN)/ruff format . && $(BIN)/ruff format --preview snippets && $(BIN)/ruff check --fix .

# Would the outputs change with the newest tensorflow, keras and tf-keras? (report only)
drift: $(BIN)/.installed
	$(BIN)/python -m tools.drift

# Run every Keras 3 snippet on TensorFlow, JAX and PyTorch, one process per backend, and
# check each backend's output (see CONTRIBUTING.md). ARGS=--refresh rewrites the jax/torch outputs.
backends: $(BIN)/.installed-backends
	$(BIN)/python -m tools.backends $(ARGS)

# Every snippet on each Keras 3 minor release from 3.0 and each tf_keras from 2.15 to the
# pins, one throwaway environment per TensorFlow minor under ~/.cache/keras-history/;
# writes history/ (see CONTRIBUTING.md). Long: not part of make test. ARGS="--rerun 3.7.0".
history: $(BIN)/.installed
	$(BIN)/python -m tools.history $(ARGS)
