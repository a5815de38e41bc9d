"""The engine: match a case against the catalog. Pure: no I/O, no printing, no clock (``as_of`` comes in).

What depends on the catalog alone (the rules by id, and which version of each is in force on a day) is worked out
once and kept with the catalog, so that a batch of cases pays for it once, not once per case
(:mod:`rightscli.in_force`).
"""

from __future__ import annotations

from datetime import date
from typing import Any

import msgspec

from rightscli import amounts, conditions
from rightscli.assessment import Assessment, EvidenceNeed, Finding, Notice, Step
from rightscli.case import Case, HistoryEvent
from rightscli.catalog import Catalog
from rightscli.daycount import PeriodEnd, days_between, period_end, restart_period, use_schedules
from rightscli.i18n import tr
from rightscli.i18n.formats import day as fmt_day
from rightscli.in_force import InForce, Rule
from rightscli.policy import CLAIM_EVENTS, Deadline, Period, Policy, Text
from rightscli.vocab import NEXT_STEP_TARGETS


class CaseFacts(msgspec.Struct, frozen=True):
    """The facts conditions and formulas read: case paths plus ``as_of``, and the states of the findings made so far
    (for rules that depend on another rule's outcome, e.g. 消法 第二十六条 is never argued against a lawful refusal)."""

    case: Case
    as_of: date
    states: dict[str, str] = msgspec.field(default_factory=dict)

    def finding_state(self, policy: str) -> str:
        return self.states.get(policy, "none")

    def get(self, path: str) -> Any:
        return self.as_of if path == "as_of" else self.case.fact(path)

    def has_event(self, event: str) -> bool:
        return any(e.event == event for e in self.case.history)

    def latest_event(self, event: str) -> date | None:
        days = [e.on for e in self.case.history if e.event == event]
        return max(days) if days else None

    def first_event(self, events: tuple[str, ...], on_or_before: date) -> date | None:
        days = [e.on for e in self.case.history if e.event in events and e.on <= on_or_before]
        return min(days) if days else None

    def first_event_after(self, events: tuple[str, ...], on_or_after: date) -> HistoryEvent | None:
        """The earliest of these events on or after a day (the other side's answer to a request made that day)."""
        found = [e for e in self.case.history if e.event in events and e.on >= on_or_after]
        return min(found, key=lambda e: e.on) if found else None


def assess(
    case: Case, catalog: Catalog, as_of: date, lang: str = "zh", *, plan: bool = True, explain: bool = True
) -> Assessment:
    """The findings, evidence and warnings for ``case`` on ``as_of``; with ``plan`` also what to do next (the plan,
    next_steps, optional_steps), and with ``explain`` each finding's explanation (the sentences the views and the
    JSON show). A letter uses neither (`rights letter` and `rights batch` leave them out: a sixth of its work); its
    findings' ``explanation`` is then empty."""
    use_schedules(catalog.calendars)  # working days: the official schedules this catalog carries (holidays-YYYY.yaml)
    facts = CaseFacts(case, as_of)
    result = Assessment(case=case, as_of=as_of, lang=lang)
    rules = _rules_in_force(catalog, facts)
    # Rules that test another rule's finding come after all the others (one level of dependence).
    for later in (False, True):
        for rule in rules:
            if rule.later is not later:
                continue
            subject, missing = rule.when(facts)
            if subject is not False:
                finding = _assess_policy(rule, subject, missing, facts, lang, result.warnings, result.notices, explain)
                result.findings.append(finding)
                facts.states[rule.policy.id] = _state(finding)
    result.findings.sort(key=_finding_order)
    for finding in result.findings:
        p = finding.policy
        if p.confidence != "verified" and p.uncertainty:
            level = tr(f"engine.level_{p.confidence}", lang)
            result.notices.append(Notice("unverified", p.id))
            result.warnings.append(
                tr(
                    "engine.warn_confidence",
                    lang,
                    policy=p.id,
                    title=p.title.get(lang),
                    level=level,
                    uncertainty=p.uncertainty.get(lang),
                )
            )
        ex = finding.excluded_by
        if ex is not None and ex.confidence != "verified":
            level = tr(f"engine.level_{ex.confidence}", lang)
            result.notices.append(Notice("unverified_exclusion", p.id))
            result.warnings.append(
                tr("engine.warn_exclusion_confidence", lang, policy=p.id, exclusion=ex.id, level=level)
            )
    if not result.findings:
        result.notices.append(Notice("no_findings"))
        result.warnings.append(tr("engine.warn_no_findings", lang))
    result.evidence = _evidence(result, catalog, facts)
    if not plan:
        return result
    # What to do: derived once, here, by the plan; next_steps (the pinned JSON) are its steps.
    from rightscli.plan.build import make_plan

    result.plan = make_plan(result, catalog.waits, catalog.escalation, catalog.asks)
    result.next_steps = [_step(a) for a in result.plan.steps if a.to in NEXT_STEP_TARGETS]
    result.optional_steps = [_step(a) for a in result.plan.optional]
    return result


