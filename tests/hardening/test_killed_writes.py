"""A `rights` process killed with SIGKILL in the middle of writing: the file it replaces is always either the old or the
new complete content, never a mix or a part.

`rights letter --force` writes a letter of about 600 KB over an existing file, and `rights log` rewrites a case file;
each run is killed at a random moment, mostly while its temporary file exists (the write window, found by watching the
folder), sometimes anywhere in the run. Most runs are forked from this process (cheap, rightscli already imported); a
few are fresh interpreters (`python -m rightscli`). A killed run may leave its temporary file (`.NAME.*.tmp`, mode
0600) behind: nothing can clean up after SIGKILL; SECURITY.md says so.

RIGHTS_KILL_RUNS=300 kills more often (default 6 per test).
"""

from __future__ import annotations

import os
import random
import signal
import stat
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.hardening.support import EXAMPLE, invoke, rights_cmd, subprocess_env

RUNS = int(os.environ.get("RIGHTS_KILL_RUNS") or 6)
MORE = 60  # at most this many more runs, to be sure that at least one kill landed inside the write
OLD = "旧的信件：the previous letter, complete.\n" * 50


def big_case(folder: Path, notes: int = 60) -> Path:
    text = EXAMPLE.read_text(encoding="utf-8")
    history = "".join(
        f"  - on: 2026-11-10\n    event: contacted_merchant\n    note: 第{i}次 {'x' * 4900}\n" for i in range(notes)
    )
    path = folder / "big.yaml"
    path.write_text(text.replace("history:\n", "history:\n" + history, 1), encoding="utf-8")
    return path


def fork_rights(args: list[object]) -> int:
    """A child process running `rights ARGS` (forked: rightscli is already imported); returns its pid."""
    pid = os.fork()
    if pid == 0:  # pragma: no cover - the child
        code = 1
        try:
            null = os.open(os.devnull, os.O_WRONLY)
            os.dup2(null, 1)
            os.dup2(null, 2)
            sys.argv = ["rights", *(str(a) for a in args)]
            from rightscli.cli import main

            main()
            code = 0
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else 1
        finally:
            os._exit(code)
    return pid


def temp_files(folder: Path) -> list[Path]:
    return [p for p in folder.iterdir() if p.name.startswith(".") and p.name.endswith(".tmp")]


def kill_during_write(
    start: Callable[[], int], folder: Path, rng: random.Random, *, window: float, anywhere: float | None
) -> str:
    """Start a run and SIGKILL it: ``anywhere`` seconds after the start, or a random time within ``window`` after its
    temporary file appears. Returns how it ended: 'killed while writing', 'killed', or 'finished'."""
    pid = start()
    began = time.monotonic()
    saw_temp = False
    delay = anywhere
    while True:
        done, status = os.waitpid(pid, os.WNOHANG)
        if done:
            return "finished" if os.WIFEXITED(status) else "killed"
        if delay is None and temp_files(folder):
            saw_temp = True
            time.sleep(rng.uniform(0, window / 2))
            break
        if delay is not None and time.monotonic() - began >= delay:
            break
        time.sleep(0.0002)
    os.kill(pid, signal.SIGKILL)
    _, status = os.waitpid(pid, 0)
    if os.WIFEXITED(status):
        return "finished"
    return "killed while writing" if saw_temp and temp_files(folder) else "killed"


def calibrate(start: Callable[[], int], folder: Path, target: Path, reset: Callable[[], None]) -> tuple[float, float]:
    """The time of a whole run, and how long its temporary file exists (the write window)."""
    reset()
    began = time.monotonic()
    pid = start()
    appeared = None
    while not os.waitpid(pid, os.WNOHANG)[0]:
        if appeared is None and temp_files(folder):
            appeared = time.monotonic()
        time.sleep(0.0002)
    ended = time.monotonic()
    return ended - began, max(0.001, ended - (appeared or ended))


@pytest.fixture(scope="module")
def letter_setup(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, str]:
    folder = tmp_path_factory.mktemp("kill")
    case = big_case(folder)
    reference = folder / "reference.md"
    result = invoke(["letter", case, "--to", "association", "-o", reference])
    assert result.exit_code == 0, result.stderr
    new = reference.read_text(encoding="utf-8")
    assert len(new.encode()) > 500_000
    return folder, case, new


