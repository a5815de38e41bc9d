"""The "what now" plan of a case — the one derivation of what to do: the steps (today's first, then by date), the
nearest deadline, what is being waited for and until when, the step after that, and the money the findings claim.
Built from an :class:`~rightscli.assessment.Assessment` plus the waiting windows and the escalation ladder of the
catalog, by the engine itself (``Assessment.plan``); ``next_steps`` of ``rights assess --json`` are these steps.
Pure: no I/O, no clock.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

import msgspec

from rightscli import conditions
from rightscli.case import Case
from rightscli.daycount import period_end
from rightscli.i18n import tr
from rightscli.i18n.formats import day as fmt_day
from rightscli.plan.ladder import escalation_step, parallel_steps, step_after, with_events
from rightscli.plan.model import Action, Claim, Dated, Plan, Question
from rightscli.plan.waits import PlainFacts, WaitState, evaluate_waits
from rightscli.policy import CLAIM_EVENTS, EscalationStep, Wait

if TYPE_CHECKING:
    from rightscli.assessment import Assessment, Finding

__all__ = ["Action", "Claim", "Dated", "Plan", "make_plan"]

URGENT_DAYS = 7  # a dated step this close is something to do today


# -- building the plan --------------------------------------------------------------------------------------------
def make_plan(
    result: Assessment, waits: list[Wait], ladder: list[EscalationStep], asks: dict[str, Any] | None = None
) -> Plan:
    """``asks``: the wizard's question for each case path (``Catalog.asks``), to put missing facts to the buyer."""
    case, as_of, lang = result.case, result.as_of, result.lang
    plan = Plan(case=case, as_of=as_of, lang=lang)
    plan.asserted = {f.policy.id: day for f in result.applicable() if (day := _asserted_on(f, case)) is not None}
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
        [*_once(plan.deadlines, running), *_follow_ups(plan.waiting, lang, as_of)],
        key=lambda d: (d.day, d.kind != "deadline", d.id),
    )
    plan.steps, plan.optional, plan.after = _steps(result, states, ladder, plan.deadlines)
    plan.today = [a for a in plan.steps if a.now]
    plan.dates = sorted(
        [*plan.dates, *_step_dates(plan.steps, [*plan.dates, *plan.deadlines], lang, as_of)],
        key=lambda d: (d.day, d.kind != "deadline", d.id),
    )
    plan.claims = _claims(result)
    plan.questions = _questions(result, asks or {})
    return plan


def _questions(result: Assessment, asks: dict[str, Any]) -> list[Question]:
    """The facts the undecided findings lack, the one that decides most findings first."""
    needed: dict[str, list[str]] = {}
    for f in result.findings:
        if f.status == "applies" and not f.decided:
            for path in f.missing:
                needed.setdefault(path, []).append(f.policy.id)
    order = sorted(needed, key=lambda p: -len(needed[p]))
    return [Question(p, tuple(needed[p]), asks.get(p)) for p in order]


def claim_kind(remedies: tuple[str, ...]) -> str:
    """What the amount of a finding is, from its remedies (data): punitive damages, compensation, else the refund."""
    if "punitive_damages" in remedies:
        return "punitive"
    if "compensation" in remedies:
        return "compensation"
    return "refund" if {"return_refund", "refund_only", "price_difference"} & set(remedies) else "compensation"


def _claims(result: Assessment) -> list[Claim]:
    out = [
        Claim(
            claim_kind(f.remedies),
            f.amount,
            f.policy.id,
            f.policy.title.get(result.lang),
            f.decided,
            f.policy.confidence == "verified",
        )
        for f in result.applicable()
        if f.amount is not None and f.amount > 0
    ]
    order = {"refund": 0, "compensation": 1, "punitive": 2}
    out.sort(key=lambda c: (not c.decided, order[c.kind], -c.amount))
    return out


def _warnings(states: list[WaitState], lang: str) -> list[str]:
    out: list[str] = []
    for s in states:
        label = s.wait.label.get(lang)
        if s.status == "done":
            continue
        # Outside the holiday calendar's years working days skip weekends only, so a period ends no later than the
        # official one: safe for the buyer's own deadlines, too early for a wait on the other side: warn for those.
        if not s.calendar_known and s.kind == "wait":
            day = fmt_day(s.final_day, lang, s.as_of)
            out.append(tr("plan.warn_calendar", lang, label=label, year=s.final_day.year, day=day))
        if s.kind == "deadline" and s.status == "passed":
            out.append(tr("plan.warn_missed", lang, label=label, day=fmt_day(s.last_day, lang, s.as_of)))
        if s.wait.confidence != "verified" and s.wait.uncertainty is not None:
            level = tr(f"plan.level_{s.wait.confidence}", lang)
            uncertainty = s.wait.uncertainty.get(lang)
            out.append(tr("plan.warn_wait_confidence", lang, label=label, level=level, uncertainty=uncertainty))
    return out


