"""The Redis queue (TASKS_BACKEND=django_tasks_rq.RQBackend) for real: an SMS kept by the hall is
enqueued on RQ after commit and a burst worker (the `manage.py rqworker --job-class
django_tasks_rq.Job default` of a node, in this process) delivers it. Against the Redis on
127.0.0.1:6379, in its database 14 alone (flushed before and after); skipped when none runs."""

import logging

import pytest
import redis
from django_rq import get_connection, get_queue
from django_tasks_rq.backend import Job
from rq import SimpleWorker

from servicehall.messaging.models import SmsMessage, SmsStatus
from servicehall.messaging.services import sms_send
from servicehall.messaging.tasks import deliver_sms

URL = "redis://127.0.0.1:6379/14"

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def rq_queue(settings):
    try:
        redis.Redis.from_url(URL, socket_connect_timeout=1).ping()
    except redis.RedisError:
        pytest.skip("no Redis on 127.0.0.1:6379")
    settings.RQ_QUEUES = {"default": {"URL": URL, "DEFAULT_TIMEOUT": 60}}
    settings.TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}
    connection = get_connection("default")
    connection.flushdb()
    # A worker started outside the hall's logging setup adds its own handlers (without the
    # redaction filter) to RQ's and redis's loggers: take them off again after the test.
    kept = {name: list(logger.handlers) for name, logger in _loggers()}
    yield get_queue("default")
    for name, logger in _loggers():
        logger.handlers[:] = kept.get(name, [])
    connection.flushdb()


def _loggers():
    yield "", logging.getLogger()
    for name, logger in list(logging.Logger.manager.loggerDict.items()):
        if isinstance(logger, logging.Logger):
            yield name, logger


def test_an_sms_enqueued_on_redis_is_delivered_by_an_rq_worker(rq_queue):
    assert deliver_sms.get_backend().__class__.__name__ == "RQBackend"
    message = sms_send(mobile="13800000077", text="您的申请已受理。")  # no transaction: queued at once
    assert rq_queue.count == 1
    assert SmsMessage.objects.get(pk=message.pk).status == SmsStatus.QUEUED

    # The job class is what `rqworker --job-class django_tasks_rq.Job` names: RQ's own cannot
    # call a django-tasks Task.
    worker = SimpleWorker([rq_queue], connection=rq_queue.connection, job_class=Job)
    assert worker.work(burst=True)

    assert SmsMessage.objects.get(pk=message.pk).status == SmsStatus.SENT
    assert rq_queue.count == 0
    assert rq_queue.finished_job_registry.count == 1