def _step(a: Any) -> Step:
    return Step(to=a.to, action=a.action, by=a.by, source=a.source)


def _state(f: Finding) -> str:
    if f.status == "applies" and not f.decided:
        return "undecided"
    return f.status


def _finding_order(f: Finding) -> tuple[int, int, str]:
    rank = {"applies": 0, "expired": 1, "excluded": 2}[f.status]
    days = f.days_left if f.days_left is not None and f.status == "applies" else 10**6
    return rank, days, f.policy.id


def _rules_in_force(catalog: Catalog, facts: CaseFacts) -> tuple[Rule, ...]:
    """For each rule id, its first version in force on the day of its ``in_force_on`` fact (else ``as_of``), less
    those that cannot apply on the case's platform."""
    table = catalog.derived("engine.in_force", InForce)
    return table.on(tuple(facts.get(path) or facts.as_of for path in table.paths), facts.get("platform"))


def _assess_policy(
    rule: Rule,
    subject: bool | None,
    missing_subject: frozenset[str],
    facts: CaseFacts,
    lang: str,
    warnings: list[str],
    notices: list[Notice],
    explain: bool = True,
) -> Finding:
    """The finding of a rule whose condition holds or may hold (``subject``: its value, True or None); its
    explanation only with ``explain``."""
    policy = rule.policy
    missing: set[str] = set(missing_subject)
    decided = subject is True
    excluded_by = None
    assumed: list[tuple[Text, frozenset[str]]] = []
    open_exclusions: set[str] = set()  # the facts of exclusions the buyer is to answer (moot once the right expired)
    for exclusion, excludes in rule.exclusions:
        hit, miss = excludes(facts)
        if hit is True:
            excluded_by = exclusion
            break
        if hit is None:
            if exclusion.raised_by == "seller" and exclusion.assumption is not None:
                assumed.append((exclusion.assumption, miss))  # the seller's exception: asserted, the assumption stated
                continue
            open_exclusions |= miss
    open_points: list[Text] = []
    open_short: Text | None = None
    for point, holds in rule.undecided:
        value, miss = holds(facts)
        if value is True:
            open_points.append(point.reason)
            open_short = open_short or point.short
            decided = False
        elif value is None:
            missing |= miss
            decided = False
    cited = None
    if rule.sources is not None:
        cited = tuple(s for s, fits in rule.sources if fits is None or fits(facts)[0] is True)
    remedies = policy.remedies
    deadline = met_on = None
    label: Text | None = None
    stage = None
    expired = False
    parts: list[str] = [policy.explanation.get(lang)] if explain else []
    restart: HistoryEvent | None = None
    restart_note: Text | None = None
    answered: HistoryEvent | None = None
    if policy.deadline is not None:
        period = policy.deadline
        counted = _deadline(period, facts, missing)
        if counted is None and period.from_fact is not None:
            decided = False  # without the day the period runs from, whether the right is still open is not known
        if counted is not None:
            end, start, restart, restart_note = counted
            deadline = end.last_day
            label = period.label
            _deadline_warnings(policy, period, end, lang, warnings, notices)
            if period.party != "buyer":
                # the other side's time: its passing puts the other side in default, it takes nothing from the buyer
                answered = facts.first_event_after(period.answered_by, start)
            elif facts.as_of > deadline:
                met_on = facts.first_event(period.met_by, deadline)
                expired = met_on is None
    elif policy.stages:
        stage, deadline, expired = _stage(policy, facts, missing)
        if stage is not None:
            remedies = stage.remedies
            label = stage.label
            if explain:
                parts.append(tr("engine.stage", lang, label=stage.label.get(lang)))
            if explain and not expired and deadline is not None and facts.as_of > deadline:
                parts.append(tr("engine.stage_late", lang, deadline=fmt_day(deadline, lang, facts.as_of)))
    if rule.remedy_checks:  # a remedy that does not fit the goods (repair of food) is not offered
        dropped = {r for r, holds in rule.remedy_checks if holds(facts)[0] is False}
        remedies = tuple(r for r in remedies if r not in dropped)
    if open_exclusions and not expired:
        # an exclusion still open decides whether the right holds; once its time has passed it holds in no case
        missing |= open_exclusions
        decided = False
    # an assumption about a fact the buyer is asked for anyway (it is missing) is not made: the question is open
    assumptions = [text for text, miss in assumed if not miss & missing]
    amount = None
    in_force_date = facts.get(policy.in_force_on) or facts.as_of
    if policy.amount is not None:
        amount, miss = amounts.compute(policy.amount, facts.get)
        missing |= miss
    status = "excluded" if excluded_by else ("expired" if expired else "applies")
    days_left = days_between(facts.as_of, deadline) if deadline else None
    if not explain:
        pass
    elif excluded_by:
        parts.append(tr("engine.excluded", lang, reason=excluded_by.reason.get(lang)))
    elif deadline is not None and label is not None and not policy.stages:
        party = policy.deadline.party if policy.deadline is not None else "buyer"
        parts.append(_deadline_sentence(label, deadline, days_left or 0, met_on, lang, facts.as_of, party, answered))
        if restart is not None:
            event = tr(f"event.{restart.event}", lang)
            parts.append(tr("engine.restarted", lang, day=fmt_day(restart.on, lang, facts.as_of), event=event))
        if restart_note is not None:
            parts.append(tr("engine.restart_not_counted", lang, text=restart_note.get(lang)))
    if explain and not excluded_by:
        parts.extend(tr("engine.open_point", lang, reason=p.get(lang)) for p in open_points)
        parts.extend(tr("engine.assumed", lang, assumption=a.get(lang)) for a in assumptions)
    if explain and missing:
        parts.append(tr("engine.missing", lang, facts=tr("wizard.list_sep", lang).join(_fact_names(missing, lang))))
    if explain and policy.notes:
        parts.append(policy.notes.get(lang))
    return Finding(
        policy=policy,
        status=status,
        remedies=remedies,
        explanation=("" if lang == "zh" else " ").join(p for p in parts if p),
        deadline=deadline,
        days_left=days_left,
        deadline_label=label,
        deadline_met_on=met_on,
        deadline_party=policy.deadline.party if policy.deadline is not None else "buyer",
        deadline_restarted=restart,
        deadline_answered=answered,
        amount=amount,
        missing=tuple(sorted(missing)),
        excluded_by=excluded_by,
        stage=stage,
        in_force_date=in_force_date,
        decided=decided or excluded_by is not None,
        cited=cited,
        assumptions=() if excluded_by else tuple(assumptions),
        open_points=() if excluded_by else tuple(open_points),
        open_short=None if excluded_by else open_short,
    )


