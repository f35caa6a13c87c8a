"""Settings for Privacy Office, read from the environment (12-factor, django-environ).

The defaults run on one machine with nothing else installed: SQLite, a filesystem broker under
var/, mail to the console. Production sets DEBUG=false, SECRET_KEY, ALLOWED_HOSTS, DATABASE_URL,
CELERY_BROKER_URL and EMAIL_URL; README.md lists every variable.
"""

from datetime import timedelta
from pathlib import Path

import environ
from celery.schedules import crontab
from csp.constants import NONE, SELF

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DEBUG", default=True)

if DEBUG:
    SECRET_KEY = env("SECRET_KEY", default="dev-only-not-secret-" + "x" * 40)
else:
    SECRET_KEY = env("SECRET_KEY")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
# The public address that links in outgoing mail point to (mail is sent by a worker, which has
# no request to take the host from).
SITE_URL = env("SITE_URL", default="http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "simple_history",
    "import_export",
    "axes",
    "accounts",
    "privacy_register",
    "consents",
    "requests_desk",
    "audit_exports",
    "self_service",
    "subject_rights",
    "breaches",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "csp.middleware.CSPMiddleware",
    # Last, as django-axes asks: it turns a locked-out login into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"

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
                "accounts.context_processors.role",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------------
DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The web server, the worker and beat write to one file: wait for locks instead of failing,
    # take the write lock up front, and let readers go on while one process writes.
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
else:
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

CACHES = {"default": env.cache("CACHE_URL", default="dbcache://django_cache")}

# --- Auth -----------------------------------------------------------------------------------
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    # django-axes first: it refuses a login from a locked-out user name and address before the
    # password is even checked.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = env.int("LOGIN_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("LOGIN_COOLOFF_MINUTES", default=15))
# Lock the pair (user name, address): a stranger guessing one name cannot lock out the office.
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "accounts.views.locked_out"
AXES_VERBOSE = False
# Proxies in front of gunicorn set X-Forwarded-For; axes reads the client address from it.
AXES_IPWARE_META_PRECEDENCE_ORDER = ["HTTP_X_FORWARDED_FOR", "REMOTE_ADDR"]

# An idle session ends after SESSION_IDLE_MINUTES (each request renews it) and at browser close:
# a desk left open on a shared counter does not stay logged in.
SESSION_COOKIE_AGE = 60 * env.int("SESSION_IDLE_MINUTES", default=30)
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# --- Internationalisation ---------------------------------------------------------------------
LANGUAGE_CODE = "nl"
LANGUAGES = [("nl", "Nederlands"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Amsterdam"
USE_I18N = True
USE_TZ = True

# --- Static files -----------------------------------------------------------------------------
STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    # The ledger's append-only store outside the database: signed checkpoints and erasures, one
    # object each, never overwritten (consents/anchor.py). In production an object store with
    # object lock (WORM), apart from the database and its backups.
    "ledger": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": env.path("LEDGER_STORE_ROOT", default=VAR_DIR / "ledger-store")},
    },
    # Files that come in: the attachments of mail to the privacy mailbox (requests_desk.inbound).
    "uploads": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": env.path("UPLOADS_ROOT", default=VAR_DIR / "uploads")},
    },
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
MEDIA_ROOT = env.path("MEDIA_ROOT", default=VAR_DIR / "media")

# --- E-mail -----------------------------------------------------------------------------------
vars().update(env.email("EMAIL_URL", default="consolemail://"))
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="Rezulto Privacy <privacy@rezulto.nl>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- Celery -----------------------------------------------------------------------------------
CELERY_BROKER_URL = env("CELERY_BROKER_URL", default="filesystem://")
if CELERY_BROKER_URL.startswith("filesystem://"):
    # kombu's filesystem transport: a queue is a folder, so the embedded default needs no server.
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(VAR_DIR / "celery" / "queue"),
        "data_folder_out": str(VAR_DIR / "celery" / "queue"),
        "control_folder": str(VAR_DIR / "celery" / "control"),
        "store_processed": False,
    }
    for folder in ("queue", "control"):
        (VAR_DIR / "celery" / folder).mkdir(parents=True, exist_ok=True)
