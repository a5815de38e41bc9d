"""Which question comes next: no rule logic here, only the engine's word on what it is missing.

1. ``ask: first`` questions (every required case field, plus the category) until they are answered.
2. Then, after every answer, the case is assessed and the facts the findings in play list as ``missing`` (and the
   facts the escalation ladder's conditions could not decide) are asked, in the order of the questions file.
   A rule whose subject is false for this case contributes nothing, so a coat buyer is never asked about food.
3. Last, the ``ask: always`` questions that letters need (description, history, wants, evidence, names).

A question whose ``when`` condition is false is never asked; one the buyer skipped is not asked again.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from rightscli import conditions
from rightscli.catalog import Catalog
from rightscli.wizard.answers import Answers
from rightscli.wizard.questions import Question, QuestionSet


@dataclass(frozen=True)
class PartialFacts:
    """Condition facts over the typed answers so far (unknown where not answered yet)."""

    data: dict[str, Any]
    as_of: date

    def get(self, path: str) -> Any:
        if path == "as_of":
            return self.as_of
        value: Any = self.data
        for part in path.split("."):
            if not isinstance(value, dict):
                return None
            value = value.get(part)
        return value

    def has_event(self, event: str) -> bool:
        return any(isinstance(e, dict) and e.get("event") == event for e in self.data.get("history") or ())


@dataclass
class Flow:
    questions: QuestionSet
    catalog: Catalog
    answers: Answers
    lang: str = "zh"
    asked: set[str] = field(default_factory=set)  # asked (or skipped) in this run: not asked again

    def facts(self) -> PartialFacts:
        return PartialFacts(self.answers.typed(), self.answers.day)

    def wanted(self, q: Question, facts: PartialFacts) -> bool:
        if self.answers.has(q.id) or q.id in self.asked:
            return False
        return q.when is None or conditions.evaluate(q.when, facts)[0] is not False

    def relevant(self, q: Question) -> bool:
        """Its ``when`` is not false for the answers so far (answered or not)."""
        return q.when is None or conditions.evaluate(q.when, self.facts())[0] is not False

    def next(self) -> Question | None:
        facts = self.facts()
        for q in self.questions.questions:
            if q.ask == "first" and self.wanted(q, facts):
                return q
        if self.answers.missing_required():
            return None  # only possible when a required question was refused; the caller reports it
        missing = self.missing_facts()
        for q in self.questions.questions:
            if q.ask == "missing" and q.id in missing and self.wanted(q, facts):
                return q
        for q in self.questions.questions:
            if q.ask == "always" and self.wanted(q, facts):
                return q
        return None

    def probe_case(self) -> Any:
        """The case as answered so far, with stand-ins for the required answers still missing (an item, a price of
        0, paid today), so that the rules can say which facts they need before the buyer has given everything; None
        when the answers do not make a case even so (an invalid answer, or no platform or problem yet)."""
        from rightscli.errors import UserError

        stand_ins = {
            "order.item": "?",
            "order.price": "0",
            "order.paid_on": self.answers.day.isoformat(),
        }
        probe = Answers(self.answers.as_of, self.answers.today, copy.deepcopy(self.answers.data))
        for path in probe.missing_required():
            if path not in stand_ins:
                return None
            probe.put(path, stand_ins[path], "default")
        try:
            return probe.case()
        except UserError:
            return None

    def missing_facts(self) -> set[str]:
        """The case paths the findings in play (and the escalation ladder) could not decide without."""
        from rightscli.engine import CaseFacts, assess

        case = self.probe_case() if self.answers.missing_required() else self.answers.case()
        if case is None:
            return set()
        result = assess(case, self.catalog, self.answers.as_of or case.as_of or self.answers.today, self.lang)
        missing: set[str] = set()
        for finding in result.findings:
            missing.update(finding.missing)
        facts = CaseFacts(case, result.as_of)
        for step in self.catalog.escalation:
            if step.when is not None:
                value, miss = conditions.evaluate(step.when, facts)
                if value is None:
                    missing |= miss
        return missing
