"""The local OpenID Connect provider (devprovider/) for the tests, as the pytest fixture
`local_provider` (registered in the root conftest through `pytest_plugins`).

One provider per test session, so one per pytest-xdist worker: `python -m devprovider` as a
subprocess on a free port of 127.0.0.1, with its own data directory and its test-only endpoints
on (DEVPROVIDER_FAULTS=1), stopped with its process group when the session ends. Its log is
`provider.log` in that data directory."""

import ctypes
import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DEMO_PASSWORD = "Demo@2026"
START_SECONDS = 30  # the first start migrates a new database: a few seconds, more on a busy machine
ATTEMPTS = 3  # another process may take the free port between the probe and the provider's bind
PORT_IN_USE = 98  # devprovider's exit status when it cannot bind the port


@dataclass
class LocalProvider:
    issuer: str  # http://127.0.0.1:<port>, no path
    data: Path
    client_id: str = "servicehall-web"
    client_secret: str = "servicehall-dev-secret"

    @property
    def discovery_url(self) -> str:
        return f"{self.issuer}/.well-known/openid-configuration"

    def fault(self, mode: str, seconds: float | None = None) -> None:
        """Arm a one-shot fault on the next token response: "signature", "issuer", "audience",
        "nonce", "slow" (sleep `seconds`, default 10), "expired_code"; "none" disarms."""
        _call(f"{self.issuer}/_faults", {"mode": mode, "seconds": seconds})

    def identity(self, username: str, *, password: str = DEMO_PASSWORD, name: str = "",
                 id_number: str | None = None, mobile: str | None = None) -> str:
        """Create or update a person at the provider; returns their `sub`."""
        return _call(f"{self.issuer}/_identities", {
            "username": username, "password": password, "name": name or username,
            "id_number": id_number or "", "mobile": mobile or ""})["sub"]

    def sub(self, username: str) -> str:
        return _call(f"{self.issuer}/_identities/{username}")["sub"]


def _call(url: str, body: dict | None = None) -> dict:
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(  # noqa: S310 - http on loopback
        url, data=data, headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310 - http on loopback
        return json.loads(response.read())


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _die_with_parent() -> None:  # pragma: no cover - runs in the child, before exec
    """Linux: the provider gets SIGTERM if pytest dies without tearing down (no orphans)."""
    if sys.platform.startswith("linux"):
        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG


def stop(process: subprocess.Popen) -> None:
    """Stop a process started with start_new_session=True, and its group."""
    for sig, wait in ((signal.SIGTERM, 10), (signal.SIGKILL, 5)):
        try:
            os.killpg(process.pid, sig)
        except ProcessLookupError:
            break
        try:
            process.wait(timeout=wait)
            break
        except subprocess.TimeoutExpired:
            continue


def _start(data: Path) -> tuple[subprocess.Popen, LocalProvider]:
    """Start the provider and wait until its discovery document answers."""
    log_path = data / "provider.log"
    for _attempt in range(ATTEMPTS):
        port = free_port()
        with open(log_path, "ab") as log:
            process = subprocess.Popen(
                [sys.executable, "-m", "devprovider", "--host", "127.0.0.1", "--port", str(port),
                 "--data", str(data), "--quiet"],
                cwd=ROOT, env={**os.environ, "DEVPROVIDER_FAULTS": "1"},
                stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=log,
                start_new_session=True, preexec_fn=_die_with_parent,
            )
        provider = LocalProvider(issuer=f"http://127.0.0.1:{port}", data=data)
        deadline = time.monotonic() + START_SECONDS
        while process.poll() is None and time.monotonic() < deadline:
            try:
                _call(provider.discovery_url)
                return process, provider
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                time.sleep(0.1)
        stop(process)
        if process.returncode != PORT_IN_USE:
            break
    raise RuntimeError(f"the local provider did not start; {log_path}:\n{log_path.read_text()[-3000:]}")


@pytest.fixture(scope="session")
def local_provider(tmp_path_factory):
    """The running local provider (a LocalProvider): .issuer, .client_id, .client_secret,
    .fault(mode, seconds=None), .identity(username, ...) -> sub, .sub(username)."""
    process, provider = _start(tmp_path_factory.mktemp("devprovider"))
    try:
        yield provider
    finally:
        stop(process)
