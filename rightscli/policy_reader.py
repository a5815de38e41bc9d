"""Read a policy file strictly: the schema is the Structs of :mod:`rightscli.policy`, validated by ``msgspec.convert``.

A file converts in one call. When it does not, the problem msgspec found is placed (the path of the bad value mapped
to its file and line through the document's line table) and said in the interface language; and since msgspec stops
at the first problem, the reader then goes through the document key by key, converting each value on its own, so that
every problem of the file is reported at once, as `rights policies validate` promises: unknown keys (with the key
meant, where one is close), missing keys, values of the wrong type or outside their set.

What a schema cannot say is checked here by hand, on the converted models: conditions and amounts over the case's
facts (:mod:`rightscli.conditions`, :mod:`rightscli.amounts`), the date facts a period may start from, ids (their
form, a rule's jurisdiction prefix, no repeats), the keys that go together (an uncertainty for a rule that is not
verified, stages with ``stages_from``, a seller's exception with its assumption), and periods that stay within about
100 years. Text is read stripped. Cross-file checks (dangling evidence ids, overlapping versions) are in
:mod:`rightscli.catalog`.
"""

from __future__ import annotations

from datetime import date
from typing import Any, ClassVar

import msgspec

from rightscli import amounts, charcheck, conditions
from rightscli.case import known_paths
from rightscli.datafile import Document, join_path
from rightscli.i18n import tr
from rightscli.policy import (
    CLAIM_EVENTS,
    DAYS_PER_UNIT,
    MAX_LENGTH,
    MAX_SPAN_DAYS,
    Escalation,
    EscalationStep,
    EvidenceCatalogue,
    EvidenceItem,
    Period,
    Policy,
    Text,
    Wait,
    WaitRestart,
    Waits,
    is_identifier,
)
from rightscli.strict import StrictReader, field_names, got


def fact_choices() -> dict[str, tuple[str, ...] | None]:
    """The fact paths conditions may use, with their allowed values where closed."""
    out: dict[str, tuple[str, ...] | None] = {p: (f.choices or None) for p, f in known_paths().items()}
    for path, f in known_paths().items():
        if f.kind not in ("enum", "enum_list"):
            out[path] = None
    out["as_of"] = None
    return out


def date_facts() -> list[str]:
    return [p for p, f in known_paths().items() if f.kind == "date"] + ["as_of"]


def money_facts() -> dict[str, None]:
    return {p: None for p, f in known_paths().items() if f.kind == "money"}


