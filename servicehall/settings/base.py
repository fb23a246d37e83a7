"""Settings shared by every environment. Everything a deployment changes comes from the
environment; `dev`, `test` and `production` only adjust these defaults."""

from datetime import timedelta

import dj_database_url
from csp.constants import NONCE, NONE, SELF
from django.utils.translation import gettext_lazy as _

from .environment import env, env_bool, env_list, require  # noqa: F401 (production imports them from here)
from .paths import BASE_DIR, PACKAGE_DIR, VAR_DIR

SECRET_KEY = env("DJANGO_SECRET_KEY")
DEBUG = env_bool("DJANGO_DEBUG", False)
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")
CSRF_FAILURE_VIEW = "servicehall.portal.views.csrf_failure"  # JSON under /api/

INSTALLED_APPS = [
    # django.contrib.admin, with a site that audits every change made through it.
    "servicehall.audit.admin_apps.HallAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_tasks",
    "django_tasks_db",
    "django_rq",  # the Redis queue (queue.py), used when TASKS_BACKEND says so
    "django_tasks_rq",
    "health_check",  # /healthz and /readyz (observability.py)
    "django_prometheus",  # /metrics, for operators only (observability.py)
    "axes",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "servicehall.core",
    "servicehall.reference",
    "servicehall.audit",
    "servicehall.messaging",
    "servicehall.accounts",
    "servicehall.cards",
    "servicehall.catalog",
    "servicehall.notices",
    "servicehall.subsidy",
    "servicehall.payments",
    "servicehall.evaluation",
    "servicehall.consult",
    "servicehall.stats",
    "servicehall.verification",
    "servicehall.outreach",
    "servicehall.api",
    "servicehall.portal",
    "servicehall.pwa",
]

MIDDLEWARE = [
    "django_prometheus.middleware.PrometheusBeforeMiddleware",
    # The request id (X-Request-ID from nginx, or a new one) in every log line and task it starts.
    "log_request_id.middleware.RequestIDMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "servicehall.accounts.idle_sessions.IdleSessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Before anything reads the body (CSRF reads the form in process_view, after every __call__):
    # a body too large is refused unread. After AuthenticationMiddleware: operators' imports differ.
    "servicehall.portal.request_limits.BodyLimitMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "axes.middleware.AxesMiddleware",
    "django_prometheus.middleware.PrometheusAfterMiddleware",
]

ROOT_URLCONF = "servicehall.urls"
WSGI_APPLICATION = "servicehall.wsgi.application"
ASGI_APPLICATION = "servicehall.asgi.application"

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
                "csp.context_processors.nonce",
                "servicehall.core.context_processors.hall",
                "servicehall.portal.context_processors.chrome",
                "servicehall.messaging.context_processors.inbox",
            ],
        },
    },
]

