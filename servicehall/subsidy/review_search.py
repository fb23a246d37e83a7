"""The reviewers' search text (a name, a record number or a whole ID number) never travels in a
URL, where access logs, proxy logs and the browser's history would keep it. The search form is
POSTed; the text is kept in the session, encrypted, under a random token, and the queue's URL
carries only `s=<token>`. Paging, tabs, the export and batch decisions keep the token like any
other filter. This module is the only place that turns one into the other."""

import secrets
import time

from django.http import QueryDict

from servicehall.core.crypto import DecryptionError, decrypt, encrypt

TOKEN_PARAM = "s"  # noqa: S105 - a query parameter's name, not a secret
SEARCH_FIELD = "q"
SESSION_KEY = "review_searches"
KEPT = 20  # searches remembered per session; the oldest is forgotten first
LIFETIME = 8 * 60 * 60  # a working day
TEXT_MAX = 200  # longer than the form allows, so the form still says it is too long


def search_remember(request, text: str) -> str:
    """Keep `text` in the session and return the token that stands for it in URLs."""
    now = int(time.time())
    kept = {
        token: item for token, item in (request.session.get(SESSION_KEY) or {}).items()
        if isinstance(item, dict) and now - item.get("at", 0) < LIFETIME
    }
    token = secrets.token_urlsafe(12)
    kept[token] = {"text": encrypt(text[:TEXT_MAX]), "at": now}
    newest = sorted(kept.items(), key=lambda pair: pair[1]["at"])[-KEPT:]
    request.session[SESSION_KEY] = dict(newest)
    return token


def search_recall(request, token: str) -> str | None:
    """The text a token of this session stands for, or None when it is unknown or too old."""
    item = (request.session.get(SESSION_KEY) or {}).get(token)
    if not isinstance(item, dict) or time.time() - item.get("at", 0) >= LIFETIME:
        return None
    try:
        return decrypt(item["text"])
    except (DecryptionError, KeyError, TypeError, ValueError):
        return None


def query_from_post(request, keys) -> str:
    """The queue's query string for a POSTed filter form: the search text replaced by a token."""
    query = QueryDict(mutable=True)
    for key in keys:
        value = request.POST.get(key, "").strip()
        if key == SEARCH_FIELD or not value:
            continue
        query[key] = value
    text = request.POST.get(SEARCH_FIELD, "").strip()
    if text:
        query[TOKEN_PARAM] = search_remember(request, text)
    return query.urlencode()


def filter_data(request) -> tuple[QueryDict, bool]:
    """What the filter form reads: the URL's parameters, with the search text recalled from its
    token (a `q` in the URL itself is ignored). The flag says a token was given but is gone."""
    data = request.GET.copy()
    data.pop(SEARCH_FIELD, None)
    token = data.get(TOKEN_PARAM, "")
    if not token:
        return data, False
    text = search_recall(request, token)
    if text is None:
        data.pop(TOKEN_PARAM)
        return data, True
    data[SEARCH_FIELD] = text
    return data, False
