#!/bin/sh
# Container entrypoint: optionally migrate (RUN_MIGRATIONS=1, set for the web process only), then
# hand over to the command (gunicorn / celery worker / celery beat) as PID 1.
set -eu

if [ "${RUN_MIGRATIONS:-0}" = "1" ]; then
    python manage.py migrate --no-input
fi

exec "$@"
