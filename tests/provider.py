"""The local OpenID Connect provider (devprovider/) for the tests: one per test worker, on a
free port with its own data directory and its test-only fault switches on, stopped at the end
of the session. `local_provider` is a pytest fixture (registered in the root conftest)."""

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
START_SECONDS = 30


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _call(url: str, body: dict | None = None) -> dict:
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(url, data=data,  # noqa: S310 - http on loopback
                                     headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310

        return json.loads(response.read())


@dataclass
class LocalProvider:
    issuer: str
    client_id: str = "servicehall-web"
    client_secret: str = "servicehall-dev-secret"

    def fault(self, mode: str, seconds: float | None = None) -> None:
        """Arm a one-shot fault on the next token response: signature, issuer, audience, nonce,
        slow (`seconds`), expired_code; or "none"."""
        _call(f"{self.issuer}/_faults", {"mode": mode, "seconds": seconds})

    def identity(self, username: str, *, password: str = "Demo@2026", name: str = "",  # noqa: S107
                 id_number=None,
                 mobile=None) -> str:
        return _call(f"{self.issuer}/_identities", {
            "username": username, "password": password, "name": name or username,
            "id_number": id_number or "", "mobile": mobile or ""})["sub"]

    def sub(self, username: str) -> str:
        return _call(f"{self.issuer}/_identities/{username}")["sub"]


@pytest.fixture(scope="session")
def local_provider(tmp_path_factory):
    port = _free_port()
    data = tmp_path_factory.mktemp("devprovider")
    process = subprocess.Popen(
        [sys.executable, "-m", "devprovider", "--port", str(port), "--data", str(data), "--quiet"],
        cwd=ROOT, env={**os.environ, "DEVPROVIDER_FAULTS": "1"}, start_new_session=True,
        stdout=subprocess.DEVNULL, stderr=open(data / "provider.log", "w"),
    )
    provider = LocalProvider(issuer=f"http://127.0.0.1:{port}")
    deadline = time.monotonic() + START_SECONDS
    try:
        while True:
            try:
                _call(f"{provider.issuer}/.well-known/openid-configuration")
                break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError("the local provider did not start: "
                                       + (data / "provider.log").read_text()[-2000:]) from None
                time.sleep(0.2)
        yield provider
    finally:
        try:
            os.killpg(process.pid, signal.SIGTERM)
            process.wait(timeout=10)
        except (ProcessLookupError, subprocess.TimeoutExpired):
            os.killpg(process.pid, signal.SIGKILL)