def _once(deadlines: list[Dated], running: list[WaitState]) -> list[Dated]:
    """The deadlines, each date once: a rule's deadline is left out where a window that is the same period
    (``same_as``) gives the same day, since the window says what to do by then (sue, or restart the period)."""
    same = {s.wait.same_as: s.source_id for s in running if s.wait.same_as}
    days = {d.id: d.day for d in deadlines}
    return [d for d in deadlines if not (d.id in same and days.get(same[d.id]) == d.day)]


def _deadlines(result: Assessment, running: list[WaitState], lang: str) -> list[Dated]:
    as_of = result.as_of
    out: list[Dated] = []
    for f in result.applicable():
        if f.deadline is None or f.deadline < as_of or f.deadline_party != "buyer" or _exercised(f, result.case):
            continue  # a deadline the buyer has to act by, and has not yet acted on
        label = f.deadline_label.get(lang) if f.deadline_label else f.policy.title.get(lang)
        step = next((ns for ns in f.policy.next_steps if ns.by_deadline), None) or next(iter(f.policy.next_steps), None)
        title = tr("plan.act_on_finding", lang, title=f.policy.title.get(lang), label=label)
        if f.deadline_restarted is not None:  # the same words as a restarted waiting window
            event = tr(f"event.{f.deadline_restarted.event}", lang)
            title += tr("plan.restarted_short", lang, day=fmt_day(f.deadline_restarted.on, lang, as_of), event=event)
        out.append(
            Dated(
                id=f.policy.id,
                kind="deadline",
                day=f.deadline,
                title=title,
                action=step.action.get(lang) if step else f.policy.summary.get(lang),
                as_of=as_of,
                to=step.to if step else None,
                basis=tuple(f.basis()),
                confidence=f.policy.confidence,
                short=short_title(f.policy.title.get(lang), "plan.short_deadline", lang),
                decided=f.decided,
            )
        )
    for s in running:
        if s.kind != "deadline" or any(d.day == s.last_day and d.to == s.wait.then.to for d in out):
            continue  # a platform rule may already give the same window as a finding
        title = s.wait.label.get(lang)
        if s.restarted_by is not None:
            event = tr(f"event.{s.restarted_by.event}", lang)
            title += tr("plan.restarted_short", lang, day=fmt_day(s.restarted_by.on, lang, as_of), event=event)
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
                short=short_title(s.wait.label.get(lang), "plan.short_deadline", lang),
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
                short=short_title(e.label.get(lang), "plan.short_evidence", lang),
            )
        )
    out.sort(key=lambda d: (d.day, d.id))
    return out


SHORT_TITLE = 20  # characters: a calendar title a phone shows whole


def short_title(name: str, key: str, lang: str) -> str:
    """A title of at most :data:`SHORT_TITLE` characters for a calendar: the name up to its first ：（( or —, put in
    ``key`` (京东介入截止, 收集：开箱视频), cut with … if still too long."""
    for mark in ("：", "（", "(", ": ", " — ", "，", "；", "。"):
        if mark in name:
            name = name.split(mark, 1)[0]
    text = tr(key, lang, name=name.strip())
    return text if len(text) <= SHORT_TITLE else text[: SHORT_TITLE - 1] + "…"


def _asserted_on(f: Finding, case: Case) -> date | None:
    """The first day the buyer asserted this right in time (a met_by event on or before the last day), if any."""
    if f.deadline is None or f.deadline_party != "buyer":  # the seller's or an authority's time is not the buyer's
        return None
    events = f.policy.deadline.met_by if f.policy.deadline is not None else CLAIM_EVENTS
    return min((e.on for e in case.history if e.event in events and e.on <= f.deadline), default=None)


def _exercised(f: Finding, case: Case) -> bool:
    """The buyer already asserted this right in time."""
    return _asserted_on(f, case) is not None


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
                    title=tr(
                        "plan.why_wait_passed", lang, label=s.wait.label.get(lang), day=_day_before(day, lang, as_of)
                    ),
                    action=s.wait.then.action.get(lang),
                    as_of=as_of,
                    to=s.wait.then.to,
                    basis=tuple(s.basis()),
                    confidence=s.wait.confidence,
                    short=short_title(s.wait.label.get(lang), "plan.short_follow_up", lang),
                )
            )
    return out


def _step_dates(steps: list[Action], dated: list[Dated], lang: str, as_of: date) -> list[Dated]:
    """The steps to take by a day that no deadline already marks (for that recipient, that day): one on the calendar,
    or one left out as the same as another (:func:`_once`)."""
    have = {(d.day, d.to) for d in dated}
    out: list[Dated] = []
    for a in steps:
        if a.by is None or a.by < as_of or (a.by, a.to) in have:
            continue
        have.add((a.by, a.to))
        name = a.action if a.kind == "rule" else (a.title or a.action)
        out.append(
            Dated(
                id=f"step.{a.source}",
                kind="step",
                day=a.by,
                title=name,
                action=a.action,
                as_of=as_of,
                to=a.to,
                basis=a.basis,
                short=short_title(name, "plan.short_step", lang),
                decided=a.decided,
            )
        )
    return out


def _day_before(day: date, lang: str, as_of: date) -> str:
    return fmt_day(day - timedelta(days=1), lang, as_of)


