"""What the home page costs a phone: every request the browser makes, where it goes, and how
many bytes it carries (as served, and gzip-compressed as a reverse proxy would send it).

Run against a running hall (`make run` in another terminal):
    .venv/bin/python bench/home_page_weight.py [http://127.0.0.1:8000/]
"""

import gzip
import sys
from urllib.parse import urlsplit

from playwright.sync_api import sync_playwright

URL = sys.argv[1] if len(sys.argv) > 1 else "http://127.0.0.1:8000/"
CHROMIUM = "/usr/bin/chromium"


def main():
    origin = urlsplit(URL).netloc
    rows = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--headless", "--no-sandbox"])
        # A fresh phone with no cache and no service worker yet: the first visit.
        context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True,
                                      service_workers="block")
        page = context.new_page()
        page.on("requestfinished", lambda request: rows.append(request))
        page.goto(URL, wait_until="networkidle")
        measured = []
        for request in rows:
            response = request.response()
            body = response.body() if response else b""
            measured.append((request.resource_type, request.url, len(body), len(gzip.compress(body, 6))))
        browser.close()

    third_party = [url for _kind, url, *_ in measured if urlsplit(url).netloc != origin]
    html = [m for m in measured if m[0] == "document"]
    print(f"{'type':<11}{'bytes':>9}{'gzip':>9}  url")
    for kind, url, size, packed in measured:
        print(f"{kind:<11}{size:>9}{packed:>9}  {urlsplit(url).path}")
    total, total_packed = sum(m[2] for m in measured), sum(m[3] for m in measured)
    print(f"\nrequests: {len(measured)} ({len(html)} HTML), third-party: {len(third_party)}")
    print(f"total: {total / 1024:.1f} KiB as served, {total_packed / 1024:.1f} KiB gzip-compressed")
    if third_party:
        print("third-party requests:", *third_party, sep="\n  ")
        sys.exit(1)


if __name__ == "__main__":
    main()
