"""Writing while reading: a long import hands each chunk's write to one thread of its own, with its
own database connection, and goes on checking the next lines while PostgreSQL takes the last
chunk (its rows, its foreign keys checked at the commit, the flush to disk). A million-row
registry import waited 17 s for the database between its chunks when it wrote them itself.

    with WriterAlongside() as writer:
        for chunk in chunks:
            writer.write(write_chunk, chunk)   # returns once the write before it has ended

At most one write runs while the caller makes the next chunk, so memory holds two chunks at most.
A write's error is raised in the caller, at its next `write` or when the block ends; the block
ends only when every write has ended, so whatever follows (a failed import removing its rows)
sees all that was written. Only on PostgreSQL and outside a transaction: a second connection
cannot see what a transaction still open on the caller's has written (a test's, say), and a
chunk written elsewhere could not be rolled back with it. There, and on SQLite, each write runs
at once in the caller, as before."""

from concurrent.futures import Future, ThreadPoolExecutor

from django.db import connection, connections


class WriterAlongside:
    def __init__(self):
        self.alongside = connection.vendor == "postgresql" and not connection.in_atomic_block
        self._pool: ThreadPoolExecutor | None = None
        self._running: Future | None = None

    def __enter__(self) -> "WriterAlongside":
        if self.alongside:
            self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="writer-alongside")
        return self

    def write(self, function, *args) -> None:
        if self._pool is None:
            function(*args)
            return
        self._wait()
        self._running = self._pool.submit(function, *args)

    def _wait(self) -> None:
        running, self._running = self._running, None
        if running is not None:
            running.result()  # raises the write's error here

    def __exit__(self, exc_type, exc, traceback) -> None:
        if self._pool is None:
            return
        try:
            if exc_type is None:
                self._wait()
            elif self._running is not None:
                self._running.exception()  # wait; the caller's own error is the one to raise
        finally:
            self._pool.submit(connections.close_all).result()  # the thread's connection
            self._pool.shutdown(wait=True)
