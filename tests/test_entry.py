"""The console script's entry point: the collector is paused only while the modules load."""

from __future__ import annotations

import gc
import subprocess
import sys

import pytest

from rightscli import entry


def test_the_collector_runs_again_for_the_command(monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[bool] = []
    import rightscli.cli

    monkeypatch.setattr(rightscli.cli, "main", lambda: seen.append(gc.isenabled()))
    try:
        entry.main()
    finally:
        gc.unfreeze()
    assert seen == [True]
    assert gc.isenabled()


def test_the_collector_is_restored_when_the_import_fails(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "rightscli.cli", None)  # importing it raises ImportError
    try:
        with pytest.raises(ImportError):
            entry.main()
    finally:
        gc.unfreeze()
    assert gc.isenabled()


def test_python_dash_m_runs_the_same_program() -> None:
    result = subprocess.run([sys.executable, "-m", "rightscli", "--version"], capture_output=True, text=True)
    assert result.returncode == 0 and result.stdout.startswith("rights ")
