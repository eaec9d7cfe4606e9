# The two everyday commands (see README.md):
#   make serve   install what is needed, then serve both languages on http://127.0.0.1:8000/
#   make test    install what is needed, then run every snippet and every test
# Everything is installed into .venv/ from the exact pins in requirements.txt.

PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
# TensorFlow's C++ logs go to stderr and are noise here.
export TF_CPP_MIN_LOG_LEVEL ?= 3
# Material prints a banner about its end of life on every build.
export NO_MKDOCS_2_WARNING ?= 1

.PHONY: serve test build refresh format drift clean

$(BIN)/.installed: requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.txt
	touch $@

serve: $(BIN)/.installed
	$(BIN)/mkdocs serve

test: $(BIN)/.installed
	$(BIN)/pytest

build: $(BIN)/.installed
	$(BIN)/mkdocs build --strict

clean:
	rm -rf site

# Rewrite every snippet's output block with what running it prints (see README).
refresh: $(BIN)/.installed
	$(BIN)/python -m tools.refresh

# Format and fix what ruff can, our code and the code inside snippets.
format: $(BIN)/.installed
	$(BIN)/ruff format . && $(BIN)/ruff format --preview snippets && $(BIN)/ruff check --fix .

# Would the outputs change with the newest tensorflow, keras and tf-keras? (report only)
drift: $(BIN)/.installed
	$(BIN)/python -m tools.drift
