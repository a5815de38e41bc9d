"""The batch input, read one case at a time: JSON Lines (a file or ``-``), CSV, or a folder of case files.

Nothing reads the whole input: a JSON Lines file is read line by line, a CSV file row by row, a folder file by file
(only its sorted list of names is held). Each case becomes an :class:`Item` with its place in the input (file and
line) and either a parsed :class:`~rightscli.datafile.Document` or the reason it could not be read; a bad line never
stops the others. Problems that concern the whole input (file not found, a CSV header that names no case path) are
raised as :class:`~rightscli.errors.UserError` before any case is read.
"""

from __future__ import annotations

import contextlib
import os
from collections import deque
from collections.abc import Callable, Iterator
from datetime import date
from itertools import islice
from pathlib import Path
from typing import BinaryIO

import msgspec
from msgspec import field

from rightscli import datafile
from rightscli.batch.items import Item, Ref
from rightscli.datafile import Document
from rightscli.errors import InputError, UserError, os_reason
from rightscli.i18n import tr

CASE_SUFFIXES = (".yaml", ".yml", ".json")
CSV_SUFFIXES = (".csv",)
MAX_LINE = datafile.MAX_BYTES  # one case in JSON Lines: the size limit of a case file


class Source(msgspec.Struct):
    """An open input: its items, the progress total (bytes or files; None for a pipe) and the progress so far.

    The input is read a little ahead of the cases being finished (worker processes), so progress is measured at the
    item: :meth:`tracked` notes the position after reading each item, :meth:`done` gives it back when that item's
    outcome is shown (outcomes come in input order).
    """

    items: Iterator[Item]
    total: int | None
    position: Callable[[], int]
    kind: str  # jsonl | csv | folder
    marks: deque[int] = field(default_factory=deque)
    read: int = 0  # items read so far
    ended: bool = False  # every item was read (a CSV reader has closed its file then)

    def tracked(self) -> Iterator[Item]:
        for item in self.items:
            self.read += 1
            self.marks.append(self.position())
            yield item
        self.ended = True

    def left(self) -> float | None:
        """About how many cases are still to be read (by the size of those read so far); None when the size of the
        input is not known (a pipe) or nothing was read yet. For CSV, which is read ahead in blocks, it can be less
        than is left (by up to a block), never more."""
        if self.ended:
            return 0.0
        if self.total is None or not self.read:
            return None
        position = self.position()
        if self.kind == "folder":  # the position counts files
            return float(max(0, self.total - position))
        if position <= 0:
            return None
        return max(0.0, (self.total - position) * self.read / position)

    def done(self) -> int:
        """The progress up to the oldest item not yet reported; call once per outcome."""
        return self.marks.popleft() if self.marks else self.position()


def relocate(exc: UserError, file: str, line: int) -> UserError:
    """The same error, placed at ``file:line`` of the batch input (a row is parsed as a one-line text)."""
    return exc.replace(file=file, line=line)


@contextlib.contextmanager
def open_source(path: str, stdin: BinaryIO | None, *, today: date) -> Iterator[Source]:
    """Open the batch input; ``-`` is JSON Lines on ``stdin``. ``today`` dates relative history cells in CSV."""
    if path == "-":
        if stdin is None:
            raise InputError(tr("file.stdin_unavailable"), file="<stdin>")
        yield Source(jsonl_items(stdin, "<stdin>"), None, lambda: 0, "jsonl")
        return
    p = Path(path)
    if p.suffix.lower() in (".yaml", ".yml") and not p.is_dir():
        raise InputError(tr("batch.yaml_file"), file=path)
    if p.is_dir():
        names = folder_names(p)
        done = [0]
        yield Source(folder_items(path, names, done), len(names), lambda: done[0], "folder")
        return
    try:
        fh = p.open("rb")
    except FileNotFoundError:
        raise InputError(tr("file.not_found"), file=path) from None
    except PermissionError:
        raise InputError(tr("file.permission"), file=path) from None
    except OSError as exc:
        raise InputError(tr("file.cannot_read", reason=os_reason(exc)), file=path) from None
    with fh:
        size = _size(fh)
        if p.suffix.lower() in CSV_SUFFIXES:
            from rightscli.batch.csvrows import csv_items

            yield Source(csv_items(fh, path, today), size, fh.tell, "csv")
        else:
            yield Source(jsonl_items(fh, path), size, fh.tell, "jsonl")


