"""Safe output for any command that writes a file (letters, checklists, exports).

* ``-`` (or no file for text) writes to standard output.
* A file is written atomically: where no one sees it (an unnamed file in the target's folder, ``O_TMPFILE``, or
  else a temporary file there), fsync'ed, then given its name: linked (a new file) or renamed over the target
  (``force``). A reader never sees half a file, and a failed write leaves the old file as it was.
* An existing file is never touched without ``force``: without it the new file is linked into place with
  :func:`os.link`, which fails if the name exists (no window between the check and the write). Where hard links are
  not supported the check is made just before the rename.
* New files get mode 0600 (the letter holds the buyer's name, phone and address), also when ``force`` replaces a file
  that had other permissions.
* Binary output (DOCX) is refused on a terminal.

Durability. A single file (:func:`write_file`, every ``-o FILE``) is fsync'ed before it is put in place and its folder
after, before the command reports it written. ``rights batch`` writes its letters as a :class:`FileBatch` of a chunk
of cases: each letter goes to its unseen file as soon as it is rendered; at the end of the chunk all of them are
fsync'ed together (each in a thread of its own, so that the disk writes them in one go), each is put in place only
after its own fsync (so a name never shows a letter whose data is not on disk, also after a power cut), and each folder
is fsync'ed once. The batch reports a letter ``written`` only after that, so every letter it reports is durable. A
crash loses at most the chunks in progress (one per worker): their letters were not reported and are not in place, so
a later run writes them. An unnamed file disappears with the process that wrote it, whatever ends it; only a temporary
name (a file system without unnamed files, or ``force``) can be left behind by SIGKILL. Atomicity, mode 0600 and
never overwriting without ``force`` are as for a single file.

Every problem is an :class:`~rightscli.errors.OutputError` (exit 2) naming the file.
"""

from __future__ import annotations

import contextlib
import errno
import os
import stat
import sys
import tempfile
from pathlib import Path
from typing import Any, BinaryIO

from rightscli.errors import OutputError, os_reason
from rightscli.i18n import tr

STDOUT = "-"
MODE = 0o600


def check_destination(dest: str | None, *, binary: bool, force: bool) -> None:
    """Fail early (before any work) when the output cannot be written."""
    if dest is None or dest == STDOUT:
        if binary and (dest is None or _is_tty(sys.stdout)):
            raise OutputError(tr("output.binary_to_terminal"))
        return
    path = Path(dest)
    folder = path.parent
    try:
        if not folder.exists():
            raise OutputError(tr("output.no_folder", folder=folder), file=dest)
        if not folder.is_dir():
            raise OutputError(tr("output.not_folder", folder=folder), file=dest)
        if path.is_dir():
            raise OutputError(tr("output.is_folder"), file=dest)
        check_replaceable(path, dest)
        if (path.exists() or path.is_symlink()) and not force:
            raise OutputError(tr("output.exists"), file=dest)
    except OSError as exc:  # a name too long for the file system, a folder that cannot be searched …
        raise _os_problem(exc, dest) from None


def check_replaceable(path: Path, dest: str) -> None:
    """Only a regular file, or a link to one, is ever replaced: never a device, pipe or socket (the rename would
    replace /dev/null itself), nor a link to one, to a folder or to nothing (/dev/stdout is a link to
    /proc/self/fd/1)."""
    try:
        st = os.lstat(path)
    except FileNotFoundError:
        return
    if stat.S_ISLNK(st.st_mode):
        try:
            regular = stat.S_ISREG(os.stat(path).st_mode)
        except FileNotFoundError:
            regular = False
        if not regular:
            raise OutputError(tr("output.link_not_a_file"), file=dest)
    elif not stat.S_ISREG(st.st_mode):
        raise OutputError(tr("output.not_a_file"), file=dest)


def _os_problem(exc: OSError, dest: str) -> OutputError:
    if exc.errno == errno.ENAMETOOLONG:
        return OutputError(tr("output.name_too_long"), file=dest)
    return OutputError(tr("output.cannot_write_here", reason=os_reason(exc)), file=dest)


