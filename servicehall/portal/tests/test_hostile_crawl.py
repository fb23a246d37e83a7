"""Every page and every form, anonymous and as each role, fed hostile input: never a 500.

The URLconf is walked (path parameters filled with real objects' ids and with hostile ones);
every page that answers is parsed for its <form>s, and each form is sent with one field at a
time (text, hidden, select, checkbox, file, the submit button's value and `next`) replaced by
a hostile value, plus the same name twice and bytes that are not UTF-8; every page that
answers is also asked for with hostile query strings. The Django admin's own pages are not
walked (they are Django's), except its index and the list and add pages of each model."""

import logging
import re
import time
from urllib.parse import urlencode, urlsplit

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from servicehall.accounts.tests.factories import PersonFactory
from servicehall.subsidy.tests.factories import submit_for, to_awaiting_payment

from .crawl import HOSTILE, HUGE_INT, QUERY_PARAMS, RAW, forms_on, sample, url_patterns

pytestmark = pytest.mark.django_db
CONVERTER = re.compile(r"<(?:(\w+):)?(\w+)>")
HOSTILE_PARAM = {"int": [HUGE_INT, "0"], "str": ["a" * 300], "slug": ["a" * 300],
                 "uuid": ["00000000-0000-0000-0000-000000000000"], "path": ["../x"]}
ADMIN_KEPT = re.compile(r"^admin/(\w+/\w+/(add/)?)?$")
FORM_VALUES_PER_FIELD = 2


@pytest.fixture
def cast(world, officers, operator, auditor, person, year):
    from servicehall.payments import services as payments

    own = submit_for(person)
    to_awaiting_payment(world, [submit_for(PersonFactory(index=i)) for i in range(2)])
    batch = payments.batch_build(actor=officers["maker"], graduation_year=year)
    return {
        "users": {"anonymous": None, "applicant": person, "school": world["school"],
                  "first": world["first"], "second": world["second"], "maker": officers["maker"],
                  "checker": officers["checker"], "operator": operator, "auditor": auditor},
        "application": own, "batch": batch,
    }


def _real_params(cast) -> dict:
    """Real values for path parameters, by parameter name then by URL name."""
    from servicehall.accounts.models import AccountAppeal
    from servicehall.cards.models import CardImportBatch, OutletImportBatch
    from servicehall.catalog.models import Audience, Service
    from servicehall.evaluation.models import Evaluation
    from servicehall.messaging.models import SiteMessage
    from servicehall.notices.models import Notice
    from servicehall.payments.models import PaymentJob
    from servicehall.subsidy.models import Material, Publicity
    from servicehall.verification.models import Registry, RegistryBatch

    def pk(model):
        row = model.objects.order_by("pk").first()
        return str(row.pk) if row else None

    application, batch = cast["application"], cast["batch"]
    material = Material.objects.filter(owner=application.applicant).first()
    bank = batch.items.values_list("bank", flat=True).first() if hasattr(batch, "items") else None
    return {
        "notices:detail": {"pk": pk(Notice)},
        "catalog:theme": {"code": Audience.objects.values_list("code", flat=True).first()},
        "catalog:guide": {"code": Service.objects.values_list("code", flat=True).first()},
        "cards:import_report": {"batch_id": pk(CardImportBatch)},
        "cards:outlet_import_report": {"batch_id": pk(OutletImportBatch)},
        "subsidy:objection": {"pk": pk(Publicity)},
        "subsidy:material_file": {"pk": str(material.pk) if material else None},
        "subsidy:review_material": {"pk": str(application.pk),
                                    "material_id": str(material.pk) if material else None},
        "payments:job": {"pk": pk(PaymentJob)},
        "payments:bank_file": {"pk": str(batch.pk), "bank": bank},
        "payments:bank_excel": {"pk": str(batch.pk), "bank": bank},
        "evaluation:detail": {"pk": pk(Evaluation)},
        "verification:batch": {"pk": pk(RegistryBatch)},
        "verification:import": {"registry": Registry.values[0]},
        "accounts:staff_edit": {"pk": str(cast["users"]["school"].pk)},
        "accounts:staff_activate": {"pk": str(cast["users"]["school"].pk)},
        "accounts:appeal_detail": {"appeal_id": pk(AccountAppeal)},
        "messaging:inbox_message": {"pk": pk(SiteMessage)},
        "reference:region_options": {"code": "320100"},
        "cards:verify": {"token": "abc"},
        "accounts:qr_confirm": {"token": "abc"},
        "*pk": {"pk": str(application.pk)},
        "payments*": {"pk": str(batch.pk)},
        "payments:reissue": {"pk": str(application.pk)},
    }


