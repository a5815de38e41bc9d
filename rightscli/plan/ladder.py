"""The escalation ladder over a case: the rung to take now, and the rung after it. No model classes here: the engine
imports this on every `rights assess`."""

from __future__ import annotations

from datetime import date

import msgspec

from rightscli import conditions
from rightscli.case import Case, HistoryEvent
from rightscli.plan.waits import PlainFacts
from rightscli.policy import EscalationStep

# The event a buyer logs when taking a rung of the ladder and it does not settle the matter, by target: used to
# find "the step after that". The first event that marks the rung done is taken.
TAKEN_BY: dict[str, tuple[str, ...]] = {
    "merchant": ("merchant_refused",),
    "platform": ("platform_decided",),
    "association": ("complaint_association",),
    "regulator": ("complaint_regulator", "report_regulator"),
    "court": (),
}
# Events that show a rung, once taken, did not settle the matter, added with the event above to find the step after
# it: mediation by a consumer association or the regulator ends without agreement (调解终止), which opens the court.
UNSETTLED_BY: dict[str, tuple[str, ...]] = {"association": ("mediation_ended",), "regulator": ("mediation_ended",)}
# Targets whose rungs run alongside the ladder, not on it: optional steps (a public complaint on 黑猫投诉 or social
# media) that never stand in the way of the next rung and are never "the step after".
PARALLEL_TARGETS = frozenset({"public"})


def with_events(case: Case, events: list[str], day: date) -> Case:
    if not events:
        return case
    extra = tuple(HistoryEvent(on=day, event=e) for e in events)  # day is as_of: never before the history
    return msgspec.structs.replace(case, history=case.history + extra)


def escalation_step(ladder: list[EscalationStep], case: Case, as_of: date) -> EscalationStep | None:
    """The first rung of the ladder that fits the case and is not done yet."""
    facts = PlainFacts(case, as_of)
    for step in ladder:
        if step.to not in PARALLEL_TARGETS and _open(step, facts):
            return step
    return None


def parallel_steps(ladder: list[EscalationStep], case: Case, as_of: date) -> list[EscalationStep]:
    """The optional rungs that fit the case now, to take alongside the ladder (e.g. a public complaint)."""
    facts = PlainFacts(case, as_of)
    return [step for step in ladder if step.to in PARALLEL_TARGETS and _open(step, facts)]


def _open(step: EscalationStep, facts: PlainFacts) -> bool:
    """The rung fits the case and is not done yet."""
    if step.when is not None and conditions.evaluate(step.when, facts)[0] is not True:
        return False
    return step.done_when is None or conditions.evaluate(step.done_when, facts)[0] is not True


def step_after(ladder: list[EscalationStep], case: Case, step: EscalationStep, as_of: date) -> EscalationStep | None:
    """The rung after ``step``, supposing the buyer takes it and it does not settle the matter."""
    for event in TAKEN_BY.get(step.to, ()):
        taken = with_events(case, [event, *UNSETTLED_BY.get(step.to, ())], as_of)
        if step.done_when is not None and conditions.evaluate(step.done_when, PlainFacts(taken, as_of))[0] is True:
            following = escalation_step(ladder, taken, as_of)
            return following if following is not step else None
    if step.to != "court":
        index = ladder.index(step)
        return escalation_step(ladder[index + 1 :], case, as_of)
    return None