else:
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        # Longer than the longest task, so a task acknowledged late is not handed out twice.
        "visibility_timeout": env.int("CELERY_VISIBILITY_TIMEOUT", default=4 * 3600),
    }
CELERY_RESULT_BACKEND = env("CELERY_RESULT_BACKEND", default=None)
CELERY_TASK_IGNORE_RESULT = CELERY_RESULT_BACKEND is None
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")
# Each app adds its periodic jobs here, in its own block.
CELERY_BEAT_SCHEDULE: dict = {}

# --- Production hardening (DEBUG off) --------------------------------------------------------
if not DEBUG:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
# Content-Security-Policy (django-csp): scripts, styles, fonts and images from this site only; no
# inline script anywhere, so a stored-XSS payload that slipped through escaping would not run.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [NONE],
        "object-src": [NONE],
    }
}
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
}

# --- privacy_register -------------------------------------------------------------------------
# (settings of the register go here)


# --- consents ---------------------------------------------------------------------------------
# The key of the HMAC that stays of an erased person's e-mail address. Set it once and keep it:
# a new key makes the old hashes unrecognisable (an erased person's opt-out would be forgotten).
CONSENT_HASH_KEY = env("CONSENT_HASH_KEY", default=SECRET_KEY)
# The ledger's keys live outside the database (consents/ledger_keys.py): the HMAC key that chains
# the events, and the Ed25519 private key (32 bytes, base64) that signs the checkpoints. Unset,
# each is generated once into a file under var/keys/ (and the log says so). Retired keys still
# verify what they signed: ledger keys as text, checkpoint public keys as base64.
CONSENT_LEDGER_KEY = env("CONSENT_LEDGER_KEY", default="")
CONSENT_LEDGER_KEY_FILE = env.path(
    "CONSENT_LEDGER_KEY_FILE", default=VAR_DIR / "keys" / "ledger.key"
)
CONSENT_LEDGER_RETIRED_KEYS = env.list("CONSENT_LEDGER_RETIRED_KEYS", default=[])
CONSENT_CHECKPOINT_KEY = env("CONSENT_CHECKPOINT_KEY", default="")
CONSENT_CHECKPOINT_KEY_FILE = env.path(
    "CONSENT_CHECKPOINT_KEY_FILE", default=VAR_DIR / "keys" / "checkpoint.key"
)
CONSENT_CHECKPOINT_RETIRED_PUBLIC_KEYS = env.list(
    "CONSENT_CHECKPOINT_RETIRED_PUBLIC_KEYS", default=[]
)
# Beat signs a checkpoint of the ledger's tree this often (when it grew) and writes it outside
# the database: events deleted from the end are found up to the last checkpoint before it.
CONSENT_CHECKPOINT_SECONDS = env.int("CONSENT_CHECKPOINT_SECONDS", default=60)
CELERY_BEAT_SCHEDULE["consents-ledger-checkpoint"] = {
    "task": "consents.tasks.ledger_checkpoint",
    "schedule": CONSENT_CHECKPOINT_SECONDS,
}
# How long the unsubscribe link in a marketing mail keeps working (RFC 8058); a year by default.
UNSUBSCRIBE_LINK_MAX_AGE = env.int("UNSUBSCRIBE_LINK_MAX_AGE", default=365 * 24 * 3600)
# Imports (django-import-export) run in one transaction: a bad row and nothing is written.
IMPORT_EXPORT_USE_TRANSACTIONS = True
IMPORT_EXPORT_IMPORT_PERMISSION_CODE = "add"
# The largest opt-in list the admin accepts (CSV or XLSX); a million rows of CSV is about 60 MB.
IMPORT_MAX_MEGABYTES = env.int("IMPORT_MAX_MEGABYTES", default=20)


