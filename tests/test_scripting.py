"""Scripting ergonomics: JSON Schema of the case file, plain output in pipes, quiet broken pipes."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest
from typer.testing import CliRunner

from rightscli import datafile
from rightscli.cli import app

ROOT = Path(__file__).parent.parent
EXAMPLES = sorted((ROOT / "examples").glob("*.yaml"))
BOX_CHARS = set("─│╭╮╰╯┏┓┗┛━┃┡┩└┘┌┐")


@pytest.fixture(scope="module")
def schema() -> dict:
    result = CliRunner().invoke(app, ["schema", "case"])
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.name)
def test_examples_match_the_schema(schema: dict, path: Path) -> None:
    jsonschema.validate(datafile.load(str(path)).data, schema)


def test_schema_refuses_what_the_model_refuses(schema: dict) -> None:
    data = datafile.load(str(EXAMPLES[0])).data
    bad = {**data, "platfrom": "tmall"}
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(bad, schema)
    bad = {**data, "order": {**data["order"], "price": -1}}
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(bad, schema)


def run_cli(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "rightscli", *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={**os.environ, **(env or {})},
    )


def test_piped_output_has_no_colour_or_boxes() -> None:
    result = run_cli("assess", "examples/laptop-defect.yaml")
    assert result.returncode == 0, result.stderr
    assert "\x1b[" not in result.stdout
    assert not BOX_CHARS & set(result.stdout)
    assert all(line == line.rstrip() for line in result.stdout.splitlines())


def test_head_ends_quietly() -> None:
    shell = f"{sys.executable} -m rightscli assess examples/laptop-defect.yaml | head -1"
    result = subprocess.run(shell, shell=True, capture_output=True, text=True, cwd=ROOT)
    assert result.stdout.count("\n") == 1
    assert "BrokenPipe" not in result.stderr and "Traceback" not in result.stderr
    shell = f"{sys.executable} -m rightscli assess examples/laptop-defect.yaml --json | head -1"
    result = subprocess.run(shell, shell=True, capture_output=True, text=True, cwd=ROOT)
    assert result.stdout == "{\n"
    assert result.stderr == ""
