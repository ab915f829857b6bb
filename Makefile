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

# `make pins`: the resolver (uv, in a throw-away venv) and the oldest Python that
# the one universal requirements.txt is resolved for (pyproject's requires-python).
PINS_VENV  := /tmp/ictstory-pins
UV_VERSION := 0.13.9
PINS_PYTHON_MIN := 3.11

# Prints the pip line of requirements.txt with its hashes (the bootstrap step).
PIP_PIN = awk '/^pip==/ {p = 1} p {print; if (!/\\$$/) exit}' requirements.txt

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

# One universal resolution (markers where Python 3.11, 3.12 and 3.13 differ) with
# the hashes of every file of each pinned version. Pins already in
# requirements.txt are kept where requirements.in allows; UPGRADE=1 lifts them.
pins:  ## Regenerate requirements.txt (with hashes) and LICENSES.csv from requirements.in
	@echo "==> Resolving requirements.in for Python >= $(PINS_PYTHON_MIN) with uv $(UV_VERSION)"
	rm -rf $(PINS_VENV) && $(PYTHON) -m venv $(PINS_VENV)
	$(PINS_VENV)/bin/python -m pip --disable-pip-version-check install --quiet uv==$(UV_VERSION)
	$(PINS_VENV)/bin/uv pip compile --no-config --quiet --universal \
	  --python-version $(PINS_PYTHON_MIN) --generate-hashes \
	  --custom-compile-command "make pins" $(if $(UPGRADE),--upgrade) \
	  requirements.in --output-file requirements.txt
	@echo "==> Installing the new pins into $(PINS_VENV), hash-checked, to read their licences"
	$(PIP_PIN) > $(PINS_VENV)/pip-pin.txt
	$(PINS_VENV)/bin/python -m pip --disable-pip-version-check install --quiet --require-hashes --no-deps -r $(PINS_VENV)/pip-pin.txt
	$(PINS_VENV)/bin/python -m pip --disable-pip-version-check install --quiet --require-hashes -r requirements.txt
	$(PINS_VENV)/bin/python tools/licences.py requirements.in > LICENSES.csv
	@echo "==> requirements.txt: $$(grep -c -E '^[A-Za-z0-9].*==' requirements.txt) pins with hashes; LICENSES.csv: $$(($$(wc -l < LICENSES.csv) - 1)) direct dependencies"

clean:  ## Remove the built site, caches and .venv
	rm -rf _build $(VENV) .pytest_cache .ruff_cache src/*.egg-info