def _urls(cast) -> list[str]:
    """Every GET-able URL of the URLconf, each parameterised pattern with real and hostile ids."""
    real = _real_params(cast)
    urls = []
    for route, name, _pattern in url_patterns():
        if route.startswith("api/") or route.startswith("^"):
            continue  # the API has its own schema-driven fuzzing (servicehall/api/tests)
        if route.startswith("admin/") and not ADMIN_KEPT.match(route):
            continue
        params = CONVERTER.findall(route)
        if not params:
            urls.append("/" + route)
            continue
        known = real.get(name) or (real["payments*"] if (name or "").startswith("payments:")
                                   else real["*pk"])
        if all(known.get(p) for _c, p in params):
            urls.append("/" + CONVERTER.sub(lambda m, known=known: known[m.group(2)], route))
        for index in range(max(len(HOSTILE_PARAM[c or "str"]) for c, _p in params)):
            urls.append("/" + CONVERTER.sub(lambda m, index=index: _hostile_param(m.group(1), index), route))
    return urls


def _hostile_param(converter, index: int) -> str:
    values = HOSTILE_PARAM[converter or "str"]
    return values[index % len(values)]


class Crawl:
    def __init__(self):
        self.failures, self.requests, self.pages, self.forms, self.fields = [], 0, set(), set(), set()

    def send(self, client, method, url, data=None, raw=None):
        self.requests += 1
        try:
            if raw is not None and method == "post":
                response = client.post(url, raw, content_type="application/x-www-form-urlencoded")
            elif raw is not None:
                response = client.get(url.split("?")[0] + "?" + raw)
            elif method == "post":
                response = client.post(url, data or {})
            else:
                response = client.get(url, data or {})
        except Exception as exc:
            error = f"{type(exc).__name__}: {exc}"[:300]
            self.failures.append((method, url[:120], _short(data or raw), error))
            return None
        if response.status_code >= 500:
            self.failures.append((method, url[:120], _short(data or raw), response.status_code))
        return response


def _short(data) -> str:
    return repr({k: (v[:40] if isinstance(v, str) else v) for k, v in data.items()}
                if isinstance(data, dict) else data)[:300]


def _hostile_file(index: int):
    return [SimpleUploadedFile("../../etc/passwd", b"\x00\xff" * 64),
            SimpleUploadedFile("empty.png", b"", content_type="image/png"),
            "abc"][index % 3]


def _fuzz_form(crawl, client, form, login):
    base = form.baseline()
    method = "post" if form.method == "post" else "get"
    url = form.action
    if urlsplit(url).netloc not in ("", "testserver"):
        return
    counter = len(crawl.fields)
    for position, field in enumerate(f for f in form.fields if f.name):
        crawl.fields.add((*form.key(), field.name))
        if field.name == "next":
            values = [*HOSTILE, None]  # every value: the assessor's case
        else:
            values = sample(counter + position, FORM_VALUES_PER_FIELD)
        for value in values:
            login()
            data = dict(base)
            if field.kind == "file" and method == "post":
                data[field.name] = _hostile_file(counter + position + len(data))
            elif value is None:
                data.pop(field.name, None)
            else:
                data[field.name] = value
            crawl.send(client, method, url, data)
        login()
        crawl.send(client, method, url, {**base, field.name: ["1", "abc"]})  # the same name twice
        login()
        rest = urlencode({k: v for k, v in base.items() if k != field.name})
        crawl.send(client, method, url, raw=f"{rest}&{field.name}={RAW[position % len(RAW)]}")


def _visit(crawl, client, url, login, seen_forms, who):
    login()
    response = crawl.send(client, "get", url)
    if response is None or response.status_code != 200:
        return
    crawl.pages.add(url)
    login()
    crawl.send(client, "get", url, dict.fromkeys(QUERY_PARAMS, HOSTILE[len(crawl.pages) % len(HOSTILE)]))
    login()
    crawl.send(client, "get", url, raw="&".join(f"{p}={RAW[0]}" for p in QUERY_PARAMS))
    if "html" not in response.get("Content-Type", ""):
        return
    for form in forms_on("http://testserver" + url, response.content.decode()):
        key = form.key()
        crawl.forms.add(key)
        if key in seen_forms:
            continue
        seen_forms.add(key)
        _fuzz_form(crawl, client, form, login)


def test_no_hostile_input_on_any_page_reaches_a_server_error(cast, caplog):
    caplog.set_level(logging.ERROR, logger="django.request")  # thousands of expected 403/404s
    started = time.monotonic()
    crawl = Crawl()
    urls = _urls(cast)
    seen_forms: set = set()
    for who, user in cast["users"].items():
        client = Client(raise_request_exception=True)

        def login(client=client, user=user):
            if user is not None and "_auth_user_id" not in client.session:
                client.force_login(user)

        for url in urls:
            _visit(crawl, client, url, login, seen_forms, who)
    took = time.monotonic() - started
    print(f"\ncrawl: {len(urls)} URLs x {len(cast['users'])} visitors, {len(crawl.pages)} pages answered, "
          f"{len(crawl.forms)} distinct forms, {len(crawl.fields)} fields, {crawl.requests} requests, "
          f"{took:.0f}s")
    assert not crawl.failures, "\n".join(map(str, crawl.failures[:60])) + f"\n({len(crawl.failures)} in all)"
