"""The worker processes of a batch: forked, each with a pipe of its own to the batch process, which hands out chunks
and reads their outcomes on its one thread.

A pool of executor threads and shared queues (``concurrent.futures``) cost the batch process about a third of its CPU
time while its workers ran, taken from the same two cores as theirs (benchmarks/batch.py); here the batch process
sleeps in :func:`multiprocessing.connection.wait` until a worker answers, and no lock is shared between workers.

Each worker takes the chunks handed to it in order and answers each with ``(True, outcomes)``, or ``(False, error)``
when running the chunk raised (a bug: the batch then ends with an internal error, as it would without workers). A
worker that ends without answering (killed, out of memory) is :class:`WorkerDied`. A chunk waits in a worker's pipe
while the worker runs the one before: at most :data:`AHEAD` chunks per worker are handed out, and a chunk whose data
would not fit in the pipe is handed only to a worker with nothing to do (the worker then reads it at once, so neither
side ever waits on the other's full pipe).
"""

from __future__ import annotations

import contextlib
import pickle
from collections import deque
from collections.abc import Callable, Iterator
from typing import Any

AHEAD = 2  # chunks handed to a worker and not yet answered: one it runs, one waiting in its pipe
PIPELINED_BYTES = 32 * 1024  # a chunk larger than this goes only to a worker with nothing to do


class WorkerDied(RuntimeError):
    """A worker process ended without answering (killed, out of memory): the batch cannot know what it wrote."""


class _Worker:
    __slots__ = ("conn", "pending", "process")

    def __init__(self, process: Any, conn: Any) -> None:
        self.process = process
        self.conn = conn
        self.pending: deque[int] = deque()  # the sequence numbers of the chunks handed to it, oldest first


class Pool:
    """``jobs`` forked workers, each running ``init(*initargs)`` once, then ``run(chunk)`` for every chunk."""

    def __init__(
        self, jobs: int, init: Callable[..., None], initargs: tuple[Any, ...], run: Callable[[Any], Any]
    ) -> None:
        import multiprocessing

        ctx = multiprocessing.get_context("fork")
        self.workers: list[_Worker] = []
        try:
            for _ in range(jobs):
                here, there = ctx.Pipe(duplex=True)
                process = ctx.Process(target=_serve, args=(there, init, initargs, run), daemon=True)
                process.start()
                there.close()  # only the worker holds its end: when the worker ends, reading here finds the end
                self.workers.append(_Worker(process, here))
        except BaseException:
            self.kill()
            raise

    def map(self, chunks: Iterator[Any], idle: Callable[[], object] | None = None) -> Iterator[Any]:
        """The answer to each chunk, in the order of ``chunks``; ``idle`` is called once, when the workers have been
        handed all the chunks they can take at first (or the chunks ran out first)."""
        from multiprocessing.connection import wait

        by_conn = {w.conn: w for w in self.workers}
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
                _send(worker, held)
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
            for conn in wait([w.conn for w in self.workers if w.pending]):
                worker = by_conn[conn]
                ok, answer = _receive(worker)
                if not ok:
                    raise answer
                done[worker.pending.popleft()] = answer
            while order and order[0] in done:
                yield done.pop(order.popleft())

    def close(self) -> None:
        """Let the workers finish and end (each has answered every chunk it was handed)."""
        for worker in self.workers:
            with contextlib.suppress(OSError):  # a worker already gone is found by join
                worker.conn.send_bytes(b"")  # no more chunks
        for worker in self.workers:
            worker.process.join()
            worker.conn.close()
        self.workers = []

    def kill(self) -> None:
        """End the workers now: a chunk in progress is not put in place."""
        for worker in self.workers:
            worker.process.kill()
        for worker in self.workers:
            worker.process.join()
            worker.conn.close()
        self.workers = []


def _send(worker: _Worker, data: bytes) -> None:
    try:
        worker.conn.send_bytes(data)
    except OSError:  # the worker is gone (a broken pipe)
        raise WorkerDied(_died(worker)) from None


def _receive(worker: _Worker) -> tuple[bool, Any]:
    try:
        data = worker.conn.recv_bytes()
    except (EOFError, OSError):
        raise WorkerDied(_died(worker)) from None
    answer: tuple[bool, Any] = pickle.loads(data)
    return answer


def _died(worker: _Worker) -> str:
    worker.process.join(1)
    return f"a worker process ended unexpectedly (exit code {worker.process.exitcode})"


def _serve(conn: Any, init: Callable[..., None], initargs: tuple[Any, ...], run: Callable[[Any], Any]) -> None:
    """A worker's life: ``init``, then one chunk after the other until the batch says there are no more.

    (Finishing a chunk in a thread of its own while the next one was staged, so as not to sit idle while the disk
    writes, cost more than it saved: two threads of one process take turns at the interpreter. benchmarks/batch.py,
    1,000 cases, -j 2: 550 -> 514 ms on disk, 481 -> 446 ms on tmpfs without the thread, load 0.7-0.8.)
    """
    init(*initargs)
    while True:
        try:
            data = conn.recv_bytes()
        except (EOFError, OSError):
            return  # the batch is gone
        if not data:
            return
        try:
            answer: tuple[bool, Any] = (True, run(pickle.loads(data)))
        except Exception as exc:  # a bug: the batch process raises it, as it would have without workers
            answer = (False, _portable(exc))
        conn.send_bytes(pickle.dumps(answer, protocol=pickle.HIGHEST_PROTOCOL))


def _portable(exc: Exception) -> Exception:
    """``exc`` if it survives pickling, else a RuntimeError that names it."""
    try:
        pickle.loads(pickle.dumps(exc))
    except Exception:
        return RuntimeError(f"{type(exc).__name__}: {exc}")
    return exc
