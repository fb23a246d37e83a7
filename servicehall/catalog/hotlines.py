"""The 12333 hotline by city: each city answers on its own area code (南京 025-12333)."""

JIANGSU_AREA_CODES = {
    "320100": "025", "320200": "0510", "320300": "0516", "320400": "0519", "320500": "0512",
    "320600": "0513", "320700": "0518", "320800": "0517", "320900": "0515", "321000": "0514",
    "321100": "0511", "321200": "0523", "321300": "0527",
}


def hotline_for(phone: str, region) -> str:
    """A guide's 咨询电话 for the chosen city: 12333 becomes that city's 0xx-12333."""
    if region is None or phone.strip() != "12333":
        return phone
    area = JIANGSU_AREA_CODES.get(region.code)
    return f"{area}-12333" if area else phone
