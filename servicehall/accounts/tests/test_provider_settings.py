"""The providers come from the environment (settings/login_providers.py): several OpenID Connect
providers at once, each with its own button; WeChat and Alipay only when their app id is set."""

from django.urls import reverse

from servicehall.settings.login_providers import configured_providers


def test_several_providers_from_the_environment(monkeypatch):
    monkeypatch.setenv("LOGIN_OIDC_PROVIDERS", "jszwfw, nation")
    monkeypatch.setenv("LOGIN_OIDC_JSZWFW_LABEL", "江苏政务服务网")
    monkeypatch.setenv("LOGIN_OIDC_JSZWFW_ISSUER", "https://sso.js.example/")
    monkeypatch.setenv("LOGIN_OIDC_NATION_LABEL", "国家政务服务平台")
    monkeypatch.setenv("LOGIN_OIDC_NATION_ISSUER", "https://sso.gov.example")
    monkeypatch.setenv("LOGIN_OIDC_NATION_ID_NUMBER_CLAIM", "none")
    monkeypatch.delenv("LOGIN_WECHAT_APP_ID", raising=False)
    monkeypatch.setenv("LOGIN_ALIPAY_APP_ID", "2021000")
    providers = configured_providers()
    assert [(p["key"], p["kind"], p["label"]) for p in providers] == [
        ("jszwfw", "oidc", "江苏政务服务网"), ("nation", "oidc", "国家政务服务平台"),
        ("alipay", "alipay", "支付宝")]
    assert providers[0]["issuer"] == "https://sso.js.example"  # no trailing slash: compared exactly
    assert providers[0]["id_number_claim"] == "id_number" and providers[1]["id_number_claim"] == ""


def test_each_configured_provider_has_its_button(db, client, settings):
    settings.LOGIN_PROVIDERS = [
        {"key": "jszwfw", "kind": "oidc", "label": "江苏政务服务网", "issuer": "http://127.0.0.1:9",
         "client_id": "a", "client_secret": "b", "scopes": "openid", "app_redirect_uri": ""},
        {"key": "nation", "kind": "oidc", "label": "国家政务服务平台", "issuer": "http://127.0.0.1:9",
         "client_id": "a", "client_secret": "b", "scopes": "openid", "app_redirect_uri": ""},
    ]
    page = client.get(reverse("accounts:login")).content.decode()
    assert 'href="/accounts/login/provider/jszwfw/"' in page and "江苏政务服务网登录" in page
    assert 'href="/accounts/login/provider/nation/"' in page and "国家政务服务平台登录" in page
    assert "其他登录方式" not in client.get(reverse("accounts:login_staff")).content.decode()
