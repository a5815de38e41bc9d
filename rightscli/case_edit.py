"""`rights log`: append one event to a case file's history, safely.

* The event must be a known history event, dated on or after the last event in the file (events stay oldest first)
  and not after the day of assessment (``--as-of``, else ``as_of`` in the file, else today in China).
* YAML files keep their comments and layout: the new item is written as text right after the last history item
  (or as a new ``history:`` block), in the file's own indentation. JSON files are re-dumped (2-space indent).
* The result is parsed and validated like any case file before anything is written, and it must read back as the
  old data plus exactly the new event; otherwise nothing is written.
* The file is replaced atomically (a temporary file in the same folder, then a rename) keeping its permissions,
  and the previous version is kept next to it as ``CASE.bak`` (replaced by each later ``log``).
"""

from __future__ import annotations

import contextlib
import copy
import json
import os
import stat
import tempfile
from datetime import date
from pathlib import Path
from typing import Any

import msgspec

from rightscli import datafile, vocab
from rightscli.case import Case, validate_case
from rightscli.errors import InputError, OutputError, UserError

BACKUP_SUFFIX = ".bak"


class Logged(msgspec.Struct, frozen=True):
    path: Path
    backup: Path
    on: date
    event: str
    note: str | None
    case: Case  # the case as it is now, with the new event


def backup_path(path: Path) -> Path:
    return path.with_name(path.name + BACKUP_SUFFIX)


def log_event(
    case_path: str,
    event: str,
    *,
    on: date | None,
    note: str | None,
    as_of: date | None,
    today: date,
) -> Logged:
    """Append ``event`` to the case file's history and rewrite the file; see the module docstring."""
    if case_path == "-":
        raise UserError("`rights log` rewrites a case file, so it cannot read standard input; give the file's path")
    if event not in vocab.EVENTS:
        raise UserError(f"unknown event '{event}'; expected one of: {', '.join(vocab.EVENTS)}")
    path = Path(os.path.realpath(case_path))
    raw, _ = datafile.read_bytes(case_path)
    text = datafile.decode(raw, case_path).replace("\r", "\n")  # lone CR line ends (old Mac editors), kept below
    is_json = _is_json(case_path, text)
    doc = datafile.parse_text(text, case_path, json_hint=is_json)
    case = validate_case(doc, as_of=as_of, today=today)
    day = as_of or case.as_of or today
    on = on or day
    _check_order(case, event, on, day, case_path, overridden=as_of is not None)
    item: dict[str, Any] = {"on": on.isoformat(), "event": event}
    if note is not None and note.strip():
        item["note"] = note.strip()
    expected = copy.deepcopy(doc.data)
    expected["history"] = [*(expected.get("history") or []), item]
    new_text = _dump_json(expected) if is_json else _append_yaml(text, item, case_path)
    new_doc = datafile.parse_text(new_text, case_path, json_hint=is_json)
    if new_doc.data != expected:
        raise UserError(
            "could not add the event without changing other parts of the file (an unusual YAML layout of the "
            "history); the file was left unchanged: add the event by hand",
            file=case_path,
        )
    new_case = validate_case(new_doc, as_of=as_of, today=today)
    if as_of is not None:  # the file must also stand on its own, as `rights assess CASE` will read it
        try:
            validate_case(new_doc, today=today)
        except UserError as exc:
            raise UserError(
                f"with this event the file would not validate on its own: {exc}; change as_of in the file first",
                file=case_path,
            ) from None
    encoded = _encode(new_text, raw)
    backup = backup_path(path)
    _replace_atomically(backup, raw, like=path)
    _replace_atomically(path, encoded, like=path)
    return Logged(path=path, backup=backup, on=on, event=event, note=item.get("note"), case=new_case)


def _is_json(name: str, text: str) -> bool:
    return name.lower().endswith(".json") or text.lstrip().startswith(("{", "["))


def _check_order(case: Case, event: str, on: date, day: date, source: str, *, overridden: bool) -> None:
    if on > day:
        where = "--as-of" if overridden else ("as_of in the case file" if case.as_of else "today in China")
        raise InputError(
            f"{event} on {on} is after {where} ({day}); an event cannot be dated after the day of assessment "
            "(pass --as-of, or change as_of in the file)",
            file=source,
        )
    if case.history and on < case.history[-1].on:
        last = case.history[-1]
        raise InputError(
            f"{event} on {on} is before the last event in the history ({last.event} on {last.on}); events are "
            "kept oldest first, so only later events can be added (edit the file to insert an earlier one)",
            file=source,
            path=f"history[{len(case.history) - 1}].on",
        )
    if on < case.order.paid_on:
        raise InputError(f"{event} on {on} is before order.paid_on {case.order.paid_on}", file=source)


