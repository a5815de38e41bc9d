"""`rights batch` killed (SIGKILL) or terminated (SIGTERM) while its workers write letters: the workers end with it,
and no letter is written after it is gone (rightscli/batch/runner.py: PR_SET_PDEATHSIG, a parent watchdog, a last
check before each chunk is put in place). Run as a user runs it, the first worker is started early and forks the
others (rightscli/batch/early.py): they end with it, and it with the batch."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from rightscli import datafile
from tests.hardening.support import EXAMPLE, ROOT, rights_cmd, subprocess_env

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")


def children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == pid:
                found.append(int(entry.name))
    return found


def descendants(pid: int) -> list[int]:
    """The children of ``pid``, theirs, and so on (a worker started early forks the others: rightscli.batch.early)."""
    found = children(pid)
    for child in list(found):
        found.extend(descendants(child))
    return found


def running(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state not in ("Z", "X")  # a zombie has ended; only its parent's wait is missing


def letters(folder: Path) -> set[str]:
    return {p.name for p in folder.iterdir() if not p.name.startswith(".")} if folder.exists() else set()


def wait_for(condition, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    return condition()


@pytest.mark.parametrize("sig", [signal.SIGKILL, signal.SIGTERM], ids=["SIGKILL", "SIGTERM"])
def test_batch_workers_end_with_their_parent(tmp_path: Path, sig: signal.Signals) -> None:
    case = datafile.load(str(EXAMPLE)).data
    src = tmp_path / "cases.jsonl"
    with src.open("w", encoding="utf-8") as fh:
        for i in range(5000):
            case["order"]["id"] = f"A{i:05d}"
            fh.write(json.dumps(case, ensure_ascii=False) + "\n")
    out = tmp_path / "out"
    args = ["batch", src, "--to", "merchant", "--out-dir", out, "-j", "2", "--force"]
    proc = subprocess.Popen(
        rights_cmd(*args), cwd=ROOT, env=subprocess_env(), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    workers: list[int] = []
    try:
        assert wait_for(lambda: len(letters(out)) >= 40, 60), proc.stderr.read().decode() if proc.poll() else ""
        workers = descendants(proc.pid)
        assert len(workers) >= 2, workers
        assert len(children(proc.pid)) == 1, "the first worker, started early, forks the others"
        os.kill(proc.pid, sig)
        proc.wait(timeout=20)
        assert wait_for(lambda: not any(running(w) for w in workers), 5), "a worker outlived the batch"
        gone = letters(out)
        time.sleep(1)
        assert letters(out) == gone, "letters were written after the batch was gone"
        if sig == signal.SIGTERM:
            assert proc.returncode == 128 + sig, proc.returncode
            assert b"Traceback" not in proc.stderr.read()
    finally:
        if proc.poll() is None:
            proc.kill()
        for pid in workers + descendants(proc.pid):  # the test's own clean-up, whatever happened
            if running(pid):
                os.kill(pid, signal.SIGKILL)
