"""The policy library as a whole: every rule is sourced, dated, reviewed, rated and tested, and nothing current
cites the repealed 2019 complaint-handling measures.

- Every rule in the bundled catalog has sources, an effective_from (on the rule or on one of its sources; a rule
  whose version date could not be found is not `verified` and says so in its uncertainty), a last_reviewed date,
  a confidence level (with an uncertainty text when not verified) and at least two scenario files under
  tests/scenarios/<id>/.
- 市场监督管理投诉举报处理暂行办法 (SAMR Order 20) was repealed on 2026-04-15 by 市场监督管理投诉举报处理办法
  (SAMR Order 121). No rule version whose effective range reaches 2026-04-15 or later may cite it (in its
  sources, its exclusions' sources, or anywhere in its file); no Jinja letter template may name it, and template
  data may name it only in entries whose effective_to is before 2026-04-15.
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import msgspec
import pytest

from rightscli.catalog import Catalog, load_catalog, templates_dir
from rightscli.policy import CONFIDENCE, Policy

SCENARIOS = Path(__file__).parent / "scenarios"
MIN_SCENARIOS = 2
# The repealed rule, matched without the leading 市场监督管理 so that short forms are caught as well. The 7-day-return
# measures (网络购买商品七日无理由退货暂行办法) are still in force and do not match.
REPEALED = "投诉举报处理暂行办法"
REPEALED_FROM = date(2026, 4, 15)

_CATALOG = load_catalog()


def _label(p: Policy) -> str:
    return f"{p.id}@{p.effective_from or '-'}"


def _policies() -> list[Policy]:
    return list(_CATALOG.policies)


@pytest.fixture(scope="module")
def library() -> Catalog:
    return _CATALOG


@pytest.mark.parametrize("policy", _policies(), ids=_label)
def test_rule_is_sourced_dated_reviewed_and_rated(policy: Policy) -> None:
    assert policy.sources, f"{policy.file}: no sources"
    for s in policy.sources:
        assert s.document.strip() and s.article.strip(), f"{policy.file}: a source lacks document or article"
    dated = policy.effective_from is not None or any(s.effective_from is not None for s in policy.sources)
    if not dated:
        # A rule whose version date could not be found may stay, but never as verified, and it must say so.
        assert policy.confidence != "verified", f"{policy.file}: no effective date anywhere, yet marked verified"
        said = policy.uncertainty is not None and "版本日期" in policy.uncertainty.zh
        assert said, f"{policy.file}: no effective date anywhere; its uncertainty must say the version date is unknown"
    assert policy.last_reviewed > date(2000, 1, 1), f"{policy.file}: last_reviewed missing or implausible"
    assert policy.confidence in CONFIDENCE, f"{policy.file}: confidence {policy.confidence!r}"
    if policy.confidence != "verified":
        assert policy.uncertainty is not None, f"{policy.file}: {policy.confidence} without an uncertainty text"
        assert policy.uncertainty.zh.strip() and policy.uncertainty.en.strip()


def _texts(value: object) -> list[str]:
    """Every text of a rule for a reader (each {zh, en} pair), wherever it is in the rule."""
    if isinstance(value, dict):
        if set(value) == {"zh", "en"} and all(isinstance(v, str) for v in value.values()):
            return list(value.values())
        return [t for v in value.values() for t in _texts(v)]
    if isinstance(value, list):
        return [t for v in value for t in _texts(v)]
    return []


_IDS = sorted({p.id for p in _CATALOG.policies}, key=len, reverse=True)
_ID = re.compile(r"(?<![\w.])(?:" + "|".join(map(re.escape, _IDS)) + r")(?!\w)")


@pytest.mark.parametrize("policy", _policies(), ids=_label)
def test_a_rule_refers_to_another_by_its_title_not_its_id(policy: Policy) -> None:
    """A buyer reads a rule's texts (rights explain, the detail view): another rule is named by its title, as the
    views name it ("见“淘宝七天无理由退货（168小时）”"), not by an id such as taobao.seven_day_return."""
    named = [m.group(0) for text in _texts(msgspec.to_builtins(policy)) for m in _ID.finditer(text)]
    assert not named, f"{policy.id} names rules by id: {named}"


@pytest.mark.parametrize("policy", [p for p in _policies() if p.undecided], ids=_label)
def test_an_open_point_is_said_in_a_few_words_too(policy: Policy) -> None:
    """The default view gives a finding one line: an undecided finding says why in its rule's ``short``."""
    for i, point in enumerate(policy.undecided):
        assert point.short is not None, f"{policy.file}: undecided[{i}] has no short"
        assert 0 < len(point.short.zh) <= 24, f"{policy.file}: undecided[{i}].short.zh: {point.short.zh!r}"
        assert 0 < len(point.short.en) <= 64, f"{policy.file}: undecided[{i}].short.en: {point.short.en!r}"