def _fact_names(paths: set[str], lang: str) -> list[str]:
    """The missing facts in words (付款日期), not as case paths: the paths stay in the finding's ``missing``."""
    from rightscli.case import field_label

    return [field_label(p.split(":", 1)[-1].strip(), lang) for p in sorted(paths)]


def _deadline_sentence(
    label: Text,
    deadline: date,
    days_left: int,
    met_on: date | None,
    lang: str,
    as_of: date,
    party: str = "buyer",
    answered: HistoryEvent | None = None,
) -> str:
    if met_on is not None:
        met, last = fmt_day(met_on, lang, as_of), fmt_day(deadline, lang, as_of)
        return tr("engine.deadline_met", lang, met_on=met, deadline=last)
    values = {"label": label.get(lang), "deadline": fmt_day(deadline, lang, as_of)}
    if answered is not None:
        event = tr(f"event.{answered.event}", lang)
        return tr("engine.deadline_answered", lang, event=event, day=fmt_day(answered.on, lang, as_of), **values)
    if days_left > 0:
        return tr("engine.deadline_open", lang, days=days_left, **values)
    if days_left == 0:
        return tr("engine.deadline_today", lang, **values)
    if party != "buyer":
        return tr("engine.deadline_other_passed", lang, days=-days_left, **values)
    return tr("engine.deadline_passed", lang, days=-days_left, **values)


