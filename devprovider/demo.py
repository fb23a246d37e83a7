"""The demo identities and the hall's client registration, made or brought up to date at every
start."""

from oauth2_provider.models import Application

from .identities import identity_save

PASSWORD = "Demo@2026"  # noqa: S105 - the demo identities' password, printed at start
CLIENT_ID = "servicehall-web"
CLIENT_SECRET = "servicehall-dev-secret"  # noqa: S105 - a development provider's demo client
# No port: with OAUTH2_PROVIDER["ALLOW_LOCALHOST_LOOPBACK"] (settings.py) DOT lets a request
# name any port on these loopback hosts (RFC 8252 §7.3); host, path and query match exactly.
REDIRECT_URIS = [
    "http://127.0.0.1/accounts/login/provider/jszwfw/callback/",
    "http://localhost/accounts/login/provider/jszwfw/callback/",
    "http://127.0.0.1/app/callback",  # the native app's loopback redirect (RFC 8252)
]
DEMO_IDENTITIES = [
    {"username": "zhangxiaoming", "name": "张晓明", "id_number": "320102200403150038",
     "mobile": "13800000001", "note": "证件号码、手机号码与大厅演示账号张晓明一致：直接绑定并登录"},
    {"username": "lisi", "name": "李思", "id_number": "32010220050601002X", "mobile": "13900000002",
     "note": "大厅尚无账号：注册时自动填入姓名和证件号码"},
    {"username": "wangwu", "name": "王五", "id_number": "", "mobile": "13800000001",
     "note": "只有核验过的手机号码（张晓明的）：短信验证码确认后绑定"},
    {"username": "zhaoliu", "name": "赵六", "id_number": "", "mobile": "",
     "note": "没有证件号码和手机号码：用大厅账号密码登录一次即绑定，或注册"},
]


def client_save() -> Application:
    app = Application.objects.filter(client_id=CLIENT_ID).first() or Application(client_id=CLIENT_ID)
    app.name = "江苏人社网上办事服务大厅"
    app.client_type = Application.CLIENT_CONFIDENTIAL
    app.authorization_grant_type = Application.GRANT_AUTHORIZATION_CODE
    app.client_secret = CLIENT_SECRET  # hashed on save
    app.redirect_uris = " ".join(REDIRECT_URIS)
    app.post_logout_redirect_uris = ""
    app.algorithm = Application.RS256_ALGORITHM
    app.skip_authorization = True  # no consent screen
    app.save()
    return app


def demo_load() -> None:
    for person in DEMO_IDENTITIES:
        identity_save(username=person["username"], password=PASSWORD, name=person["name"],
                      id_number=person["id_number"], mobile=person["mobile"])
    client_save()


def demo_table(issuer: str) -> str:
    lines = [
        "",
        f"  Local OpenID Connect provider {issuer} (其他登录方式 → 江苏政务服务网登录)",
        f"  client {CLIENT_ID} / {CLIENT_SECRET}; each identity's password is {PASSWORD}:",
    ]
    for person in DEMO_IDENTITIES:
        lines.append(f"    {person['username']:<14} {person['name']}  {person['note']}")
    return "\n".join(lines) + "\n"