def _steps(
    result: Assessment, states: list[WaitState], ladder: list[EscalationStep], deadlines: list[Dated]
) -> tuple[list[Action], list[Action], Action | None]:
    """Every step, once: (steps in the order to take them, optional steps, the step after the next rung).

    Due now (``now``): what the other side's missed time calls for, a deadline of the buyer's within
    :data:`URGENT_DAYS`, and the next rung of the escalation ladder unless a running wait pauses it. Then the dated
    steps by date, then the steps the rules name without a date. A rule that may apply (a fact is missing) never
    puts a step in today's list."""
    as_of, lang, case = result.as_of, result.lang, result.case
    steps: list[Action] = []
    seen: set[tuple[str | None, str]] = set()

    def add(a: Action) -> None:
        if (a.to, a.action) not in seen:
            seen.add((a.to, a.action))
            steps.append(a)

    overdue = [s for s in states if s.status == "passed" and s.kind == "wait"]
    for s in overdue:
        add(
            Action(
                to=s.wait.then.to,
                action=s.wait.then.action.get(lang),
                why=tr(
                    "plan.why_wait_passed", lang, label=s.wait.label.get(lang), day=fmt_day(s.final_day, lang, as_of)
                ),
                source=s.source_id,
                by=as_of,
                basis=tuple(s.basis()),
                title=s.wait.label.get(lang),
                now=True,
                kind="overdue",
            )
        )
    for d in deadlines:
        why = tr("plan.why_deadline", lang, label=d.title, day=fmt_day(d.day, lang, as_of))
        now = d.days_left <= URGENT_DAYS
        add(
            Action(
                d.to,
                d.action,
                why,
                d.id,
                by=d.day,
                basis=d.basis,
                title=d.title,
                now=now,
                kind="deadline",
                decided=d.decided,
            )
        )
    # The escalation ladder, with the passed waits counted as the events they stand for.
    implied = [s.wait.passed_counts_as for s in overdue if s.wait.passed_counts_as]
    now_case = with_events(case, implied, as_of)
    step = escalation_step(ladder, now_case, as_of)
    paused = {t for s in states if s.status == "running" and s.kind == "wait" for t in s.wait.pauses}
    running_waits = [s for s in states if s.status == "running" and s.kind == "wait"]
    after: Action | None = None
    if step is not None and step.to not in paused:
        windows = [
            s.last_day for s in states if s.kind == "deadline" and s.status == "running" and s.wait.then.to == step.to
        ]
        said = any(a.to == step.to and a.now for a in steps)  # a dated step to the same body says it already today
        rung = _ladder_action(step, lang, by=min(windows, default=None), why=tr("plan.why_escalation", lang))
        add(msgspec.structs.replace(rung, now=not said))
        following = step_after(ladder, now_case, step, as_of)
        if following is not None:
            after = _ladder_action(following, lang, why=tr("plan.if_fails", lang), now=False)
    facts = PlainFacts(case, as_of)
    for f in result.applicable():
        for ns in f.policy.next_steps:
            if ns.when is not None and conditions.evaluate(ns.when, facts)[0] is False:
                continue  # already taken (the rule's data says by which event)
            by = None
            if ns.by_deadline:
                by = f.deadline if f.deadline and f.deadline >= as_of and not _exercised(f, case) else None
            elif ns.within_days is not None:
                by = period_end(as_of, ns.within_days, "days").last_day
            now = f.decided and by is not None and (by - as_of).days <= URGENT_DAYS
            why = tr("plan.why_rule", lang, title=f.policy.title.get(lang))
            title = f.policy.title.get(lang)
            basis = tuple(f.basis())
            action = ns.action.get(lang)
            add(Action(ns.to, action, why, f.policy.id, by=by, basis=basis, title=title, now=now, decided=f.decided))
    parallel = parallel_steps(ladder, now_case, as_of)
    optional = [_ladder_action(extra, lang, why=tr("plan.why_parallel", lang), now=False) for extra in parallel]
    pausing = [s for s in running_waits if s.wait.pauses]
    if after is None or (step is not None and step.to in paused):
        first = (pausing or running_waits or [None])[0]
        if first is not None:
            after = Action(
                to=first.wait.then.to,
                action=first.wait.then.action.get(lang),
                why=tr(
                    "plan.why_if_not_by",
                    lang,
                    label=first.wait.label.get(lang),
                    day=fmt_day(first.final_day, lang, as_of),
                ),
                source=first.source_id,
                start=first.final_day + timedelta(days=1),
                basis=tuple(first.basis()),
                title=first.wait.label.get(lang),
            )
    steps.sort(key=lambda a: (not a.now, a.by is None, a.by or date.max))  # stable: rule order among undated
    return steps, optional, after


def _ladder_action(step: EscalationStep, lang: str, *, why: str, by: date | None = None, now: bool = True) -> Action:
    return Action(
        to=step.to,
        action=tr("engine.step_escalation", lang, title=step.title.get(lang), action=step.action.get(lang)),
        why=why,
        source=f"escalation.{step.id}",
        by=by,
        basis=tuple({"document": s.document, "article": s.article} for s in step.sources),
        title=step.title.get(lang),
        now=now,
        kind="ladder",
    )
