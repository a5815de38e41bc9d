"""Safe output for any command that writes a file (letters, checklists, exports).

* ``-`` (or no file for text) writes to standard output.
* A file is written atomically: a temporary file in the same folder, flushed and fsync'ed, then renamed over the
  target. A reader never sees half a file, and a failed write leaves the old file as it was.
* An existing file is never touched without ``force``: without it the new file is linked into place with
  :func:`os.link`, which fails if the name exists (no window between the check and the write). Where hard links are
  not supported the check is made just before the rename.
* New files get mode 0600 (the letter holds the buyer's name, phone and address), also when ``force`` replaces a file
  that had other permissions.
* Binary output (DOCX) is refused on a terminal.

Every problem is an :class:`~rightscli.errors.OutputError` (exit 2) naming the file.
"""

from __future__ import annotations

import contextlib
import os
import sys
import tempfile
from pathlib import Path
from typing import BinaryIO

from rightscli.errors import OutputError

STDOUT = "-"
MODE = 0o600


def check_destination(dest: str | None, *, binary: bool, force: bool) -> None:
    """Fail early (before any work) when the output cannot be written."""
    if dest is None or dest == STDOUT:
        if binary and (dest is None or _is_tty(sys.stdout)):
            raise OutputError(
                "this format is binary and is not written to a terminal; give a file with -o FILE "
                "(or -o - to pipe it into another program)"
            )
        return
    path = Path(dest)
    folder = path.parent
    if not folder.exists():
        raise OutputError(f"the folder '{folder}' does not exist; create it first or choose another path", file=dest)
    if not folder.is_dir():
        raise OutputError(f"'{folder}' is not a folder", file=dest)
    if path.is_dir():
        raise OutputError("is a folder; give a file name", file=dest)
    if path.exists() and not path.is_symlink() and not path.is_file():  # the rename would replace /dev/null itself
        raise OutputError("is a device, pipe or socket, not a file; give a file name, or - for stdout", file=dest)
    if (path.exists() or path.is_symlink()) and not force:
        raise OutputError("already exists and was left unchanged; use --force to replace it", file=dest)


def write_output(data: str | bytes, dest: str | None, *, force: bool = False) -> None:
    """Write text (UTF-8) or bytes to ``dest`` (a path, ``-`` or None for standard output)."""
    binary = isinstance(data, bytes)
    check_destination(dest, binary=binary, force=force)
    raw = data if isinstance(data, bytes) else data.encode("utf-8")
    if dest is None or dest == STDOUT:
        _write_stdout(raw, binary)
        return
    write_file(Path(dest), raw, force=force)


def write_file(path: Path, raw: bytes, *, force: bool) -> None:
    folder = path.parent
    try:
        fd, tmp_name = tempfile.mkstemp(dir=folder, prefix=f".{path.name}.", suffix=".tmp")
    except PermissionError:
        raise OutputError(f"permission denied: cannot create a file in '{folder}'", file=str(path)) from None
    except OSError as exc:
        raise OutputError(f"cannot write here: {exc.strerror or exc}", file=str(path)) from None
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "wb") as fh:
            os.fchmod(fh.fileno(), MODE)
            fh.write(raw)
            fh.flush()
            os.fsync(fh.fileno())
        if force:
            os.replace(tmp, path)
        else:
            _place_new(tmp, path)
        _fsync_folder(folder)
    except OutputError:
        raise
    except OSError as exc:
        raise OutputError(f"cannot write the file: {exc.strerror or exc}", file=str(path)) from None
    finally:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()


def _place_new(tmp: Path, path: Path) -> None:
    """Move ``tmp`` to ``path`` only if ``path`` does not exist."""
    try:
        os.link(tmp, path)
    except FileExistsError:
        raise OutputError("already exists and was left unchanged; use --force to replace it", file=str(path)) from None
    except OSError:  # no hard links on this file system: check, then rename
        if path.exists() or path.is_symlink():
            raise OutputError(
                "already exists and was left unchanged; use --force to replace it", file=str(path)
            ) from None
        os.replace(tmp, path)


def _fsync_folder(folder: Path) -> None:
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def _write_stdout(raw: bytes, binary: bool) -> None:
    stream: BinaryIO | None = getattr(sys.stdout, "buffer", None)
    if stream is not None:
        sys.stdout.flush()
        stream.write(raw)
        stream.flush()
        return
    if binary:
        raise OutputError("standard output cannot take binary data here; give a file with -o FILE")
    sys.stdout.write(raw.decode("utf-8"))
    sys.stdout.flush()


def _is_tty(stream: object) -> bool:
    isatty = getattr(stream, "isatty", None)
    try:
        return bool(isatty and isatty())
    except (OSError, ValueError):
        return False
