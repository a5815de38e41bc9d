"""`rights evidence add | list | verify`: records with path, SHA-256, size and time in the case file, written under the
case file's lock; the buyer's files are never moved or copied; verify names each changed or missing file (exit 2)."""

from __future__ import annotations

import hashlib
import json
import shutil
import threading
from pathlib import Path

import pytest
from typer.testing import CliRunner

from rightscli import datafile
from rightscli.case import validate_case
from rightscli.cli import app

ROOT = Path(__file__).parent.parent
LAPTOP = ROOT / "examples" / "laptop-defect.yaml"


def run(*args: str):
    return CliRunner().invoke(app, [*map(str, args)], catch_exceptions=False)


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    shutil.copy(LAPTOP, tmp_path / "case.yaml")
    (tmp_path / "shots").mkdir()
    (tmp_path / "shots" / "订单.png").write_bytes(b"\x89PNG order screenshot")
    (tmp_path / "chat.mp4").write_bytes(b"screen recording from the home screen" * 100)
    return tmp_path


def case_of(path: Path):
    return validate_case(datafile.load(str(path)))


def test_add_records_path_hash_size_and_time_and_keeps_the_file(folder: Path) -> None:
    case = folder / "case.yaml"
    original = case.read_text(encoding="utf-8")
    shot = folder / "shots" / "订单.png"
    before = (shot.stat().st_ino, shot.read_bytes())
    result = run("evidence", "add", case, shot, "--as", "order_record", "--note", "订单详情页")
    assert result.exit_code == 0, result.stderr
    assert "订单详情截图" in result.stdout
    records = case_of(case).evidence_files
    assert len(records) == 1
    r = records[0]
    assert (r.id, r.path, r.note) == ("order_record", "shots/订单.png", "订单详情页")
    assert r.sha256 == hashlib.sha256(before[1]).hexdigest() and r.size == len(before[1])
    assert r.recorded_at.startswith("20") and r.recorded_at.endswith("+08:00")
    # the buyer's file is untouched and not copied anywhere; the case keeps its comments and gets a backup
    assert (shot.stat().st_ino, shot.read_bytes()) == before
    assert sorted(p.name for p in folder.iterdir()) == ["case.yaml", "case.yaml.bak", "chat.mp4", "shots"]
    assert (folder / "case.yaml.bak").read_text(encoding="utf-8") == original
    assert case.read_text(encoding="utf-8").startswith(original.rstrip("\n"))


def test_a_recorded_file_counts_as_held_evidence(folder: Path) -> None:
    case = folder / "case.yaml"
    assert "unboxing_video" not in case_of(case).evidence
    run("evidence", "add", case, folder / "chat.mp4", "--as", "unboxing_video")
    assert "unboxing_video" in case_of(case).evidence


def test_list_json_and_verify(folder: Path) -> None:
    case = folder / "case.yaml"
    run("evidence", "add", case, folder / "shots" / "订单.png", "--as", "order_record")
    run("evidence", "add", case, folder / "chat.mp4", "--as", "chat_log")
    listed = run("evidence", "list", case, "--json")
    rows = json.loads(listed.stdout)
    assert [(r["no"], r["id"], r["path"]) for r in rows] == [
        (1, "order_record", "shots/订单.png"),
        (2, "chat_log", "chat.mp4"),
    ]
    assert set(rows[0]) >= {"sha256", "size", "recorded_at", "label"}
    table = run("evidence", "list", case)
    assert "订单详情截图" in table.stdout and "chat.mp4" in table.stdout
    ok = run("evidence", "verify", case)
    assert ok.exit_code == 0 and "2 个证据文件与登记时一致" in ok.stdout


def test_verify_names_each_changed_or_missing_file_exit_2(folder: Path) -> None:
    case = folder / "case.yaml"
    run("evidence", "add", case, folder / "shots" / "订单.png", "--as", "order_record")
    run("evidence", "add", case, folder / "chat.mp4", "--as", "chat_log")
    (folder / "chat.mp4").write_bytes(b"edited")
    (folder / "shots" / "订单.png").unlink()
    result = run("evidence", "verify", case)
    assert result.exit_code == 2
    assert "shots/订单.png" in result.stderr and "找不到" in result.stderr
    assert "chat.mp4" in result.stderr and "已改动" in result.stderr
    as_json = run("evidence", "verify", case, "--json")
    assert as_json.exit_code == 2
    assert [r["status"] for r in json.loads(as_json.stdout)] == ["missing", "changed"]


