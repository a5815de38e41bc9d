"""One case of a batch: validate, assess, render, write; the outcome as data. The same calls as `rights letter`.

A problem with one case (invalid data, a template error, a file that exists) becomes that case's :class:`Outcome`
and never stops the batch. An unexpected exception (a bug) is an outcome too, marked ``internal``; with
``RIGHTS_DEBUG=1`` it is raised instead.

Cases are run a chunk at a time (:func:`run_chunk`): the chunk's letters are written as one
:class:`~rightscli.output.FileBatch`, made durable and put in place together at its end, and only then are its
outcomes final. A letter reported ``written`` is on disk.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable, Iterable
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

import msgspec
from msgspec import field

from rightscli.batch.items import Item, Ref
from rightscli.catalog import Catalog
from rightscli.errors import ErrorList, OutputError, UserError
from rightscli.i18n import tr

if TYPE_CHECKING:
    from rightscli.output import FileBatch

WRITTEN, SKIPPED, FAILED = "written", "skipped", "failed"


class Settings(msgspec.Struct, frozen=True):
    """What every case of the batch shares."""

    recipient: str
    fmt: str
    out_dir: Path
    force: bool
    as_of: date | None  # --as-of
    today: date
    template_dir: Path | None
    lang: str
    draft: bool = False  # --draft: write letters with no supported request too


class Task(msgspec.Struct, frozen=True):
    """A case that was read, with the file name it will be written to."""

    item: Item
    name: str


class Outcome(msgspec.Struct):
    ref: Ref
    status: str  # written | skipped | failed
    output: str | None = None
    order_id: str | None = None
    errors: list[dict[str, Any]] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    internal: bool = False  # failed by a bug, not by the input

    def to_json(self) -> dict[str, Any]:
        return {
            "input": self.ref.file,
            "line": self.ref.line,
            "status": self.status,
            "output": self.output,
            "order_id": self.order_id,
            "errors": self.errors,
            "warnings": self.warnings,
        }


def error_list(exc: UserError, ref: Ref) -> list[dict[str, Any]]:
    """Each problem as ``{file, line, field, message}`` (a list of problems is flattened). A problem in a JSON Lines
    or CSV row without a line of its own (a missing field) gets the row's line."""
    problems = exc.errors if isinstance(exc, ErrorList) and exc.errors else (exc,)
    out = []
    for e in problems:
        file = e.file or ref.file
        line = e.line if e.line is not None or file != ref.file else ref.line
        out.append({**e.to_json(), "file": file, "line": line})
    return out


def failed(ref: Ref, exc: UserError, order_id: str | None = None) -> Outcome:
    return Outcome(ref, FAILED, order_id=order_id, errors=error_list(exc, ref))


def order_id_of(item: Item) -> str | None:
    data = item.doc.data if item.doc is not None else None
    order = data.get("order") if isinstance(data, dict) else None
    value = order.get("id") if isinstance(order, dict) else None
    return str(value) if isinstance(value, str | int) and not isinstance(value, bool) else None


Entry = Task | Outcome


def run_chunk(
    entries: Iterable[Entry], settings: Settings, catalog: Catalog, *, before_commit: Callable[[], None] | None = None
) -> list[Outcome]:
    """The outcomes of a few entries, in order, final: the letters reported written are in place and durable.
    ``before_commit`` runs just before the letters are put in place; what it raises drops them all."""
    from rightscli.output import FileBatch

    outcomes: list[Outcome] = []
    with FileBatch() as files:
        for entry in entries:
            outcomes.append(entry if isinstance(entry, Outcome) else process(entry, settings, catalog, files))
        if before_commit is not None:
            before_commit()
        errors = {str(path): error for path, error in files.commit() if error is not None}
    if errors:
        for i, outcome in enumerate(outcomes):
            error = errors.get(outcome.output or "") if outcome.status == WRITTEN else None
            if error is not None:
                outcomes[i] = _not_written(outcome, error, settings)
    return outcomes


def process(task: Task, settings: Settings, catalog: Catalog, files: FileBatch) -> Outcome:
    """Validate, assess and render one case and add its letter to ``files``: ``written`` once they are committed."""
    item = task.item
    assert item.doc is not None
    order_id = order_id_of(item)
    path = settings.out_dir / task.name
    try:
        return _process(item, path, settings, catalog, order_id, files)
    except UserError as exc:
        return failed(item.ref, exc, order_id)
    except Exception as exc:
        if os.environ.get("RIGHTS_DEBUG"):
            raise
        message = f"internal error: {type(exc).__name__}: {exc} (a bug in rightscli; RIGHTS_DEBUG=1 shows details)"
        problem = {"file": item.ref.file, "line": item.ref.line, "field": None, "message": message}
        return Outcome(item.ref, FAILED, order_id=order_id, errors=[problem], internal=True)


