"""The hall's region (厅本级 or one of Jiangsu's 13 cities), chosen in the header and
remembered in a cookie: it names the city's 12333 line in the guides."""

from .selectors import city_get

REGION_COOKIE = "hall_region"


def hall_region(request):
    """The chosen city, or None for 厅本级. Read once per request."""
    if not hasattr(request, "_hall_region"):
        code = request.COOKIES.get(REGION_COOKIE, "")
        region = None
        if code.isdigit() and len(code) == 6:
            region = city_get(code)
        request._hall_region = region
    return request._hall_region
