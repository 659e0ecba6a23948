"""E-saylov settings: every value comes from the environment (django-environ).

See ``.env.example`` for the variables.  With no ``DATABASE_URL`` / ``REDIS_URL``
the embedded servers from ``esaylov/embedded.py`` are started (development only).
"""

from pathlib import Path

import environ

from esaylov import embedded

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
if (BASE_DIR / ".env").exists():
    env.read_env(str(BASE_DIR / ".env"))

# ---------------------------------------------------------------------------
# Core
# ---------------------------------------------------------------------------
DEBUG = env.bool("DEBUG", default=False)
# A checkout with no configured database (the embedded one) is a developer's machine: it may run
# manage.py commands without a secret.  A configured database means a real deployment: the
# secret is required unless DEBUG is on.
_LOCAL_CHECKOUT = not env("DATABASE_URL", default="")
_DEV_SECRET = "dev-insecure-key-only-for-local-runs-never-in-production"
SECRET_KEY = env("SECRET_KEY", default="") or (_DEV_SECRET if DEBUG or _LOCAL_CHECKOUT else "")
if not SECRET_KEY:
    raise environ.ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off (see .env.example)")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]", "testserver"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.forms",  # its widget templates, for the project's form renderer (FORM_RENDERER)
    # third party
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "guardian",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "axes",
    "django_htmx",
    # ours
    "core",
    "accounts",
    "elections",
    "voters",
    "candidates",
    "media_accreditation",
    "observers",
    "incidents",
    "results",
    "demo",  # seed_demo and the voter-file generator; never imported by the apps above
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "core.middleware.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "accounts.middleware.RequireTwoFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "esaylov.urls"
WSGI_APPLICATION = "esaylov.wsgi.application"
ASGI_APPLICATION = "esaylov.asgi.application"

#: Every form renders through templates/components/form.html and field.html: an error summary linking to each
#: field, and each error under its label (core.forms.FormRenderer).
FORM_RENDERER = "core.forms.FormRenderer"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "esaylov.navigation.context",
            ],
        },
    },
]

# ---------------------------------------------------------------------------
# Database (PostgreSQL only; embedded when DATABASE_URL is not set)
# ---------------------------------------------------------------------------
embedded.ensure_database_url()
DATABASES = {"default": env.db("DATABASE_URL")}
DATABASES["default"]["ENGINE"] = "django.db.backends.postgresql"
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = env.bool("CONN_HEALTH_CHECKS", default=False)
# Every query binds its parameters server-side and psycopg prepares a statement once it has run this
# many times on a connection (Django's default, None, turns preparation off, and client-side binding
# makes PostgreSQL parse and plan every statement: on a protocol entry's fifteen statements that was
# 40% of the database's CPU).  DB_SERVER_SIDE_BINDING=0 goes back to client-side binding; set both off
# behind PgBouncer in transaction mode before 1.21 (docs/deployment.md).
DATABASES["default"].setdefault("OPTIONS", {})["prepare_threshold"] = env.int("DB_PREPARE_THRESHOLD", default=2) or None
DATABASES["default"]["OPTIONS"]["server_side_binding"] = env.bool("DB_SERVER_SIDE_BINDING", default=True)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# ---------------------------------------------------------------------------
# Redis, cache, Celery (embedded Redis when REDIS_URL is not set)
# ---------------------------------------------------------------------------
embedded.ensure_redis_url()
REDIS_URL = env("REDIS_URL")
# redis-py spells a unix socket ``unix://``; kombu spells it ``redis+socket://``.
_REDIS_PY_URL = REDIS_URL.replace("redis+socket://", "unix://", 1)


def _redis_db(url: str, db: int) -> str:
    """The same Redis server, another database: the cache never shares one with the broker."""
    if url.startswith("unix://"):
        return url.split("?")[0] + f"?db={db}"
    base, _, last = url.rpartition("/")
    return f"{base}/{db}" if last.isdigit() and base.count("/") >= 2 else f"{url.rstrip('/')}/{db}"


#: How long a worker trusts the results version it last read (results.public): a publication shows within it.
RESULTS_VERSION_SECONDS = env.float("RESULTS_VERSION_SECONDS", default=1.0)
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": env("CACHE_URL", default=_redis_db(_REDIS_PY_URL, env.int("CACHE_REDIS_DB", default=1))),
        "KEY_PREFIX": env("CACHE_KEY_PREFIX", default="esaylov"),
    }
}

