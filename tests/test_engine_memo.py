"""The engine's shortcuts give what the plain code gives: compiled conditions, rules in force memoised per catalog,
fact lookups by case path."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path
from typing import Any

import msgspec
import pytest

from rightscli import conditions, datafile, engine
from rightscli.case import Case, validate_case
from rightscli.catalog import Catalog
from rightscli.policy import Policy

ROOT = Path(__file__).parent.parent
EXAMPLES = sorted((ROOT / "examples").glob("*.yaml"))
DAYS = [date(2019, 6, 1), date(2024, 6, 30), date(2024, 7, 1), date(2026, 4, 14), date(2026, 4, 15), date(2027, 1, 1)]


def example_cases() -> list[Case]:
    return [validate_case(datafile.load(str(p)), today=date(2027, 6, 1)) for p in EXAMPLES]


def every_condition(catalog: Catalog) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = []
    for p in catalog.policies:
        found += [p.when, *(e.when for e in p.exclusions)]
        if p.amount is not None:
            found += [c for c in (p.amount.get("when"),) if isinstance(c, dict)]
    for w in catalog.waits:
        found += [c for c in (w.when, w.done_when) if c is not None]
    for s in catalog.escalation:
        found += [c for c in (s.when, s.done_when) if c is not None]
    found += [i.urgent_when for i in catalog.evidence.values() if i.urgent_when is not None]
    return found


def test_compiled_conditions_agree_with_evaluate_on_the_catalog(catalog: Catalog) -> None:
    conds = every_condition(catalog)
    compiled = [conditions.compile_condition(c) for c in conds]
    for case in example_cases():
        for day in (case.as_of or date(2026, 12, 1), date(2030, 1, 1)):
            facts = engine.CaseFacts(case, day)
            for cond, check in zip(conds, compiled, strict=True):
                assert check(facts) == conditions.evaluate(cond, facts), cond


HANDMADE: list[dict[str, Any]] = [
    {"fact": "platform", "eq": "jd"},
    {"fact": "platform", "ne": "jd"},
    {"fact": "order.category", "in": ["clothing", "food"]},
    {"fact": "order.category", "not_in": ["clothing"]},
    {"fact": "problem.kinds", "contains": "defect"},
    {"fact": "problem.kinds", "contains_any": ["defect", "changed_mind"]},
    {"fact": "order.received_on", "is_set": True},
    {"fact": "order.received_on", "is_set": False},
    {"fact": "order.price", "gt": 100},
    {"fact": "order.price", "le": 299.5},
    {"fact": "order.received_on", "ge": "2026-11-01"},
    {"fact": "order.received_on", "lt": {"fact": "as_of"}},
    {"fact": "order.received_on", "lt": {"fact": "order.shipped_on"}},
    {"fact": "problem.discovered_on", "within": {"of": "order.received_on", "days": 7}},
    {"fact": "problem.discovered_on", "within": {"of": "order.shipped_on", "working_days": 3}},
    {"history": "merchant_refused"},
    {"not": {"fact": "order.received_on", "is_set": True}},
    {"not": {"fact": "merchant.address", "eq": "x"}},
    {"all": [{"fact": "merchant.address", "eq": "x"}, {"fact": "buyer.phone", "eq": "y"}]},
    {"all": [{"fact": "merchant.address", "eq": "x"}, {"fact": "platform", "eq": "nowhere"}]},
    {"any": [{"fact": "merchant.address", "eq": "x"}, {"fact": "buyer.phone", "eq": "y"}]},
    {"any": [{"fact": "merchant.address", "eq": "x"}, {"fact": "platform", "ne": "nowhere"}]},
    {"any": [{"all": [{"history": "merchant_refused"}, {"not": {"fact": "listing.badges", "contains": "x"}}]}]},
]


@pytest.mark.parametrize("cond", HANDMADE, ids=str)
def test_compiled_conditions_agree_with_evaluate_on_every_operator(cond: dict[str, Any]) -> None:
    check = conditions.compile_condition(cond)
    for case in example_cases():
        for day in (case.as_of or date(2026, 12, 1), date(2030, 1, 1)):
            facts = engine.CaseFacts(case, day)
            assert check(facts) == conditions.evaluate(cond, facts)


@pytest.mark.parametrize("cond", [{}, {"fact": "platform"}, {"fact": "platform", "eq": "jd", "ne": "x"}, {"all": 3}])
def test_a_shape_check_refuses_fails_as_evaluate_fails(cond: dict[str, Any]) -> None:
    facts = engine.CaseFacts(example_cases()[0], date(2026, 12, 1))
    check = conditions.compile_condition(cond)
    try:
        expected: Any = conditions.evaluate(cond, facts)
    except Exception as exc:
        with pytest.raises(type(exc)):
            check(facts)
    else:
        assert check(facts) == expected


def plain_in_force(catalog: Catalog, facts: engine.CaseFacts) -> list[Policy]:
    """The rules in force as the engine chose them before the memo: every id, every case."""
    chosen = []
    for pid in catalog.ids():
        versions = catalog.versions(pid)
        day = facts.get(versions[0].in_force_on) or facts.as_of
        in_force = [p for p in versions if p.in_force(day)]
        if in_force:
            chosen.append(in_force[0])
    return chosen


def check_in_force(catalog: Catalog, facts: engine.CaseFacts) -> list[Policy]:
    """The engine's rules are the plain ones, in order, less some whose condition is false for the case."""
    got = [r.policy for r in engine._rules_in_force(catalog, facts)]
    plain = plain_in_force(catalog, facts)
    assert got == [p for p in plain if p in got]
    for p in plain:
        if p not in got:
            assert conditions.evaluate(p.when, facts) == (False, frozenset()), p.id
    return got


