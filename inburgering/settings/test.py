"""Test settings: the real PostgreSQL and Redis, on a Redis database of their own."""

from .base import *  # noqa: F403
from .base import env

SECRET_KEY = "test-only-not-secret"
DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
REDIS_URL = env("TEST_REDIS_URL", "redis://127.0.0.1:6379/15") or ""
CELERY_BROKER_URL = REDIS_URL
CELERY_RESULT_BACKEND = REDIS_URL
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Tests assert the English source messages; the Dutch UI is tested by sending Accept-Language nl
# (the browser tests run Chromium with locale nl-NL).
LANGUAGE_CODE = "en"
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
AUDIT_PSEUDONIEM_SLEUTEL = "test-only-pseudoniem-sleutel"
# Tests sign in with force_login; the tests of the second factor turn it on
# (tests/test_tweefactor.py, tests/test_oidc.py).
TWEEDE_FACTOR_VERPLICHT = False
