"""The console script's entry point: the collector is paused while the modules load, and for short commands."""

from __future__ import annotations

import gc
import subprocess
import sys
from pathlib import Path

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


def test_msgspec_is_imported_without_typing_extensions_and_answers_the_same(tmp_path: Path) -> None:
    """The console script imports msgspec with typing_extensions hidden (a start-up saving): the output is the same as
    through the CLI in this process, where msgspec uses typing_extensions, and the module is still importable."""
    from typer.testing import CliRunner

    from rightscli.cli import app

    case = str(Path(__file__).resolve().parent.parent / "examples" / "changed-mind-in-time.yaml")
    code = (
        "import sys\n"
        "sys.argv = ['rights', 'assess', sys.argv[1], '--json']\n"
        "from rightscli.entry import main\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "print('typing_extensions' in sys.modules, file=sys.stderr)\n"
        "import typing_extensions\n"
        "import msgspec._utils as u, typing\n"
        "print(u._get_type_hints is typing.get_type_hints, u.Required is typing.Required, file=sys.stderr)\n"
    )
    done = subprocess.run([sys.executable, "-c", code, case], capture_output=True, text=True, cwd=tmp_path, check=True)
    assert done.stderr.split() == ["False", "True", "True"]
    assert done.stdout == CliRunner().invoke(app, ["assess", case, "--json"]).stdout
