"""rightscli.output: atomic writes, no overwrite without --force, mode 0600, stdout, binary refused on a terminal."""

from __future__ import annotations

import errno
import io
import os
import stat
import sys
from pathlib import Path
from typing import Any

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
    """Stands in for ``os`` in rightscli.output: records the calls that make files durable and put them in place, each
    file by its inode (an unnamed file has no name until it is linked), each folder by its name."""

    def __init__(self, calls: list[tuple[str, object]], fail_fsync_of_size: int | None = None) -> None:
        self._calls = calls
        self._fail = fail_fsync_of_size

    def __getattr__(self, name: str) -> object:
        return getattr(os, name)

    def fsync(self, fd: int) -> None:
        st = os.fstat(fd)
        if stat.S_ISDIR(st.st_mode):
            self._calls.append(("fsync", Path(os.readlink(f"/proc/self/fd/{fd}")).name))
        else:
            self._calls.append(("fsync", st.st_ino))
            if self._fail is not None and st.st_size == self._fail:
                raise OSError(5, "Input/output error")
        os.fsync(fd)

    def link(self, src: object, dst: object, **kwargs: Any) -> None:
        self._calls.append(("link", os.stat(src).st_ino))  # type: ignore[arg-type]
        os.link(src, dst, **kwargs)  # type: ignore[arg-type]

    def replace(self, src: object, dst: object) -> None:
        self._calls.append(("replace", os.stat(src).st_ino))  # type: ignore[arg-type]
        os.replace(src, dst)  # type: ignore[arg-type]


@pytest.fixture(params=["unnamed", "named"])
def temporary(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """Both ways a file waits for its commit: unnamed (O_TMPFILE, where the file system has it) and under a
    temporary name (elsewhere, and for a file that replaces another)."""
    from rightscli import output

    if request.param == "named":
        monkeypatch.setattr(output, "O_TMPFILE", None)
    elif output.O_TMPFILE is None:
        pytest.skip("no unnamed files on this system")
    return str(request.param)


def test_a_file_batch_puts_files_in_place_only_when_committed(tmp_path: Path, temporary: str) -> None:
    from rightscli.output import FileBatch

    targets = [tmp_path / f"{i}.md" for i in range(3)]
    with FileBatch() as files:
        for i, target in enumerate(targets):
            files.add(target, f"letter {i}".encode(), force=False)
        assert not any(t.exists() for t in targets)  # written, not yet durable: not in place
        waiting = sorted(p.name for p in tmp_path.iterdir())
        if temporary == "unnamed":
            assert waiting == []  # nothing to see, and nothing to clean up after a crash
        else:
            assert [name.split(".")[1] for name in waiting] == ["0", "1", "2"] and all(n[0] == "." for n in waiting)
        results = files.commit()
    assert results == [(t, None) for t in targets]
    assert [t.read_text(encoding="utf-8") for t in targets] == ["letter 0", "letter 1", "letter 2"]
    assert all(mode(t) == 0o600 for t in targets)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["0.md", "1.md", "2.md"]


def test_a_file_batch_not_committed_leaves_nothing(tmp_path: Path, temporary: str) -> None:
    from rightscli.output import FileBatch

    with pytest.raises(KeyboardInterrupt), FileBatch() as files:
        files.add(tmp_path / "a.md", b"a", force=False)
        files.add(tmp_path / "b.md", b"b", force=True)
        raise KeyboardInterrupt
    assert list(tmp_path.iterdir()) == []


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc/self/fd")
def test_each_file_is_fsynced_before_it_gets_its_name_and_the_folder_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, temporary: str
) -> None:
    from rightscli import output

    calls: list[tuple[str, object]] = []
    monkeypatch.setattr(output, "os", Recorder(calls))
    with output.FileBatch() as files:
        for name in ("a.md", "b.md"):
            files.add(tmp_path / name, b"x", force=False)
        files.add(tmp_path / "c.md", b"x", force=True)
        files.commit()
    for name in ("a.md", "b.md", "c.md"):
        inode = (tmp_path / name).stat().st_ino
        placed = calls.index(("link" if name != "c.md" else "replace", inode))
        synced = calls.index(("fsync", inode))
        assert synced < placed, calls
        assert calls.index(("fsync", tmp_path.name)) > placed  # the folder after the names are in it
    assert calls.count(("fsync", tmp_path.name)) == 1, calls  # the folder, once for the three files


