"""`rights status`: a folder of cases, most urgent first; invalid files listed, exit 2."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from rightscli.cli import app

# These tests check the wording of English messages (the default interface is Chinese).
pytestmark = pytest.mark.usefixtures("english")

EXAMPLES = Path(__file__).parent.parent / "examples"


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    for name in ("changed-mind-in-time.yaml", "laptop-defect.yaml", "refused-return.yaml", "damaged-in-transit.yaml"):
        shutil.copy(EXAMPLES / name, tmp_path / name)
    return tmp_path


def status_json(runner: CliRunner, *args: str) -> tuple[int, dict, str]:
    result = runner.invoke(app, ["status", *args, "--json"])
    return result.exit_code, json.loads(result.stdout), result.stderr


def test_rows_are_sorted_by_the_most_urgent_date(runner: CliRunner, folder: Path) -> None:
    code, data, _ = status_json(runner, str(folder), "--as-of", "2026-11-20")
    assert code == 0
    assert data["invalid"] == []
    rows = data["cases"]
    assert len(rows) == 4
    dates = [r["date"] for r in rows]
    assert dates == sorted(dates)
    first = rows[0]
    assert Path(first["file"]).name == "damaged-in-transit.yaml"  # Taobao's window closes on 2026-11-22
    assert first["date"] == "2026-11-22" and first["days_left"] == 2
    assert first["next"]["to"] == "platform"
    for row in rows:
        assert set(row) >= {"file", "item", "platform", "as_of", "date", "days_left", "what", "next", "waiting"}
    waiting = next(r for r in rows if Path(r["file"]).name == "changed-mind-in-time.yaml")
    assert waiting["waiting"] == [{"id": "wait.return_not_processed", "until": "2026-12-03"}]
    assert waiting["next"] is None


def test_as_of_changes_the_order(runner: CliRunner, folder: Path) -> None:
    _, data, _ = status_json(runner, str(folder), "--as-of", "2026-12-04")
    first = data["cases"][0]
    assert Path(first["file"]).name == "changed-mind-in-time.yaml"  # its wait passed: act now
    assert first["days_left"] == 0 and first["next"]["source"] == "wait.return_not_processed"


def test_invalid_files_are_listed_and_exit_2(runner: CliRunner, folder: Path) -> None:
    (folder / "broken.yml").write_text("platform: ebay\n", encoding="utf-8")
    (folder / "notes.txt").write_text("not a case", encoding="utf-8")
    (folder / "empty.json").write_text("", encoding="utf-8")
    code, data, stderr = status_json(runner, str(folder), "--as-of", "2026-11-20")
    assert code == 2
    assert len(data["cases"]) == 4
    bad = {Path(r["file"]).name: r["error"] for r in data["invalid"]}
    assert set(bad) == {"broken.yml", "empty.json"}
    assert "platform" in bad["broken.yml"]
    assert "2 of 6 file(s) are not valid cases" in stderr
    text = runner.invoke(app, ["status", str(folder), "--as-of", "2026-11-20", "--lang", "en"])
    assert text.exit_code == 2
    assert "broken.yml" in text.stdout and "laptop-defect.yaml" in text.stdout
    assert "Traceback" not in text.stderr


def test_not_a_folder(runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(app, ["status", str(tmp_path / "missing")])
    assert result.exit_code == 2 and "not a folder" in result.stderr


def test_an_empty_folder(runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(app, ["status", str(tmp_path)])
    assert result.exit_code == 0
    assert "No case files" in result.stderr or "没有案件文件" in result.stderr


def test_a_step_advised_sooner_than_the_row_date_says_its_own_date(runner: CliRunner, tmp_path: Path) -> None:
    """The row's date is the nearest deadline (the limitation period, years away); the next step is advised for
    tomorrow: its line says so, and a line says what the row's date is, so neither reads as the other's."""
    shutil.copy(EXAMPLES / "expired-food.yaml", tmp_path / "expired-food.yaml")
    _, data, _ = status_json(runner, str(tmp_path), "--as-of", "2026-12-03")
    row = data["cases"][0]
    assert row["date"] > "2029-01-01" and row["next"]["by"] == "2026-12-04"
    result = runner.invoke(app, ["status", str(tmp_path), "--as-of", "2026-12-03"], env={"COLUMNS": "200"})
    lines = result.stdout.splitlines()
    step = next(line for line in lines if "Douyin:" in line)
    assert "best by 4 Dec (1 day left) · Douyin:" in step  # advice, worded as `assess` words it
    due = lines[lines.index(step) + 1]
    assert "nearest deadline: 3-year limitation period: end of the limitation period" in due
    assert "(" not in due  # the remark in brackets is left to `rights next`


def test_a_step_due_on_the_row_date_is_not_dated_twice(runner: CliRunner, folder: Path) -> None:
    _, data, _ = status_json(runner, str(folder), "--as-of", "2026-12-04")
    assert data["cases"][0]["next"]["by"] == "2026-12-04"
    result = runner.invoke(app, ["status", str(folder), "--as-of", "2026-12-04"], env={"COLUMNS": "200"})
    lines = result.stdout.splitlines()
    first = lines.index(next(line for line in lines if "changed-mind-in-time.yaml" in line))
    assert "days left)" not in lines[first + 1] and "nearest deadline" not in lines[first + 2]


def test_a_step_is_shown_to_its_first_sentences_end_where_there_is_room(runner: CliRunner, folder: Path) -> None:
    """The step's line is cut by the width of the terminal (two lines), not at a few words."""
    result = runner.invoke(app, ["status", str(folder), "--as-of", "2026-12-03"], env={"COLUMNS": "200"})
    step = next(line for line in result.stdout.splitlines() if "Taobao: Ask the platform" in line)
    assert "the seller's real name, address" in step
