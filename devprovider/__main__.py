"""`python -m devprovider [--host 127.0.0.1] [--port 8090] [--data var/devprovider] [--quiet]`:
prepare the data directory (its secret key and id_token signing key, made once), migrate its
database, make the demo identities and the hall's client, print them, and serve."""

import argparse
import os
import secrets
import sys
from pathlib import Path


def _prepare(data: Path) -> None:
    data.mkdir(parents=True, exist_ok=True)
    secret = data / "secret-key"
    if not secret.exists():
        secret.write_text(secrets.token_urlsafe(50))
    key = data / "signing-key.pem"
    if not key.exists():
        from cryptography.hazmat.primitives import serialization
        from cryptography.hazmat.primitives.asymmetric import rsa

        private = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        key.write_bytes(private.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                              serialization.NoEncryption()))
        key.chmod(0o600)


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(prog="python -m devprovider", description=__doc__)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8090)
    parser.add_argument("--data", default="var/devprovider")
    parser.add_argument("--quiet", action="store_true")
    args = parser.parse_args(argv)
    data = Path(args.data).resolve()
    _prepare(data)
    os.environ["DEVPROVIDER_DATA"] = str(data)
    os.environ["DEVPROVIDER_ISSUER"] = f"http://{args.host}:{args.port}"
    os.environ["DJANGO_SETTINGS_MODULE"] = "devprovider.settings"

    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0, interactive=False)
    from .demo import demo_load, demo_table

    demo_load()
    if not args.quiet:
        print(demo_table(), flush=True)
    print(f"devprovider ready on http://{args.host}:{args.port}", flush=True)
    call_command("runserver", f"{args.host}:{args.port}", use_reloader=False, skip_checks=True,
                 verbosity=0 if args.quiet else 1)


if __name__ == "__main__":
    sys.exit(main())
