"""Where the project and its working files are on this machine."""

from pathlib import Path

from .environment import env

BASE_DIR = Path(__file__).resolve().parent.parent.parent
PACKAGE_DIR = BASE_DIR / "servicehall"
VAR_DIR = Path(env("SERVICEHALL_VAR_DIR", str(BASE_DIR / "var")))