class Reader(StrictReader):
    """Reads one YAML document into models, collecting :class:`PolicyError` s with file and line."""

    STRIPPED = (Text,)
    MESSAGES: ClassVar[dict[str, str]] = {
        "sources": "policy.expected_sources",
        "holiday_extension": "policy.expected_extension",
        "within": "policy.expected_within",
        "fallback_from": "policy.expected_fallbacks",
        "restarted_by": "policy.expected_restarts",
        "next_steps": "policy.expected_list",
    }
    LISTS = frozenset({"exclusions", "stages", "evidence", "steps", "waits", "undecided"})
    HIDDEN = ("file", "line")  # Policy fields the reader fills in
    COUNT_LIMIT = MAX_LENGTH

    def __init__(self, doc: Document) -> None:
        super().__init__(doc)
        self._facts = fact_choices()
        self._dates = date_facts()
        for path, message in charcheck.problems(doc.data):  # text shown on terminals and quoted in letters
            self.fail(path, message)

    def whole(self, raw: dict[Any, Any], tp: Any, path: str) -> bool:
        if tp is Text and set(raw) == {"zh", "en"}:  # both there: one is not text, or blank
            self.fail(path, tr("policy.text_both"))
            return True
        return False

    def special(self, key: str, raw: Any, where: str) -> bool:
        if key == "from" and isinstance(raw, (str, int, float, bool, date)):  # neither a date fact nor {event: E}
            self.fail(where, tr("policy.unknown_date_fact", got=repr(raw), allowed=", ".join(self._dates)))
            return True
        return False

    # -- the documents ------------------------------------------------------------------------------------------
    def policy(self) -> Policy | None:
        raw = self.doc.data
        if isinstance(raw, dict):
            for key in self.HIDDEN:
                if key in raw:
                    self._unknown_key(key, "", [f for f in field_names(Policy) if f not in self.HIDDEN])
        if isinstance(raw, dict) and raw.get("stages") == []:
            self.fail("stages", tr("policy.expected_list_of", what="stages"))
        policy = self.convert(raw, Policy, "")
        if policy is None or any(key in raw for key in self.HIDDEN) or raw.get("stages") == []:
            if isinstance(raw, dict):  # the keys that are well formed are checked all the same
                self._check_policy(self.parts(raw, Policy))
            return None
        self._check_policy(policy)
        deadline = policy.deadline and self._with_claims(policy.deadline, raw["deadline"])
        return msgspec.structs.replace(policy, deadline=deadline, file=self.doc.source, line=1)

    def evidence_catalogue(self) -> list[EvidenceItem]:
        found = self.convert(self.doc.data, EvidenceCatalogue, "")
        out = []
        for i, item in self.each(found and found.evidence, "evidence", EvidenceItem):
            sub = f"evidence[{i}]"
            if "default" not in item.how:
                self.fail(f"{sub}.how.default", tr("policy.required"))
            urgent = item.urgent
            if urgent is not None:
                self._period(urgent, f"{sub}.urgent", need_from=True)
                if urgent.when is not None:
                    self._condition(urgent.when, f"{sub}.urgent.when")
                urgent = self._with_claims(urgent, self.doc.data["evidence"][i]["urgent"])
            out.append(msgspec.structs.replace(item, urgent=urgent))
        return out if found else []

    def escalation(self) -> list[EscalationStep]:
        found = self.convert(self.doc.data, Escalation, "")
        for i, step in self.each(found and found.steps, "steps", EscalationStep):
            sub = f"steps[{i}]"
            self._sources(step.sources, f"{sub}.sources")
            if step.wait is not None:
                self._period(step.wait, f"{sub}.wait", need_from=False)
            for name in ("when", "done_when"):
                if getattr(step, name) is not None:
                    self._condition(getattr(step, name), f"{sub}.{name}")
        return list(found.steps) if found else []

    def waits(self) -> list[Wait]:
        found = self.convert(self.doc.data, Waits, "")
        seen: set[str] = set()
        for i, wait in self.each(found and found.waits, "waits", Wait):
            sub = f"waits[{i}]"
            if not is_identifier(wait.id, dotted=False):
                self.fail(f"{sub}.id", tr("policy.bad_wait_id", id=wait.id))
            if wait.id in seen:
                self.fail(f"{sub}.id", tr("policy.duplicate_id", id=wait.id))
            seen.add(wait.id)
            self._period(wait.period, sub, need_from=True)
            if wait.confidence != "verified" and wait.uncertainty is None:
                self.fail(f"{sub}.uncertainty", tr("policy.uncertainty_required", confidence=wait.confidence))
            for j, fallback in enumerate(wait.fallback_from):
                if isinstance(fallback, str):
                    self._fact_path(fallback, join_path(f"{sub}.fallback_from", j))
            if wait.same_as is not None and not is_identifier(wait.same_as, dotted=True):
                self.fail(f"{sub}.same_as", tr("policy.bad_id", id=wait.same_as))
            if wait.extendable_by is not None:
                self._span([(wait.length, wait.unit), (wait.extendable_by, wait.unit)], f"{sub}.extendable_by")
            self._sources(wait.sources, f"{sub}.sources")
            self._restarts(wait.restarted_by, f"{sub}.restarted_by")
            for name in ("when", "done_when"):
                if getattr(wait, name) is not None:
                    self._condition(getattr(wait, name), f"{sub}.{name}")
        return list(found.waits) if found else []

    # -- for files read by hand (the wizard's questions) --------------------------------------------------------
    def keys(self, raw: Any, path: str, required: tuple[str, ...], optional: tuple[str, ...] = ()) -> bool:
        """Whether ``raw`` is a mapping with every ``required`` key; unknown and missing keys are recorded."""
        if not isinstance(raw, dict):
            self.fail(path, tr("policy.expected_mapping"))
            return False
        allowed = required + optional
        for key in raw:
            if key not in allowed:
                self._unknown_key(key, path, list(allowed))
        missing = [key for key in required if raw.get(key) is None]
        for key in missing:
            self.fail(join_path(path, key), tr("policy.required"))
        return not missing

    def text(self, raw: Any, path: str) -> Text | None:
        return None if raw is None else self.convert(raw, Text, path)

    def choice(self, raw: Any, path: str, choices: tuple[str, ...]) -> str:
        if raw not in choices:
            self.fail(path, tr("case.unknown_value", got=repr(raw), allowed=", ".join(choices)))
            return choices[0]
        return str(raw)

    def condition(self, raw: Any, path: str) -> dict[str, Any]:
        self._condition(raw, path)
        return raw if isinstance(raw, dict) else {"all": []}

    # -- what the schema cannot say ------------------------------------------------------------------------------
    def _check_policy(self, p: Any) -> None:
        """``p``: a Policy, or the parts of one (a field that did not convert is :data:`_BAD`, one not given None)."""
        if got(p.id) and not is_identifier(p.id, dotted=True):
            self.fail("id", tr("policy.bad_id", id=p.id))
        if got(p.id) and got(p.jurisdiction) and not p.id.startswith(f"{p.jurisdiction}."):
            self.fail("id", tr("policy.id_prefix", id=p.id, jurisdiction=p.jurisdiction))
        if got(p.confidence) and p.confidence != "verified" and p.uncertainty is None:
            self.fail("uncertainty", tr("policy.uncertainty_required", confidence=p.confidence))
        if p.deadline is not None and p.stages:
            self.fail("stages", tr("policy.deadline_or_stages"))
        if p.stages and p.stages_from is None:
            self.fail("stages_from", tr("policy.stages_from_required"))
        if got(p.stages):
            self._span([(stage.length, stage.unit) for stage in p.stages], "stages")
        for name in ("stages_from", "stages_at", "in_force_on"):
            if got(getattr(p, name)):
                self._fact_path(getattr(p, name), name)
        if got(p.amount):
            for problem in amounts.check(p.amount, "amount", money_facts()):
                self._problem(problem)
        if got(p.when):
            self._condition(p.when, "when")
        if got(p.sources):
            self._sources(p.sources, "sources")
        if got(p.deadline):
            self._period(p.deadline, "deadline", need_from=True)
            self._restarts(p.deadline.restarted_by, "deadline.restarted_by")
            if got(p.deadline.answered_by) and p.deadline.answered_by and p.deadline.party == "buyer":
                self.fail("deadline.answered_by", tr("policy.answered_by_party"))
        seen: set[str] = set()
        for i, exclusion in enumerate(p.exclusions if got(p.exclusions) else ()):
            sub = f"exclusions[{i}]"
            if exclusion.raised_by == "seller" and exclusion.assumption is None:
                self.fail(f"{sub}.assumption", tr("policy.assumption_required"))
            if exclusion.id in seen:
                self.fail(f"{sub}.id", tr("policy.duplicate_id", id=exclusion.id))
            seen.add(exclusion.id)
            self._condition(exclusion.when, f"{sub}.when")
            self._sources(exclusion.sources, f"{sub}.sources")
        for i, undecided in enumerate(p.undecided if got(p.undecided) else ()):
            self._condition(undecided.when, f"undecided[{i}].when")
        for remedy, cond in (p.remedies_only_when if got(p.remedies_only_when) else {}).items():
            self._condition(cond, f"remedies_only_when.{remedy}")
        for i, step in enumerate(p.next_steps if got(p.next_steps) else ()):
            within = step.within
            if within is not None and (within.days is None) == (within.deadline is not True):
                self.fail(f"next_steps[{i}].within", tr("policy.expected_within"))
            if step.when is not None:
                self._condition(step.when, f"next_steps[{i}].when")

    def _sources(self, sources: tuple[Any, ...], path: str) -> None:
        for i, source in enumerate(sources):
            if source.when is not None:
                self._condition(source.when, f"{join_path(path, i)}.when")

    def _restarts(self, restarts: tuple[WaitRestart, ...], path: str) -> None:
        for i, restart in enumerate(restarts if got(restarts) else ()):
            self._sources(restart.sources, f"{path}[{i}].sources")

    def _period(self, period: Period, path: str, *, need_from: bool) -> None:
        if period.start is None and need_from:
            self.fail(f"{path}.from", tr("policy.required"))
        elif isinstance(period.start, str):
            self._fact_path(period.start, f"{path}.from")
        if got(period.length) and got(period.unit):
            self._span([(period.length, period.unit)], f"{path}.length")

    def _with_claims(self, period: Any, raw: Any) -> Any:
        """A deadline that names no ``met_by`` is met by any of :data:`CLAIM_EVENTS`."""
        return period if "met_by" in raw else msgspec.structs.replace(period, met_by=CLAIM_EVENTS)

    def _condition(self, raw: Any, path: str) -> None:
        for problem in conditions.check(raw, path, self._facts):
            self._problem(problem)

    def _problem(self, problem: str) -> None:
        where, _, message = problem.partition(": ")
        self.fail(where, message)

    def _fact_path(self, value: str, path: str) -> None:
        if value not in self._dates:
            self.fail(path, tr("policy.unknown_date_fact", got=repr(value), allowed=", ".join(self._dates)))

    def _span(self, parts: list[tuple[int, str]], path: str) -> None:
        """Periods (length, unit) that run one after the other must together stay within about 100 years."""
        if sum(length * DAYS_PER_UNIT.get(unit, 1.0) for length, unit in parts) > MAX_SPAN_DAYS:
            self.fail(path, tr("policy.too_long_period"))


__all__ = ["Reader", "date_facts", "fact_choices", "money_facts"]
