"""`rights log`: appending events to a case file, and every refusal (exit 2, file untouched)."""

from __future__ import annotations

import json
import os
import shutil
import stat
from pathlib import Path

import pytest
from typer.testing import CliRunner

from rightscli import datafile
from rightscli.case import validate_case
from rightscli.cli import app

# These tests check the wording of English messages (the default interface is Chinese).
pytestmark = pytest.mark.usefixtures("english")

EXAMPLES = Path(__file__).parent.parent / "examples"


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture
def case_file(tmp_path: Path) -> Path:
    """changed-mind-in-time.yaml: as_of 2026-11-20, one event (contacted_merchant on 2026-11-18), comments."""
    path = tmp_path / "case.yaml"
    shutil.copy(EXAMPLES / "changed-mind-in-time.yaml", path)
    return path


def log(runner: CliRunner, *args: str):
    return runner.invoke(app, ["log", *args])


def history(path: Path) -> list[dict[str, str]]:
    return datafile.load(str(path)).data["history"]


def test_log_appends_keeps_comments_and_layout_and_a_backup(runner: CliRunner, case_file: Path) -> None:
    before = case_file.read_text(encoding="utf-8")
    os.chmod(case_file, 0o640)
    result = log(runner, str(case_file), "merchant_refused", "--on", "2026-11-19", "--note", '客服称"不退"')
    assert result.exit_code == 0, result.stderr
    after = case_file.read_text(encoding="utf-8")
    assert after.startswith(before.split("history:")[0])  # everything before the history is unchanged
    assert [line for line in before.splitlines() if line.startswith("#")] == [
        line for line in after.splitlines() if line.startswith("#")
    ]
    assert history(case_file)[-1] == {"on": "2026-11-19", "event": "merchant_refused", "note": '客服称"不退"'}
    assert "  - on: 2026-11-19\n    event: merchant_refused\n" in after  # the file's own indentation
    backup = case_file.with_name("case.yaml.bak")
    assert backup.read_text(encoding="utf-8") == before
    assert stat.S_IMODE(case_file.stat().st_mode) == 0o640
    validate_case(datafile.load(str(case_file)))
    # the default date is the day of assessment (as_of in the file)
    assert log(runner, str(case_file), "platform_intervention_requested").exit_code == 0
    assert history(case_file)[-1] == {"on": "2026-11-20", "event": "platform_intervention_requested"}
    assert backup.read_text(encoding="utf-8") == after  # the backup holds the version before the last log


def test_same_day_is_allowed(runner: CliRunner, case_file: Path) -> None:
    result = log(runner, str(case_file), "return_requested", "--on", "2026-11-18")
    assert result.exit_code == 0, result.stderr


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (["merchant_refused", "--on", "2026-11-17"], "before the last event"),
        (["merchant_refused", "--on", "2026-11-21"], "after as_of"),
        (["merchant_refused", "--on", "2026-11-25", "--as-of", "2026-11-24"], "after --as-of"),
        (["merchant_refused", "--on", "2026-11-22", "--as-of", "2026-11-25"], "change as_of in the file first"),
        (["seller_refused"], "unknown event 'seller_refused'; did you mean merchant_refused (the seller refused)"),
        (["merchant_refused", "--on", "2026-13-01"], "--on '2026-13-01' is not a date"),
    ],
)
def test_refusals_leave_the_file_alone(runner: CliRunner, case_file: Path, args: list[str], needle: str) -> None:
    before = case_file.read_bytes()
    result = log(runner, str(case_file), *args)
    assert result.exit_code == 2
    assert needle in result.stderr
    assert "Traceback" not in result.stderr
    assert case_file.read_bytes() == before
    assert not case_file.with_name("case.yaml.bak").exists()


def test_an_event_before_payment_is_refused(runner: CliRunner, tmp_path: Path) -> None:
    path = tmp_path / "c.yaml"
    text = (EXAMPLES / "changed-mind-in-time.yaml").read_text(encoding="utf-8")
    path.write_text(text.split("history:")[0] + "history: []\nwants: [return_refund]\n", encoding="utf-8")
    result = log(runner, str(path), "contacted_merchant", "--on", "2026-11-01")
    assert result.exit_code == 2 and "before order.paid_on" in result.stderr


def test_an_invalid_case_file_is_refused(runner: CliRunner, tmp_path: Path) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text((EXAMPLES / "changed-mind-in-time.yaml").read_text(encoding="utf-8").replace("clothing", "coats"))
    before = path.read_bytes()
    result = log(runner, str(path), "contacted_merchant")
    assert result.exit_code == 2 and "order.category" in result.stderr
    assert path.read_bytes() == before


def test_standard_input_is_refused(runner: CliRunner) -> None:
    result = runner.invoke(app, ["log", "-", "contacted_merchant"], input="{}")
    assert result.exit_code == 2 and "standard input" in result.stderr


