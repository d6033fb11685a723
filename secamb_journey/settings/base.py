"""Settings for every environment, each input read from the environment through strict helpers.

Development defaults are safe: DEBUG is off unless asked for, and with DEBUG off the app refuses
to start without a SECRET_KEY. `make run` turns DEBUG on for a laptop.
"""

from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from csp.constants import NONE, SELF
from django.apps import apps
from django.core.exceptions import ImproperlyConfigured

from secamb_journey.env import env_bool, env_int, env_list, env_mapping, env_str
from secamb_journey.storage_settings import default_storage_from_environment

BASE_DIR = Path(__file__).resolve().parent.parent.parent

DEBUG = env_bool("DEBUG", False)

SECRET_KEY = env_str("SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY is not set. Set the SECRET_KEY environment variable to a long random string "
            "(for example: python -c 'import secrets; print(secrets.token_urlsafe(50))'), "
            "or set DEBUG=true on a development machine."
        )
    SECRET_KEY = "django-insecure-development-only-key-never-used-with-debug-off"  # noqa: S105 -- DEBUG only

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]"] if DEBUG else [])
if not DEBUG and not ALLOWED_HOSTS:
    raise ImproperlyConfigured(
        "ALLOWED_HOSTS is not set. Set it to the comma-separated host names this site answers to, "
        "for example ALLOWED_HOSTS=improvement.secamb.nhs.uk."
    )
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
    "django.contrib.syndication",
    "crispy_forms",
    "django_filters",
    "simple_history",
    "django_celery_beat",
    "axes",
    "csp",
    # Second factor (TOTP app codes, and one-off backup codes): see secamb_journey/two_factor.py.
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    # Staff single sign-on (OpenID Connect) and leavers: see secamb_journey/accounts/.
    "secamb_journey.accounts",
    "pillars",
    "themes",
    "actions",
    "measures",
    "reports",
    # Last, so that its migration (the roles) can depend on every app's permissions.
    "secamb_journey",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # After a form's write, this process reads the generations afresh (secamb_journey.generations).
    "secamb_journey.generations.ForgetAfterWritesMiddleware",
    # An anonymous reader's public page from the cache, before the session and everything after it
    # (issue 15: the framework's floor). Every header the middleware below adds is stored with the page.
    # A reader who holds a stored page's ETag is answered 304 there, by the function the next one calls.
    "reports.public_cache.PublicPageMiddleware",
    # 304 Not Modified for a public page whose ETag (its generation) the reader holds.
    "django.middleware.http.ConditionalGetMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "secamb_journey.sessions.IdleTimeoutMiddleware",
    "django.middleware.common.CommonMiddleware",
    # Before CsrfViewMiddleware, which would parse (and spool to disk) a body to find its token.
    "secamb_journey.middleware.RequestBodyLimitMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    # After the body limit and CSRF: cleans form fields of characters XML cannot carry (secamb_journey/text.py).
    "secamb_journey.middleware.CleanTextInputMiddleware",
    # Django's; the person's roles and permissions are read once per request (secamb_journey/permissions.py).
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Every response to a signed-in person: Cache-Control: private, no-store (secamb_journey/staff_cache.py).
    "secamb_journey.staff_cache.StaffNoStoreMiddleware",
    # A session begun at the identity provider ends after OIDC_SESSION_MAX_HOURS (so a leaver disabled
    # there loses access the same day), and a deactivated account's session ends at its next request.
    "secamb_journey.accounts.middleware.ProviderSessionLifetimeMiddleware",
    "django_otp.middleware.OTPMiddleware",
    # After OTPMiddleware: a privileged user who has not given their second factor goes to it first.
    "secamb_journey.two_factor.SecondFactorRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "secamb_journey.middleware.PermissionsPolicyMiddleware",
    "csp.middleware.CSPMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as django-axes asks: it turns a lock-out into its response.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "secamb_journey.urls"

# Argon2id first (secamb_journey/hashers.py says why); PBKDF2 second, so every existing hash still
# verifies and is re-hashed with Argon2id at its owner's next sign-in.
PASSWORD_HASHERS = [
    "secamb_journey.hashers.Argon2idPasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]

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
                "secamb_journey.context_processors.roles",
                "secamb_journey.accounts.context_processors.sign_in",
            ],
        },
    },
]

WSGI_APPLICATION = "secamb_journey.wsgi.application"