@pytest.mark.parametrize("policy_id", sorted({p.id for p in _policies()}))
def test_rule_has_scenarios(policy_id: str) -> None:
    folder = SCENARIOS / policy_id
    files = sorted(folder.glob("*.yaml")) if folder.is_dir() else []
    assert len(files) >= MIN_SCENARIOS, (
        f"{policy_id}: {len(files)} scenario file(s) under tests/scenarios/{policy_id}/, expected at least "
        f"{MIN_SCENARIOS} (applies, and a boundary, exclusion or absence)"
    )


def _reaches_repeal_date(p: Policy) -> bool:
    return p.effective_to is None or p.effective_to >= REPEALED_FROM


@pytest.mark.parametrize("policy", [p for p in _policies() if _reaches_repeal_date(p)], ids=_label)
def test_current_rules_do_not_cite_the_repealed_complaint_measures(policy: Policy) -> None:
    cited = [s for s in policy.sources if REPEALED in s.document]
    for exclusion in policy.exclusions:
        cited += [s for s in exclusion.sources if REPEALED in s.document]
    assert not cited, (
        f"{policy.file}: version in force on or after {REPEALED_FROM} cites the repealed "
        f"市场监督管理投诉举报处理暂行办法 ({', '.join(s.article for s in cited)}); cite 市场监督管理投诉举报处理办法 "
        "(SAMR Order 121) instead"
    )
    text = Path(policy.file).read_text(encoding="utf-8")
    assert REPEALED not in text, (
        f"{policy.file}: version in force on or after {REPEALED_FROM} mentions the repealed "
        "市场监督管理投诉举报处理暂行办法; it may only appear in versions that end by 2026-04-14"
    )


def _template_files() -> list[Path]:
    root = templates_dir()
    if not root.is_dir():
        return []
    return sorted(p for p in root.rglob("*") if p.is_file() and not p.name.upper().startswith("README"))


def _as_date(value: object) -> date | None:
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value.strip())
        except ValueError:
            return None
    return None


def _dated_citations(node: object, effective_to: date | None, where: str, out: list[str]) -> None:
    """Walk template data; a text naming the repealed rule must sit in a mapping (or under one) whose
    effective_to ends before the repeal date."""
    if isinstance(node, dict):
        if "effective_to" in node:
            effective_to = _as_date(node["effective_to"])
        for key, value in node.items():
            _dated_citations(value, effective_to, f"{where}.{key}", out)
    elif isinstance(node, list):
        for i, item in enumerate(node):
            _dated_citations(item, effective_to, f"{where}[{i}]", out)
    elif isinstance(node, str) and REPEALED in node and (effective_to is None or effective_to >= REPEALED_FROM):
        out.append(f"{where} (effective_to {effective_to or 'open'})")


def test_templates_do_not_cite_the_repealed_complaint_measures() -> None:
    """Letter templates (Jinja) may not name the repealed rule at all; template data files (YAML/JSON) may name it
    only in entries whose effective_to is before 2026-04-15 (the letter picks the rule in force on its date)."""
    import json

    import yaml

    offenders: list[str] = []
    for path in _template_files():
        try:
            text = path.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            continue
        if REPEALED not in text:
            continue
        if path.suffix in (".yaml", ".yml", ".json"):
            data = json.loads(text) if path.suffix == ".json" else yaml.safe_load(text)
            found: list[str] = []
            _dated_citations(data, None, path.name, found)
            offenders += [f"{path}: {f}" for f in found]
        else:
            offenders.append(f"{path}: names the repealed rule in template text")
    assert not offenders, (
        f"templates cite the repealed 市场监督管理投诉举报处理暂行办法 for dates from {REPEALED_FROM}: {offenders}"
    )


