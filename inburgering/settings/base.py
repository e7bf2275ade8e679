"""Settings shared by every environment.

The environment is read in this one module (``env``); ``dev``/``test`` supply local defaults and
``production`` insists on its secrets. Every variable is documented in the README.
"""

import os
from pathlib import Path

import dj_database_url
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent


def env(name: str, default: str | None = None) -> str | None:
    """Read one environment variable; the only place settings touch ``os.environ``."""
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    value = env(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in (env(name, default) or "").split(",") if item.strip()]


SECRET_KEY = env("SECRET_KEY")
DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.forms",  # its widget templates, for FORM_RENDERER below
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_celery_beat",
    "simple_history",
    "axes",
    "csp",
    "django_htmx",
    "pgtrigger",
    # platform apps (cross-cutting)
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "django_otp_webauthn",
    "mozilla_django_oidc",
    "inburgering.accounts",
    "inburgering.core",
    "inburgering.kalender",
    "inburgering.documents",
    "inburgering.audit",
    # domain apps
    "cases",
    "pip_plans",
    "ontzorgen",
    "handhaving",
    "begeleiding",
    "verantwoording",
    "bewaring",
    "demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # first of ours: API-Version on every API answer, 413 before a large body is read
    "inburgering.core.middleware.ApiVersionMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "inburgering.core.middleware.LoginRequiredExceptApiMiddleware",
    # one log span per request (Logboek Dataverwerkingen; inburgering/audit/logboek.py)
    "inburgering.audit.middleware.LogboekMiddleware",
    "inburgering.core.middleware.AccessScopeMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # the absolute session age and the session's last use (inburgering/accounts/sessies.py);
    # after the log's span (the session's end is on record) and the messages (it says why)
    "inburgering.accounts.sessies.SessieMiddleware",
    # the second factor: who has not passed it reaches only its own pages (tweefactor.py)
    "django_otp.middleware.OTPMiddleware",
    "inburgering.accounts.tweefactor.TweeFactorMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "inburgering.core.middleware.NoStoreMiddleware",
    # axes must be last
    "axes.middleware.AxesMiddleware",
]

# Benchmarks only (benchmarks/last.py): every answer says how many SQL statements it ran.
if env_bool("BENCH_QUERY_TELLER", False):
    MIDDLEWARE.insert(0, "inburgering.core.middleware.QueryTellerMiddleware")

ROOT_URLCONF = "inburgering.urls"
WSGI_APPLICATION = "inburgering.wsgi.application"
ASGI_APPLICATION = "inburgering.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "inburgering.core.context_processors.rollen",
                "inburgering.core.context_processors.taal_terug",
                "cases.context_processors.signalen",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        env("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/inburgering") or "",
        conn_max_age=60,
        conn_health_checks=True,
    )
}
# Short transactional queries, many at once: PostgreSQL's JIT compiles a plan for seconds to
# save milliseconds (the deadline-sorted caseload spent ~2.5 of ~2.8 s compiling;
# benchmarks/last.py prints the plan with JIT on and off), and parallel workers for a page
# query run ahead of a LIMIT and take the cores other requests need (the werkcoach's caseload:
# 222 ms with two workers, 19 ms without). Both off for this application's connections;
# maintenance (the sweep benchmark, VACUUM, reports in psql) keeps the server's defaults.
_OPTIES = []
if not env_bool("DATABASE_JIT", False):
    _OPTIES.append("-c jit=off")
if not env_bool("DATABASE_PARALLEL", False):
    _OPTIES.append("-c max_parallel_workers_per_gather=0")
if _OPTIES:
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = " ".join(_OPTIES)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    # the password, refused for a user who signs in through the identity provider only
    "inburgering.accounts.backends.WachtwoordBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    # length over complexity (BIO / NCSC): no rules on character classes, a long minimum
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": int(env("PASSWORD_MIN_LENGTH", "12") or 12)},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "cases:caseload"
LOGOUT_REDIRECT_URL = "login"

# Sessions: HttpOnly cookie, idle time-out (the expiry moves on with every request).
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = int(env("SESSION_IDLE_TIMEOUT_SECONDS", "1800") or 1800)
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
# ... and an absolute maximum: a session ends this many hours after sign-in, however active
SESSION_MAX_AGE_HOURS = float(env("SESSION_MAX_AGE_HOURS", "10") or 10)
CSRF_COOKIE_HTTPONLY = True

