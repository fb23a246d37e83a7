"""`make cluster`: the hall as a province runs it, on this machine (issue 18, docs/deployment.md).

    python scripts/cluster.py start [--fresh]   start everything (missing parts first), print what runs where
    python scripts/cluster.py stop              stop everything this script started
    python scripts/cluster.py status            what runs, with its pid
    python scripts/cluster.py kill NAME         SIGKILL one part (the cluster tests' failures)
    python scripts/cluster.py restart NAME      start one part again
    python scripts/cluster.py env               the environment the hall's processes run with
    python scripts/cluster.py sms MOBILE        the SMS the cluster's gateway took for a number, newest first

Everything listens on 127.0.0.1 and has its own port, pid and log under var/cluster/: nginx, two web
nodes (granian), two task workers (RQ), two schedulers, and the cluster's own Redis, PgBouncer and
S3 endpoint (moto's server). Its database, servicehall_cluster, lives on the machine's PostgreSQL.
Stopping the cluster touches nothing else. Standard library only: it runs before anything is set up.
"""

from __future__ import annotations

import argparse
import os
import secrets
import shutil
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DIR = Path(os.environ.get("CLUSTER_DIR", ROOT / "var" / "cluster"))
BIN = ROOT / ".venv" / "bin"
PY = str(BIN / "python")
DEPLOY = ROOT / "deploy"

HOST = "127.0.0.1"
PORTS = {
    "nginx": 8080,
    "ops": 9180,
    "web-a": 8101,
    "web-b": 8102,
    "redis": 6390,
    "pgbouncer": 6442,
    "s3": 9100,
    "sms": 9200,
}
PG_HOST, PG_PORT = os.environ.get("CLUSTER_PG_HOST", HOST), int(os.environ.get("CLUSTER_PG_PORT", "5432"))
DB_NAME = os.environ.get("CLUSTER_DB_NAME", "servicehall_cluster")
BUCKET = "servicehall-private"
SMS_FILE = DIR / "sms-gateway.jsonl"  # what the cluster's SMS gateway accepted: the phones
THREADS_PER_NODE = 8


@dataclass
class Part:
    name: str
    args: list[str]
    port: int | None = None
    health: str | None = None  # a URL that answers 200 once the part is up
    env: dict[str, str] = field(default_factory=dict)
    user: str | None = None
    # Started again when it exits, as systemd's Restart=always does in a province (an RQ worker
    # exits when Redis goes away; the cluster tests stop Redis).
    supervised: bool = False


def _secrets() -> dict[str, str]:
    """Made once per checkout and kept in var/cluster/secrets.env (never committed)."""
    path = DIR / "secrets.env"
    DIR.mkdir(parents=True, exist_ok=True)
    lines = path.read_text().split("\n") if path.exists() else []
    kept = dict(line.split("=", 1) for line in lines if "=" in line)
    wanted = {
        "DJANGO_SECRET_KEY": lambda: secrets.token_urlsafe(50),
        "FIELD_ENCRYPTION_KEYS": lambda: f"cluster1:{secrets.token_hex(32)}",
        "AWS_ACCESS_KEY_ID": lambda: f"cluster{secrets.token_hex(6)}",
        "AWS_SECRET_ACCESS_KEY": lambda: secrets.token_hex(20),
        "SMS_HTTP_GATEWAY_TOKEN": lambda: secrets.token_urlsafe(24),
    }
    if set(wanted) - set(kept):
        kept = {name: kept.get(name) or make() for name, make in wanted.items()}
        path.write_text("".join(f"{name}={value}\n" for name, value in kept.items()))
        path.chmod(0o600)
    return kept


