"""The "what now" plan of a case: what to do today, the nearest deadline, what is being waited for and until when,
and the step after that. Built from an :class:`~rightscli.assessment.Assessment` plus the waiting windows and the
escalation ladder of the catalog. Pure: no I/O, no clock.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import msgspec
from msgspec import field

from rightscli.assessment import Assessment, Finding
from rightscli.case import Case
from rightscli.i18n import tr
from rightscli.plan.ladder import escalation_step, parallel_steps, step_after, with_events
from rightscli.plan.waits import WaitState, evaluate_waits
from rightscli.policy import CLAIM_EVENTS, EscalationStep, Wait

URGENT_DAYS = 7  # a dated step this close is something to do today


class Action(msgspec.Struct, frozen=True):
    """Something to do: ``to`` whom (None for the buyer's own chores such as collecting evidence), by when."""

    to: str | None
    action: str
    why: str
    source: str
    by: date | None = None
    start: date | None = None  # for "after": from which day
    basis: tuple[dict[str, str], ...] = ()
    title: str = ""  # a short name of the step, for tables

    def to_json(self) -> dict[str, Any]:
        return {
            "to": self.to,
            "title": self.title,
            "action": self.action,
            "why": self.why,
            "by": _iso(self.by),
            "from": _iso(self.start),
            "source": self.source,
            "basis": list(self.basis),
        }


class Dated(msgspec.Struct, frozen=True):
    """A dated item of the timeline: a deadline for the buyer, a follow-up date after a wait, an evidence date."""

    id: str  # stable: "cn.cpl.art25", "wait.refund_due", "wait.refund_due.follow_up", "evidence.unboxing_video"
    kind: str  # deadline | follow_up | evidence
    day: date
    title: str
    action: str
    as_of: date
    to: str | None = None
    basis: tuple[dict[str, str], ...] = ()
    confidence: str = "verified"

    @property
    def days_left(self) -> int:
        return (self.day - self.as_of).days

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "kind": self.kind,
            "date": self.day.isoformat(),
            "days_left": self.days_left,
            "title": self.title,
            "to": self.to,
            "action": self.action,
            "basis": list(self.basis),
            "confidence": self.confidence,
        }


class Plan(msgspec.Struct):
    case: Case
    as_of: date
    lang: str
    today: list[Action] = field(default_factory=list)
    deadlines: list[Dated] = field(default_factory=list)  # the buyer's open deadlines, earliest first
    waiting: list[WaitState] = field(default_factory=list)  # waits running on as_of, earliest end first
    overdue: list[WaitState] = field(default_factory=list)  # waits that passed without the other side acting
    after: Action | None = None
    dates: list[Dated] = field(default_factory=list)  # every deadline and follow-up date from as_of on
    warnings: list[str] = field(default_factory=list)

    @property
    def nearest_deadline(self) -> Dated | None:
        return self.deadlines[0] if self.deadlines else None

    def most_urgent(self) -> tuple[date, str] | None:
        """The most urgent date of the case and what it is: an overdue step (as_of), the nearest deadline, the end
        of a wait, or the date of a step to take today; None when nothing is dated."""
        lang = self.lang
        items: list[tuple[date, str]] = [(max(a.by, self.as_of), a.why) for a in self.today if a.by is not None]
        items += [(d.day, d.title) for d in self.deadlines]
        items += [
            (w.last_day, tr("plan.waiting_row", lang, label=w.wait.label.get(lang), day=w.last_day.isoformat()))
            for w in self.waiting
        ]
        return min(items, key=lambda item: item[0]) if items else None

    def to_json(self) -> dict[str, Any]:
        nearest = self.nearest_deadline
        return {
            "as_of": self.as_of.isoformat(),
            "file": self.case.source,
            "order": {"id": self.case.order.id, "item": self.case.order.item, "platform": self.case.platform},
            "today": [a.to_json() for a in self.today],
            "nearest_deadline": nearest.to_json() if nearest else None,
            "waiting": [wait_json(w, self.lang) for w in self.waiting],
            "overdue": [wait_json(w, self.lang) for w in self.overdue],
            "after": self.after.to_json() if self.after else None,
            "deadlines": [d.to_json() for d in self.deadlines],
            "dates": [d.to_json() for d in self.dates],
            "warnings": list(self.warnings),
        }


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


