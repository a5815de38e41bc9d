"""Drive a batch: cases in input order, in this process or in a few worker processes.

The parent reads the input, names each case's file (names depend on input order only) and hands out chunks of
:data:`CHUNK` cases; a chunk's letters are made durable together at its end (:func:`~rightscli.batch.work.run_chunk`),
also without workers. With workers, at most :data:`AHEAD` chunks per worker are in flight and outcomes come back in
input order, so memory stays flat however long the input and the output is the same as with one process. Workers are
forked after the catalog is loaded, so they share it instead of loading it again.
"""

from __future__ import annotations

import gc
import os
import signal
import sys
from collections import deque
from collections.abc import Iterable, Iterator
from itertools import islice
from typing import Any

from rightscli.batch.names import UniqueNames, stem_for
from rightscli.batch.sources import Item
from rightscli.batch.work import Entry, Outcome, Settings, Task, failed, order_id_of, run_chunk
from rightscli.catalog import Catalog
from rightscli.errors import InputError

CHUNK = 16
AHEAD = 2
MAX_JOBS = 4
GC_YOUNG = 10_000  # allocations between collections of young objects during a batch (see Runner.__enter__)


def default_jobs() -> int:
    """Worker processes by default: one per CPU this process may use, at most :data:`MAX_JOBS`; 1 without fork."""
    if not can_fork():
        return 1
    try:
        cpus = len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        cpus = os.cpu_count() or 1
    return max(1, min(MAX_JOBS, cpus))


def can_fork() -> bool:
    import multiprocessing

    return sys.platform.startswith("linux") and "fork" in multiprocessing.get_all_start_methods()


def entries(items: Iterable[Item], settings: Settings) -> Iterator[Entry]:
    """A task for each case that was read, a failed outcome for each that could not be."""
    names = UniqueNames()
    for item in items:
        if item.doc is None:
            yield failed(item.ref, item.error or InputError("could not be read", file=item.ref.file))
            continue
        stem = stem_for(order_id_of(item), item.fallback, settings.recipient)
        yield Task(item, names.claim(stem, settings.fmt))


class Runner:
    """``with Runner(settings, catalog, jobs) as run: for outcome in run(entries): …``"""

    def __init__(self, settings: Settings, catalog: Catalog, jobs: int) -> None:
        self.settings = settings
        self.catalog = catalog
        self.jobs = jobs if jobs > 1 and can_fork() else 1
        self.pool: Any = None
        self.threshold: tuple[int, ...] = ()

    def __enter__(self) -> Runner:
        # The catalog and the loaded modules live as long as the batch: keep them out of the garbage collector's
        # full passes (and, in forked workers, out of its writes to shared pages). A case creates some 20,000
        # short-lived objects that reference counting frees; collecting young objects every 700 allocations (Python's
        # default) took ~15% of a worker's time, every GC_YOUNG allocations keeps memory as flat (benchmarks/batch.py).
        gc.freeze()
        self.threshold = gc.get_threshold()
        gc.set_threshold(GC_YOUNG, *self.threshold[1:])
        if self.jobs > 1:
            import multiprocessing
            from concurrent.futures import ProcessPoolExecutor

            ctx = multiprocessing.get_context("fork")
            init = (self.settings, self.catalog)
            self.pool = ProcessPoolExecutor(self.jobs, mp_context=ctx, initializer=_init_worker, initargs=init)
            # Fork the workers now, before the progress bar starts a thread. A worker that dies (killed, out of
            # memory) breaks the pool: the batch then ends with an internal error instead of waiting forever.
            self.pool.submit(_run_chunk, []).result()
        return self

    def __exit__(self, *exc: object) -> None:
        if self.pool is not None:
            # Always wait (queued work is cancelled; a running chunk is a few letters): a pool left running at exit
            # races the interpreter's shutdown and prints "Exception ignored … BrokenPipeError" when stdout closed.
            self.pool.shutdown(wait=True, cancel_futures=True)
            self.pool = None
        gc.set_threshold(*self.threshold)
        gc.unfreeze()

    def __call__(self, stream: Iterable[Entry]) -> Iterator[Outcome]:
        it = iter(stream)
        if self.pool is None:
            while chunk := list(islice(it, CHUNK)):
                yield from run_chunk(chunk, self.settings, self.catalog)
            return
        window: deque[Any] = deque()
        while chunk := list(islice(it, CHUNK)):
            window.append(self.pool.submit(_run_chunk, chunk))
            while len(window) > AHEAD * self.jobs:
                yield from window.popleft().result()
        while window:
            yield from window.popleft().result()


_WORKER: tuple[Settings, Catalog] | None = None


def _init_worker(settings: Settings, catalog: Catalog) -> None:
    global _WORKER
    _WORKER = (settings, catalog)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is handled by the parent, which ends the workers


def _run_chunk(chunk: list[Entry]) -> list[Outcome]:
    assert _WORKER is not None
    settings, catalog = _WORKER
    return run_chunk(chunk, settings, catalog)