def hall_env(*, direct: bool = False) -> dict[str, str]:
    """What every process of the hall runs with: production settings, through PgBouncer (or straight
    to PostgreSQL for migrations: `direct`), on the cluster's Redis and S3 endpoint."""
    db_port = PG_PORT if direct else PORTS["pgbouncer"]
    env = {
        "DJANGO_SETTINGS_MODULE": "servicehall.settings.production",
        "DJANGO_ALLOWED_HOSTS": f"{HOST},localhost",
        "HALL_HTTPS": "0",
        "DATABASE_URL": f"postgres://postgres@{PG_HOST if direct else HOST}:{db_port}/{DB_NAME}",
        "DATABASE_CONN_MAX_AGE": "60",
        "REDIS_URL": f"redis://{HOST}:{PORTS['redis']}/0",
        # The queue in its own Redis database: clearing the cache (FLUSHDB) never drops a task.
        "TASKS_REDIS_URL": f"redis://{HOST}:{PORTS['redis']}/1",
        "TASKS_BACKEND": "django_tasks_rq.RQBackend",
        "AWS_STORAGE_BUCKET_NAME": BUCKET,
        "AWS_S3_ENDPOINT_URL": f"http://{HOST}:{PORTS['s3']}",
        "AWS_S3_REGION_NAME": "us-east-1",
        "AWS_S3_ADDRESSING_STYLE": "path",
        "TRUSTED_PROXY_COUNT": "1",
        "LOG_FORMAT": "json",
        "STATIC_ROOT": str(DIR / "static"),
        "SERVICEHALL_VAR_DIR": str(DIR / "var"),
        # SMS through the hall's HTTP gateway client to the cluster's stand-in for the province's
        # gateway (scripts/sms_gateway.py), which keeps what it accepts in a file.
        "SMS_BACKEND": "servicehall.messaging.gateways.HttpGateway",
        "SMS_HTTP_GATEWAY_URL": f"http://{HOST}:{PORTS['sms']}/send",
        # Work a killed worker left is taken up after 15 s here (5 and 30 minutes by default), so
        # that the cluster tests see it done; no step of the cluster's takes that long.
        "SMS_STALE_CLAIM_SECONDS": "15",
        # Every client of the cluster tests comes from 127.0.0.1: the app's login limit per
        # address (10 a minute by default) would refuse the dozens of applicants they log in.
        "API_LOGIN_RATE": "600/min",
        "PAYMENT_JOB_STALE_SECONDS": "15",
        "PYTHONUNBUFFERED": "1",
    }
    if not direct:
        env["DATABASE_POOLER"] = "pgbouncer"
    env.update(_secrets())
    return env


def parts() -> list[Part]:
    """Everything the cluster runs, in the order it starts (and the reverse order it stops)."""
    granian_log = str(ROOT / "servicehall" / "core" / "granian_logging_json.json")
    if not Path(granian_log).exists():
        granian_log = str(ROOT / "servicehall" / "core" / "granian_logging.json")

    def web(name: str) -> Part:
        port = PORTS[name]
        return Part(
            name,
            [str(BIN / "granian"), "--interface", "wsgi", "servicehall.wsgi:application",
             "--host", HOST, "--port", str(port), "--workers", "1",
             "--blocking-threads", str(THREADS_PER_NODE), "--backpressure", "64",
             "--workers-kill-timeout", "30s", "--log-config", granian_log],
            port=port, health=f"http://{HOST}:{port}/healthz", env={"HALL_NODE": name},
        )

    started = time.strftime("%H%M%S")
    rq = [PY, "manage.py", "rqworker", "--job-class", "django_tasks_rq.Job", "--with-scheduler"]
    return [
        # The queue survives a restart: append-only file, written every second (docs/deployment.md).
        Part("redis", ["redis-server", "--bind", HOST, "--port", str(PORTS["redis"]), "--save", "",
                       "--appendonly", "yes", "--appendfsync", "everysec", "--dir", str(DIR / "redis")],
             port=PORTS["redis"]),
        Part("s3", [str(BIN / "moto_server"), "-H", HOST, "-p", str(PORTS["s3"])], port=PORTS["s3"],
             health=f"http://{HOST}:{PORTS['s3']}/moto-api/"),
        Part("sms-gateway", [PY, str(ROOT / "scripts" / "sms_gateway.py"), "--host", HOST,
                             "--port", str(PORTS["sms"]), "--token", _secrets()["SMS_HTTP_GATEWAY_TOKEN"],
                             "--file", str(SMS_FILE)],
             port=PORTS["sms"], health=f"http://{HOST}:{PORTS['sms']}/health"),
        Part("pgbouncer", ["pgbouncer", str(DIR / "pgbouncer" / "pgbouncer.ini")],
             port=PORTS["pgbouncer"], user="postgres"),
        web("web-a"),
        web("web-b"),
        # A new name at each start: a worker killed hard stays registered in Redis for a while.
        Part("worker-1", [*rq, "--name", f"cluster-worker-1-{started}", "default"], supervised=True),
        Part("worker-2", [*rq, "--name", f"cluster-worker-2-{started}", "default"], supervised=True),
        Part("scheduler-1", [PY, "manage.py", "run_scheduler"], env={"HALL_NODE": "web-a"}, supervised=True),
        Part("scheduler-2", [PY, "manage.py", "run_scheduler"], env={"HALL_NODE": "web-b"}, supervised=True),
        Part("nginx", ["nginx", "-c", str(DIR / "nginx.conf"), "-p", str(DIR)], port=PORTS["nginx"],
             health=f"http://{HOST}:{PORTS['nginx']}/healthz"),
    ]


