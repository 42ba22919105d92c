"""Settings for Integration Hub, read from the environment (django-environ).

Development and production differ only by environment values; .env.example lists
every variable. Without DATABASE_URL the app uses a SQLite file; without
REDIS_URL Celery runs tasks eagerly in the web process.
"""

from datetime import timedelta
from pathlib import Path

import environ
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env")

DEBUG = env.bool("DEBUG", default=False)

SECRET_KEY = env("SECRET_KEY", default="")
if not SECRET_KEY:
    if not DEBUG:
        # Fail loudly: a production deploy without a secret must not start.
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")
    SECRET_KEY = "insecure-development-key-never-use-in-production"  # noqa: S105

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"] if DEBUG else [])
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
    "crispy_forms",
    "crispy_bootstrap5",
    "django_filters",
    "django_htmx",
    "django_celery_beat",
    "rest_framework",
    "drf_spectacular",
    "axes",
    "simple_history",
    "csp",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "integration_hub",
    "assessments",
    "stakeholders",
    "initiatives",
    "evaluations",
    "plans",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Early, so every response gets the policy, lockout pages included.
    "csp.middleware.CSPMiddleware",
    # Before anything reads the session or the database: NUL in a request is a 400.
    "integration_hub.inputs.NulRefusalMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "integration_hub.middleware.CurrentOrganizationMiddleware",
    # After the organisation is known: a code before anything else, set-up where an org requires it.
    "integration_hub.two_factor.TwoFactorMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, so a lockout answers before any view runs.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "integration_hub.urls"
WSGI_APPLICATION = "integration_hub.wsgi.application"

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
                "integration_hub.context_processors.current_organization",
            ],
        },
    },
]

DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
# A kept connection is checked before its first use in each request: after a database restart
# the request reconnects instead of answering 500 ("server closed the connection unexpectedly").
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "integration_hub.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
PASSWORD_RESET_TIMEOUT = 60 * 60 * 24 * 3  # three days: invitations use the same tokens

# django-axes: lock a username+address pair after repeated failures.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
# The login form posts the email as "username" (AuthenticationForm), not as USERNAME_FIELD.
AXES_USERNAME_FORM_FIELD = "username"
AXES_USERNAME_CALLABLE = "integration_hub.models.axes_username"
AXES_RESET_ON_SUCCESS = True
# Keep failed attempts only (needed for lockouts), not a log of every login and its address.
AXES_DISABLE_ACCESS_LOG = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_IPWARE_PROXY_COUNT = env.int("AXES_PROXY_COUNT", default=0)
# One reading of the client's address for the lockout and every throttle (axes' own default reads
# REMOTE_ADDR only, which behind a proxy would lock everyone out together).
AXES_CLIENT_IP_CALLABLE = "integration_hub.throttling.client_address"

# --- Doors: password reset and API key throttles (integration_hub/throttling.py) ---
# Emails per address and per client address per hour; beyond them the page answers as usual, sends nothing.
PASSWORD_RESET_EMAILS_PER_ADDRESS = env.int("PASSWORD_RESET_EMAILS_PER_ADDRESS", default=3)
PASSWORD_RESET_EMAILS_PER_IP = env.int("PASSWORD_RESET_EMAILS_PER_IP", default=10)
# Failed `Authorization: Token` attempts per client address per 10 minutes, then 429.
API_KEY_FAILURES_PER_IP = env.int("API_KEY_FAILURES_PER_IP", default=20)
# --- end doors throttles ---

# --- Doors: two-factor sign-in (django-otp; integration_hub/two_factor.py) ---
OTP_TOTP_ISSUER = "Integration Hub"
# Wrong codes lock the code step like axes locks the password step; django-otp's own
# growing per-device delay would refuse a right code typed just after a typo, so it is off.
OTP_TOTP_THROTTLE_FACTOR = 0
OTP_STATIC_THROTTLE_FACTOR = 0
TWO_FACTOR_FAILURE_LIMIT = env.int("TWO_FACTOR_FAILURE_LIMIT", default=5)
TWO_FACTOR_LOCKOUT_MINUTES = 15
TWO_FACTOR_RECOVERY_CODES = 10
# --- end doors two-factor ---

LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English"), ("es", "Español")]
LOCALE_PATHS = [BASE_DIR / "locale"]
# US Spanish numbers (1,500.50), see integration_hub/formats/es/formats.py.
FORMAT_MODULE_PATH = ["integration_hub.formats"]
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
# Tests render templates with DEBUG off but without collectstatic.
WHITENOISE_MANIFEST_STRICT = False

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# Email: console in development, any backend by URL in production.
EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="Integration Hub <no-reply@integration-hub.local>")
SITE_URL = env("SITE_URL", default="http://127.0.0.1:8000")

