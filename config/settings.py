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

from config.storage import storages_from_url

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
    "accounts.apps.OfficeAdminConfig",  # django.contrib.admin with the office's site
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "simple_history",
    "import_export",
    "axes",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "allauth.socialaccount",
    "allauth.socialaccount.providers.openid_connect",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "accounts",
    "privacy_register",
    "consents",
    "requests_desk",
    "audit_exports",
    "self_service",
    "subject_rights",
    "connectors",
    "breaches",
    "django_prometheus",
    "api",
]

MIDDLEWARE = [
    "django_prometheus.middleware.PrometheusBeforeMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Staff pages (the admin, the desk) only after the second factor when STAFF_MFA_REQUIRED.
    "accounts.middleware.SecondFactorMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "csp.middleware.CSPMiddleware",
    "accounts.errors.OwnErrorPagesMiddleware",
    # Last, as django-axes asks: it turns a locked-out login into the lockout page.
    "axes.middleware.AxesMiddleware",
    "django_prometheus.middleware.PrometheusAfterMiddleware",
]

ROOT_URLCONF = "config.urls"
CSRF_FAILURE_VIEW = "accounts.errors.csrf_failure"
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
    # Then the ceiling per account across addresses, which slows and then locks.
    "accounts.backends.AccountCeilingBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AXES_FAILURE_LIMIT = env.int("LOGIN_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("LOGIN_COOLOFF_MINUTES", default=15))
# Lock the pair (user name, address): a stranger guessing one name cannot lock out the office.
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "accounts.views.locked_out"
# An attempt refused while locked or slowed had its password never checked: not a guess, so it
# neither counts as a failure nor moves the end of the cool-off (accounts.backends).
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_VERBOSE = False
# The proxies in front of gunicorn (README, "Behind a proxy"): each appends the address it saw
# to X-Forwarded-For, so the client is the TRUSTED_PROXY_COUNT-th address from the right; what a
# client writes there itself stays to the left and is ignored. 0: no proxy, REMOTE_ADDR.
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)
AXES_CLIENT_IP_CALLABLE = "accounts.client_address.client_address"
ALLAUTH_TRUSTED_PROXY_COUNT = TRUSTED_PROXY_COUNT
# The ceiling per account, whatever the addresses: after ACCOUNT_SLOW_AFTER failures within the
# cool-off time each next attempt waits twice as long as the one before (from 2 seconds); after
# ACCOUNT_LOCK_AFTER the account is locked until the cool-off ends or an officer unlocks it.
ACCOUNT_SLOW_AFTER = env.int("ACCOUNT_SLOW_AFTER", default=10)
# (The waits, 2 + 4 + … + 2**(LOCK-SLOW) seconds, must fit in the cool-off: 62 s with these.)
ACCOUNT_LOCK_AFTER = env.int("ACCOUNT_LOCK_AFTER", default=15)

# --- Second factor (django-allauth: account and mfa) ---------------------------------------
# Staff must enrol a second factor at first sign-in and use it at every sign-in. Off in a DEBUG
# run (the demo users of `make run`), on in production; tests turn it on where they test it.
STAFF_MFA_REQUIRED = env.bool("STAFF_MFA_REQUIRED", default=not DEBUG)
ACCOUNT_LOGIN_METHODS = {"username"}
ACCOUNT_SIGNUP_FIELDS = ["username*", "password1*"]
ACCOUNT_EMAIL_VERIFICATION = "none"
ACCOUNT_ADAPTER = "accounts.adapters.AccountAdapter"
ACCOUNT_FORMS = {"login": "accounts.forms.LoginForm"}
ACCOUNT_SESSION_REMEMBER = False
ACCOUNT_LOGOUT_ON_GET = False
# The sign-in page answers a signed-in user too (to sign in as someone else on a shared desk).
ACCOUNT_AUTHENTICATED_LOGIN_REDIRECTS = False
# django-axes throttles the sign-in; allauth's own limit on it would only muddle the message.
ACCOUNT_RATE_LIMITS = {"login_failed": False}
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes", "webauthn"]
MFA_PASSKEY_LOGIN_ENABLED = False
MFA_TOTP_ISSUER = env("MFA_TOTP_ISSUER", default="Rezulto Privacy Office")
MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN = DEBUG