CELERY_BROKER_URL = env("CELERY_BROKER_URL", default=REDIS_URL)
CELERY_RESULT_BACKEND = None  # results and progress live in PostgreSQL rows
CELERY_TASK_DEFAULT_QUEUE = env("CELERY_QUEUE", default="esaylov")
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_ALWAYS_EAGER = False
# Every task is stopped after a while: the soft limit raises SoftTimeLimitExceeded inside it (it can
# record the failure), the hard limit kills the worker process (prefork pool). The long tasks (voter
# imports, exports, the duplicate scan, signature checks) have their own LONG_TASK_* limits.
CELERY_TASK_SOFT_TIME_LIMIT = env.int("CELERY_TASK_SOFT_TIME_LIMIT", default=300)
CELERY_TASK_TIME_LIMIT = env.int("CELERY_TASK_TIME_LIMIT", default=360)
LONG_TASK_SOFT_TIME_LIMIT = env.int("LONG_TASK_SOFT_TIME_LIMIT", default=3000)
LONG_TASK_TIME_LIMIT = env.int("LONG_TASK_TIME_LIMIT", default=3300)
for _soft, _hard in [
    ("CELERY_TASK_SOFT_TIME_LIMIT", "CELERY_TASK_TIME_LIMIT"),
    ("LONG_TASK_SOFT_TIME_LIMIT", "LONG_TASK_TIME_LIMIT"),
]:
    if not 0 < vars()[_soft] < vars()[_hard]:
        raise environ.ImproperlyConfigured(f"{_soft} must be positive and less than {_hard}.")
# Redis hands an unacknowledged (acks_late) task to another worker after visibility_timeout: never while
# the first may still be running it.
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": max(3600, LONG_TASK_TIME_LIMIT + 300)}
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TIMEZONE = "Asia/Tashkent"
CELERY_BEAT_SCHEDULE = {
    "retry-failed-notifications": {
        "task": "core.tasks.notifications_retry_pending",
        "schedule": 300.0,
    },
}

# ---------------------------------------------------------------------------
# Authentication, 2FA, lockout, object permissions
# ---------------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    "guardian.backends.ObjectPermissionBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "landing"  # each role's own starting page (esaylov.navigation.landing)
LOGOUT_REDIRECT_URL = "home"
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = env.float("AXES_COOLOFF_HOURS", default=0.5)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_CLIENT_IP_CALLABLE = "core.ratelimit.client_ip"  # the one client-address rule (BEHIND_PROXY, PROXY_COUNT)
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked.html"
AXES_VERBOSE = False
OTP_TOTP_ISSUER = "E-saylov"
GUARDIAN_RAISE_403 = True
ANONYMOUS_USER_NAME = None  # guardian: no anonymous user row

# ---------------------------------------------------------------------------
# Internationalisation: Uzbek Latin (default), Uzbek Cyrillic, Russian, English
# ---------------------------------------------------------------------------
LANGUAGE_CODE = "uz"
LANGUAGES = [
    ("uz", "Oʻzbekcha"),
    ("uz-cyrl", "Ўзбекча"),
    ("ru", "Русский"),
    ("en", "English"),
]
LOCALE_PATHS = [BASE_DIR / "locale"]
# One date and one date-time format per language, in its own order and script (esaylov/formats/<locale>/formats.py)
FORMAT_MODULE_PATH = "esaylov.formats"
USE_I18N = True
USE_TZ = True
TIME_ZONE = "Asia/Tashkent"

# ---------------------------------------------------------------------------
# Static and media files (served locally: no CDN)
# ---------------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = Path(env("STATIC_ROOT", default=str(BASE_DIR / "var" / "static")))
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # WhiteNoise warns about a missing root
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": env("STATICFILES_BACKEND", default="whitenoise.storage.CompressedManifestStaticFilesStorage")},
}
# Uploaded documents live outside the web root and are served only through views
# that check permissions; there is deliberately no MEDIA_URL route.
MEDIA_ROOT = Path(env("MEDIA_ROOT", default=str(BASE_DIR / "var" / "media")))
WHITENOISE_USE_FINDERS = DEBUG

# ---------------------------------------------------------------------------
# Email and notifications
# ---------------------------------------------------------------------------
EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="E-saylov <noreply@esaylov.local>")
SMS_BACKEND = env("SMS_BACKEND", default="core.sms.LogSmsBackend")
# Seconds each blocking call to the mail server / SMS gateway may wait (connect, every read).
EMAIL_TIMEOUT = env.float("EMAIL_TIMEOUT", default=10)
SMS_TIMEOUT = env.float("SMS_TIMEOUT", default=10)
# A message still "sending" after this many seconds lost its worker mid-send (the send task's hard time
# limit is shorter): the beat's retry marks it failed and sends it again.
NOTIFICATION_SENDING_STALE_AFTER = env.int("NOTIFICATION_SENDING_STALE_AFTER", default=CELERY_TASK_TIME_LIMIT + 60)

