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

from rightscli.batch.items import Item, Ref, pack_data
from rightscli.catalog import Catalog
from rightscli.errors import ErrorList, OutputError, UserError
from rightscli.i18n import tr

if TYPE_CHECKING:
    from rightscli.case import Case
    from rightscli.letters.letter import Rendered
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
    entries: Iterable[Entry],
    settings: Settings,
    catalog: Catalog,
    *,
    before_commit: Callable[[], None] | None = None,
    rehearsed: Rehearsal | None = None,
) -> list[Outcome]:
    """The outcomes of a few entries, in order, final: the letters reported written are in place and durable.
    ``before_commit`` runs just before the letters are put in place; what it raises drops them all. ``rehearsed``:
    letters already rendered for some of them (:func:`rehearse`)."""
    from rightscli.output import FileBatch

    outcomes: list[Outcome] = []
    with FileBatch() as files:
        for entry in entries:
            if isinstance(entry, Outcome):
                outcomes.append(entry)
            else:
                outcomes.append(process(entry, settings, catalog, files, rehearsed))
        if before_commit is not None:
            before_commit()
        errors = {str(path): error for path, error in files.commit() if error is not None}
    if errors:
        for i, outcome in enumerate(outcomes):
            error = errors.get(outcome.output or "") if outcome.status == WRITTEN else None
            if error is not None:
                outcomes[i] = _not_written(outcome, error, settings)
    return outcomes


def process(
    task: Task, settings: Settings, catalog: Catalog, files: FileBatch, rehearsed: Rehearsal | None = None
) -> Outcome:
    """Validate, assess and render one case and add its letter to ``files``: ``written`` once they are committed.
    A letter ``rehearsed`` already rendered for the same case and settings is taken from there."""
    item = task.item
    assert item.doc is not None
    order_id = order_id_of(item)
    path = settings.out_dir / task.name
    try:
        return _process(item, path, settings, catalog, order_id, files, rehearsed)
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
    guess: Settings,
    policy_dirs: list[str],
    source: str | None,
    until: Callable[[], bool] = lambda: True,
) -> Rehearsal:
    """Load what every case uses and run the first cases of ``source`` (a file or folder, never standard input or a
    pipe) through a letter each with the settings ``guess``ed from the arguments, writing nothing, until ``until()``
    says stop (checked after each; at most :data:`REHEARSED` cases): what the worker started before the batch has its
    settings does meanwhile (:mod:`rightscli.batch.early`). The letters are kept (:class:`Rehearsal`): the batch's
    first cases take them when nothing they are made from differs."""
    import stat

    from rightscli.batch.sources import sample_items
    from rightscli.catalog import load_catalog

    prepare()
    rehearsal = Rehearsal(guess, policy_dirs, load_catalog(policy_dirs))
    if source is None or source == "-":
        return rehearsal
    try:
        mode = os.stat(source).st_mode
    except OSError:
        return rehearsal
    if not (stat.S_ISREG(mode) or stat.S_ISDIR(mode)):  # a pipe's cases are read once, by the batch
        return rehearsal
    with contextlib.closing(sample_items(source, guess.as_of or guess.today, REHEARSED)) as items:
        for item in items:
            if item.doc is None:
                continue
            try:
                rendered = _rendered(_validated(item, guess), guess, rehearsal.catalog)
            except UserError:
                continue  # the batch reports it
            rehearsal.keep(item, rendered)
            if until():
                break
    return rehearsal


class Rehearsal:
    """What the worker started early did while it waited for the batch's settings (:func:`rehearse`): the rules it
    loaded, with the folders they came from, and the letters of the input's first JSON Lines rows, rendered with the
    settings guessed from the arguments.

    A case of the batch takes its letter from here (:meth:`take`) only when nothing the letter is made from differs:
    the same row of the same input with the same data (compared as MessagePack, which tells 1 from 1.0 and true),
    the same rules, and the same settings for a letter (recipient, format, dates, templates, language, draft).
    Anything else is rendered again, as it would have been without the rehearsal. benchmarks/batch.py's 1,000 cases
    at -j 2: the 4-8 rows the early worker renders before the settings come are not rendered a second time.
    """

    def __init__(self, guess: Settings, policy_dirs: list[str], catalog: Catalog) -> None:
        self.policy_dirs = policy_dirs
        self.catalog = catalog
        self._made_with = _letter_settings(guess)
        self._letters: dict[Ref, tuple[bytes, Rendered]] = {}

    def keep(self, item: Item, rendered: Rendered) -> None:
        if item.json_row and item.doc is not None:
            with contextlib.suppress(TypeError, ValueError, OverflowError):  # not held by MessagePack: not kept
                self._letters[item.ref] = (pack_data(item.doc.data), rendered)

    def take(self, item: Item, settings: Settings, catalog: Catalog) -> Rendered | None:
        """The letter rendered for ``item`` if it is the one the batch would render now, else None. Each is taken
        once."""
        kept = self._letters.pop(item.ref, None)
        if kept is None or catalog is not self.catalog or _letter_settings(settings) != self._made_with:
            return None
        if not item.json_row or item.doc is None:  # only JSON Lines rows are kept, and a case has a document
            return None
        packed, rendered = kept
        try:
            same = pack_data(item.doc.data) == packed
        except (TypeError, ValueError, OverflowError):
            return None
        return rendered if same else None

    def __len__(self) -> int:
        return len(self._letters)


def _letter_settings(settings: Settings) -> tuple[object, ...]:
    """What of the settings a case's letter depends on (not where it is written, nor whether over a file)."""
    s = settings
    return (s.recipient, s.fmt, s.as_of, s.today, s.template_dir, s.lang, s.draft)


REHEARSED = 16  # cases a worker started early runs through at most while it waits for the batch's settings


def _process(
    item: Item,
    path: Path,
    settings: Settings,
    catalog: Catalog,
    order_id: str | None,
    files: FileBatch,
    rehearsed: Rehearsal | None,
) -> Outcome:
    rendered = rehearsed.take(item, settings, catalog) if rehearsed else None
    case = _validated(item, settings) if rendered is None else None  # a rehearsed case was valid with these settings
    if not settings.force and _exists(path):
        return _skipped(item.ref, path, order_id)
    if rendered is None:
        assert case is not None
        rendered = _rendered(case, settings, catalog)
    raw = rendered.data if isinstance(rendered.data, bytes) else rendered.data.encode("utf-8")
    try:
        files.add(path, raw, force=settings.force)
    except OutputError:
        if not settings.force and _exists(path):  # created since the check above
            return _skipped(item.ref, path, order_id)
        raise
    return Outcome(item.ref, WRITTEN, output=str(path), order_id=order_id, warnings=rendered.warnings)


def _validated(item: Item, settings: Settings) -> Case:
    from rightscli.case import validate_case

    assert item.doc is not None
    return validate_case(item.doc, as_of=settings.as_of, today=settings.today, text_values=item.text_values)


def _rendered(case: Case, settings: Settings, catalog: Catalog) -> Rendered:
    from rightscli.engine import assess
    from rightscli.letters.letter import render_letter

    day = settings.as_of or case.as_of or settings.today
    result = assess(case, catalog, day, "zh", plan=False, explain=False)  # letters are in Chinese (warnings: --lang)
    return render_letter(
        result, settings.recipient, settings.fmt, settings.template_dir, settings.lang, draft=settings.draft
    )


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
