"""Commands that rewrite a case file, run at the same time on one file: every change is kept, or the command is
refused with exit 2; never a success whose change is lost (rightscli.case_edit.rewrite_case_file and its lock).

The processes are forked from the test process (rightscli is already imported, so 100 of them take about a second);
each runs the real command line and takes the real lock.
"""

from __future__ import annotations

import os
import shutil
import time
from collections.abc import Sequence
from pathlib import Path

import pytest
from typer.testing import CliRunner

from rightscli import case_edit, datafile
from rightscli.cli import app
from tests.hardening.support import EXAMPLE, assert_clean, invoke

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="needs fork")


def run_in_children(commands: Sequence[list[str]]) -> list[int]:
    """Run each command line in a forked child process, all at once; their exit codes in order."""
    pids = []
    for args in commands:
        pid = os.fork()
        if pid == 0:  # the child: run the command, never return into pytest
            code = 70
            try:
                code = CliRunner().invoke(app, args).exit_code
            finally:
                os._exit(code)
        pids.append(pid)
    return [os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1]) for pid in pids]


def events(path: Path) -> list[dict[str, str]]:
    return datafile.load(str(path)).data["history"]


CASE = """\
# a small case: each of the 100 processes reads the file as the others left it
platform: taobao
as_of: 2026-11-20
order: {item: 羊毛大衣, price: 299, paid_on: 2026-11-08, received_on: 2026-11-12}
problem: {kinds: [quality_defect], discovered_on: 2026-11-12}
history:
  - {on: 2026-11-13, event: contacted_merchant}
"""


@pytest.mark.parametrize(("name", "processes"), [("case.yaml", 100), ("case.json", 20)])
def test_a_hundred_concurrent_logs_keep_every_event(tmp_path: Path, name: str, processes: int) -> None:
    """100 `rights log` at once on one case: each exits 0 and its event is in the file, or exits 2 and is not."""
    case = tmp_path / name
    if name.endswith(".json"):
        import json

        case.write_text(json.dumps(datafile.parse_yaml(CASE, "case").data, ensure_ascii=False), encoding="utf-8")
    else:
        case.write_text(CASE, encoding="utf-8")
    invoke(["log", case, "contacted_merchant", "--on", "2026-11-13"])  # the modules the children need, loaded once
    before = len(events(case))
    notes = [f"p{i}" for i in range(processes)]
    started = time.monotonic()
    codes = run_in_children([["log", str(case), "merchant_refused", "--note", note] for note in notes])
    elapsed = time.monotonic() - started
    assert set(codes) <= {0, 2}, codes
    kept = [e.get("note") for e in events(case)[before:]]
    assert sorted(kept) == sorted(note for note, code in zip(notes, codes, strict=True) if code == 0)
    # the lock waits: a refusal is for a lock held far too long, not for a queue of commands
    assert codes.count(0) >= 0.9 * processes, codes
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([name, f"{name}.bak"])  # no lock file left
    assert elapsed < 30


@pytest.mark.usefixtures("english")
def test_a_log_that_cannot_take_the_lock_is_refused_and_writes_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    case = tmp_path / "case.yaml"
    shutil.copy(EXAMPLE, case)
    before = case.read_bytes()
    monkeypatch.setattr(case_edit, "LOCK_TIMEOUT", 0.2)
    with case_edit.case_lock(case):
        result = invoke(["log", case, "merchant_refused"])
    assert_clean(result, allowed=(2,))
    assert "another" in result.stderr and "case.yaml" in result.stderr
    assert case.read_bytes() == before and not case.with_name("case.yaml.bak").exists()
    assert invoke(["log", case, "merchant_refused"]).exit_code == 0  # the lock is free again


def test_the_lock_file_is_not_followed_through_a_symbolic_link(tmp_path: Path) -> None:
    case = tmp_path / "case.yaml"
    shutil.copy(EXAMPLE, case)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.write_text("keep", encoding="utf-8")
    (tmp_path / ".case.yaml.lock").symlink_to(elsewhere)
    result = invoke(["log", case, "merchant_refused"])
    assert_clean(result, allowed=(2,))
    assert elsewhere.read_text(encoding="utf-8") == "keep"


def test_rewrite_case_file_reads_under_the_lock_and_writes_what_change_returns(tmp_path: Path) -> None:
    case = tmp_path / "case.yaml"
    case.write_bytes(b"a: 1\n")
    os.chmod(case, 0o640)
    seen: list[bytes] = []

    def change(raw: bytes) -> bytes:
        seen.append(raw)
        return raw + b"b: 2\n"

    done = case_edit.rewrite_case_file(str(case), change)
    assert seen == [b"a: 1\n"] and case.read_bytes() == b"a: 1\nb: 2\n"
    assert done.backup.read_bytes() == b"a: 1\n" and oct(case.stat().st_mode & 0o777) == "0o640"

    def refuse(raw: bytes) -> bytes:
        raise case_edit.InputError("no", file=str(case))

    with pytest.raises(case_edit.InputError):
        case_edit.rewrite_case_file(str(case), refuse)
    assert case.read_bytes() == b"a: 1\nb: 2\n"


WIZARD = ["wizard", "--no-input", "--as-of", "2026-11-20", "-s", "problem.description=洗后起球"]


@pytest.fixture
def in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("RIGHTS_CONFIG_DIR", str(tmp_path / "config"))
    case = tmp_path / "case.yaml"
    case.write_text(CASE, encoding="utf-8")
    return case


def test_the_wizard_saving_over_a_case_takes_the_same_lock(in_tmp: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    before = in_tmp.read_bytes()
    monkeypatch.setattr(case_edit, "LOCK_TIMEOUT", 0.2)
    with case_edit.case_lock(in_tmp):
        result = invoke([*WIZARD, "--answers", "case.yaml", "--save", "case.yaml", "--force"])
    assert_clean(result, allowed=(2,))
    assert in_tmp.read_bytes() == before
    result = invoke([*WIZARD, "--answers", "case.yaml", "--save", "case.yaml", "--force"])
    assert_clean(result, allowed=(0,))
    assert datafile.load(str(in_tmp)).data["problem"]["description"] == "洗后起球"
    assert oct(in_tmp.stat().st_mode & 0o777) == "0o600"


def test_the_wizard_never_saves_over_a_change_made_after_it_read_its_answers(
    in_tmp: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`rights wizard --answers case.yaml --save case.yaml --force` while `rights log case.yaml …` runs: the logged
    event must not be lost (the wizard read the file before the event was added)."""
    import rightscli.profile

    load_profile = rightscli.profile.load_profile

    def log_meanwhile() -> dict[str, str]:  # runs after the wizard has read its answers file
        assert invoke(["log", in_tmp, "merchant_refused", "--note", "meanwhile"]).exit_code == 0
        return load_profile()

    monkeypatch.setattr(rightscli.profile, "load_profile", log_meanwhile)
    result = invoke([*WIZARD, "--answers", "case.yaml", "--save", "case.yaml", "--force"])
    assert_clean(result, allowed=(2,))
    assert "case.yaml" in result.stderr and "--save" in result.stderr
    assert events(in_tmp)[-1]["note"] == "meanwhile"