def period_start(period: Period, facts: CaseFacts) -> tuple[date | None, str | None]:
    """The date a period counts from, or (None, the missing fact or event)."""
    if period.from_event is not None:
        return facts.latest_event(period.from_event), f"history: {period.from_event}"
    if period.from_fact is not None:
        return facts.get(period.from_fact), period.from_fact
    return facts.as_of, None


def _deadline(
    period: Deadline, facts: CaseFacts, missing: set[str]
) -> tuple[PeriodEnd, date, HistoryEvent | None, Text | None] | None:
    """The period's end, the day it counts from, the event that restarted it (its ``restarted_by``, the same
    counting as the waiting windows) and the interpretation of a later event not counted; None without a start."""
    start, needed = period_start(period, facts)
    if start is None:
        if needed and period.from_fact:
            missing.add(needed)
        return None
    extend = period.holiday_extension == "true"
    later = [e for e in facts.case.history if e.on > start]
    unit: Any = period.unit
    end, restart, note = restart_period(
        start, period.length, unit, period.restarted_by, later, holiday_extension=extend
    )
    return end, (restart.on if restart is not None else start), restart, note


def _deadline_warnings(
    policy: Policy, period: Period, end: PeriodEnd, lang: str, warnings: list[str], notices: list[Notice]
) -> None:
    if not end.calendar_known:
        notices.append(Notice("calendar", policy.id, day=end.last_day))
        key = "engine.warn_calendar" if period.unit == "working_days" else "engine.warn_calendar_last_day"
        warnings.append(tr(key, lang, policy=policy.id, year=end.last_day.year, deadline=end.last_day.isoformat()))
    if period.holiday_extension == "uncertain":
        start = end.last_day
        moved = period_end(start, 0, "days", holiday_extension=True)
        if moved.moved:
            notices.append(Notice("holiday", policy.id, day=end.last_day, moved=moved.last_day))
            warnings.append(
                tr(
                    "engine.warn_holiday_uncertain",
                    lang,
                    policy=policy.id,
                    deadline=end.last_day.isoformat(),
                    moved=moved.last_day.isoformat(),
                )
            )


def _stage(policy: Policy, facts: CaseFacts, missing: set[str]) -> tuple[Any, date | None, bool]:
    assert policy.stages_from is not None
    start = facts.get(policy.stages_from)
    if start is None:
        missing.add(policy.stages_from)
        return None, None, False
    at = facts.get(policy.stages_at)
    if at is None:
        missing.add(policy.stages_at)
        at = facts.as_of
    # A remedy claimed in time stays claimed: the stage in force when the buyer first asserted the claim counts.
    claimed = facts.first_event(CLAIM_EVENTS, at)
    if claimed is not None and claimed >= start:
        at = claimed
    last = None
    for stage in policy.stages:
        end = period_end(start, stage.length, stage.unit).last_day
        last = (stage, end)
        if at <= end:
            return stage, end, False
    assert last is not None
    return last[0], last[1], True


def _evidence(result: Assessment, catalog: Catalog, facts: CaseFacts) -> list[EvidenceNeed]:
    relevant = result.applicable() or [f for f in result.findings if f.status == "expired"]
    needed: dict[str, list[str]] = {}
    for f in relevant:
        for eid in f.policy.evidence:
            needed.setdefault(eid, []).append(f.policy.id)
    for eid in facts.case.evidence:
        needed.setdefault(eid, [])
    out: list[EvidenceNeed] = []
    for eid, users in needed.items():
        item = catalog.evidence.get(eid)
        collect_by = None
        if item and item.urgent:
            applies = True
            if item.urgent_when is not None:
                applies = conditions.evaluate(item.urgent_when, facts)[0] is True
            if applies:
                start, _ = period_start(item.urgent, facts)
                if start is not None:
                    collect_by = period_end(start, item.urgent.length, item.urgent.unit).last_day
        out.append(
            EvidenceNeed(
                id=eid,
                label=item.label if item else Text(eid, eid),
                held=eid in facts.case.evidence,
                needed_for=tuple(users),
                collect_by=collect_by,
            )
        )
    out.sort(key=lambda e: (e.held, e.collect_by or date.max, -len(e.needed_for), e.id))
    return out