# --- Single sign-on (OpenID Connect), off unless OIDC_SERVER_URL is set (README, "Single
# sign-on"). The office's provider (Entra ID, Google, Keycloak) signs users in; their groups map
# to our roles by OIDC_GROUP_ROLES, a JSON object {"group id or name": "Privacy officer", …}.
OIDC_SERVER_URL = env("OIDC_SERVER_URL", default="")  # the issuer; discovery is read from it
OIDC_PROVIDER_ID = env("OIDC_PROVIDER_ID", default="office")
OIDC_PROVIDER_NAME = env("OIDC_PROVIDER_NAME", default="Kantooraccount")
OIDC_CLIENT_ID = env("OIDC_CLIENT_ID", default="")
OIDC_CLIENT_SECRET = env("OIDC_CLIENT_SECRET", default="")
OIDC_SCOPES = env.list("OIDC_SCOPES", default=["openid", "profile", "email", "groups"])
OIDC_GROUPS_CLAIM = env("OIDC_GROUPS_CLAIM", default="groups")
OIDC_GROUP_ROLES = env.json("OIDC_GROUP_ROLES", default={})
# Off: an SSO user's local password is made unusable at each SSO sign-in (only SSO signs in).
OIDC_LOCAL_PASSWORDS = env.bool("OIDC_LOCAL_PASSWORDS", default=True)
# The office's provider enforces its own second factor: an SSO sign-in counts as one here.
OIDC_COUNTS_AS_SECOND_FACTOR = env.bool("OIDC_COUNTS_AS_SECOND_FACTOR", default=True)
SOCIALACCOUNT_ADAPTER = "accounts.sso.SocialAccountAdapter"
SOCIALACCOUNT_AUTO_SIGNUP = True
SOCIALACCOUNT_EMAIL_AUTHENTICATION = False  # an e-mail address never links to a local account
SOCIALACCOUNT_STORE_TOKENS = False

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
# Every file goes through a named storage (config/storage.py: "default", "exports", "packages",
# "uploads", "letters" and the ledger's "ledger"): folders under MEDIA_ROOT by default, a private
# S3 bucket with STORAGE_URL=s3://bucket/prefix?…
STORAGE_URL = env("STORAGE_URL", default="file://")
# How long a presigned URL to a file in the object store works, in seconds.
STORAGE_URL_MAX_AGE = env.int("STORAGE_URL_MAX_AGE", default=300)
STORAGES = storages_from_url(
    STORAGE_URL,
    static_backend="django.contrib.staticfiles.storage.StaticFilesStorage"
    if DEBUG
    else "whitenoise.storage.CompressedManifestStaticFilesStorage",
    url_max_age=STORAGE_URL_MAX_AGE,
    # The ledger's append-only store outside the database: signed checkpoints and erasures, one
    # object each, never overwritten (consents/anchor.py). In production an object store with
    # object lock (WORM), apart from the database and its backups: LEDGER_STORAGE_URL names its
    # own bucket; without it, a folder of its own (LEDGER_STORE_ROOT, or ledger/ in the bucket).
    ledger_url=env("LEDGER_STORAGE_URL", default=""),
    ledger_root=env.path("LEDGER_STORE_ROOT", default=VAR_DIR / "ledger-store"),
)
# The keys (32 bytes, URL-safe base64, newest first) that encrypt access packages. Every machine
# needs the same keys; without them the embedded default makes one under var/ on first use.
FILE_ENCRYPTION_KEYS = env.list("FILE_ENCRYPTION_KEYS", default=[])
FILE_ENCRYPTION_KEY_FILE = env.path(
    "FILE_ENCRYPTION_KEY_FILE", default=VAR_DIR / "file-encryption.key"
)
MEDIA_ROOT = env.path("MEDIA_ROOT", default=VAR_DIR / "media")

