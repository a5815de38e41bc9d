"""Every command that reads a case, on generated cases: a valid case → exit 0; a case with one broken field → exit 2
and a message that names that field (and no other); never a traceback, never exit 1, nothing written for a bad case.

The cases come from tests/strategies.py. CI runs a small fixed-seed sample; RIGHTS_HYPOTHESIS_EXAMPLES=500 runs more
(see tests/hardening/README.md).
"""

from __future__ import annotations

import json
import re
import stat
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from rightscli import datafile, vocab
from rightscli.case import validate_case
from tests.hardening.support import assert_clean, hardening, invoke
from tests.strategies import Broken, dump, formats, near_valid_cases, valid_cases

# These tests check the wording of English messages (the default interface is Chinese).
pytestmark = pytest.mark.usefixtures("english")

FIELD_RE = re.compile(r"field '([^']*)'")


def letter_recipients() -> tuple[str, ...]:
    """Every recipient `rights letter --to` knows (the pinned five and any added since)."""
    try:
        from rightscli.letters.data import recipient_ids
    except ImportError:
        return vocab.RECIPIENTS
    return recipient_ids()


def strict_json(text: str) -> object:
    """JSON as the standard defines it: NaN and Infinity are not numbers."""

    def refuse(name: str) -> None:
        raise AssertionError(f"{name} in JSON output")

    return json.loads(text, parse_constant=refuse)


@dataclass
class Ctx:
    """One generated case written to a fresh folder."""

    work: Path
    case: Path
    text: str
    draw: Callable[..., object]

    @property
    def cases(self) -> Path:
        return self.case.parent


@dataclass
class Call:
    args: list[object]
    stdin: str | None = None
    outputs: list[Path] = field(default_factory=list)  # files the command writes (must not exist after a failure)
    json_lines: bool = False  # stdout is JSON Lines (batch)
    json_out: bool = False  # stdout is one JSON document


def letter(recipient: str) -> Callable[[Ctx], Call]:
    def build(ctx: Ctx) -> Call:
        fmt = ctx.draw(st.sampled_from(["md", "txt", "html"]))
        if ctx.draw(st.booleans()):
            out = ctx.work / f"letter.{fmt}"
            return Call(["letter", ctx.case, "--to", recipient, "--format", fmt, "-o", out, "--draft"], outputs=[out])
        # --draft: a random case need not support any request (without it, exit 2 says so: tests/test_letters_cli.py)
        return Call(["letter", ctx.case, "--to", recipient, "--format", fmt, "--draft"])

    return build


def checklist_file(ctx: Ctx) -> Call:
    fmt = ctx.draw(st.sampled_from(["md", "txt", "html"]))
    out = ctx.work / f"checklist.{fmt}"
    return Call(["checklist", ctx.case, "--format", fmt, "-o", out], outputs=[out])


def log(ctx: Ctx) -> Call:
    event = ctx.draw(st.sampled_from(vocab.EVENTS))
    note = ctx.draw(st.sampled_from([None, "客服称已拆封不退", "a: b # c", "'quoted' \"twice\"", "- x\n- y"]))
    return Call(["log", ctx.case, event, *([] if note is None else ["--note", note])])


def batch(ctx: Ctx) -> Call:
    recipient = ctx.draw(st.sampled_from(vocab.RECIPIENTS))
    out = ctx.work / "out"
    args = ["batch", ctx.cases, "--to", recipient, "--out-dir", out, "-j", "1", "--json", "--draft"]
    if recipient == "regulator-report":  # a batch of reports needs the buyer's explicit confirmation
        args.append("--allow-many-reports")
    return Call(args, json_lines=True)


COMMANDS: dict[str, Callable[[Ctx], Call]] = {
    "assess": lambda c: Call(["assess", c.case]),
    "assess --json": lambda c: Call(["assess", c.case, "--json", "--lang", "en"], json_out=True),
    "assess - (stdin)": lambda c: Call(["assess", "-", "--json"], stdin=c.text, json_out=True),
    "checklist": lambda c: Call(["checklist", c.case]),
    "checklist -o": checklist_file,
    **{f"letter --to {r}": letter(r) for r in letter_recipients()},
    "next": lambda c: Call(["next", c.case]),
    "next --json": lambda c: Call(["next", c.case, "--json"], json_out=True),
    "calendar -o": lambda c: Call(["calendar", c.case, "-o", c.work / "case.ics"], outputs=[c.work / "case.ics"]),
    "log": log,
    "batch": batch,
    "status --json": lambda c: Call(["status", c.cases, "--json"], json_out=True),
    "wizard --answers --no-input": lambda c: Call(
        ["wizard", "--answers", c.case, "--no-input", "--save", c.work / "saved.yaml", "--lang", "en"],
        outputs=[c.work / "saved.yaml"],
    ),
}


# Known bugs, each pinned by an xfail test in test_known_bugs.py. The generated cases that would hit them are steered
# around them here, so that these tests keep checking everything else. Remove the workaround when the bug is fixed.
# test_a_letter_for_a_problem_kind_beyond_the_pinned_set: letters fail on these kinds.
UNWORDED_KINDS = (
    "seller_cancelled",
    "auto_renewal",
    "price_discrimination",
    "missing_gift",
    "out_of_stock",
    "fake_shipment",
)


def avoid_known_bugs(command: str, case: dict) -> dict:
    if not command.startswith(("letter", "batch")):
        return case
    problem = case.get("problem") or {}
    kinds = [k for k in problem.get("kinds") or [] if k not in UNWORDED_KINDS]
    if kinds != (problem.get("kinds") or []):
        case = {**case, "problem": {**problem, "kinds": kinds or ["quality_defect"]}}
    return case


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("properties")