# SQLite file by default, so a laptop needs no server; PostgreSQL when DATABASE_URL names it.
DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60, minimum=0),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the web app, the Celery worker and beat share the file without "database is locked".
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
    # Persistent connections here too (issue 15): opening a SQLite connection runs the two PRAGMAs
    # above, several milliseconds per request, more than a public page from the cache costs in all.
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # No JIT compilation: the figures' aggregates over 200,000 progress updates cost enough for
    # PostgreSQL to compile them, which took longer than running them (the board's figures: 0.8 s with
    # JIT, 0.5 s without, at 10,000 actions). Short OLTP queries never gain from it.
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c jit=off"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    # Passwords: refused when LOCAL_LOGIN_ENABLED is off, except for BREAK_GLASS_USERNAMES.
    "secamb_journey.accounts.backends.LocalPasswordBackend",
    # The identity provider (OpenID Connect). Only the callback view calls it; listed so that a
    # session it began keeps its user on later requests.
    "secamb_journey.accounts.backends.IdentityProviderBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# --- Staff single sign-on through the trust's identity provider (OpenID Connect) -------------------
# NHSmail or the trust's Entra ID. Off unless OIDC_ISSUER is set; endpoints come from the issuer's
# /.well-known/openid-configuration. mozilla-django-oidc reads the OIDC_RP_*/OIDC_USE_* names.
OIDC_ISSUER = (env_str("OIDC_ISSUER") or "").rstrip("/") or None
OIDC_ENABLED = OIDC_ISSUER is not None
OIDC_RP_CLIENT_ID = env_str("OIDC_CLIENT_ID")
OIDC_RP_CLIENT_SECRET = env_str("OIDC_CLIENT_SECRET")
OIDC_RP_SCOPES = env_str("OIDC_SCOPES", "openid profile email")
OIDC_GROUPS_CLAIM = env_str("OIDC_GROUPS_CLAIM", "groups")
# Provider group -> our role: owner, lead, board, comms or admin (see secamb_journey/accounts/roles.py).
OIDC_ROLE_MAP = env_mapping("OIDC_ROLE_MAP", values={"owner", "lead", "board", "comms", "admin"})
if OIDC_ENABLED:
    _missing = [name for name in ("OIDC_CLIENT_ID", "OIDC_CLIENT_SECRET") if not env_str(name)]
    if _missing:
        raise ImproperlyConfigured(
            f"OIDC_ISSUER is set but {' and '.join(_missing)} {'is' if len(_missing) == 1 else 'are'} not: "
            "set them to the client ID and secret the identity provider gave this app."
        )
    if "openid" not in OIDC_RP_SCOPES.split():
        raise ImproperlyConfigured(f"OIDC_SCOPES={OIDC_RP_SCOPES!r} must include 'openid'.")
    if not OIDC_ISSUER.startswith("https://") and not OIDC_ISSUER.startswith(
        ("http://127.0.0.1:", "http://localhost:", "http://[::1]:")
    ):
        raise ImproperlyConfigured(
            f"OIDC_ISSUER={OIDC_ISSUER!r} must be an https:// address (plain http only on loopback, for tests)."
        )
OIDC_RP_SIGN_ALGO = "RS256"  # ID tokens signed with the provider's key, checked against its JWKS
OIDC_USE_NONCE = True
OIDC_USE_PKCE = True
OIDC_PKCE_CODE_CHALLENGE_METHOD = "S256"
OIDC_STORE_ID_TOKEN = True  # the hint for the provider's end-session endpoint at sign-out
OIDC_TIMEOUT = env_int("OIDC_TIMEOUT_SECONDS", 10, minimum=1)
# Clocks differ between us and the provider: exp, iat and nbf are allowed this much slack.
OIDC_CLOCK_SKEW_SECONDS = env_int("OIDC_CLOCK_SKEW_SECONDS", 120, minimum=0)
# A session begun at the provider lasts at most this long, then the person signs in there again
# (which a leaver disabled at the provider cannot).
OIDC_SESSION_MAX_HOURS = env_int("OIDC_SESSION_MAX_HOURS", 12, minimum=1)
# Accounts from the provider that have not signed in for this many days are deactivated (daily task).
OIDC_INACTIVE_DAYS = env_int("OIDC_INACTIVE_DAYS", 90, minimum=1)
# Optional dotted path to a function(identity) -> bool | None: False when the provider says the
# account is disabled (e.g. asking Microsoft Graph for accountEnabled). The daily task calls it.
OIDC_ACCOUNT_STATUS_CHECK = env_str("OIDC_ACCOUNT_STATUS_CHECK")
# Whom someone signed in without a mapped group should ask for a role (shown on their page).
ACCESS_REQUEST_CONTACT = env_str("ACCESS_REQUEST_CONTACT", "the improvement team (the PMO)")
# Local passwords: on for the embedded default. Off in production with single sign-on, except for
# the named break-glass administrators (for when the provider itself is down).
LOCAL_LOGIN_ENABLED = env_bool("LOCAL_LOGIN_ENABLED", True)
BREAK_GLASS_USERNAMES = env_list("BREAK_GLASS_USERNAMES", [])
if not LOCAL_LOGIN_ENABLED and not OIDC_ENABLED:
    raise ImproperlyConfigured(
        "LOCAL_LOGIN_ENABLED=false leaves no way for staff to sign in: set OIDC_ISSUER (single sign-on) too."
    )

