"""Settings for the partnership system, read from the environment.

Safe defaults run the demo on one machine (SQLite, DuckDB file, console e-mail).
Outside DEBUG, demo and test runs, the service refuses to start without a real
SECRET_KEY.
"""
import os
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF

from config import env
from config.env import SettingError, env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("VAR_DIR", str(BASE_DIR / "var")))
VAR_DIR.mkdir(parents=True, exist_ok=True)
# The DfE/ONS published figures and the CIN census schemas shipped with the code (published_data/README.md).
PUBLISHED_DATA_DIR = Path(env_str("PUBLISHED_DATA_DIR") or BASE_DIR / "published_data")

DEBUG = env_bool("DEBUG", False)
# DEMO=1 is set by `make demo`: it allows the demo helpers (load_demo, totp_code).
DEMO = env_bool("DEMO", False)
# pytest sets PYTEST_VERSION for the length of a run.
TESTING = "PYTEST_VERSION" in os.environ

# Help (`manage.py help`, `manage.py COMMAND --help`) runs nothing, so it needs no key: manage.py says so.
SECRET_KEY = env_str("SECRET_KEY")
if not SECRET_KEY:
    if DEBUG or DEMO or TESTING or env.HELP_ONLY:
        SECRET_KEY = "insecure-local-only-key-never-use-in-production-0123456789"
    else:
        raise SettingError(
            "SECRET_KEY is not set: set it to at least 50 random characters, for example "
            "export SECRET_KEY=\"$(python3 -c 'import secrets; print(secrets.token_urlsafe(50))')\", "
            "or DEMO=1 for the demo (see README, Settings)."
        )
elif not (DEBUG or DEMO or TESTING or env.HELP_ONLY) and (len(SECRET_KEY) < 50 or SECRET_KEY.startswith("insecure")):
    raise SettingError("SECRET_KEY is too short or marked insecure: set it to at least 50 random characters "
                       "(see README, Settings).")

# The analytical store of child-level returns: a DuckDB file by default; with a PostgreSQL
# DATABASE_URL and no ANALYTICS_URL, a schema in that database.
ANALYTICS_URL = env_str("ANALYTICS_URL")
ANALYTICS_SCHEMA = env_str("ANALYTICS_SCHEMA", "child_level")
# Where `indicators --backend spark` runs (ADR 0030): local[*] on this machine, or a cluster's master URL.
SPARK_MASTER = env_str("SPARK_MASTER", "local[*]")

# Key for the keyed hash (HMAC) that replaces child identifiers on import.
CHILD_ID_HASH_KEY = env_str("CHILD_ID_HASH_KEY") or SECRET_KEY

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_tasks",
    "django_tasks_db",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",  # recovery codes
    "axes",
    "csp",
    "rules.apps.AutodiscoverRulesConfig",
    "safeguarding.core",
    "safeguarding.accounts",
    "safeguarding.actions",
    "safeguarding.partnership",
    "safeguarding.returns",
    "safeguarding.benchmarks",
    "safeguarding.indicators",
    "safeguarding.dashboard",
    "safeguarding.forecast",
    "safeguarding.reports",
    "safeguarding.lado",
    "safeguarding.reviews",
    "safeguarding.audits",
    "safeguarding.registers",
    "safeguarding.demo",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "safeguarding.api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    # Refuses a body too large for the page, or in an unreadable charset, before anything reads it.
    "safeguarding.core.middleware.RequestBodyMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "safeguarding.accounts.middleware.TwoFactorRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.jinja2.Jinja2",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "environment": "config.jinja2.environment",
            "autoescape": True,
            "context_processors": [
                "django.contrib.messages.context_processors.messages",
                "safeguarding.core.context_processors.service",
            ],
        },
    },
    {
        # Kept only for Django's own templates (none of our pages use it).
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {"context_processors": ["django.template.context_processors.request"]},
    },
]
FORM_RENDERER = "django.forms.renderers.Jinja2"

try:
    DATABASES = {
        "default": dj_database_url.parse(
            env_str("DATABASE_URL", f"sqlite:///{VAR_DIR / 'db.sqlite3'}"), conn_max_age=env_int("CONN_MAX_AGE", 0),
            # A kept connection is checked before each request reuses it: after a database restart the next request
            # reconnects instead of failing on the dead connection.
            conn_health_checks=True,
        )
    }
except ValueError:  # dj-database-url's errors; never repeat the URL, it may hold a password
    raise SettingError("DATABASE_URL is not a database URL: set it like postgres://user:pass@host/db, "
                       "or leave it unset for SQLite (see README, Settings).") from None
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL and a busy timeout let readers and one writer share the demo database;
    # IMMEDIATE transactions take the write lock up front instead of failing mid-way.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
                        f"PRAGMA busy_timeout={env_int('SQLITE_BUSY_TIMEOUT_MS', 10000)};",
        "transaction_mode": "IMMEDIATE",
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
if TESTING:
    # Hashing the same test password hundreds of times at full strength only slows the suite.
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
LOGIN_URL = "accounts:sign-in"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "accounts:sign-in"