# --- E-mail -----------------------------------------------------------------------------------
vars().update(env.email("EMAIL_URL", default="consolemail://"))
# An SMTP conversation that hangs gives up after this many seconds (the outbox then retries).
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=60)
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
        # Redis: how often a worker looks for the tasks of a lost worker whose visibility
        # timeout has passed, and hands them out again (RabbitMQ redelivers at once instead).
        "unacked_restore_interval": env.int("CELERY_UNACKED_RESTORE_SECONDS", default=60),
        "unacked_restore_throttle": 1,
    }
CELERY_RESULT_BACKEND = env("CELERY_RESULT_BACKEND", default=None)
CELERY_TASK_IGNORE_RESULT = CELERY_RESULT_BACKEND is None
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# One queue by default; a test (or a second office on the same broker) names its own.
CELERY_TASK_DEFAULT_QUEUE = env("CELERY_TASK_DEFAULT_QUEUE", default="celery")
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")
REDBEAT_REDIS_URL = env(
    "REDBEAT_REDIS_URL",
    default=CELERY_BROKER_URL if CELERY_BROKER_URL.startswith(("redis://", "rediss://")) else "",
)
if REDBEAT_REDIS_URL:
    # celery-redbeat (the broker on Redis, or REDBEAT_REDIS_URL beside RabbitMQ): the schedule
    # and a lock live in Redis, so beat may run on several machines at once: one holds the lock
    # and schedules, the others wait and take over within REDBEAT_LOCK_TIMEOUT seconds when it
    # dies. Nothing is scheduled twice.
    CELERY_BEAT_SCHEDULER = "redbeat.RedBeatScheduler"
    CELERY_REDBEAT_REDIS_URL = REDBEAT_REDIS_URL
    CELERY_REDBEAT_KEY_PREFIX = env("REDBEAT_KEY_PREFIX", default="redbeat:")
    CELERY_REDBEAT_LOCK_TIMEOUT = env.int("REDBEAT_LOCK_TIMEOUT", default=30)
    CELERY_BEAT_MAX_LOOP_INTERVAL = 5
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

# --- Health and metrics -------------------------------------------------------------------------
# /health/ fails when no worker has run the heartbeat job for this many seconds.
HEALTH_WORKER_MAX_AGE = env.int("HEALTH_WORKER_MAX_AGE", default=300)
# A dotted path to a callable returning the ledger's last external checkpoint time (or None);
# empty: no such check (the app that keeps checkpoints sets it).
HEALTH_CHECKPOINT_AGE = env("HEALTH_CHECKPOINT_AGE", default="")
HEALTH_CHECKPOINT_MAX_AGE = env.int("HEALTH_CHECKPOINT_MAX_AGE", default=26 * 3600)
# /metrics: staff, or this bearer token (for Prometheus); empty: staff only.
METRICS_TOKEN = env("METRICS_TOKEN", default="")
CELERY_BEAT_SCHEDULE["platform-worker-heartbeat"] = {
    "task": "accounts.tasks.worker_heartbeat",
    "schedule": env.int("HEALTH_HEARTBEAT_SECONDS", default=60),
}

