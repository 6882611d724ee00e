# La Coursive Boutaric — everyday commands. `make help` lists them.
SHELL := /bin/bash
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
WEB_CONCURRENCY ?= 2
export PORT

.DEFAULT_GOAL := help

help: ## List the targets
	@grep -E '^[a-zA-Z_-]+:.*?## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*?## "}; {printf "  \033[1m%-12s\033[0m %s\n", $$1, $$2}'

$(BIN)/python:
	@command -v $(PYTHON) >/dev/null || { echo "$(PYTHON) introuvable"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.installed: requirements.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.installed-dev: requirements.txt requirements-dev.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $(VENV)/.installed $@

install: $(VENV)/.installed ## Create .venv and install the runtime dependencies

install-dev: $(VENV)/.installed-dev ## Install the test and development tools too

# The staff check-in page's QR reader: jsQR (Apache-2.0) from npm, served as our own static file (no CDN).
# The copy is committed, so that a clone without npm still serves it; this step refreshes it from node_modules.
JSQR_SOURCE := node_modules/jsqr/dist/jsQR.js
JSQR_STATIC := registrations/static/registrations/vendor/jsqr/jsQR.js

vendor: ## Copy the front-end packages the site serves (jsQR) from node_modules into the static files
	@if [ ! -f $(JSQR_SOURCE) ] && command -v npm >/dev/null 2>&1; then npm ci --no-audit --no-fund || echo "npm ci a échoué : jsQR servi depuis la copie du dépôt."; fi
	@if [ -f $(JSQR_SOURCE) ]; then \
		mkdir -p $(dir $(JSQR_STATIC)); \
		cmp -s $(JSQR_SOURCE) $(JSQR_STATIC) || cp $(JSQR_SOURCE) $(JSQR_STATIC); \
		cmp -s node_modules/jsqr/LICENSE $(dir $(JSQR_STATIC))LICENSE || cp node_modules/jsqr/LICENSE $(dir $(JSQR_STATIC))LICENSE; \
	elif [ ! -f $(JSQR_STATIC) ]; then echo "jsQR manquant : lancez npm install puis make vendor."; exit 1; \
	else echo "npm absent : jsQR servi depuis la copie du dépôt ($(JSQR_STATIC))."; fi
.PHONY: vendor

run: install vendor fonts ## Migrate, load the demo content and serve on 127.0.0.1:$PORT (SQLite by default)
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py load_demo
	$(BIN)/python manage.py ensure_dev_admin
	$(BIN)/python manage.py runserver 127.0.0.1:$(PORT)

# Everything but the browser journeys runs in TEST_WORKERS processes (pytest-xdist; `--dist load` keeps
# pytest-django's order of plain, then transactional tests within each worker; TEST_WORKERS=0: one process).
# The browser journeys then run in one process: a starved live server outlives a timed-out journey and
# writes into the next one's database. Both runs always run; the target fails if either failed.
# E2E=0 leaves the browser journeys out: .ci/run does so on its SQLite pass, since the journeys test the
# pages and forms, not the database engine, and run on its PostgreSQL pass (the production database).
TEST_WORKERS ?= 2
E2E ?= 1

test: install-dev e2e-deps vendor fonts ## Run the whole test suite: in TEST_WORKERS processes, then the browser journeys (E2E=0: not them)
	@status=0; \
	$(BIN)/python -m pytest -n $(TEST_WORKERS) --dist load -m "not e2e" || status=$$?; \
	if [ "$(E2E)" != 0 ]; then \
		$(BIN)/python -m pytest -m e2e || status=$$?; \
	else echo "E2E=0 : parcours navigateur (-m e2e) non lancés."; fi; \
	exit $$status

# The browser suite drives Debian's chromium (Playwright's own browser download is not
# reachable) and injects axe-core from npm. Installs them only when missing.
e2e-deps: ## Install what the browser tests need: Debian chromium (as root) and axe-core (npm ci)
	@if ! command -v chromium >/dev/null 2>&1; then \
		if [ "$$(id -u)" = 0 ]; then \
			apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y chromium; \
		else \
			echo "chromium absent et pas root : les tests navigateur seront ignorés (échec si CI=true)."; \
		fi; \
	fi
	@if [ ! -f node_modules/axe-core/axe.min.js ]; then \
		if command -v npm >/dev/null 2>&1; then npm ci --no-audit --no-fund; \
		else echo "npm absent : axe-core manquant, les tests navigateur seront ignorés (échec si CI=true)."; fi; \
	fi
.PHONY: e2e-deps

# Self-hosted fonts (SIL Open Font License) from the npm packages in package.json, copied into the
# static files so that the site loads nothing from a third party. Only the Latin subsets French needs.
FONT_PACKAGES := node_modules/@fontsource-variable
FONT_FILES := fraunces/files/fraunces-latin-wght-normal.woff2 \
	atkinson-hyperlegible-next/files/atkinson-hyperlegible-next-latin-wght-normal.woff2 \
	atkinson-hyperlegible-next/files/atkinson-hyperlegible-next-latin-wght-italic.woff2
FONT_DIR := site/static/fonts

fonts: ## Copy the self-hosted fonts (Fraunces, Atkinson Hyperlegible Next) from npm into site/static/fonts
	@if [ ! -f $(FONT_PACKAGES)/fraunces/package.json ] || [ ! -f $(FONT_PACKAGES)/atkinson-hyperlegible-next/package.json ]; then \
		command -v npm >/dev/null 2>&1 || { echo "npm introuvable : impossible d'installer les polices (package.json)."; exit 1; }; \
		npm ci --no-audit --no-fund; \
	fi
	@mkdir -p $(FONT_DIR)
	@for file in $(FONT_FILES); do cp -u $(FONT_PACKAGES)/$$file $(FONT_DIR)/; done
	@cp -u $(FONT_PACKAGES)/fraunces/LICENSE $(FONT_DIR)/Fraunces-OFL.txt
	@cp -u $(FONT_PACKAGES)/atkinson-hyperlegible-next/LICENSE $(FONT_DIR)/AtkinsonHyperlegibleNext-OFL.txt
.PHONY: fonts

TEMPLATES := $(shell git ls-files '*/templates/*.html' 2>/dev/null)

lint: install-dev ## What CI checks: ruff (lint and format) and the indentation of the Django templates (djhtml)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	@echo "djhtml --check (Django templates)"; $(BIN)/djhtml --check $(TEMPLATES)

format: install-dev ## Fix what `make lint` reports: ruff format and djhtml
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .
	$(BIN)/djhtml $(TEMPLATES)

messages: ## Rebuild locale/fr (our French wording over Django's and Wagtail's) after editing its .po; needs gettext
	msgfmt --check -o locale/fr/LC_MESSAGES/django.mo locale/fr/LC_MESSAGES/django.po

PROD := DJANGO_SETTINGS_MODULE=config.settings.production

serve: install vendor fonts ## Production-style serving: gunicorn + WhiteNoise, DEBUG off (reads the environment; HOST to bind elsewhere)
	$(PROD) $(BIN)/python manage.py collectstatic --noinput --verbosity 0
	$(PROD) $(BIN)/python manage.py migrate --noinput
	$(PROD) $(BIN)/python manage.py warm_renditions
	$(PROD) WEB_CONCURRENCY=$(WEB_CONCURRENCY) $(BIN)/gunicorn --config config/gunicorn.py config.wsgi:application

worker: install ## Process the durable e-mail queue (django-tasks database backend)
	$(PROD) $(BIN)/python manage.py db_worker

.PHONY: help install install-dev run test lint format messages serve worker fonts