# -- building the plan --------------------------------------------------------------------------------------------
def make_plan(result: Assessment, waits: list[Wait], ladder: list[EscalationStep]) -> Plan:
    case, as_of, lang = result.case, result.as_of, result.lang
    plan = Plan(case=case, as_of=as_of, lang=lang)
    states = evaluate_waits(waits, case, as_of)
    running = [s for s in states if s.status == "running"]
    plan.waiting = [s for s in running if s.kind == "wait"]
    plan.overdue = [s for s in states if s.status == "passed" and s.kind == "wait"]
    plan.deadlines = _deadlines(result, running, lang)
    shown = {d.id for d in plan.deadlines}
    plan.warnings = _warnings(
        [s for s in states if s.kind == "wait" or s.source_id in shown or s.status == "passed"], lang
    )
    plan.dates = sorted(
        [*plan.deadlines, *_follow_ups(plan.waiting, lang, as_of)], key=lambda d: (d.day, d.kind != "deadline", d.id)
    )
    plan.today, plan.after = _today_and_after(result, states, ladder, plan.deadlines)
    return plan


def _warnings(states: list[WaitState], lang: str) -> list[str]:
    out: list[str] = []
    for s in states:
        label = s.wait.label.get(lang)
        if s.status == "done":
            continue
        # Outside the holiday calendar's years working days skip weekends only, so a period ends no later than the
        # official one: safe for the buyer's own deadlines, too early for a wait on the other side: warn for those.
        if not s.calendar_known and s.kind == "wait":
            out.append(tr("plan.warn_calendar", lang, label=label, year=s.final_day.year, day=s.final_day.isoformat()))
        if s.kind == "deadline" and s.status == "passed":
            out.append(tr("plan.warn_missed", lang, label=label, day=s.last_day.isoformat()))
        if s.wait.confidence != "verified" and s.wait.uncertainty is not None:
            level = tr(f"plan.level_{s.wait.confidence}", lang)
            uncertainty = s.wait.uncertainty.get(lang)
            out.append(tr("plan.warn_wait_confidence", lang, label=label, level=level, uncertainty=uncertainty))
    return out


def _deadlines(result: Assessment, running: list[WaitState], lang: str) -> list[Dated]:
    as_of = result.as_of
    out: list[Dated] = []
    for f in result.applicable():
        if f.deadline is None or f.deadline < as_of or _exercised(f, result.case):
            continue
        label = f.deadline_label.get(lang) if f.deadline_label else f.policy.title.get(lang)
        step = next((ns for ns in f.policy.next_steps if ns.by_deadline), None) or next(iter(f.policy.next_steps), None)
        out.append(
            Dated(
                id=f.policy.id,
                kind="deadline",
                day=f.deadline,
                title=tr("plan.act_on_finding", lang, title=f.policy.title.get(lang), label=label),
                action=step.action.get(lang) if step else f.policy.summary.get(lang),
                as_of=as_of,
                to=step.to if step else None,
                basis=tuple(f.basis()),
                confidence=f.policy.confidence,
            )
        )
    for s in running:
        if s.kind != "deadline" or any(d.day == s.last_day and d.to == s.wait.then.to for d in out):
            continue  # a platform rule may already give the same window as a finding
        title = s.wait.label.get(lang)
        if s.restarted_by is not None:
            title += tr("plan.restarted_short", lang, day=s.restarted_by.on.isoformat(), event=s.restarted_by.event)
        if s.restart_interpretation is not None:
            title += tr("plan.interpretation", lang, text=s.restart_interpretation.get(lang))
        out.append(
            Dated(
                id=s.source_id,
                kind="deadline",
                day=s.last_day,
                title=title,
                action=s.wait.then.action.get(lang),
                as_of=as_of,
                to=s.wait.then.to,
                basis=tuple(s.basis()),
                confidence=s.wait.confidence,
            )
        )
    for e in result.evidence:
        if e.held or e.collect_by is None or e.collect_by < as_of:
            continue
        out.append(
            Dated(
                id=f"evidence.{e.id}",
                kind="evidence",
                day=e.collect_by,
                title=tr("plan.collect", lang, label=e.label.get(lang)),
                action=tr("plan.collect", lang, label=e.label.get(lang)),
                as_of=as_of,
            )
        )
    out.sort(key=lambda d: (d.day, d.id))
    return out


def _exercised(f: Finding, case: Case) -> bool:
    """The buyer already asserted this right in time (a met_by event on or before the last day)."""
    assert f.deadline is not None
    events = f.policy.deadline.met_by if f.policy.deadline is not None else CLAIM_EVENTS
    return any(e.event in events and e.on <= f.deadline for e in case.history)


