"""rightscli.batch.pool: forked workers answering chunks in input order over pipes of their own."""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from typing import Any

import pytest

from rightscli.batch import pool
from rightscli.batch.runner import can_fork

pytestmark = pytest.mark.skipif(not can_fork(), reason="workers are forked")

STATE: dict[str, Any] = {}


def _init(tag: str) -> None:
    STATE["tag"] = tag


def _double(chunk: list[Any]) -> list[Any]:
    if chunk == ["boom"]:
        raise ValueError("boom")
    if chunk == ["lock"]:
        raise _Unpicklable()
    if chunk == ["die"]:
        os._exit(3)
    return [(STATE["tag"], item * 2) for item in chunk]  # a large text comes back twice as large


class _Unpicklable(Exception):
    def __reduce__(self) -> Any:
        raise TypeError("cannot pickle")

    def __str__(self) -> str:
        return "a lock inside"


def _run(chunks: list[list[Any]], jobs: int = 2) -> list[Any]:
    workers = pool.Pool(jobs, _init, ("w",), _double)
    try:
        out = list(workers.map(iter(chunks)))
    except BaseException:
        workers.kill()
        raise
    workers.close()
    return out


def test_answers_come_back_in_input_order_from_initialised_workers() -> None:
    chunks = [[i, i + 1] for i in range(0, 200, 2)]
    assert _run(chunks) == [[("w", i * 2), ("w", (i + 1) * 2)] for i in range(0, 200, 2)]


def test_chunks_too_large_to_wait_in_a_pipe_still_go_through() -> None:
    """A chunk larger than a pipe holds goes only to an idle worker: the batch never blocks handing it to a worker
    that is itself blocked handing back a large answer."""
    big = "x" * (pool.PIPELINED_BYTES * 8)
    chunks = [[big], [1], [big, big], [2], [big]]
    done = threading.Event()
    result: list[Any] = []

    def go() -> None:
        result.extend(_run(chunks))
        done.set()

    threading.Thread(target=go, daemon=True).start()
    assert done.wait(30), "the pool deadlocked on large chunks"
    twice = big * 2
    assert result == [[("w", twice)], [("w", 2)], [("w", twice)] * 2, [("w", 4)], [("w", twice)]]


def test_an_error_in_a_worker_is_raised_in_the_batch_process() -> None:
    with pytest.raises(ValueError, match="boom"):
        _run([[1], ["boom"], [2]])


def test_an_error_that_cannot_travel_is_raised_as_its_name_and_text() -> None:
    with pytest.raises(RuntimeError, match="_Unpicklable: a lock inside"):
        _run([[1], ["lock"]])


def test_a_worker_that_dies_is_reported_not_waited_for() -> None:
    with pytest.raises(pool.WorkerDied, match="exit code 3"):
        _run([[1], [2], ["die"], [3], [4]])


def test_workers_end_when_closed_and_when_killed() -> None:
    workers = pool.Pool(2, _init, ("w",), _double)
    assert list(workers.map(iter([[1]]))) == [[("w", 2)]]
    workers.close()
    assert workers.exit_codes == [0, 0]
    workers = pool.Pool(2, _init, ("w",), _double)
    workers.kill()
    assert workers.exit_codes == [-9, -9]  # SIGKILL


def test_idle_is_called_once_the_workers_have_all_they_can_take_or_the_chunks_ran_out() -> None:
    calls: list[int] = []
    given: list[int] = []

    def chunks(n: int) -> Iterator[list[int]]:
        for i in range(n):
            given.append(i)
            yield [i]

    for n, jobs, expected in ((10, 2, [pool.AHEAD * 2]), (1, 3, [1]), (0, 2, [0])):
        calls.clear()
        given.clear()
        workers = pool.Pool(jobs, _init, ("w",), _double)
        out = list(workers.map(chunks(n), idle=lambda: calls.append(len(given))))
        workers.close()
        assert out == [[("w", i * 2)] for i in range(n)]
        assert calls == expected


def _cpus(chunk: list[Any]) -> list[Any]:
    return [sorted(os.sched_getaffinity(0)) for _ in chunk]


@pytest.mark.parametrize(
    ("allowed", "jobs", "expected"),
    [
        ({0, 1}, 2, [0, 1]),  # a core for each worker
        ({2, 5, 7, 9}, 4, [2, 5, 7, 9]),  # the CPUs this process may use (taskset), in order
        ({0, 1, 2, 3}, 2, None),  # more CPUs than workers: the scheduler places them
        ({0, 1}, 4, None),  # more workers than CPUs
        ({0}, 1, None),  # one worker is the batch process itself
    ],
)
def test_each_worker_keeps_to_a_core_of_its_own_only_when_there_is_one_each(
    monkeypatch: pytest.MonkeyPatch, allowed: set[int], jobs: int, expected: list[int] | None
) -> None:
    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: allowed)
    assert pool.worker_cpus(jobs) == expected


def test_workers_run_on_the_cores_they_are_given(monkeypatch: pytest.MonkeyPatch) -> None:
    mine = sorted(os.sched_getaffinity(0))
    given = [mine[0], mine[-1]]
    monkeypatch.setattr(pool, "worker_cpus", lambda jobs: given)
    workers = pool.Pool(2, _init, ("w",), _cpus)
    try:
        seen = {tuple(cpus) for answer in workers.map(iter([[1]] * 40)) for cpus in answer}
    finally:
        workers.close()
    assert seen <= {(mine[0],), (mine[-1],)} and seen  # each worker on its one core only
    assert sorted(os.sched_getaffinity(0)) == mine  # the batch process itself is not pinned