# The second factor (django-otp: TOTP app, recovery codes, WebAuthn passkeys; issue 14).
# Required for every signed-in user unless turned off (the test settings turn it off; tests of
# the second factor turn it on). Production refuses to start with it off.
TWEEDE_FACTOR_VERPLICHT = env_bool("TWEEDE_FACTOR_VERPLICHT", True)
# The most sensitive actions (roles, exports, destruction) ask for the second factor again when
# it was last given longer ago than this.
HERBEVESTIGEN_MINUTEN = int(env("HERBEVESTIGEN_MINUTEN", "15") or 15)
OTP_TOTP_ISSUER = env("OTP_TOTP_ISSUER", "Inburgering") or ""
OTP_WEBAUTHN_RP_ID = env("WEBAUTHN_RP_ID", "localhost") or ""
OTP_WEBAUTHN_RP_NAME = env("WEBAUTHN_RP_NAME", "Inburgering") or ""
# passkeys need a secure origin: https://, or http://localhost in development
OTP_WEBAUTHN_ALLOWED_ORIGINS = env_list("WEBAUTHN_ALLOWED_ORIGINS", "http://localhost:8000")
# a passkey is a second factor here, never a way to sign in without the password
OTP_WEBAUTHN_ALLOW_PASSWORDLESS_LOGIN = False

# OpenID Connect sign-in with the gemeente's own identity provider (mozilla-django-oidc;
# inburgering/accounts/oidc.py). Off until OIDC_RP_CLIENT_ID is set.
OIDC_RP_CLIENT_ID = env("OIDC_RP_CLIENT_ID", "") or ""
OIDC_RP_CLIENT_SECRET = env("OIDC_RP_CLIENT_SECRET", "") or ""
OIDC_RP_SIGN_ALGO = env("OIDC_RP_SIGN_ALGO", "RS256") or ""
OIDC_RP_SCOPES = env("OIDC_RP_SCOPES", "openid email profile") or ""
OIDC_OP_AUTHORIZATION_ENDPOINT = env("OIDC_OP_AUTHORIZATION_ENDPOINT", "") or ""
OIDC_OP_TOKEN_ENDPOINT = env("OIDC_OP_TOKEN_ENDPOINT", "") or ""
OIDC_OP_USER_ENDPOINT = env("OIDC_OP_USER_ENDPOINT", "") or ""
OIDC_OP_JWKS_ENDPOINT = env("OIDC_OP_JWKS_ENDPOINT", "") or None
OIDC_USE_PKCE = env_bool("OIDC_USE_PKCE", True)
OIDC_TIMEOUT = 10
OIDC_AUTHENTICATION_CALLBACK_URL = "oidc_authentication_callback"
# the provider's name on the sign-in button ("Inloggen met ...")
OIDC_NAAM = env("OIDC_NAAM", "") or ""
# the claims: the user's name at the provider, the organisation (its name or UUID here) and,
# when set, the roles (a list of role names; unset: roles stay managed here)
OIDC_CLAIM_GEBRUIKERSNAAM = env("OIDC_CLAIM_GEBRUIKERSNAAM", "preferred_username") or ""
OIDC_CLAIM_ORGANISATIE = env("OIDC_CLAIM_ORGANISATIE", "organisatie") or ""
OIDC_CLAIM_ROLLEN = env("OIDC_CLAIM_ROLLEN", "") or ""
# the identity provider enforces its own second factor: a sign-in through it counts as two
# factors (off: the user sets up and gives a second factor here too)
OIDC_IDP_TWEEDE_FACTOR = env_bool("OIDC_IDP_TWEEDE_FACTOR", True)
if OIDC_RP_CLIENT_ID:
    AUTHENTICATION_BACKENDS.append("inburgering.accounts.oidc.OIDCBackend")

# django-axes: lock a username+IP out after repeated failures.
AXES_FAILURE_LIMIT = int(env("AXES_FAILURE_LIMIT", "5") or 5)
AXES_COOLOFF_TIME = 0.5  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_VERBOSE = False

