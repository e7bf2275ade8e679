"""Local development: safe defaults pointing at localhost."""

from .base import *  # noqa: F403
from .base import env, env_bool

SECRET_KEY = env("SECRET_KEY", "dev-only-not-secret-3f9c1d2e") or ""
DEBUG = env_bool("DEBUG", True)
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
EMAIL_BACKEND = env("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend") or ""
AUDIT_PSEUDONIEM_SLEUTEL = env("AUDIT_PSEUDONIEM_SLEUTEL", "dev-only-pseudoniem-sleutel") or ""