# --- Database: SQLite unless DATABASE_URL says otherwise (PostgreSQL with psycopg 3). ---
DATABASES = {
    "default": dj_database_url.parse(
        env("DATABASE_URL", f"sqlite:///{VAR_DIR / 'servicehall.sqlite3'}"),
        conn_max_age=int(env("DATABASE_CONN_MAX_AGE", "0")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the task worker and the web process write without "database is locked".
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
# Behind PgBouncer in transaction pooling (DATABASE_POOLER=pgbouncer; docs/deployment.md), each
# transaction may run on another server connection, so nothing may outlive one: no server-side
# cursors (`.iterator()` then fetches its rows at once: payments read at most ~100,000 small rows)
# and no prepared statements. The hall keeps no other session state (no SET, no advisory locks).
DATABASE_POOLER = env("DATABASE_POOLER", "")
if DATABASE_POOLER == "pgbouncer":
    DATABASES["default"]["DISABLE_SERVER_SIDE_CURSORS"] = True
    DATABASES["default"].setdefault("OPTIONS", {})["prepare_threshold"] = None
DATABASES["default"]["CONN_HEALTH_CHECKS"] = DATABASES["default"]["CONN_MAX_AGE"] > 0
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache: local memory unless REDIS_URL is set. Rate limits and sessions follow it. ---
REDIS_URL = env("REDIS_URL")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": env("CACHE_KEY_PREFIX", "servicehall"),
            # A Redis that stops answering fails a request in seconds (503, portal.unavailable)
            # instead of holding a web thread.
            "OPTIONS": {
                "socket_connect_timeout": float(env("REDIS_CONNECT_TIMEOUT_SECONDS", "2")),
                "socket_timeout": float(env("REDIS_TIMEOUT_SECONDS", "5")),
            },
        }
    }
    SESSION_ENGINE = "django.contrib.sessions.backends.cache"
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    SESSION_ENGINE = "django.contrib.sessions.backends.db"
# Production sets this: a per-process cache there is a system check error (core.E001).
RATE_LIMITS_NEED_SHARED_CACHE = False

# Payment steps (build, approve, return import) of more lines than this run in the task worker
# rather than in the request (about 1 second per 5,000 lines; see bench/payments_scale.py).
PAYMENTS_INLINE_LIMIT = int(env("PAYMENTS_INLINE_LIMIT", "5000"))
# A payment job still "running" this long after its worker took it was left by a worker that died:
# `manage.py recover_payment_jobs` (the scheduler, every 5 minutes) queues it again. Above the
# queue's task timeout (TASKS_TIMEOUT_SECONDS, 1800): RQ stops a slow worker's task first.
PAYMENT_JOB_STALE_SECONDS = int(env("PAYMENT_JOB_STALE_SECONDS", "3600"))
# How long the audit trail is kept: three years by default, never less than six months
# (网络安全法 第二十一条; audit/checks.py refuses a shorter setting).
AUDIT_RETENTION_DAYS = int(env("AUDIT_RETENTION_DAYS", "1095"))
# Registry versions replaced by a newer import keep their rows this long, then only their
# record (source, date, counts, SHA-256) stays: manage.py purge_superseded_registries, daily.
REGISTRY_SUPERSEDED_RETENTION_DAYS = int(env("REGISTRY_SUPERSEDED_RETENTION_DAYS", "365"))
# 好差评: working days an organisation has to answer a poor rating.
EVALUATION_REPLY_WORKDAYS = int(env("EVALUATION_REPLY_WORKDAYS", "5"))
CONSULT_REPLY_WORKDAYS = int(env("CONSULT_REPLY_WORKDAYS", "5"))  # 我要问: a question's answer is due
# How often the card system's export is imported (days): the card help tells people when the list
# they wait for is next due.
CARD_IMPORT_INTERVAL_DAYS = int(env("CARD_IMPORT_INTERVAL_DAYS", "1"))

# --- People and logging in ---
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "servicehall.accounts.backends.IdentifierPasswordBackend",
    "servicehall.accounts.backends.RolePermissionBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "servicehall.accounts.passwords.LengthAndClassesValidator"},
    {"NAME": "servicehall.accounts.passwords.NoPersonalNumbersValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "portal:center"
LOGOUT_REDIRECT_URL = "portal:home"

# Sessions end after 30 idle minutes: a request pushes the end forward, at most once a minute
# (accounts.idle_sessions), rather than saving the session on every request.
SESSION_COOKIE_AGE = 30 * 60
SESSION_SAVE_EVERY_REQUEST = False
SESSION_REFRESH_SECONDS = 60

# Guide views are added up in each process and written at most this often (catalog.services).
SERVICE_VISITS_FLUSH_SECONDS = int(env("SERVICE_VISITS_FLUSH_SECONDS", "10"))
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"

# django-axes: 5 failures lock the account for 15 minutes. The "username" axes records is
# the blind index of what was typed, never the ID number or mobile itself.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = ["username"]
AXES_USERNAME_CALLABLE = "servicehall.accounts.backends.axes_username"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "servicehall.accounts.views.lockout_response"
AXES_VERBOSE = False
# The client's address is read in one place (core.http.client_ip, django-ipware) for axes, the
# rate limits, the API throttles and the audit trail. TRUSTED_PROXY_COUNT is the number of
# reverse proxies in front of the hall that append to X-Forwarded-For; 0 means REMOTE_ADDR only.
TRUSTED_PROXY_COUNT = int(env("TRUSTED_PROXY_COUNT", "0"))
AXES_CLIENT_IP_CALLABLE = "servicehall.accounts.backends.axes_client_ip"
# Failed logins from one address across many accounts (a campus NAT shares one address,
# so this is far above five).
LOGIN_FAILURES_PER_ADDRESS = int(env("LOGIN_FAILURES_PER_ADDRESS", "100"))
# axes warns when addresses are not part of the lockout; ours are limited separately above.
SILENCED_SYSTEM_CHECKS = ["axes.W006"]

# --- Personal data at rest: SM4-GCM + HMAC-SM3 blind index, keys from the environment. ---
# FIELD_ENCRYPTION_KEYS: comma-separated "id:64-hex-chars" master keys, the first one current.
FIELD_ENCRYPTION_KEYS = env("FIELD_ENCRYPTION_KEYS")

# --- SMS ---
# The hall's address as a person reaches it, for links in SMS (政策找人 invitations).
HALL_PUBLIC_URL = env("HALL_PUBLIC_URL", "http://127.0.0.1:8000").rstrip("/")
SMS_GATEWAY_PER_SECOND = int(env("SMS_GATEWAY_PER_SECOND", "50"))
SMS_BACKEND = env("SMS_BACKEND", "servicehall.messaging.gateways.OutboxGateway")
SMS_HTTP_GATEWAY_URL = env("SMS_HTTP_GATEWAY_URL")
SMS_HTTP_GATEWAY_TOKEN = env("SMS_HTTP_GATEWAY_TOKEN")
SMS_HTTP_GATEWAY_SIGN = env("SMS_HTTP_GATEWAY_SIGN", "江苏人社")
SMS_DEV_OUTBOX_PAGE = False  # only the dev settings turn on /dev/sms/
# A delivery that has not reported back this long was left by a worker that died: the sweep
# (`manage.py sweep_sms`, every five minutes in the scheduler) offers it again, with its key.
SMS_STALE_CLAIM_SECONDS = int(env("SMS_STALE_CLAIM_SECONDS", "300"))
# Code limits (messaging/services.py explains them). Daily, per number and per budget class:
# anonymous purposes (register, login, reset_password, appeal) together; a logged-in person's
# own action (change_mobile); the staff second factor. Nothing anonymous spends the other two.
SMS_DAILY_LIMIT_PER_NUMBER = int(env("SMS_DAILY_LIMIT_PER_NUMBER", "10"))
SMS_DAILY_LIMIT_OWN_ACTION = int(env("SMS_DAILY_LIMIT_OWN_ACTION", "10"))
SMS_DAILY_LIMIT_STAFF_LOGIN = int(env("SMS_DAILY_LIMIT_STAFF_LOGIN", "20"))
# Codes sent per client address per hour, per budget class (a campus NAT shares an address).
SMS_LIMIT_PER_ADDRESS_PER_HOUR = int(env("SMS_LIMIT_PER_ADDRESS_PER_HOUR", "30"))
# Code requests, answered or refused, through the pages and the API alike, per minute.
SMS_REQUESTS_PER_ADDRESS_PER_MINUTE = int(env("SMS_REQUESTS_PER_ADDRESS_PER_MINUTE", "5"))
SMS_REQUESTS_PER_NUMBER_PER_MINUTE = int(env("SMS_REQUESTS_PER_NUMBER_PER_MINUTE", "5"))

# --- Internationalisation: Chinese first, English translations. ---
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("简体中文")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

# --- Files (where they are kept: storage.py) ---
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 12 * 1024 * 1024
# The largest request body the hall reads (portal.request_limits): unset, two files at the
# per-file limit (core.uploads.MAX_UPLOAD_BYTES, 10 MB) plus 1 MB for the form, i.e. 21 MB. A
# larger Content-Length is answered 413 before the body is read; a body growing past it is cut off.
REQUEST_BODY_MAX_BYTES = int(env("REQUEST_BODY_MAX_BYTES", "0")) or None
FILE_UPLOAD_HANDLERS = [
    "servicehall.portal.request_limits.BodyLimitUploadHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]
# Per person (subsidy.services.material_store): every material they keep counts, attached or
# not. An application needs a handful of documents; 我的材料 lets them delete unused ones.
MATERIAL_QUOTA_FILES = int(env("MATERIAL_QUOTA_FILES", "30"))
MATERIAL_QUOTA_BYTES = int(env("MATERIAL_QUOTA_BYTES", str(100 * 1024 * 1024)))
MATERIAL_UPLOADS_PER_MINUTE = int(env("MATERIAL_UPLOADS_PER_MINUTE", "10"))
# A batch decision posts one id per selected application (a school approves up to 1,000 at once).
DATA_UPLOAD_MAX_NUMBER_FIELDS = 2000

# --- Security headers ---
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [SELF],
        "object-src": [NONE],
    }
}

HALL_NAME = _("江苏人社网上办事服务大厅")
# The home page's right-hand column (issue 17): 省政务服务 links to the province's government-service
# portal; 公众号 names the hall's official WeChat account, and is not shown at all while unset.
HALL_PROVINCE_PORTAL_URL = env("HALL_PROVINCE_PORTAL_URL", "https://www.jszwfw.gov.cn/")
HALL_WECHAT_ACCOUNT = env("HALL_WECHAT_ACCOUNT", "")
# 掌上办: where the mobile app is downloaded, offered only when set (the hall installs as a web app).
HALL_APP_DOWNLOAD_URL = env("HALL_APP_DOWNLOAD_URL", "")

# --- REST API for the app (/api/v1/, servicehall/api, docs/api.md) ---
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["servicehall.api.authentication.BearerTokenAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["servicehall.api.permissions.IsPerson"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["servicehall.api.parsers.HallJSONParser"],
    "DEFAULT_SCHEMA_CLASS": "servicehall.api.schema.HallAutoSchema",
    "EXCEPTION_HANDLER": "servicehall.api.errors.exception_handler",
    "DEFAULT_THROTTLE_RATES": {"login": env("API_LOGIN_RATE", "10/min")},
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
API_ACCESS_TOKEN_LIFETIME = timedelta(minutes=int(env("API_ACCESS_TOKEN_MINUTES", "30")))
API_REFRESH_TOKEN_LIFETIME = timedelta(days=int(env("API_REFRESH_TOKEN_DAYS", "14")))
SPECTACULAR_SETTINGS = {
    "TITLE": "江苏人社网上办事服务大厅 API",
    "VERSION": "1.0.0",
    "DESCRIPTION": "The person's side of the hall for the app and partner systems; see docs/api.md.",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "COMPONENT_SPLIT_REQUEST": True,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "PATH_CONVERTER_OVERRIDES": {"id": {"type": "integer"}},
    # Two choice sets named "state" (an application's, an invitation's): each its own name.
    "ENUM_NAME_OVERRIDES": {
        "ApplicationStateEnum": "servicehall.subsidy.constants.ApplicationStatus",
        "InvitationStateEnum": "servicehall.outreach.selectors.INVITATION_STATES",
    },
    # No deep links: they put a link inside each operation's button (axe: nested-interactive).
    "SWAGGER_UI_SETTINGS": {"deepLinking": False},
}

# Form widgets render with Jinja2 (Django's own widget templates for it): several times faster
# than Django's template language on the long application form (core.form_renderer).
FORM_RENDERER = "servicehall.core.form_renderer.HallJinja2"

# --- Settings of one concern each, in their own modules (issue 18: beyond one machine). ---
from .login_providers import *  # noqa: E402, F403
from .observability import *  # noqa: E402, F403
from .queue import *  # noqa: E402, F403
from .storage import *  # noqa: E402, F403
