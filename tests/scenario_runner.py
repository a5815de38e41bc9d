"""Scenario tests as data: a case (merged over base_case.yaml) and the findings expected for it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from rightscli import datafile
from rightscli.case import validate_case
from rightscli.catalog import Catalog
from rightscli.engine import assess

SCENARIOS = Path(__file__).parent / "scenarios"
BASE = SCENARIOS / "base_case.yaml"
SCENARIO_KEYS = {"description", "as_of", "base", "case", "expect", "policy_dirs"}
# base: none: the case is complete as written, not merged over base_case.yaml (a court's decision holds only the facts
# the court found: tests/scenarios/judgments/)
EXPECT_KEYS = {
    "findings", "absent", "warnings_contain", "warnings_absent", "evidence", "next_steps_to", "no_step_from",
    "step_from", "step_text", "no_step_text", "cites", "does_not_cite", "letters",
}  # fmt: skip
# no_step_from: [policy id, …]: no next step comes from these rules (a step the buyer has already taken)
# step_from: [policy id, …]: a next step comes from each of these rules (a step the buyer has still to take)
# step_text / no_step_text: [words, …]: some next step's action holds each of these words / none does (one step of a
# rule that names several)
# cites / does_not_cite: {policy id: ["《document》article" or "document article", …]} checked against the finding's
# basis. letters: {recipient: {contains: [...], not_contains: [...], refused: true}} checked against the rendered
# Markdown letter (refused: the letter is not written because no request is supported).


@dataclass
class Scenario:
    path: Path
    description: str
    as_of: date
    case: dict[str, Any]
    expect: dict[str, Any]
    policy_dirs: tuple[Path, ...] = ()  # the user's own policy folders (relative to the scenario file)


def scenario_files() -> list[Path]:
    return sorted(p for p in SCENARIOS.rglob("*.yaml") if p != BASE)


def deep_merge(base: Any, over: Any) -> Any:
    """Mappings merge key by key; a null in ``over`` removes the key; anything else replaces."""
    if isinstance(base, dict) and isinstance(over, dict):
        out = dict(base)
        for key, value in over.items():
            if value is None and key in out and isinstance(out[key], dict):
                out.pop(key)
            elif key in out:
                out[key] = deep_merge(out[key], value)
            else:
                out[key] = value
        return out
    return over


def load_scenario(path: Path) -> Scenario:
    raw = datafile.load(str(path)).data
    unknown = set(raw) - SCENARIO_KEYS
    assert not unknown, f"{path}: unknown keys {unknown}"
    unknown = set(raw.get("expect") or {}) - EXPECT_KEYS
    assert not unknown, f"{path}: unknown expect keys {unknown}"
    if raw.get("base") == "none":
        case = raw.get("case") or {}
    else:
        assert raw.get("base") is None, f"{path}: base is 'none' or absent"
        case = deep_merge(datafile.load(str(BASE)).data, raw.get("case") or {})
    return Scenario(
        path=path,
        description=str(raw.get("description", "")),
        as_of=date.fromisoformat(str(raw["as_of"])),
        case=case,
        expect=raw.get("expect") or {},
        policy_dirs=tuple((path.parent / str(d)).resolve() for d in raw.get("policy_dirs") or ()),
    )


def run_scenario(s: Scenario, catalog: Catalog) -> list[str]:
    """Every mismatch between the assessment and the expectation, as readable lines."""
    doc = datafile.Document(s.case, str(s.path))
    case = validate_case(doc, as_of=s.as_of)
    result = assess(case, catalog, s.as_of).to_json()
    by_id = {f["policy"]: f for f in result["findings"]}
    problems: list[str] = []
    for pid, wanted in (s.expect.get("findings") or {}).items():
        got = by_id.get(pid)
        if got is None:
            problems.append(f"{pid}: expected a finding, got none (found: {sorted(by_id)})")
            continue
        for key, value in (wanted or {}).items():
            if key not in got:
                problems.append(f"{pid}.{key}: not in the finding (keys: {sorted(got)})")
                continue
            have = got[key]
            if isinstance(value, dict) and isinstance(have, dict):  # a mapping is checked on the keys given
                have = {k: have.get(k) for k in value}
            if _normal(have) != _normal(value):
                problems.append(f"{pid}.{key}: expected {value!r}, got {got[key]!r}")
    for pid in s.expect.get("absent") or []:
        if pid in by_id:
            problems.append(f"{pid}: expected no finding, got status {by_id[pid]['status']}")
    for needle in s.expect.get("warnings_contain") or []:
        if not any(needle in w for w in result["warnings"]):
            problems.append(f"no warning contains {needle!r}; warnings: {result['warnings']}")
    for needle in s.expect.get("warnings_absent") or []:
        if any(needle in w for w in result["warnings"]):
            problems.append(f"a warning contains {needle!r}; warnings: {result['warnings']}")
    for eid, wanted in (s.expect.get("evidence") or {}).items():
        got_e = next((e for e in result["evidence"] if e["id"] == eid), None)
        if got_e is None:
            problems.append(f"evidence {eid}: not listed")
            continue
        for key, value in (wanted or {}).items():
            if _normal(got_e.get(key)) != _normal(value):
                problems.append(f"evidence {eid}.{key}: expected {value!r}, got {got_e.get(key)!r}")
    for pid, wanted in (s.expect.get("cites") or {}).items():
        got = by_id.get(pid)
        cited = {f"{b['document']} {b['article']}" for b in got["basis"]} if got else set()
        for ref in wanted:
            if _ref(ref) not in cited:
                problems.append(f"{pid}: expected to cite {ref}, cites {sorted(cited)}")
    for pid, unwanted in (s.expect.get("does_not_cite") or {}).items():
        got = by_id.get(pid)
        cited = {f"{b['document']} {b['article']}" for b in got["basis"]} if got else set()
        for ref in unwanted:
            if _ref(ref) in cited:
                problems.append(f"{pid}: cites {ref}, which does not support this case")
    if s.expect.get("letters"):
        problems += _letters(s, case, catalog)
    targets = [n["to"] for n in result["next_steps"]]
    for to in s.expect.get("next_steps_to") or []:
        if to not in targets:
            problems.append(f"next_steps: expected a step to {to}, got {targets}")
    for pid in s.expect.get("step_from") or []:
        sources = [n.get("source") for n in result["next_steps"]]
        if pid not in sources:
            problems.append(f"next_steps: expected a step from {pid}, got steps from {sources}")
    actions = [n["action"] for n in result["next_steps"]]
    for words in s.expect.get("step_text") or []:
        if not any(words in a for a in actions):
            problems.append(f"next_steps: expected a step saying {words!r}, got {actions}")
    for words in s.expect.get("no_step_text") or []:
        said = [a for a in actions if words in a]
        if said:
            problems.append(f"next_steps: expected no step saying {words!r}, got {said}")
    for pid in s.expect.get("no_step_from") or []:
        taken = [n["action"] for n in result["next_steps"] if n.get("source") == pid]
        if taken:
            problems.append(f"next_steps: expected no step from {pid} (already taken), got {taken}")
    return problems


def _ref(ref: str) -> str:
    """'《中华人民共和国食品安全法》第一百三十一条' → '中华人民共和国食品安全法 第一百三十一条'."""
    if not ref.startswith("《"):
        return ref.strip()
    document, _, article = ref[1:].rpartition("》")
    return f"{document} {article.strip()}"


def _letters(s: Scenario, case: Any, catalog: Catalog) -> list[str]:
    from rightscli.errors import UserError
    from rightscli.letters.letter import render_letter

    problems: list[str] = []
    for recipient, wanted in s.expect["letters"].items():
        assessment = assess(case, catalog, s.as_of)
        try:
            text = render_letter(assessment, recipient).markdown
        except UserError as exc:
            if not wanted.get("refused"):
                problems.append(f"letter to {recipient}: refused ({exc})")
            continue
        if wanted.get("refused"):
            problems.append(f"letter to {recipient}: expected it to be refused, but it was written")
        for needle in wanted.get("contains") or []:
            if needle not in text:
                problems.append(f"letter to {recipient}: does not contain {needle!r}")
        for needle in wanted.get("not_contains") or []:
            if needle in text:
                problems.append(f"letter to {recipient}: contains {needle!r}")
    return problems


def _normal(value: Any) -> Any:
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return round(float(value), 2)
    if isinstance(value, list):
        return [_normal(v) for v in value]
    return value
