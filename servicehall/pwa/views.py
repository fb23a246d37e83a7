"""The web app manifest, the service worker, the page it shows when the network is gone, and
掌上办 (the hall on the phone: open it there, add it to the home screen)."""

import functools
import hashlib
import json
from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles import finders
from django.http import HttpResponse, HttpResponsePermanentRedirect
from django.shortcuts import render
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from servicehall.core.qr import qr_svg

THEME_COLOR = "#1a5dad"
BACKGROUND_COLOR = "#ffffff"
APP_TEMPLATES = Path(__file__).resolve().parent / "templates"


def _template_files():
    """The site-wide templates (base.html and what it includes) and this app's: what the offline
    page the worker keeps is made of, besides static files."""
    dirs = [Path(d) for engine in settings.TEMPLATES for d in engine.get("DIRS", [])]
    for directory in [*dirs, APP_TEMPLATES]:
        for path in sorted(p for p in directory.rglob("*") if p.is_file()):
            name = path.relative_to(directory).as_posix()
            if not any(part.startswith(".") or part.endswith("~") for part in name.split("/")):
                yield f"templates:{name}", path


def compute_cache_version() -> str:
    """A short hash of every static file the hall serves and of the templates of the offline
    page (path and content, in a fixed order). It changes exactly when one of them changes, and
    is the same on every server that runs the same release (no dates involved)."""
    digest = hashlib.sha256()

    def add(name: str, content: bytes) -> None:
        digest.update(name.encode() + b"\0" + hashlib.sha256(content).digest())

    seen = set()
    for finder in finders.get_finders():
        for path, storage in sorted(finder.list(["CVS", ".*", "*~"]), key=lambda item: item[0]):
            if path in seen:  # the first finder wins, as for collectstatic
                continue
            seen.add(path)
            with storage.open(path) as file:
                add(path, file.read())
    for name, path in _template_files():
        add(name, path.read_bytes())
    return digest.hexdigest()[:12]


@functools.cache
def _cached_version() -> str:
    return compute_cache_version()


def cache_version() -> str:
    """Computed once per process; in development on every request, since static files change
    there without a restart and the worker would otherwise keep serving the old ones."""
    return compute_cache_version() if settings.DEBUG else _cached_version()


@require_safe
def manifest(request):
    with translation.override("zh-hans"):  # the manifest says lang zh-CN
        name = str(settings.HALL_NAME)
    data = {
        "id": "/",
        "name": name,
        "short_name": "江苏人社",
        "start_url": "/",
        "scope": "/",
        "display": "standalone",
        "background_color": BACKGROUND_COLOR,
        "theme_color": THEME_COLOR,
        "lang": "zh-CN",
        "dir": "ltr",
        "icons": [
            {"src": static("pwa/icon-192.png"), "sizes": "192x192", "type": "image/png",
             "purpose": "any"},
            {"src": static("pwa/icon-512.png"), "sizes": "512x512", "type": "image/png",
             "purpose": "any"},
            {"src": static("pwa/icon-maskable-512.png"), "sizes": "512x512", "type": "image/png",
             "purpose": "maskable"},
            {"src": static("pwa/icon.svg"), "sizes": "any", "type": "image/svg+xml",
             "purpose": "any"},
        ],
    }
    return HttpResponse(
        json.dumps(data, ensure_ascii=False, indent=2),
        content_type="application/manifest+json; charset=utf-8",
    )


@require_safe
def service_worker(request):
    source = render_to_string("pwa/sw.js", {"version": cache_version()})
    response = HttpResponse(source, content_type="application/javascript; charset=utf-8")
    response["Service-Worker-Allowed"] = "/"
    # Browsers look for a new worker on every visit; never let a cache answer for it.
    response["Cache-Control"] = "no-cache"
    return response


@require_safe
def offline(request):
    return render(request, "pwa/offline.html")


@require_safe
def favicon(request):
    """/favicon.ico, which browsers ask for on pages that name no icon (the admin's, a PDF, the
    API's JSON): the hall's icon, by a permanent redirect to the static file."""
    return HttpResponsePermanentRedirect(static("hall/img/favicon.svg"))


@functools.lru_cache(maxsize=16)
def _address_qr(address: str, label: str) -> str:
    # A few addresses a process serves under (its host names), each drawn once.
    return qr_svg(address, label=label)


@require_safe
def mobile(request):
    """掌上办: the hall's own address as a QR code to open it on the phone, and how to add it to
    the phone's home screen (the manifest and the worker above make it installable)."""
    address = request.build_absolute_uri(reverse("portal:home"))
    return render(request, "pwa/mobile.html", {
        "hall_address": address,
        "qr_svg": _address_qr(address, _("大厅网址二维码")),
        "app_download_url": settings.HALL_APP_DOWNLOAD_URL,
    })
