"""The files nginx needs from the hall (deploy/nginx/servicehall.conf): its body limits and the
answers it gives itself to a body larger than any the hall reads, worded by the hall's own
`request_limits`, so that the proxy never states a second copy of the rule.

    manage.py proxy_files --out /etc/nginx/servicehall

writes body-limits.conf (client_max_body_size for every page, a little above the hall's limit so
that the hall answers a body it refuses with its own page), registry-import-limits.conf (the one
larger upload), 413.html and 413.json."""

import json
from pathlib import Path

from django.contrib.auth.models import AnonymousUser
from django.core.management.base import BaseCommand
from django.template.loader import render_to_string
from django.test import RequestFactory

from servicehall.core.json_errors import error_body
from servicehall.portal.request_limits import (
    FORM_OVERHEAD_BYTES,
    MEGABYTE,
    REGISTRY_MAX_BYTES,
    body_limit,
    too_large_message,
)

# nginx refuses only what the hall would refuse anyway: the hall's limit plus this margin.
PROXY_MARGIN_BYTES = MEGABYTE


def _megabytes(limit: int) -> str:
    return f"{-(-(limit + PROXY_MARGIN_BYTES) // MEGABYTE)}m"


class Command(BaseCommand):
    help = "Write nginx's body limits and its 413 answers from the hall's own limits."

    def add_arguments(self, parser):
        parser.add_argument("--out", required=True, help="Directory to write the files into.")

    def handle(self, *args, out, **options):
        target = Path(out)
        target.mkdir(parents=True, exist_ok=True)
        limit = body_limit()
        (target / "body-limits.conf").write_text(f"client_max_body_size {_megabytes(limit)};\n")
        registry = REGISTRY_MAX_BYTES + FORM_OVERHEAD_BYTES
        (target / "registry-import-limits.conf").write_text(
            f"client_max_body_size {_megabytes(registry)};\n"
        )
        message = too_large_message(limit)
        request = RequestFactory().get("/")
        request.user = AnonymousUser()
        page = render_to_string(
            "portal/too_large.html", {"message": message, "back_url": "/"}, request=request
        )
        (target / "413.html").write_text(page, encoding="utf-8")
        body = error_body(message, code="request_too_large")
        (target / "413.json").write_text(json.dumps(body, ensure_ascii=False) + "\n", encoding="utf-8")
        self.stdout.write(f"nginx files written to {target}")