def test_the_complaint_procedure_switches_on_the_repeal_date(library: Catalog) -> None:
    """Both complaint rules have a version ending 2026-04-14 and one starting 2026-04-15, chosen by as_of."""
    for pid in ("cn.complaint.procedure", "cn.complaint.mediation"):
        versions = library.versions(pid)
        assert versions, f"{pid} is missing"
        assert all(v.in_force_on == "as_of" for v in versions), f"{pid}: versions must be picked by as_of"
        before = library.get(pid, date(2026, 4, 14))
        after = library.get(pid, date(2026, 4, 15))
        assert before.effective_to == date(2026, 4, 14)
        assert after.effective_from == REPEALED_FROM
        assert any(REPEALED in s.document for s in before.sources)
        assert not any(REPEALED in s.document for s in after.sources)


def _older_than(node: object, event: str) -> list[object]:
    """Every ``{history: event, older_than: …}`` period inside a condition (or a list of them)."""
    if isinstance(node, dict):
        found = [node["older_than"]] if node.get("history") == event and "older_than" in node else []
        return found + [p for value in node.values() for p in _older_than(value, event)]
    if isinstance(node, (list, tuple)):
        return [p for value in node for p in _older_than(value, event)]
    return []


def test_the_platforms_reasonable_time_is_one_period(library: Catalog) -> None:
    """消法 第四十四条: the platform is not taken to have "failed to take necessary measures" while it is still within
    its reasonable time to handle the buyer's intervention request. No law fixes that time; the tool's reading (15 days)
    is written in the rules' conditions (消法 第四十四条, 食品安全法 第一百三十一条) and as the waiting window that
    tells the buyer the day to follow up: all of them give the same period."""
    periods = []
    for rule in (library.get("cn.cpl.art44"), library.get("cn.fsl.art131")):  # 食品安全法 第一百三十一条: the same time
        conditions = [rule.when, *(u.when for u in rule.undecided), *(s.when for s in rule.sources if s.when)]
        found = _older_than(conditions, "platform_intervention_requested")
        assert len(found) >= 3, (rule.id, found)  # K0 and K1 in the subject, the undecided K0
        periods += found
    wait = next(w for w in library.waits if w.id == "platform_reasonable_time")
    assert wait.period.from_event == "platform_intervention_requested"
    assert {tuple(sorted(p.items())) for p in periods} == {((wait.period.unit, wait.period.length),)}
    assert wait.confidence != "verified" and wait.uncertainty is not None  # the tool's reading, said as such


def test_the_limitation_window_is_the_limitation_rules_period(library: Catalog) -> None:
    """民法典 第一百八十八条, 第一百九十五条: the plan's limitation window (waits.yaml `limitation`) and the rule's
    deadline (cn.civil.art188) count one period, so the plan, the finding and every view give one date."""
    rule = library.get("cn.civil.art188").deadline
    wait = next(w for w in library.waits if w.id == "limitation")
    assert rule is not None
    ours, theirs = wait.period, rule
    assert (ours.from_fact, ours.from_event, ours.length, ours.unit, ours.holiday_extension) == (
        theirs.from_fact,
        theirs.from_event,
        theirs.length,
        theirs.unit,
        theirs.holiday_extension,
    )
    assert wait.fallback_from == ()  # the rule has none: a fallback start would give the plan a date the finding lacks
    restarts = [(r.events, r.interpretation is None) for r in wait.restarted_by]
    assert restarts == [(r.events, r.interpretation is None) for r in rule.restarted_by]
    assert wait.same_as == "cn.civil.art188"  # so the calendar lists the day once


def test_a_window_the_same_as_a_rule_that_is_not_there_is_refused(library: Catalog) -> None:
    from rightscli.catalog import cross_check

    wait = next(w for w in library.waits if w.id == "limitation")
    broken = msgspec.structs.replace(wait, same_as="cn.civil.art999")
    catalog = Catalog(policies=library.policies, evidence=library.evidence, waits=[broken])
    errors = [str(e) for e in cross_check(catalog)]
    assert len(errors) == 1 and "cn.civil.art999" in errors[0] and "waits[0].same_as" in errors[0]
    assert cross_check(Catalog(policies=library.policies, evidence=library.evidence, waits=[wait])) == []
