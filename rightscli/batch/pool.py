"""The worker processes of a batch: forked, each with two pipes of its own to the batch process, which hands out
chunks and reads their outcomes on its one thread.

A pool of executor threads and shared queues (``concurrent.futures``) cost the batch process about a third of its CPU
time while its workers ran, taken from the same two cores as theirs (benchmarks/batch.py); here the batch process
sleeps in :func:`select.poll` until a worker answers, and no lock is shared between workers.

Each worker takes the chunks handed to it in order and answers each with ``(True, outcomes)``, or ``(False, error)``
when running the chunk raised (a bug: the batch then ends with an internal error, as it would without workers). A
worker that ends without answering (killed, out of memory) is :class:`WorkerDied`. A chunk waits in a worker's pipe
while the worker runs the one before: at most :data:`AHEAD` chunks per worker are handed out, and a chunk whose data
would not fit in the pipe is handed only to a worker with nothing to do (the worker then reads it at once, so neither
side ever waits on the other's full pipe).

The workers are forked either here (:class:`Pool`), from the batch process once it has read its arguments, or
before that, while the batch process still imports the command line (:mod:`rightscli.batch.early`), and then
taken over (:meth:`Pool.adopt`). Messages are framed bytes over plain pipes (:class:`Channel`): the batch process
needs neither ``multiprocessing`` nor a socket.
"""

from __future__ import annotations

import contextlib
import os
import pickle
import signal
import sys
import time
from collections import deque
from collections.abc import Callable, Iterator
from typing import Any

AHEAD = 2  # chunks handed to a worker and not yet answered: one it runs, one waiting in its pipe
PIPELINED_BYTES = 32 * 1024  # a chunk larger than this goes only to a worker with nothing to do
MAX_JOBS = 4
_HEADER = 8  # bytes of a message's length, before the message


def can_fork() -> bool:
    """Workers are forked processes: Linux only (elsewhere, and where fork is missing, a batch runs in one)."""
    return sys.platform.startswith("linux") and hasattr(os, "fork")


def default_jobs() -> int:
    """Worker processes by default: one per CPU this process may use, at most :data:`MAX_JOBS`; 1 without fork."""
    if not can_fork():
        return 1
    try:
        cpus = len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        cpus = os.cpu_count() or 1
    return max(1, min(MAX_JOBS, cpus))


