"""A stand-in for the province's SMS gateway, for `make cluster` (as moto's server stands in for S3).

It speaks the contract the hall's HttpGateway speaks (messaging/gateways.py): POST /send with a
bearer token and {"mobile", "text", "sign"} as JSON, plus the message's own id as the
Idempotency-Key header; 2xx means accepted. Like a real gateway it accepts a key once: a message
sent again after a worker died between "accepted" and "marked sent" is answered 200 and not sent
twice. What it accepts is appended to a JSON lines file (the phones, for the tests).

For the cluster tests only, POST /_slow {"seconds": 4, "count": 1} makes the next `count` sends
wait that long after accepting (a gateway that is slow to answer), and GET /_accepted lists what
was accepted with how many times each key was offered.

    python scripts/sms_gateway.py --port 9200 --token TOKEN --file var/cluster/sms-gateway.jsonl
Standard library only."""

from __future__ import annotations

import argparse
import hmac
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path


class Gateway:
    def __init__(self, token: str, file: Path):
        self.token, self.file = token, file
        self.lock = threading.Lock()
        self.offered: dict[str, int] = {}
        self.slow_seconds, self.slow_count = 0.0, 0
        if file.exists():
            for line in file.read_text().splitlines():
                self.offered[json.loads(line)["key"]] = 1

    def accept(self, key: str, message: dict) -> float:
        """Record the message once per key; returns how long to wait before answering."""
        with self.lock:
            first = key not in self.offered
            self.offered[key] = self.offered.get(key, 0) + 1
            if first:
                with self.file.open("a", encoding="utf-8") as out:
                    line = json.dumps({"key": key, **message, "at": time.time()}, ensure_ascii=False)
                    out.write(line + "\n")
            if self.slow_count:
                self.slow_count -= 1
                return self.slow_seconds
            return 0.0


def handler_for(gateway: Gateway):
    class Handler(BaseHTTPRequestHandler):
        def _answer(self, status: int, body: dict) -> None:
            data = json.dumps(body, ensure_ascii=False).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json; charset=utf-8")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def _body(self) -> dict:
            length = int(self.headers.get("Content-Length") or 0)
            return json.loads(self.rfile.read(length) or b"{}")

        def do_POST(self):
            if self.path == "/_slow":
                body = self._body()
                with gateway.lock:
                    gateway.slow_seconds, gateway.slow_count = float(body["seconds"]), int(body["count"])
                return self._answer(200, {"ok": True})
            if self.path != "/send":
                return self._answer(404, {"error": "not found"})
            expected = f"Bearer {gateway.token}"
            if not hmac.compare_digest(self.headers.get("Authorization", ""), expected):
                return self._answer(401, {"error": "bad token"})
            key = self.headers.get("Idempotency-Key", "")
            body = self._body()
            if not key or not body.get("mobile") or not body.get("text"):
                return self._answer(400, {"error": "mobile, text and Idempotency-Key are required"})
            wait = gateway.accept(key, {"mobile": body["mobile"], "text": body["text"]})
            time.sleep(wait)
            return self._answer(200, {"accepted": key})

        def do_GET(self):
            if self.path == "/_accepted":
                with gateway.lock:
                    return self._answer(200, dict(gateway.offered))
            if self.path == "/health":
                return self._answer(200, {"ok": True})
            return self._answer(404, {"error": "not found"})

        def log_message(self, *args):  # the file is the log; no mobile numbers on the console
            return

    return Handler


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=9200)
    parser.add_argument("--token", required=True)
    parser.add_argument("--file", type=Path, required=True)
    args = parser.parse_args()
    gateway = Gateway(args.token, args.file)
    ThreadingHTTPServer((args.host, args.port), handler_for(gateway)).serve_forever()


if __name__ == "__main__":
    main()
