"""Where each waiting window of ``policies/waits.yaml`` stands for a case on ``as_of``.

A window starts at its ``from`` event (the latest one) or date fact, possibly restarted by later events
(interruption of limitation). Its status on ``as_of``:

* ``done``: its ``done_when`` holds on the history from the start event on (the other side acted, the buyer acted);
* ``running``: ``as_of`` is on or before its last day (or the extended last day, for an extendable window);
* ``passed``: after that. For a wait this means the other side missed its time: its ``then`` step is due now.
  For a deadline it means the buyer's window closed.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import msgspec

from rightscli import conditions
from rightscli.case import Case, HistoryEvent
from rightscli.daycount import PeriodEnd, period_end, restart_period
from rightscli.policy import Source, Text, Wait


class PlainFacts:
    """The facts conditions read (as in :class:`rightscli.engine.CaseFacts`), over a case and ``as_of``."""

    def __init__(self, case: Case, as_of: date) -> None:
        self.case = case
        self.as_of = as_of

    def get(self, path: str) -> Any:
        return self.as_of if path == "as_of" else self.case.fact(path)

    def has_event(self, event: str) -> bool:
        return any(e.event == event for e in self.case.history)


class WaitState(msgspec.Struct, frozen=True):
    wait: Wait
    start: date  # the day the period counts from (the event's day, not counted itself)
    start_from: str  # the event or fact it started from, e.g. "return_requested" or "problem.discovered_on"
    end: PeriodEnd  # the last day of the window
    extended_end: PeriodEnd | None  # the last day if the other side extends it (extendable_by)
    status: str  # running | passed | done
    as_of: date
    restarted_by: HistoryEvent | None = None  # the event that restarted the period, if any
    # set when a later event would restart the period only on a reading of the law (a complaint to a consumer
    # association interrupting limitation): stated with the date, never counted in it
    restart_interpretation: Text | None = None
    sources: tuple[Source, ...] = ()  # the sources in force on the start day

    @property
    def id(self) -> str:
        return self.wait.id

    @property
    def kind(self) -> str:
        return self.wait.kind

    @property
    def last_day(self) -> date:
        return self.end.last_day

    @property
    def final_day(self) -> date:
        """The last day counting a possible extension."""
        return (self.extended_end or self.end).last_day

    @property
    def follow_up(self) -> date:
        """The first day after the window: when to act if the other side did not."""
        return self.last_day + timedelta(days=1)

    @property
    def days_left(self) -> int:
        return (self.last_day - self.as_of).days

    @property
    def calendar_known(self) -> bool:
        return self.end.calendar_known and (self.extended_end is None or self.extended_end.calendar_known)

    @property
    def source_id(self) -> str:
        return f"wait.{self.wait.id}"

    def basis(self) -> list[dict[str, str]]:
        sources = list(self.sources)
        if self.restarted_by is not None:
            for restart in self.wait.restarted_by:
                if self.restarted_by.event in restart.events:
                    sources += restart.sources
        out: list[dict[str, str]] = []
        for s in sources:
            item = {"document": s.document, "article": s.article}
            if item not in out:
                out.append(item)
        return out


def sources_in_force(sources: tuple[Source, ...], day: date) -> tuple[Source, ...]:
    """The sources whose text was in force on ``day`` (all of them if none was)."""
    chosen = tuple(
        s
        for s in sources
        if (s.effective_from is None or s.effective_from <= day) and (s.effective_to is None or day <= s.effective_to)
    )
    return chosen or sources


def evaluate_waits(waits: list[Wait], case: Case, as_of: date) -> list[WaitState]:
    """Every window that has started for this case, with its status on ``as_of``, earliest last day first."""
    facts = PlainFacts(case, as_of)
    out: list[WaitState] = []
    for wait in waits:
        state = _evaluate(wait, case, facts, as_of)
        if state is not None:
            out.append(state)
    out.sort(key=lambda s: (s.last_day, s.wait.id))
    return out


def _evaluate(wait: Wait, case: Case, facts: PlainFacts, as_of: date) -> WaitState | None:
    if wait.when is not None and conditions.evaluate(wait.when, facts)[0] is not True:
        return None
    started = _start(wait, case)
    if started is None:
        return None
    start, start_from, first_index = started
    period = wait.period
    extend = period.holiday_extension == "true"
    unit: Any = period.unit
    end, restarted, interpretation = restart_period(
        start, period.length, unit, wait.restarted_by, case.history[first_index:], holiday_extension=extend
    )
    if restarted is not None:
        start = restarted.on
    extended = None
    if wait.extendable_by:
        extended = period_end(start, period.length + wait.extendable_by, unit, holiday_extension=extend)
    status = "running"
    if wait.done_when is not None:
        later = msgspec.structs.replace(case, history=case.history[first_index:])
        if conditions.evaluate(wait.done_when, PlainFacts(later, as_of))[0] is True:
            status = "done"
    if status == "running" and as_of > (extended or end).last_day:
        status = "passed"
    return WaitState(
        wait=wait,
        start=start,
        start_from=restarted.event if restarted else start_from,
        end=end,
        extended_end=extended,
        status=status,
        as_of=as_of,
        restarted_by=restarted,
        restart_interpretation=interpretation,
        sources=sources_in_force(wait.sources, start),
    )


def _start(wait: Wait, case: Case) -> tuple[date, str, int] | None:
    """(start day, what it started from, index of the first history event that counts after it)."""
    period = wait.period
    first = f"history:{period.from_event}" if period.from_event else period.from_fact
    for source in (first, *wait.fallbacks):
        if source is None:
            continue
        if source.startswith("history:"):
            event = source.removeprefix("history:")
            events = [e.event for e in case.history]
            if event in events:
                index = len(events) - 1 - events[::-1].index(event)
                return case.history[index].on, event, index
            continue
        day = case.fact(source)
        if isinstance(day, date):
            index = next((i for i, e in enumerate(case.history) if e.on >= day), len(case.history))
            return day, source, index
    return None


def wait_json(w: WaitState, lang: str) -> dict[str, Any]:
    out: dict[str, Any] = {
        "id": w.source_id,
        "kind": w.kind,
        "label": w.wait.label.get(lang),
        "since": w.start.isoformat(),
        "since_event": w.start_from,
        "until": w.last_day.isoformat(),
        "extended_until": _iso(w.extended_end.last_day if w.extended_end else None),
        "days_left": w.days_left,
        "follow_up": w.follow_up.isoformat(),
        "status": w.status,
        "then": {"to": w.wait.then.to, "action": w.wait.then.action.get(lang)},
        "basis": w.basis(),
        "confidence": w.wait.confidence,
    }
    if w.restart_interpretation is not None:
        out["interpretation"] = w.restart_interpretation.get(lang)
    if w.wait.note is not None:
        out["note"] = w.wait.note.get(lang)
    return out


def _iso(d: date | None) -> str | None:
    return d.isoformat() if d else None
