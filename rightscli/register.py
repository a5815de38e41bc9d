"""The evidence register: files of evidence recorded in the case file with their SHA-256, size and the time recorded.

* ``rights evidence add CASE FILE --as ID`` hashes the file where it lies and appends a record to the case file's
  ``evidence_files`` list, through :func:`rightscli.case_edit.rewrite_case_file` (the case file's lock, an atomic
  rewrite, the previous version kept as ``CASE.bak``; a YAML file keeps its comments and layout). The buyer's file is
  never moved, copied or changed: only read.
* The path is stored relative to the case file's folder when the file lies inside it (the folder can move as a
  whole), else absolute; :func:`resolve` turns it back into a path.
* ``rights evidence verify CASE`` hashes every recorded file again: a file whose content changed, or that is missing or
  unreadable, is named (exit 2). A court weighs whether electronic data stayed complete since it was collected
  (证据规定 art. 93); a hash taken when the file was recorded lets the buyer show it did.

Nothing here prints; the CLI (rightscli/cli/evidence.py) does.
"""

from __future__ import annotations

import copy
import hashlib
import os
import stat
from datetime import datetime
from pathlib import Path
from typing import Any

import msgspec

from rightscli import datafile, vocab
from rightscli.case import Case, EvidenceFile, validate_case
from rightscli.errors import InputError, UserError, os_reason
from rightscli.i18n import tr

CHUNK = 1 << 20
STATUSES = ("ok", "changed", "missing", "unreadable")


class Check(msgspec.Struct, frozen=True):
    no: int  # the record's number in the register (1, 2, …), as in the evidence index
    record: EvidenceFile
    status: str  # ok | changed | missing | unreadable
    sha256: str | None = None  # the file's hash now (None when it could not be read)
    size: int | None = None
    detail: str = ""  # "folder" (a folder is at the path) or the system's reason a file could not be read


class Added(msgspec.Struct, frozen=True):
    no: int
    record: EvidenceFile
    case: Case


def hash_file(path: Path) -> tuple[str, int]:
    """SHA-256 (hex) and size of a file, read in chunks."""
    digest = hashlib.sha256()
    size = 0
    with open(path, "rb") as fh:
        while chunk := fh.read(CHUNK):
            digest.update(chunk)
            size += len(chunk)
    return digest.hexdigest(), size


def case_folder(case_path: str) -> Path:
    return Path(os.path.realpath(case_path)).parent


def stored_path(case_path: str, file: Path) -> str:
    """How the file is written in the register: relative to the case file's folder when inside it, else absolute."""
    real = Path(os.path.realpath(file))
    try:
        return real.relative_to(case_folder(case_path)).as_posix()
    except ValueError:
        return str(real)


def resolve(case_path: str, recorded: str) -> Path:
    path = Path(recorded)
    return path if path.is_absolute() else case_folder(case_path) / path


def _unknown_id(written: str) -> str:
    """--as names no evidence item: each with its words (发票 for ``invoice``), and the one meant when clear."""
    from rightscli.case.labels import hint, listing
    from rightscli.i18n import get_lang

    allowed = listing("evidence_files.id", vocab.EVIDENCE_IDS, get_lang())
    meant = hint("evidence_files.id", written, vocab.EVIDENCE_IDS)
    if meant:
        return tr("cli.bad_choice_hint", option="--as", value=written, hint=meant, allowed=allowed)
    return tr("cli.bad_choice", option="--as", value=written, allowed=allowed)


def add_file(
    case_path: str, file: str, evidence_id: str, *, note: str | None, now: datetime, today: Any, force: bool = False
) -> Added:
    """Record ``file`` as evidence ``evidence_id`` in the case file; see the module docstring. ``force`` records a
    file again whose record exists (its new hash replaces the old one)."""
    from rightscli.case_edit import _append_yaml, _dump_json, _encode, rewrite_case_file

    if evidence_id not in vocab.EVIDENCE_IDS:
        raise UserError(_unknown_id(evidence_id))
    source = Path(file)
    try:
        info = source.stat()
    except FileNotFoundError:
        raise InputError(tr("file.not_found"), file=file) from None
    except OSError as exc:
        raise InputError(tr("file.cannot_read", reason=os_reason(exc)), file=file) from None
    if not stat.S_ISREG(info.st_mode):
        raise InputError(tr("evidence.not_regular"), file=file)
    try:
        digest, size = hash_file(source)
    except OSError as exc:
        raise InputError(tr("file.cannot_read", reason=os_reason(exc)), file=file) from None
    where = stored_path(case_path, source)
    item: dict[str, Any] = {
        "id": evidence_id,
        "path": where,
        "sha256": digest,
        "size": size,
        "recorded_at": now.isoformat(timespec="seconds"),
    }
    if note is not None and note.strip():
        item["note"] = note.strip()
    done: dict[str, Any] = {}

    def change(raw: bytes) -> bytes:
        text = datafile.decode(raw, case_path).replace("\r", "\n")
        doc = datafile.parse_text(text, case_path, json_hint=case_path.lower().endswith(".json"))
        is_json = doc.json_text is not None
        validate_case(doc, today=today)
        expected = copy.deepcopy(doc.data)
        records = list(expected.get("evidence_files") or [])
        same = [i for i, r in enumerate(records) if isinstance(r, dict) and r.get("path") == where]
        if same and not force:
            raise UserError(
                tr("evidence.already", path=where, no=same[0] + 1, id=records[same[0]].get("id")), file=case_path
            )
        if same:  # re-recorded: the old record is replaced, which a textual append cannot do
            records[same[0]] = item
            expected["evidence_files"] = records
            new_text = _dump_json(expected) if is_json else _dump_yaml(expected)
            done["no"] = same[0] + 1
        else:
            expected["evidence_files"] = [*records, item]
            new_text = _dump_json(expected) if is_json else _append_yaml(text, item, case_path, "evidence_files")
            done["no"] = len(records) + 1
        new_doc = datafile.parse_text(new_text, case_path, json_hint=is_json)
        if new_doc.data != expected:
            raise UserError(
                tr("evidence.unusual_layout"),
                file=case_path,
            )
        done["case"] = validate_case(new_doc, today=today)
        return _encode(new_text, raw)

    rewrite_case_file(case_path, change)
    case: Case = done["case"]
    return Added(no=done["no"], record=case.evidence_files[done["no"] - 1], case=case)


def _dump_yaml(data: Any) -> str:
    """The whole case as YAML (only when a record is replaced: comments are not kept then)."""
    import yaml

    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False, default_flow_style=False, width=100)


def verify(case_path: str, case: Case) -> list[Check]:
    """Hash every recorded file again and compare it with its record."""
    checks = []
    for no, record in enumerate(case.evidence_files, start=1):
        path = resolve(case_path, record.path)
        try:
            digest, size = hash_file(path)
        except FileNotFoundError:
            checks.append(Check(no, record, "missing"))
            continue
        except IsADirectoryError:
            checks.append(Check(no, record, "missing", detail="folder"))
            continue
        except OSError as exc:
            checks.append(Check(no, record, "unreadable", detail=os_reason(exc)))
            continue
        status = "ok" if digest == record.sha256 and size == record.size else "changed"
        checks.append(Check(no, record, status, sha256=digest, size=size))
    return checks


def problems(checks: list[Check]) -> list[Check]:
    return [c for c in checks if c.status != "ok"]
