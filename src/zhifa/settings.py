"""zhifa settings, read from the environment.

Every variable is declared once in ``zhifa.core.env.VARIABLES`` with its documentation; the README lists them.
SQLite under ``ZHIFA_DATA_DIR`` is the embedded default; ``ZHIFA_DATABASE_URL`` selects PostgreSQL.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

import dj_database_url
from csp.constants import NONCE, NONE, SELF, UNSAFE_INLINE
from django.core.exceptions import ImproperlyConfigured

from zhifa.core.env import DEFAULT_SECRET_KEY, env_bool, env_int, env_list, env_str
from zhifa.evidence import conf as evidence_conf

BASE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = BASE_DIR.parent.parent

DATA_DIR = Path(env_str("ZHIFA_DATA_DIR") or PROJECT_DIR / "var").resolve()
DATA_DIR.mkdir(parents=True, exist_ok=True)
DEBUG = env_bool("ZHIFA_DEBUG")
SECRET_KEY = env_str("ZHIFA_SECRET_KEY") or DEFAULT_SECRET_KEY
PRODUCTION = env_bool("ZHIFA_PRODUCTION")
ALLOWED_HOSTS = env_list("ZHIFA_ALLOWED_HOSTS") or ["127.0.0.1", "localhost"]
CSRF_TRUSTED_ORIGINS = env_list("ZHIFA_CSRF_TRUSTED_ORIGINS")

if PRODUCTION:
    # A production deployment must never run with the published default key or with DEBUG on.
    if SECRET_KEY == DEFAULT_SECRET_KEY or len(SECRET_KEY) < 32:
        raise ImproperlyConfigured(
            "生产模式拒绝启动：ZHIFA_SECRET_KEY 未设置或过短（至少 32 个字符）。"
            " / Production refuses to start: set ZHIFA_SECRET_KEY (32+ characters)."
        )
    if DEBUG:
        raise ImproperlyConfigured(
            "生产模式拒绝启动：ZHIFA_DEBUG 必须关闭。 / Production refuses to start with ZHIFA_DEBUG on."
        )

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "axes",
    "csp",
    "zhifa.core",
    "zhifa.org",
    "zhifa.records",
    "zhifa.evidence",
    "zhifa.inspections",
    "zhifa.cases",
    "zhifa.catalog",
    "zhifa.discretion",
    "zhifa.review",
    "zhifa.disclosure",
    "zhifa.search",
    "zhifa.portal",
    "zhifa.channels",
    "zhifa.guides",
    "zhifa.supervision",
    "zhifa.complaints",
    "zhifa.stats",
    "zhifa.evaluation",
    "zhifa.oversight",
    "zhifa.reporting",
    "zhifa.personnel",
    "zhifa.ratings",
    "zhifa.caselib",
    "zhifa.enterprise",
    "zhifa.exchange",
    "zhifa.sysadmin",
    "zhifa.workbench",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_htmx.middleware.HtmxMiddleware",  # request.htmx: is this an htmx request, a history restore, its target
    # every anonymous request and every login attempt, per client IP: 429 over the rate (zhifa.portal.ratelimit)
    "zhifa.portal.ratelimit.PortalRateLimitMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",  # Content-Security-Policy with a per-response nonce (docs/security.md)
    "zhifa.core.middleware.SecurityHeadersMiddleware",  # Permissions-Policy; no-store when logged in
    "zhifa.core.middleware.ForcePasswordChangeMiddleware",
    "axes.middleware.AxesMiddleware",
    "zhifa.core.error_pages.DomainErrorPageMiddleware",
]

# Caches: "default" stays per process; "shared" is one database table for every app server (created by the
# portal's migration 0002, so `migrate` sets it up on SQLite and PostgreSQL alike) and holds the public
# rate-limit counters of anonymous requests and login attempts (django-ratelimit, zhifa.portal.ratelimit).
CACHES: dict[str, dict[str, Any]] = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "shared": {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "zhifa_shared_cache"},
}
# Public pages served to anonymous visitors (zhifa.core.pagecache), keyed by the page version row in the database:
# a publication bumps it, so every server's next request misses whichever backend holds the bodies.
PAGE_CACHE = (env_str("ZHIFA_PAGE_CACHE") or "memory").lower()
PAGE_CACHE_SECONDS = env_int("ZHIFA_PAGE_CACHE_SECONDS", 600)
# each process remembers the version row this long (a cached page then needs no database at all)
PAGE_VERSION_MEMO_MS = env_int("ZHIFA_PAGE_VERSION_MEMO_MS", 1000)
if PAGE_CACHE not in ("memory", "file", "database", "off"):
    raise ImproperlyConfigured(
        "ZHIFA_PAGE_CACHE 只能是 memory、file、database 或 off。 / ZHIFA_PAGE_CACHE: memory, file, database or off."
    )
CACHES["pages"] = {
    "memory": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "zhifa-pages"},
    "file": {
        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
        "LOCATION": str(DATA_DIR / "cache" / "pages"),
    },
    "database": {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "zhifa_shared_cache"},
    "off": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"},
}[PAGE_CACHE]
CACHES["pages"]["TIMEOUT"] = PAGE_CACHE_SECONDS
CACHES["pages"]["OPTIONS"] = {"MAX_ENTRIES": 5000}
# ZHIFA_RATELIMIT_CACHE=file keeps the counters in files under the data dir instead (shared by the servers of one
# host or a shared disk): on SQLite every anonymous request otherwise writes the database (docs/performance.md).
RATELIMIT_CACHE = (env_str("ZHIFA_RATELIMIT_CACHE") or "database").lower()
if RATELIMIT_CACHE not in ("database", "file"):
    raise ImproperlyConfigured(
        "ZHIFA_RATELIMIT_CACHE 只能是 database 或 file。 / ZHIFA_RATELIMIT_CACHE: database or file."
    )
if RATELIMIT_CACHE == "file":
    CACHES["ratelimit"] = {
        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
        "LOCATION": str(DATA_DIR / "cache" / "ratelimit"),
        "OPTIONS": {"MAX_ENTRIES": 100000},
    }
RATELIMIT_USE_CACHE = "ratelimit" if RATELIMIT_CACHE == "file" else "shared"
RATELIMIT_IP_META_KEY = "zhifa.portal.ratelimit.client_ip"
# anonymous requests are counted in each process and added to that shared cache at least this often
# (zhifa.portal.ratelimit.LocalCounter; 0 adds every request at once)
RATELIMIT_FLUSH_MS = env_int("ZHIFA_RATELIMIT_FLUSH_MS", 1000)
PORTAL_RATE = env_str("ZHIFA_PORTAL_RATE") or "300/m"
PORTAL_API_RATE = env_str("ZHIFA_PORTAL_API_RATE") or "120/m"
LOGIN_IP_RATE = env_str("ZHIFA_LOGIN_IP_RATE") or "20/m"
PORTAL_TRUSTED_PROXY_HEADER = env_str("ZHIFA_TRUSTED_PROXY_HEADER")

ROOT_URLCONF = "zhifa.urls"
WSGI_APPLICATION = "zhifa.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "zhifa.workbench.context_processors.platform",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        env_str("ZHIFA_DATABASE_URL") or f"sqlite:///{DATA_DIR / 'zhifa.sqlite3'}",
        conn_max_age=env_int("ZHIFA_DB_CONN_MAX_AGE", 60),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {
        # WAL lets readers work while one writer appends; a busy timeout instead of "database is locked".
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "org.User"

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 8}},
    {"NAME": "zhifa.core.passwords.CharacterClassValidator", "OPTIONS": {"min_classes": 3}},
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "core:workbench"
LOGOUT_REDIRECT_URL = "login"

# Lockout after 5 failures for 15 minutes, counted per username (django-axes).
AXES_FAILURE_LIMIT = env_int("ZHIFA_LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("ZHIFA_LOGIN_LOCKOUT_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = ["username"]
AXES_RESET_ON_SUCCESS = True
# Per account, not per IP: a county government's staff share one NAT address, so IP lockout would lock
# out a whole building after one person's typos.
SILENCED_SYSTEM_CHECKS = ["axes.W006"]
AXES_LOCKOUT_CALLABLE = "zhifa.core.views.locked_out"
AXES_VERBOSE = False

# API tokens expire this many days after they are made (zhifa.org.tokens).
API_TOKEN_DAYS = env_int("ZHIFA_API_TOKEN_DAYS", 90)

# 30-minute idle timeout: a request renews the session's expiry and the cookie's age, writing the session at
# most once a minute (zhifa.core.sessions) rather than on every request.
SESSION_COOKIE_AGE = env_int("ZHIFA_SESSION_IDLE_MINUTES", 30) * 60
SESSION_ENGINE = "zhifa.core.sessions"
SESSION_RENEW_AFTER_SECONDS = 60
SESSION_SAVE_EVERY_REQUEST = False
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = PRODUCTION
CSRF_COOKIE_SECURE = PRODUCTION
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
if PRODUCTION:
    # HTTPS only: the reverse proxy terminates TLS and says so in X-Forwarded-Proto (docs/deployment.md).
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env_bool("ZHIFA_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = env_int("ZHIFA_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("ZHIFA_HSTS_INCLUDE_SUBDOMAINS")
    SECURE_HSTS_PRELOAD = env_bool("ZHIFA_HSTS_PRELOAD")
    if not SECURE_HSTS_INCLUDE_SUBDOMAINS:
        # The platform's host name is usually one of many under a government domain whose other hosts it does
        # not control: HSTS for this host only unless the operator opts in (docs/security.md).
        SILENCED_SYSTEM_CHECKS.append("security.W005")
    if not SECURE_HSTS_PRELOAD:
        SILENCED_SYSTEM_CHECKS.append("security.W021")  # preloading is the domain owner's decision

# Content-Security-Policy (django-csp). Scripts only from this origin, or inline with the response's nonce
# (``{{ request.csp_nonce }}``); style elements likewise; style *attributes* are allowed, because ECharts and
# Bootstrap's components position elements with them (docs/security.md). No eval: htmx runs with
# allowEval false (core/base.html), so hx-on and js: values are not used.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF, UNSAFE_INLINE],  # for browsers without style-src-elem / -attr (CSP level 2)
        "style-src-elem": [SELF, NONCE],
        "style-src-attr": [UNSAFE_INLINE],
        "img-src": [SELF, "data:", "blob:"],
        "font-src": [SELF, "data:"],
        "connect-src": [SELF],
        "frame-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}
# Browser features no page needs are off; the on-site inspection page locates the officer (geolocation).
PERMISSIONS_POLICY = (
    "accelerometer=(), autoplay=(), camera=(), display-capture=(), fullscreen=(self), geolocation=(self), "
    "gyroscope=(), magnetometer=(), microphone=(), midi=(), payment=(), usb=()"
)

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True
LOCALE_PATHS = [BASE_DIR / "locale"]

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # whitenoise serves from here after collectstatic
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
# Evidence (证据): content-addressed, write-once; local files by default, S3-compatible storage by setting.
STORAGES["evidence"] = evidence_conf.storage_setting(DATA_DIR)
ZHIFA_EVIDENCE_MAX_BYTES = evidence_conf.max_bytes()
WHITENOISE_USE_FINDERS = True
MEDIA_ROOT = DATA_DIR / "media"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("ZHIFA_LOG_LEVEL") or "WARNING"},
}

# Domain numbers (configurable, local plans differ).
ZHIFA = {
    "TRAINING_MIN_LAW_HOURS": env_int("ZHIFA_TRAINING_MIN_LAW_HOURS", 20),
    "TRAINING_MIN_BUSINESS_HOURS": env_int("ZHIFA_TRAINING_MIN_BUSINESS_HOURS", 40),
    "CERTIFICATE_EXPIRY_WARNING_DAYS": env_int("ZHIFA_CERTIFICATE_EXPIRY_WARNING_DAYS", 30),
}

NINJA_PAGINATION_PER_PAGE = 50

# Outgoing webhooks (zhifa.channels, docs/disclosure.md and docs/security.md): private addresses only when allowed.
WEBHOOK_ALLOW_PRIVATE = env_bool("ZHIFA_WEBHOOK_ALLOW_PRIVATE")
WEBHOOK_TIMEOUT_SECONDS = env_int("ZHIFA_WEBHOOK_TIMEOUT_SECONDS", 5)
WEBHOOK_MAX_ATTEMPTS = env_int("ZHIFA_WEBHOOK_MAX_ATTEMPTS", 10)
WEBHOOK_RETRY_BASE_SECONDS = env_int("ZHIFA_WEBHOOK_RETRY_BASE_SECONDS", 60)
