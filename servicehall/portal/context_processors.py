from servicehall.reference.preferences import hall_region
from servicehall.reference.selectors import city_list

from .preferences import care_mode


def chrome(request):
    """What the header needs on every page: the chosen region, the cities, 长辈版."""
    return {
        "hall_region": hall_region(request),
        "jiangsu_cities": city_list,  # a callable: read only when the template lists them
        "care_mode": care_mode(request),
    }