def worker_cpus(jobs: int) -> list[int] | None:
    """The CPU each of ``jobs`` workers keeps to (:func:`keep_to`), when there are exactly as many CPUs as workers for
    this process to use: each worker then has a core of its own, and its code and data stay in that core's caches
    instead of following it from core to core each time it wakes from an fsync. None (the scheduler places them)
    with more CPUs than workers, where a pinned worker could not move off a core that something else keeps busy, or
    fewer. benchmarks/batch.py's 1,000 cases, -j 2 on 2 cores, interleaved: 552 -> 537 ms on disk (n=21), 454 -> 438
    ms on tmpfs (n=11), CPU of all processes -20 ms; -j 1 runs in the batch process, which is not pinned."""
    try:
        allowed = sorted(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        return None
    return allowed if jobs > 1 and len(allowed) == jobs else None


def keep_to(cpu: int | None) -> None:
    """Run this process (and the threads it starts later) on ``cpu`` only; None: anywhere (best effort)."""
    if cpu is not None:
        with contextlib.suppress(AttributeError, OSError):
            os.sched_setaffinity(0, {cpu})


class WorkerDied(RuntimeError):
    """A worker process ended without answering (killed, out of memory): the batch cannot know what it wrote."""


class Channel:
    """One side of a worker's two pipes: messages in on ``rfd``, out on ``wfd``, each as its length and its bytes.
    An empty message is a message too (the batch's "no more chunks")."""

    __slots__ = ("rfd", "wfd")

    def __init__(self, rfd: int, wfd: int) -> None:
        self.rfd = rfd
        self.wfd = wfd

    def send(self, data: bytes) -> None:
        """Raises OSError (a broken pipe) when the other side is gone."""
        view = memoryview(len(data).to_bytes(_HEADER, "big") + data)
        while view:
            view = view[os.write(self.wfd, view) :]

    def receive(self) -> bytes:
        """The next message; EOFError when the other side is gone."""
        size = int.from_bytes(self._exactly(_HEADER), "big")
        return self._exactly(size)

    def _exactly(self, n: int) -> bytes:
        parts: list[bytes] = []
        while n:
            part = os.read(self.rfd, min(n, 1 << 20))
            if not part:
                raise EOFError
            parts.append(part)
            n -= len(part)
        return b"".join(parts)

    def close(self) -> None:
        for fd in (self.rfd, self.wfd):
            with contextlib.suppress(OSError):
                os.close(fd)


def pipes(jobs: int) -> list[tuple[Channel, Channel]]:
    """For each of ``jobs`` workers: the batch's side of its pipes and the worker's. Not inherited by programs started
    later (close-on-exec)."""
    pairs = []
    for _ in range(jobs):
        down_r, down_w = os.pipe()  # chunks, to the worker
        up_r, up_w = os.pipe()  # answers, from the worker
        pairs.append((Channel(up_r, down_w), Channel(down_r, up_w)))
    return pairs


_EARLY: list[tuple[int, list[Channel]]] = []  # the worker started early, and the batch's side of every worker's pipes


def started_early(pid: int, channels: list[Channel]) -> None:
    """Note the workers started early (:mod:`rightscli.batch.early`), for the batch to take (:func:`take_early`); if
    it never does, they are ended when this process exits."""
    import atexit

    _EARLY[:] = [(pid, channels)]
    atexit.register(discard_early)


def take_early(jobs: int) -> tuple[int, list[Channel]] | None:
    """The workers started early, if there are ``jobs`` of them (else they are ended: the batch forks its own)."""
    if not _EARLY:
        return None
    if len(_EARLY[0][1]) != jobs:
        discard_early()
        return None
    return _EARLY.pop()


def discard_early() -> None:
    """End the workers started early and not taken (the batch never began: a usage error, say)."""
    if _EARLY:
        pid, channels = _EARLY.pop()
        with contextlib.suppress(OSError):
            os.kill(pid, signal.SIGKILL)
        _wait(pid)
        for channel in channels:
            channel.close()


class _Worker:
    __slots__ = ("channel", "pending", "pid")

    def __init__(self, pid: int, channel: Channel) -> None:
        self.pid = pid  # a child of this process; 0 for one it did not fork (a worker forked by another worker)
        self.channel = channel
        self.pending: deque[int] = deque()  # the sequence numbers of the chunks handed to it, oldest first


class Pool:
    """``jobs`` workers forked now, each running ``init(*initargs)`` once, then ``run(chunk)`` for every chunk."""

    def __init__(
        self, jobs: int, init: Callable[..., None], initargs: tuple[Any, ...], run: Callable[[Any], Any]
    ) -> None:
        self.workers: list[_Worker] = []
        self.exit_codes: list[int | None] = []  # of the workers this process forked, once they have ended
        pairs = pipes(jobs)
        cpus = worker_cpus(jobs)
        try:
            for i, (here, there) in enumerate(pairs):
                pid = os.fork()
                if pid == 0:  # the worker: only its own pipes stay open
                    only(there, pairs)
                    keep_to(cpus[i] if cpus else None)
                    serve_forked(there, init, initargs, run)
                self.workers.append(_Worker(pid, here))
        except BaseException:
            self.kill()
            raise
        finally:
            for i, (here, there) in enumerate(pairs):
                there.close()
                if i >= len(self.workers):
                    here.close()

    @classmethod
    def adopt(cls, pid: int, channels: list[Channel], start: Any) -> Pool:
        """The workers started early (:mod:`rightscli.batch.early`): the first, ``pid``, is this process's child and
        has forked the others. ``start`` is sent to the first; it begins the batch's work with it."""
        pool = cls.__new__(cls)
        pool.workers = [_Worker(pid if i == 0 else 0, channel) for i, channel in enumerate(channels)]
        pool.exit_codes = []
        try:
            pool.workers[0].channel.send(pickle.dumps(start, protocol=pickle.HIGHEST_PROTOCOL))
        except OSError:
            pool.kill()
            raise WorkerDied(pool._died(pool.workers[0])) from None
        return pool

    def ready(self) -> None:
        """Wait for the first worker started early to say it has loaded the rules (:func:`confirm`); raise what kept
        it from loading them."""
        ok, answer = self._receive(self.workers[0])
        if not ok:
            raise answer

    def map(self, chunks: Iterator[Any], idle: Callable[[], object] | None = None) -> Iterator[Any]:
        """The answer to each chunk, in the order of ``chunks``; ``idle`` is called once, when the workers have been
        handed all the chunks they can take at first (or the chunks ran out first)."""
        import select

        by_fd = {w.channel.rfd: w for w in self.workers}
        window = AHEAD * len(self.workers)  # chunks handed out and not yet given back: memory stays bounded even
        # when the oldest chunk takes long and the other workers run ahead
        done: dict[int, Any] = {}
        order: deque[int] = deque()  # chunks handed out and not yet given back, in input order
        held: bytes | None = None  # the next chunk, until a worker has room for it
        seq = 0
        more = True
        while True:
            # Hand out chunks while a worker has room (the one with the fewest first).
            while (more or held is not None) and len(order) < window:
                if held is None:
                    chunk = next(chunks, None)
                    if chunk is None:
                        more = False
                        break
                    held = pickle.dumps(chunk, protocol=pickle.HIGHEST_PROTOCOL)
                worker = min(self.workers, key=lambda w: len(w.pending))
                if worker.pending and (len(worker.pending) >= AHEAD or len(held) > PIPELINED_BYTES):
                    break
                self._send(worker, held)
                held = None
                worker.pending.append(seq)
                order.append(seq)
                seq += 1
            if idle is not None:  # every worker has all the chunks it can take (or the input ran out): wait now
                idle()
                idle = None
            if not order:
                return
            # Wait for answers; give back, in input order, what is there.
            poll = select.poll()
            for w in self.workers:
                if w.pending:
                    poll.register(w.channel.rfd, select.POLLIN)
            for fd, _ in poll.poll():
                worker = by_fd[fd]
                ok, answer = self._receive(worker)
                if not ok:
                    raise answer
                done[worker.pending.popleft()] = answer
            while order and order[0] in done:
                yield done.pop(order.popleft())

    def close(self) -> None:
        """Let the workers finish and end (each has answered every chunk it was handed): returns once they have."""
        for worker in self.workers:
            with contextlib.suppress(OSError):  # a worker already gone is found by the wait
                worker.channel.send(b"")  # no more chunks
        self._end()

    def kill(self) -> None:
        """End the workers now: a chunk in progress is not put in place. (Workers this process did not fork are
        ended by their own parent's end: each asked the kernel for that, see rightscli.batch.runner.)"""
        for worker in self.workers:
            if worker.pid:
                with contextlib.suppress(OSError):
                    os.kill(worker.pid, signal.SIGKILL)
        self._end()

    def _end(self) -> None:
        workers, self.workers = self.workers, []
        for worker in workers:
            if worker.pid:
                self.exit_codes.append(_wait(worker.pid))
            worker.channel.close()

    def _send(self, worker: _Worker, data: bytes) -> None:
        try:
            worker.channel.send(data)
        except OSError:  # the worker is gone (a broken pipe)
            raise WorkerDied(self._died(worker)) from None

    def _receive(self, worker: _Worker) -> tuple[bool, Any]:
        try:
            data = worker.channel.receive()
        except (EOFError, OSError):
            raise WorkerDied(self._died(worker)) from None
        answer: tuple[bool, Any] = pickle.loads(data)
        return answer

    def _died(self, worker: _Worker) -> str:
        if not worker.pid:
            return "a worker process ended unexpectedly"
        code = _wait(worker.pid, block=False)
        return f"a worker process ended unexpectedly (exit code {code})"


def _wait(pid: int, *, block: bool = True) -> int | None:
    """The exit code of a child (negative: the signal that ended it); without ``block``, None when it has not ended
    within a second."""
    deadline = time.monotonic() + 1.0
    while True:
        try:
            done, status = os.waitpid(pid, 0 if block else os.WNOHANG)
        except ChildProcessError:
            return None
        if done:
            return os.waitstatus_to_exitcode(status)
        if time.monotonic() > deadline:
            return None
        time.sleep(0.01)


def only(mine: Channel, pairs: list[tuple[Channel, Channel]]) -> None:
    """In a worker: close every pipe but its own side of its own pipes."""
    for here, there in pairs:
        here.close()
        if there is not mine:
            there.close()


def serve_forked(
    channel: Channel, init: Callable[..., None], initargs: tuple[Any, ...], run: Callable[[Any], Any]
) -> None:
    """A worker's life: ``init``, then one chunk after the other until the batch says there are no more; then the
    process ends (never returns).

    (Finishing a chunk in a thread of its own while the next one was staged, so as not to sit idle while the disk
    writes, cost more than it saved: two threads of one process take turns at the interpreter. benchmarks/batch.py,
    1,000 cases, -j 2: 550 -> 514 ms on disk, 481 -> 446 ms on tmpfs without the thread, load 0.7-0.8.)
    """
    code = 0
    try:
        init(*initargs)
        serve(channel, run)
    except BaseException:
        code = 1
    finally:
        os._exit(code)


def serve(channel: Channel, run: Callable[[Any], Any]) -> None:
    """Answer chunks until the batch says there are no more (or is gone)."""
    while True:
        try:
            data = channel.receive()
        except (EOFError, OSError):
            return  # the batch is gone
        if not data:
            return
        try:
            answer: tuple[bool, Any] = (True, run(pickle.loads(data)))
        except Exception as exc:  # a bug: the batch process raises it, as it would have without workers
            answer = (False, portable(exc))
        try:
            channel.send(pickle.dumps(answer, protocol=pickle.HIGHEST_PROTOCOL))
        except OSError:
            return  # the batch is gone


def receive_start(channel: Channel) -> Any:
    """In the worker started early: what :meth:`Pool.adopt` sent; None when the batch ended without sending it."""
    try:
        data = channel.receive()
    except (EOFError, OSError):
        return None
    return pickle.loads(data)


def confirm(channel: Channel) -> None:
    """In the worker started early: tell the batch it has what it needs to begin (:meth:`Pool.ready`)."""
    channel.send(pickle.dumps((True, None), protocol=pickle.HIGHEST_PROTOCOL))


def refuse(channels: list[Channel], exc: BaseException) -> None:
    """Answer the first chunk on each of ``channels`` with ``exc`` (the workers could not begin: the batch raises
    it)."""
    answer = pickle.dumps((False, portable(exc)), protocol=pickle.HIGHEST_PROTOCOL)
    for channel in channels:
        with contextlib.suppress(OSError):
            channel.send(answer)


def portable(exc: BaseException) -> BaseException:
    """``exc`` if it survives pickling, else a RuntimeError that names it."""
    try:
        pickle.loads(pickle.dumps(exc))
    except Exception:
        return RuntimeError(f"{type(exc).__name__}: {exc}")
    return exc
