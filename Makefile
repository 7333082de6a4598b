# Two commands for a newcomer: `make chat` (the bot in the terminal) and `make test` (lint, types
# and every test).
# Both make their own virtual environment in .venv on first use.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: install chat test lock clean

install: $(STAMP)

# The exact versions (with their hashes) come from requirements-dev.lock (CI installs the same;
# the Docker image installs requirements.lock, the same pins without the tools); then the project
# itself, editable, without resolving anything again.
$(STAMP): pyproject.toml requirements-dev.lock
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements-dev.lock
	$(BIN)/pip install --quiet --no-deps -e .
	touch $(STAMP)

chat: install
	$(BIN)/youthbot chat

test: install
	$(BIN)/ruff check .
	$(BIN)/mypy
	$(BIN)/pytest

# After changing the dependencies in pyproject.toml: rewrite the lock (pins already there are kept;
# `make lock LOCK_FLAGS=--upgrade` takes the newest releases allowed),
# then `make install` (the stamp is older than the lock, so it reinstalls) and `make test`.
lock: install
	$(BIN)/pip install --quiet uv
	$(BIN)/uv pip compile pyproject.toml --generate-hashes --python-version 3.11 \
	  $(LOCK_FLAGS) --output-file requirements.lock
	$(BIN)/uv pip compile pyproject.toml --extra dev --generate-hashes --python-version 3.11 \
	  --constraint requirements.lock $(LOCK_FLAGS) --output-file requirements-dev.lock

clean:
	rm -rf $(VENV) .pytest_cache
