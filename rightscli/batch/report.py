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
from rightscli.bilingual import pick

LABELS: dict[str, dict[str, str]] = {
    "title": {"zh": "批量生成信件", "en": "Batch of letters"},
    "result": {"zh": "结果", "en": "result"},
    "count": {"zh": "数量", "en": "cases"},
    WRITTEN: {"zh": "已写入", "en": "written"},
    SKIPPED: {"zh": "已跳过（文件已存在，可用 --force 替换）", "en": "skipped (file exists; --force replaces it)"},
    FAILED: {"zh": "失败（见上方错误）", "en": "failed (see the errors above)"},
    "total": {"zh": "合计", "en": "total"},
    "gaps": {"zh": "其中信中有待补充内容（--json 列出）", "en": "of which letters have gaps (--json lists them)"},
    "where": {"zh": "信件目录：{dir}，用时 {secs:.1f} 秒", "en": "letters in {dir}, {secs:.1f} s"},
    "progress": {"zh": "生成信件", "en": "writing letters"},
    "cases": {"zh": "件", "en": "cases"},
    "empty": {"zh": "rights: 警告：输入中没有案件", "en": "rights: warning: the input holds no cases"},
    "more_skipped": {
        "zh": "rights: 其余已存在的文件不再逐一列出（--json 列出每一件）",
        "en": "rights: further files that exist are not listed one by one (--json lists every case)",
    },
}
MAX_SKIP_LINES = 10  # a second run over the same input would otherwise print a line for every case


def label(key: str, lang: str) -> str:
    return pick(LABELS[key], lang)


def describe(outcome: Outcome) -> list[str]:
    """The stderr lines for a failed or skipped case, each naming the input place."""
    if outcome.status == SKIPPED:
        return [f"rights: skipped: {outcome.output}: {p['message']} ({outcome.ref})" for p in outcome.errors]
    lines = []
    for p in outcome.errors:
        where = p["file"] if p["line"] is None else f"{p['file']}:{p['line']}"
        if p["file"] != outcome.ref.file:  # e.g. a template file
            where = f"{outcome.ref}: {where}"
        field = f", field '{p['field']}'" if p["field"] else ""
        lines.append(f"rights: error: {where}{field}: {p['message']}")
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
        columns.append(TextColumn("{task.fields[cases]} " + label("cases", self.lang)))
        if self.total:
            columns.insert(2, MofNCompleteColumn() if self.counted else TextColumn("{task.percentage:>3.0f}%"))
        columns.append(TimeElapsedColumn())
        self.progress = Progress(*columns, console=make_console(stderr=True), transient=True)
        self.task = self.progress.add_task(label("progress", self.lang), total=self.total, cases=0)
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
                self._say([label("more_skipped", self.lang)])
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
        tbl = table(console, title=label("title", self.lang))
        tbl.add_column(label("result", self.lang))
        tbl.add_column(label("count", self.lang), justify="right")
        for key in (WRITTEN, SKIPPED, FAILED):
            tbl.add_row(label(key, self.lang), str(self.counts[key]))
        tbl.add_row(label("total", self.lang), str(sum(self.counts.values())))
        if self.gaps:
            tbl.add_row(label("gaps", self.lang), str(self.gaps))
        console.print(tbl)
        if not sum(self.counts.values()):
            self._say([label("empty", self.lang)])
        secs = time.perf_counter() - self.started
        console.print(label("where", self.lang).format(dir=self.out_dir, secs=secs), markup=False, highlight=False)


def _is_tty(stream: object) -> bool:
    isatty = getattr(stream, "isatty", None)
    try:
        return bool(isatty and isatty())
    except (OSError, ValueError):
        return False