def write_output(data: str | bytes, dest: str | None, *, force: bool = False) -> None:
    """Write text (UTF-8) or bytes to ``dest`` (a path, ``-`` or None for standard output)."""
    binary = isinstance(data, bytes)
    check_destination(dest, binary=binary, force=force)
    raw = data if isinstance(data, bytes) else data.encode("utf-8")
    if dest is None or dest == STDOUT:
        _write_stdout(raw, binary)
        return
    write_file(Path(dest), raw, force=force)


def write_private(path: Path, text: str, *, overwrite: bool) -> None:
    """Write ``text`` to ``path`` atomically with mode 0600; refuse an existing file unless ``overwrite``.

    The shared writer does the work (temporary file, fsync, link or rename): a saved case, the buyer's profile.
    """
    check_destination(str(path), binary=False, force=overwrite)
    write_file(path, text.encode("utf-8"), force=overwrite)


def write_file(path: Path, raw: bytes, *, force: bool) -> None:
    """Write one file atomically and durably (see the module's description); raises :class:`OutputError`."""
    with FileBatch() as files:
        files.add(path, raw, force=force)
        ((_, error),) = files.commit()
    if error is not None:
        raise error


class _Staged:
    """A file written where no one sees it yet, open, waiting to be made durable and put in place: an unnamed file
    (``O_TMPFILE``, ``tmp`` None) or a temporary name next to the target."""

    __slots__ = ("fd", "force", "path", "raw", "tmp")

    def __init__(self, path: Path, tmp: Path | None, fd: int, force: bool, raw: bytes) -> None:
        self.path = path
        self.tmp = tmp
        self.fd: int | None = fd
        self.force = force
        self.raw = raw  # kept until the file is in place: written again under a name if it cannot be linked

    def close(self) -> None:
        fd, self.fd = self.fd, None
        if fd is not None:
            with contextlib.suppress(OSError):
                os.close(fd)

    def discard(self) -> None:
        """Close the file and remove the temporary name (nothing is left when it was not put in place; an unnamed
        file disappears with its last descriptor)."""
        try:
            self.close()
        finally:
            if self.tmp is not None:
                with contextlib.suppress(FileNotFoundError):
                    self.tmp.unlink()


class FileBatch:
    """Files written together (``rights batch``): :meth:`add` writes each where no one sees it (an unnamed file in
    the target's folder, ``O_TMPFILE``; else a temporary file next to it); :meth:`commit` makes them all durable and
    puts them in place; leaving the ``with`` block drops any not committed. Durable at commit, not at add: report a
    file written only after :meth:`commit`.

    A new file (no ``force``) is created unnamed and linked to its name after its fsync (``linkat``): one directory
    entry per file instead of a temporary name created, linked and removed, and nothing to clean up after a crash.
    Where the file system has no unnamed files, or ``/proc`` is not there to link one, a temporary name is used.
    """

    def __init__(self) -> None:
        self._staged: list[_Staged] = []

    def __enter__(self) -> FileBatch:
        return self

    def __exit__(self, *exc: object) -> None:
        self.discard()

    def add(self, path: Path, raw: bytes, *, force: bool) -> None:
        """Write ``raw`` to a new unseen file (mode 0600) in ``path``'s folder. On an error nothing is left."""
        folder = path.parent
        tmp: Path | None = None
        try:
            fd = _unnamed(folder) if not force else None
            if fd is None:
                fd, tmp_name = tempfile.mkstemp(dir=folder, prefix=f".{path.name[:60]}.", suffix=".tmp")
                tmp = Path(tmp_name)
        except PermissionError:
            raise OutputError(tr("output.permission", folder=folder), file=str(path)) from None
        except OSError as exc:
            raise _os_problem(exc, str(path)) from None
        staged = _Staged(path, tmp, fd, force, raw)
        try:
            os.fchmod(fd, MODE)
            _write_all(fd, raw)
        except BaseException as exc:
            staged.discard()
            if isinstance(exc, OSError):
                raise OutputError(tr("output.cannot_write", reason=os_reason(exc)), file=str(path)) from None
            raise
        self._staged.append(staged)

    def commit(self) -> list[tuple[Path, OutputError | None]]:
        """Make each file durable, then put it in place; then fsync each folder once. Returns each target, in the
        order added, with None (in place and durable) or the error that kept it out (nothing is left of it then)."""
        staged, self._staged = self._staged, []
        results: list[tuple[Path, OutputError | None]] = []
        folders = _Folders()
        try:
            synced = _fsync_all([s.fd for s in staged])
            results = [(s.path, _put_in_place(s, error, folders)) for s, error in zip(staged, synced, strict=True)]
            for folder in dict.fromkeys(path.parent for path, error in results if error is None):
                folders.fsync(folder)
        finally:
            for s in staged:
                s.discard()
            folders.close()
        return results

    def discard(self) -> None:
        """Drop the files not committed: their temporary files are removed."""
        staged, self._staged = self._staged, []
        for s in staged:
            s.discard()