def _dump_json(data: Any) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def _encode(text: str, original: bytes) -> bytes:
    """The new text with the original file's line ends (LF, CRLF or lone CR) and byte-order mark."""
    if b"\r\n" in original:
        text = text.replace("\n", "\r\n")
    elif b"\r" in original:
        text = text.replace("\n", "\r")
    prefix = b"\xef\xbb\xbf" if original.startswith(b"\xef\xbb\xbf") else b""
    return prefix + text.encode("utf-8")


# -- YAML: a textual append that keeps comments and layout ----------------------------------------------------------
def _scalar(key: str, value: str) -> str:
    """Dates and event names are plain; a note is a JSON string, which is also a valid YAML double-quoted one."""
    return value if key in ("on", "event") else json.dumps(value, ensure_ascii=False)


def _item_lines(item: dict[str, Any], dash: int, key: int) -> list[str]:
    lines = []
    for i, (k, v) in enumerate(item.items()):
        value = _scalar(k, v)
        lead = " " * dash + "- " + " " * (key - dash - 2) if i == 0 else " " * key
        lines.append(f"{lead}{k}: {value}")
    return lines


def _append_yaml(text: str, item: dict[str, Any], source: str) -> str:
    import yaml

    root = yaml.compose(text, Loader=yaml.SafeLoader)
    if not isinstance(root, yaml.MappingNode):
        raise InputError("the file must be a mapping of fields", file=source)
    pair = next(((k, v) for k, v in root.value if k.value == "history"), None)
    if pair is None:  # no history yet: a new block at the end of the file
        body = "\n".join(["history:", *_item_lines(item, 2, 4)])
        return text + ("" if text.endswith("\n") else "\n") + body + "\n"
    key, value = pair
    if isinstance(value, yaml.ScalarNode) or (isinstance(value, yaml.SequenceNode) and not value.value):
        # `history:`, `history: null` or `history: []`: replace the value by a block list
        lines = _item_lines(item, key.start_mark.column + 2, key.start_mark.column + 4)
        return text[: key.end_mark.index] + ":\n" + "\n".join(lines) + text[value.end_mark.index :]
    if not isinstance(value, yaml.SequenceNode):
        raise InputError("history must be a list of events", file=source, path="history")
    if value.flow_style:  # [ {...}, {...} ]: add one more before the closing bracket
        end = value.end_mark.index - 1
        if text[end] != "]":
            raise InputError("could not find the end of the history list", file=source, path="history")
        inline = ", ".join(
            f"{k}: {v if k in ('on', 'event') else json.dumps(v, ensure_ascii=False)}" for k, v in item.items()
        )
        return text[:end].rstrip() + f", {{{inline}}}" + text[end:]
    dash = value.start_mark.column
    key_col = max(value.value[0].start_mark.column, dash + 2)
    pos = _line_end_after(text, _last_end(value))
    return text[:pos] + "\n" + "\n".join(_item_lines(item, dash, key_col)) + text[pos:]


def _last_end(node: Any) -> int:
    """Where the last value inside a block node ends (block nodes' own end marks run on into what follows)."""
    import yaml

    if isinstance(node, yaml.MappingNode) and node.value and not node.flow_style:
        return _last_end(node.value[-1][1])
    if isinstance(node, yaml.SequenceNode) and node.value and not node.flow_style:
        return _last_end(node.value[-1])
    return int(node.end_mark.index)


def _line_end_after(text: str, end: int) -> int:
    """The end of the line holding the last character before ``end`` that is not white space."""
    last = end - 1
    while last > 0 and text[last] in " \t\r\n":
        last -= 1
    newline = text.find("\n", last)
    return len(text) if newline < 0 else newline


# -- writing ----------------------------------------------------------------------------------------------------------
def _replace_atomically(path: Path, raw: bytes, *, like: Path) -> None:
    """Write ``raw`` to ``path`` through a temporary file and a rename, with the permissions of ``like``."""
    try:
        st = like.stat()
        fd, tmp_name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    except OSError as exc:
        raise OutputError(f"cannot write next to the case file: {exc.strerror or exc}", file=str(path)) from None
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "wb") as fh:
            os.fchmod(fh.fileno(), stat.S_IMODE(st.st_mode))
            fh.write(raw)
            fh.flush()
            os.fsync(fh.fileno())
        if hasattr(os, "chown"):
            with contextlib.suppress(OSError):
                os.chown(tmp, st.st_uid, st.st_gid)
        os.replace(tmp, path)
    except OSError as exc:
        raise OutputError(f"cannot write the file: {exc.strerror or exc}", file=str(path)) from None
    finally:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()