# Sessions end after 15 minutes without a request.
SESSION_COOKIE_AGE = env_int("SESSION_IDLE_SECONDS", 15 * 60)
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True

# Lock-out after repeated failed sign-ins (django-axes).
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = 0.25  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_USERNAME_FORM_FIELD = "username"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "safeguarding.accounts.views.locked_out"

OTP_TOTP_ISSUER = "Safeguarding partnership system"

SECURE = env_bool("SECURE", not (DEBUG or DEMO or TESTING))
SESSION_COOKIE_SECURE = SECURE
CSRF_COOKIE_SECURE = SECURE
SECURE_SSL_REDIRECT = SECURE and env_bool("SECURE_SSL_REDIRECT", True)
SECURE_HSTS_SECONDS = 31536000 if SECURE else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = SECURE
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if SECURE else None
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# Strict content security policy: no inline script or style anywhere.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

# The read-only API for analysts (safeguarding/api): JSON only, a token per person, created on the
# API token page by someone signed in (with two-factor, as every sign-in).
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["rest_framework.authentication.TokenAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.LimitOffsetPagination",
    "PAGE_SIZE": 1000,
    "COERCE_DECIMAL_TO_STRING": False,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Safeguarding partnership system: indicators and benchmarks",
    "DESCRIPTION": "Read-only figures for analysts. Send `Authorization: Token <your token>`; create the token on "
                   "the API token page of your partnership. The API shows what the dashboard shows you.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.AllowAny"],
    "SERVE_AUTHENTICATION": [],
}

# One cache for every worker and the task worker (ADR 0031): a table in the application database, so what one
# process builds (a dashboard table, a chart, a report's PDF) serves them all, survives a restart, and what an
# import works out for the pages is written in the same transaction that says it is loaded. Keys carry a version
# of the figures they come from, so a new import or benchmark file is never answered from an old entry.
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "page_cache",
        "TIMEOUT": 24 * 60 * 60,
        # Culling counts the table on every write; entries are written once per figure version, so it stays small.
        "OPTIONS": {"MAX_ENTRIES": 5000, "CULL_FREQUENCY": 4},
    }
}
# The import works out what the dashboard shows before it says "loaded" (dashboard/warm.py). Off in the tests,
# which import hundreds of returns; the tests of the warming turn it on.
PREPARE_PAGES_AHEAD = env_bool("PREPARE_PAGES_AHEAD", not TESTING)
# A draft report's PDF and Word file (reports/render.py, ADR 0031): written by the task worker at most once a
# minute a report, and a download may serve the newest one written up to five minutes ago, saying so.
DRAFT_FILES_ASK_EVERY = env_int("DRAFT_FILES_ASK_EVERY", 60)
DRAFT_FILES_BEHIND_AT_MOST = env_int("DRAFT_FILES_BEHIND_AT_MOST", 5 * 60)

# Background jobs (imports): the database backend, run by `manage.py task_worker` (django-tasks' db_worker, which also marks failed the imports whose process died); tests run them inline.
TASKS = {
    "default": {
        "BACKEND": "django_tasks.backends.immediate.ImmediateBackend"
        if env_str("TASKS_BACKEND", "immediate" if TESTING else "database") == "immediate"
        else "django_tasks_db.DatabaseBackend",
        # "layout": a draft report's PDF and Word file, seconds of WeasyPrint each, run by a worker of their own
        # (`task_worker --queue-name layout`) so that an uploaded return never waits behind them (ADR 0031).
        "QUEUES": ["default", "layout"],
    }
}
# Uploaded returns wait here for the worker and are deleted once imported.
UPLOAD_DIR = VAR_DIR / "uploads"
RETURNS_MAX_UPLOAD_BYTES = env_int("RETURNS_MAX_UPLOAD_BYTES", 300 * 1024 * 1024)
# A running import says it is alive this often; one silent for RETURNS_IMPORT_STALE_SECONDS has died with its
# process and is shown as failed, with what to do.
RETURNS_IMPORT_HEARTBEAT_SECONDS = env_int("RETURNS_IMPORT_HEARTBEAT_SECONDS", 15)
RETURNS_IMPORT_STALE_SECONDS = env_int("RETURNS_IMPORT_STALE_SECONDS", 120)
FILE_UPLOAD_TEMP_DIR = None

EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "partnership-system@localhost")

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)
STATICFILES_DIRS = [BASE_DIR / "frontend" / "build"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": VAR_DIR / "media"}},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if (DEBUG or TESTING)
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "WARNING")},
}
CSRF_FAILURE_VIEW = "safeguarding.core.views.csrf_failure"
