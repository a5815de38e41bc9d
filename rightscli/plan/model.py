"""The "what to do" of a case, as data: the steps (what to do today, and after), the buyer's deadlines, what is
being waited for, what can be claimed. Built once by :func:`rightscli.plan.build.make_plan` beside the assessment
(``Assessment.plan``); every view — the terminal, ``--json``, ``next``, ``status``, ``calendar``, the wizard's
letters — presents this one result and computes none of it.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import msgspec
from msgspec import field

from rightscli.case import Case

# Claim kinds, in the order a buyer reads them: the price back, then compensation, then punitive damages.
CLAIM_KINDS = ("refund", "compensation", "punitive")


class Action(msgspec.Struct, frozen=True):
    """Something to do: ``to`` whom (None for the buyer's own chores such as collecting evidence), by when.

    ``now``: to do today (the other side missed its time, a deadline is near, the next rung of the ladder is open).
    ``start``: for a step that can only be taken later, the first day it can be. ``decided``: False for the step of a
    rule that may apply (a fact is missing, or a court decides): shown as "if it applies", still by its day."""

    to: str | None
    action: str
    why: str
    source: str
    by: date | None = None
    start: date | None = None
    basis: tuple[dict[str, str], ...] = ()
    title: str = ""  # a short name of the step, for tables
    now: bool = False
    kind: str = "rule"  # overdue (the other side missed its time) | deadline | ladder | rule (a rule's own step)
    decided: bool = True

    def to_json(self) -> dict[str, Any]:
        return {
            "to": self.to,
            "title": self.title,
            "action": self.action,
            "why": self.why,
            "by": _iso(self.by),
            "from": _iso(self.start),
            "now": self.now,
            "kind": self.kind,
            "decided": self.decided,
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
    short: str = ""  # a title short enough for a phone's calendar (≤ 20 characters)
    decided: bool = True  # False: the deadline of a rule that may apply (see Action.decided)

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
            "short": self.short,
            "to": self.to,
            "action": self.action,
            "basis": list(self.basis),
            "confidence": self.confidence,
            "decided": self.decided,
        }


class Claim(msgspec.Struct, frozen=True):
    """Money a finding claims: ``kind`` refund | compensation | punitive (from the finding's remedies).
    ``confirmed``: the rule's source was verified (a platform rule known only from secondary sources is not)."""

    kind: str
    amount: Decimal
    policy: str
    title: str
    decided: bool = True
    confirmed: bool = True

    def to_json(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "amount": float(self.amount),
            "policy": self.policy,
            "title": self.title,
            "decided": self.decided,
            "confirmed": self.confirmed,
        }


class Question(msgspec.Struct, frozen=True):
    """A fact only the buyer can give that a finding needs (``ask``: the wizard's prompt for it, if it has one)."""

    path: str
    findings: tuple[str, ...]
    ask: Any = None  # Text

    def to_json(self, lang: str) -> dict[str, Any]:
        return {"fact": self.path, "question": self.ask.get(lang) if self.ask else None, "for": list(self.findings)}


class Plan(msgspec.Struct):
    case: Case
    as_of: date
    lang: str
    today: list[Action] = field(default_factory=list)  # the steps with now=True, earliest first
    steps: list[Action] = field(default_factory=list)  # every step, today's first, then by date, then undated
    optional: list[Action] = field(default_factory=list)  # alongside the ladder if the buyer wishes (public)
    deadlines: list[Dated] = field(default_factory=list)  # the buyer's open deadlines, earliest first
    waiting: list[Any] = field(default_factory=list)  # WaitState: waits running on as_of, earliest end first
    overdue: list[Any] = field(default_factory=list)  # WaitState: waits that passed without the other side acting
    after: Action | None = None
    dates: list[Dated] = field(default_factory=list)  # every deadline and follow-up date from as_of on
    claims: list[Claim] = field(default_factory=list)  # money the findings that apply claim (and may claim)
    questions: list[Question] = field(default_factory=list)  # missing facts, the most needed first
    warnings: list[str] = field(default_factory=list)
    # policy id -> the day the buyer asserted that right, on or before its last day (not a deadline to act on any more)
    asserted: dict[str, date] = field(default_factory=dict)

    def met_on(self, f: Any) -> date | None:
        """The day the buyer asserted finding ``f``'s right in time, whether or not its last day has come."""
        return f.deadline_met_on or self.asserted.get(f.policy.id)

    @property
    def nearest_deadline(self) -> Dated | None:
        return self.deadlines[0] if self.deadlines else None

    def first_step(self, to: str | None) -> Action | None:
        """The step to take first with ``to`` (the order of :attr:`steps`: today's first)."""
        return next((s for s in self.steps if s.to == to), None)

    def recipients(self) -> list[str]:
        """Every recipient of a step, in the order of their first step."""
        out: list[str] = []
        for s in self.steps:
            if s.to is not None and s.to not in out:
                out.append(s.to)
        return out

    def total(self) -> Decimal | None:
        """What the decided claims add up to, counted carefully: the refund (the largest one: refunds of one order
        are alternatives) plus the largest single compensation or punitive amount. Whether a seller's promise (假一赔十)
        and the law's punitive damages (退一赔三) can both be had is for the seller or a court to accept, so they are
        never added together here. A claim whose rule rests on an unverified source is not counted."""
        counted = [c for c in self.claims if c.decided and c.confirmed]
        refund = max((c.amount for c in counted if c.kind == "refund"), default=None)
        other = max((c.amount for c in counted if c.kind != "refund"), default=None)
        if refund is None and other is None:
            return None
        return (refund or Decimal(0)) + (other or Decimal(0))

    def most_urgent(self) -> tuple[date, str] | None:
        """The most urgent date of the case and what it is: a step due today (as_of or its date), the nearest
        deadline, the end of a wait; None when nothing is dated."""
        urgent = [a for a in self.today if a.by and a.kind != "rule"]  # a rule's "within N days" is advice, not a date
        items: list[tuple[date, str]] = [(max(a.by, self.as_of), a.title or a.why) for a in urgent if a.by]
        items += [(d.day, d.title) for d in self.deadlines]
        items += [(w.last_day, w.wait.label.get(self.lang)) for w in self.waiting]
        return min(items, key=lambda item: item[0]) if items else None

    def to_json(self) -> dict[str, Any]:
        from rightscli.plan.waits import wait_json

        nearest = self.nearest_deadline
        total = self.total()
        return {
            "as_of": self.as_of.isoformat(),
            "file": self.case.source,
            "order": {"id": self.case.order.id, "item": self.case.order.item, "platform": self.case.platform},
            "today": [a.to_json() for a in self.today],
            "steps": [a.to_json() for a in self.steps],
            "optional_steps": [a.to_json() for a in self.optional],
            "nearest_deadline": nearest.to_json() if nearest else None,
            "waiting": [wait_json(w, self.lang) for w in self.waiting],
            "overdue": [wait_json(w, self.lang) for w in self.overdue],
            "after": self.after.to_json() if self.after else None,
            "deadlines": [d.to_json() for d in self.deadlines],
            "dates": [d.to_json() for d in self.dates],
            "claims": [c.to_json() for c in self.claims],
            "questions": [q.to_json(self.lang) for q in self.questions],
            "total": float(total) if total is not None else None,
            "warnings": list(self.warnings),
        }


def _iso(d: date | None) -> str | None:
    return d.isoformat() if d else None