def _follow_ups(waiting: list[WaitState], lang: str, as_of: date) -> list[Dated]:
    out: list[Dated] = []
    for s in waiting:
        days = [("follow_up", s.follow_up)]
        if s.extended_end is not None:
            days.append(("follow_up_extended", s.extended_end.last_day + timedelta(days=1)))
        for suffix, day in days:
            if day < as_of:
                continue
            out.append(
                Dated(
                    id=f"{s.source_id}.{suffix}",
                    kind="follow_up",
                    day=day,
                    title=tr("plan.why_wait_passed", lang, label=s.wait.label.get(lang), day=_day_before(day)),
                    action=s.wait.then.action.get(lang),
                    as_of=as_of,
                    to=s.wait.then.to,
                    basis=tuple(s.basis()),
                    confidence=s.wait.confidence,
                )
            )
    return out


def _day_before(day: date) -> str:
    return (day - timedelta(days=1)).isoformat()


def _today_and_after(
    result: Assessment, states: list[WaitState], ladder: list[EscalationStep], deadlines: list[Dated]
) -> tuple[list[Action], Action | None]:
    as_of, lang, case = result.as_of, result.lang, result.case
    today: list[Action] = []
    seen: set[tuple[str | None, str]] = set()

    def add(a: Action) -> None:
        if (a.to, a.action) not in seen:
            seen.add((a.to, a.action))
            today.append(a)

    overdue = [s for s in states if s.status == "passed" and s.kind == "wait"]
    for s in overdue:
        add(
            Action(
                to=s.wait.then.to,
                action=s.wait.then.action.get(lang),
                why=tr("plan.why_wait_passed", lang, label=s.wait.label.get(lang), day=s.final_day.isoformat()),
                source=s.source_id,
                by=as_of,
                basis=tuple(s.basis()),
                title=s.wait.label.get(lang),
            )
        )
    for d in deadlines:
        if d.days_left <= URGENT_DAYS:
            why = tr("plan.why_deadline", lang, label=d.title, day=d.day.isoformat())
            add(Action(to=d.to, action=d.action, why=why, source=d.id, by=d.day, basis=d.basis, title=d.title))
    # The escalation ladder, with the passed waits counted as the events they stand for.
    implied = [s.wait.passed_counts_as for s in overdue if s.wait.passed_counts_as]
    now_case = with_events(case, implied, as_of)
    step = escalation_step(ladder, now_case, as_of)
    paused = {t for s in states if s.status == "running" and s.kind == "wait" for t in s.wait.pauses}
    running_waits = [s for s in states if s.status == "running" and s.kind == "wait"]
    after: Action | None = None
    if step is not None and step.to not in paused:
        if not any(a.to == step.to for a in today):  # a dated step to the same body says it already
            by = next((d.day for d in deadlines if d.to == step.to and d.id.startswith("wait.")), None)
            add(_ladder_action(step, lang, by=by, why=tr("plan.why_escalation", lang)))
        following = step_after(ladder, now_case, step, as_of)
        if following is not None:
            after = _ladder_action(following, lang, why=tr("plan.if_fails", lang))
    for extra in parallel_steps(ladder, now_case, as_of):
        add(_ladder_action(extra, lang, why=tr("plan.why_parallel", lang)))
    pausing = [s for s in running_waits if s.wait.pauses]
    if after is None or (step is not None and step.to in paused):
        first = (pausing or running_waits or [None])[0]
        if first is not None:
            after = Action(
                to=first.wait.then.to,
                action=first.wait.then.action.get(lang),
                why=tr("plan.why_if_not_by", lang, label=first.wait.label.get(lang), day=first.final_day.isoformat()),
                source=first.source_id,
                start=first.final_day + timedelta(days=1),
                basis=tuple(first.basis()),
                title=first.wait.label.get(lang),
            )
    today.sort(key=lambda a: (a.by or date.max, a.source))
    return today, after


def _ladder_action(step: EscalationStep, lang: str, *, why: str, by: date | None = None) -> Action:
    return Action(
        to=step.to,
        action=f"{step.title.get(lang)}：{step.action.get(lang)}"
        if lang == "zh"
        else f"{step.title.get(lang)}: {step.action.get(lang)}",
        why=why,
        source=f"escalation.{step.id}",
        by=by,
        basis=tuple({"document": s.document, "article": s.article} for s in step.sources),
        title=step.title.get(lang),
    )
