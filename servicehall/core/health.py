"""What a load balancer and the operators ask a node: is the process alive (/healthz), may it take
requests (/readyz), and its request metrics (/metrics). Settings: observability.py; what each
answers: docs/deployment.md."""

import asyncio
import contextlib
import dataclasses
import ipaddress
import uuid
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

from django.conf import settings
from django.http import Http404, JsonResponse
from django.views.decorators.cache import never_cache
from django_prometheus.exports import ExportToDjangoView
from health_check import checks
from health_check.contrib import redis as redis_checks
from health_check.views import HealthCheckView
from redis.asyncio import Redis as RedisClient

from .http import client_ip

RQ_BACKEND = "django_tasks_rq.RQBackend"


def _timeout() -> timedelta:
    return timedelta(seconds=settings.READINESS_CHECK_SECONDS)


@never_cache
def liveness(request):
    """The process answers: nothing else is asked (no database, no cache, no session), so a node
    whose Redis or database is down is not restarted for it, only taken out by /readyz."""
    return JsonResponse({"status": "ok"})


@dataclasses.dataclass
class Database(checks.Database):
    def __post_init__(self):
        self.timeout = _timeout()


@dataclasses.dataclass
class Storage(checks.Storage):
    """Writes, reads and deletes one small file at the top of the default storage: no folder is
    made (a folder left empty on disk would be something left behind)."""

    def __post_init__(self):
        self.timeout = _timeout()

    def get_file_name(self):
        return f"readyz-{uuid.uuid4().hex}.txt"

    def get_file_content(self):
        return b"readyz"


@dataclasses.dataclass(repr=False)
class Redis(redis_checks.Redis):
    """A PING with the socket timeouts of the probe: a Redis that does not answer fails the check
    in about two seconds instead of holding the probe. Named by what the hall uses it for."""

    role: str = "cache"

    def __post_init__(self):
        super().__post_init__()
        self.timeout = _timeout()

    def __repr__(self):
        return f"{self.role}: {super().__repr__()}"


def _redis(role: str, url: str) -> Redis:
    seconds = settings.READINESS_CHECK_SECONDS
    return Redis(role=role, client_factory=lambda: RedisClient.from_url(
        url, socket_connect_timeout=seconds, socket_timeout=seconds))


def readiness_checks():
    """What a node needs to serve a request, read from the settings at each probe."""
    found = [Database(), Storage()]
    if settings.REDIS_URL:  # the cache, the sessions and the rate limits
        found.append(_redis("cache", settings.REDIS_URL))
    if settings.TASKS["default"]["BACKEND"] == RQ_BACKEND:
        # With the database backend the queue is the database, checked above.
        found.append(_redis("queue", settings.RQ_QUEUES["default"]["URL"]))
    return found


class ReadinessView(HealthCheckView):
    """503 when any check fails (a load balancer takes the node out; 500 would read as the node's
    own fault), JSON whatever the client accepts (?format=text for a person at a terminal), never
    cached (HealthCheckView.dispatch)."""

    def get_checks(self):
        yield from readiness_checks()

    @contextlib.contextmanager
    def get_executor(self):
        # The synchronous checks (database, storage) run in threads of their own, left behind when
        # they overrun: the loop's default executor would be waited for before answering, so a
        # hung database would hold the probe past its timeout.
        executor = ThreadPoolExecutor(max_workers=2, thread_name_prefix="readyz")
        try:
            yield executor
        finally:
            executor.shutdown(wait=False)

    async def get(self, request, *args, **kwargs):
        with self.get_executor() as executor:
            self.results = await asyncio.gather(
                *(check.get_result(executor) for check in self.get_checks()))
        status = 503 if any(result.error for result in self.results) else 200
        if request.GET.get("format") == "text":
            return self.render_to_response_text(status)
        return self.render_to_response_json(status)


def _operator_address(address: str) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in ipaddress.ip_network(network, strict=False)
               for network in settings.METRICS_ALLOWED_NETWORKS)


@never_cache
def metrics(request):
    """Prometheus text for the operators' networks only; anyone else sees a page that is not there."""
    if not _operator_address(client_ip(request)):
        raise Http404
    return ExportToDjangoView(request)
