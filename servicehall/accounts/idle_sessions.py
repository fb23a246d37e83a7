"""A web session ends after SESSION_COOKIE_AGE (thirty minutes) without a request.

Django can save the session on every request to push its end forward (SESSION_SAVE_EVERY_REQUEST),
but that is two round trips to the session store on every page a person opens, the dearest part
of a logged-in page under load. Instead the session is saved when it changes, and otherwise its
end is pushed forward at most once every SESSION_REFRESH_SECONDS (one minute): a session then
ends between twenty-nine and thirty minutes after the last request, whatever the store (the
cache in production, the database in development)."""

import time

from django.conf import settings
from django.contrib.sessions.middleware import SessionMiddleware

REFRESHED = "_refreshed_at"  # when the session's end was last pushed forward (Unix seconds)


class IdleSessionMiddleware(SessionMiddleware):
    def process_response(self, request, response):
        session = getattr(request, "session", None)
        if session is not None and session.accessed and not session.modified and not session.is_empty():
            now = int(time.time())
            if now - session.get(REFRESHED, 0) >= settings.SESSION_REFRESH_SECONDS:
                session[REFRESHED] = now  # modified: the middleware saves it and its new end
        return super().process_response(request, response)


def session_seconds_left() -> int:
    """How long a page may count on the session after the request that served it: a request
    pushes the end forward only once every SESSION_REFRESH_SECONDS, so the least that is left."""
    return settings.SESSION_COOKIE_AGE - settings.SESSION_REFRESH_SECONDS
