"""Development keys: made once per checkout and kept in var/dev-secrets.env (git-ignored)."""

import secrets
from pathlib import Path


def dev_secret(var_dir: Path, name: str, nbytes: int) -> str:
    path = var_dir / "dev-secrets.env"
    values: dict[str, str] = {}
    if path.exists():
        for line in path.read_text().splitlines():
            key, _, value = line.partition("=")
            values[key] = value
    if name not in values:
        values[name] = secrets.token_hex(nbytes)
        var_dir.mkdir(parents=True, exist_ok=True)
        path.write_text("".join(f"{k}={v}\n" for k, v in values.items()))
        path.chmod(0o600)
    return values[name]