# --- requests_desk ----------------------------------------------------------------------------
# Reminders go this many working days before the target date and before the statutory date.
DESK_REMINDER_WORKING_DAYS = env.int("DESK_REMINDER_WORKING_DAYS", default=3)
# A request whose statutory deadline is this close (working days) and still open is escalated.
DESK_ESCALATION_WORKING_DAYS = env.int("DESK_ESCALATION_WORKING_DAYS", default=2)
# A requester who never confirms their identity: the request is closed after this many days.
DESK_IDENTITY_TIMEOUT_DAYS = env.int("DESK_IDENTITY_TIMEOUT_DAYS", default=21)
# Outbox: how often a message is tried before it is marked failed.
DESK_OUTBOX_MAX_ATTEMPTS = env.int("DESK_OUTBOX_MAX_ATTEMPTS", default=5)
# The office's outbox, by dotted path, for the apps below the desk that mail the team (the
# register's digest): they reach it through this name and never import the desk.
OFFICE_MAIL_QUEUE = "requests_desk.outbox.outbox_queue"
# The privacy mailbox (info@…) that requests arrive in, read over IMAP (requests_desk.mailbox).
# Unset host: no polling. The password comes from the environment only.
DESK_IMAP_HOST = env("DESK_IMAP_HOST", default="")
DESK_IMAP_PORT = env.int("DESK_IMAP_PORT", default=993)
DESK_IMAP_SSL = env.bool("DESK_IMAP_SSL", default=True)
DESK_IMAP_USER = env("DESK_IMAP_USER", default="")
DESK_IMAP_PASSWORD = env("DESK_IMAP_PASSWORD", default="")
DESK_IMAP_FOLDER = env("DESK_IMAP_FOLDER", default="INBOX")
DESK_IMAP_POLL_SECONDS = env.int("DESK_IMAP_POLL_SECONDS", default=120)
# Attachments kept with a request: at most this large, and only these types (checked by content).
DESK_ATTACHMENT_MAX_BYTES = env.int("DESK_ATTACHMENT_MAX_BYTES", default=10 * 1024 * 1024)
DESK_ATTACHMENT_TYPES = env.list(
    "DESK_ATTACHMENT_TYPES",
    default=["application/pdf", "image/jpeg", "image/png", "text/plain"],
)
if DESK_IMAP_HOST:
    CELERY_BEAT_SCHEDULE["desk-mailbox-poll"] = {
        "task": "requests_desk.tasks.mailbox_poll",
        "schedule": DESK_IMAP_POLL_SECONDS,
    }
# Beat runs once, in Europe/Amsterdam (CELERY_TIMEZONE follows TIME_ZONE).
CELERY_BEAT_SCHEDULE.update(
    {
        "desk-outbox-sweep": {"task": "requests_desk.tasks.outbox_sweep", "schedule": 300},
        "desk-close-out": {"task": "requests_desk.tasks.close_out", "schedule": 300},
        "desk-reminders": {
            "task": "requests_desk.tasks.reminders",
            "schedule": crontab(minute=0, hour="7-18"),
        },
        "register-digest": {
            "task": "privacy_register.tasks.register_digest",
            "schedule": crontab(minute=0, hour=8, day_of_week="mon-fri"),
        },
        "desk-retention": {
            "task": "requests_desk.tasks.retention",
            "schedule": crontab(minute=0, hour=3),
        },
        "consents-soft-opt-in-expiry": {
            "task": "consents.tasks.soft_opt_in_expiry",
            "schedule": crontab(minute=30, hour=2),
        },
    }
)


