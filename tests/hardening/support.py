"""Shared helpers of the hardening tests: running the CLI in-process and in a subprocess, and the Hypothesis budget."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, Phase, settings
from typer.testing import CliRunner, Result

from rightscli.cli import app

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples"
EXAMPLE = EXAMPLES / "refused-return.yaml"  # a complete case with history, as_of 2026-11-20
SHIM = Path(__file__).resolve().parent / "netblock"  # sitecustomize.py that blocks sockets in a subprocess

# The Hypothesis budget: RIGHTS_HYPOTHESIS_EXAMPLES=500 runs that many examples per test, random and with the example
# database, for a longer local run; without it each test runs its small CI budget with a fixed seed, so CI sees the
# same examples on every run.
LOCAL_EXAMPLES = int(os.environ.get("RIGHTS_HYPOTHESIS_EXAMPLES") or 0)


def hardening(ci_examples: int = 25) -> settings:
    """Hypothesis settings of a hardening test: ``ci_examples`` in CI, RIGHTS_HYPOTHESIS_EXAMPLES when set.

    CI does not shrink a failing example (a shrink step of the CLI properties runs some twenty commands, and Hypothesis
    may shrink for five minutes): it reports the example as generated. The local run shrinks it.
    """
    return settings(
        max_examples=LOCAL_EXAMPLES or ci_examples,
        deadline=None,
        derandomize=not LOCAL_EXAMPLES,
        database=settings.default.database if LOCAL_EXAMPLES else None,
        phases=list(Phase) if LOCAL_EXAMPLES else [Phase.explicit, Phase.reuse, Phase.generate],
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
        print_blob=True,
    )


def invoke(args: Sequence[str], *, stdin: str | bytes | None = None, env: dict[str, str] | None = None) -> Result:
    """`rights ARGS` in this process; exceptions are not caught, so a crash fails the test with its traceback."""
    return CliRunner().invoke(app, [str(a) for a in args], input=stdin, catch_exceptions=False, env=env)


def assert_clean(result: Result, *, allowed: Sequence[int] = (0, 2)) -> None:
    """Never a traceback, never exit 1 (an internal error), only the expected exit codes."""
    output = result.stdout + result.stderr
    assert "Traceback" not in output, output[-3000:]
    assert "internal error" not in result.stderr, result.stderr[-3000:]
    assert result.exit_code != 1, result.stderr[-3000:]
    assert result.exit_code in allowed, (result.exit_code, result.stderr[-3000:])


def subprocess_env(**extra: str) -> dict[str, str]:
    """The environment of a `rights` subprocess: sockets blocked by the shim, the test cache, no colours."""
    env = {k: v for k, v in os.environ.items() if k not in ("RIGHTS_DEBUG", "FORCE_COLOR")}
    env["PYTHONPATH"] = os.pathsep.join([str(SHIM), str(ROOT), *filter(None, [env.get("PYTHONPATH")])])
    env["NO_COLOR"] = "1"
    env.update(extra)
    return env


def rights_cmd(*args: Any) -> list[str]:
    return [sys.executable, "-m", "rightscli", *(str(a) for a in args)]


def run_rights(*args: Any, timeout: float = 60, **kwargs: Any) -> subprocess.CompletedProcess[str]:
    """`rights ARGS` in a subprocess with the network shim."""
    kwargs.setdefault("env", subprocess_env())
    return subprocess.run(
        rights_cmd(*args), capture_output=True, text=True, cwd=ROOT, timeout=timeout, check=False, **kwargs
    )