def prepare() -> None:
    """Import and load what every case uses (:func:`_process`), before the workers are forked."""
    from rightscli.case import validate_case  # noqa: F401
    from rightscli.engine import assess  # noqa: F401
    from rightscli.letters.data import load_letter_data
    from rightscli.letters.letter import render_letter  # noqa: F401

    load_letter_data()


def rehearse(
    recipient: str,
    fmt: str,
    policy_dirs: list[str],
    template_dir: str | None,
    source: str | None,
    until: Callable[[], bool] = lambda: True,
) -> tuple[list[str], Catalog]:
    """Load what every case uses and run the first cases of ``source`` (a file or folder, never standard input or a
    pipe) through a letter each, writing nothing, until ``until()`` says stop (checked after each; at most
    :data:`REHEARSED` cases): the warm-up of a worker started before the batch has its settings
    (:mod:`rightscli.batch.early`). Returns the folders the rules were loaded with, and the rules."""
    import stat

    from rightscli.batch.sources import sample_items
    from rightscli.case import validate_case
    from rightscli.catalog import load_catalog
    from rightscli.engine import assess
    from rightscli.letters.letter import render_letter

    prepare()
    catalog = load_catalog(policy_dirs)
    if source is None or source == "-":
        return policy_dirs, catalog
    try:
        mode = os.stat(source).st_mode
    except OSError:
        return policy_dirs, catalog
    if not (stat.S_ISREG(mode) or stat.S_ISDIR(mode)):  # a pipe's cases are read once, by the batch
        return policy_dirs, catalog
    today = date.today()
    with contextlib.closing(sample_items(source, today, REHEARSED)) as items:
        for item in items:
            if item.doc is None:
                continue
            try:
                case = validate_case(item.doc, as_of=None, today=today, text_values=item.text_values)
                result = assess(case, catalog, case.as_of or today, "zh", plan=False, explain=False)
                render_letter(result, recipient, fmt, Path(template_dir) if template_dir else None, "zh", draft=True)
            except UserError:
                continue  # the batch reports it
            if until():
                break
    return policy_dirs, catalog


REHEARSED = 16  # cases a worker started early runs through at most while it waits for the batch's settings


def _process(
    item: Item, path: Path, settings: Settings, catalog: Catalog, order_id: str | None, files: FileBatch
) -> Outcome:
    from rightscli.case import validate_case
    from rightscli.engine import assess
    from rightscli.letters.letter import render_letter

    assert item.doc is not None
    case = validate_case(item.doc, as_of=settings.as_of, today=settings.today, text_values=item.text_values)
    if not settings.force and _exists(path):
        return _skipped(item.ref, path, order_id)
    day = settings.as_of or case.as_of or settings.today
    result = assess(case, catalog, day, "zh", plan=False, explain=False)  # letters are in Chinese (warnings: --lang)
    rendered = render_letter(
        result, settings.recipient, settings.fmt, settings.template_dir, settings.lang, draft=settings.draft
    )
    raw = rendered.data if isinstance(rendered.data, bytes) else rendered.data.encode("utf-8")
    try:
        files.add(path, raw, force=settings.force)
    except OutputError:
        if not settings.force and _exists(path):  # created since the check above
            return _skipped(item.ref, path, order_id)
        raise
    return Outcome(item.ref, WRITTEN, output=str(path), order_id=order_id, warnings=rendered.warnings)


def _not_written(outcome: Outcome, error: OutputError, settings: Settings) -> Outcome:
    """The outcome of a letter that could not be put in place: skipped when its file appeared meanwhile."""
    path = Path(outcome.output or "")
    if not settings.force and _exists(path):
        return _skipped(outcome.ref, path, outcome.order_id)
    return failed(outcome.ref, error, outcome.order_id)


def _exists(path: Path) -> bool:
    return os.path.lexists(path)  # also a dangling symbolic link


def _skipped(ref: Ref, path: Path, order_id: str | None) -> Outcome:
    problem = {"file": str(path), "line": None, "field": None, "message": tr("output.exists")}
    return Outcome(ref, SKIPPED, output=str(path), order_id=order_id, errors=[problem])