# --- auditor exports --------------------------------------------------------------------------
# Up to this many rows an export downloads at once; a larger one runs as a Celery job.
AUDIT_EXPORT_INLINE_MAX_ROWS = env.int("AUDIT_EXPORT_INLINE_MAX_ROWS", default=5000)
# How long an export's file stays downloadable; a beat job deletes it then (the log row stays).
AUDIT_EXPORT_RETENTION_HOURS = env.int("AUDIT_EXPORT_RETENTION_HOURS", default=24)
# The CSV separator; empty: ";" when the language is Dutch (as Dutch Excel expects), else ",".
AUDIT_EXPORT_CSV_DELIMITER = env("AUDIT_EXPORT_CSV_DELIMITER", default="")
# Rows per sheet before an XLSX export goes on in a new sheet (Excel's limit, less the header).
AUDIT_EXPORT_XLSX_MAX_ROWS = 1_048_575
CELERY_BEAT_SCHEDULE["audit-exports-expire"] = {
    "task": "audit_exports.tasks.exports_expire",
    "schedule": 3600,
}


# --- self_service -----------------------------------------------------------------------------
# The public pages at /privacy/: request form with e-mail confirmation, preference centre.
# How long a confirmation link works (and an unconfirmed submission is kept), in seconds.
SELF_SERVICE_CONFIRMATION_MAX_AGE = env.int("SELF_SERVICE_CONFIRMATION_MAX_AGE", default=24 * 3600)
# The page with the reference right after confirming.
SELF_SERVICE_CONFIRMED_PAGE_MAX_AGE = 3600
# The personal preference-centre link (sent on request and in every marketing mail).
SELF_SERVICE_PREFERENCE_LINK_MAX_AGE = env.int(
    "SELF_SERVICE_PREFERENCE_LINK_MAX_AGE", default=90 * 24 * 3600
)
# Absolute links in mail sent without a request (workers); empty: the request's own host.
SELF_SERVICE_BASE_URL = env("SELF_SERVICE_BASE_URL", default="")
# Proxies in front of the web server that append to X-Forwarded-For (0: use REMOTE_ADDR).
SELF_SERVICE_TRUSTED_PROXIES = env.int("SELF_SERVICE_TRUSTED_PROXIES", default=0)
# (attempts, window in seconds) per client address and per e-mail address, per public form.
SELF_SERVICE_RATE_LIMITS = {
    "request_per_ip": (10, 3600),
    "request_per_email": (3, 3600),
    "confirm_per_ip": (20, 3600),
    "preference_link_per_ip": (10, 3600),
    "preference_link_per_email": (3, 3600),
    "preferences_per_ip": (30, 3600),
}
CELERY_BEAT_SCHEDULE["self-service-remove-expired-submissions"] = {
    "task": "self_service.tasks.remove_expired_pending_submissions",
    "schedule": 3600,
}


# --- subject_rights ---------------------------------------------------------------------------
# The access package's download link: how many days it works, and how many downloads it allows.
ACCESS_PACKAGE_DAYS = env.int("ACCESS_PACKAGE_DAYS", default=14)
ACCESS_PACKAGE_MAX_DOWNLOADS = env.int("ACCESS_PACKAGE_MAX_DOWNLOADS", default=3)
# Hourly: the files of expired or used-up access packages are deleted.
CELERY_BEAT_SCHEDULE["rights-remove-expired-packages"] = {
    "task": "subject_rights.tasks.remove_expired_packages",
    "schedule": 3600,
}


# --- breaches ---------------------------------------------------------------------------------
# The 72-hour clock: reminders at 24, 48 and 60 hours, an escalation at 66 (breaches.deadlines).
# The job runs every five minutes, day and night: the clock does not stop at weekends.
CELERY_BEAT_SCHEDULE["breaches-reminders"] = {
    "task": "breaches.tasks.reminders",
    "schedule": 300,
}
# Besides the privacy officers, who else receives the 66-hour escalation (e.g. management).
BREACHES_ESCALATION_TO = env.list("BREACHES_ESCALATION_TO", default=[])
# A notice to the people affected is handed to the workers in batches of this many messages.
BREACHES_NOTICE_BATCH = env.int("BREACHES_NOTICE_BATCH", default=500)
