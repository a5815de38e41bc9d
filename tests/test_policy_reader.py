"""The policy schema (rightscli/policy.py) read by rightscli/policy_reader.py: every bundled file reads as written,
and every problem of a file is said with file, line and key, in the interface language."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import msgspec
import pytest

from rightscli import datafile
from rightscli.catalog import policies_dir, rule_files
from rightscli.errors import PolicyError
from rightscli.i18n import set_lang
from rightscli.policy import CLAIM_EVENTS, Deadline, Policy, Text, Urgent
from rightscli.policy_reader import Reader

BASE = policies_dir()
SPECIAL = {"evidence.yaml": "evidence_catalogue", "escalation.yaml": "escalation", "waits.yaml": "waits"}


def _read(path: Path) -> tuple[Any, Any]:
    doc = datafile.parse_text(path.read_text(encoding="utf-8"), str(path))
    reader = Reader(doc)
    model = getattr(reader, SPECIAL.get(path.name, "policy"))()
    assert reader.errors == [], [str(e) for e in reader.errors]
    return doc.data, model


def _as_written(model: Any, raw: Any, path: str, *, text: bool = False) -> Iterator[str]:
    """Where ``model`` differs from the file's ``raw`` value: each key written has its value (text stripped), each
    key not written its default, save the fill-ins the format promises (a deadline without met_by is met by a claim;
    a rule's file and line)."""
    if isinstance(model, msgspec.Struct):
        if not isinstance(raw, dict):
            yield f"{path}: {raw!r} read as a {type(model).__name__}"
            return
        names = set()
        for f in msgspec.structs.fields(model):
            names.add(f.encode_name)
            value, where = getattr(model, f.name), f"{path}.{f.encode_name}"
            if raw.get(f.encode_name) is not None:
                yield from _as_written(value, raw[f.encode_name], where, text=isinstance(model, Text))
            elif isinstance(model, Policy) and f.name in ("file", "line"):
                continue
            elif isinstance(model, (Deadline, Urgent)) and f.name == "met_by":
                if value != CLAIM_EVENTS:
                    yield f"{where}: {value!r}, not the claim events"
            else:
                default = f.default_factory() if f.default_factory is not msgspec.NODEFAULT else f.default
                if value != default:
                    yield f"{where}: {value!r} not written, not the default {default!r}"
        yield from (f"{path}.{key}: not read" for key in set(raw) - names)
    elif isinstance(model, (tuple, list)):
        if not isinstance(raw, list) or len(raw) != len(model):
            yield f"{path}: {model!r} read from {raw!r}"
            return
        for i, (item, written) in enumerate(zip(model, raw, strict=True)):
            yield from _as_written(item, written, f"{path}[{i}]")
    elif isinstance(model, dict) and isinstance(raw, dict) and set(model) == set(raw):
        for key, value in model.items():
            yield from _as_written(value, raw[key], f"{path}.{key}")
    elif isinstance(model, date):
        if raw not in (model, model.isoformat()):  # the loader keeps a date as its text; msgspec reads it
            yield f"{path}: {model!r} read from {raw!r}"
    elif model != (raw.strip() if text and isinstance(raw, str) else raw) or type(model) is not type(raw):
        yield f"{path}: {model!r} read from {raw!r}"


BUNDLED = [
    *(BASE / name for name in SPECIAL),
    *rule_files(BASE),
]


@pytest.mark.parametrize("path", BUNDLED, ids=lambda p: str(p.relative_to(BASE)))
def test_a_bundled_file_reads_as_written(path: Path) -> None:
    raw, model = _read(path)
    if path.name in SPECIAL:  # a list under its one key
        (key,) = raw
        problems = list(_as_written(tuple(model), raw[key], key))
    else:
        problems = list(_as_written(model, raw, ""))
    assert problems == []


def test_the_deadlines_of_the_bundled_rules_say_whose_time_they_are() -> None:
    """The values the engine counts with, as the files give them (the seller's 15 days, answered by a refusal; the
    regulator's time; limitation restarted by a demand)."""
    by_file = {p.stem: _read(p)[1] for p in rule_files(BASE)}
    seller = by_file["cn.cpl.art48_8"].deadline
    assert (seller.party, seller.answered_by, seller.length) == ("merchant", ("merchant_refused",), 15)
    assert by_file["cn.complaint.procedure.2026"].deadline.party == "authority"
    limitation = by_file["cn.civil.art188"].deadline
    assert limitation.party == "buyer" and limitation.met_by == () and limitation.answered_by == ()
    assert limitation.restarted_by and all(r.events and r.sources for r in limitation.restarted_by)
    assert by_file["cn.cpl.art25"].deadline.from_fact == "order.received_on"


RULE = """\
id: taobao.t.deadline
title: {zh: 测试规则, en: test rule}
jurisdiction: taobao
summary: {zh: 测试, en: test}
sources: [{document: 测试文件, article: 第一条}]
last_reviewed: 2026-11-01
confidence: verified
when: {fact: platform, eq: douyin}
explanation: {zh: 测试, en: test}
deadline:
  from: order.received_on
  length: 15
  unit: days
"""


def _errors(text: str, lang: str, method: str = "policy") -> list[PolicyError]:
    set_lang(lang)
    try:
        reader = Reader(datafile.parse_text(text, "rule.yaml"))
        getattr(reader, method)()
        return reader.errors
    finally:
        set_lang("zh")


def test_a_deadline_of_the_other_side_reads() -> None:
    assert _errors(RULE + "  party: merchant\n  answered_by: [merchant_refused]\n", "en") == []


@pytest.mark.parametrize(
    ("extra", "line", "key", "zh", "en"),
    [
        ("  party: seller\n", 14, "deadline.party", "不认识的值'seller'", "one of: buyer, merchant, authority"),
        (
            "  answerd_by: [merchant_refused]\n",
            14,
            "deadline.answerd_by",
            "您是不是想写“answered_by”",
            "did you mean 'answered_by'?",
        ),
        ("  party: merchant\n  answered_by: [refused]\n", 15, "deadline.answered_by[0]", "不认识的值", "unknown value"),
        ("  answered_by: [merchant_refused]\n", 14, "deadline.answered_by", "只用于对方的期限", "other side's time"),
        (
            "  restarted_by:\n    - events: [contacted_merchant]\n",
            15,
            "deadline.restarted_by[0].sources",
            "必须填写",
            "is required",
        ),
        ("  restarted_by: {events: [contacted_merchant]}\n", 14, "deadline.restarted_by", "的列表", "a list of"),
        (
            "  restarted_by:\n    - events: [contacted_merchant]\n      sources: [{document: d, article: a, when: "
            "{fact: nope, eq: 1}}]\n",
            16,
            "deadline.restarted_by[0].sources[0].when.fact",
            "不认识的事实 'nope'",
            "unknown fact 'nope'",
        ),
    ],
    ids=["party", "typo", "event", "buyer answered", "restart sources", "restarts not a list", "restart condition"],
)
def test_a_bad_deadline_is_said_with_file_line_and_key(extra: str, line: int, key: str, zh: str, en: str) -> None:
    for lang, words in (("zh", zh), ("en", en)):
        errors = _errors(RULE + extra, lang)
        assert [(e.file, e.line, e.path) for e in errors] == [("rule.yaml", line, key)], [str(e) for e in errors]
        assert words in str(errors[0])
    assert "字段" in str(_errors(RULE + extra, "zh")[0])


@pytest.mark.parametrize(
    ("text", "method", "key"),
    [
        (
            "steps:\n  - id: s\n    to: merchant\n    title: {zh: a, en: a}\n    action: {zh: b, en: b}\n"
            "    sources: [{document: d, article: a}]\n    wait: {length: 3, unit: days, party: merchant}\n",
            "escalation",
            "steps[0].wait.party",
        ),
        (
            "evidence:\n  - id: photos\n    label: {zh: a, en: a}\n    why: {zh: b, en: b}\n"
            "    how: {default: {zh: c, en: c}}\n    urgent: {from: order.received_on, length: 2, unit: days,"
            " restarted_by: []}\n",
            "evidence_catalogue",
            "evidence[0].urgent.restarted_by",
        ),
    ],
    ids=["escalation wait", "evidence urgent"],
)
def test_whose_time_is_a_key_of_a_rules_deadline_only(text: str, method: str, key: str) -> None:
    errors = _errors(text, "en", method)
    assert [e.path for e in errors] == [key] and "unknown key" in str(errors[0])


def test_a_steps_condition_reads_and_a_bad_one_is_said_with_its_line() -> None:
    step = "next_steps:\n  - to: platform\n    action: {zh: 申请介入, en: ask}\n    when: {not: {history: %s}}\n"
    assert _errors(RULE + step % "platform_intervention_requested", "en") == []
    errors = _errors(RULE + step % "platform_asked", "en")
    assert [(e.line, e.path) for e in errors] == [(17, "next_steps[0].when.not.history")], [str(e) for e in errors]


def test_a_remedys_condition_reads_and_a_bad_one_is_said_with_its_line() -> None:
    block = "remedies: [exchange, repair]\nremedies_only_when:\n  repair: {not: {fact: order.%s, in: [food]}}\n"
    assert _errors(RULE + block % "category", "en") == []
    errors = _errors(RULE + block % "kind", "en")
    assert [(e.line, e.path) for e in errors] == [(16, "remedies_only_when.repair.not.fact")], [str(e) for e in errors]
    errors = _errors(RULE + "remedies_only_when:\n  mend: {fact: platform, eq: jd}\n", "en")
    assert [(e.line, e.path) for e in errors] == [(15, "remedies_only_when.mend")], [str(e) for e in errors]
    assert "repair" in str(errors[0])  # what may be written there


def test_a_waits_same_as_must_be_a_rule_id() -> None:
    text = (BASE / "waits.yaml").read_text(encoding="utf-8").replace("same_as: cn.civil.art188", "same_as: Art188")
    assert "same_as: Art188" in text
    reader = Reader(datafile.parse_text(text, "waits.yaml"))
    reader.waits()
    assert len(reader.errors) == 1
    assert str(reader.errors[0].path).endswith(".same_as") and "Art188" in str(reader.errors[0])
