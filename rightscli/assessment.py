"""The result of matching a case against the catalog, and its pinned JSON form."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import msgspec
from msgspec import field

from rightscli.case import Case, HistoryEvent
from rightscli.plan.model import Plan
from rightscli.policy import Exclusion, Policy, Source, Stage, Text


class Finding(msgspec.Struct, frozen=True):
    policy: Policy
    status: str  # applies | expired | excluded
    remedies: tuple[str, ...]
    explanation: str
    deadline: date | None = None
    days_left: int | None = None
    deadline_label: Text | None = None
    deadline_met_on: date | None = None
    deadline_party: str = "buyer"  # whose time the deadline is: buyer | merchant | authority (the rule's data)
    deadline_restarted: HistoryEvent | None = None  # the event the period counts from again (limitation interrupted)
    deadline_answered: HistoryEvent | None = None  # the other side's answer within its time (the seller refused)
    amount: Decimal | None = None
    missing: tuple[str, ...] = ()
    excluded_by: Exclusion | None = None
    stage: Stage | None = None
    in_force_date: date | None = None  # the day whose law applies (the rule's in_force_on fact)
    decided: bool = True  # False: the rule's subject or an exclusion depends on a missing fact ("may apply")
    # The sources whose `when` fits this case (None: all of the rule's sources): a source is cited only where it
    # supports this case's problem (食品安全法 第一百三十一条 only for food).
    cited: tuple[Source, ...] | None = None
    # What the finding assumes about exceptions only the seller can raise (custom-made? confirmed at purchase?).
    assumptions: tuple[Text, ...] = ()
    # Why the finding is undecided although no fact the buyer could give is missing (intent is for a court to find).
    open_points: tuple[Text, ...] = ()
    # The first open point in a few words (its rule's ``short``), for the one line the default view gives a finding.
    open_short: Text | None = None

    def sources(self) -> tuple[Source, ...]:
        """The sources this finding rests on: those that fit the case and are in force on its date (never a text not
        yet or no longer law)."""
        if self.excluded_by:
            sources = self.excluded_by.sources
        else:
            sources = self.cited if self.cited is not None else self.policy.sources
        day = self.in_force_date
        if day is None:
            return sources
        kept = tuple(
            s
            for s in sources
            if (s.effective_from is None or s.effective_from <= day)
            and (s.effective_to is None or day <= s.effective_to)
        )
        return kept or sources[:1]

    def basis(self, *, verified_only: bool = False) -> list[dict[str, str]]:
        """[{document, article}] of the sources; ``verified_only``: leave out articles whose text nobody verified (a
        letter to an authority or a court cites those by the document's name only, or not at all)."""
        return [
            {"document": s.document, "article": s.article}
            for s in self.sources()
            if not verified_only or s.confidence == "verified"
        ]


class EvidenceNeed(msgspec.Struct, frozen=True):
    id: str
    label: Text
    held: bool
    needed_for: tuple[str, ...]
    collect_by: date | None = None


class Step(msgspec.Struct, frozen=True):
    to: str
    action: str
    by: date | None = None
    source: str = ""


class Notice(msgspec.Struct, frozen=True):
    """A warning as data, for the views to group and word (``warnings`` holds the same as text, for --json):
    ``kind`` calendar (a last day in a year without an official holiday schedule) | holiday (a last day on a rest day
    whose extension is unsettled) | unverified (a rule resting on a secondary or unconfirmed source) |
    unverified_exclusion | no_findings."""

    kind: str
    policy: str = ""
    day: date | None = None
    moved: date | None = None


class Assessment(msgspec.Struct):
    case: Case
    as_of: date
    lang: str
    findings: list[Finding] = field(default_factory=list)
    evidence: list[EvidenceNeed] = field(default_factory=list)
    next_steps: list[Step] = field(default_factory=list)
    optional_steps: list[Step] = field(default_factory=list)  # alongside the ladder, if the buyer wishes (public)
    warnings: list[str] = field(default_factory=list)
    notices: list[Notice] = field(default_factory=list)
    plan: Plan | None = None  # what to do: built by the engine beside the findings (rightscli.plan.build)

    def applicable(self) -> list[Finding]:
        """Findings whose right holds (including those that may hold, pending a missing fact)."""
        return [f for f in self.findings if f.status == "applies"]

    def established(self) -> list[Finding]:
        """Findings that apply and are fully decided: what a letter may assert."""
        return [f for f in self.findings if f.status == "applies" and f.decided]

    def to_json(self) -> dict[str, Any]:
        lang = self.lang
        return {
            "as_of": self.as_of.isoformat(),
            "findings": [_finding_json(f, lang) for f in self.findings],
            "evidence": [
                {
                    "id": e.id,
                    "label": e.label.get(lang),
                    "held": e.held,
                    "for": list(e.needed_for),
                    "collect_by": _iso(e.collect_by),
                }
                for e in self.evidence
            ],
            "next_steps": [
                {"to": s.to, "by": _iso(s.by), "action": s.action, "source": s.source} for s in self.next_steps
            ],
            "optional_steps": [
                {"to": s.to, "by": _iso(s.by), "action": s.action, "source": s.source} for s in self.optional_steps
            ],
            "warnings": list(self.warnings),
            "plan": self.plan.to_json() if self.plan is not None else None,
        }


def _iso(d: date | None) -> str | None:
    return d.isoformat() if d else None


def _finding_json(f: Finding, lang: str) -> dict[str, Any]:
    p = f.policy
    out: dict[str, Any] = {
        "policy": p.id,
        "title": p.title.get(lang),
        "status": f.status,
        "remedies": list(f.remedies),
        "deadline": _iso(f.deadline),
        "days_left": f.days_left,
        "amount": float(f.amount) if f.amount is not None else None,
        "basis": f.basis(),
        "explanation": f.explanation,
        "missing": list(f.missing),
        "decided": f.decided,
        "assumptions": [a.get(lang) for a in f.assumptions],
        "open_points": [o.get(lang) for o in f.open_points],
        "confidence": p.confidence,
        "jurisdiction": p.jurisdiction,
    }
    if f.deadline_label:
        out["deadline_label"] = f.deadline_label.get(lang)
    if f.deadline_met_on:
        out["deadline_met_on"] = f.deadline_met_on.isoformat()
    if f.deadline is not None:
        out["deadline_party"] = f.deadline_party
    if f.deadline_restarted is not None:
        out["deadline_restarted"] = {"on": f.deadline_restarted.on.isoformat(), "event": f.deadline_restarted.event}
    if f.deadline_answered is not None:
        out["deadline_answered"] = {"on": f.deadline_answered.on.isoformat(), "event": f.deadline_answered.event}
    if f.excluded_by:
        out["excluded_by"] = {
            "id": f.excluded_by.id,
            "reason": f.excluded_by.reason.get(lang),
            "confidence": f.excluded_by.confidence,
        }
    if p.uncertainty:
        out["uncertainty"] = p.uncertainty.get(lang)
    if f.stage:
        out["stage"] = f.stage.label.get(lang)
    return out