def test_a_file_outside_the_case_folder_is_recorded_absolute(
    folder: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    elsewhere = tmp_path_factory.mktemp("elsewhere") / "invoice.pdf"
    elsewhere.write_bytes(b"%PDF- invoice")
    run("evidence", "add", folder / "case.yaml", elsewhere, "--as", "invoice")
    (record,) = case_of(folder / "case.yaml").evidence_files
    assert Path(record.path).is_absolute() and Path(record.path).name == "invoice.pdf"
    assert run("evidence", "verify", folder / "case.yaml").exit_code == 0


def test_the_same_file_twice_needs_force(folder: Path) -> None:
    case = folder / "case.yaml"
    run("evidence", "add", case, folder / "chat.mp4", "--as", "chat_log")
    again = run("evidence", "add", case, folder / "chat.mp4", "--as", "chat_log")
    assert again.exit_code == 2 and "--force" in again.stderr
    (folder / "chat.mp4").write_bytes(b"new recording")
    forced = run("evidence", "add", case, folder / "chat.mp4", "--as", "chat_log", "--force")
    assert forced.exit_code == 0, forced.stderr
    (record,) = case_of(case).evidence_files
    assert record.sha256 == hashlib.sha256(b"new recording").hexdigest()
    assert run("evidence", "verify", case).exit_code == 0


@pytest.mark.usefixtures("english")
@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (["nope.png", "--as", "order_record"], "file not found"),
        (["shots", "--as", "order_record"], "not a regular file"),
        (["chat.mp4", "--as", "selfie"], "--as 'selfie'"),
        (["chat.mp4", "--as", "chat-log"], "(did you mean 'chat_log'?); expected one of: order_record (order details"),
    ],
)
def test_bad_input_is_exit_2_and_nothing_is_written(folder: Path, args: list[str], needle: str) -> None:
    case = folder / "case.yaml"
    before = case.read_bytes()
    result = run("evidence", "add", case, *[str(folder / a) if i == 0 else a for i, a in enumerate(args)])
    assert result.exit_code == 2
    assert needle in result.stderr and "Traceback" not in result.stderr
    assert case.read_bytes() == before and not (folder / "case.yaml.bak").exists()


def test_an_unknown_id_is_answered_in_the_buyers_words(folder: Path) -> None:
    """The evidence catalogue's words name the id meant (发票 -> invoice) and each allowed one."""
    case = folder / "case.yaml"
    result = run("evidence", "add", case, folder / "chat.mp4", "--as", "发票", "--lang", "zh")
    assert result.exit_code == 2
    assert "--as 不支持“发票”（您是不是想写“invoice”？）；可选：order_record（订单详情截图）、" in result.stderr


def test_json_case_files_and_concurrent_adds_lose_nothing(folder: Path) -> None:
    """Two adds at the same time both land: each runs its read-modify-write under the case file's lock."""
    from rightscli.register import add_file

    data = datafile.load(str(LAPTOP)).data
    case = folder / "case.json"
    case.write_text(json.dumps(data, ensure_ascii=False, default=str, indent=2), encoding="utf-8")
    files = []
    for i in range(6):
        f = folder / f"photo{i}.jpg"
        f.write_bytes(bytes([i]) * 10)
        files.append(f)
    from datetime import datetime

    errors: list[BaseException] = []

    def add(f: Path) -> None:
        try:
            add_file(str(case), str(f), "photos", note=None, now=datetime.now().astimezone(), today=None)
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=add, args=(f,)) for f in files]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    assert not errors
    assert sorted(r.path for r in case_of(case).evidence_files) == sorted(f.name for f in files)


def test_a_bad_record_in_the_file_is_named(folder: Path) -> None:
    case = folder / "case.yaml"
    case.write_text(
        case.read_text(encoding="utf-8")
        + "evidence_files:\n  - {id: photos, path: a.jpg, sha256: xyz, size: -1, recorded_at: yesterday}\n",
        encoding="utf-8",
    )
    result = run("evidence", "list", case)
    assert result.exit_code == 2
    for field in ("evidence_files[0].sha256", "evidence_files[0].size", "evidence_files[0].recorded_at"):
        assert field in result.stderr
