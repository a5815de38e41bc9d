"""Drive a batch: cases in input order, in this process or in a few worker processes.

The parent reads the input, names each case's file (names depend on input order only) and hands out chunks of
:data:`CHUNK` cases (smaller ones at the end, :func:`chunk_size`); a chunk's letters are made durable together at its
end (:func:`~rightscli.batch.work.run_chunk`), also without workers. With workers (:mod:`rightscli.batch.pool`), a few
chunks per worker are in flight and outcomes come back in input order, so memory stays flat however long the input
and the output is the same as with one process. Run from the console, the first worker is started before the command
line is read and forks the others once it has the settings (:mod:`rightscli.batch.early`, :func:`serve_early`); run
from Python (the tests), the batch forks its workers itself, after loading the rules, so that they share them.

Workers die with the batch. On Linux each asks the kernel for SIGKILL when its parent ends (``PR_SET_PDEATHSIG``);
everywhere a watchdog thread ends the worker once its parent is gone, and a worker checks its parent once more just
before it puts a chunk's letters in place, so that no letter is written after the batch is gone (killed with
SIGKILL, say). SIGTERM ends the batch at once: its workers are killed (a chunk in progress is not put in place) and
it exits with 143. The same happens on Ctrl-C (exit 130).
"""

from __future__ import annotations

import contextlib
import gc
import math
import os
import signal
import sys
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from itertools import islice
from typing import Any

from rightscli.batch.items import Item
from rightscli.batch.names import UniqueNames, stem_for
from rightscli.batch.pool import (
    Channel,
    can_fork,
    confirm,
    keep_to,
    only,
    receive_start,
    refuse,
    serve,
    serve_forked,
    worker_cpus,
)
from rightscli.batch.work import Entry, Outcome, Rehearsal, Settings, Task, failed, order_id_of, run_chunk
from rightscli.catalog import Catalog, load_catalog
from rightscli.errors import InputError
from rightscli.i18n import tr

CHUNK = 16
TAIL_CHUNK = 4  # the fewest cases in a chunk handed to a worker near the end of the input (see chunk_size)
GC_YOUNG = 10_000  # allocations between collections of young objects during a batch (see Runner.__enter__)
RELEASE_EVERY = 1024  # cases between full collections during a batch (see _release)
WATCH_EVERY = 0.2  # seconds between a worker's checks that its parent is still there


def entries(items: Iterable[Item], settings: Settings) -> Iterator[Entry]:
    """A task for each case that was read, a failed outcome for each that could not be."""
    names = UniqueNames()
    for item in items:
        if item.doc is None:
            yield failed(item.ref, item.error or InputError(tr("batch.unreadable"), file=item.ref.file))
            continue
        stem = stem_for(order_id_of(item), item.fallback, settings.recipient)
        yield Task(item, names.claim(stem, settings.fmt))


