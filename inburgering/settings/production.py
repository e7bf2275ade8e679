"""Production: every secret must come from the environment; passes ``check --deploy``."""

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import env, env_bool, env_list

SECRET_KEY = env("SECRET_KEY") or ""
if len(SECRET_KEY) < 50:
    raise ImproperlyConfigured("SECRET_KEY must be set (at least 50 characters) in production.")
if not env("DATABASE_URL") or not env("REDIS_URL"):
    raise ImproperlyConfigured("DATABASE_URL and REDIS_URL must be set in production.")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS")
if not ALLOWED_HOSTS:
    raise ImproperlyConfigured("ALLOWED_HOSTS must be set in production.")
DEBUG = False

# security.txt must name a contact that reaches someone: not the example default.
SECURITY_TXT_CONTACT = env("SECURITY_TXT_CONTACT") or ""


def _contact_is_real(contact: str) -> bool:
    scheme, _, rest = contact.partition(":")
    if scheme not in ("mailto", "https") or not rest:
        return False
    host = rest.rsplit("@", 1)[-1] if scheme == "mailto" else rest.lstrip("/").split("/")[0]
    host = host.split(":")[0].lower().rstrip(".")
    example = {"example.org", "example.com", "example.net", "example.edu", "localhost"}
    return (
        bool(host)
        and "." in host
        and not (
            host in example
            or any(host.endswith("." + e) for e in example)
            or host.endswith((".example", ".test", ".invalid", ".localhost"))
        )
    )


if not _contact_is_real(SECURITY_TXT_CONTACT):
    raise ImproperlyConfigured(
        "SECURITY_TXT_CONTACT must be set in production to a real mailto: or https: contact "
        "(not an example address); it is published in /.well-known/security.txt (RFC 9116)."
    )
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = int(env("SECURE_HSTS_SECONDS", "31536000") or 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
# /healthz is probed over plain HTTP inside the cluster.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]

AUDIT_PSEUDONIEM_SLEUTEL = env("AUDIT_PSEUDONIEM_SLEUTEL") or ""
if len(AUDIT_PSEUDONIEM_SLEUTEL) < 32:
    raise ImproperlyConfigured(
        "AUDIT_PSEUDONIEM_SLEUTEL must be set (at least 32 characters) in production."
    )

# BIO: no access to case data without a second factor; not to be switched off in production.
if not TWEEDE_FACTOR_VERPLICHT:  # noqa: F405
    raise ImproperlyConfigured(
        "TWEEDE_FACTOR_VERPLICHT cannot be off in production: every user gives a second factor."
    )