def check_letter(target: Path, new: str) -> str:
    content = target.read_text(encoding="utf-8")
    assert content in (OLD, new), f"a partial file: {len(content)} characters, starts {content[:40]!r}"
    if content == new:
        assert stat.S_IMODE(target.stat().st_mode) == 0o600
    return "new" if content == new else "old"


def test_a_letter_killed_while_it_is_written_leaves_the_old_or_the_new_file(
    letter_setup: tuple[Path, Path, str], tmp_path: Path
) -> None:
    _, case, new = letter_setup
    target = tmp_path / "letter.md"
    args: list[object] = ["letter", case, "--to", "association", "-o", target, "--force"]

    def reset() -> None:
        for leftover in temp_files(tmp_path):
            leftover.unlink()
        target.write_text(OLD, encoding="utf-8")

    total, window = calibrate(lambda: fork_rights(args), tmp_path, target, reset)
    assert check_letter(target, new) == "new"
    rng = random.Random(20261120)
    outcomes: Counter[tuple[str, str]] = Counter()
    runs = 0
    # RUNS kills in the write window and a third as many anywhere; then more in the window until one landed there
    while runs < RUNS + RUNS // 3 or (not outcomes[("killed while writing", "old")] and runs < RUNS + MORE):
        reset()
        anywhere = rng.uniform(0, total * 1.1) if RUNS <= runs < RUNS + RUNS // 3 else None
        ended = kill_during_write(lambda: fork_rights(args), tmp_path, rng, window=window, anywhere=anywhere)
        outcomes[(ended, check_letter(target, new))] += 1
        runs += 1
    print(f"letter: {dict(outcomes)}")  # shown with pytest -s
    assert outcomes[("killed while writing", "old")] >= 1, f"no kill landed inside the write: {outcomes}"


def test_a_fresh_rights_process_killed_while_writing_leaves_the_old_or_the_new_file(
    letter_setup: tuple[Path, Path, str], tmp_path: Path
) -> None:
    _, case, new = letter_setup
    target = tmp_path / "letter.md"
    command = rights_cmd("letter", case, "--to", "association", "-o", target, "--force")
    env = subprocess_env()

    def start() -> int:
        return subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL).pid

    rng = random.Random(7)
    outcomes: Counter[tuple[str, str]] = Counter()
    for _ in range(max(3, RUNS // 4)):
        for leftover in temp_files(tmp_path):
            leftover.unlink()
        target.write_text(OLD, encoding="utf-8")
        ended = kill_during_write(start, tmp_path, rng, window=0.01, anywhere=None)
        outcomes[(ended, check_letter(target, new))] += 1
    print(f"fresh process: {dict(outcomes)}")
    assert set(outcomes) <= {
        ("killed while writing", "old"),
        ("killed", "old"),
        ("killed", "new"),
        ("finished", "new"),
    }, outcomes


def test_log_killed_while_it_rewrites_the_case_leaves_the_old_or_the_new_case(tmp_path: Path) -> None:
    source = big_case(tmp_path, notes=20)
    old = source.read_bytes()
    case = tmp_path / "case.yaml"
    backup = tmp_path / "case.yaml.bak"
    args: list[object] = ["log", case, "complaint_regulator", "--on", "2026-11-20", "--note", "已向12315投诉"]

    def reset() -> None:
        for leftover in temp_files(tmp_path):
            leftover.unlink()
        backup.unlink(missing_ok=True)
        case.write_bytes(old)

    reset()
    assert invoke(args).exit_code == 0
    new = case.read_bytes()
    assert new != old and backup.read_bytes() == old
    total, window = calibrate(lambda: fork_rights(args), tmp_path, case, reset)
    rng = random.Random(11)
    outcomes: Counter[tuple[str, str]] = Counter()
    runs = 0
    while runs < RUNS or (not outcomes[("killed while writing", "old")] and runs < RUNS + MORE):
        reset()
        anywhere = rng.uniform(0, total * 1.1) if runs % 3 == 2 and runs < RUNS else None
        runs += 1
        ended = kill_during_write(lambda: fork_rights(args), tmp_path, rng, window=window, anywhere=anywhere)
        content = case.read_bytes()
        assert content in (old, new), f"a partial case file: {len(content)} bytes"
        if backup.exists():  # the backup is written (atomically) before the case: the old case, complete
            assert backup.read_bytes() == old
        outcomes[(ended, "new" if content == new else "old")] += 1
    print(f"log: {dict(outcomes)}")
    assert outcomes[("killed while writing", "old")] >= 1, f"no kill landed inside the write: {outcomes}"
