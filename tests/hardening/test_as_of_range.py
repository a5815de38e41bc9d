"""`--as-of` outside the years a case date may take (rightscli.case MIN_YEAR–MAX_YEAR) is refused with exit 2 by every
command that takes it: `--as-of 9999-12-31` used to crash (exit 1) or be accepted."""

from __future__ import annotations

from pathlib import Path

import pytest
import typer.main

from rightscli.case import MAX_YEAR, MIN_YEAR
from rightscli.cli import app
from tests.hardening.support import EXAMPLE, assert_clean, invoke

COMMANDS = {
    "assess": lambda d: ["assess", EXAMPLE],
    "letter": lambda d: ["letter", EXAMPLE, "--to", "merchant", "-o", d / "letter.md"],
    "checklist": lambda d: ["checklist", EXAMPLE],
    "batch": lambda d: ["batch", d / "cases", "--to", "merchant", "--out-dir", d / "out"],
    "log": lambda d: ["log", d / "cases" / "case.yaml", "merchant_refused"],
    "next": lambda d: ["next", EXAMPLE],
    "explain": lambda d: ["explain", EXAMPLE, "1"],
    "calendar": lambda d: ["calendar", EXAMPLE, "-o", d / "case.ics"],
    "bundle": lambda d: ["bundle", d / "cases" / "case.yaml", "--to", "court", "-o", d / "b.zip"],
    "form": lambda d: ["form", EXAMPLE, "--for", "12315"],
    "status": lambda d: ["status", d / "cases"],
    "wizard": lambda d: ["wizard", "--answers", EXAMPLE, "--no-input", "--save", d / "saved.yaml"],
    "policies validate": lambda d: ["policies", "validate"],
}


def commands_with_as_of() -> set[str]:
    found: set[str] = set()

    def walk(command: object, prefix: list[str]) -> None:
        for name, sub in getattr(command, "commands", {}).items():
            walk(sub, [*prefix, name])
        if not hasattr(command, "commands") and any("--as-of" in p.opts for p in command.params):  # type: ignore[attr-defined]
            found.add(" ".join(prefix))

    walk(typer.main.get_command(app), [])
    return found


def test_every_command_that_takes_as_of_is_checked_here() -> None:
    assert commands_with_as_of() <= set(COMMANDS), commands_with_as_of() - set(COMMANDS)


@pytest.mark.parametrize("day", ["9999-12-31", "0001-01-01", f"{MAX_YEAR + 1}-01-01", f"{MIN_YEAR - 1}-12-31"])
@pytest.mark.parametrize("command", list(COMMANDS))
def test_as_of_outside_the_case_years_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, command: str, day: str
) -> None:
    monkeypatch.setenv("RIGHTS_CONFIG_DIR", str(tmp_path / "config"))
    (tmp_path / "cases").mkdir()
    (tmp_path / "cases" / "case.yaml").write_bytes(EXAMPLE.read_bytes())
    before = sorted(p.name for p in tmp_path.rglob("*"))
    result = invoke([*COMMANDS[command](tmp_path), "--as-of", day])
    assert_clean(result, allowed=(2,))
    assert "--as-of" in result.stderr and f"{MIN_YEAR}" in result.stderr and f"{MAX_YEAR}" in result.stderr
    assert sorted(p.name for p in tmp_path.rglob("*")) == before  # nothing written


@pytest.mark.parametrize("day", [f"{MIN_YEAR}-01-01", f"{MAX_YEAR}-12-31"])
def test_as_of_at_the_ends_of_the_range_is_accepted(day: str) -> None:
    result = invoke(["policies", "validate", "--as-of", day])
    assert_clean(result, allowed=(0,))
