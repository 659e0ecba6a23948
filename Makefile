# E-saylov: `make run` starts everything, `make test` runs the whole suite.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
PY     := $(BIN)/python

.PHONY: run test test-embedded screenshots bench lint check hooks messages stop clean

$(VENV)/.installed: requirements.txt
	@$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 11), "E-saylov needs Python 3.11 or newer"'
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.installed-dev: $(VENV)/.installed requirements-dev.txt
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $@

## run: create .venv, install, migrate, seed the demo country, serve web + Celery worker + beat
run: $(VENV)/.installed
	$(PY) -m esaylov.devserver

## test: install test needs (Chromium for browser tests, poppler's pdftotext for PDF checks) and run the whole suite
test: $(VENV)/.installed-dev
	@missing=""; \
	  command -v chromium >/dev/null 2>&1 || command -v chromium-browser >/dev/null 2>&1 || missing="chromium"; \
	  command -v pdftotext >/dev/null 2>&1 || missing="$$missing poppler-utils"; \
	  [ -z "$$missing" ] || { [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1 && \
	    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null) ; } || \
	  echo "$$missing not installed and cannot be installed here: browser tests and PDF text checks will be skipped"
	$(PY) -m pytest $(PYTEST_ARGS)

## test-embedded: the suite with nothing configured (embedded PostgreSQL and Redis in a temporary folder)
test-embedded: $(VENV)/.installed-dev
	d=$$(mktemp -d); env -u DATABASE_URL -u REDIS_URL ESAYLOV_VAR_DIR=$$d $(MAKE) --no-print-directory test; rc=$$?; \
	  ESAYLOV_VAR_DIR=$$d $(PY) -m esaylov.embedded stop; rm -rf $$d; exit $$rc

## screenshots: each role's start page at 360 and 1280 px, in English, into docs/screenshots (shown in the README)
screenshots: $(VENV)/.installed-dev
	SCREENSHOTS_DIR=$(CURDIR)/docs/screenshots $(MAKE) --no-print-directory test \
	  PYTEST_ARGS="-q -p no:cacheprovider tests/e2e/test_page_walk.py -k test_screenshots"

## bench: benchmarks, printed as ratios against a reference measured in the same run
bench: $(VENV)/.installed-dev
	$(PY) -m bench

lint: $(VENV)/.installed-dev
	$(BIN)/ruff check .

## hooks: install the pre-commit hooks (ruff check and format, django-upgrade, djLint) in this checkout
hooks: $(VENV)/.installed-dev
	$(BIN)/pre-commit install

## check: the static checks CI runs before the suite (lint, format, templates, migrations, the uz_Cyrl catalogue)
check: $(VENV)/.installed-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/djlint --lint templates $$(ls -d */templates)
	git ls-files -z '*.py' | grep -zv /migrations/ | xargs -0 $(BIN)/django-upgrade --target-version 5.2 --check 2>/dev/null || \
	  { echo "django-upgrade would rewrite files: run make hooks and commit"; exit 1; }
	DEBUG=1 $(PY) manage.py makemigrations --check --dry-run
	DEBUG=1 $(PY) manage.py make_cyrillic_catalog --check

messages: $(VENV)/.installed
	DEBUG=1 $(PY) manage.py makemessages --all --no-obsolete --ignore=.venv --ignore=var
	DEBUG=1 $(PY) manage.py make_cyrillic_catalog
	DEBUG=1 $(PY) manage.py compilemessages --ignore=.venv

## stop: stop the embedded PostgreSQL and Redis of this checkout
stop:
	-$(PY) -m esaylov.embedded stop

clean: stop
	rm -rf var $(VENV)
