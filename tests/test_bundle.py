"""`rights bundle`: the letter as DOCX and PDF, the evidence index, copies of the recorded files named by their index
number, manifest.json matching every file; refused when a recorded file changed; safe names; atomic, mode 0600."""

from __future__ import annotations

import hashlib
import io
import json
import shutil
import stat
import zipfile
from pathlib import Path

import pytest
from typer.testing import CliRunner

from rightscli.cli import app
from tests.pdf_tools import pdf_text

ROOT = Path(__file__).parent.parent
LAPTOP = ROOT / "examples" / "laptop-defect.yaml"


def run(*args: object):
    return CliRunner().invoke(app, [str(a) for a in args], catch_exceptions=False)


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    shutil.copy(LAPTOP, tmp_path / "case.yaml")
    # a name from the case that must never reach the ZIP: a path that climbs out, and personal words
    evil = tmp_path / "..刘洋的 订单 ;rm -rf"
    evil.mkdir()
    (evil / "订单截图.PNG").write_bytes(b"\x89PNG order")
    (tmp_path / "chat.mp4").write_bytes(b"recording" * 50)
    assert run("evidence", "add", tmp_path / "case.yaml", evil / "订单截图.PNG", "--as", "order_record").exit_code == 0
    assert run("evidence", "add", tmp_path / "case.yaml", tmp_path / "chat.mp4", "--as", "chat_log").exit_code == 0
    return tmp_path


def test_the_bundle_holds_letter_index_copies_and_a_matching_manifest(folder: Path) -> None:
    target = folder / "材料.zip"
    result = run("bundle", folder / "case.yaml", "--to", "court", "-o", target)
    assert result.exit_code == 0, result.stderr
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    with zipfile.ZipFile(target) as zf:
        names = zf.namelist()
        assert names[:3] == ["民事起诉状.docx", "民事起诉状.pdf", "证据目录.pdf"]
        assert names[-1] == "manifest.json"
        manifest = json.loads(zf.read("manifest.json"))
        listed = {f["name"]: f for f in manifest["files"]}
        assert set(listed) == set(names) - {"manifest.json"}
        for name in listed:  # every entry's hash and size match the manifest
            raw = zf.read(name)
            assert listed[name] == {"name": name, "sha256": hashlib.sha256(raw).hexdigest(), "size": len(raw)}
        # the recorded files, byte for byte, named by their number in the index
        copies = sorted(n for n in names if n.startswith("证据/"))
        assert copies == ["证据/1-1.png", "证据/3-1.mp4"]
        assert zf.read("证据/1-1.png") == b"\x89PNG order"
        # safe names: nothing from the case (the folder name, the buyer) in any entry name, no climbing out
        for name in names:
            assert ".." not in name and not name.startswith("/") and "刘洋" not in name and "rm" not in name
        assert zf.read("民事起诉状.docx")[:2] == b"PK" and zf.read("民事起诉状.pdf").startswith(b"%PDF-")
        index = zf.read("证据目录.pdf")
    pdf = folder / "index.pdf"
    pdf.write_bytes(index)
    text = pdf_text(pdf).replace(" ", "").replace("\n", "")
    assert "证据目录" in text and "1-1" in text and "订单详情截图" in text
    assert manifest["recipient"] == "court"


def test_a_file_changed_since_it_was_recorded_stops_the_bundle(folder: Path) -> None:
    (folder / "chat.mp4").write_bytes(b"edited")
    target = folder / "材料.zip"
    result = run("bundle", folder / "case.yaml", "--to", "court", "-o", target)
    assert result.exit_code == 2
    assert "chat.mp4" in result.stderr and "已改动" in result.stderr
    assert not target.exists()


@pytest.mark.usefixtures("english")
def test_bad_usage_is_exit_2(folder: Path) -> None:
    case = folder / "case.yaml"
    assert "must be a .zip" in run("bundle", case, "--to", "court", "-o", folder / "x.pdf").stderr
    assert "--to 'judge'" in run("bundle", case, "--to", "judge", "-o", folder / "x.zip").stderr
    (folder / "x.zip").write_bytes(b"keep")
    kept = run("bundle", case, "--to", "court", "-o", folder / "x.zip")
    assert kept.exit_code == 2 and "--force" in kept.stderr
    assert (folder / "x.zip").read_bytes() == b"keep"
    forced = run("bundle", case, "--to", "court", "-o", folder / "x.zip", "--force")
    assert forced.exit_code == 0 and zipfile.is_zipfile(io.BytesIO((folder / "x.zip").read_bytes()))


def test_a_case_without_recorded_files_still_bundles_the_letter(tmp_path: Path) -> None:
    shutil.copy(LAPTOP, tmp_path / "case.yaml")
    result = run("bundle", tmp_path / "case.yaml", "--to", "regulator", "-o", tmp_path / "b.zip")
    assert result.exit_code == 0, result.stderr
    with zipfile.ZipFile(tmp_path / "b.zip") as zf:
        assert sorted(zf.namelist()) == sorted(["投诉书.docx", "投诉书.pdf", "证据目录.pdf", "manifest.json"])
