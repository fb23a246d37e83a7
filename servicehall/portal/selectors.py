"""Reads that join what the apps below know of one person."""

from servicehall.catalog import selectors as catalog
from servicehall.subsidy import selectors as subsidy

# The page the subsidy's applications are made on: the catalog names its service by it.
SUBSIDY_ENTRY = "subsidy:apply"


def recommended_for(person) -> list:
    """个人中心's 推荐: services for the person's audience, decided from the services the person
    used - kept in 我的收藏 (carried by the signed-in user: no query) or applied for (one
    query) - else 高校毕业生 (catalog.selectors.recommended_services)."""
    used = catalog.favourite_codes_for(person)
    if subsidy.application_list_for(person).exists():
        used |= catalog.service_codes_entered_at(SUBSIDY_ENTRY)
    return catalog.recommended_services(used=used)