class Runner:
    """``with Runner(settings, catalog, jobs) as run: for outcome in run(entries): …``

    ``catalog`` None: the bundled rules and those of ``policy_dirs`` are loaded on entry (and checked: a problem is
    raised there), by this process, or by the workers when they were started early (:mod:`rightscli.batch.early`).
    """

    def __init__(self, settings: Settings, catalog: Catalog | None, jobs: int, policy_dirs: Sequence[str] = ()) -> None:
        self.settings = settings
        self.catalog = catalog
        self.policy_dirs = list(policy_dirs)
        self.jobs = jobs if jobs > 1 and can_fork() else 1
        self.pool: Any = None
        self.threshold: tuple[int, ...] = ()
        self.sigterm: Any = None

    def __enter__(self) -> Runner:
        # The catalog and the loaded modules live as long as the batch: keep them out of the garbage collector's
        # full passes (and, in forked workers, out of its writes to shared pages). A case creates some 20,000
        # short-lived objects that reference counting frees; collecting young objects every 700 allocations (Python's
        # default) took ~15% of a worker's time, every GC_YOUNG allocations keeps memory as flat (benchmarks/batch.py).
        gc.freeze()
        self.threshold = gc.get_threshold()
        gc.set_threshold(GC_YOUNG, *self.threshold[1:])
        if self.jobs > 1:
            from rightscli.batch.pool import Pool, take_early

            if threading.current_thread() is threading.main_thread():
                self.sigterm = signal.signal(signal.SIGTERM, _terminated)
            # A worker that dies (killed, out of memory) ends the batch with an internal error instead of leaving it
            # waiting forever (pool.WorkerDied).
            early = take_early(self.jobs)
            if early is not None:  # started before the command line was read, and warm by now (batch.early)
                # It loads the rules (and checks them: a problem is raised here, before anything is written); this
                # process, which only hands out cases and reports, does not load them too.
                self.pool = Pool.adopt(*early, start=(self.settings, self.policy_dirs))
                try:
                    self.pool.ready()
                except BaseException:
                    self.__exit__(*sys.exc_info())
                    raise
            else:
                from rightscli.batch.work import prepare

                self.catalog = self._rules()
                prepare()  # what every case needs, loaded once here and shared by the workers, not once in each
                # Forked now, before the progress bar starts a thread.
                self.pool = Pool(self.jobs, _init_worker, (self.settings, self.catalog, os.getpid()), _run_chunk)
        else:
            self.catalog = self._rules()
        return self

    def _rules(self) -> Catalog:
        return self.catalog if self.catalog is not None else load_catalog(self.policy_dirs)

    def __exit__(self, exc_type: type[BaseException] | None, *exc: object) -> None:
        if self.pool is not None:
            # Ctrl-C, SIGTERM or an error: the workers are stopped now, not after the chunks in progress are written
            # (what they were writing is not put in place). Otherwise each has answered every chunk: they end.
            # Either way they are waited for: workers left running at exit race the interpreter's shutdown.
            if exc_type is not None:
                self.pool.kill()
            else:
                self.pool.close()
            self.pool = None
        if self.sigterm is not None:
            signal.signal(signal.SIGTERM, self.sigterm)
            self.sigterm = None
        gc.set_threshold(*self.threshold)
        gc.unfreeze()

    def __call__(
        self,
        stream: Iterable[Entry],
        idle: Callable[[], object] | None = None,
        left: Callable[[], float | None] | None = None,
    ) -> Iterator[Outcome]:
        """The outcomes of ``stream``, in order. ``idle`` is called once, when this process would otherwise wait: with
        workers, once they have all the chunks they take ahead (the work it does then overlaps theirs); without, first.
        ``left``: about how many cases the input still holds (None: not known), to make the last chunks smaller
        (:func:`chunk_size`).
        """
        it = iter(stream)
        if self.pool is None:
            catalog = self.catalog
            assert catalog is not None  # loaded on entry
            if idle is not None:
                idle()
            while chunk := list(islice(it, CHUNK)):
                outcomes = run_chunk(chunk, self.settings, catalog)
                _release(len(chunk))
                yield from outcomes
            return
        from rightscli.batch.pool import AHEAD

        def chunks() -> Iterator[list[Entry]]:
            while chunk := list(islice(it, chunk_size(left() if left else None, AHEAD * self.jobs))):
                yield chunk

        for outcomes in self.pool.map(chunks(), idle):
            yield from outcomes


def chunk_size(left: float | None, in_flight: int) -> int:
    """The cases of the next chunk handed to a worker: :data:`CHUNK`, until what is left of the input (``left``
    cases, None: not known) no longer fills the ``in_flight`` chunks the workers hold; from then on it is shared out
    among them (at least :data:`TAIL_CHUNK`), so that the workers finish at about the same time instead of one
    waiting while another runs the last full chunk or two (a chunk waits in a worker's pipe behind the one it runs).
    1,000 cases, -j 2: the two workers' last chunks ended 0-16 ms apart (6 ms on average, n=6), now 1-4 ms; the
    batch took 438 -> 427 ms on tmpfs (medians of 15, interleaved). A few more chunks (17 instead of 13 for 200
    cases), so a few more fsync rounds; a pipe, whose size is not known, keeps full chunks."""
    if left is None:
        return CHUNK
    return max(TAIL_CHUNK, min(CHUNK, math.ceil(left / in_flight)))


_DONE = [0]  # cases run by this process since its last full collection


def _release(cases: int) -> None:
    """A full collection every :data:`RELEASE_EVERY` cases: it also empties CPython's free lists, which otherwise
    keep up to 2,000 freed tuples of each size (and some dicts and lists) for reuse. A case frees tuples of many
    sizes, so those lists filled slowly over a long batch: ~4 MB more in each worker by 100,000 cases than by 1,000
    (benchmarks/batch.py). With the modules and the catalog frozen (Runner.__enter__), a full collection looks only
    at the few objects a case leaves, ~1 ms."""
    _DONE[0] += cases
    if _DONE[0] >= RELEASE_EVERY:
        _DONE[0] = 0
        gc.collect()


