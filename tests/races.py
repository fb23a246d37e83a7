"""Running the same work from several threads at once, released together by a barrier."""

import threading

from django.db import connection


def race(count, work) -> list[Exception]:
    """Run `work` in `count` threads that start together; return what they raised."""
    barrier = threading.Barrier(count)
    errors = []

    def run():
        try:
            barrier.wait(timeout=10)
            work()
        except Exception as error:
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return errors
