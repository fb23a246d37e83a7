"""The demo identities and the hall's client registration, made again at every start."""

PASSWORD = "Demo@2026"  # noqa: S105 - the demo identities' password
CLIENT_ID = "servicehall-web"
CLIENT_SECRET = "servicehall-dev-secret"  # noqa: S105 - a development provider's demo client
# Loopback redirect URIs match any port (RFC 8252 §7.3, ALLOW_LOCALHOST_LOOPBACK).
REDIRECT_URIS = [
    "http://127.0.0.1/accounts/login/provider/jszwfw/callback/",
    "http://localhost/accounts/login/provider/jszwfw/callback/",
    "http://127.0.0.1/app/callback",
]
DEMO_IDENTITIES = [
    {"username": "zhangxiaoming", "name": "张晓明", "id_number": "320102200403150038",
     "mobile": "13800000001",
     "note": "证件号码与大厅演示账号张晓明一致：直接绑定并登录"},
    {"username": "lisi", "name": "李思", "id_number": "32010220050601002X", "mobile": "13900000002",
     "note": "大厅尚无账号：注册时自动填入姓名和证件号码"},
    {"username": "wangwu", "name": "王五", "id_number": "", "mobile": "13800000001",
     "note": "只有核验过的手机号码（张晓明的）：短信验证码确认后绑定"},
    {"username": "zhaoliu", "name": "赵六", "id_number": "", "mobile": "",
     "note": "没有证件号码和手机号码：用大厅账号密码登录一次即绑定，或注册"},
]


def demo_load() -> None:
    from oauth2_provider.models import Application

    from .views import identity_save

    for person in DEMO_IDENTITIES:
        identity_save(username=person["username"], password=PASSWORD, name=person["name"],
                      id_number=person["id_number"], mobile=person["mobile"])
    app = Application.objects.filter(client_id=CLIENT_ID).first() or Application(client_id=CLIENT_ID)
    app.name = "江苏人社网上办事服务大厅"
    app.client_type = Application.CLIENT_CONFIDENTIAL
    app.authorization_grant_type = Application.GRANT_AUTHORIZATION_CODE
    app.client_secret = CLIENT_SECRET  # hashed on save
    app.redirect_uris = " ".join(REDIRECT_URIS)
    app.algorithm = Application.RS256_ALGORITHM
    app.skip_authorization = True
    app.save()


def demo_table() -> str:
    lines = ["", "  The local OpenID Connect provider (其他登录方式 → 江苏政务服务网登录); password "
             f"{PASSWORD} for each:"]
    for person in DEMO_IDENTITIES:
        lines.append(f"    {person['username']:<14} {person['name']}  {person['note']}")
    return "\n".join(lines)
