"""Every write to the catalog: favourites, visit counts, the derived search keys."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from servicehall.core.errors import DomainError

from .models import Favourite, Service, ServiceVisit
from .search import search_text_for

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
    return favourite


def favourite_remove(*, user: User, service: Service) -> None:
    Favourite.objects.filter(user=user, service=service).delete()


def service_visit_record(*, service: Service, day: datetime.date | None = None) -> None:
    """Count one visit. One UPDATE in the common case; the day's first visit inserts the row,
    and a concurrent first visit that loses the insert race falls back to the UPDATE."""
    day = day or timezone.localdate()
    rows = ServiceVisit.objects.filter(service=service, day=day)
    if rows.update(count=F("count") + 1):
        return
    try:
        with transaction.atomic():
            ServiceVisit.objects.create(service=service, day=day, count=1)
    except IntegrityError:
        rows.update(count=F("count") + 1)
