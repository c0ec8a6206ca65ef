"""PCMD settings: every value comes from the environment (see .env.example).

Invariants: SQLite at var/db.sqlite3 unless DATABASE_URL is set; with DEBUG off the process
refuses to start without a real SECRET_KEY; no asset is served from another host.
"""

import sys
from datetime import timedelta
from pathlib import Path

import dj_database_url
import fontpkg_be_vietnam_pro
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from pcmd.common.env import env_bool, env_int, env_list, env_str
from pcmd.sealing.keys import seal_keys_from_env

PACKAGE_DIR = Path(__file__).resolve().parent.parent
BASE_DIR = PACKAGE_DIR.parent
VAR_DIR = Path(env_str("PCMD_VAR_DIR", str(BASE_DIR / "var")))

# pytest imports itself before Django: the test run needs no production secret.
TESTING = "pytest" in sys.modules

DEBUG = env_bool("DEBUG", False)
# Demo mode: demo users may log in without a second factor, and the login page says so.
DEMO_MODE = env_bool("PCMD_DEMO", False)

_INSECURE_KEY = "django-insecure-pcmd-development-only"
SECRET_KEY = env_str("SECRET_KEY", "")
if not SECRET_KEY:
    if not (DEBUG or TESTING):
        raise ImproperlyConfigured(
            "SECRET_KEY is required when DEBUG is off: set a long random value "
            '(python -c "import secrets; print(secrets.token_urlsafe(50))").'
        )
    SECRET_KEY = _INSECURE_KEY
elif not (DEBUG or TESTING) and (len(SECRET_KEY) < 40 or SECRET_KEY.startswith("django-insecure")):
    raise ImproperlyConfigured(
        "SECRET_KEY is too short or insecure: use at least 40 random characters."
    )

# Keys of the sealed (encrypted) identifying fields and of their blind index: see
# pcmd/sealing/keys.py. Production refuses to start without them, as for SECRET_KEY.
SEAL_KEYS, BLIND_INDEX_KEY = seal_keys_from_env(allow_dev_keys=DEBUG or TESTING)

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost"] if (DEBUG or TESTING) else [])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "axes",
    "csp",
    "django_htmx",
    "django_tasks",
    "django_tasks_db",
    "pcmd.orgunits",
    "pcmd.accounts",
    "pcmd.jobs",
    "pcmd.plans",
    "pcmd.outreach",
    "pcmd.training",
    "pcmd.enforcement",
    "pcmd.sealing",
    "pcmd.support",
    "pcmd.tips",
    "pcmd.indicators",
    "pcmd.reports",
    "pcmd.demo",
    "pcmd.api",
    "pcmd.ops",
]

MIDDLEWARE = [
    "pcmd.common.proxy.ClientAddressMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "pcmd.accounts.middleware.SessionRefreshMiddleware",
    "pcmd.common.locale.LanguageChoiceMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "pcmd.accounts.middleware.SessionExpiryMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "pcmd.accounts.middleware.SecondFactorMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "axes.middleware.AxesMiddleware",
    "pcmd.common.atomic.DiskFullMiddleware",
]

ROOT_URLCONF = "pcmd.config.urls"
WSGI_APPLICATION = "pcmd.config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "pcmd.accounts.context_processors.pcmd",
            ],
        },
    }
]

_default_db = f"sqlite:///{VAR_DIR / 'db.sqlite3'}"
DATABASES = {"default": dj_database_url.parse(env_str("DATABASE_URL", _default_db), conn_max_age=0)}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the worker write while pages read; IMMEDIATE avoids upgrade deadlocks.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 30,
    }
else:
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
    DATABASES["default"]["CONN_MAX_AGE"] = env_int("DB_CONN_MAX_AGE", 60)

