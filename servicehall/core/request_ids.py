"""A task logs with the id of the request that queued it (docs/deployment.md).

The id lives in log_request_id's context-local `local.request_id`, set by its middleware for a
request. A task runs elsewhere: in an RQ worker on another node, in the database worker, or (the
Immediate backend, in tests) right here inside the request. So at enqueue the id is kept in the
shared cache under the task's id, and when a worker starts the task it is set for the worker's
logging and cleared when the task finishes. The same three django_tasks signals are sent by every
backend, so one path serves the database queue and RQ alike.

The cache is shared by every node wherever REDIS_URL is set (production requires it); in `make
run` without Redis the separate `db_worker` process has a cache of its own and logs "none"."""

import logging

from django.core.cache import cache
from django_tasks import signals
from django_tasks.backends.immediate import ImmediateBackend
from log_request_id import local

logger = logging.getLogger(__name__)

KEPT_SECONDS = 7 * 24 * 3600  # longer than any task waits in a queue; removed when it finishes
_SET_FOR = "task_id_request_id_set_for"  # on `local`: the task whose start set the request id


def _key(task_id: str) -> str:
    return f"task-request-id:{task_id}"


def task_enqueued(sender, task_result, **kwargs):
    if issubclass(sender, ImmediateBackend):
        return  # it runs here and now, inside the request
    request_id = getattr(local, "request_id", None)  # also a task's own: it queues a follow-up
    if request_id is None:
        return
    try:
        cache.set(_key(task_result.id), request_id, KEPT_SECONDS)
    except Exception:  # a missing log field must not stop the work being queued
        logger.warning("request id of task %s not kept", task_result.id, exc_info=True)


def task_started(sender, task_result, **kwargs):
    if getattr(local, "request_id", None) is not None:
        return  # run inside the request that queued it (Immediate backend)
    try:
        request_id = cache.get(_key(task_result.id))
    except Exception:
        logger.warning("request id of task %s not read", task_result.id, exc_info=True)
        return
    if request_id is not None:
        local.request_id = request_id
        setattr(local, _SET_FOR, task_result.id)


def task_finished(sender, task_result, **kwargs):
    if getattr(local, _SET_FOR, None) != task_result.id:
        return
    for name in ("request_id", _SET_FOR):
        try:
            delattr(local, name)
        except AttributeError:
            pass
    try:
        cache.delete(_key(task_result.id))
    except Exception:
        logger.warning("request id of task %s not removed", task_result.id, exc_info=True)


def connect():
    signals.task_enqueued.connect(task_enqueued, dispatch_uid="request-id-enqueued")
    signals.task_started.connect(task_started, dispatch_uid="request-id-started")
    signals.task_finished.connect(task_finished, dispatch_uid="request-id-finished")
