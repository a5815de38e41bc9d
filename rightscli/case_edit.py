"""`rights log`: append one event to a case file's history, safely.

* The event must be a known history event, dated on or after the last event in the file (events stay oldest first)
  and not after the day of assessment (``--as-of``, else ``as_of`` in the file, else today in China).
* YAML files keep their comments and layout: the new item is written as text right after the last history item
  (or as a new ``history:`` block), in the file's own indentation. JSON files are re-dumped (2-space indent).
* The result is parsed and validated like any case file before anything is written, and it must read back as the
  old data plus exactly the new event; otherwise nothing is written.
* The file is replaced atomically (a temporary file in the same folder, then a rename) keeping its permissions,
  and the previous version is kept next to it as ``CASE.bak`` (replaced by each later ``log``).

Every command that rewrites a case file (``log``, ``evidence add``, the wizard saving over a file) goes through
:func:`rewrite_case_file`: the read, the change and the write happen while the process holds the file's advisory lock
(:func:`case_lock`, ``.CASE.lock`` beside it), so two commands at the same time never lose one's change: the second
waits, reads the file as the first left it, and adds its own. A lock held for longer than :data:`LOCK_TIMEOUT`
seconds ends the waiting command with exit 2, having written nothing.
"""

from __future__ import annotations

import contextlib
import copy
import json
import os
import re
import stat
import tempfile
import time
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path
from typing import Any

import msgspec

from rightscli import datafile, vocab
from rightscli.case import Case, validate_case
from rightscli.errors import InputError, OutputError, UserError, os_reason
from rightscli.i18n import tr

BACKUP_SUFFIX = ".bak"
LOCK_TIMEOUT = 30.0  # seconds a command waits for another one that is changing the same case file


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
        raise UserError(tr("log.no_stdin"))
    event = resolve_event(event)
    done: dict[str, Any] = {}

    def change(raw: bytes) -> bytes:
        text = datafile.decode(raw, case_path).replace("\r", "\n")  # lone CR line ends (old Mac editors), kept below
        doc = datafile.parse_text(text, case_path, json_hint=case_path.lower().endswith(".json"))
        is_json = doc.json_text is not None  # read as JSON (a YAML file in flow style starts with "{" too)
        case = validate_case(doc, as_of=as_of, today=today)
        day = as_of or case.as_of or today
        when = on or day
        _check_order(case, event, when, day, case_path, overridden=as_of is not None)
        item: dict[str, Any] = {"on": when.isoformat(), "event": event}
        if note is not None and note.strip():
            item["note"] = note.strip()
        expected = copy.deepcopy(doc.data)
        expected["history"] = [*(expected.get("history") or []), item]
        new_text = _dump_json(expected) if is_json else _append_yaml(text, item, case_path)
        new_doc = datafile.parse_text(new_text, case_path, json_hint=is_json)
        if new_doc.data != expected:
            raise UserError(tr("log.unusual_layout"), file=case_path)
        new_case = validate_case(new_doc, as_of=as_of, today=today)
        if as_of is not None:  # the file must also stand on its own, as `rights assess CASE` will read it
            try:
                validate_case(new_doc, today=today)
            except UserError as exc:
                raise UserError(tr("log.would_not_validate", problem=exc), file=case_path) from None
        done.update(on=when, note=item.get("note"), case=new_case)
        return _encode(new_text, raw)

    written = rewrite_case_file(case_path, change)
    return Logged(
        path=written.path, backup=written.backup, on=done["on"], event=event, note=done["note"], case=done["case"]
    )


def event_label(event: str) -> str:
    """An event's name in the interface language (商家拒绝了), or its id when it has none."""
    key = f"event.{event}"
    text = tr(key)
    return event if text == key else text


def resolve_event(name: str) -> str:
    """The event id for ``name``: an id (merchant_refused) or its name in either language (商家拒绝了, "the seller
    refused"); otherwise bad input with the closest names ("did you mean") and the list of events."""
    import difflib

    wanted = name.strip()
    if wanted in vocab.EVENTS:
        return wanted
    names: dict[str, str] = {}
    for event in vocab.EVENTS:
        for lang in ("zh", "en"):
            names[tr(f"event.{event}", lang).casefold()] = event
        names[event.replace("_", " ")] = event
    found = names.get(wanted.casefold()) or names.get(wanted.casefold().replace("_", " "))
    if found:
        return found
    close = difflib.get_close_matches(wanted.casefold(), list(names), n=3, cutoff=0.5)
    listing = tr("wizard.item_sep").join(tr("log.event_item", id=e, label=event_label(e)) for e in vocab.EVENTS)
    if close:
        hints = tr("case.or").join(
            dict.fromkeys(tr("log.event_item", id=names[c], label=event_label(names[c])) for c in close)
        )
        raise UserError(tr("log.unknown_event_hint", event=name, hints=hints, events=listing))
    raise UserError(tr("log.unknown_event", event=name, events=listing))