def test_the_files_of_a_batch_are_fsynced_at_once_each_before_its_link(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, temporary: str
) -> None:
    """The disk writes files fsync'ed together in one go (benchmarks/batch.py): four fsyncs must be waiting at the
    same time for any of them to finish, and no file is linked before all of them are done."""
    import threading

    from rightscli import output

    barrier = threading.Barrier(4, timeout=10)
    linked: list[int] = []

    class Os(Recorder):
        def fsync(self, fd: int) -> None:
            if not stat.S_ISDIR(os.fstat(fd).st_mode):
                barrier.wait()  # BrokenBarrierError after 10 s when the fsyncs run one after the other
            os.fsync(fd)

        def link(self, src: object, dst: object, **kwargs: Any) -> None:
            assert barrier.n_waiting == 0
            linked.append(os.stat(src).st_size)  # type: ignore[arg-type]
            os.link(src, dst, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(output, "os", Os([]))
    with output.FileBatch() as files:
        for n in range(4):
            files.add(tmp_path / f"{n}.md", b"x" * (n + 1), force=False)
        assert all(error is None for _, error in files.commit())
    assert linked == [1, 2, 3, 4]  # put in place in the order added


def test_a_chunk_of_files_is_fsynced_by_threads_that_take_a_run_each(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A batch chunk's sixteen letters: SYNC_THREADS fsyncs wait at the same time (each thread takes a run of files,
    not one), and a file whose fsync failed is reported at its own place, not put in place; the others are."""
    import threading

    from rightscli import output

    barrier = threading.Barrier(output.SYNC_THREADS, timeout=10)
    by_thread: dict[int, list[int]] = {}

    class Os(Recorder):
        def fsync(self, fd: int) -> None:
            st = os.fstat(fd)
            if not stat.S_ISDIR(st.st_mode):
                by_thread.setdefault(threading.get_ident(), []).append(st.st_size)
                barrier.wait()  # BrokenBarrierError after 10 s when fewer fsyncs than threads wait at once
                if st.st_size == 7:
                    raise OSError(5, "Input/output error")
            os.fsync(fd)

    monkeypatch.setattr(output, "os", Os([]))
    targets = [tmp_path / f"{n}.md" for n in range(1, 17)]
    with output.FileBatch() as files:
        for n, target in enumerate(targets, 1):
            files.add(target, b"x" * n, force=False)
        results = files.commit()
    assert [path for path, _ in results] == targets
    runs = sorted(by_thread.values())
    assert runs == [[n, n + 1] for n in range(1, 17, 2)], runs  # each thread a run of two, one after the other
    assert [n for n, (_, error) in enumerate(results, 1) if error is not None] == [7]
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(t.name for t in targets if t.name != "7.md")


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc/self/fd")
def test_a_file_that_cannot_be_made_durable_is_not_put_in_place(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, temporary: str
) -> None:
    from rightscli import output

    monkeypatch.setattr(output, "os", Recorder([], fail_fsync_of_size=2))  # b.md's
    (tmp_path / "c.md").write_text("old", encoding="utf-8")
    with output.FileBatch() as files:
        for size, name in enumerate(("a.md", "b.md", "c.md"), start=1):
            files.add(tmp_path / name, b"n" * size, force=False)
        results = dict(files.commit())
    assert results[tmp_path / "a.md"] is None
    assert "Input/output error" in str(results[tmp_path / "b.md"])
    assert "already exists" in str(results[tmp_path / "c.md"])
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.md", "c.md"]  # no temporary file, no b.md
    assert (tmp_path / "c.md").read_text(encoding="utf-8") == "old"


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="O_TMPFILE")
@pytest.mark.parametrize("code", [errno.EOPNOTSUPP, errno.EISDIR])
def test_a_file_system_without_unnamed_files_gets_temporary_names(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, code: int
) -> None:
    """Where open(O_TMPFILE) is refused as unsupported (EISDIR: kernels before 3.11), the file is written under a
    temporary name instead, and the folder is not asked again in this process."""
    from rightscli import output

    asked: list[str] = []

    class Os(Recorder):
        def open(self, path: object, flags: int, *args: Any, **kwargs: Any) -> int:
            if output.O_TMPFILE is not None and flags & output.O_TMPFILE == output.O_TMPFILE:
                asked.append(str(path))
                raise OSError(code, os.strerror(code))
            return os.open(path, flags, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(output, "os", Os([]))
    monkeypatch.setattr(output, "_NO_UNNAMED", set())
    with output.FileBatch() as files:
        for name in ("a.md", "b.md"):
            files.add(tmp_path / name, b"x", force=False)
        assert sorted(p.name[:3] for p in tmp_path.iterdir()) == [".a.", ".b."]  # temporary names
        assert all(error is None for _, error in files.commit())
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.md", "b.md"]
    assert asked == [str(tmp_path)]


def test_a_real_problem_opening_an_unnamed_file_is_reported_not_hidden(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from rightscli import output

    class Os(Recorder):
        def open(self, path: object, flags: int, *args: Any, **kwargs: Any) -> int:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(output, "os", Os([]))
    with pytest.raises(OutputError, match="No space left"), output.FileBatch() as files:
        files.add(tmp_path / "a.md", b"x", force=False)
    assert list(tmp_path.iterdir()) == []


def test_without_proc_a_new_file_gets_a_temporary_name(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """An unnamed file is linked through /proc/self/fd: where that is missing (some chroots), a temporary name."""
    from rightscli import output

    monkeypatch.setattr(output, "_PROC_FD", str(tmp_path / "no-proc"))
    monkeypatch.setattr(output, "_PROC", [])
    target = tmp_path / "out" / "a.md"
    target.parent.mkdir()
    write_output("text", str(target))
    assert target.read_text(encoding="utf-8") == "text" and mode(target) == 0o600
    assert output._PROC == [False]