LOGIN_URL = "login"
# After sign-in without `next`: secamb_journey.landing decides per person; this is only its fallback.
LOGIN_REDIRECT_URL = "actions:mine"
LOGOUT_REDIRECT_URL = "/"

# Lock-out per username *and* address (secamb_journey/lockout.py): nobody can lock a named colleague
# out from another address; a trust's staff share a few addresses, and one person's typos lock only
# themselves there. Per username alone, a far higher limit stops guessing spread over many addresses.
# Every lock lifts by itself, and each one after the first is twice as long: increasing delays.
AXES_HANDLER = "secamb_journey.lockout.PerAddressHandler"
AXES_USERNAME_CALLABLE = "secamb_journey.lockout.axes_username"
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"], "username"]
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5, minimum=1)
AXES_USERNAME_FAILURE_LIMIT = env_int("AXES_USERNAME_FAILURE_LIMIT", 50, minimum=1)
AXES_COOLOFF_MINUTES = env_int("AXES_COOLOFF_MINUTES", 15, minimum=1)
AXES_COOLOFF_TIME = "secamb_journey.lockout.progressive_cool_off"
AXES_RESET_ON_SUCCESS = True
# Failures while locked are not counted (nor extend the lock): only a lock that lifted and was earned
# again doubles the next. The failure log is what remembers earlier locks.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_ENABLE_ACCESS_FAILURE_LOG = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
# Not verbose: otherwise axes logs "AXES: BEGIN ..." from every process that starts Django (make run: five
# times) and writes each failed sign-in's user agent to the log; lockouts and failures are still logged.
AXES_VERBOSE = env_bool("AXES_VERBOSE", False)

# Improvement leads and administrators must set up and use a one-time-password app when this is on.
# Off by default so a laptop demo signs in with a password alone; production turns it on.
OTP_REQUIRED_FOR_PRIVILEGED = env_bool("OTP_REQUIRED_FOR_PRIVILEGED", False)
# How long a second-factor enrolment code an administrator issues stays valid (secamb_journey/enrolment.py).
ENROLMENT_CODE_HOURS = env_int("ENROLMENT_CODE_HOURS", 72, minimum=1)


# The issuer an authenticator app shows beside the account.
def OTP_TOTP_ISSUER(device):  # noqa: N802 -- a setting, which django-otp calls with the device being set up
    """The trust's short name and the service's, from the trust profile (data: no trust is named in code)."""
    profile = apps.get_model("secamb_journey", "TrustProfile").current()
    return f"{profile.short_name} {profile.service_name}".strip() or "Improvement tracker"


SESSION_COOKIE_AGE = env_int("SESSION_IDLE_MINUTES", 30, minimum=1) * 60
# The expiry counts from the last request (an idle timeout), renewed at most once a minute rather than
# written on every request (secamb_journey/sessions.py).
SESSION_RENEW_SECONDS = 60
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [
    BASE_DIR / "static",
    ("nhsuk", BASE_DIR / "node_modules" / "nhsuk-frontend" / "dist" / "nhsuk"),
]
# Stored files (evidence, and evidence held while a form is corrected; board pack PDFs and held import
# files are database rows): the local disk under MEDIA_ROOT by default,
# or Azure Blob / S3 storage by STORAGE_BACKEND (secamb_journey/storage_settings.py). Nothing stored is
# ever served by URL: evidence is streamed by a view that checks who is asking.
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(BASE_DIR / "media")))
STORAGES = {
    "default": default_storage_from_environment(),
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
# Uploaded files above this are spooled to a temporary file rather than held in memory.
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
# The form fields of one request (not its files): the longest form is a 5,000-character narrative.
DATA_UPLOAD_MAX_MEMORY_SIZE = 1024 * 1024
EVIDENCE_MAX_BYTES = env_int("EVIDENCE_MAX_BYTES", 10 * 1024 * 1024, minimum=1)
# Whole request bodies, refused with 413 before anything parses them (secamb_journey.middleware):
# pages that take no file (sign-in, every form but two) accept no file part and at most this...
NON_UPLOAD_MAX_BODY_BYTES = env_int("NON_UPLOAD_MAX_BODY_BYTES", 256 * 1024, minimum=16 * 1024)
# ...and the two that do (evidence, the spreadsheet import) the evidence limit plus the other fields.
UPLOAD_MAX_BODY_BYTES = EVIDENCE_MAX_BYTES + 1024 * 1024

REDIS_URL = env_str("REDIS_URL")
CACHES = {
    # One cache mechanism (secamb_journey.generations, docs/adr/0007): values keyed by their scope's
    # generation in the shared cache (Redis through Django's own backend; each process's memory without
    # it, which is still correct: the generation lives in the database), with each process's own copy of
    # what it read ("local") in front. Redis down is a miss, never an error page.
    "default": (
        {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
        if REDIS_URL
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "secamb"}
    ),
    "local": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "local",
        "OPTIONS": {"MAX_ENTRIES": 1500},
    },
}