def part(name: str) -> Part:
    for candidate in parts():
        if candidate.name == name:
            return candidate
    raise SystemExit(f"no part called {name}; the parts are: {', '.join(p.name for p in parts())}")


# --- Configuration files ---------------------------------------------------------------------


def _render(template: Path, target: Path, values: dict[str, str]) -> None:
    text = template.read_text()
    for key, value in values.items():
        text = text.replace(f"@@{key}@@", value)
    if "@@" in text:
        raise SystemExit(f"{template}: a placeholder was left unfilled")
    target.write_text(text)


def write_configuration() -> None:
    for folder in ("logs", "pids", "nginx-tmp", "pgbouncer", "proxy-files", "var", "redis"):
        (DIR / folder).mkdir(parents=True, exist_ok=True)
    upstreams = "\n    ".join(
        f"server {HOST}:{PORTS[name]} max_fails=2 fail_timeout=10s;" for name in ("web-a", "web-b")
    )
    ops = "\n    ".join(
        f"location = /metrics/{name} {{ proxy_pass http://{HOST}:{PORTS[name]}/metrics; }}"
        for name in ("web-a", "web-b")
    )
    _render(DEPLOY / "nginx" / "servicehall.conf", DIR / "servicehall.conf", {
        "UPSTREAM_SERVERS": upstreams,
        "LISTEN": f"{HOST}:{PORTS['nginx']}",
        "SERVER_NAME": HOST,
        "ACCESS_LOG": str(DIR / "logs" / "nginx-access.log"),
        "STATIC_ROOT": str(DIR / "static"),
        "PROXY_FILES": str(DIR / "proxy-files"),
        "PROXY_PARAMS": str(DEPLOY / "nginx" / "proxy_params.conf"),
        "OPS_LISTEN": f"{HOST}:{PORTS['ops']}",
        "OPS_LOCATIONS": ops,
    })
    _render(DEPLOY / "nginx" / "cluster-main.conf", DIR / "nginx.conf", {"DIR": str(DIR)})
    bouncer = DIR / "pgbouncer"
    (bouncer / "userlist.txt").write_text('"postgres" ""\n')
    _render(DEPLOY / "pgbouncer" / "pgbouncer.ini", bouncer / "pgbouncer.ini", {
        "DB_NAME": DB_NAME, "PG_HOST": PG_HOST, "PG_PORT": str(PG_PORT),
        "LISTEN_ADDR": HOST, "LISTEN_PORT": str(PORTS["pgbouncer"]),
        "AUTH_TYPE": "trust", "AUTH_FILE": str(bouncer / "userlist.txt"),
        "LOG_FILE": str(DIR / "logs" / "pgbouncer.log"), "PID_FILE": str(bouncer / "pgbouncer.pid"),
        "ADMIN_USER": "postgres",
    })
    # PgBouncer refuses to run as root: it runs as postgres, which must read and write these.
    if os.geteuid() == 0:
        shutil.chown(bouncer, "postgres")
        for path in bouncer.iterdir():
            shutil.chown(path, "postgres")
        log = DIR / "logs" / "pgbouncer.log"
        log.touch()
        shutil.chown(log, "postgres")
        # nginx's workers run as nobody when the master is root: they write their temporary files here.
        shutil.chown(DIR / "nginx-tmp", "nobody")


# --- Processes ---------------------------------------------------------------------------------


def _pid_file(name: str) -> Path:
    return DIR / "pids" / f"{name}.pid"


def running_pid(name: str) -> int | None:
    path = _pid_file(name)
    if not path.exists():
        return None
    pid = int(path.read_text().strip() or 0)
    try:
        os.kill(pid, 0)
    except (ProcessLookupError, PermissionError, ValueError):
        return None
    return pid


