"""CSV input for `rights batch`: a header of case paths, then one case per row.

* The header names case paths such as ``order.price`` or ``problem.kinds`` (``rights schema case`` lists them). An
  unknown or repeated column, or a missing required one, stops the batch before any row is read.
* A cell is text; the case model reads it as typed text (``299.00``, ``true``/``是``, ``2026-11-15``), the same way as
  ``rights wizard --set``. An empty cell is an absent value. Lists are separated by ``;`` (``photos;chat_log``).
* ``history`` is a JSON list (``[{"on": "2026-11-13", "event": "merchant_refused"}]``) or ``EVENT@DATE`` items
  separated by ``;`` (``contacted_merchant@2026-11-13;merchant_refused@2026-11-14``), as with ``--set history=…``.
* A row's line is the line it starts on (a quoted cell may span lines, its CRLF or CR line breaks read as new
  lines); errors name it.
* Every row is either read or reported with its line: a cell that opens a quote and never closes it (or closes it
  only with a later row's quote) would take the following rows into that cell; that line is reported instead, and
  the lines after it are read as rows again.
"""

from __future__ import annotations

import contextlib
import csv
import difflib
import io
import json
import re
from collections import deque
from collections.abc import Iterator
from datetime import date
from typing import Any, BinaryIO

from rightscli.batch.items import Item, Ref
from rightscli.case import known_paths
from rightscli.datafile import Document, json_problem
from rightscli.errors import ErrorList, InputError, UserError
from rightscli.i18n import in_own_words, tr

HISTORY = "history"


def csv_items(fh: BinaryIO, name: str, today: date) -> Iterator[Item]:
    """The rows as items; the header is read (and checked) now, the rows as they are asked for."""
    lines = _Lines(text_stream(fh))
    reader = csv.reader(lines)
    try:
        header = next(reader, None)
    except csv.Error as exc:
        raise InputError(tr("csv.bad_header", problem=csv_problem(exc)), file=name, line=1) from None
    if header is None:
        raise InputError(tr("csv.empty"), file=name)
    columns = parse_header(header, name, lines.count)
    return _rows(reader, lines, columns, name, today)


# The problems Python's csv module reports (its messages are English), put in the buyer's words.
_CSV_LIMIT = re.compile(r"field larger than field limit \((\d+)\)")
_CSV_PROBLEMS = {
    "new-line character seen in unquoted field": "csv.problem.newline",
    "unexpected end of data": "csv.problem.unexpected_end",
}


def csv_problem(exc: csv.Error) -> str:
    """What ``csv.reader`` raised, in the interface's language; a problem not known is shown as the library says it."""
    said = str(exc)
    limit = _CSV_LIMIT.search(said)
    if limit:
        return tr("csv.problem.too_long", limit=int(limit.group(1)))
    return in_own_words(said, _CSV_PROBLEMS)


class _Lines:
    """The physical lines of the CSV text, numbered, for :func:`csv.reader`; remembers those of the current record
    and can give lines back to be read again."""

    def __init__(self, stream: Iterator[str]) -> None:
        self.stream = stream
        self.count = 0  # number of the last line handed out
        self.taken: list[tuple[int, str]] = []
        self.again: deque[tuple[int, str]] = deque()

    def __iter__(self) -> _Lines:
        return self

    def __next__(self) -> str:
        number, line = self.again.popleft() if self.again else (self.count + 1, next(self.stream))
        self.count = number
        self.taken.append((number, line))
        return line

    def record(self) -> list[tuple[int, str]]:
        """The lines read since the last call."""
        taken, self.taken = self.taken, []
        return taken


def _rows(reader: Any, lines: _Lines, columns: list[str], name: str, today: date) -> Iterator[Item]:
    lines.record()
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            taken = lines.record()
            start = taken[0][0] if taken else lines.count
            problem = tr("csv.bad_row", problem=csv_problem(exc))
            yield Item(Ref(name, start), None, InputError(problem, file=name, line=start))
            continue
        taken = lines.record()
        line = taken[0][0] if taken else lines.count
        if len(taken) > 1 and _unclosed_quote(taken, len(columns)):
            # The quote of a cell on this line is never closed (or closed only by a later row's quote): the
            # reader took the following rows into that cell. Report this line; read the following lines again.
            lines.again.extendleft(reversed(taken[1:]))
            message = tr("csv.unclosed_quote", count=len(taken) - 1)
            yield Item(Ref(name, line), None, InputError(message, file=name, line=line), fallback=f"line-{line}")
            continue
        if any(cell.strip() for cell in row):
            yield row_item(row, columns, Ref(name, line), today)


