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

# These tests check the wording of English messages (the default interface is Chinese).
pytestmark = pytest.mark.usefixtures("english")


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


# -- FileBatch: the letters of a batch chunk, made durable and put in place together ------------------------------


class Recorder:
    """Stands in for ``os`` in rightscli.output: records the calls that make files durable and put them in place."""

    def __init__(self, calls: list[tuple[str, str]], fail_fsync_of: str | None = None) -> None:
        self._calls = calls
        self._fail = fail_fsync_of

    def __getattr__(self, name: str) -> object:
        return getattr(os, name)

    def fsync(self, fd: int) -> None:
        target = os.readlink(f"/proc/self/fd/{fd}")  # the file's or the folder's path
        self._calls.append(("fsync", Path(target).name))
        if self._fail and self._fail in target:
            raise OSError(5, "Input/output error")
        os.fsync(fd)

    def link(self, src: object, dst: object) -> None:
        self._calls.append(("link", Path(str(dst)).name))
        os.link(src, dst)  # type: ignore[arg-type]

    def replace(self, src: object, dst: object) -> None:
        self._calls.append(("replace", Path(str(dst)).name))
        os.replace(src, dst)  # type: ignore[arg-type]


def test_a_file_batch_puts_files_in_place_only_when_committed(tmp_path: Path) -> None:
    from rightscli.output import FileBatch

    targets = [tmp_path / f"{i}.md" for i in range(3)]
    with FileBatch() as files:
        for i, target in enumerate(targets):
            files.add(target, f"letter {i}".encode(), force=False)
        assert not any(t.exists() for t in targets)  # written, not yet durable: not in place
        assert len(list(tmp_path.iterdir())) == 3  # the temporary files
        results = files.commit()
    assert results == [(t, None) for t in targets]
    assert [t.read_text(encoding="utf-8") for t in targets] == ["letter 0", "letter 1", "letter 2"]
    assert all(mode(t) == 0o600 for t in targets)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["0.md", "1.md", "2.md"]


def test_a_file_batch_not_committed_leaves_nothing(tmp_path: Path) -> None:
    from rightscli.output import FileBatch

    with pytest.raises(KeyboardInterrupt), FileBatch() as files:
        files.add(tmp_path / "a.md", b"a", force=False)
        raise KeyboardInterrupt
    assert list(tmp_path.iterdir()) == []


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc/self/fd")
def test_each_file_is_fsynced_before_it_gets_its_name_and_the_folder_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from rightscli import output

    calls: list[tuple[str, str]] = []
    monkeypatch.setattr(output, "os", Recorder(calls))
    with output.FileBatch() as files:
        for name in ("a.md", "b.md"):
            files.add(tmp_path / name, b"x", force=False)
        files.add(tmp_path / "c.md", b"x", force=True)
        files.commit()
    for name in ("a.md", "b.md", "c.md"):
        placed = next(i for i, call in enumerate(calls) if call[0] in ("link", "replace") and call[1] == name)
        synced = next(i for i, call in enumerate(calls) if call[0] == "fsync" and call[1].startswith(f".{name}."))
        assert synced < placed, calls
    assert calls.count(("fsync", tmp_path.name)) == 1, calls  # the folder, once for the three files


def test_the_files_of_a_batch_are_fsynced_at_once_each_before_its_link(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The disk writes files fsync'ed together in one go (benchmarks/batch.py): four fsyncs must be waiting at the
    same time for any of them to finish, and no file is linked before all of them are done."""
    import threading

    from rightscli import output

    barrier = threading.Barrier(4, timeout=10)
    linked: list[str] = []

    class Os(Recorder):
        def fsync(self, fd: int) -> None:
            if not os.path.isdir(f"/proc/self/fd/{fd}"):
                barrier.wait()  # BrokenBarrierError after 10 s when the fsyncs run one after the other
            os.fsync(fd)

        def link(self, src: object, dst: object) -> None:
            assert barrier.n_waiting == 0
            linked.append(Path(str(dst)).name)
            os.link(src, dst)  # type: ignore[arg-type]

    monkeypatch.setattr(output, "os", Os([]))
    with output.FileBatch() as files:
        for n in range(4):
            files.add(tmp_path / f"{n}.md", b"x", force=False)
        assert all(error is None for _, error in files.commit())
    assert linked == ["0.md", "1.md", "2.md", "3.md"]  # put in place in the order added


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc/self/fd")
def test_a_file_that_cannot_be_made_durable_is_not_put_in_place(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from rightscli import output

    monkeypatch.setattr(output, "os", Recorder([], fail_fsync_of=".b.md."))
    (tmp_path / "c.md").write_text("old", encoding="utf-8")
    with output.FileBatch() as files:
        for name in ("a.md", "b.md", "c.md"):
            files.add(tmp_path / name, b"new", force=False)
        results = dict(files.commit())
    assert results[tmp_path / "a.md"] is None
    assert "Input/output error" in str(results[tmp_path / "b.md"])
    assert "already exists" in str(results[tmp_path / "c.md"])
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.md", "c.md"]  # no temporary file, no b.md
    assert (tmp_path / "c.md").read_text(encoding="utf-8") == "old"