def _check_order(case: Case, event: str, on: date, day: date, source: str, *, overridden: bool) -> None:
    if on > day:
        where = "--as-of" if overridden else tr("log.as_of_in_file" if case.as_of else "log.today")
        raise InputError(tr("log.after_as_of", event=event_label(event), on=on, where=where, day=day), file=source)
    if case.history and on < case.history[-1].on:
        last = case.history[-1]
        raise InputError(
            tr("log.before_last", event=event_label(event), on=on, last=event_label(last.event), last_on=last.on),
            file=source,
            path=f"history[{len(case.history) - 1}].on",
        )
    if on < case.order.paid_on:
        raise InputError(tr("log.before_paid", event=event_label(event), on=on, paid=case.order.paid_on), file=source)


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
def _scalar(key: str, value: Any) -> str:
    """Dates and event names are plain; a note is a JSON string, which is also a valid YAML double-quoted one (as are
    a number and a quoted time stamp, which YAML would otherwise read as a date-time)."""
    return value if key in ("on", "event", "id") else json.dumps(value, ensure_ascii=False)


def _item_lines(item: dict[str, Any], dash: int, key: int) -> list[str]:
    lines = []
    for i, (k, v) in enumerate(item.items()):
        value = _scalar(k, v)
        lead = " " * dash + "- " + " " * (key - dash - 2) if i == 0 else " " * key
        lines.append(f"{lead}{k}: {value}")
    return lines


def _append_yaml(text: str, item: dict[str, Any], source: str, field: str = "history") -> str:
    """``text`` with ``item`` appended to the list ``field`` (history, evidence_files), in the file's own layout."""
    import yaml

    loader_cls = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml: ~10 times faster than the Python one
    root = yaml.compose(text, Loader=loader_cls)
    if not isinstance(root, yaml.MappingNode):
        raise InputError(tr("case.not_mapping_file", got=type(root).__name__), file=source)
    pair = next(((k, v) for k, v in root.value if k.value == field), None)
    inline = "[" + _flow_item(item) + "]"
    if root.flow_style:  # the whole case written as one {…}: the list is written in flow style too
        if pair is None:
            end = root.value[-1][1].end_mark.index if root.value else root.start_mark.index + 1
            return text[:end] + (", " if root.value else "") + f"{field}: {inline}" + text[end:]
        if isinstance(pair[1], yaml.ScalarNode) or (isinstance(pair[1], yaml.SequenceNode) and not pair[1].value):
            return text[: pair[1].start_mark.index] + inline + text[pair[1].end_mark.index :]
    if pair is None:  # no such list yet: a new block at the end of the file
        body = "\n".join([f"{field}:", *_item_lines(item, 2, 4)])
        return text + ("" if text.endswith("\n") else "\n") + body + "\n"
    key, value = pair
    if isinstance(value, yaml.ScalarNode) or (isinstance(value, yaml.SequenceNode) and not value.value):
        # `field:`, `field: null` or `field: []`: replace the value by a block list
        lines = _item_lines(item, key.start_mark.column + 2, key.start_mark.column + 4)
        return text[: key.end_mark.index] + ":\n" + "\n".join(lines) + text[value.end_mark.index :]
    if not isinstance(value, yaml.SequenceNode):
        raise InputError(f"{field} must be a list", file=source, path=field)
    if value.flow_style:  # [ {...}, {...} ]: add one more after the last item
        return _append_flow(text, value, item)
    dash = value.start_mark.column
    key_col = max(value.value[0].start_mark.column, dash + 2)
    pos = _line_end_after(text, _last_end(value))
    return text[:pos] + "\n" + "\n".join(_item_lines(item, dash, key_col)) + text[pos:]


_AFTER_ITEM = re.compile(r"(\s*,)?(\s+#.*)?\s*")


def _flow_item(item: dict[str, Any]) -> str:
    return "{" + ", ".join(f"{k}: {_scalar(k, v)}" for k, v in item.items()) + "}"


def _append_flow(text: str, node: Any, item: dict[str, Any]) -> str:
    """A flow list ``[...]`` with one more item. Written on a line of its own, with the last item's indentation, when
    the last item starts a line and only a comma or a comment follows it (a list written one item per line, with a
    trailing comma or not); else right after the last item, on its line."""
    inline = _flow_item(item)
    last = node.value[-1]
    start, end = last.start_mark.index, last.end_mark.index
    line_start = text.rfind("\n", 0, start) + 1
    indent = text[line_start:start]
    line_end = text.find("\n", end)
    line_end = len(text) if line_end < 0 else line_end
    after = _AFTER_ITEM.fullmatch(text, end, line_end)
    if indent.strip() or after is None:
        return text[:end] + ", " + inline + text[end:]
    if after.group(1):  # a trailing comma: the new item gets one too, after the last item's comment
        return text[:line_end] + "\n" + indent + inline + "," + text[line_end:]
    return text[:end] + "," + text[end:line_end] + "\n" + indent + inline + text[line_end:]


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


# -- the locked read-modify-write ------------------------------------------------------------------------------------
class Rewritten(msgspec.Struct, frozen=True):
    path: Path  # the case file (its real path: a symbolic link is followed, not replaced)
    backup: Path | None  # where the previous version was kept, if it was


