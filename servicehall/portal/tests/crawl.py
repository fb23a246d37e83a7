"""The hostile crawler's pieces: the URLconf's GET pages, the forms on a page (html.parser),
and the hostile values each field is tried with."""

from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

from django.urls import URLPattern, URLResolver, get_resolver

HUGE_INT = "99999999999999999999"
HOSTILE = [
    "",
    "x" * 100_000,
    "abc",
    "\x00",
    "../../etc/passwd",
    "'\"><script>alert(1)</script>",
    "-1",
    HUGE_INT,
    "1e309",
    "2026-02-30",
    "１２",
    "' OR '1'='1' --",
    "javascript:alert(1)",
    "//evil.example/",
]
# Sent as raw bytes, not through urlencode: a lone surrogate and bytes that are not UTF-8.
RAW = ["%ED%A0%80", "%FF%FE"]
QUERY_PARAMS = ["next", "q", "page", "tab", "status", "year", "city", "kind", "school", "region",
                "category", "date_from", "date_to", "role", "active", "sort", "bank", "person"]


def url_patterns(resolver=None, prefix=""):
    """(route, name, pattern) of every view in the URLconf, the route with its <converters>."""
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            namespace = entry.namespace
            for route, name, pattern in url_patterns(entry, prefix + str(entry.pattern)):
                yield route, f"{namespace}:{name}" if namespace and name else name, pattern
        elif isinstance(entry, URLPattern):
            yield prefix + str(entry.pattern), entry.name, entry


@dataclass
class Field:
    name: str
    kind: str  # text, hidden, select, checkbox, radio, file, textarea, submit, ...
    value: str = ""
    options: list = field(default_factory=list)


@dataclass
class Form:
    action: str
    method: str
    fields: list = field(default_factory=list)

    def baseline(self) -> dict:
        """What a person pressing the first submit button would send, untouched."""
        data, pressed = {}, False
        for f in self.fields:
            if f.kind == "submit":
                if not pressed and f.name:
                    data[f.name] = f.value
                pressed = True
            elif f.kind in ("checkbox", "radio"):
                if f.value and f.name not in data:
                    data[f.name] = f.value
            elif f.kind == "select":
                data[f.name] = f.value or (f.options[0] if f.options else "")
            elif f.kind != "file":
                data.setdefault(f.name, f.value)
        return data

    def key(self) -> tuple:
        return self.method, urlsplit(self.action).path, tuple(sorted({f.name for f in self.fields}))


class FormParser(HTMLParser):
    def __init__(self, page_url: str):
        super().__init__(convert_charrefs=True)
        self.page_url = page_url
        self.forms: list[Form] = []
        self._form: Form | None = None
        self._select: Field | None = None
        self._textarea: Field | None = None

    def handle_starttag(self, tag, attrs):
        a = {k: (v or "") for k, v in attrs}
        if tag == "form":
            self._form = Form(urljoin(self.page_url, a.get("action") or self.page_url),
                              (a.get("method") or "get").lower())
            self.forms.append(self._form)
            return
        form = self._form
        if form is None or not a.get("name"):
            return
        if tag == "input":
            kind = (a.get("type") or "text").lower()
            if kind in ("checkbox", "radio") and "checked" not in a:
                value = ""
                form.fields.append(Field(a["name"], kind, value, [a.get("value", "on")]))
                return
            form.fields.append(Field(a["name"], kind, a.get("value", "on" if kind == "checkbox" else "")))
        elif tag == "button" and (a.get("type") or "submit") == "submit":
            form.fields.append(Field(a["name"], "submit", a.get("value", "")))
        elif tag == "select":
            self._select = Field(a["name"], "select")
            form.fields.append(self._select)
        elif tag == "option" and self._select is not None:
            self._select.options.append(a.get("value", ""))
            if "selected" in a:
                self._select.value = a.get("value", "")
        elif tag == "textarea":
            self._textarea = Field(a["name"], "textarea")
            form.fields.append(self._textarea)

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea.value += data

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None


def forms_on(page_url: str, html: str) -> list[Form]:
    parser = FormParser(page_url)
    parser.feed(html)
    return parser.forms


def sample(index: int, count: int) -> list[str]:
    """`count` hostile values for the index-th field tried, rotating so every value is used."""
    return [HOSTILE[(index * count + i) % len(HOSTILE)] for i in range(count)]