def _size(fh: BinaryIO) -> int | None:
    with contextlib.suppress(OSError):
        st = os.fstat(fh.fileno())
        if st.st_size > 0:
            return st.st_size
    return None


def jsonl_items(fh: BinaryIO, name: str) -> Iterator[Item]:
    """One item per non-blank line; a line that is not one JSON object is an error item with its line number."""
    lineno = 0
    while True:
        raw = fh.readline(MAX_LINE + 1)
        if not raw:
            return
        lineno += 1
        ref = Ref(name, lineno)
        if len(raw) > MAX_LINE and not raw.endswith(b"\n"):
            while raw and not raw.endswith(b"\n"):  # skip the rest of the long line, in bounded reads
                raw = fh.readline(MAX_LINE + 1)
            message = tr("batch.line_too_long", kib=MAX_LINE // 1024)
            yield Item(ref, None, InputError(message, file=name, line=lineno))
            continue
        if not raw.strip():
            continue
        yield _jsonl_item(raw, ref)


def _jsonl_item(raw: bytes, ref: Ref) -> Item:
    fallback = f"line-{ref.line}"
    try:
        text = datafile.decode(raw, ref.file)
        if not text.lstrip().startswith("{"):
            raise InputError(tr("batch.expected_object"), file=ref.file)
        doc = datafile.parse_text(text, ref.file, json_hint=True)
    except UserError as exc:
        return Item(ref, None, relocate(exc, ref.file, ref.line or 0), fallback=fallback)
    if not isinstance(doc.data, dict):
        error = InputError(tr("batch.expected_object"), file=ref.file, line=ref.line)
        return Item(ref, None, error, fallback=fallback)
    # Every field of the row is on the row's line: errors name the input line.
    lines = {str(key): ref.line or 0 for key in doc.data}
    return Item(ref, Document(doc.data, ref.file, lines), fallback=fallback, json_row=True)


def folder_names(folder: Path) -> list[str]:
    """The case files directly in ``folder`` (not hidden), sorted by name."""
    try:
        with os.scandir(folder) as entries:
            return sorted(e.name for e in entries if _is_case_file(e))
    except PermissionError:
        raise InputError(tr("batch.folder_permission"), file=str(folder)) from None
    except OSError as exc:
        raise InputError(tr("batch.folder_unreadable", reason=os_reason(exc)), file=str(folder)) from None


def _is_case_file(entry: os.DirEntry[str]) -> bool:
    """A case file of a folder input: a YAML or JSON file, not hidden."""
    return not entry.name.startswith(".") and entry.name.lower().endswith(CASE_SUFFIXES) and entry.is_file()


def sample_items(path: str, today: date, limit: int) -> Iterator[Item]:
    """Up to ``limit`` cases of the file or folder ``path``, cheaply: of a folder, the first case files as listed, not
    all of them sorted (the warm-up of a worker started early, :func:`rightscli.batch.work.rehearse`)."""
    if os.path.isdir(path):
        names: list[str] = []
        with os.scandir(path) as entries:
            for e in entries:
                if _is_case_file(e):
                    names.append(e.name)
                    if len(names) >= limit:
                        break
        yield from folder_items(path, names, [0])
        return
    with open_source(path, None, today=today) as src:
        yield from islice(src.items, limit)


def folder_items(display: str, names: list[str], done: list[int]) -> Iterator[Item]:
    for name in names:
        path = os.path.join(display, name)
        ref = Ref(path)
        stem = name.rsplit(".", 1)[0]
        try:
            doc = datafile.load(path, regular=True)
        except UserError as exc:
            item = Item(ref, None, exc, fallback=stem)
        else:
            item = Item(ref, doc, fallback=stem)
        done[0] += 1
        yield item
