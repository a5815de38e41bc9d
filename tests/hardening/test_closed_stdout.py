"""Standard output closed early: `rights … | head -1`, and a reader that is gone before anything is written. Every
command that prints ends quietly: exit 0, no traceback, no BrokenPipeError, no "Exception ignored" at exit.

The commands run at the same time (real processes, with the network shim), to keep this under a few seconds.
"""

from __future__ import annotations

import shlex
import subprocess
from pathlib import Path

import pytest

from tests.hardening.support import EXAMPLE, EXAMPLES, ROOT, rights_cmd, subprocess_env

NOISE = ("Traceback", "BrokenPipe", "Exception ignored", "internal error", "Errno 32")


def commands(tmp: Path) -> dict[str, list[object]]:
    return {
        "assess": ["assess", EXAMPLE],
        "assess --json": ["assess", EXAMPLE, "--json"],
        "checklist": ["checklist", EXAMPLE],
        "letter": ["letter", EXAMPLE, "--to", "merchant"],
        "letter --format txt": ["letter", EXAMPLE, "--to", "regulator", "--format", "txt"],
        "letter docx -o -": ["letter", EXAMPLE, "--to", "platform", "--format", "docx", "-o", "-"],
        "next": ["next", EXAMPLE],
        "next --json": ["next", EXAMPLE, "--json"],
        "calendar -o -": ["calendar", EXAMPLE, "-o", "-"],
        "status --json": ["status", EXAMPLES, "--json"],
        "batch --json (one job)": ["batch", EXAMPLES, "--to", "merchant", "--out-dir", tmp / "b", "--json", "-j", "1"],
        "batch --json (workers)": ["batch", EXAMPLES, "--to", "merchant", "--out-dir", tmp / "w", "--json", "-j", "2"],
        "policies show": ["policies", "show", "cn.cpl.art25"],
        "schema case": ["schema", "case"],
        "--help": ["--help"],
    }


# `| head -1` for a few (with little output the program may finish before head leaves); all with the reader gone
HEAD = ("assess", "assess --json", "letter --format txt", "status --json")
CLOSED = tuple(n for n in commands(Path("/tmp")) if n != "letter --format txt")


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict[str, tuple[int, str, bytes]]]:
    """Every command twice: piped into `head -1`, and with its standard output closed before it starts writing."""
    tmp = tmp_path_factory.mktemp("pipes")
    env = subprocess_env(RIGHTS_CONFIG_DIR=str(tmp / "config"))
    started: dict[str, dict[str, subprocess.Popen[bytes]]] = {"head": {}, "closed": {}}
    for name, args in commands(tmp).items():
        if name in HEAD:
            started["head"][name] = subprocess.Popen(
                ["bash", "-c", f"set -o pipefail; {shlex.join(rights_cmd(*args))} | head -1"],
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                cwd=ROOT,
                env=env,
            )
        if name not in CLOSED:
            continue
        proc = subprocess.Popen(rights_cmd(*args), stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=ROOT, env=env)
        assert proc.stdout is not None
        proc.stdout.close()  # the reader is gone before the program writes anything
        started["closed"][name] = proc
    out: dict[str, dict[str, tuple[int, str, bytes]]] = {"head": {}, "closed": {}}
    for mode, procs in started.items():
        for name, proc in procs.items():
            stdout = proc.stdout.read() if mode == "head" and proc.stdout else b""
            assert proc.stderr is not None
            stderr = proc.stderr.read().decode("utf-8", "replace")
            out[mode][name] = (proc.wait(timeout=60), stderr, stdout)
    return out


# BUG: the views drawn with rich end with exit 1 when standard output is closed (rich's Console.on_broken_pipe raises
# SystemExit(1)); quiet, but exit 1 means an internal error. With `| head -1` it depends on timing (how much was
# written before head left), so the exit code is checked only when the reader is gone from the start.
RICH_VIEWS: set[str] = set()  # was {assess, checklist, next, policies show, --help}: fixed (views.console.QuietConsole)
RICH_BUG = "BUG: rich's Console.on_broken_pipe raises SystemExit(1): exit 1 for a closed stdout (see the report)"


@pytest.mark.parametrize("name", HEAD)
def test_head_1_ends_quietly(runs: dict, name: str) -> None:
    code, stderr, stdout = runs["head"][name]
    assert not any(noise in stderr for noise in NOISE), stderr[-2000:]
    assert stdout.count(b"\n") <= 1 and stdout.strip(), stdout[:200]
    if name not in RICH_VIEWS:
        assert code == 0, (code, stderr[-2000:])


@pytest.mark.parametrize(
    "name",
    [pytest.param(n, marks=pytest.mark.xfail(strict=True, reason=RICH_BUG)) if n in RICH_VIEWS else n for n in CLOSED],
)
def test_a_closed_standard_output_ends_quietly_with_exit_0(runs: dict, name: str) -> None:
    code, stderr, _ = runs["closed"][name]
    assert not any(noise in stderr for noise in NOISE), stderr[-2000:]
    assert "network blocked" not in stderr
    assert code == 0, (code, stderr[-2000:])
