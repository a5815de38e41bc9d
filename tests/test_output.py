"""rightscli.output: atomic writes, no overwrite without --force, mode 0600, stdout, binary refused on a terminal."""

from __future__ import annotations

import io
import os
import stat
import sys
from pathlib import Path

import pytest

from rightscli.errors import OutputError
from rightscli.output import check_destination, write_output


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_new_file_is_written_with_mode_0600(tmp_path: Path) -> None:
    target = tmp_path / "letter.md"
    write_output("催告函\n", str(target))
    assert target.read_text(encoding="utf-8") == "催告函\n"
    assert mode(target) == 0o600


def test_mode_0600_even_with_a_permissive_umask(tmp_path: Path) -> None:
    old = os.umask(0)
    try:
        write_output(b"x", str(tmp_path / "a.docx"))
    finally:
        os.umask(old)
    assert mode(tmp_path / "a.docx") == 0o600


def test_existing_file_is_not_touched_without_force(tmp_path: Path) -> None:
    target = tmp_path / "letter.md"
    target.write_text("old", encoding="utf-8")
    target.chmod(0o644)
    with pytest.raises(OutputError) as err:
        write_output("new", str(target))
    assert "--force" in str(err.value)
    assert str(target) in str(err.value)
    assert err.value.exit_code == 2
    assert target.read_text(encoding="utf-8") == "old"
    assert mode(target) == 0o644
    assert [p.name for p in tmp_path.iterdir()] == ["letter.md"]  # no temporary file left behind


def test_force_replaces_and_sets_0600(tmp_path: Path) -> None:
    target = tmp_path / "letter.md"
    target.write_text("old", encoding="utf-8")
    target.chmod(0o644)
    write_output("new", str(target), force=True)
    assert target.read_text(encoding="utf-8") == "new"
    assert mode(target) == 0o600
    assert [p.name for p in tmp_path.iterdir()] == ["letter.md"]


def test_a_symlink_counts_as_existing(tmp_path: Path) -> None:
    outside = tmp_path / "outside.txt"
    outside.write_text("keep", encoding="utf-8")
    link = tmp_path / "link.md"
    link.symlink_to(outside)
    with pytest.raises(OutputError):
        write_output("new", str(link))
    assert outside.read_text(encoding="utf-8") == "keep"


def test_missing_folder_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(OutputError) as err:
        write_output("x", str(tmp_path / "no" / "such" / "letter.md"))
    assert "does not exist" in str(err.value)


def test_a_folder_is_not_a_file(tmp_path: Path) -> None:
    with pytest.raises(OutputError) as err:
        write_output("x", str(tmp_path))
    assert "folder" in str(err.value)


@pytest.mark.skipif(os.geteuid() == 0, reason="root ignores folder permissions")
def test_read_only_folder(tmp_path: Path) -> None:
    folder = tmp_path / "ro"
    folder.mkdir()
    folder.chmod(0o500)
    try:
        with pytest.raises(OutputError) as err:
            write_output("x", str(folder / "a.md"))
        assert "permission" in str(err.value)
    finally:
        folder.chmod(0o700)


class FakeStdout(io.TextIOWrapper):
    def __init__(self, tty: bool) -> None:
        super().__init__(io.BytesIO(), encoding="utf-8")
        self._tty = tty

    def isatty(self) -> bool:
        return self._tty


def test_dash_writes_to_stdout(monkeypatch: pytest.MonkeyPatch) -> None:
    fake = FakeStdout(tty=False)
    monkeypatch.setattr(sys, "stdout", fake)
    write_output("你好\n", "-")
    write_output(b"PK\x03\x04", "-")
    assert fake.buffer.getvalue() == "你好\n".encode() + b"PK\x03\x04"  # type: ignore[attr-defined]


def test_no_file_means_stdout_for_text(monkeypatch: pytest.MonkeyPatch) -> None:
    fake = FakeStdout(tty=True)
    monkeypatch.setattr(sys, "stdout", fake)
    write_output("text\n", None)
    assert fake.buffer.getvalue() == b"text\n"  # type: ignore[attr-defined]


def test_binary_is_refused_without_a_file_or_on_a_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    with pytest.raises(OutputError) as err:
        check_destination(None, binary=True, force=False)
    assert "-o" in str(err.value)
    monkeypatch.setattr(sys, "stdout", FakeStdout(tty=True))
    with pytest.raises(OutputError):
        check_destination("-", binary=True, force=False)
