# Two commands on a fresh machine (Python 3.11 and make):  make book  &&  make test
SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
CHROMIUM ?= /usr/bin/chromium
PORT   ?= 8000

.PHONY: help setup data book test browser serve bench lint pins clean

help:  ## List the targets
	@grep -E '^[a-z]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-8s %s\n", $$1, $$2}'

$(BIN)/python:
	@echo "==> Creating $(VENV) with $(PYTHON)"
	$(PYTHON) -m venv $(VENV)

$(STAMP): requirements.txt pyproject.toml | $(BIN)/python
	@echo "==> Installing pinned requirements into $(VENV)"
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.txt
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
	@touch $(STAMP)

setup: $(STAMP)  ## Create or refresh .venv from requirements.txt

data: setup  ## Validate data/ against data/datapackage.json
	$(BIN)/python -m ictstory.data

book: setup  ## Validate data, execute every chapter, build _build/html
	$(BIN)/python -m ictstory.build

browser:  ## Make sure Debian's chromium is installed (installs it when root)
	@if [ ! -x "$(CHROMIUM)" ]; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    echo "==> Installing Debian's chromium (needed by the browser tests)"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-core; \
	  else \
	    echo "!!! The browser tests need Chromium at $(CHROMIUM)."; \
	    echo "    Install it with:  sudo apt-get install chromium   (or set CHROMIUM=/path/to/chromium)"; \
	    exit 1; \
	  fi; \
	fi

test: book browser  ## Build, then run the whole test suite (browser tests included)
	$(BIN)/ruff check src tests tools
	CHROMIUM=$(CHROMIUM) $(BIN)/python -m pytest

serve: book  ## Serve the built site on http://127.0.0.1:$(PORT)
	@echo "==> Serving _build/html on http://127.0.0.1:$(PORT) (Ctrl-C to stop)"
	$(BIN)/python -m http.server --bind 127.0.0.1 --directory _build/html $(PORT)

bench: setup  ## Measure setup, build and rebuild times, memory and page weight
	$(BIN)/python tools/bench.py

lint: setup  ## ruff on the package, tests and tools
	$(BIN)/ruff check src tests tools

pins:  ## Regenerate requirements.txt from requirements.in in a clean venv
	rm -rf /tmp/ictstory-pins && $(PYTHON) -m venv /tmp/ictstory-pins
	/tmp/ictstory-pins/bin/pip install --quiet -r requirements.in
	/tmp/ictstory-pins/bin/pip freeze --all --exclude-editable | grep -v '^pip==' > requirements.txt
	@echo "==> requirements.txt regenerated ($$(wc -l < requirements.txt) pins)"

clean:  ## Remove the built site, caches and .venv
	rm -rf _build $(VENV) .pytest_cache .ruff_cache src/*.egg-info