@pytest.mark.parametrize(
    "history_text",
    [
        "",
        "history:\n",
        "history: null  # nothing yet\n",
        "history: []\n",
        "history: [{on: 2026-11-18, event: x}]\n",
        # multi-line flow lists: a trailing comma, a comment after the last item, the bracket on its own line
        "history: [\n  {on: 2026-11-17, event: x},\n  {on: 2026-11-18, event: x},\n]\n",
        "history: [\n  {on: 2026-11-17, event: x},\n  {on: 2026-11-18, event: x}  # 客服拒绝\n]\n",
        "history: [\n  {on: 2026-11-17, event: x},  # 第一次\n  {on: 2026-11-18, event: x},  # 第二次\n  ]\n",
        "history: [{on: 2026-11-17,\n            event: x},\n          {on: 2026-11-18, event: x}]  # done\n",
    ],
)
def test_every_yaml_history_layout(runner: CliRunner, tmp_path: Path, history_text: str) -> None:
    base = (EXAMPLES / "changed-mind-in-time.yaml").read_text(encoding="utf-8")
    head, tail = base.split("history:")
    tail = tail[tail.index("wants:") :]
    path = tmp_path / "c.yaml"
    path.write_text(head + history_text.replace("event: x", "event: contacted_merchant") + tail, encoding="utf-8")
    result = log(runner, str(path), "merchant_refused", "--on", "2026-11-19", "--note", "no: #1")
    assert result.exit_code == 0, result.stderr
    events = history(path)
    assert events[-1] == {"on": "2026-11-19", "event": "merchant_refused", "note": "no: #1"}
    assert len(events) == history_text.count("event: x") + 1
    validate_case(datafile.load(str(path)))
    assert "# 客服拒绝" not in history_text or "merchant_refused}  # 客服拒绝" not in path.read_text(encoding="utf-8")


def test_a_multi_line_flow_history_gets_the_new_item_on_its_own_line(runner: CliRunner, tmp_path: Path) -> None:
    base = (EXAMPLES / "changed-mind-in-time.yaml").read_text(encoding="utf-8")
    head, tail = base.split("history:")
    tail = tail[tail.index("wants:") :]
    flow = "history: [\n  {on: 2026-11-18, event: contacted_merchant},  # 电话\n]\n"
    path = tmp_path / "c.yaml"
    path.write_text(head + flow + tail, encoding="utf-8")
    assert log(runner, str(path), "merchant_refused", "--on", "2026-11-19").exit_code == 0
    text = path.read_text(encoding="utf-8")
    new = "  {on: 2026-11-18, event: contacted_merchant},  # 电话\n  {on: 2026-11-19, event: merchant_refused},\n]\n"
    assert new in text


def test_block_history_with_a_literal_note_and_a_following_comment(runner: CliRunner, tmp_path: Path) -> None:
    base = (EXAMPLES / "changed-mind-in-time.yaml").read_text(encoding="utf-8")
    head, tail = base.split("history:")
    tail = tail[tail.index("wants:") :]
    block = "history:\n- on: 2026-11-18\n  event: contacted_merchant\n  note: |\n    line one\n    line two\n"
    block += "\n# what next\n"
    path = tmp_path / "c.yaml"
    path.write_text(head + block + tail, encoding="utf-8")
    assert log(runner, str(path), "merchant_no_reply", "--on", "2026-11-20").exit_code == 0
    text = path.read_text(encoding="utf-8")
    assert "    line two\n- on: 2026-11-20\n  event: merchant_no_reply\n\n# what next\n" in text
    assert history(path)[0]["note"] == "line one\nline two\n"


def test_json_case_is_redumped(runner: CliRunner, tmp_path: Path) -> None:
    data = datafile.load(str(EXAMPLES / "laptop-defect.yaml")).data
    path = tmp_path / "case.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    last = data["history"][-1]["on"]
    result = log(runner, str(path), "complaint_regulator", "--on", last)
    assert result.exit_code == 0, result.stderr
    written = json.loads(path.read_text(encoding="utf-8"))
    assert written["history"][-1] == {"on": last, "event": "complaint_regulator"}
    assert {k: v for k, v in written.items() if k != "history"} == {k: v for k, v in data.items() if k != "history"}
    assert path.with_name("case.json.bak").is_file()


FLOW_CASE = (
    "{platform: taobao, as_of: 2026-11-20,\n"
    " order: {item: 羊毛大衣, price: 299, paid_on: 2026-11-08, received_on: 2026-11-12},\n"
    " problem: {kinds: [quality_defect], discovered_on: 2026-11-12}HISTORY}  # 一行写完的案例\n"
)


@pytest.mark.parametrize(
    "history_text",
    ["", ",\n history: []", ", history: null", ",\n history: [{on: 2026-11-13, event: contacted_merchant}]"],
)
def test_a_yaml_case_written_as_one_flow_mapping(runner: CliRunner, tmp_path: Path, history_text: str) -> None:
    """A YAML case written as one {…} (not JSON: the keys are not quoted) is read and logged as YAML."""
    path = tmp_path / "c.yaml"
    path.write_text(FLOW_CASE.replace("HISTORY", history_text), encoding="utf-8")
    assert runner.invoke(app, ["assess", str(path)]).exit_code == 0
    result = log(runner, str(path), "merchant_refused", "--on", "2026-11-14", "--note", "不退")
    assert result.exit_code == 0, result.stderr
    assert history(path)[-1] == {"on": "2026-11-14", "event": "merchant_refused", "note": "不退"}
    text = path.read_text(encoding="utf-8")
    assert text.startswith("{platform: taobao") and text.endswith("}  # 一行写完的案例\n")
