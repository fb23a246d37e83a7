"""`python -m devprovider [--host 127.0.0.1] [--port 8090] [--data var/devprovider] [--quiet]`

Prepares the data directory (its Django secret key and the RSA key that signs id_tokens, each
made once and kept), migrates its SQLite database, makes or updates the demo identities and the
hall's client, prints them (unless --quiet), and serves plain HTTP, threaded, until killed.
DEVPROVIDER_FAULTS=1 turns on the test-only endpoints (/_faults, /_identities)."""

import argparse
import errno
import os
import secrets
import socketserver
import sys
from pathlib import Path

PORT_IN_USE = 98  # the exit status when the port is taken (tests/provider.py then tries another)


def _prepare(data: Path) -> None:
    data.mkdir(parents=True, exist_ok=True)
    secret = data / "secret-key"
    if not secret.exists():
        secret.write_text(secrets.token_urlsafe(50))
        secret.chmod(0o600)
    key = data / "signing-key.pem"
    if not key.exists():
        from cryptography.hazmat.primitives import serialization
        from cryptography.hazmat.primitives.asymmetric import rsa

        private = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        key.write_bytes(private.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()))
        key.chmod(0o600)


def _bound_server(host: str, port: int):
    """Django's development WSGI server, threaded, bound to the port at once (a port in use fails
    here, before any work) and listening only once the site is ready."""
    from django.core.servers.basehttp import WSGIRequestHandler, WSGIServer

    class Server(socketserver.ThreadingMixIn, WSGIServer):
        daemon_threads = True

    server = Server((host, port), WSGIRequestHandler, bind_and_activate=False)
    try:
        server.server_bind()
    except OSError:
        server.server_close()
        raise
    return server


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m devprovider", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8090)
    parser.add_argument("--data", default="var/devprovider", help="its database and keys")
    parser.add_argument("--quiet", action="store_true", help="do not print the demo identities")
    args = parser.parse_args(argv)
    data = Path(args.data).resolve()
    issuer = f"http://{args.host}:{args.port}"
    _prepare(data)
    os.environ["DEVPROVIDER_DATA"] = str(data)
    os.environ["DEVPROVIDER_ISSUER"] = issuer
    os.environ["DJANGO_SETTINGS_MODULE"] = "devprovider.settings"
    try:
        server = _bound_server(args.host, args.port)
    except OSError as error:
        print(f"devprovider: cannot listen on {args.host}:{args.port}: {error}", file=sys.stderr)
        return PORT_IN_USE if error.errno == errno.EADDRINUSE else 1

    import django
    from django.core.management import call_command
    from django.core.wsgi import get_wsgi_application

    django.setup()
    call_command("migrate", verbosity=0, interactive=False)
    from .demo import demo_load, demo_table

    demo_load()
    server.set_app(get_wsgi_application())
    server.server_activate()
    if not args.quiet:
        print(demo_table(issuer), flush=True)
    print(f"devprovider ready on {issuer}", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