def rewrite_case_file(
    case_path: str, change: Callable[[bytes], bytes], *, backup: bool = True, mode: int | None = None
) -> Rewritten:
    """Change a case file safely: the one read-modify-write of every command that rewrites a case file.

    While holding the file's lock (:func:`case_lock`), read the file as it is now, call ``change(raw)`` with its
    bytes, and replace the file atomically with the bytes it returns, keeping the previous version as ``CASE.bak``
    (unless ``backup`` is false) and the file's permissions (or ``mode``). ``change`` raises a
    :class:`~rightscli.errors.UserError` to refuse: nothing is written then. Reading, changing and writing under
    one lock is what keeps a change made at the same time by another command from being lost.
    """
    if case_path == "-":
        raise UserError(tr("log.no_stdin"))
    path = Path(os.path.realpath(case_path))
    if not path.is_file():  # missing, a folder, a pipe: said before a lock file is made beside it
        if path.exists() and not path.is_dir():
            raise InputError(tr("log.not_regular"), file=case_path)
        datafile.read_bytes(case_path)
    with case_lock(path, display=case_path):
        raw, _ = datafile.read_bytes(case_path)
        new = change(raw)
        kept = backup_path(path) if backup else None
        if kept is not None:
            _replace_atomically(kept, raw, like=path)
        _replace_atomically(path, new, like=path, mode=mode)
    return Rewritten(path=path, backup=kept)


def lock_path(path: Path) -> Path:
    return path.with_name(f".{path.name}.lock")


@contextlib.contextmanager
def case_lock(path: Path, *, display: str | None = None) -> Iterator[None]:
    """Hold the advisory lock of the case file ``path``: an exclusive ``flock`` of ``.NAME.lock`` beside it.

    The lock file is not the case file itself, because the case file is replaced (a new inode) by every write. It is
    created with mode 0600, never through a symbolic link, and removed by its holder before the lock is released; a
    process that then gets the lock of the removed file sees that the name no longer leads to it and starts over (so
    no lock file stays behind, and one left by a killed process is simply taken over). Waits up to
    :data:`LOCK_TIMEOUT` seconds, then raises an :class:`~rightscli.errors.OutputError` (exit 2). Only cooperating
    processes (rightscli) respect the lock.
    """
    name = display or str(path)
    lock = lock_path(path)
    flags = os.O_RDWR | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0)
    deadline = time.monotonic() + LOCK_TIMEOUT
    while True:
        try:
            fd = os.open(lock, flags, 0o600)
        except OSError as exc:
            raise OutputError(tr("log.cannot_lock_file", lock=lock.name, reason=os_reason(exc)), file=name) from None
        try:
            _acquire(fd, lock, name, deadline)
            if _same_file(fd, lock):
                break
        except BaseException:
            os.close(fd)
            raise
        os.close(fd)  # the holder before us removed this lock file: lock the one that has the name now
    try:
        yield
    finally:
        with contextlib.suppress(OSError):
            os.unlink(lock)
        os.close(fd)  # closing the file releases the lock


def _same_file(fd: int, lock: Path) -> bool:
    try:
        held, named = os.fstat(fd), os.stat(lock, follow_symlinks=False)
    except OSError:
        return False
    return (held.st_dev, held.st_ino) == (named.st_dev, named.st_ino)


def _acquire(fd: int, lock: Path, name: str, deadline: float) -> None:
    try:
        import fcntl
    except ImportError:  # Windows: lock the first byte of the lock file
        import msvcrt

        def attempt() -> bool:
            try:
                msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)  # type: ignore[attr-defined]
            except OSError:
                return False
            return True
    else:

        def attempt() -> bool:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                return False
            return True

    pause = 0.002
    try:
        while not attempt():
            if time.monotonic() >= deadline:
                raise OutputError(tr("log.locked", seconds=f"{LOCK_TIMEOUT:g}", lock=lock.name), file=name)
            time.sleep(pause)
            pause = min(pause * 1.5, 0.05)
    except OSError as exc:
        raise OutputError(tr("log.cannot_lock", reason=os_reason(exc)), file=name) from None


# -- writing ----------------------------------------------------------------------------------------------------------
def _replace_atomically(path: Path, raw: bytes, *, like: Path, mode: int | None = None) -> None:
    """Write ``raw`` to ``path`` through a temporary file and a rename, with the permissions of ``like`` (or
    ``mode``)."""
    try:
        st = like.stat()
        fd, tmp_name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name[:60]}.", suffix=".tmp")
    except OSError as exc:
        raise OutputError(tr("log.cannot_write_next", reason=os_reason(exc)), file=str(path)) from None
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "wb") as fh:
            os.fchmod(fh.fileno(), stat.S_IMODE(st.st_mode) if mode is None else mode)
            fh.write(raw)
            fh.flush()
            os.fsync(fh.fileno())
        if hasattr(os, "chown"):
            with contextlib.suppress(OSError):
                os.chown(tmp, st.st_uid, st.st_gid)
        os.replace(tmp, path)
    except OSError as exc:
        raise OutputError(tr("output.cannot_write", reason=os_reason(exc)), file=str(path)) from None
    finally:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()
