"""Display preferences a visitor sets without logging in, kept in cookies for a year."""

CARE_MODE_COOKIE = "care_mode"
PREFERENCE_MAX_AGE = 365 * 24 * 3600


def care_mode(request) -> bool:
    """长辈版 / 关怀模式: larger text, higher contrast, more line spacing."""
    return request.COOKIES.get(CARE_MODE_COOKIE) == "1"