def test_the_rules_in_force_are_those_of_each_day(catalog: Catalog) -> None:
    assert any(len(catalog.versions(pid)) > 1 for pid in catalog.ids())  # versions to choose between
    left_out = 0
    for case in example_cases():
        for day in DAYS:
            for paid in (day - timedelta(days=400), day, None):
                for platform in (case.platform, "jd", "pinduoduo"):
                    order = case.order if paid is None else msgspec.structs.replace(case.order, paid_on=paid)
                    changed = msgspec.structs.replace(case, order=order, platform=platform)
                    facts = engine.CaseFacts(changed, day)
                    left_out += len(plain_in_force(catalog, facts)) - len(check_in_force(catalog, facts))
    assert left_out  # rules of other platforms are not assessed


def test_the_memo_follows_the_catalog(catalog: Catalog) -> None:
    mine = Catalog(list(catalog.policies), catalog.evidence, catalog.escalation, catalog.waits)
    facts = engine.CaseFacts(example_cases()[0], date(2026, 12, 1))
    assert check_in_force(mine, facts)
    mine.policies = [p for p in mine.policies if not p.id.startswith("cn.")]  # a new list: built again
    assert all(not p.id.startswith("cn.") for p in check_in_force(mine, facts))


def test_fact_lookup_by_path() -> None:
    case = example_cases()[0]
    assert case.fact("platform") == case.platform
    assert case.fact("order.price") == case.order.price
    assert case.fact("order.no_such_field") is None
    assert case.fact("no.such.path") is None
    assert case.fact("") is None
    assert case.fact("platform.upper") is not None  # an attribute of the value, as getattr reads it


def test_the_memo_sees_a_policy_replaced_in_place(catalog: Catalog) -> None:
    mine = Catalog(list(catalog.policies), catalog.evidence, catalog.escalation, catalog.waits)
    facts = engine.CaseFacts(example_cases()[0], date(2026, 12, 1))
    first = check_in_force(mine, facts)[0]
    index = next(i for i, p in enumerate(mine.policies) if p is first)
    mine.policies[index] = msgspec.structs.replace(first, when={"fact": "platform", "eq": "nowhere"})
    got = [r.policy for r in engine._rules_in_force(mine, facts)]
    assert not any(p is first for p in got)  # the new version, limited to another platform, is left out too
    mine.policies[index] = first
    assert any(p is first for p in [r.policy for r in engine._rules_in_force(mine, facts)])


def test_compile_on_reuse_evaluates_first_then_compiles(monkeypatch: pytest.MonkeyPatch) -> None:
    cond = {"all": [{"fact": "platform", "eq": "jd"}, {"fact": "order.price", "gt": 100}]}
    compiled: list[object] = []
    real = conditions.compile_condition
    monkeypatch.setattr(conditions, "compile_condition", lambda c: compiled.append(c) or real(c))
    check = conditions.compile_on_reuse(cond)
    facts = engine.CaseFacts(example_cases()[0], date(2026, 12, 1))
    expected = conditions.evaluate(cond, facts)
    assert check(facts) == expected and compiled == []
    assert check(facts) == expected and compiled == [cond]
    assert check(facts) == expected and compiled == [cond]


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_without_explanations_the_assessment_and_the_letters_are_the_same(lang: str) -> None:
    """assess(explain=False), what letters use: every field as with explanations, the explanation left empty; and
    every letter to every recipient byte for byte the same."""
    from rightscli.catalog import load_catalog
    from rightscli.letters.data import recipient_ids
    from rightscli.letters.letter import NoSupportedRequest, render_letter

    catalog = load_catalog()
    for case in example_cases():
        for day in DAYS:
            full = engine.assess(case, catalog, day, lang, plan=False)
            bare = engine.assess(case, catalog, day, lang, plan=False, explain=False)
            assert any(f.explanation for f in full.findings) or not full.findings
            assert all(f.explanation == "" for f in bare.findings)
            strip = [msgspec.structs.replace(f, explanation="") for f in full.findings]
            assert strip == bare.findings
            assert (full.warnings, full.notices, full.evidence) == (bare.warnings, bare.notices, bare.evidence)
            for recipient in recipient_ids():
                try:
                    one = render_letter(full, recipient, "md", draft=True)
                except NoSupportedRequest:
                    continue
                two = render_letter(bare, recipient, "md", draft=True)
                assert (one.data, one.warnings, one.notes) == (two.data, two.warnings, two.notes)