def _unclosed_quote(taken: list[tuple[int, str]], width: int) -> bool:
    """Whether a record read over several lines is a cell whose quote was never closed rather than a cell that holds
    line breaks: its quotes do not pair up (the quote ran to the end of the input), or a line inside it reads on its
    own as a whole row of the header's width (rows swallowed until some later quote), or so does its last line with
    the closing quote past its first cell (a quoted cell that continues on the next line closes in that line's first
    cell)."""
    if sum(line.count('"') for _, line in taken) % 2:
        return True
    if width < 2:
        return False
    for i, (_, line) in enumerate(taken[1:], 1):
        with contextlib.suppress(csv.Error):
            cells = next(csv.reader([line]), [])
            if len(cells) != width:
                continue
            if i < len(taken) - 1 and '"' not in line:
                return True
            if i == len(taken) - 1 and '"' not in cells[0] and any('"' in cell for cell in cells[1:]):
                return True
    return False


def parse_header(header: list[str], name: str, line: int) -> list[str]:
    """The case path of each column; every problem in the header at once."""
    known = known_paths()
    errors: list[UserError] = []
    columns: list[str] = []
    for number, cell in enumerate(header, 1):
        path = _clean(cell)
        if not path:
            errors.append(InputError(tr("csv.no_name", number=number), file=name, line=line))
        elif path not in known:
            hint = difflib.get_close_matches(path, list(known), n=1, cutoff=0.6)
            if hint:
                message = tr("csv.not_a_path_hint", number=number, path=path, hint=hint[0])
            else:
                message = tr("csv.not_a_path", number=number, path=path)
            errors.append(InputError(message, file=name, line=line))
        elif path in columns:
            errors.append(InputError(tr("csv.twice", number=number, path=path), file=name, line=line))
        columns.append(path)
    missing = [p for p, f in known.items() if f.required and p not in columns]
    if missing and not errors:
        message = tr("csv.missing_columns", columns=", ".join(missing))
        errors.append(InputError(message, file=name, line=line))
    if errors:
        raise ErrorList.of(errors)
    return columns


def _clean(cell: str) -> str:
    return cell.strip().strip("\ufeff").strip()


def row_item(row: list[str], columns: list[str], ref: Ref, today: date) -> Item:
    fallback = f"line-{ref.line}"
    try:
        data = row_data(row, columns, ref, today)
    except UserError as exc:
        return Item(ref, None, exc, text_values=True, fallback=fallback)
    doc = Document(data, ref.file, {key: ref.line or 0 for key in data})
    return Item(ref, doc, text_values=True, fallback=fallback)


def row_data(row: list[str], columns: list[str], ref: Ref, today: date) -> dict[str, Any]:
    """Cells → nested case data (``order.price`` → ``{"order": {"price": …}}``); empty cells are left out."""
    if len(row) > len(columns) and any(cell.strip() for cell in row[len(columns) :]):
        message = tr("csv.too_many_cells", cells=len(row), columns=len(columns))
        raise InputError(message, file=ref.file, line=ref.line)
    data: dict[str, Any] = {}
    for path, cell in zip(columns, row, strict=False):
        text = cell.replace("\r\n", "\n").replace("\r", "\n").strip()  # a cell's line breaks, as in a case file
        if not text:
            continue
        _check_text(text, path, ref)
        value: Any = _history(text, ref, today) if path == HISTORY else text
        target = data
        *parents, leaf = path.split(".")
        for part in parents:
            target = target.setdefault(part, {})
        target[leaf] = value
    return data


def _check_text(text: str, path: str, ref: Ref) -> None:
    if "\x00" in text:
        raise InputError(tr("file.nul_byte"), file=ref.file, line=ref.line, path=path)
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        raise InputError(tr("csv.not_utf8"), file=ref.file, line=ref.line, path=path) from None


def _history(text: str, ref: Ref, today: date) -> Any:
    if text.startswith("["):
        try:
            return json.loads(text)
        except json.JSONDecodeError as exc:
            message = tr("csv.bad_history", problem=json_problem(exc.msg), column=exc.colno)
            raise InputError(message, file=ref.file, line=ref.line, path=HISTORY) from None
        except RecursionError:
            raise InputError(tr("csv.too_deep"), file=ref.file, line=ref.line, path=HISTORY) from None
    from rightscli.typed_in import parse_events

    return parse_events(text, today)


def text_stream(fh: BinaryIO) -> io.TextIOWrapper:
    """CSV text: UTF-8 (a BOM is dropped); undecodable bytes are kept as surrogates and reported by row."""
    return io.TextIOWrapper(fh, encoding="utf-8-sig", errors="surrogateescape", newline="")
