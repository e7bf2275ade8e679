#!/usr/bin/env bash
# Create the development database if it does not exist (trust auth on localhost).
set -euo pipefail
DB_NAME="${DB_NAME:-inburgering}"
PGUSER="${PGUSER:-postgres}"
if ! psql -h 127.0.0.1 -U "$PGUSER" -tAc "SELECT 1 FROM pg_database WHERE datname='${DB_NAME}'" | grep -q 1; then
  createdb -h 127.0.0.1 -U "$PGUSER" "$DB_NAME"
  echo "Created database ${DB_NAME}."
fi