# O_TMPFILE: Linux 3.11 and later, on most local file systems (ext4, xfs, btrfs, tmpfs); None elsewhere.
O_TMPFILE: int | None = getattr(os, "O_TMPFILE", None)
_PROC_FD = "/proc/self/fd"
_NO_UNNAMED: set[str] = set()  # folders whose file system refused an unnamed file, for this process
# What open(O_TMPFILE) answers where the file system (or the kernel) has no unnamed files.
_UNSUPPORTED = frozenset({errno.EOPNOTSUPP, errno.EISDIR, errno.EINVAL, errno.ENOENT})


def _unnamed(folder: Path) -> int | None:
    """An unnamed file (mode 0600) in ``folder``, or None where there are none (then a temporary name is used)."""
    if O_TMPFILE is None or _unnamed_off() or str(folder) in _NO_UNNAMED:
        return None
    try:
        return os.open(folder, O_TMPFILE | os.O_WRONLY | os.O_CLOEXEC, MODE)
    except OSError as exc:
        if exc.errno not in _UNSUPPORTED or not os.path.isdir(folder):
            raise  # a real problem (permission, read-only, full, no folder): the same answer as for a named file
        _NO_UNNAMED.add(str(folder))
        return None


_PROC: list[bool] = []  # whether /proc/self/fd is there to link an unnamed file by (checked once a process)


def _unnamed_off() -> bool:
    if not _PROC:
        _PROC.append(os.path.isdir(_PROC_FD))
    return not _PROC[0]


def _write_all(fd: int, raw: bytes) -> None:
    view = memoryview(raw)
    while view:
        view = view[os.write(fd, view) :]