def _port_open(port: int) -> bool:
    import socket

    with socket.socket() as sock:
        sock.settimeout(0.5)
        return sock.connect_ex((HOST, port)) == 0


def _answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310 (our own loopback URL)
            return response.status == 200
    except (urllib.error.URLError, OSError):
        return False


def start_part(item: Part, *, timeout: float = 60) -> None:
    if running_pid(item.name):
        return
    if item.port and _port_open(item.port):
        raise SystemExit(f"port {item.port} for {item.name} is taken by something else; stop it first")
    env = {**os.environ, **hall_env(), **item.env}
    args = item.args
    if item.user and os.geteuid() == 0:
        args = [args[0], "-u", item.user, *args[1:]]  # pgbouncer's own switch to another user
    if item.supervised:
        args = ["/bin/sh", "-c", 'while :; do "$@"; sleep 2; done', "supervise", *args]
    log = open(DIR / "logs" / f"{item.name}.log", "ab")  # the child keeps it open
    process = subprocess.Popen(  # noqa: S603
        args, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
    )
    _pid_file(item.name).write_text(str(process.pid))
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"{item.name} stopped at once; see {DIR / 'logs' / (item.name + '.log')}")
        up = (_answers(item.health) if item.health else True) and (
            _port_open(item.port) if item.port else True
        )
        if up and not (item.health or item.port):
            # Nothing to ask: alive a moment after its start (a wrong command has failed by then).
            time.sleep(4)
            if process.poll() is not None:
                continue
        if up:
            return
        time.sleep(0.2)
    raise SystemExit(f"{item.name} did not come up in {timeout:.0f} s; see {DIR / 'logs'}")


def _descendants(pid: int) -> list[int]:
    """Every process under `pid`: an RQ worker's work horse starts a session of its own, so
    killing the worker's process group would leave the task it runs alive."""
    children: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        children.setdefault(int(fields[1]), []).append(int(stat.parent.name))
    found, todo = [], [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            found.append(child)
            todo.append(child)
    return found


def stop_part(name: str, *, hard: bool = False, grace: float = 40) -> bool:
    pid = running_pid(name)
    if pid is None:
        _pid_file(name).unlink(missing_ok=True)
        return False
    if hard:  # as a host losing power would: the part and everything it started, at once
        for victim in [pid, *_descendants(pid)]:
            try:
                os.kill(victim, signal.SIGKILL)
            except ProcessLookupError:
                pass
    try:
        os.killpg(pid, signal.SIGKILL if hard else signal.SIGTERM)
    except ProcessLookupError:
        pass
    deadline = time.monotonic() + grace
    while time.monotonic() < deadline and running_pid(name):
        time.sleep(0.1)
    if running_pid(name):
        os.killpg(pid, signal.SIGKILL)
        time.sleep(0.2)
    _pid_file(name).unlink(missing_ok=True)
    return True


def manage(*args: str, direct: bool = True) -> None:
    env = {**os.environ, **hall_env(direct=direct)}
    subprocess.run([PY, "manage.py", *args], cwd=ROOT, env=env, check=True)  # noqa: S603


def _database(fresh: bool) -> None:
    import psycopg

    with psycopg.connect(host=PG_HOST, port=PG_PORT, user="postgres", dbname="postgres",
                         autocommit=True) as connection:
        exists = connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [DB_NAME]).fetchone()
        if exists and fresh:
            connection.execute(f'DROP DATABASE "{DB_NAME}" WITH (FORCE)')
            exists = None
        if not exists:
            connection.execute(f'CREATE DATABASE "{DB_NAME}"')


def _bucket() -> None:
    import boto3

    keys = _secrets()
    s3 = boto3.client(
        "s3", endpoint_url=f"http://{HOST}:{PORTS['s3']}", region_name="us-east-1",
        aws_access_key_id=keys["AWS_ACCESS_KEY_ID"], aws_secret_access_key=keys["AWS_SECRET_ACCESS_KEY"],
    )
    if BUCKET not in {bucket["Name"] for bucket in s3.list_buckets().get("Buckets", [])}:
        s3.create_bucket(Bucket=BUCKET)
    # Private: no public access whatever an object's ACL says.
    s3.put_public_access_block(Bucket=BUCKET, PublicAccessBlockConfiguration={
        "BlockPublicAcls": True, "IgnorePublicAcls": True,
        "BlockPublicPolicy": True, "RestrictPublicBuckets": True,
    })


