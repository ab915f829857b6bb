# Two commands on a fresh machine (Python 3.11, 3.12 or 3.13 and make):  make book  &&  make test
SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
CHROMIUM ?= /usr/bin/chromium
# `make test` runs the suite on two pytest-xdist workers by default (TEST_WORKERS=auto:
# one per core; TEST_WORKERS=0 runs it in one process), each worker given whole test
# files (--dist loadfile, tests/conftest.py's scheduler). Measured from a fresh clone on
# this 2-core machine at f7e9636, quiet: 1,225 tests in 1,829 s (30.5 min; 35.4 min at
# f2e9c90, 59.5 min at 4d0a1d1, when chapters parsed the data descriptor per table read
# and xdist's groups were ignored). `make check` balances single tests (--dist load):
# 873 tests in 110 s.
TEST_WORKERS ?= auto
CHECK_WORKERS ?= auto
PORT   ?= 8000
HOST   ?= 127.0.0.1
LAB_PORT ?= 8888
PIP    := $(BIN)/python -m pip --disable-pip-version-check --no-input
# The long install prints a line a package; a progress bar too, except in CI.
PROGRESS_BAR := $(if $(CI),off,on)

# `make pins`: the resolver (uv, in a throw-away venv) and the oldest Python that
# the one universal requirements.txt is resolved for (pyproject's requires-python).
PINS_VENV  := /tmp/ictstory-pins
UV_VERSION := 0.13.9
PINS_PYTHON_MIN := 3.11

# What $(STAMP) holds once an install has completed: the Python that made .venv
# (major.minor and real path) and a hash of requirements.txt + pyproject.toml.
VENV_ID = $(PYTHON) -c 'import hashlib, os, sys; \
  sys.version_info >= (3, 11) or sys.exit(f"!!! {sys.executable} is Python {sys.version.split()[0]}; this project needs 3.11 or newer"); \
  data = b"".join(open(f, "rb").read() for f in ("requirements.txt", "pyproject.toml")); \
  print("python %d.%d %s" % (*sys.version_info[:2], os.path.realpath(sys.executable))); \
  print("inputs sha256:" + hashlib.sha256(data).hexdigest())'

# `make setup WHEELHOUSE=dir`: install from that folder of wheels only (no network),
# still checked against the hashes; it must hold every pin, test tooling included
# (the bundles of `make dist` leave that out: they install with their install.py).
PIP_SOURCE := $(if $(WHEELHOUSE),--no-index --find-links $(abspath $(WHEELHOUSE)))

# Prints the pip line of requirements.txt with its hashes (the bootstrap step).
PIP_PIN = awk '/^pip==/ {p = 1} p {print; if (!/\\$$/) exit}' requirements.txt

.PHONY: help setup data book handouts check test browser axe serve lab bench lint pins clean dist publish

help:  ## List the targets
	@grep -E '^[a-z]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-8s %s\n", $$1, $$2}'

# .venv is reused while $(STAMP) matches VENV_ID and .venv/bin/python runs. It is
# removed and made anew when it was made by another Python, when its python does
# not run, or when the last install did not complete (no stamp: it is removed
# before an install and written after). When only requirements.txt or
# pyproject.toml changed, the pins are installed into the existing .venv.
setup:  ## Create or refresh .venv from requirements.txt (hash-checked)
	@command -v "$(PYTHON)" >/dev/null || { echo "!!! PYTHON=$(PYTHON) not found: install Python 3.11-3.13 or pass PYTHON=/path/to/python3.X"; exit 1; }
	@[ -z "$(WHEELHOUSE)" ] || [ -d "$(WHEELHOUSE)" ] || { echo "!!! WHEELHOUSE=$(WHEELHOUSE) is not a folder"; exit 1; }
	@want="$$($(VENV_ID))"; \
	have="$$(cat $(STAMP) 2>/dev/null || true)"; \
	runs=yes; $(BIN)/python -c '' 2>/dev/null || runs=no; \
	if [ "$$have" = "$$want" ] && [ $$runs = yes ]; then exit 0; fi; \
	if [ ! -e $(VENV) ]; then why="no $(VENV) yet"; \
	elif [ $$runs = no ]; then why="$(BIN)/python does not run"; \
	elif ! grep -qxE 'inputs sha256:[0-9a-f]{64}' <<<"$$(sed -n 2p <<<"$$have")"; then \
	  why="the last install into $(VENV) did not complete"; \
	elif [ "$$(head -n1 <<<"$$have")" != "$$(head -n1 <<<"$$want")" ]; then \
	  why="$(VENV) was made by $$(head -n1 <<<"$$have" | cut -d' ' -f2-)"; \
	else why=""; fi; \
	SECONDS=0; \
	if [ -n "$$why" ]; then \
	  echo "==> Creating $(VENV) with $$(head -n1 <<<"$$want" | cut -d' ' -f2-) ($$why)"; \
	  rm -rf $(VENV); \
	  $(PYTHON) -m venv $(VENV); \
	else \
	  echo "==> requirements.txt or pyproject.toml changed: installing the pins into $(VENV)"; \
	  rm -f $(STAMP); \
	fi; \
	echo "==> [1/3] pip, at the version and hashes pinned in requirements.txt"; \
	$(PIP_PIN) > $(VENV)/pip-pin.txt; \
	grep -q -- '--hash=sha256:' $(VENV)/pip-pin.txt || { echo "!!! requirements.txt pins no pip with hashes: run make pins"; exit 1; }; \
	$(PIP) install --quiet $(PIP_SOURCE) --require-hashes --no-deps -r $(VENV)/pip-pin.txt; \
	echo "==> [2/3] every pinned package (pip install --require-hashes -r requirements.txt$(if $(WHEELHOUSE), from $(WHEELHOUSE) only))"; \
	$(PIP) install $(PIP_SOURCE) --require-hashes --progress-bar $(PROGRESS_BAR) -r requirements.txt; \
	echo "==> [3/3] the ictstory package, editable, built with the pinned setuptools"; \
	$(PIP) install --quiet --no-deps --no-build-isolation -e .; \
	$(PIP) check; \
	printf '%s\n' "$$want" > $(STAMP); \
	echo "==> $(VENV) ready in $${SECONDS}s"