# Celery: Redis when configured; otherwise kombu's filesystem transport, which needs no server,
# so the laptop demo runs a real worker and beat just as production does.
CELERY_DATA_DIR = Path(env_str("CELERY_DATA_DIR", str(BASE_DIR / "var" / "celery")))
CELERY_BROKER_URL = env_str("CELERY_BROKER_URL", REDIS_URL or "filesystem://")
if CELERY_BROKER_URL == "filesystem://":
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(CELERY_DATA_DIR / "queue"),
        "data_folder_out": str(CELERY_DATA_DIR / "queue"),
        "processed_folder": str(CELERY_DATA_DIR / "processed"),
        # Where exchange bindings live; kombu's default is a "control" folder in the working directory.
        "control_folder": str(CELERY_DATA_DIR / "control"),
        "store_processed": False,
    }
else:
    # max_retries/interval_*: when Redis is down, queueing a task from a web request gives up within
    # about a second (kombu's default retries for several), so a save is not held up; the failure is
    # logged (actions.services.common.notify_after_commit) and the save stands.
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "socket_connect_timeout": 2,
        "socket_timeout": 5,
        "max_retries": 1,
        "interval_start": 0,
        "interval_step": 0.2,
        "interval_max": 0.5,
    }
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", False)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True  # a worker killed mid-task leaves the message for the next one
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SOFT_TIME_LIMIT = 240
CELERY_TASK_TIME_LIMIT = 300
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"

EMAIL_BACKEND = env_str(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend" if DEBUG else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25, minimum=1)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "improvement-tracker@localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000")

CRISPY_ALLOWED_TEMPLATE_PACKS = ("nhsuk",)
CRISPY_TEMPLATE_PACK = "nhsuk"

# The product's own settings.
STALE_AFTER_DAYS = env_int("STALE_AFTER_DAYS", 30, minimum=1)
DUE_SOON_DAYS = env_int("DUE_SOON_DAYS", 30, minimum=1)
# Board packs are generated this many days before each committee meeting (reports.tasks.generate_board_packs).
BOARD_PACK_DAYS_BEFORE = env_int("BOARD_PACK_DAYS_BEFORE", 7, minimum=0)
# Up to this many actions a board pack's appendix gives each its own line (title, status, owner, due);
# above it, each action's reference by pillar and status, every detail in the CSV attached to the PDF
# (WeasyPrint lays out about a thousand lines a second here: a line each at 10,000 actions took 20 s).
BOARD_PACK_APPENDIX_LINES = env_int("BOARD_PACK_APPENDIX_LINES", 2000, minimum=0)
# The trust profile `seed_demo` (so `make run`) loads: the trust's names and words are data (README,
# "Running it for another trust").
TRUST_PROFILE = env_str("TRUST_PROFILE", str(BASE_DIR / "profiles" / "secamb.toml"))

# No inline script or style anywhere: every script and stylesheet is a static file.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        # The NHS.UK frontend loads the Frutiger web font from the NHS's own asset host.
        "font-src": [SELF, "https://assets.nhs.uk"],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

CSRF_FAILURE_VIEW = "secamb_journey.views.csrf_failure"
if OIDC_ENABLED:
    # Signing out POSTs to us and is redirected to the provider's end-session page; browsers apply
    # form-action to that redirect too, so the provider's origin must be allowed there.
    _issuer = urlsplit(OIDC_ISSUER)
    CONTENT_SECURITY_POLICY["DIRECTIVES"]["form-action"].append(f"{_issuer.scheme}://{_issuer.netloc}")

SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if not DEBUG:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31_536_000, minimum=0)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", True)
    CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", True)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    # WeasyPrint logs every page it lays out at INFO (a board pack: hundreds of lines), and the Azure SDK
    # every request to the storage with its headers (STORAGE_BACKEND=azure); their warnings stay.
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        "weasyprint.progress": {"level": "WARNING"},
        "azure.core.pipeline.policies.http_logging_policy": {"level": "WARNING"},
    },
}

SILENCED_SYSTEM_CHECKS = []
