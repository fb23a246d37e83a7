"""Reads of the catalog: the lists behind 个人办事 / 单位办事 / 服务清单, search, 热门服务."""

import datetime
from dataclasses import dataclass, field

from django.db.models import Aggregate, CharField, OuterRef, Prefetch, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from servicehall.core.versions import kept_locally

from . import search
from .models import Audience, Category, Favourite, Kind, Serves, Service, ServiceGroup, ServiceVisit

HOT_LIMIT = 12
HOT_DAYS = 30
# The version (core.versions) raised by any change of the catalog (apps.py): what every visitor
# of the home page, the search and the guides sees alike is read once per version per process.
CATALOG_VERSION = "catalog"
# The attribute a user loaded with its favourites carries them under (with_favourite_codes).
FAVOURITES = "favourite_codes_loaded"


def service_list_public():
    return Service.objects.filter(is_published=True).select_related("group__category")


def service_get_public(code: str) -> Service:
    return service_list_public().prefetch_related("materials", "questions", "audiences").get(code=code)


def service_guide(code: str) -> Service:
    """A published service with its materials, questions and audiences (its guide), read once
    per version of the catalog. Raises Service.DoesNotExist; an unknown code is not kept."""
    return kept_locally(CATALOG_VERSION, ("guide", code), lambda: service_get_public(code))


def published_services() -> list[Service]:
    """Every published service with its group and category, read once per catalog version."""
    return kept_locally(CATALOG_VERSION, ("published",), lambda: list(service_list_public()))


@dataclass
class GroupListing:
    group: ServiceGroup
    services: list = field(default_factory=list)
    # Filled by search: codes of the services that matched, and highlighted name parts.
    matched: dict = field(default_factory=dict)

    @property
    def is_open(self):
        return bool(self.matched)


def _group(services) -> list[GroupListing]:
    listings: dict[str, GroupListing] = {}
    for service in services:
        listings.setdefault(service.group_id, GroupListing(service.group)).services.append(service)
    return list(listings.values())


def catalog_listing(*, serves: str | None = None, category: str | None = None,
                    kind: str | None = None, audience: str | None = None) -> list[GroupListing]:
    services = service_list_public()
    if serves:
        services = services.filter(serves=serves)
    if category:
        services = services.filter(group__category_id=category)
    if kind:
        services = services.filter(kind=kind)
    if audience:
        services = services.filter(audiences__code=audience)
    return _group(services)


def categories_with_services(serves: str | None = None):
    """Categories that hold at least one published service (for the sidebar)."""
    services = Service.objects.filter(is_published=True)
    if serves:
        services = services.filter(serves=serves)
    return Category.objects.filter(groups__services__in=services).distinct()


def audience_list(serves: str | None = None):
    audiences = Audience.objects.all()
    return audiences.filter(serves=serves) if serves else audiences


def query_service_listing():
    return catalog_listing(kind=Kind.QUERY)


@dataclass
class SearchResult:
    query: str
    groups: list[GroupListing]
    count: int
    suggestions: list


def service_search(query: str, *, serves: str | None = None) -> SearchResult:
    """Groups holding a match, opened, with the matching services marked. A query naming a group
    (就业补贴) opens that group whole. Nothing found: the nearest names and 热门服务 instead."""
    wanted = search.normalise(query)
    services = [s for s in published_services() if not serves or s.serves == serves]
    if not wanted:
        return SearchResult(query, [], 0, hot_services())
    scored = []
    for service in services:
        found = search.match(wanted, service.name, service.search_text)
        if found is None and wanted in search.normalise(service.group.name):
            found = search.Match(6, None)
        if found is not None:
            scored.append((found, service))
    matched_groups = {s.group_id for _m, s in scored}
    listings = _group(s for s in services if s.group_id in matched_groups)
    by_code = {s.code: m for m, s in scored}
    for listing in listings:
        for service in listing.services:
            if service.code in by_code:
                listing.matched[service.code] = by_code[service.code]
    listings.sort(key=lambda li: min(m.score for m in li.matched.values()))
    suggestions = []
    if not scored:
        near = sorted(services, key=lambda s: -search.overlap(wanted, s.name))
        suggestions = [s for s in near if search.overlap(wanted, s.name) >= 2][:5] or hot_services()[:6]
    return SearchResult(query, listings, len(scored), suggestions)


def hot_services(limit: int = HOT_LIMIT) -> list[Service]:
    """Pinned services first (an operator's choice), then by visits in the last 30 days. The
    ranking is read once per catalog version per process and kept at most ten minutes
    (core.versions.LOCAL_SECONDS): visits move it slowly, and every page view must not add them up."""
    return kept_locally(CATALOG_VERSION, ("hot", limit), lambda: _hot_ranked(limit))


