# Every target sets up what it needs, so each works on a fresh machine.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000
# Extra pytest arguments, e.g. make test PYTEST_ARGS='-m "not browser"'
PYTEST_ARGS ?=

.PHONY: run test lint install migrate fixtures bench fuzz load serve clean

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
	DJANGO_DEBUG=1 $(BIN)/python manage.py load_examples

run: fixtures
	DJANGO_DEBUG=1 $(BIN)/python manage.py runserver $(HOST):$(PORT)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

# Production serving on this machine: needs DJANGO_SECRET_KEY and DJANGO_ALLOWED_HOSTS (see
# docs/deploy.md); 2 x cores + 1 sync workers.
serve: install
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py load_assumptions
	$(BIN)/python manage.py load_examples
	$(BIN)/python manage.py collectstatic --noinput -v0
	$(BIN)/gunicorn costcalc.wsgi --bind $(HOST):$(PORT) --workers $$(( $$(nproc) * 2 + 1 ))

# Browser tests run when a Chromium is found (apt-get install chromium); pytest says when it
# skips them. Under CI a missing browser fails the run.
test: lint
	$(BIN)/python -m pytest $(PYTEST_ARGS)

# 10,000 generated inputs per entry point; zero server errors is the bar.
fuzz: install
	FUZZ_EXAMPLES=10000 $(BIN)/python -m pytest -p no:randomly tests/test_fuzz.py

# A bounded load test (60 s at most, 50 connections at most) against gunicorn on loopback.
load: install
	$(BIN)/python bench/load.py

bench: install
	$(BIN)/python bench/bench.py $(if $(PROFILE),--profile,)

clean:
	rm -rf $(VENV) staticfiles db.sqlite3 .pytest_cache .hypothesis .ruff_cache
