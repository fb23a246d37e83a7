"""What the cluster tests share: the cluster's addresses, Django set up on the cluster's own
environment (its database through PgBouncer, its keys), people made through the hall's services,
the SMS outbox read as a person reads the phone, and clients of the API and of the pages."""

from __future__ import annotations

import datetime
import importlib.util
import itertools
import os
import re
import subprocess
import sys
import time
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent.parent
_spec = importlib.util.spec_from_file_location("cluster", ROOT / "scripts" / "cluster.py")
cluster = importlib.util.module_from_spec(_spec)
sys.modules["cluster"] = cluster
_spec.loader.exec_module(cluster)

os.environ.update(cluster.hall_env())
import django  # noqa: E402

django.setup()

NGINX = f"http://{cluster.HOST}:{cluster.PORTS['nginx']}"
NODE_A = f"http://{cluster.HOST}:{cluster.PORTS['web-a']}"
NODE_B = f"http://{cluster.HOST}:{cluster.PORTS['web-b']}"
DIR = cluster.DIR
PG = {"host": cluster.PG_HOST, "port": cluster.PG_PORT, "user": "postgres"}  # straight, not PgBouncer
CLUSTER_DB = cluster.DB_NAME
PASSWORD = "Demo@2026"  # the demo accounts' password (manage.py load_demo)
_serial = itertools.count(int(time.time() * 10) % 5_000_000)


def run_cluster(*args: str, check: bool = True) -> subprocess.CompletedProcess:
    """scripts/cluster.py as the operator runs it (kill, restart a part)."""
    return subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "cluster.py"), *args],
        cwd=ROOT, check=check, capture_output=True, text=True, timeout=180,
    )


def wait_for(condition, *, timeout: float = 60, every: float = 0.25, what: str = "the condition"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(every)
    raise AssertionError(f"{what} did not hold within {timeout} s")


def sms_code(mobile: str) -> str:
    """The newest code the cluster's outbox holds for a mobile number."""
    from servicehall.core.crypto import blind_index
    from servicehall.messaging.models import SmsMessage

    message = (
        SmsMessage.objects.filter(mobile_index=blind_index(mobile, purpose="mobile"))
        .order_by("-created_at", "-id")
        .first()
    )
    assert message is not None, "no SMS was sent to that number"
    return re.search(r"(?<!\d)(\d{6})(?!\d)", message.text).group(1)


def new_applicant() -> dict:
    """A verified person with a card (the subsidy's precondition), each test its own."""
    from servicehall.accounts import services
    from servicehall.accounts.models import IdType
    from servicehall.cards.services import demo_card_for
    from tests.people import resident_id

    serial = next(_serial)
    born = datetime.date(1990, 1, 1) + datetime.timedelta(days=serial // 1000 % 5000)
    id_number = resident_id(f"320102{born:%Y%m%d}{serial % 1000:03d}")
    mobile = f"137{serial % 100000000:08d}"
    person = services.person_create_verified(
        id_type=IdType.RESIDENT, id_number=id_number, name="周小雨", mobile=mobile, password=PASSWORD
    )
    demo_card_for(id_number=id_number, name=person.name)
    return {"person": person, "id_number": id_number, "mobile": mobile}


def api_session(base: str, identifier: str) -> requests.Session:
    """The app's way in: 账号密码 → a bearer token."""
    session = requests.Session()
    response = session.post(
        base + "/api/v1/auth/login/password",
        json={"identifier": identifier, "password": PASSWORD},
        timeout=30,
    )
    assert response.status_code == 200, response.text
    session.headers["Authorization"] = "Bearer " + response.json()["access"]
    return session


def _csrf(session: requests.Session, url: str) -> str:
    page = session.get(url, timeout=30)
    assert page.status_code == 200, (url, page.status_code)
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)


def post_form(session: requests.Session, url: str, data: dict, *, form_url: str | None = None):
    token = _csrf(session, form_url or url)
    return session.post(url, data={**data, "csrfmiddlewaretoken": token}, timeout=60, allow_redirects=False)


def staff_session(base: str, username: str) -> requests.Session:
    """单位登录 through the pages: the password, then the SMS code from the outbox."""
    from servicehall.accounts.models import User

    session = requests.Session()
    first = post_form(session, base + "/accounts/login/org/", {"identifier": username, "password": PASSWORD})
    assert first.status_code == 302, first.text[:500]
    mobile = User.objects.get(username=username).mobile
    second = post_form(session, base + "/accounts/login/org/verify/", {"sms_code": sms_code(mobile)})
    assert second.status_code == 302, second.text[:500]
    assert second.headers["Location"].endswith("/accounts/org/")
    return session


def demo_world() -> dict:
    """The demo's reviewers, as the factories' `world` names them."""
    from servicehall.accounts.models import User

    names = {"school": "nju.reviewer", "first": "nj.reviewer1", "second": "nj.reviewer2"}
    return {key: User.objects.get(username=username) for key, username in names.items()}