def _fsync_all(fds: list[int | None]) -> list[OSError | None]:
    """fsync each open file; what each raised, in order. Several files are fsync'ed at once, in :data:`SYNC_THREADS`
    threads: the disk then writes them together, where one after the other each waits for the last (1,000 letters:
    1.3-3.5 s one by one, 0.07-0.2 s sixteen at a time, on this project's test machine, benchmarks/batch.py). Each
    thread takes a run of files (two of a chunk's sixteen), not one: every hand-over to a thread costs ~16 us of CPU
    (waking it, waiting for it), which two workers on two cores pay out of their own time (benchmarks' 1,000 cases,
    interleaved, n=12: -j 2 555 -> 535 ms, CPU of all processes -15..-23 ms; -j 1 within noise; four threads of
    four files save as much CPU but the disk writes fewer at once: -j 2 552 ms)."""

    def one(fd: int | None) -> OSError | None:
        if fd is None:
            return None
        try:
            os.fsync(fd)
        except OSError as exc:
            return exc
        return None

    def some(part: list[int | None]) -> list[OSError | None]:
        return [one(fd) for fd in part]

    if len(fds) < 2:
        return some(fds)
    per = -(-len(fds) // SYNC_THREADS)
    return [
        error for part in _sync_pool().map(some, [fds[i : i + per] for i in range(0, len(fds), per)]) for error in part
    ]


_POOL: tuple[int, Any] | None = None  # (the process that made it, the thread pool): a forked worker makes its own
SYNC_THREADS = 8  # threads that fsync a batch chunk's letters, each a run of them


def _sync_pool() -> Any:
    global _POOL
    if _POOL is None or _POOL[0] != os.getpid():
        from concurrent.futures import ThreadPoolExecutor

        _POOL = (os.getpid(), ThreadPoolExecutor(SYNC_THREADS, thread_name_prefix="rights-fsync"))
    return _POOL[1]


class _Folders:
    """The folders a commit puts files in, each opened once: to link unnamed files into, then to fsync."""

    def __init__(self) -> None:
        self._fds: dict[Path, int] = {}

    def fd(self, folder: Path) -> int:
        fd = self._fds.get(folder)
        if fd is None:
            fd = self._fds[folder] = os.open(folder, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
        return fd

    def fsync(self, folder: Path) -> None:
        with contextlib.suppress(OSError):  # some file systems cannot fsync a folder: the files are durable already
            os.fsync(self.fd(folder))

    def close(self) -> None:
        fds, self._fds = self._fds, {}
        for fd in fds.values():
            with contextlib.suppress(OSError):
                os.close(fd)


def _put_in_place(s: _Staged, synced: OSError | None, folders: _Folders) -> OutputError | None:
    """Put a file in place after its fsync (``synced``: the error that fsync raised, or None)."""
    if s.fd is None:
        return OutputError(tr("output.cannot_write", reason=tr("output.not_written")), file=str(s.path))
    try:
        if synced is not None:
            raise synced
        if s.tmp is None:
            _link_unnamed(s, folders.fd(s.path.parent))
        elif s.force:
            s.close()
            check_replaceable(s.path, str(s.path))  # once more just before: it may have changed since the first check
            os.replace(s.tmp, s.path)
        else:
            s.close()
            _place_new(s.tmp, s.path)
    except OutputError as exc:
        return exc
    except OSError as exc:
        return OutputError(tr("output.cannot_write", reason=os_reason(exc)), file=str(s.path))
    return None


# What linkat answers where a file system has no hard links: the file is then written again under a temporary name.
_NO_LINKS = frozenset({errno.EPERM, errno.EOPNOTSUPP, errno.EMLINK})


def _link_unnamed(s: _Staged, folder: int) -> None:
    """Give an unnamed file its name in ``folder`` (a descriptor of its folder), only if the name is free: linkat
    fails on an existing name, so there is no window between a check and the link. (A folder descriptor also makes
    os.link call linkat, which follows the /proc link to the file, where link() would not.)"""
    try:
        os.link(f"{_PROC_FD}/{s.fd}", s.path.name, dst_dir_fd=folder, follow_symlinks=True)
    except FileExistsError:
        raise OutputError(tr("output.exists"), file=str(s.path)) from None
    except OSError as exc:
        if exc.errno not in _NO_LINKS:
            raise
        _NO_UNNAMED.add(str(s.path.parent))
        s.close()
        with FileBatch() as again:  # the same file under a temporary name: written, fsync'ed, then put in place
            again.add(s.path, s.raw, force=False)
            ((_, error),) = again.commit()
        if error is not None:
            raise error from None
    finally:
        s.close()


def _place_new(tmp: Path, path: Path) -> None:
    """Move ``tmp`` to ``path`` only if ``path`` does not exist."""
    try:
        os.link(tmp, path)
    except FileExistsError:
        raise OutputError(tr("output.exists"), file=str(path)) from None
    except OSError:  # no hard links on this file system: check, then rename
        if path.exists() or path.is_symlink():
            raise OutputError(tr("output.exists"), file=str(path)) from None
        os.replace(tmp, path)


def _write_stdout(raw: bytes, binary: bool) -> None:
    stream: BinaryIO | None = getattr(sys.stdout, "buffer", None)
    if stream is not None:
        sys.stdout.flush()
        stream.write(raw)
        stream.flush()
        return
    if binary:
        raise OutputError(tr("output.binary_stdout"))
    sys.stdout.write(raw.decode("utf-8"))
    sys.stdout.flush()


def _is_tty(stream: object) -> bool:
    isatty = getattr(stream, "isatty", None)
    try:
        return bool(isatty and isatty())
    except (OSError, ValueError):
        return False
