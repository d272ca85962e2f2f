# Every target sets up what it needs, so each works on a fresh machine.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000
# Extra pytest arguments, e.g. make test PYTEST_ARGS='-m "not browser"'
PYTEST_ARGS ?=

.PHONY: run test lint install migrate fixtures bench bench-browser fuzz load serve nginx clean

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

# Static files as production serves them (hashed names, brotli and gzip copies, cached for a
# year), collected again only when a file under static/ has changed (some 20 s of brotli).
STATIC_MANIFEST := staticfiles/staticfiles.json
$(STATIC_MANIFEST): $(shell find static -type f) | $(STAMP)
	DJANGO_DEBUG=1 DJANGO_COLLECTED_STATIC=1 $(BIN)/python manage.py collectstatic --noinput -v0
	touch $@

run: fixtures $(STATIC_MANIFEST)
	DJANGO_DEBUG=1 DJANGO_COLLECTED_STATIC=1 $(BIN)/python manage.py runserver $(HOST):$(PORT)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

# Production serving on this machine: nginx on $(HOST):$(PORT) in front of gunicorn (2 x cores
# + 1 sync workers) on a free loopback port, from the template costcalc/nginx.conf, its pid,
# logs and buffers in .venv/serve/ (docs/deploy.md). Needs DJANGO_SECRET_KEY and
# DJANGO_ALLOWED_HOSTS. It serves plain HTTP, so DJANGO_HTTPS is 0 unless set: with TLS in
# front, set DJANGO_HTTPS=1 (docs/deploy.md says what nginx must pass on then).
# migrate also creates the rate-limit counters' table (costcalc/ratelimit.py).
serve: export DJANGO_HTTPS ?= 0
serve: install nginx
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py load_assumptions
	$(BIN)/python manage.py load_examples
	$(BIN)/python manage.py collectstatic --noinput -v0
	$(BIN)/python -m costcalc.serve --listen $(HOST):$(PORT) --workers $$(( $$(nproc) * 2 + 1 ))

# Debian's nginx, the buffering front of `make serve` and `make load`, when it is missing.
nginx:
	@command -v nginx >/dev/null 2>&1 || test -x /usr/sbin/nginx || \
		(apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nginx)

# Browser tests run when a Chromium is found (apt-get install chromium); pytest says when it
# skips them. Under CI a missing browser fails the run.
test: lint
	$(BIN)/python -m pytest $(PYTEST_ARGS)

# 10,000 generated inputs per entry point; zero server errors is the bar.
fuzz: install
	FUZZ_EXAMPLES=10000 $(BIN)/python -m pytest -p no:randomly tests/test_fuzz.py

# A bounded load test on loopback against `make serve`'s setup (nginx in front of gunicorn):
# a mixed load (60 s and 50 connections at most), 50 slow clients, 200 concurrent saves.
load: install nginx
	$(BIN)/python bench/load.py

bench: install
	$(BIN)/python bench/bench.py $(if $(PROFILE),--profile,)

# Lighthouse (installed from npm into .venv/lighthouse on first use) and Playwright on Debian's
# Chromium, against `make run` and production serving: scores, elements, long tasks per edit.
bench-browser: install
	$(BIN)/python bench/browser.py

clean:
	rm -rf $(VENV) staticfiles db.sqlite3 .pytest_cache .hypothesis .ruff_cache
