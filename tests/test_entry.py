"""The console script's entry point: the collector is paused while the modules load, and for short commands."""

from __future__ import annotations

import gc
import subprocess
import sys

import pytest

from rightscli import entry


def run_entry(monkeypatch: pytest.MonkeyPatch, *argv: str) -> bool:
    """Run entry.main with ``argv`` and a stand-in command; returns whether the collector was on for the command."""
    seen: list[bool] = []
    import rightscli.cli

    monkeypatch.setattr(rightscli.cli, "main", lambda: seen.append(gc.isenabled()))
    monkeypatch.setattr(sys, "argv", ["rights", *argv])
    try:
        entry.main()
    finally:
        gc.unfreeze()
        gc.enable()
    assert len(seen) == 1
    return seen[0]


@pytest.mark.parametrize("argv", [["batch", "cases.jsonl"], ["wizard"], ["profile", "edit"], ["--help"], [], ["asess"]])
def test_long_running_and_unknown_commands_run_with_the_collector(
    monkeypatch: pytest.MonkeyPatch, argv: list[str]
) -> None:
    assert run_entry(monkeypatch, *argv) is True


@pytest.mark.parametrize("command", sorted(entry.SHORT))
def test_short_commands_run_without_it(monkeypatch: pytest.MonkeyPatch, command: str) -> None:
    assert run_entry(monkeypatch, command) is False


def test_short_commands_are_real_commands() -> None:
    from rightscli.cli import app

    names = {c.name or c.callback.__name__ for c in app.registered_commands if c.callback} | {
        g.name for g in app.registered_groups
    }
    assert names >= entry.SHORT
    assert not {"batch", "wizard", "profile"} & entry.SHORT


def test_the_collector_is_restored_when_the_import_fails(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "rightscli.cli", None)  # importing it raises ImportError
    monkeypatch.setattr(sys, "argv", ["rights", "batch"])
    try:
        with pytest.raises(ImportError):
            entry.main()
        assert gc.isenabled()
    finally:
        gc.unfreeze()
        gc.enable()


def test_python_dash_m_runs_the_same_program() -> None:
    result = subprocess.run([sys.executable, "-m", "rightscli", "--version"], capture_output=True, text=True)
    assert result.returncode == 0 and result.stdout.startswith("rights ")