# LOG_FORMAT=json: one JSON object a line (python-json-logger), for a log collector. Messages
# hold no personal data (tests/platform/test_no_personal_data_in_logs.py).
LOG_FORMAT = env("LOG_FORMAT", default="text")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "fmt": "%(asctime)s %(levelname)s %(name)s %(process)d %(message)s",
            "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"},
        },
        "text": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "json" if LOG_FORMAT == "json" else "text",
        }
    },
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
# Queue, then integrate: one recorded event waits, unsequenced, for the sequencer, which a commit
# wakes and beat runs every second, integrating up to CONSENT_SEQUENCER_BATCH events a
# transaction. CONSENT_SEQUENCER_INLINE integrates each event as it is recorded (no worker needed;
# writers then wait for each other on the chain's lock).
CONSENT_SEQUENCER_INLINE = env.bool("CONSENT_SEQUENCER_INLINE", default=False)
CONSENT_SEQUENCER_BATCH = env.int("CONSENT_SEQUENCER_BATCH", default=5000)
CELERY_BEAT_SCHEDULE["consents-ledger-integrate"] = {
    "task": "consents.tasks.ledger_integrate",
    "schedule": 1.0,
}
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
# A lifted restriction (Art. 18(3)) is announced first: it ends this many working days after the
# letter that says so, and a job lifts it on that day.
DESK_RESTRICTION_NOTICE_DAYS = env.int("DESK_RESTRICTION_NOTICE_DAYS", default=5)
# The letterhead of a printed letter (A4, for requesters without e-mail).
DESK_LETTERHEAD = {
    "name": env("LETTERHEAD_NAME", default="Rezulto B.V. · Privacy Office"),
    "address": env("LETTERHEAD_ADDRESS", default="Sarphatipark 25, 1073 CP Amsterdam"),
    "email": env("LETTERHEAD_EMAIL", default="privacy@rezulto.nl"),
    "phone": env("LETTERHEAD_PHONE", default="085 9024886"),
    "website": env("LETTERHEAD_WEBSITE", default="www.rezulto.nl"),
    "kvk": env("LETTERHEAD_KVK", default="84541423"),
}
# Outbox: how often a message is tried before it is marked failed.
DESK_OUTBOX_MAX_ATTEMPTS = env.int("DESK_OUTBOX_MAX_ATTEMPTS", default=5)
# A message marked "sending" for this long was interrupted (its worker died): the sweep sends it
# again with the same Message-ID. Longer than any SMTP conversation (EMAIL_TIMEOUT).
DESK_OUTBOX_SENDING_TIMEOUT_SECONDS = env.int("DESK_OUTBOX_SENDING_TIMEOUT_SECONDS", default=600)
# A system's export uploaded on a request's task (CSV, JSON or PDF): at most this many megabytes.
DESK_TASK_UPLOAD_MAX_MEGABYTES = env.int("DESK_TASK_UPLOAD_MAX_MEGABYTES", default=20)
# The register's systems (their codes) that are this application itself: their tasks are done by
# the access package and the erasure, not by hand.
DESK_OWN_SYSTEMS = env.list("DESK_OWN_SYSTEMS", default=["privacy-office"])
# The office's outbox, by dotted path, for the apps below the desk that mail the team (the
# register's digest): they reach it through this name and never import the desk.
OFFICE_MAIL_QUEUE = "requests_desk.outbox.outbox_queue"
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
# The separator of every CSV export; empty: ";" when the language is Dutch (as Dutch Excel
# expects), else "," (accounts.spreadsheets).
CSV_EXPORT_DELIMITER = env("CSV_EXPORT_DELIMITER", default="")
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
SELF_SERVICE_TRUSTED_PROXIES = env.int("SELF_SERVICE_TRUSTED_PROXIES", default=TRUSTED_PROXY_COUNT)
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
# Hourly: a restriction whose announced lifting day has come is lifted (Art. 18(3)).
CELERY_BEAT_SCHEDULE["rights-lift-due-restrictions"] = {
    "task": "subject_rights.tasks.lift_due_restrictions",
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
# --- api --------------------------------------------------------------------------------------
# The REST API for the company's other systems (/api/v1/, docs/integrators.md).
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["api.access.ApiKeyAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["api.access.HasScope"],
    "DEFAULT_THROTTLE_CLASSES": ["api.access.ClientThrottle"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "EXCEPTION_HANDLER": "api.errors.handler",
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Rezulto Privacy Office API",
    "DESCRIPTION": "Consents, may-we-contact, requests and webhooks; see docs/integrators.md.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "COMPONENT_SPLIT_REQUEST": True,
}
# Calls per client (all its keys together), as "<n>/<second|minute|hour|day>".
API_RATE_LIMIT = env("API_RATE_LIMIT", default="600/min")
# Webhooks: seconds to wait for a receiver, and attempts (with backoff) before a delivery fails.
WEBHOOK_TIMEOUT_SECONDS = env.int("WEBHOOK_TIMEOUT_SECONDS", default=10)
WEBHOOK_MAX_ATTEMPTS = env.int("WEBHOOK_MAX_ATTEMPTS", default=8)
CELERY_BEAT_SCHEDULE["api-webhooks-sweep"] = {"task": "api.tasks.webhooks_sweep", "schedule": 60}
