"""Settings of the local provider. `python -m devprovider` (devprovider/__main__.py) prepares the
data directory and sets the two variables read here before Django starts."""

import os
from pathlib import Path
from urllib.parse import urlsplit

DATA = Path(os.environ["DEVPROVIDER_DATA"])
ISSUER = os.environ["DEVPROVIDER_ISSUER"]  # http://<host>:<port>, no path
# oauthlib refuses plain HTTP unless told so. This process serves loopback only; the variable is
# set in the provider's own process, never in the hall's.
os.environ["OAUTHLIB_INSECURE_TRANSPORT"] = "1"

SECRET_KEY = (DATA / "secret-key").read_text().strip()
DEBUG = False
ALLOWED_HOSTS = sorted({"127.0.0.1", "localhost", urlsplit(ISSUER).hostname})
ROOT_URLCONF = "devprovider.urls"
INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "oauth2_provider",
    "devprovider",
]
MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "devprovider.faults.FaultMiddleware",
]
TEMPLATES = [{
    "BACKEND": "django.template.backends.django.DjangoTemplates",
    "APP_DIRS": True,
    "OPTIONS": {"context_processors": ["django.template.context_processors.request"]},
}]
DATABASES = {"default": {
    "ENGINE": "django.db.backends.sqlite3",
    "NAME": DATA / "provider.sqlite3",
    # A throwaway database: no fsync (the first start's migrations take a third less time), and
    # write transactions that wait for each other instead of failing under the threaded server.
    "OPTIONS": {"timeout": 20, "transaction_mode": "IMMEDIATE",
                "init_command": "PRAGMA synchronous=OFF; PRAGMA journal_mode=WAL;"},
}}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
PASSWORD_HASHERS = [
    "devprovider.hashers.QuickPBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
LANGUAGE_CODE = "zh-hans"
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True
LOGIN_URL = "/login/"
# Own cookie names: on 127.0.0.1 the hall's cookies and the provider's share a host (cookies
# ignore ports), and must not overwrite each other.
SESSION_COOKIE_NAME = "devprovider_sessionid"
CSRF_COOKIE_NAME = "devprovider_csrftoken"
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "devprovider %(levelname)s %(name)s: %(message)s"}},
    "handlers": {"stderr": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["stderr"], "level": "WARNING"},
    # Errors (with their tracebacks) only: a refused token request is an answer, not news.
    "loggers": {
        "django": {"handlers": [], "level": "ERROR", "propagate": True},
        "django.server": {"handlers": [], "level": "ERROR", "propagate": True},
    },
}

OAUTH2_PROVIDER = {
    "OIDC_ENABLED": True,
    "OIDC_RSA_PRIVATE_KEY": (DATA / "signing-key.pem").read_text(),
    "OIDC_ISS_ENDPOINT": ISSUER,
    "OIDC_RESPONSE_TYPES_SUPPORTED": ["code"],
    "OAUTH2_VALIDATOR_CLASS": "devprovider.validator.IdentityValidator",
    "SCOPES": {"openid": "身份标识", "profile": "姓名", "phone": "手机号码", "idcard": "证件号码"},
    "DEFAULT_SCOPES": ["openid"],
    "PKCE_REQUIRED": True,
    # RFC 8252 §7.3: a loopback redirect URI may carry any port. DOT allows that for 127.0.0.1
    # and ::1; this makes "localhost" a loopback host too (pytest-django's live server is
    # http://localhost:<random port>). The host and the path must still match exactly.
    "ALLOW_LOCALHOST_LOOPBACK": True,
    "AUTHORIZATION_CODE_EXPIRE_SECONDS": 60,
    # RFC 9700 behaviour, enforced: S256 only, no implicit or password grant, no access token in
    # a query string.
    "COMPLIANT_BCP_RFC9700_PKCE_METHOD": True,
    "COMPLIANT_BCP_RFC9700_IMPLICIT_GRANT": True,
    "COMPLIANT_BCP_RFC9700_PASSWORD_GRANT": True,
    "COMPLIANT_BCP_RFC9700_ACCESS_TOKEN_TRANSPORT": True,
}
