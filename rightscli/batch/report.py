"""What a batch shows: a progress bar on stderr at a terminal, a line on stderr for each case that failed or was
skipped, with ``--json`` one JSON object per case on stdout (JSON Lines, in input order), and a summary table at the
end (on stdout, or on stderr with ``--json`` so that stdout stays JSON Lines). Only counts are kept, not outcomes.
"""

from __future__ import annotations

import json
import sys
import time
from collections.abc import Callable
from typing import Any

from rightscli.batch.work import FAILED, SKIPPED, WRITTEN, Outcome
from rightscli.i18n import tr

MAX_SKIP_LINES = 10  # a second run over the same input would otherwise print a line for every case


def describe(outcome: Outcome) -> list[str]:
    """The stderr lines for a failed or skipped case, each naming the input place."""
    if outcome.status == SKIPPED:
        return [
            tr("batch.skipped_line", output=outcome.output, message=p["message"], ref=outcome.ref)
            for p in outcome.errors
        ]
    lines = []
    for p in outcome.errors:
        where = p["file"] if p["line"] is None else tr("err.file_line", file=p["file"], line=p["line"])
        if p["file"] != outcome.ref.file:  # e.g. a template file
            where = f"{outcome.ref}: {where}"
        if p["field"]:
            where += tr("err.where_sep") + tr("err.where_field", path=p["field"])
        lines.append(tr("err.prefix") + tr("err.at", where=where, message=p["message"]))
    return lines


class Reporter:
    """Counts outcomes and shows them; ``with Reporter(...) as rep: rep.add(outcome)`` then ``rep.summary()``."""

    def __init__(
        self,
        *,
        json_out: bool,
        lang: str,
        out_dir: str,
        total: int | None,
        position: Callable[[], int],
        counted: bool = False,
    ) -> None:
        """``total`` and ``position`` measure progress: files of a folder (``counted``) or bytes of a file."""
        self.json_out = json_out
        self.lang = lang
        self.out_dir = out_dir
        self.total = total
        self.position = position
        self.counted = counted
        self.counts = {WRITTEN: 0, SKIPPED: 0, FAILED: 0}
        self.gaps = 0
        self.internal = 0
        self.started = time.perf_counter()
        self.progress: Any = None
        self.task: Any = None

    def preload(self) -> None:
        """Load what the summary's table needs (rich) ahead of the summary: the batch calls this while its workers
        write their first letters (Runner's ``idle``), so that neither they nor the end of the batch wait for it."""
        import rightscli.views.console  # noqa: F401

    def __enter__(self) -> Reporter:
        if _is_tty(sys.stderr):
            self._start_progress()
        return self

    def __exit__(self, *exc: object) -> None:
        if self.progress is not None:
            self.progress.stop()
            self.progress = None

    def _start_progress(self) -> None:
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

        from rightscli.views.console import make_console

        columns = [TextColumn("{task.description}"), BarColumn()]
        columns.append(TextColumn("{task.fields[cases]} " + tr("batch.cases", self.lang)))
        if self.total:
            columns.insert(2, MofNCompleteColumn() if self.counted else TextColumn("{task.percentage:>3.0f}%"))
        columns.append(TimeElapsedColumn())
        self.progress = Progress(*columns, console=make_console(stderr=True), transient=True)
        self.task = self.progress.add_task(tr("batch.progress", self.lang), total=self.total, cases=0)
        self.progress.start()

    def add(self, outcome: Outcome) -> None:
        self.counts[outcome.status] += 1
        self.gaps += outcome.status == WRITTEN and bool(outcome.warnings)
        self.internal += outcome.internal
        if self.json_out:
            sys.stdout.write(json.dumps(outcome.to_json(), ensure_ascii=False) + "\n")
            sys.stdout.flush()
        if outcome.status == FAILED:
            self._say(describe(outcome))
        elif outcome.status == SKIPPED:
            shown = self.counts[SKIPPED]
            if shown <= MAX_SKIP_LINES:
                self._say(describe(outcome))
            if shown == MAX_SKIP_LINES:
                self._say([tr("batch.more_skipped", self.lang)])
        done = self.position()  # called for every outcome: it also lets go of the item's progress mark
        if self.progress is not None:
            self.progress.update(self.task, completed=done, cases=sum(self.counts.values()))

    def _say(self, lines: list[str]) -> None:
        if self.progress is not None:
            from rich.text import Text

            for line in lines:
                self.progress.console.print(Text(line), soft_wrap=True)
            return
        sys.stderr.write("".join(line + "\n" for line in lines))
        sys.stderr.flush()

    @property
    def exit_code(self) -> int:
        if self.internal:
            return 1
        return 0 if self.counts[SKIPPED] == 0 and self.counts[FAILED] == 0 else 2

    def summary(self) -> None:
        from rightscli.views.console import make_console, table

        console = make_console(stderr=self.json_out)
        tbl = table(console, title=tr("batch.title", self.lang))
        tbl.add_column(tr("batch.result", self.lang))
        tbl.add_column(tr("batch.count", self.lang), justify="right")
        for key in (WRITTEN, SKIPPED, FAILED):
            tbl.add_row(tr("batch." + key, self.lang), str(self.counts[key]))
        tbl.add_row(tr("batch.total", self.lang), str(sum(self.counts.values())))
        if self.gaps:
            tbl.add_row(tr("batch.gaps", self.lang), str(self.gaps))
        console.print(tbl)
        if not sum(self.counts.values()):
            self._say([tr("batch.empty", self.lang)])
        secs = time.perf_counter() - self.started
        console.print(tr("batch.where", self.lang).format(dir=self.out_dir, secs=secs), markup=False, highlight=False)


def _is_tty(stream: object) -> bool:
    isatty = getattr(stream, "isatty", None)
    try:
        return bool(isatty and isatty())
    except (OSError, ValueError):
        return False
