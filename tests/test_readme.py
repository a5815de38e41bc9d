"""The README documents every command, and its quick start names files that exist."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import typer.main

from rightscli.cli import app

ROOT = Path(__file__).parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")


def command_names(group: Any, prefix: str = "") -> list[str]:
    names: list[str] = []
    if hasattr(group, "commands"):
        for name, sub in group.commands.items():
            full = f"{prefix} {name}".strip()
            if hasattr(sub, "commands"):
                names += command_names(sub, full)
            else:
                names.append(full)
    return names


def test_every_command_is_in_the_readme() -> None:
    names = command_names(typer.main.get_command(app))
    assert "assess" in names
    missing = [n for n in names if f"rights {n}" not in README]
    assert not missing, f"commands not documented in README.md: {missing}"


def test_quick_start_has_two_commands_and_real_files() -> None:
    block = README.split("## Quick start", 1)[1].split("```sh", 1)[1].split("```", 1)[0]
    commands = [line for line in block.strip().splitlines() if line.strip()]
    assert len(commands) == 2
    assert "pytest" in commands[1]
    for path in re.findall(r"examples/[\w.-]+\.yaml", README):
        assert (ROOT / path).is_file(), path


def test_ci_runs_the_readme_test_command() -> None:
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert "python -m pytest" in ci and "python -m pytest" in README
