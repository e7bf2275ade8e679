# Production image: gunicorn (web), Celery worker and Celery beat all run from this one image.
# Build: docker build -t inburgering .   (stages: front-end packages, Python venv, runtime)

# --- 1. Front-end packages (self-hosted; staticfiles reads node_modules/htmx.org/dist) ---
FROM node:20-bookworm-slim AS frontend
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund

# --- 2. Python dependencies (psycopg2 is built from source: needs gcc + libpq-dev) ---
FROM python:3.11-slim-bookworm AS builder
RUN apt-get update \
 && apt-get install -y --no-install-recommends build-essential libpq-dev \
 && rm -rf /var/lib/apt/lists/*
RUN pip install --no-cache-dir uv==0.13.8
ENV UV_PYTHON_DOWNLOADS=never \
    UV_PYTHON=/usr/local/bin/python3.11 \
    UV_PROJECT_ENVIRONMENT=/app/.venv \
    UV_COMPILE_BYTECODE=1 \
    UV_LINK_MODE=copy
WORKDIR /app
COPY pyproject.toml uv.lock ./
RUN uv sync --frozen --no-dev

# --- 3. Runtime ---
FROM python:3.11-slim-bookworm
ENV PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    PATH="/app/.venv/bin:${PATH}" \
    DJANGO_SETTINGS_MODULE=inburgering.settings.production
# libpq5: psycopg2; pango/harfbuzz/fonts: WeasyPrint; gettext: compilemessages.
RUN apt-get update \
 && apt-get install -y --no-install-recommends \
      libpq5 libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core gettext \
 && rm -rf /var/lib/apt/lists/*
RUN groupadd --system --gid 10001 app \
 && useradd --system --uid 10001 --gid app --home-dir /app --no-create-home --shell /usr/sbin/nologin app
WORKDIR /app
COPY --from=builder /app/.venv /app/.venv
COPY --from=frontend /app/node_modules /app/node_modules
COPY . .
# The settings refuse to import without their secrets: the dummy values below exist only for this
# RUN line (never in the image's environment). `mkdir -p locale` keeps compilemessages from failing
# while the project has no catalogues yet. Code stays root-owned; only media/ is writable.
RUN mkdir -p locale media \
 && chmod 0755 docker/entrypoint.sh \
 && SECRET_KEY=build-only-dummy-secret-key-never-used-at-runtime-0123456789 \
    DATABASE_URL=postgres://build:build@localhost:5432/build \
    REDIS_URL=redis://localhost:6379/0 \
    ALLOWED_HOSTS=localhost \
    SECURITY_TXT_CONTACT=mailto:security@build-only-dummy.nl \
    sh -c 'python manage.py compilemessages --ignore=.venv --ignore=node_modules -v 0 \
        && python manage.py collectstatic --no-input -v 0' \
 && chown app:app media
USER app
EXPOSE 8000
ENTRYPOINT ["/app/docker/entrypoint.sh"]
CMD ["gunicorn", "-c", "gunicorn.conf.py", "inburgering.wsgi:application"]
