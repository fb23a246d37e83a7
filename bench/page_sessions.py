"""The logged-in people of the page bench, logged in over HTTP as a browser and the app would:
the demo applicant (个人登录, password), the demo school reviewer (单位登录, password and the SMS
code read from the outbox), and one of the bench's applicants in the app (the API's password
login, a Bearer token)."""

import http.client
import json
import re
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from urllib.parse import urlencode, urlsplit

CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
DEMO_PASSWORD = "Demo@2026"  # noqa: S105 - the demo accounts' published password


class Browser:
    """Cookies kept across requests; redirects are not followed (each answer is checked)."""

    def __init__(self, base: str):
        self.host = urlsplit(base).netloc
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, body: dict | None = None, headers: dict | None = None):
        connection = http.client.HTTPConnection(self.host, timeout=30)
        headers = {**(headers or {}), **self.headers()}
        data = None
        if body is not None:
            data = urlencode(body)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Referer"] = f"http://{self.host}{path}"
        connection.request(method, path, body=data, headers=headers)
        response = connection.getresponse()
        text = response.read().decode("utf-8", "replace")
        for header in response.headers.get_all("Set-Cookie") or []:
            for name, morsel in SimpleCookie(header).items():
                self.cookies[name] = morsel.value
        connection.close()
        return response.status, response.headers, text

    def headers(self) -> dict:
        if not self.cookies:
            return {}
        return {"Cookie": "; ".join(f"{name}={value}" for name, value in self.cookies.items())}

    def post_form(self, path: str, fields: dict) -> tuple[int, str]:
        status, _headers, page = self.request("GET", path)
        token = CSRF.search(page)
        if status != 200 or not token:
            raise SystemExit(f"no form at {path} ({status})")
        status, headers, _text = self.request("POST", path, {**fields, "csrfmiddlewaretoken": token.group(1)})
        return status, headers.get("Location", "")


def _staff_code(username: str) -> str:
    from servicehall.accounts.models import User
    from servicehall.messaging.models import SmsMessage
    from servicehall.messaging.services import mobile_index_of

    mobile = User.objects.get(username=username).mobile
    text = SmsMessage.objects.filter(mobile_index=mobile_index_of(mobile)).latest("pk").text
    return re.search(r"\d{6}", text).group(0)


@dataclass
class Sessions:
    case: int
    cookies: dict = field(default_factory=dict)  # who -> Cookie header
    token: str = ""

    def headers(self, who: str) -> dict:
        if who == "app":
            return {"Authorization": f"Bearer {self.token}"}
        return {"Cookie": self.cookies[who]} if who in self.cookies else {}

    def check(self, base: str, path: str, who: str) -> None:
        """The page answers 200 to this person (not a redirect to the login page)."""
        status, _headers, _text = Browser(base).request("GET", path, headers=self.headers(who))
        if status != 200:
            raise SystemExit(f"{path} answers {status} to the {who}")


def log_in(base: str, *, case, password: str) -> Sessions:
    applicant = Browser(base)
    status, where = applicant.post_form(
        "/accounts/login/", {"identifier": "13800000001", "password": DEMO_PASSWORD}
    )
    if status != 302 or "login" in where:
        raise SystemExit(f"the demo applicant could not log in ({status} → {where})")
    reviewer = Browser(base)
    reviewer.post_form("/accounts/login/org/", {"identifier": "nju.reviewer", "password": DEMO_PASSWORD})
    code = _staff_code("nju.reviewer")
    status, where = reviewer.post_form("/accounts/login/org/verify/", {"sms_code": code})
    if status != 302 or "login" in where:
        raise SystemExit(f"the demo reviewer could not log in ({status} → {where})")
    app = http.client.HTTPConnection(urlsplit(base).netloc, timeout=30)
    app.request(
        "POST", "/api/v1/auth/login/password",
        body=json.dumps({"identifier": case.mobile, "password": password}),
        headers={"Content-Type": "application/json"},
    )
    answer = app.getresponse()
    tokens = json.loads(answer.read())
    if answer.status != 200:
        raise SystemExit(f"the app could not log in: {tokens}")
    return Sessions(
        case=case.pk,
        cookies={"applicant": applicant.headers()["Cookie"], "reviewer": reviewer.headers()["Cookie"]},
        token=tokens["access"],
    )