# The default cache holds short-lived counters (the public tip page's rate limits). It must be
# shared by every process that serves pages: gunicorn's workers and any second application server.
# "database" (the production default) keeps it in the pcmd_cache table that migrate creates;
# "locmem" is per process, good for one development server and the tests.
CACHE_KIND = env_str("PCMD_CACHE", "locmem" if (DEBUG or TESTING) else "database")
if CACHE_KIND not in {"database", "locmem"}:
    raise ImproperlyConfigured("PCMD_CACHE must be 'database' or 'locmem'.")
_CACHE_BACKEND = (
    "django.core.cache.backends.db.DatabaseCache"
    if CACHE_KIND == "database"
    else "django.core.cache.backends.locmem.LocMemCache"
)
CACHES = {
    "default": {
        "BACKEND": _CACHE_BACKEND,
        "LOCATION": "pcmd_cache" if CACHE_KIND == "database" else "pcmd",
    },
    # What pages keep between requests (the dashboard's trends, a draft report's figures), in
    # a cache of its own: when it fills up and culls, the rate limits above are not what goes.
    "pages": {
        "BACKEND": _CACHE_BACKEND,
        "LOCATION": "pcmd_page_cache" if CACHE_KIND == "database" else "pcmd-pages",
        "OPTIONS": {"MAX_ENTRIES": 3000},
    },
}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "accounts:login"

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "pcmd.accounts.backends.UnitModelBackend",
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
PASSWORD_HASHERS = (["django.contrib.auth.hashers.MD5PasswordHasher"] if TESTING else []) + [
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]

# Sessions: an idle session ends after SESSION_IDLE_SECONDS; the cookie never outlives the browser.
SESSION_COOKIE_AGE = env_int("SESSION_IDLE_SECONDS", 30 * 60)
# Not on every request: pcmd.accounts.middleware.SessionRefreshMiddleware pushes the expiry
# forward once a minute of activity (docs/decisions.md).
SESSION_SAVE_EVERY_REQUEST = False
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
SECURE_COOKIES = env_bool("SECURE_COOKIES", not (DEBUG or TESTING))
SESSION_COOKIE_SECURE = SECURE_COOKIES
CSRF_COOKIE_SECURE = SECURE_COOKIES
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", False)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
BEHIND_PROXY = env_bool("BEHIND_PROXY", False)
if BEHIND_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# How many proxies of ours stand in front (nginx alone: 1; a load balancer and nginx: 2). Only
# then is X-Forwarded-For read for the client's address (pcmd.common.proxy).
PROXY_COUNT = env_int("PCMD_PROXY_COUNT", 1 if BEHIND_PROXY else 0)

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

# Login throttling: AXES_FAILURE_LIMIT failures for one username from one address lock it out.
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("AXES_COOLOFF_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
AXES_ENABLED = env_bool("AXES_ENABLED", True)

OTP_TOTP_ISSUER = "PCMD"

LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", _("Tiếng Việt")), ("en", _("English"))]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True
USE_THOUSAND_SEPARATOR = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
# Be Vietnam Pro comes inside its Python package; serve it from there, never from a font CDN.
STATICFILES_DIRS = [PACKAGE_DIR / "static", ("fonts", fontpkg_be_vietnam_pro.ROOT / "files")]
STORAGES = {
    "default": {"BACKEND": "pcmd.common.atomic.AtomicFileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if (DEBUG or TESTING)
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
MEDIA_ROOT = VAR_DIR / "media"
MEDIA_URL = "/media/"
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024

TASKS = {
    "default": {
        "BACKEND": env_str("PCMD_TASK_BACKEND", "django_tasks_db.DatabaseBackend"),
    }
}

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_THROTTLE_RATES": {"token": "10/min", "public": "20/hour"},
    "EXCEPTION_HANDLER": "pcmd.api.exceptions.exception_handler",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "PCMD API",
    "DESCRIPTION": "API của hệ thống PCMD (phòng, chống mại dâm).",
    "VERSION": "0.1.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    # Swagger UI's validator badge is an image from validator.swagger.io: our host only.
    "SWAGGER_UI_SETTINGS": {"validatorUrl": None, "deepLinking": True},
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "WARNING")},
}
