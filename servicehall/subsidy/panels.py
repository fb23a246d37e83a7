"""Panels other apps add to the applicant's case page (办件进度), without subsidy importing
them: an app registers a function in its AppConfig.ready, and the case view shows what each
returns. evaluation adds 服务评价 this way.

A panel function takes (request, application) and returns None (nothing to show) or a dict
with "template" and whatever that template needs."""

from collections.abc import Callable

_PANELS: list[Callable] = []


def case_panel_register(panel: Callable) -> None:
    if panel not in _PANELS:
        _PANELS.append(panel)


def case_panels(request, application) -> list[dict]:
    return [shown for panel in _PANELS if (shown := panel(request, application)) is not None]