def _terminated(signum: int, frame: Any) -> None:
    print(tr("batch.terminated"), file=sys.stderr)
    raise SystemExit(128 + signum)


_WORKER: tuple[Settings, Catalog, int] | None = None
_REHEARSED: list[Rehearsal] = []  # in the worker started early, until its first chunk: the letters of its warm-up


class _ParentGone(BaseException):
    """The batch that started this worker has ended: its chunk is dropped, and the worker ends."""


def _init_worker(settings: Settings, catalog: Catalog, parent: int) -> None:
    global _WORKER
    _WORKER = (settings, catalog, parent)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is handled by the parent, which ends the workers
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    die_with(parent)


def serve_early(pairs: list[tuple[Channel, Channel]], batch: int, warm: Rehearsal | None) -> int:
    """The worker started early (:mod:`rightscli.batch.early`), once warm: wait for the batch's settings, fork the
    other workers from itself (each a child of this one, ending with it), then run chunks like them, its first with
    the letters it rendered to warm up (``warm``). Returns the exit code: 0 when the batch said there are no more
    chunks (after the other workers ended) or was gone first."""
    mine = pairs[0][1]
    start = receive_start(mine)
    if start is None:
        return 0  # the batch never began
    settings, policy_dirs = start
    try:
        # The rules for the batch: those loaded to warm up, when they came from the same folders.
        catalog = warm.catalog if warm is not None and warm.policy_dirs == policy_dirs else load_catalog(policy_dirs)
    except Exception as exc:  # the batch raises it, as it would have loading them itself
        refuse([channel for _, channel in pairs], exc)
        return 1
    try:
        confirm(mine)
    except OSError:
        return 0  # the batch is gone
    gc.freeze()  # as the batch process does before it forks workers itself (Runner.__enter__)
    gc.set_threshold(GC_YOUNG, *gc.get_threshold()[1:])
    gc.enable()
    me = os.getpid()
    cpus = worker_cpus(len(pairs))  # each worker on a core of its own (pool.worker_cpus), this one on the first
    others = []
    for i, (_, channel) in enumerate(pairs[1:], start=1):
        pid = os.fork()
        if pid == 0:
            only(channel, pairs)
            keep_to(cpus[i] if cpus else None)
            serve_forked(channel, _init_worker, (settings, catalog, me), _run_chunk)
        others.append(pid)
    keep_to(cpus[0] if cpus else None)
    for _, channel in pairs[1:]:
        channel.close()
    _init_worker(settings, catalog, batch)
    _REHEARSED[:] = [warm] if warm is not None and len(warm) else []  # the first cases are this worker's first chunk
    serve(mine, _run_chunk)
    for pid in others:
        with contextlib.suppress(ChildProcessError):
            os.waitpid(pid, 0)
    return 0


def die_with(parent: int, *, watch: bool = True) -> None:
    """End this worker when ``parent`` ends: the kernel's parent-death signal on Linux, a watchdog thread anywhere
    (``watch``: not in a process that forks more workers later)."""
    if sys.platform.startswith("linux"):
        try:
            import ctypes

            pr_set_pdeathsig = 1
            ctypes.CDLL(None, use_errno=True).prctl(pr_set_pdeathsig, int(signal.SIGKILL), 0, 0, 0)
        except (OSError, AttributeError):
            pass
    if os.getppid() != parent:  # the parent ended before the signal was asked for
        os._exit(1)
    if watch:
        threading.Thread(target=_watch, args=(parent,), name="rights-parent-watch", daemon=True).start()


def _watch(parent: int) -> None:
    while os.getppid() == parent:
        time.sleep(WATCH_EVERY)
    os._exit(1)


def _check_parent() -> None:
    assert _WORKER is not None
    if os.getppid() != _WORKER[2]:
        raise _ParentGone


def _run_chunk(chunk: list[Entry]) -> list[Outcome]:
    assert _WORKER is not None
    settings, catalog, _ = _WORKER
    rehearsed = _REHEARSED.pop() if _REHEARSED else None  # for the first chunk only: what it has not taken is dropped
    try:
        outcomes = run_chunk(chunk, settings, catalog, before_commit=_check_parent, rehearsed=rehearsed)
    except _ParentGone:  # the chunk's unseen files go with this process; nobody is left to take the outcomes
        os._exit(1)
    _release(len(chunk))
    return outcomes