LANGUAGE_CODE = "nl"
LANGUAGES = [("nl", _("Dutch")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
# Dates dd-mm-jjjj in every language (inburgering/core/weergave.py decides, issue 10).
FORMAT_MODULE_PATH = ["inburgering.formats"]
TIME_ZONE = "Europe/Amsterdam"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [
    BASE_DIR / "static",
    # front-end packages installed by npm (package.json), served from our own origin
    ("vendor/htmx", BASE_DIR / "node_modules" / "htmx.org" / "dist"),
    # NL Design System component CSS (white-label; our theme is static/css/theme.css)
    ("vendor/utrecht", BASE_DIR / "node_modules" / "@utrecht" / "component-library-css" / "dist"),
    # the begeleider's offline app (begeleiding/pwa.py): IndexedDB wrapper and the Workbox
    # service-worker modules (workbox-sw loads the others from our origin, never a CDN)
    ("vendor/idb", BASE_DIR / "node_modules" / "idb" / "build"),
    ("vendor/workbox", BASE_DIR / "node_modules" / "workbox-sw" / "build"),
    ("vendor/workbox", BASE_DIR / "node_modules" / "workbox-core" / "build"),
    ("vendor/workbox", BASE_DIR / "node_modules" / "workbox-precaching" / "build"),
    ("vendor/workbox", BASE_DIR / "node_modules" / "workbox-routing" / "build"),
    ("vendor/workbox", BASE_DIR / "node_modules" / "workbox-strategies" / "build"),
]
# Widgets render through templates/django/forms/widgets/ (the NL Design System classes).
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
MEDIA_ROOT = Path(env("MEDIA_ROOT", str(BASE_DIR / "media")) or "media")
MEDIA_URL = "/media/"

# Content-Security-Policy (django-csp 4): no inline scripts or styles, nothing from elsewhere.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    }
}
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

# E-mail (the signal digest). Development prints to the console.
EMAIL_BACKEND = env("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend") or ""
EMAIL_HOST = env("EMAIL_HOST", "localhost") or ""
EMAIL_PORT = int(env("EMAIL_PORT", "25") or 25)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "inburgering@localhost") or ""
# Absolute address of the site, for links in e-mails.
SITE_URL = (env("SITE_URL", "http://127.0.0.1:8000") or "").rstrip("/")

REDIS_URL = env("REDIS_URL", "redis://127.0.0.1:6379/0") or ""
CELERY_BROKER_URL = REDIS_URL
CELERY_RESULT_BACKEND = REDIS_URL
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_TRACK_STARTED = True
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
CELERY_BEAT_SCHEDULE = {
    # Periodic work is declared here; django-celery-beat stores it in the database.
    "opruimen-sessies-en-inlogpogingen": {
        "task": "inburgering.core.tasks.opruimen",
        "schedule": 60 * 60,
    },
    # Deadline enforcement: the sweep every hour (five past), the e-mail digest each morning.
    "termijnen-bewaken": {
        "task": "cases.tasks.termijnen_bewaken",
        "schedule": crontab(minute="5"),
    },
    "signalen-digest": {
        "task": "cases.tasks.signalen_digest",
        "schedule": crontab(hour="7", minute="0"),
    },
    # BIO 8.15: both log chains verified every night; a break is an incident for the beheerder
    "logboek-keten-controleren": {
        "task": "inburgering.audit.tasks.keten_controleren",
        "schedule": crontab(hour="2", minute="30"),
    },
}
# How many days the begeleider's offline app keeps its data (client list, drafts) on the device
# after the last contact with the server; unset: begeleiding.constants.STANDAARD_OFFLINE_DAGEN.
# The key of the log's keyed pseudonym of a BSN (HMAC-SHA256; inburgering/audit/pseudoniem.py).
# Required in production; changing it makes earlier log records unfindable by BSN.
AUDIT_PSEUDONIEM_SLEUTEL = env("AUDIT_PSEUDONIEM_SLEUTEL", "") or ""
# Off only for the read-logging benchmark (benchmarks/leeslog_dossierpagina.py): never sampled.
AUDIT_LOGBOEK = True
# Retention of a closed dossier in years, when the gemeente set none (Archiefwet; the seeds
# leave 5 or 10 open). Per gemeente and record kind in bewaring.Bewaartermijn.
BEWARING_STANDAARD_JAREN = int(env("BEWARING_STANDAARD_JAREN", "5") or 5)
BEGELEIDING_OFFLINE_DAGEN = int(env("BEGELEIDING_OFFLINE_DAGEN", "0") or 0) or None
if BEGELEIDING_OFFLINE_DAGEN is not None and BEGELEIDING_OFFLINE_DAGEN < 1:
    raise ImproperlyConfigured("BEGELEIDING_OFFLINE_DAGEN must be 1 or more days.")
