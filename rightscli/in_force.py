"""Which rules a case is assessed against: for each rule id, the version in force on the day its ``in_force_on`` fact
gives, less the rules whose condition limits them to another platform. Worked out from the catalog alone, kept with it
(:meth:`~rightscli.catalog.Catalog.derived`) and remembered per combination of those days, so that a batch of cases
pays for it once; each rule's conditions compiled once they are reused.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from rightscli import conditions
from rightscli.catalog import Catalog
from rightscli.policy import Policy


class Rule:
    """A version of a rule with its conditions (compiled once they are reused: see
    :func:`~rightscli.conditions.compile_on_reuse`), and the platforms it is limited to when its condition starts with
    one (``{all: [{fact: platform, eq: jd}, …]}``)."""

    __slots__ = ("exclusions", "later", "platforms", "policy", "remedy_checks", "sources", "undecided", "when")

    def __init__(self, policy: Policy) -> None:
        self.policy = policy
        self.when = conditions.compile_on_reuse(policy.when)
        self.exclusions = tuple((e, conditions.compile_on_reuse(e.when)) for e in policy.exclusions)
        self.undecided = tuple((u, conditions.compile_on_reuse(u.when)) for u in policy.undecided)
        self.remedy_checks = tuple((r, conditions.compile_on_reuse(c)) for r, c in policy.remedies_only_when.items())
        # None: every source is cited; else each source with its condition (None: always cited)
        self.sources = (
            tuple((s, conditions.compile_on_reuse(s.when) if s.when is not None else None) for s in policy.sources)
            if any(s.when is not None for s in policy.sources)
            else None
        )
        self.platforms = _platforms(policy.when)
        self.later = conditions.refers_to_findings(
            [policy.when, [e.when for e in policy.exclusions], [u.when for u in policy.undecided]]
            + [s.when for s in policy.sources if s.when is not None]
            + list(policy.remedies_only_when.values())
        )

    def may_apply(self, platform: Any) -> bool:
        """False when the rule's condition is false for every case on ``platform``: its first test fails."""
        return self.platforms is None or platform is None or platform in self.platforms


def _platforms(when: dict[str, Any]) -> frozenset[str] | None:
    """The platforms a condition is limited to by its first test (evaluation stops at a test that is false), or None
    for no such limit."""
    first = when["all"][0] if "all" in when and isinstance(when["all"], list) and when["all"] else when
    if not isinstance(first, dict) or first.get("fact") != "platform" or len(first) != 2:
        return None
    if "eq" in first and isinstance(first["eq"], str):
        return frozenset({first["eq"]})
    if "in" in first and isinstance(first["in"], list) and all(isinstance(v, str) for v in first["in"]):
        return frozenset(first["in"])
    return None


class InForce:
    """The rules by id (in id order) with the fact that dates each (``in_force_on``), and the rules to assess for each
    combination of those dates and the platform met so far (the cases of a batch share a few of them)."""

    MAX_KEYS = 4096  # remembered combinations; past that the memo starts again

    def __init__(self, catalog: Catalog) -> None:
        paths: dict[str, int] = {}
        groups = []
        for pid in catalog.ids():  # in id order, each rule's versions as Catalog.versions() gives them
            versions = tuple(Rule(p) for p in catalog.versions(pid))
            groups.append((paths.setdefault(versions[0].policy.in_force_on, len(paths)), versions))
        self.paths = tuple(paths)
        self.groups = tuple(groups)
        self.chosen: dict[tuple[Any, ...], tuple[Rule, ...]] = {}

    def on(self, days: tuple[date, ...], platform: Any) -> tuple[Rule, ...]:
        key = (*days, platform)
        chosen = self.chosen.get(key)
        if chosen is None:
            in_force = (_first_in_force(versions, days[i]) for i, versions in self.groups)
            chosen = tuple(r for r in in_force if r is not None and r.may_apply(platform))
            if len(self.chosen) >= self.MAX_KEYS:
                self.chosen.clear()
            self.chosen[key] = chosen
        return chosen


def _first_in_force(versions: tuple[Rule, ...], day: date) -> Rule | None:
    return next((r for r in versions if r.policy.in_force(day)), None)
