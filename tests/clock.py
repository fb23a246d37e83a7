"""The test's clock, on time-machine: time stands still (for Django, Python and the cache
alike) until the test moves it."""

from contextlib import contextmanager
from datetime import timedelta

import time_machine
from django.utils import timezone


class Clock:
    def __init__(self, coordinates):
        self._coordinates = coordinates

    @property
    def now(self):
        return timezone.now()

    @now.setter
    def now(self, moment):
        self._coordinates.move_to(moment, tick=False)

    def advance(self, **kwargs):
        self._coordinates.shift(timedelta(**kwargs))


@contextmanager
def frozen(start):
    with time_machine.travel(start, tick=False) as coordinates:
        yield Clock(coordinates)
