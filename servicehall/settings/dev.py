"""Local development (`make run`): debug on, keys from var/dev-secrets.env made on first run."""

from .base import *  # noqa: F403
from .base import VAR_DIR, env, env_bool
from .devkeys import dev_secret

DEBUG = env_bool("DJANGO_DEBUG", True)
SECRET_KEY = env("DJANGO_SECRET_KEY") or dev_secret(VAR_DIR, "DJANGO_SECRET_KEY", 50)
FIELD_ENCRYPTION_KEYS = env("FIELD_ENCRYPTION_KEYS") or (
    "dev1:" + dev_secret(VAR_DIR, "FIELD_ENCRYPTION_KEY", 32)
)
SMS_DEV_OUTBOX_PAGE = True

# 其他登录方式 on a fresh clone: `make run` starts the local OpenID Connect provider
# (devprovider/) on port 8090 and the unified identity's button logs in through it.
if not env("LOGIN_OIDC_PROVIDERS"):
    LOGIN_PROVIDERS = [{
        "key": "jszwfw", "kind": "oidc", "label": "江苏政务服务网",
        "issuer": env("DEVPROVIDER_ISSUER", "http://127.0.0.1:8090"),
        "client_id": "servicehall-web", "client_secret": "servicehall-dev-secret",
        "scopes": "openid profile phone idcard", "id_number_claim": "id_number",
        "app_redirect_uri": "http://127.0.0.1/app/callback",
    }]

# Links in SMS (政策找人) point at the hall `make run` serves (its HOST and PORT).
HALL_PUBLIC_URL = env("HALL_PUBLIC_URL") or f"http://{env('HOST', '127.0.0.1')}:{env('PORT', '8000')}"
