"""Settings of the local provider (devprovider/__main__.py sets the environment it reads)."""

import os
from pathlib import Path

DATA = Path(os.environ["DEVPROVIDER_DATA"])
ISSUER = os.environ["DEVPROVIDER_ISSUER"]
# oauthlib refuses plain HTTP unless told; this provider serves loopback only.
os.environ["OAUTHLIB_INSECURE_TRANSPORT"] = "1"

SECRET_KEY = (DATA / "secret-key").read_text().strip()
DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
ROOT_URLCONF = "devprovider.urls"
INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "oauth2_provider",
    "devprovider",
]
MIDDLEWARE = [
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "devprovider.faults.FaultMiddleware",
]
TEMPLATES = [{
    "BACKEND": "django.template.backends.django.DjangoTemplates",
    "APP_DIRS": True,
    "OPTIONS": {"context_processors": ["django.template.context_processors.request"]},
}]
DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": DATA / "provider.sqlite3",
                         "OPTIONS": {"timeout": 20}}}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
PASSWORD_HASHERS = ["django.contrib.auth.hashers.PBKDF2PasswordHasher"]
LANGUAGE_CODE = "zh-hans"
TIME_ZONE = "Asia/Shanghai"
USE_TZ = True
LOGIN_URL = "/login/"
SESSION_COOKIE_NAME = "devprovider_session"
CSRF_COOKIE_NAME = "devprovider_csrftoken"
LOGGING = {"version": 1, "disable_existing_loggers": False,
           "root": {"handlers": [], "level": "WARNING"}}

OAUTH2_PROVIDER = {
    "OIDC_ENABLED": True,
    "OIDC_RSA_PRIVATE_KEY": (DATA / "signing-key.pem").read_text(),
    "OIDC_ISS_ENDPOINT": ISSUER,
    "PKCE_REQUIRED": True,
    "OAUTH2_VALIDATOR_CLASS": "devprovider.validator.IdentityValidator",
    "SCOPES": {"openid": "身份标识", "profile": "姓名", "phone": "手机号码", "idcard": "证件号码"},
    # RFC 8252 §7.3: a loopback redirect URI may carry any port; the hall's test server and the
    # app's redirect listen on ports chosen at run time, on 127.0.0.1 and on localhost.
    "ALLOW_LOCALHOST_LOOPBACK": True,
    "AUTHORIZATION_CODE_EXPIRE_SECONDS": 60,
}