# Redis is optional: without it, tasks run eagerly and the cache is in-process. Both cache backends
# are django-redis's and Django's in-process one, plus a windowed counter for the survey rate limit
# (integration_hub/cache.py).
REDIS_URL = env("REDIS_URL", default="")
# Short socket timeouts: a Redis that is down or hung costs a request a fraction of a second
# (the survey's rate limit then counts in the process), not redis-py's default of no limit.
CACHE_SOCKET_TIMEOUT = env.float("CACHE_SOCKET_TIMEOUT", default=0.5)
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "integration_hub.cache.RedisCache",
            "LOCATION": REDIS_URL,
            "OPTIONS": {"SOCKET_CONNECT_TIMEOUT": CACHE_SOCKET_TIMEOUT, "SOCKET_TIMEOUT": CACHE_SOCKET_TIMEOUT},
        }
    }
    CELERY_BROKER_URL = REDIS_URL
    CELERY_RESULT_BACKEND = REDIS_URL
    CELERY_TASK_ALWAYS_EAGER = False
else:
    CACHES = {"default": {"BACKEND": "integration_hub.cache.LocMemCache"}}
    CELERY_BROKER_URL = "memory://"
    CELERY_RESULT_BACKEND = "cache+memory://"
    CELERY_TASK_ALWAYS_EAGER = True
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# "Never lost" with a worker host SIGKILLed (no warm shutdown): acks_late keeps a task's message
# on the broker until it has run, reject_on_worker_lost gives it back when a pool process dies,
# and Redis hands an unacknowledged message to another worker after the visibility timeout. The
# timeout must outlast the longest countdown a task waits for (send_reminder's backoff, at most
# 600 s plus jitter), or Redis would hand a waiting retry to a second worker; the reminder sweep
# re-enqueues a lost send after REMINDER_REQUEUE_MINUTES anyway, and a second delivery finds the
# row locked, handed off or sent (evaluations/services.reminder_send).
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": env.int("CELERY_VISIBILITY_TIMEOUT", default=3600)}
# A worker that loses the broker connection cancels what it runs (the message goes back to the
# queue) instead of finishing it unacknowledged; retries on start-up survive a broker restart.
CELERY_WORKER_CANCEL_LONG_RUNNING_TASKS_ON_CONNECTION_LOSS = True
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TIMEZONE = TIME_ZONE
# A pending reminder enqueued longer ago than this is enqueued again by the sweep (its
# task was lost with a worker); a task's own retries with backoff end well within it.
REMINDER_REQUEUE_MINUTES = env.int("REMINDER_REQUEUE_MINUTES", default=20)
# Background jobs (integration_hub/jobs.py): a job running this long with no live run is queued
# again (its worker was lost); made files are kept this many hours.
JOB_STALE_MINUTES = env.int("JOB_STALE_MINUTES", default=30)
JOB_OUTPUT_HOURS = env.int("JOB_OUTPUT_HOURS", default=24)
# A list's CSV export of more rows than this is made by a background job (listing.py); fewer stream at once.
EXPORT_BACKGROUND_ROWS = env.int("EXPORT_BACKGROUND_ROWS", default=5000)
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
CELERY_BEAT_SCHEDULE = {
    "health-check": {"task": "integration_hub.tasks.health_check", "schedule": timedelta(minutes=30)},
    "survey-retention": {"task": "assessments.tasks.retention_run", "schedule": crontab(hour=3, minute=45)},
    "run-due-erasures": {"task": "integration_hub.tasks.run_due_erasures", "schedule": crontab(hour=3, minute=15)},
    "purge-personal-data": {
        "task": "integration_hub.tasks.purge_personal_data",
        "schedule": crontab(hour=3, minute=30),
    },
    "evaluation-schedules-top-up": {
        "task": "evaluations.tasks.schedules_top_up",
        "schedule": crontab(hour=2, minute=30),
    },
    "job-sweep": {"task": "integration_hub.tasks.job_sweep", "schedule": timedelta(minutes=5)},
    "evaluation-reminder-sweep": {
        "task": "evaluations.tasks.reminder_sweep",
        "schedule": timedelta(minutes=env.int("REMINDER_SWEEP_MINUTES", default=5)),
    },
}

