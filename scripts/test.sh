#!/usr/bin/env bash
# The whole test command: lint, migration and schema checks (drf-spectacular drift in pytest,
# the NL API Design Rules linter here), then pytest (all markers).
set -euo pipefail
cd "$(dirname "$0")/.."
export DJANGO_SETTINGS_MODULE=inburgering.settings.test
echo "== ruff"
.venv/bin/ruff check .
.venv/bin/ruff format --check .
echo "== lint-imports (the hub's layering, pyproject.toml)"
.venv/bin/lint-imports --no-cache
echo "== makemigrations --check"
.venv/bin/python manage.py makemigrations --check --dry-run
echo "== spectral (NL API Design Rules, Logius ruleset) on openapi.yaml"
npx --no-install spectral lint --fail-severity=error --ruleset linter/logius-adr.spectral.yml openapi.yaml
echo "== pytest"
set +e
.venv/bin/pytest "$@"
status=$?
set -e
if [ "$status" -eq 5 ]; then
  echo "pytest collected no tests: that is a failure." >&2
  exit 1
fi
exit "$status"