def start(fresh: bool) -> None:
    DIR.mkdir(parents=True, exist_ok=True)
    if fresh and not running_pid("redis"):
        shutil.rmtree(DIR / "redis", ignore_errors=True)  # no task of an earlier run
        shutil.rmtree(DIR / "logs", ignore_errors=True)  # nor its log lines
    write_configuration()
    everything = parts()
    by_name = {item.name: item for item in everything}
    if fresh:
        SMS_FILE.unlink(missing_ok=True)
    for name in ("redis", "s3"):
        start_part(by_name[name])
    _database(fresh)
    _bucket()
    start_part(by_name["pgbouncer"])
    manage("migrate", "--noinput", "-v", "0")
    manage("load_demo")
    manage("collectstatic", "--noinput", "-v", "0")
    manage("proxy_files", "--out", str(DIR / "proxy-files"))
    for item in everything:
        start_part(item)
    print_table()


def stop() -> None:
    for item in reversed(parts()):
        if stop_part(item.name):
            print(f"stopped {item.name}")


def print_table() -> None:
    print("\nThe hall's cluster on this machine (make cluster-stop stops it):\n")
    rows = [
        ("nginx (the hall)", f"http://{HOST}:{PORTS['nginx']}/", "nginx"),
        ("  health", f"http://{HOST}:{PORTS['nginx']}/healthz  /readyz", None),
        ("metrics (operators)", f"http://{HOST}:{PORTS['ops']}/metrics/web-a  /metrics/web-b", None),
        ("web node A (granian)", f"http://{HOST}:{PORTS['web-a']}/", "web-a"),
        ("web node B (granian)", f"http://{HOST}:{PORTS['web-b']}/", "web-b"),
        ("task workers (RQ)", "cluster-worker-1, cluster-worker-2", "worker-1"),
        ("schedulers", "two, one period of each job runs once", "scheduler-1"),
        ("Redis", f"redis://{HOST}:{PORTS['redis']}/0", "redis"),
        ("PgBouncer", f"postgres://postgres@{HOST}:{PORTS['pgbouncer']}/{DB_NAME} (transaction pooling)",
         "pgbouncer"),
        ("PostgreSQL", f"{PG_HOST}:{PG_PORT} database {DB_NAME}", None),
        ("S3 (moto's server)", f"http://{HOST}:{PORTS['s3']}/ bucket {BUCKET}", "s3"),
        ("SMS gateway (stand-in)", f"http://{HOST}:{PORTS['sms']}/send; codes: scripts/cluster.py sms MOBILE",
         "sms-gateway"),
        ("logs", str(DIR / "logs"), None),
    ]
    for label, where, name in rows:
        pid = running_pid(name) if name else None
        print(f"  {label:<22} {where}" + (f"  (pid {pid})" if pid else ""))
    print()
    manage("demo_logins", "--url", f"http://{HOST}:{PORTS['nginx']}/", direct=False)


def sms_to(mobile: str) -> list[dict]:
    """What the cluster's SMS gateway accepted for a number, newest first."""
    import json

    if not SMS_FILE.exists():
        return []
    lines = [json.loads(line) for line in SMS_FILE.read_text(encoding="utf-8").splitlines() if line]
    return [line for line in reversed(lines) if line["mobile"] == mobile]


def status() -> int:
    down = 0
    for item in parts():
        pid = running_pid(item.name)
        down += pid is None
        print(f"{item.name:<12} {'pid ' + str(pid) if pid else 'not running'}")
    return 1 if down else 0


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("command", choices=["start", "stop", "status", "kill", "restart", "env", "sms"])
    parser.add_argument("name", nargs="?")
    parser.add_argument("--fresh", action="store_true", help="start from an empty database")
    args = parser.parse_args(argv)
    if args.command == "start":
        start(args.fresh)
    elif args.command == "stop":
        stop()
    elif args.command == "status":
        return status()
    elif args.command == "kill":
        stop_part(part(args.name).name, hard=True)
    elif args.command == "restart":
        write_configuration()
        stop_part(args.name)
        start_part(part(args.name))
    elif args.command == "sms":
        for message in sms_to(args.name or ""):
            print(message["text"])
    elif args.command == "env":
        for key, value in hall_env().items():
            print(f"{key}={value}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
