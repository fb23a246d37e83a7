"""A search for a personal number (an ID number, a mobile) never travels in a URL, where access
logs, proxy logs and the browser's history would keep it. The page POSTs the search; the text
is kept in the session, encrypted, under a random token, and the URL carries only the token.
Every search of a person's number in the hall goes through here (the reviewers' queue,
subsidy/review_search.py; the SMS log in the admin, messaging/admin.py)."""

import secrets
import time

from servicehall.core.crypto import DecryptionError, decrypt, encrypt

SESSION_KEY = "search_tokens"
KEPT = 20  # searches remembered per session; the oldest is forgotten first
LIFETIME = 8 * 60 * 60  # a working day
TEXT_MAX = 200


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