data: setup  ## Validate data/ against data/datapackage.json
	$(BIN)/python -m ictstory.data

book: setup  ## Validate data, execute every chapter, build _build/html
	$(BIN)/python -m ictstory.build

# A4 PDFs of both editions from the published site (make book first): one per chapter,
# the whole book and the answer key, printed by Debian's Chromium into _build/handouts.
# Printing needs Chromium and poppler only: no npm, no network (tests/test_make_offline.py).
handouts: book browser  ## Print handouts and answer key (PDF) of the built book into _build/handouts
	CHROMIUM=$(CHROMIUM) $(BIN)/python -m ictstory.trainers.handouts

browser:  ## Make sure Debian's chromium and poppler-utils are installed (installs them when root)
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
	@if ! command -v pdftotext >/dev/null; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    echo "==> Installing Debian's poppler-utils (pdftotext, for the print tests)"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq poppler-utils; \
	  else \
	    echo "!!! The print tests need pdftotext: sudo apt-get install poppler-utils"; \
	    exit 1; \
	  fi; \
	fi

# axe-core from npm: only the accessibility tests (tests/test_axe.py) need it.
axe:  ## Install axe-core (package-lock.json, integrity-checked) into node_modules/ for the accessibility tests
	@if [ ! -f node_modules/axe-core/axe.min.js ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then \
	  if ! command -v npm >/dev/null; then \
	    echo "!!! The accessibility tests need npm (axe-core): sudo apt-get install npm"; exit 1; \
	  fi; \
	  echo "==> Installing axe-core (package-lock.json, integrity-checked) into node_modules/"; \
	  npm ci --no-audit --no-fund --ignore-scripts --loglevel=error; \
	fi

# The inner loop (README, "Testing"): lint, data and every test that needs no built
# site, no browser, no kernel and no build in a copy (tests/conftest.py marks those by the fixtures
# they use). About two minutes; `make test` is the full gate.
check: setup  ## Fast tier: lint, data validation and the tests that need no build (~2 min)
	$(BIN)/ruff check src tests tools
	$(BIN)/python -m ictstory.data
	$(BIN)/python -m pytest -q -n $(CHECK_WORKERS) --dist load -m "not site and not browser and not kernel and not slow"

test: book browser axe  ## Build, then run the whole test suite (browser tests included)
	$(BIN)/ruff check src tests tools
	CHROMIUM=$(CHROMIUM) $(BIN)/python -m pytest -n $(TEST_WORKERS) --dist loadfile --durations=25

# HOST=0.0.0.0 serves the room's network too, and prints the addresses to give
# participants. The data is checked and the book built first; when the data has a
# mistake or the build fails, the last good site is served (src/ictstory/build/serve.py).
serve: setup  ## Build, then serve the last good site on http://127.0.0.1:$(PORT) (HOST=0.0.0.0: to the room, with its addresses)
	@$(BIN)/python -m ictstory.build.serve --host $(HOST) --port $(PORT)

# JupyterLab on 127.0.0.1 only, asking no other host (no news, no update check,
# no extension manager); a double-click on a chapter opens it as a notebook
# (jupytext). Settings: .venv/share/jupyter/lab/settings/overrides.json.
lab: setup  ## Open the chapters as notebooks in JupyterLab on http://127.0.0.1:$(LAB_PORT)
	$(BIN)/python -m ictstory.build.lab --port $(LAB_PORT)

bench: setup  ## Measure setup, build and rebuild times, memory and page weight
	$(BIN)/python tools/bench.py

# Two zip archives for a room with no network (tools/dist.py): the participants'
# bundle (site, handouts without the answer key, the project without trainer/,
# install.py and the wheels of requirements-room.txt for Windows, macOS and Linux,
# CPython 3.11-3.13) and the trainer's (all of it, answer keys, trainer/ and the
# book's build wheels). Refused on uncommitted changes or handouts older than the
# site; ALLOW_DIRTY=1 makes them anyway with a warning. PLATFORMS=linux-x86_64,...
# limits the wheels. Wheels are kept in _build/dist/wheelhouse between runs.
dist: book  ## Write _build/dist/ictstory-{participants,trainer}-<version>.zip (make handouts first)
	$(BIN)/python tools/dist.py $(if $(PLATFORMS),--platforms $(PLATFORMS)) $(if $(filter-out 0,$(ALLOW_DIRTY)),--allow-dirty)

# The built site (make book first) to a static host (src/ictstory/build/publish.py, README
# "Publishing"): DEST=folder copies it (links followed, renamed into place);
# BRANCH=gh-pages commits it with .nojekyll on that branch, REMOTE=origin pushes it.
publish: setup  ## Copy the built site to DEST=folder, or commit it on BRANCH=gh-pages [REMOTE=origin]
	@[ -n "$(DEST)$(BRANCH)" ] || { echo "!!! make publish DEST=/path/to/folder  or  make publish BRANCH=gh-pages [REMOTE=origin]"; exit 1; }
	$(BIN)/python -m ictstory.build.publish $(if $(DEST),--dest "$(DEST)") $(if $(BRANCH),--branch "$(BRANCH)") $(if $(REMOTE),--remote "$(REMOTE)")

lint: setup  ## ruff on the package, tests and tools
	$(BIN)/ruff check src tests tools

# One universal resolution (markers where Python 3.11, 3.12 and 3.13 differ) with
# the hashes of every file of each pinned version. Pins already in
# requirements.txt are kept where requirements.in allows; UPGRADE=1 lifts them.
pins:  ## Regenerate requirements.txt, requirements-room.txt (with hashes) and LICENSES.csv
	@echo "==> Resolving requirements.in for Python >= $(PINS_PYTHON_MIN) with uv $(UV_VERSION)"
	rm -rf $(PINS_VENV) && $(PYTHON) -m venv $(PINS_VENV)
	$(PINS_VENV)/bin/python -m pip --disable-pip-version-check install --quiet uv==$(UV_VERSION)
	$(PINS_VENV)/bin/uv pip compile --no-config --quiet --universal \
	  --python-version $(PINS_PYTHON_MIN) --generate-hashes \
	  --custom-compile-command "make pins" $(if $(UPGRADE),--upgrade) \
	  requirements.in --output-file requirements.txt
	@echo "==> Resolving requirements-room.in (the participants' set) at requirements.txt's pins"
	$(PINS_VENV)/bin/uv pip compile --no-config --quiet --universal \
	  --python-version $(PINS_PYTHON_MIN) --generate-hashes \
	  --custom-compile-command "make pins" \
	  requirements-room.in --output-file requirements-room.txt
	@echo "==> Installing the new pins into $(PINS_VENV), hash-checked, to read their licences"
	$(PIP_PIN) > $(PINS_VENV)/pip-pin.txt
	$(PINS_VENV)/bin/python -m pip --disable-pip-version-check install --quiet --require-hashes --no-deps -r $(PINS_VENV)/pip-pin.txt
	$(PINS_VENV)/bin/python -m pip --disable-pip-version-check install --quiet --require-hashes -r requirements.txt
	$(PINS_VENV)/bin/python tools/licences.py requirements.in > LICENSES.csv
	@echo "==> requirements.txt: $$(grep -c -E '^[A-Za-z0-9].*==' requirements.txt) pins with hashes (participants: $$(grep -c -E '^[A-Za-z0-9].*==' requirements-room.txt)); LICENSES.csv: $$(($$(wc -l < LICENSES.csv) - 1)) direct dependencies"

clean:  ## Remove the built site, caches and .venv
	rm -rf _build $(VENV) .pytest_cache .ruff_cache src/*.egg-info
