"""The English translation: every string of the catalogue translated, the compiled catalogue in
step with the .po, and the language switch actually turning the pages into English.

When a test here fails after a change to the hall's strings, run `make messages`, translate the
new entries in locale/en/LC_MESSAGES/django.po, and run `make messages` again to compile."""

import ast
import gettext
import re
from collections import Counter
from pathlib import Path

import pytest
from django.conf import settings

LC_MESSAGES = Path(settings.LOCALE_PATHS[0]) / "en" / "LC_MESSAGES"
PO = LC_MESSAGES / "django.po"
MO = LC_MESSAGES / "django.mo"

CJK = re.compile(r"[\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uff00-\uffef]")
PERCENT_PLACEHOLDER = re.compile(r"%\((\w+)\)[#0 +-]*\d*(?:\.\d+)?[sdifr]|%[#0 +-]*\d*(?:\.\d+)?[sdif]")
BRACE_PLACEHOLDER = re.compile(r"(?<!\{)\{(\w*)(?:![rsa])?(?::[^{}]*)?\}(?!\})")


# --- A tiny .po reader (polib is not installed) --------------------------------------------


def _unquote(literal: str) -> str:
    value = ast.literal_eval(literal)
    assert isinstance(value, str), literal
    return value


def parse_po(text: str) -> list[dict]:
    """The entries of a .po file, in order. Each is a dict with "flags" (a set) and the keyword
    fields ("msgid", "msgid_plural", "msgstr" or "msgstr[0]"…, "msgctxt") as strings. Obsolete
    entries (#~) are skipped."""
    entries: list[dict] = []
    entry: dict | None = None
    key = None
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line:
            if entry is not None:
                entries.append(entry)
            entry, key = None, None
            continue
        if entry is None:
            entry = {"flags": set(), "line": number}
        if line.startswith("#,"):
            entry["flags"].update(flag.strip() for flag in line[2:].split(",") if flag.strip())
            continue
        if line.startswith("#"):
            continue
        match = re.match(r'^(msgctxt|msgid_plural|msgid|msgstr(?:\[\d+\])?)\s+(".*")$', line)
        if match:
            key = match.group(1)
            entry[key] = _unquote(match.group(2))
        elif line.startswith('"') and key is not None:
            entry[key] += _unquote(line)
        else:
            raise ValueError(f"line {number} of the .po is not understood: {raw!r}")
    if entry is not None:
        entries.append(entry)
    return [e for e in entries if "msgid" in e]


def _header(entries: list[dict]) -> dict:
    return next(e for e in entries if e["msgid"] == "" and "msgctxt" not in e)


def _messages(entries: list[dict]) -> list[dict]:
    return [e for e in entries if not (e["msgid"] == "" and "msgctxt" not in e)]


def _translations(entry: dict) -> list[str]:
    return [value for key, value in sorted(entry.items()) if key.startswith("msgstr")]


def _placeholders(text: str, flags: set[str]) -> Counter:
    found = Counter(
        f"%({m.group(1)})" if m.group(1) else m.group(0) for m in PERCENT_PLACEHOLDER.finditer(text)
    )
    if "python-brace-format" in flags:
        found.update("{" + m.group(1) + "}" for m in BRACE_PLACEHOLDER.finditer(text))
    return found


def catalogue_problems(text: str) -> list[str]:
    """Everything wrong with a .po's content: header, fuzzy or empty entries, placeholders
    that were lost, added or renamed."""
    entries = parse_po(text)
    problems = []
    header = _header(entries)
    if "fuzzy" in header["flags"]:
        problems.append("the header is marked fuzzy")
    fields = dict(line.split(":", 1) for line in header["msgstr"].splitlines() if ":" in line)
    if fields.get("Language", "").strip() != "en":
        problems.append(f"header Language is {fields.get('Language')!r}, not 'en'")
    if "charset=UTF-8" not in fields.get("Content-Type", ""):
        problems.append(f"header Content-Type is {fields.get('Content-Type')!r}")
    if fields.get("Plural-Forms", "").replace(" ", "") != "nplurals=2;plural=(n!=1);":
        problems.append(f"header Plural-Forms is {fields.get('Plural-Forms')!r}")
    for entry in _messages(entries):
        msgid = entry["msgid"]
        if "fuzzy" in entry["flags"]:
            problems.append(f"fuzzy: {msgid!r}")
        translations = _translations(entry)
        if "msgid_plural" in entry and len(translations) != 2:
            problems.append(f"needs 2 plural forms: {msgid!r}")
        if not translations or any(not value.strip() for value in translations):
            problems.append(f"untranslated: {msgid!r}")
            continue
        wanted = _placeholders(msgid, entry["flags"])
        for value in translations:
            if _placeholders(value, entry["flags"]) != wanted:
                problems.append(f"placeholders differ: {msgid!r} -> {value!r}")
    return problems


def po_catalogue(text: str) -> dict:
    """The .po as GNUTranslations holds a .mo: msgid -> msgstr, (msgid, n) -> msgstr[n]."""
    catalogue = {}
    for entry in _messages(parse_po(text)):
        msgid = entry["msgid"]
        if "msgctxt" in entry:
            msgid = entry["msgctxt"] + "\x04" + msgid
        if "msgid_plural" in entry:
            for key, value in entry.items():
                if key.startswith("msgstr["):
                    catalogue[(msgid, int(key[7:-1]))] = value
        else:
            catalogue[msgid] = entry["msgstr"]
    return catalogue