# Security: secure defaults whenever DEBUG is off (`check --deploy` stays clean).
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=not DEBUG)
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0 if DEBUG else 60 * 60 * 24 * 30)
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=not DEBUG)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
# Sessions live in the database (every web host sees the same ones); with several web hosts,
# SESSION_STORE=cached_db reads them from the shared Redis cache first and still writes
# them to the database (a Redis flush logs nobody out). A per-process cache would let one
# host read a session another has changed, so cached_db needs REDIS_URL.
SESSION_STORE = env("SESSION_STORE", default="db")
if SESSION_STORE not in ("db", "cached_db") or (SESSION_STORE == "cached_db" and not REDIS_URL):
    raise ImproperlyConfigured("SESSION_STORE is db or cached_db; cached_db needs REDIS_URL.")
SESSION_ENGINE = f"django.contrib.sessions.backends.{SESSION_STORE}"

# --- Doors: Content-Security-Policy (django-csp) ---
# No inline script or style anywhere: pages load their JS and CSS from static/ only.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
        # The public survey's service worker (assessments.views.SurveyWorkerView), from the site only.
        "worker-src": ["'self'"],
    }
}
# --- end doors CSP ---

SILENCED_SYSTEM_CHECKS = env.list("SILENCED_SYSTEM_CHECKS", default=[])

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
    "loggers": {
        # Request bodies are never logged; this keeps Django's 4xx noise down too.
        "django.request": {"level": "ERROR"},
        # WeasyPrint reports each step of every PDF (and of its own stylesheets, at import) at INFO.
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["integration_hub.api_auth.MemberTokenAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["integration_hub.api_auth.RoleLevel"],
    "DEFAULT_PAGINATION_CLASS": "integration_hub.api_auth.PageNumberPagination",
    "DEFAULT_PARSER_CLASSES": [
        "integration_hub.api_auth.JSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "PAGE_SIZE": 50,
    "DEFAULT_FILTER_BACKENDS": [
        "integration_hub.api_auth.FilterBackend",
        "integration_hub.api_auth.SearchFilter",
        "rest_framework.filters.OrderingFilter",
    ],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_THROTTLE_CLASSES": ["rest_framework.throttling.UserRateThrottle"],
    "DEFAULT_THROTTLE_RATES": {"user": "2000/hour"},
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Integration Hub API",
    "DESCRIPTION": "Read and write your organisation's initiatives, indicators, measurements and reviews; "
    "read its needs and stakeholders. Authenticate with `Authorization: Token <key>` (a member's key).",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "integration_hub.api_schema.add_error_responses",
    ],
    # Need priority and stakeholder influence share the values 1/2/3 = high/medium/low.
    "ENUM_NAME_OVERRIDES": {
        "HighMediumLowEnum": "assessments.models.Need.Priority",
        "CommunitySideEnum": "integration_hub.choices.CommunitySide",
    },
}

# The history of a deleted record (every version of it, and who changed it) is kept this many
# days after the deletion, then deleted by a daily task (services.personal_data_purge).
DELETED_HISTORY_DAYS = env.int("DELETED_HISTORY_DAYS", default=30)

# Public survey: submissions accepted per link per minute (a cache counter, nobody identified).
SURVEY_SUBMISSIONS_PER_MINUTE = env.int("SURVEY_SUBMISSIONS_PER_MINUTE", default=30)
# Invalid survey posts accepted from one address per minute before it gets 429 (counted under a
# hash that changes every minute and expires with it; never stored in the database).
SURVEY_INVALID_POSTS_PER_MINUTE = env.int("SURVEY_INVALID_POSTS_PER_MINUTE", default=60)
# Kiosk mode: seconds the thank-you page shows before a fresh form for the next person.
SURVEY_KIOSK_COUNTDOWN_SECONDS = env.int("SURVEY_KIOSK_COUNTDOWN_SECONDS", default=10)
# Wrong plan-endorsement links from one address in ten minutes before it is told to wait.
ENDORSEMENT_WRONG_LINKS_PER_IP = env.int("ENDORSEMENT_WRONG_LINKS_PER_IP", default=20)
# Wrong public-page links from one address in ten minutes before it is told to wait.
PUBLIC_PAGE_WRONG_LINKS_PER_IP = env.int("PUBLIC_PAGE_WRONG_LINKS_PER_IP", default=20)
# Who may frame a plan's public page (its embed view only): any site by default, since the
# page is public anyway; set e.g. "https://www.example.org" to allow only the affiliate's own.
PUBLIC_PAGE_FRAME_ANCESTORS = env.list("PUBLIC_PAGE_FRAME_ANCESTORS", default=["*"])

# Pagination size for every list page.
PAGE_SIZE = 25
# Names shown in each cell of the influence × stance grid (the rest: a link to the filtered list).
STANCE_GRID_NAMES = 8
# Rows a summary page (board dashboard, report, needs board, evaluation overview) lists before
# "and N more" links to the full, paginated list.
SUMMARY_ROWS = 10
