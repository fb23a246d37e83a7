"""Data versions: what every visitor sees alike is kept, and found again, under the version of the
data it was made from. A version is a counter in the shared cache (Redis in production, so every
process sees it), raised after any change of that data; a copy made from older data is then never
read again, in any process, and expires on its own.

    data_version("reference")            # the number to key copies with
    data_changed("reference")            # after a change (a signal receiver, an on_commit hook)
    kept_locally("reference", key, build)  # build() once per version in this process
    kept_shared("applications", key, build, seconds=300)  # once per version for all processes

A change made without going through the code that raises the version (a QuerySet.update in a
migration, an edit in the database) is picked up when the copies expire: LOCAL_SECONDS in a
process, the `seconds` given in the shared cache.

Within one request the versions are read once, all together (one round trip to the shared cache
however many kept things the page shows), and a change the request itself makes is seen at once;
a change made elsewhere while a request runs is seen from the next request on. Outside a request
(tasks, commands, tests between requests) every read goes to the shared cache."""

import hashlib
import threading
import time
from collections.abc import Callable
from typing import TypeVar

from django.core.cache import cache

T = TypeVar("T")
LOCAL_SECONDS = 600
_local: dict[tuple, tuple[float, object]] = {}
# The server's threads share _local: a change drops copies while another thread may be adding one.
_lock = threading.Lock()
# The names of versions this process has read: a request reads them all in one round trip. A
# scoped version ("application-states:school:12", one per school) is read on its own when asked:
# a process that served every school's reviewers would otherwise fetch them all on each request.
SCOPE_SEPARATOR = ":"
_names: set[str] = set()
# This thread's request's versions (name -> number), or None outside a request.
_this_request = threading.local()


def _key(name: str) -> str:
    return f"version:{name}"


def _fresh_version() -> int:
    """A number no earlier version had: a cache emptied and started again never brings back a
    version a process still holds copies for."""
    return time.time_ns() // 1000


def _read(name: str) -> int:
    version = cache.get(_key(name))
    if version is None:
        cache.add(_key(name), _fresh_version(), timeout=None)
        version = cache.get(_key(name))
    return version


def data_version(name: str) -> int:
    read = getattr(_this_request, "versions", None)
    if read is None:
        return _read(name)
    if name not in read:
        if SCOPE_SEPARATOR not in name:
            _names.add(name)
        wanted = sorted((_names - read.keys()) | {name})
        found = cache.get_many([_key(n) for n in wanted])
        for n in wanted:
            read[n] = found[_key(n)] if _key(n) in found else _read(n)
    return read[name]


def request_started(**_kwargs) -> None:
    """From now until request_finished, this thread reads each version once (core.apps)."""
    _this_request.versions = {}


def request_finished(**_kwargs) -> None:
    _this_request.versions = None


def data_changed(name: str) -> None:
    with _lock:
        for old in [k for k in _local if k[0] == name]:
            del _local[old]
    try:
        version = cache.incr(_key(name))
    except ValueError:  # not set yet (or evicted)
        version = _fresh_version()
        cache.set(_key(name), version, timeout=None)
    read = getattr(_this_request, "versions", None)
    if read is not None:  # this request sees its own change at once
        read[name] = version


def kept_locally(name: str, key: tuple, build: Callable[[], T]) -> T:
    """build()'s result, made once per version of `name` in this process and kept for at most
    LOCAL_SECONDS. Only one version of each key is kept; making a copy drops this name's copies
    that are past their time (so keys that stop being asked for do not pile up)."""
    version = data_version(name)
    now = time.monotonic()
    found = _local.get((name, key))
    if found is not None and found[1][0] == version and now - found[0] < LOCAL_SECONDS:
        return found[1][1]
    value = build()
    with _lock:
        for old in [k for k, (made, _v) in _local.items() if k[0] == name and now - made >= LOCAL_SECONDS]:
            del _local[old]
        _local[(name, key)] = (now, (version, value))
    return value


def data_versions(names: list[str]) -> list[int]:
    """The versions of `names`, those this request has not read yet in one round trip (a
    bureau's queue follows its city's and each of its assigned schools')."""
    read = getattr(_this_request, "versions", None)
    known = dict(read) if read is not None else {}
    missing = [name for name in names if name not in known]
    if missing:
        found = cache.get_many([_key(name) for name in missing])
        for name in missing:
            known[name] = found[_key(name)] if _key(name) in found else _read(name)
            if read is not None:
                read[name] = known[name]
    return [known[name] for name in names]


def kept_shared(name: str | list[str], key: str, build: Callable[[], T], *, seconds: int) -> T:
    """build()'s result, made once per version of `name` (or of every name of a list) for every
    process (the shared cache), kept for at most `seconds`. The value must be picklable."""
    if isinstance(name, str):
        cache_key = f"kept:{name}:{data_version(name)}:{key}"
    else:
        stamp = ",".join(f"{n}={v}" for n, v in zip(name, data_versions(name), strict=True))
        cache_key = f"kept:{hashlib.sha256(stamp.encode()).hexdigest()}:{key}"
    value = cache.get(cache_key)
    if value is None:
        value = build()
        cache.set(cache_key, value, timeout=seconds)
    return value


def raised_by_changes_of(name: str, *models) -> None:
    """Raise the version `name` whenever a row of one of `models` is saved or deleted, or one of
    their many-to-many links changes (called from an AppConfig.ready)."""
    from django.db.models.signals import m2m_changed, post_delete, post_save

    def receiver(**_kwargs) -> None:
        data_changed(name)

    _receivers.append(receiver)  # signals hold receivers weakly
    for model in models:
        uid = f"version-{name}-{model._meta.label}"
        post_save.connect(receiver, sender=model, dispatch_uid=f"{uid}-save")
        post_delete.connect(receiver, sender=model, dispatch_uid=f"{uid}-delete")
        for field in model._meta.local_many_to_many:
            through = field.remote_field.through
            m2m_changed.connect(receiver, sender=through, dispatch_uid=f"{uid}-{field.name}")


_receivers: list = []