# How long failed/successful log-in attempts (with IP addresses) are kept.
LOGIN_ATTEMPT_RETENTION_DAYS = int(env("LOGIN_ATTEMPT_RETENTION_DAYS", "30") or 30)

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["inburgering.core.api.RolePermission"],
    "DEFAULT_PAGINATION_CLASS": "inburgering.core.api.Pagination",
    "PAGE_SIZE": 25,
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "inburgering.core.problems.problem_exception_handler",
    "DEFAULT_RENDERER_CLASSES": [
        "djangorestframework_camel_case.render.CamelCaseJSONRenderer",
        "djangorestframework_camel_case.render.CamelCaseBrowsableAPIRenderer",
    ],
    "DEFAULT_PARSER_CLASSES": [
        "inburgering.core.parsers.StrictCamelCaseJSONParser",
        "djangorestframework_camel_case.parser.CamelCaseFormParser",
        "djangorestframework_camel_case.parser.CamelCaseMultiPartParser",
    ],
    "JSON_UNDERSCOREIZE": {"no_underscore_before_number": True},
}
API_VERSION = "1.0.0"
SPECTACULAR_SETTINGS = {
    "TITLE": "Inburgering API",
    "DESCRIPTION": (
        "Dossiers and inburgeraars under the Wet inburgering 2021. Follows the NL API Design "
        "Rules where they apply: camelCase fields, problem+json errors, an API-Version header, "
        "no BSN in any URI (search by BSN is a POST)."
    ),
    "VERSION": API_VERSION,
    # NL API Design Rules /core/doc-openapi-contact: name, e-mail and URL of the API's owner
    "CONTACT": {
        "name": env("API_CONTACT_NAME", "Inburgering API — functioneel beheer"),
        "email": env("API_CONTACT_EMAIL", "inburgering@example.org"),
        "url": env("API_CONTACT_URL", "https://example.org/inburgering/api"),
    },
    # /core/uri-version: the major version is in the server URL; paths are relative to it
    "SERVERS": [{"url": "/api/v1", "description": "This installation, major version 1"}],
    "TAGS": [
        {"name": "dossiers", "description": "Dossiers: phase, relocation, timeline, termijnen."},
        {"name": "inburgeraars", "description": "Persons, registered with their first dossier."},
        {"name": "intakes", "description": "The brede intake: conversations, life domains."},
        {"name": "pips", "description": "The PIP and its beschikking."},
        {"name": "signalen", "description": "Your own signals about termijnen."},
        {"name": "termijnen", "description": "Statutory and policy deadlines."},
    ],
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    "SCHEMA_PATH_PREFIX_TRIM": True,
    "COMPONENT_SPLIT_REQUEST": True,
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "drf_spectacular.contrib.djangorestframework_camel_case.camelize_serializer_fields",
        "inburgering.core.schema.document_api_conventions",
    ],
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
    "ENUM_NAME_OVERRIDES": {
        "FaseEnum": "cases.constants.Fase",
        "OpenFaseEnum": "cases.constants.OPEN_FASE_CHOICES",
        "DoelgroepEnum": "cases.constants.Doelgroep",
        "RegimeEnum": "cases.constants.Regime",
        "ContactkanaalEnum": "cases.constants.ContactKanaal",
        "LeerrouteEnum": "pip_plans.constants.Leerroute",
        "ExamendeelEnum": "pip_plans.constants.Examendeel",
        # "status" and "soort" occur on several models: keep PipStatus as it was published
        "StatusEnum": "pip_plans.constants.PipStatus",
        "TermijnStatusEnum": "cases.constants.TermijnStatus",
        "TermijnSoortEnum": "cases.constants.TermijnSoort",
        "SignaalSoortEnum": "cases.constants.SignaalSoort",
        "ContactSoortEnum": "begeleiding.constants.ContactSoort",
    },
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
}

SIMPLE_HISTORY_HISTORY_CHANGE_REASON_USE_TEXT_FIELD = True
SIMPLE_HISTORY_REVERT_DISABLED = True

# RFC 9116 security.txt: a contact (mailto: or https:) — production refuses an example address —
# and an expiry computed at request time, this many days ahead (RFC 9116 §2.5.5: less than a
# year, so a forgotten file goes stale instead of being trusted forever).
SECURITY_TXT_CONTACT = env("SECURITY_TXT_CONTACT", "mailto:security@example.org") or ""
SECURITY_TXT_EXPIRES_DAYS = int(env("SECURITY_TXT_EXPIRES_DAYS", "180") or 180)
if not 1 <= SECURITY_TXT_EXPIRES_DAYS <= 364:
    raise ImproperlyConfigured(
        "SECURITY_TXT_EXPIRES_DAYS must be 1-364: RFC 9116 wants an expiry under a year ahead."
    )

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"redact_bsn": {"()": "inburgering.core.logging.RedactBsnFilter"}},
    "formatters": {
        "plain": {
            "()": "inburgering.core.logging.RedactBsnFormatter",
            "format": "%(asctime)s %(levelname)s %(name)s %(message)s",
        }
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "plain",
            "filters": ["redact_bsn"],
        }
    },
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        # WeasyPrint logs each layout step at INFO; refused/missing resources stay visible.
        "weasyprint.progress": {"level": "WARNING"},
    },
}
