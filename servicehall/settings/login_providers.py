"""其他登录方式 (issue 19): the identity providers a person may log in through, from the
environment. Each OpenID Connect provider (the province's unified identity first) is named in
LOGIN_OIDC_PROVIDERS and described by LOGIN_OIDC_<KEY>_*; WeChat and Alipay by LOGIN_WECHAT_*
and LOGIN_ALIPAY_*. A provider that is not configured has no button. See docs/architecture.md
"Logging in through another provider" and deploy/systemd/servicehall.env.example."""

from .environment import env, env_list


def oidc_provider(key: str) -> dict:
    prefix = f"LOGIN_OIDC_{key.upper()}_"
    claim = env(prefix + "ID_NUMBER_CLAIM", "id_number")
    return {
        "key": key,
        "kind": "oidc",
        "label": env(prefix + "LABEL", key),
        "issuer": (env(prefix + "ISSUER") or "").rstrip("/"),
        "client_id": env(prefix + "CLIENT_ID", ""),
        "client_secret": env(prefix + "CLIENT_SECRET", ""),
        "scopes": env(prefix + "SCOPES", "openid profile phone idcard"),
        # The claim carrying the person's verified ID number; "none" for a provider without one.
        "id_number_claim": "" if claim == "none" else claim,
        # Where the province's app receives the code before handing it to the hall's API.
        "app_redirect_uri": env(prefix + "APP_REDIRECT_URI", ""),
    }


def configured_providers() -> list[dict]:
    providers = [oidc_provider(key) for key in env_list("LOGIN_OIDC_PROVIDERS")]
    if env("LOGIN_WECHAT_APP_ID"):
        providers.append({
            "key": "wechat", "kind": "wechat", "label": "微信",
            "client_id": env("LOGIN_WECHAT_APP_ID"), "client_secret": env("LOGIN_WECHAT_APP_SECRET", ""),
            "app_redirect_uri": env("LOGIN_WECHAT_APP_REDIRECT_URI", ""),
        })
    if env("LOGIN_ALIPAY_APP_ID"):
        providers.append({
            "key": "alipay", "kind": "alipay", "label": "支付宝",
            "client_id": env("LOGIN_ALIPAY_APP_ID"),
            "private_key_file": env("LOGIN_ALIPAY_PRIVATE_KEY_FILE", ""),
            "alipay_public_key_file": env("LOGIN_ALIPAY_PUBLIC_KEY_FILE", ""),
            "app_redirect_uri": env("LOGIN_ALIPAY_APP_REDIRECT_URI", ""),
        })
    return providers


LOGIN_PROVIDERS = configured_providers()
# Seconds the hall waits for a provider's answer before telling the person it is unavailable.
LOGIN_PROVIDER_TIMEOUT = float(env("LOGIN_PROVIDER_TIMEOUT", "5"))
# How long a login through a provider may wait for its second step (an SMS code, a password
# or registration) before the person must start again.
LOGIN_PROVIDER_TICKET_MINUTES = int(env("LOGIN_PROVIDER_TICKET_MINUTES", "15"))