@pytest.fixture(scope="module")
def wizard_env(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    return {"RIGHTS_CONFIG_DIR": str(tmp_path_factory.mktemp("config"))}  # no saved profile


def write_case(base: Path, data: dict, fmt: str, draw: Callable[..., object]) -> Ctx:
    work = Path(tempfile.mkdtemp(dir=base))
    folder = work / "cases"
    folder.mkdir()
    text = dump(data, fmt)
    windows = draw(st.booleans())  # what editors on Windows write: a BOM and CRLF line ends
    raw = ("\ufeff" + text).replace("\n", "\r\n").encode("utf-8") if windows else text.encode("utf-8")
    case = folder / f"case.{fmt}"
    case.write_bytes(raw)
    return Ctx(work, case, text, draw)


def files_in(folder: Path) -> set[str]:
    return {str(p.relative_to(folder)) for p in folder.rglob("*")}


def check_valid(command: str, case: dict, fmt: str, data: st.DataObject, base: Path, env: dict[str, str]) -> None:
    case = avoid_known_bugs(command, case)
    ctx = write_case(base, case, fmt, data.draw)
    call = COMMANDS[command](ctx)
    before = ctx.case.read_bytes()
    result = invoke(call.args, stdin=call.stdin, env=env)
    assert_clean(result, allowed=(0,))
    assert "rights: error" not in result.stderr
    for out in call.outputs:
        assert out.is_file() and out.stat().st_size > 0, out
        assert stat.S_IMODE(out.stat().st_mode) == 0o600, out  # letters and cases hold personal data
    if call.json_out:
        strict_json(result.stdout)
    if call.json_lines:
        lines = [strict_json(line) for line in result.stdout.splitlines()]
        assert [line["status"] for line in lines] == ["written"], lines  # type: ignore[index]
        assert len(list((ctx.work / "out").iterdir())) == 1
    if command == "log":
        backup = ctx.case.with_name(ctx.case.name + ".bak")
        assert backup.read_bytes() == before
        logged = validate_case(datafile.load(str(ctx.case)))
        assert len(logged.history) == len(case.get("history") or []) + 1
        assert logged.history[-1].event == call.args[2]
    elif command.startswith("wizard"):
        validate_case(datafile.load(str(call.outputs[0])))  # the saved case is valid too
    else:
        assert ctx.case.read_bytes() == before


def check_broken(command: str, broken: Broken, fmt: str, data: st.DataObject, base: Path, env: dict[str, str]) -> None:
    ctx = write_case(base, broken.data, fmt, data.draw)
    call = COMMANDS[command](ctx)
    before = ctx.case.read_bytes()
    inputs = files_in(ctx.work)
    result = invoke(call.args, stdin=call.stdin, env=env)
    assert_clean(result, allowed=(2,))
    if call.json_lines:
        (line,) = [strict_json(line) for line in result.stdout.splitlines()]
        assert line["status"] == "failed"  # type: ignore[index]
        named = {e["field"] for e in line["errors"]}  # type: ignore[index]
    elif command.startswith("status"):
        (row,) = strict_json(result.stdout)["invalid"]  # type: ignore[index]
        named = set(FIELD_RE.findall(row["error"]))
    else:
        named = set(FIELD_RE.findall(result.stderr))
        if command.startswith("wizard") and f"--set {broken.path}=" in result.stderr:
            named.add(broken.path)  # --no-input lists a missing answer as the --set line that gives it
    assert named == {broken.path}, result.stderr
    # nothing written: no output, no temporary file, no backup; the case file as it was
    assert ctx.case.read_bytes() == before
    assert files_in(ctx.work) - inputs <= ({"out"} if call.json_lines else set())
    if call.json_lines:
        assert not list((ctx.work / "out").iterdir())


# A broken case is refused while it is read, the same way for every command that reads it the same way: these are
# the distinct routes (one letter stands for all recipients; each has its own output checks before the case is read).
BROKEN_ROUTES = (
    "assess",
    "assess - (stdin)",
    "checklist -o",
    "letter --to regulator",
    "next --json",
    "calendar -o",
    "log",
    "batch",
    "status --json",
    "wizard --answers --no-input",
)


def each_command(check: Callable[..., None], *args: object, commands: tuple[str, ...] = tuple(COMMANDS)) -> None:
    """Run one check for every command on the same generated case; a failure names the command."""
    for command in commands:
        try:
            check(command, *args)
        except AssertionError as exc:
            raise AssertionError(f"`rights {command}`: {exc}") from exc


@hardening(ci_examples=12)  # 19 commands per example, 60 ms each
@given(case=valid_cases(), fmt=formats, data=st.data())
def test_a_valid_case_is_accepted_by_every_command(
    case: dict, fmt: str, data: st.DataObject, base: Path, wizard_env: dict[str, str]
) -> None:
    each_command(check_valid, case, fmt, data, base, wizard_env)


@hardening(ci_examples=30)
@given(broken=near_valid_cases(), fmt=formats, data=st.data())
def test_a_case_with_one_broken_field_is_refused_by_every_command_naming_that_field(
    broken: Broken, fmt: str, data: st.DataObject, base: Path, wizard_env: dict[str, str]
) -> None:
    each_command(check_broken, broken, fmt, data, base, wizard_env, commands=BROKEN_ROUTES)