# ---------------------------------------------------------------------------
# Django REST framework and OpenAPI
# ---------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        "core.api.authentication.TokenAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["core.api.permissions.IsVerifiedUser"],
    # JSON only: DRF's browsable HTML renderer draws forms and filter <select>s from whole tables
    # (every voter, nomination or journalist a related field could point at), whatever the caller's
    # scope. The API is documented and tried out at /api/docs/.
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_FILTER_BACKENDS": ["core.api.filters.IdFilterBackend"],  # related ids as numbers: no existence probe
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "core.api.exceptions.exception_handler",
    # keyed on core.ratelimit.client_ip (BEHIND_PROXY, PROXY_COUNT), like every other limit
    "DEFAULT_THROTTLE_CLASSES": ["core.api.throttling.ClientAnonRateThrottle", "core.api.throttling.ClientUserRateThrottle"],
    "DEFAULT_THROTTLE_RATES": {"anon": "120/min", "user": "2000/min"},
}
SPECTACULAR_SETTINGS = {
    "TITLE": "E-saylov API",
    "DESCRIPTION": "Election administration: geography, elections, commissions, voter list, candidates, observers, media.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    # every operation also documents the error answers it can give, in the API's one error shape
    "POSTPROCESSING_HOOKS": ["drf_spectacular.hooks.postprocess_schema_enums", "core.api.schema.add_error_responses"],
    "ENUM_NAME_OVERRIDES": {
        "WorkflowStatusEnum": "core.workflow.State",
        "NominationActionEnum": "candidates.api.serializers.NOMINATION_ACTIONS",
        "ObjectionActionEnum": "candidates.api.serializers.OBJECTION_ACTIONS",
        # observer and media accreditations share the application workflow's actions
        "AccreditationActionEnum": "observers.api.serializers.OBSERVER_ACTIONS",
    },
}

# ---------------------------------------------------------------------------
# Security (production values come from the environment)
# ---------------------------------------------------------------------------
SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=False)
CSRF_COOKIE_SECURE = env.bool("CSRF_COOKIE_SECURE", default=False)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE", default=8 * 3600)
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=False)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=False)
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=False)
BEHIND_PROXY = env.bool("BEHIND_PROXY", default=False)
PROXY_COUNT = env.int("PROXY_COUNT", default=1)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if BEHIND_PROXY else None
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Scripts only from this origin: no inline script, no eval (core.middleware). Inline *styles* are
# allowed (a few style attributes; htmx adds its indicator style); data: images for icons.
CONTENT_SECURITY_POLICY = env.str(
    "CONTENT_SECURITY_POLICY",
    default="default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; "
    "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; "
    "frame-ancestors 'none'",
)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
    "loggers": {"axes": {"level": "WARNING"}},
}

# Demo accounts (seed_demo) share one documented password and TOTP key: never in production.
DEMO_SEED_ALLOWED = DEBUG or env.bool("DEMO_SEED_ALLOWED", default=False)
DEMO_PASSWORD = env("DEMO_PASSWORD", default="Saylov-2026-demo")
DEMO_TOTP_KEY = env("DEMO_TOTP_KEY", default="3132333435363738393031323334353637383930")  # hex, RFC 6238 test key

# Django ships no language entry for Uzbek Cyrillic; register it for the switcher.
from django.conf.locale import LANG_INFO  # noqa: E402

LANG_INFO.setdefault("uz-cyrl", {"bidi": False, "code": "uz-cyrl", "name": "Uzbek (Cyrillic)", "name_local": "Ўзбекча"})

# Voter list
VOTER_IMPORT_MAX_BYTES = env.int("VOTER_IMPORT_MAX_BYTES", default=2 * 2**30)
# CSV rows are checked set-based in PostgreSQL, with Python for the rows SQL does not accept
# (voters/imports/fastpath.py); 0 checks every row in Python (slower, the same result).
VOTER_IMPORT_SQL_CHECKS = env.bool("VOTER_IMPORT_SQL_CHECKS", default=True)
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 2**20
FILE_UPLOAD_MAX_MEMORY_SIZE = 10 * 2**20
CELERY_BEAT_SCHEDULE["resume-orphaned-imports"] = {"task": "voters.tasks.voter_imports_resume", "schedule": 60.0}

# Public services (no login): limits per client and for the whole site; RATE_LIMITS_ENABLED=0 lifts them
# (benchmarks only).
RATE_LIMITS_ENABLED = env.bool("RATE_LIMITS_ENABLED", default=True)
PUBLIC_LOOKUP_RATE_PER_CLIENT = env("PUBLIC_LOOKUP_RATE_PER_CLIENT", default="10/m")
PUBLIC_LOOKUP_RATE_TOTAL = env("PUBLIC_LOOKUP_RATE_TOTAL", default="2000/s")
# Badge and press-card verification (/verify/<token>/ and its photo), per client: tokens cannot be guessed.
CREDENTIAL_VERIFY_RATE_PER_CLIENT = env("CREDENTIAL_VERIFY_RATE_PER_CLIENT", default="20/m")
CREDENTIAL_PHOTO_RATE_PER_CLIENT = env("CREDENTIAL_PHOTO_RATE_PER_CLIENT", default="60/m")
SIGNATURE_UPLOAD_MAX_BYTES = env.int("SIGNATURE_UPLOAD_MAX_BYTES", default=50 * 2**20)
