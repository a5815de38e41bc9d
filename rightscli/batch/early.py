"""`rights batch` with workers starts its first worker before the command line is read: while the batch process
imports Typer and the commands (a core of the machine would otherwise sit idle), the worker imports what a case
needs, loads the rules and runs the input's first cases through a letter each, writing nothing, until the settings
come, so that its code and data are warm. When the batch process has its settings it sends them
(:meth:`~rightscli.batch.pool.Pool.adopt`); the worker forks the others from its warm self and the batch begins.
The letters of the warm-up are kept: the worker's first chunk takes those that the batch's settings and data would
render the same (:class:`~rightscli.batch.work.Rehearsal`) instead of rendering them again.

benchmarks/batch.py's 1,000 cases, -j 2, interleaved with the workers forked by the batch once it has its settings
(medians of 11): 433 -> 410 ms on tmpfs, 507 -> 484 ms on disk (n=9); -j 1 unchanged (698, 772 ms). The workers'
first chunks ended at ~90-100 ms, now ~75-85 ms.

What the early worker reads from the arguments (the job count, the input, the rule folders and the settings a letter
depends on) is a guess for the warm-up only: the settings the batch process sends are the ones every case is run
with, and a letter of the warm-up rendered with settings that differ from them is not used.
The early worker loads the rules for the batch (the batch process, which only hands out cases and reports, does
not): a problem with them is sent back and reported as one process reports it, before anything is written. When the
guess of the job count is wrong (an option value that looks like ``-j``, say), the batch process ends the early
worker and forks its workers itself, as it does when a batch is run from Python (:mod:`rightscli.batch.runner`).
The early worker ends with the batch process, however it ends (the kernel's parent-death signal; the batch process
also kills and waits for it at exit when the batch never began: a usage error, say).
"""

from __future__ import annotations

import os
import signal
from typing import TYPE_CHECKING

from rightscli.batch import pool

if TYPE_CHECKING:
    from rightscli.batch.work import Rehearsal, Settings


def start(args: list[str]) -> None:
    """Fork the first worker for ``rights batch ARGS`` when the batch will have workers (:func:`jobs_in`)."""
    jobs = jobs_in(args)
    if jobs < 2 or not pool.can_fork() or "--help" in args:
        return
    pairs = pool.pipes(jobs)
    batch = os.getpid()
    try:
        pid = os.fork()
    except OSError:
        for here, there in pairs:
            here.close()
            there.close()
        return
    if pid == 0:
        _first_worker(args, pairs, batch)
    for _, there in pairs:
        there.close()
    pool.started_early(pid, [here for here, _ in pairs])


def jobs_in(args: list[str]) -> int:
    """The job count ``args`` ask for (the last ``-j``/``--jobs``, as the command line reads them), or the default;
    0 when the value is not a number (the command line reports it)."""
    value = _value(args, "-j", "--jobs")
    if value is None:
        return pool.default_jobs()
    return int(value) if value.isdigit() else 0


def _first_worker(args: list[str], pairs: list[tuple[pool.Channel, pool.Channel]], batch: int) -> None:
    """The early worker's life (never returns)."""
    code = 1
    try:
        for here, _ in pairs:
            here.close()
        signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is handled by the batch process, which ends the workers
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        from rightscli.batch import runner

        runner.die_with(batch, watch=False)  # no thread before the other workers are forked from this process
        warm = _warm(args, pairs[0][1].rfd)
        code = runner.serve_early(pairs, batch, warm)
    finally:
        os._exit(code)


def _warm(args: list[str], settings_fd: int) -> Rehearsal | None:
    """Load what a case needs and run the input's first cases through a letter, writing nothing, until the batch
    sends its settings on ``settings_fd`` (best effort: any problem is left for the batch to meet and report).
    Returns the :class:`~rightscli.batch.work.Rehearsal`: the rules loaded, with the folders they came from, and the
    letters rendered."""
    try:
        import select

        from rightscli.batch.work import rehearse

        waiting = select.poll()
        waiting.register(settings_fd, select.POLLIN)
        return rehearse(
            _guess(args),
            _values(args, "--policy-dir"),
            args[0] if args and not args[0].startswith("-") else None,
            until=lambda: bool(waiting.poll(0)),
        )
    except Exception:  # a warm-up only: the batch meets and reports whatever this met
        return None


def _guess(args: list[str]) -> Settings:
    """The batch's settings as far as the arguments tell them: the command line reads and checks them again, and a
    letter rendered with these is used only where they are the same (:class:`~rightscli.batch.work.Rehearsal`)."""
    from datetime import date
    from pathlib import Path

    from rightscli.batch.work import Settings
    from rightscli.clock import today_in_china
    from rightscli.i18n import resolve_lang

    as_of = _value(args, "--as-of")
    try:
        day = date.fromisoformat(as_of) if as_of is not None else None
    except ValueError:
        day = None  # the command line reports it; the batch never begins
    template_dir = _value(args, "--template-dir")
    return Settings(
        recipient=_value(args, "--to") or "merchant",
        fmt=_value(args, "--format", "-f") or "md",
        out_dir=Path(_value(args, "--out-dir") or "."),
        force=_flag(args, "--force"),
        as_of=day,
        today=today_in_china(),
        template_dir=Path(template_dir) if template_dir else None,
        lang=resolve_lang(_value(args, "--lang")),  # ValueError for one not supported: no warm-up (a usage error)
        draft=_flag(args, "--draft"),
    )


def _flag(args: list[str], name: str) -> bool:
    return name in (args[: args.index("--")] if "--" in args else args)


def _value(args: list[str], *names: str) -> str | None:
    found = _values(args, *names)
    return found[-1] if found else None


def _values(args: list[str], *names: str) -> list[str]:
    """The values given to the options ``names`` in ``args``, in order, read as the command line reads them:
    ``--name VALUE``, ``--name=VALUE``, ``-n VALUE``, ``-nVALUE``; nothing after ``--``. An option last in ``args``
    has the value "" (the command line reports it)."""
    found: list[str] = []
    i = 0
    while i < len(args) and args[i] != "--":
        arg = args[i]
        i += 1
        for name in names:
            if arg == name:
                found.append(args[i] if i < len(args) else "")
                i += 1  # the value is not an option
            elif name.startswith("--") and arg.startswith(name + "="):
                found.append(arg[len(name) + 1 :])
            elif len(name) == 2 and arg.startswith(name) and not arg.startswith("--"):
                found.append(arg[2:])
            else:
                continue
            break
    return found
