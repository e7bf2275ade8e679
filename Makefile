# The two commands: `make run` (product with demo data) and `make test` (the whole suite).
SHELL := /bin/bash
UV_VERSION := 0.13.8
export UV_PYTHON_DOWNLOADS := never
export UV_PYTHON := $(shell command -v python3)
UV := $(shell command -v uv 2>/dev/null || echo $(HOME)/.local/bin/uv)
PY := .venv/bin/python
PORT ?= 8000

.PHONY: totp run test install services db static messages lint schema bench bench-termijnen bench-verantwoording bench-last

## run: install, start PostgreSQL/Redis if needed, migrate, load demo data, start web+worker+beat
run: install services db messages
	$(PY) manage.py demo_data
	@echo ""
	@echo "  Open http://127.0.0.1:$(PORT)/  (API: http://127.0.0.1:$(PORT)/api/v1/schema/ui/)"
	@echo ""
	PORT=$(PORT) .venv/bin/honcho start -f Procfile.dev

## test: lint, migration check, then every test (real PostgreSQL, Redis, Celery worker, Chromium)
test: install services messages
	bash scripts/test.sh

## totp: the demo users' second-factor code of this moment (key DEMOINBURGERING2, README)
totp:
	@DJANGO_SETTINGS_MODULE=inburgering.settings.dev $(PY) manage.py demo_totp

install:
	@command -v uv >/dev/null 2>&1 || [ -x "$(UV)" ] || python3 -m pip install --user --quiet "uv==$(UV_VERSION)"
	$(UV) sync --frozen --python "$(UV_PYTHON)"
	npm ci --no-audit --no-fund --silent
	bash scripts/system_packages.sh

services:
	bash scripts/ensure_services.sh

db: services
	bash scripts/create_db.sh
	$(PY) manage.py migrate --no-input

messages:
	$(PY) manage.py compilemessages --ignore=.venv --ignore=node_modules -v 0

lint:
	.venv/bin/ruff check .
	.venv/bin/ruff format --check .
	.venv/bin/mypy .

schema:
	DJANGO_SETTINGS_MODULE=inburgering.settings.test $(PY) manage.py spectacular --file openapi.yaml --validate

## bench: both benchmarks, one after the other (see benchmarks/README.md): render 200 PIP
## beschikkingen in one warm process, then the termijn sweep over 250,000 dossiers
bench: install services
	DJANGO_SETTINGS_MODULE=inburgering.settings.dev $(PY) benchmarks/render_beschikkingen.py
	DJANGO_SETTINGS_MODULE=inburgering.settings.dev $(PY) benchmarks/termijnen_sweep.py

## bench-termijnen: the termijn sweep over 250,000 dossiers in its own database inburgering_bench
bench-termijnen: services
	DJANGO_SETTINGS_MODULE=inburgering.settings.dev $(PY) benchmarks/termijnen_sweep.py

## bench-last: the daily pages and API lists under load (1 and 16 users), gunicorn with the
## production settings, over 250,000 dossiers and the demo database (benchmarks/last.py)
bench-last: install services
	$(PY) benchmarks/last.py

## bench-verantwoording: the dossier page with read logging on vs off (own database, demo data),
## then the bulk export of the history of 250,000 dossiers vs a naive ORM list() baseline
bench-verantwoording: install services
	DJANGO_SETTINGS_MODULE=inburgering.settings.dev $(PY) benchmarks/leeslog_dossierpagina.py
	DJANGO_SETTINGS_MODULE=inburgering.settings.dev $(PY) benchmarks/export_historie.py