def _hot_ranked(limit: int) -> list[Service]:
    since = timezone.localdate() - datetime.timedelta(days=HOT_DAYS)
    visits = dict(
        ServiceVisit.objects.filter(day__gte=since).values_list("service").annotate(total=Sum("count"))
    )
    services = [s for s in published_services() if s.serves == Serves.PERSON]
    order = {s.code: i for i, s in enumerate(services)}
    services.sort(key=lambda s: (s.pinned is None, s.pinned or 0, -visits.get(s.code, 0), order[s.code]))
    return services[:limit]


def home_blocks() -> list[ServiceGroup]:
    """The groups shown as their own block under 热门服务 (社会保障卡, 工伤保险, 城乡居民服务),
    with their published services, read once per catalog version."""
    published = Service.objects.filter(is_published=True)
    return kept_locally(CATALOG_VERSION, ("home_blocks",), lambda: list(
        ServiceGroup.objects.filter(home_order__isnull=False).order_by("home_order").prefetch_related(
            Prefetch("services", queryset=published, to_attr="published_services")
        )
    ))


# 推荐 in 个人中心: the audience assumed for a person the hall knows nothing of yet (the hall's
# own people are the students of the subsidy), and how many services the block lists.
DEFAULT_AUDIENCE = "graduates"
RECOMMENDED_LIMIT = 6


def _audiences_by_service() -> dict[str, frozenset[str]]:
    """Published services' codes -> their audiences' codes, read once per catalog version."""

    def read():
        found: dict[str, set[str]] = {}
        links = Service.audiences.through.objects.filter(service__is_published=True)
        for service, audience in links.values_list("service_id", "audience_id"):
            found.setdefault(service, set()).add(audience)
        return {code: frozenset(codes) for code, codes in found.items()}

    return kept_locally(CATALOG_VERSION, ("audiences_by_service",), read)


def service_codes_entered_at(entry: str) -> set[str]:
    """The published services whose online entry is the page named `entry` (subsidy:apply)."""
    return {s.code for s in published_services() if s.online_entry == entry}


def recommended_services(*, used: set[str], limit: int = RECOMMENDED_LIMIT) -> list[Service]:
    """推荐: published services for people in the person's audiences - those of the services the
    person used (applied for, kept in 我的收藏), else 高校毕业生 - leaving out the used ones; the
    services sharing most of those audiences first, then in the catalog's order. No query once
    the catalog version is read."""
    by_service = _audiences_by_service()
    wanted = set().union(*(by_service.get(code, ()) for code in used)) & _person_audiences()
    wanted = wanted or {DEFAULT_AUDIENCE}
    found = [
        (len(by_service.get(s.code, frozenset()) & wanted), order, s)
        for order, s in enumerate(published_services())
        if s.serves == Serves.PERSON and s.code not in used
    ]
    found = [item for item in found if item[0]]
    found.sort(key=lambda item: (-item[0], item[1]))
    return [service for _shared, _order, service in found[:limit]]


def _person_audiences() -> set[str]:
    return {a.code for a in audiences() if a.serves == Serves.PERSON}


def audiences() -> list[Audience]:
    """Every audience (the home page's 主题服务), read once per catalog version."""
    return kept_locally(CATALOG_VERSION, ("audiences",), lambda: list(Audience.objects.all()))


def favourite_list_for(user):
    return Favourite.objects.filter(user=user, service__is_published=True).select_related(
        "service__group__category"
    )


def favourite_codes_for(user) -> set[str]:
    """The codes of the services the person keeps in 我的收藏. A user loaded by
    with_favourite_codes (every web request's, accounts.backends) carries them: no query."""
    if not getattr(user, "is_authenticated", False):
        return set()
    loaded = getattr(user, FAVOURITES, None)
    if loaded is not None:
        return set(filter(None, loaded.split(",")))
    return set(Favourite.objects.filter(user=user).values_list("service_id", flat=True))


class _Joined(Aggregate):
    """The values joined by commas (service codes are slugs: no comma in them)."""

    output_field = CharField()

    def as_sql(self, compiler, connection, **extra):
        function = "STRING_AGG" if connection.vendor == "postgresql" else "GROUP_CONCAT"
        return super().as_sql(
            compiler, connection, function=function, template="%(function)s(%(expressions)s, ',')", **extra
        )


def with_favourite_codes(users: QuerySet) -> QuerySet:
    """`users`, each with its favourites' codes read in the same statement."""
    codes = (
        Favourite.objects.filter(user=OuterRef("pk"))
        .order_by()
        .values("user")
        .annotate(codes=_Joined("service_id"))
        .values("codes")
    )
    return users.annotate(**{FAVOURITES: Coalesce(Subquery(codes), Value(""))})


def category_list():
    """Every category, in its order (the phone's 服务 tab and the API)."""
    return Category.objects.all()


def audience_get(code: str) -> Audience:
    """One audience (a 主题 page) by its code; raises Audience.DoesNotExist."""
    return Audience.objects.get(code=code)