# --- The catalogue ---------------------------------------------------------------------------


def test_po_and_mo_files_exist():
    assert PO.is_file(), f"{PO} is missing: run `make messages`"
    assert MO.is_file(), f"{MO} is missing: run `make messages`"


def test_every_entry_is_translated_and_none_is_fuzzy():
    text = PO.read_text(encoding="utf-8")
    assert len(_messages(parse_po(text))) > 100, "the catalogue looks truncated"
    problems = catalogue_problems(text)
    assert not problems, "\n".join(problems)


def test_translations_are_english():
    # The language's own name keeps its Chinese, and so do examples of what the person types
    # (school and place names are searched in Chinese); nothing else should.
    keep = ("简体中文", "张家港市", "南京市", "南京")
    chinese = []
    for entry in _messages(parse_po(PO.read_text(encoding="utf-8"))):
        for value in _translations(entry):
            rest = value
            for word in keep:
                rest = rest.replace(word, "")
            if CJK.search(rest):
                chinese.append(f"{entry['msgid']!r} -> {value!r}")
    assert not chinese, "\n".join(chinese)


def test_compiled_catalogue_matches_the_po():
    with MO.open("rb") as handle:
        compiled = gettext.GNUTranslations(handle)
    mo = {key: value for key, value in compiled._catalog.items() if key != ""}
    po = {key: value for key, value in po_catalogue(PO.read_text(encoding="utf-8")).items() if value}
    assert set(po) == set(mo), (
        "django.mo is out of date, run `make messages`. "
        f"Only in the .po: {sorted(map(str, set(po) - set(mo)))[:5]}; "
        f"only in the .mo: {sorted(map(str, set(mo) - set(po)))[:5]}"
    )
    changed = sorted(str(key) for key in po if po[key] != mo[key])
    assert not changed, f"django.mo is out of date, run `make messages`: {changed[:5]}"
    assert compiled.info().get("language") == "en"


# The checks above must be able to fail: feed them broken catalogues.

GOOD_HEADER = (
    'msgid ""\nmsgstr ""\n"Language: en\\n"\n"Content-Type: text/plain; charset=UTF-8\\n"\n'
    '"Plural-Forms: nplurals=2; plural=(n != 1);\\n"\n\n'
)


@pytest.mark.parametrize(
    ("body", "problem"),
    [
        ('msgid "登录"\nmsgstr ""\n', "untranslated"),
        ('#, fuzzy\nmsgid "登录"\nmsgstr "Log in"\n', "fuzzy"),
        ('#, python-format\nmsgid "您好，%(name)s。"\nmsgstr "Hello, %(nome)s."\n', "placeholders differ"),
        (
            '#, python-brace-format\nmsgid "请于{time}后再试"\nmsgstr "Try again later"\n',
            "placeholders differ",
        ),
        (
            '#, python-format\nmsgid "共 %(count)s 所学校"\nmsgid_plural "共 %(count)s 所学校"\n'
            'msgstr[0] "%(count)s school"\nmsgstr[1] ""\n',
            "untranslated",
        ),
    ],
)
def test_catalogue_check_catches_a_broken_entry(body, problem):
    problems = catalogue_problems(GOOD_HEADER + body)
    assert any(p.startswith(problem) for p in problems), problems


def test_catalogue_check_catches_a_fuzzy_header():
    problems = catalogue_problems("#, fuzzy\n" + GOOD_HEADER.replace("Language: en", "Language: "))
    assert "the header is marked fuzzy" in problems
    assert any(p.startswith("header Language") for p in problems)


def test_catalogue_check_passes_a_good_catalogue():
    body = (
        '#, python-format\nmsgid "您好，%(name)s。"\nmsgstr "Hello, %(name)s."\n\n'
        '#, python-brace-format\nmsgid ""\n"验证码已发送至{mobile}"\n'
        'msgstr "We have sent a code to {mobile}"\n'
    )
    assert catalogue_problems(GOOD_HEADER + body) == []
    assert po_catalogue(GOOD_HEADER + body) == {
        "您好，%(name)s。": "Hello, %(name)s.",
        "验证码已发送至{mobile}": "We have sent a code to {mobile}",
    }


# --- The pages -------------------------------------------------------------------------------


@pytest.mark.django_db
def test_login_page_is_chinese_by_default(client):
    response = client.get("/accounts/login/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "个人登录" in page
    assert "Personal login" not in page
    assert '<html lang="zh-CN">' in page


@pytest.mark.django_db
def test_switching_to_english_translates_the_login_page(client):
    switched = client.post("/i18n/setlang/", {"language": "en", "next": "/accounts/login/"})
    assert switched.status_code == 302
    assert switched.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"

    response = client.get("/accounts/login/")
    assert response.status_code == 200
    page = response.content.decode()
    assert '<html lang="en">' in page
    for english in ("Personal login", "Organisation login", "Scan QR code", "SMS code login", "Log in"):
        assert english in page
    assert "个人登录" not in page
    assert "单位登录" not in page
    # Nothing Chinese is left on the page except the language's own name in the switcher.
    assert not CJK.search(page.replace("简体中文", "")), sorted(set(CJK.findall(page)))


@pytest.mark.django_db
def test_switching_back_to_chinese(client):
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert "Personal login" in client.get("/accounts/login/").content.decode()
    client.post("/i18n/setlang/", {"language": "zh-hans", "next": "/"})
    page = client.get("/accounts/login/").content.decode()
    assert "个人登录" in page
    assert "Personal login" not in page
