# 数转通 — two commands: `make run` and `make test`.
VENV := .venv
BIN := $(VENV)/bin
PYTHON ?= python3

.PHONY: install run test lint system

install: $(VENV)/.installed vendor/meilisearch/meilisearch

$(VENV)/.installed: pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[dev]'
	touch $@

vendor/meilisearch/meilisearch: scripts/install_meilisearch.sh
	bash scripts/install_meilisearch.sh

system:
	bash scripts/install_system.sh

run: install
	$(BIN)/market seed --if-empty
	$(BIN)/market serve

test: install system
	bash scripts/test.sh

lint: install
	$(BIN)/ruff check .
	$(BIN)/mypy
