"""Every write to the catalog: favourites, visit counts, the derived search keys."""

from __future__ import annotations

import atexit
import datetime
import logging
import threading
import time
from collections import Counter
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import DatabaseError, IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from servicehall.core.errors import DomainError
from servicehall.core.loaded import loaded_forget

from .models import Favourite, Service, ServiceVisit
from .search import search_text_for
from .selectors import FAVOURITES

logger = logging.getLogger(__name__)

if TYPE_CHECKING:
    from servicehall.accounts.models import User


def service_refresh_search_text(*, service: Service) -> None:
    """Recompute the search keys (pinyin included) after the name or synonyms change."""
    service.search_text = search_text_for(service.name, service.synonyms)
    service.save(update_fields=["search_text"])


def favourite_add(*, user: User, service: Service) -> Favourite:
    if not getattr(user, "is_person", False):
        raise DomainError(_("收藏功能仅供个人用户使用。"), code="not_person")
    favourite, _created = Favourite.objects.get_or_create(user=user, service=service)
    loaded_forget(user, FAVOURITES)
    return favourite


def favourite_remove(*, user: User, service: Service) -> None:
    Favourite.objects.filter(user=user, service=service).delete()
    loaded_forget(user, FAVOURITES)


# Visits are added up in each process and written at most every SERVICE_VISITS_FLUSH_SECONDS:
# one UPDATE of the day's row on every guide view made every viewer of a popular service wait
# for the one before (a row lock and a commit each) at the September peak. A process that dies
# loses at most those seconds of visits, which only rank 热门服务.
_pending: Counter = Counter()  # (service code, day) -> visits not written yet
_pending_lock = threading.Lock()
_last_flush = time.monotonic()


def service_visit_record(*, service: Service, day: datetime.date | None = None) -> None:
    """Count one visit: written with the others of this process within
    SERVICE_VISITS_FLUSH_SECONDS (at once when it is 0)."""
    with _pending_lock:
        _pending[(service.pk, day or timezone.localdate())] += 1
        due = time.monotonic() - _last_flush >= settings.SERVICE_VISITS_FLUSH_SECONDS
    if due:
        service_visits_flush()


def service_visits_flush() -> None:
    """Write this process's visits not written yet: one UPDATE (or the day's first INSERT) per
    service and day."""
    global _last_flush
    with _pending_lock:
        visits = dict(_pending)
        _pending.clear()
        _last_flush = time.monotonic()
    for (code, day), count in visits.items():
        rows = ServiceVisit.objects.filter(service_id=code, day=day)
        if rows.update(count=F("count") + count):
            continue
        try:
            with transaction.atomic():
                ServiceVisit.objects.create(service_id=code, day=day, count=count)
        except IntegrityError:  # another process inserted the day's row first
            rows.update(count=F("count") + count)


def _flush_at_exit() -> None:
    """A server stopped in order writes what it counted, when the database is still there."""
    try:
        service_visits_flush()
    except DatabaseError:
        logger.warning("Service visits counted in this process were not written at exit.")


atexit.register(_flush_at_exit)
