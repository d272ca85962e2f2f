# Every target sets up what it needs, so each works on a fresh machine.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test lint install migrate fixtures bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

migrate: install
	DJANGO_DEBUG=1 $(BIN)/python manage.py migrate --noinput

fixtures: migrate
	DJANGO_DEBUG=1 $(BIN)/python manage.py load_assumptions

run: fixtures
	DJANGO_DEBUG=1 $(BIN)/python manage.py runserver $(HOST):$(PORT)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

test: lint
	$(BIN)/python -m pytest

bench: install
	$(BIN)/python bench/bench.py $(if $(PROFILE),--profile,)

clean:
	rm -rf $(VENV) staticfiles db.sqlite3 .pytest_cache .hypothesis .ruff_cache
