"""CSV input for `rights batch`: a header of case paths, then one case per row.

* The header names case paths such as ``order.price`` or ``problem.kinds`` (``rights schema case`` lists them). An
  unknown or repeated column, or a missing required one, stops the batch before any row is read.
* A cell is text; the case model reads it as typed text (``299.00``, ``true``/``是``, ``2026-11-15``), the same way as
  ``rights wizard --set``. An empty cell is an absent value. Lists are separated by ``;`` (``photos;chat_log``).
* ``history`` is a JSON list (``[{"on": "2026-11-13", "event": "merchant_refused"}]``) or ``EVENT@DATE`` items
  separated by ``;`` (``contacted_merchant@2026-11-13;merchant_refused@2026-11-14``), as with ``--set history=…``.
* A row's line is the line it starts on (a quoted cell may span lines); errors name it.
"""

from __future__ import annotations

import csv
import difflib
import json
from collections.abc import Iterator
from datetime import date
from typing import Any, BinaryIO

from rightscli.batch.sources import Item, Ref, text_stream
from rightscli.case import known_paths
from rightscli.datafile import Document
from rightscli.errors import ErrorList, InputError, UserError

HISTORY = "history"


def csv_items(fh: BinaryIO, name: str, today: date) -> Iterator[Item]:
    """The rows as items; the header is read (and checked) now, the rows as they are asked for."""
    reader = csv.reader(text_stream(fh))
    try:
        header = next(reader, None)
    except csv.Error as exc:
        raise InputError(f"the header row is not valid CSV: {exc}", file=name, line=1) from None
    if header is None:
        raise InputError("is empty; expected a header row of case paths such as order.price", file=name)
    columns = parse_header(header, name, reader.line_num)
    return _rows(reader, columns, name, today)


def _rows(reader: Any, columns: list[str], name: str, today: date) -> Iterator[Item]:
    start = reader.line_num + 1
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            yield Item(Ref(name, start), None, InputError(f"not valid CSV: {exc}", file=name, line=start))
            start = reader.line_num + 1
            continue
        line, start = start, reader.line_num + 1
        if any(cell.strip() for cell in row):
            yield row_item(row, columns, Ref(name, line), today)


def parse_header(header: list[str], name: str, line: int) -> list[str]:
    """The case path of each column; every problem in the header at once."""
    known = known_paths()
    errors: list[UserError] = []
    columns: list[str] = []
    for number, cell in enumerate(header, 1):
        path = _clean(cell)
        if not path:
            errors.append(InputError(f"column {number} has no name; expected a case path", file=name, line=line))
        elif path not in known:
            hint = difflib.get_close_matches(path, list(known), n=1, cutoff=0.6)
            extra = f"did you mean '{hint[0]}'?" if hint else "`rights schema case` lists the case paths"
            errors.append(InputError(f"column {number} '{path}' is not a case path; {extra}", file=name, line=line))
        elif path in columns:
            errors.append(InputError(f"column {number} '{path}' appears twice", file=name, line=line))
        columns.append(path)
    missing = [p for p, f in known.items() if f.required and p not in columns]
    if missing and not errors:
        message = f"the header lacks the required column(s) {', '.join(missing)}; every case needs them"
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
        message = f"the row has {len(row)} cells but the header has {len(columns)} columns"
        raise InputError(message, file=ref.file, line=ref.line)
    data: dict[str, Any] = {}
    for path, cell in zip(columns, row, strict=False):
        text = cell.strip()
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
        raise InputError("contains a NUL byte; expected text", file=ref.file, line=ref.line, path=path)
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        raise InputError("is not valid UTF-8 text", file=ref.file, line=ref.line, path=path) from None


def _history(text: str, ref: Ref, today: date) -> Any:
    if text.startswith("["):
        try:
            return json.loads(text)
        except json.JSONDecodeError as exc:
            message = f"is not a valid JSON list of events: {exc.msg} (column {exc.colno})"
            raise InputError(message, file=ref.file, line=ref.line, path=HISTORY) from None
        except RecursionError:
            raise InputError("is nested too deeply", file=ref.file, line=ref.line, path=HISTORY) from None
    from rightscli.wizard.parse import parse_events

    return parse_events(text, today)
