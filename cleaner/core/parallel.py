"""An ordered, bounded process map: results in input order, memory independent of stream length.

``Pool.imap`` would read the whole input iterator ahead of the workers; here at most ``inflight`` chunks
are submitted at a time, so a 100 GB stream needs no more memory than a small one. A single chunk is run
in the calling process, so a small input never pays for starting workers. Each worker gets the
:class:`~cleaner.Cleaner` once (it pickles cheaply; with ``fork`` it is inherited, warm: the first chunk runs in the
calling process before the workers start).
"""

from __future__ import annotations

import os
import signal
import sys
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from itertools import chain
from typing import TYPE_CHECKING, Any, TypeVar

if TYPE_CHECKING:
    from concurrent.futures import Future, ProcessPoolExecutor

    from .pipeline import Cleaner

_END: Any = object()
_WORKER_CLEANER: Cleaner | None = None
#: what one call gets (a chunk: a list of texts, a frozen dataclass) and gives back
C = TypeVar("C")
R = TypeVar("R")


def default_jobs() -> int:
    """All cores this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


def _init_worker(cleaner: Cleaner, parent: int) -> None:
    global _WORKER_CLEANER
    _WORKER_CLEANER = cleaner
    die_with_parent(parent)


#: How often a worker checks that its parent is still there (the fallback where prctl is missing).
WATCH_SECONDS = 1.0


def die_with_parent(parent: int) -> None:
    """Make this worker process exit when ``parent`` dies, even by SIGKILL (which runs no clean-up).

    On Linux the kernel sends SIGKILL on the parent's death (``prctl(PR_SET_PDEATHSIG)``); everywhere a
    daemon thread also checks once a second that the parent is still our parent, and exits if not.
    """
    if sys.platform.startswith("linux"):
        try:
            import ctypes

            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(1, signal.SIGKILL, 0, 0, 0)  # PR_SET_PDEATHSIG = 1
        except (OSError, AttributeError):
            pass
    if os.getppid() != parent:  # the parent died before prctl took effect
        os._exit(1)

    def watch() -> None:
        while True:
            time.sleep(WATCH_SECONDS)
            if os.getppid() != parent:
                os._exit(1)

    threading.Thread(target=watch, name="cleaner-parent-watch", daemon=True).start()


def _call(func: Callable[[Cleaner, C], R], chunk: C) -> R:
    """In a worker: ``func`` with the Cleaner :func:`_init_worker` stored."""
    assert _WORKER_CLEANER is not None, "a pool worker runs only after _init_worker"
    return func(_WORKER_CLEANER, chunk)


class OrderedPool:
    """Maps ``func(cleaner, chunk)`` over chunks with ``jobs`` processes, yielding results in order.

    Use as a context manager (or call :meth:`close`); the worker processes are started on the first map
    that has more than one chunk, and reused by later maps.
    """

    def __init__(self, cleaner: Cleaner, jobs: int, inflight: int | None = None) -> None:
        self.cleaner = cleaner
        self.jobs = max(1, jobs)
        self.inflight = inflight or self.jobs * 3
        self._executor: ProcessPoolExecutor | None = None

    def __enter__(self) -> OrderedPool:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        if self._executor is not None:
            self._executor.shutdown(wait=True, cancel_futures=True)
            self._executor = None

    def _start(self) -> ProcessPoolExecutor:
        if self._executor is None:
            import multiprocessing  # here, not at module level: ~10 ms of every start-up
            from concurrent.futures import ProcessPoolExecutor

            methods = multiprocessing.get_all_start_methods()
            ctx = multiprocessing.get_context("fork" if "fork" in methods else None)
            self._executor = ProcessPoolExecutor(self.jobs, mp_context=ctx, initializer=_init_worker,
                                                 initargs=(self.cleaner, os.getpid()))
        return self._executor

    def map(self, func: Callable[[Cleaner, C], R], chunks: Iterable[C]) -> Iterator[R]:
        """Yield ``func(cleaner, chunk)`` for each chunk, in order."""
        it = iter(chunks)
        first = next(it, _END)
        if first is _END:
            return
        if self.jobs == 1:
            yield func(self.cleaner, first)
            for chunk in it:
                yield func(self.cleaner, chunk)
            return
        second = next(it, _END)
        if second is _END and self._executor is None:
            yield func(self.cleaner, first)
            return
        head = [first] if second is _END else [first, second]
        if self._executor is None:
            # The first chunk runs here, before forking: it loads every resource real data needs (more than
            # a warm-up sentence would), and the workers inherit them instead of each loading its own.
            yield func(self.cleaner, head.pop(0))
        executor = self._start()
        pending: deque[Future[R]] = deque()
        try:
            for chunk in chain(head, it):
                pending.append(executor.submit(_call, func, chunk))
                if len(pending) >= self.inflight:
                    yield pending.popleft().result()
            while pending:
                yield pending.popleft().result()
        finally:
            for fut in pending:
                fut.cancel()


def chunked(items: Iterable[C], max_items: int, max_bytes: int, size: Callable[[C], int]) -> Iterator[list[C]]:
    """Group ``items`` into lists of at most ``max_items`` items and about ``max_bytes`` bytes."""
    batch: list[C] = []
    total = 0
    for item in items:
        batch.append(item)
        total += size(item)
        if len(batch) >= max_items or total >= max_bytes:
            yield batch
            batch, total = [], 0
    if batch:
        yield batch
