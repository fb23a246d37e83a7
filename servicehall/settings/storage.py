"""Where files are kept: static files, and the private files (materials, appeals, imports)."""

from pathlib import Path

from .environment import env
from .paths import BASE_DIR, PACKAGE_DIR, VAR_DIR

# --- Files ---
STATIC_URL = "/static/"
STATIC_ROOT = Path(env("STATIC_ROOT", str(BASE_DIR / "staticfiles")))
STATICFILES_DIRS = [PACKAGE_DIR / "static"]
# Uploads are private: never served at a public URL, only through views that check rights.
MEDIA_ROOT = Path(env("MEDIA_ROOT", str(VAR_DIR / "media")))
MEDIA_URL = "/media/"
