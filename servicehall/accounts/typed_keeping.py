"""What a person typed into a long form is not lost when their session ends while they type.

A web session ends after thirty idle minutes (idle_sessions). A person filling the application
form for longer, looking for a document, sends the form to a session that has ended: the login
redirect would drop everything. Instead:

- The form carries `typed_owner`, the person's id signed (it says who typed, and nothing else).
- A POST that arrives without a session but with a valid `typed_owner` is kept: its text fields
  (never the files: the person uploads those again) encrypted (core.crypto), in the cache, for
  KEEP_SECONDS, under a random key that only a cookie of this browser holds. The person is sent
  to the login with the form as `next`, and told their words are kept.
- After the login, the form's page (`keeps_typed_after_expiry` on its view) takes the kept POST
  back, once, if it is this browser's and the logged-in person is the one who typed it, and
  replays it as 保存草稿: the same path as a save with a live session, so every check applies.

Before it comes to that, the page warns a few minutes before the session ends and offers to
extend it (session_extend, and hall.js)."""

import json
import secrets
from functools import wraps

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core import signing
from django.core.cache import cache
from django.http import QueryDict
from django.utils.datastructures import MultiValueDict
from django.utils.translation import gettext as _

from servicehall.core.crypto import DecryptionError, decrypt, encrypt

OWNER_FIELD = "typed_owner"
OWNER_SALT = "accounts.typed_owner"
OWNER_MAX_AGE = 24 * 60 * 60  # a form left open overnight still says who typed into it
COOKIE = "typed_kept"
KEEP_SECONDS = 30 * 60
MAX_FIELDS = 200
MAX_BYTES = 64 * 1024
SKIPPED = {"csrfmiddlewaretoken", OWNER_FIELD}


def owner_token(user) -> str:
    return signing.dumps(user.pk, salt=OWNER_SALT)


def _owner_of(token: str) -> int | None:
    try:
        return int(signing.loads(token[:200], salt=OWNER_SALT, max_age=OWNER_MAX_AGE))
    except (signing.BadSignature, TypeError, ValueError):
        return None


def _cache_key(key: str) -> str:
    return f"typed-kept:{key}"


def _keep(request) -> str | None:
    """The POST's text kept for its owner; the key, or None when it cannot be kept."""
    owner = _owner_of(request.POST.get(OWNER_FIELD, ""))
    if owner is None:
        return None
    fields = [(name, values) for name, values in request.POST.lists() if name not in SKIPPED]
    payload = json.dumps({"owner": owner, "path": request.path, "fields": fields[:MAX_FIELDS]})
    if len(payload.encode()) > MAX_BYTES:
        return None
    key = secrets.token_urlsafe(24)
    cache.set(_cache_key(key), encrypt(payload), timeout=KEEP_SECONDS)
    return key


def _take(request) -> QueryDict | None:
    """The kept POST of this browser, once, if the logged-in person typed it on this page."""
    key = request.COOKIES.get(COOKIE, "")
    if not key or len(key) > 64:
        return None
    kept = cache.get(_cache_key(key))
    cache.delete(_cache_key(key))
    if not kept:
        return None
    try:
        payload = json.loads(decrypt(kept))
    except (DecryptionError, ValueError, TypeError):
        return None
    if not isinstance(payload, dict):
        return None
    if payload.get("owner") != request.user.pk or payload.get("path") != request.path:
        return None
    data = QueryDict(mutable=True)
    for name, values in payload.get("fields", []):
        data.setlist(name, values)
    data["action"] = "save_draft"  # never submitted on the person's behalf
    return data


def keeps_typed_after_expiry(view):
    """For a long form's view (the outermost decorator): keep a POST that arrives after the
    session ended, and replay it as a draft save after the login."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if request.method == "POST" and not request.user.is_authenticated:
            key = _keep(request)
            if key is not None:
                messages.warning(request, _(
                    "登录已超时，请重新登录。您填写的内容已为您暂存，重新登录后将自动恢复"
                    "（上传的文件需要重新上传）。"
                ))
                response = redirect_to_login(request.get_full_path())
                response.set_cookie(
                    COOKIE, key, max_age=KEEP_SECONDS, path=request.path, httponly=True, samesite="Lax",
                    secure=request.is_secure(),
                )
                return response
        if request.method == "GET" and request.user.is_authenticated and COOKIE in request.COOKIES:
            data = _take(request)
            if data is not None:
                request.method = "POST"
                request.POST = data
                request._files = MultiValueDict()
                messages.info(request, _("已恢复您登录超时前填写的内容并保存为草稿，请检查后继续填写。"))
            response = view(request, *args, **kwargs)
            response.delete_cookie(COOKIE, path=request.path, samesite="Lax")
            return response
        return view(request, *args, **kwargs)

    return wrapper
