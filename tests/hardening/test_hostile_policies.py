"""Hostile policy packs through `rights policies validate` and `--policy-dir`: dangling references, self-references,
cycles, huge files and code tags are refused with exit 2, naming the file, line and key; nothing runs.

The bugs found in this area (unbounded numbers, folder cycles, dangling links, a pack that validate passes but
--policy-dir refuses) are fixed and tested in test_fixed_bugs.py.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from tests.hardening.support import EXAMPLE, assert_clean, invoke, run_rights

# These tests check the wording of English messages (the default interface is Chinese).
pytestmark = pytest.mark.usefixtures("english")

RULE = """\
id: taobao.hardening.{name}
title: {{zh: 测试规则, en: test rule}}
jurisdiction: taobao
summary: {{zh: 测试, en: test}}
sources: [{{document: 测试文件, article: 第一条}}]
last_reviewed: 2026-11-01
confidence: verified
when: {when}
explanation: {{zh: 测试, en: test}}
{extra}
"""
WHEN = "{fact: platform, eq: douyin}"


def rule(name: str = "ok", *, when: str = WHEN, extra: str = "remedies: [return_refund]") -> str:
    return RULE.format(name=name, when=when, extra=extra)


def pack(tmp_path: Path, *texts: str, name: str = "rules") -> Path:
    folder = tmp_path / name
    folder.mkdir()
    for i, text in enumerate(texts):
        (folder / f"rule{i}.yaml").write_text(text, encoding="utf-8")
    return folder


def check_refused(folder: Path, expected: str, key: str | None = None, *, assess: bool = True) -> None:
    """`policies validate` and `assess --policy-dir` both refuse the pack, naming the file and key."""
    routes = [["policies", "validate", folder], ["assess", EXAMPLE, "--policy-dir", folder, "--json"]]
    for args in routes if assess else routes[:1]:
        result = invoke(args)
        assert_clean(result, allowed=(2,))
        assert expected in result.stderr, result.stderr
        assert str(folder) in result.stderr
        if key is not None:
            assert f"field '{key}'" in result.stderr, result.stderr
        assert result.stdout.strip() == "" or args[0] == "policies"


def test_a_well_formed_rule_is_accepted(tmp_path: Path) -> None:
    """The control for the others: the rule they break is valid, and it reaches the assessment."""
    folder = pack(tmp_path, rule())
    result = invoke(["policies", "validate", folder])
    assert_clean(result, allowed=(0,))
    assessed = invoke(["assess", EXAMPLE, "--policy-dir", folder, "--json"])
    assert_clean(assessed, allowed=(0,))
    assert '"policy": "taobao.hardening.ok"' in assessed.stdout  # the example is a douyin order


DANGLING = {
    "unknown evidence id": (
        dict(extra="evidence: [no_such_evidence]"),
        "unknown value 'no_such_evidence'",
        "evidence[0]",
    ),
    "unknown remedy": (dict(extra="remedies: [free_money]"), "unknown value 'free_money'", "remedies[0]"),
    "unknown fact": (dict(when="{fact: order.colour, eq: red}"), "unknown fact 'order.colour'", "when.fact"),
    "unknown fact deep inside": (
        dict(when="{all: [{any: [{not: {fact: order.colour, eq: red}}]}]}"),
        "unknown fact 'order.colour'",
        "when.all[0].any[0].not.fact",
    ),
    "unknown value of a known fact": (dict(when="{fact: platform, eq: amazon}"), "'amazon' is not a value", "when.eq"),
    "unknown event": (dict(when="{history: merchant_exploded}"), "unknown event", "when.history"),
    "unknown within fact": (
        dict(when="{fact: order.received_on, within: {of: order.arrived_on, days: 7}}"),
        "unknown fact 'order.arrived_on'",
        "when.within.of",
    ),
    "unknown compared fact": (dict(when="{fact: order.paid_on, lt: {fact: order.arrived_on}}"), "expected", "when.lt"),
    "unknown deadline fact": (
        dict(extra="deadline: {from: order.arrived_on, length: 7, unit: days}"),
        "unknown date fact 'order.arrived_on'",
        "deadline.from",
    ),
    "unknown deadline event": (
        dict(extra="deadline: {from: {event: merchant_exploded}, length: 7, unit: days}"),
        "unknown value 'merchant_exploded'",
        "deadline.from.event",
    ),
    "unknown met_by event": (
        dict(extra="deadline: {from: order.paid_on, length: 7, unit: days, met_by: [prayed]}"),
        "unknown value 'prayed'",
        "deadline.met_by[0]",
    ),
    "unknown stages_from": (
        dict(
            extra="stages: [{length: 7, unit: days, remedies: [repair], label: {zh: a, en: b}}]\n"
            "stages_from: order.arrived_on"
        ),
        "unknown date fact",
        "stages_from",
    ),
    "unknown in_force_on": (dict(extra="in_force_on: order.arrived_on"), "unknown date fact", "in_force_on"),
    "unknown money fact": (dict(extra="amount: {times: {of: order.colour, factor: 3}}"), "unknown money fact", None),
    "unknown next step target": (
        dict(extra="next_steps: [{to: police, action: {zh: a, en: b}}]"),
        "unknown value 'police'",
        "next_steps[0].to",
    ),
    "unknown exclusion fact": (
        dict(
            extra="exclusions: [{id: x, when: {fact: order.colour, eq: red}, reason: {zh: a, en: b}, "
            "sources: [{document: a, article: b}]}]"
        ),
        "unknown fact 'order.colour'",
        "exclusions[0].when.fact",
    ),
    "unknown key": (dict(extra="remedies: [repair]\nremedy: [repair]"), "unknown key 'remedy'", "remedy"),
    "unknown period unit": (
        dict(extra="deadline: {from: order.paid_on, length: 7, unit: fortnights}"),
        "unknown value 'fortnights'",
        "deadline.unit",
    ),
    "negative period": (
        dict(extra="deadline: {from: order.paid_on, length: -7, unit: days}"),
        "0 or more",
        "deadline.length",
    ),
    "negative amount": (dict(extra="amount: {fixed: -500}"), "0 or more", None),
}


@pytest.fixture(scope="module")
def dangling_pack(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Every rule of DANGLING in one folder, as rule0.yaml, rule1.yaml, …"""
    return pack(
        tmp_path_factory.mktemp("dangling"), *(rule(f"r{i}", **kw) for i, (kw, _, _) in enumerate(DANGLING.values()))
    )


@pytest.mark.parametrize("command", ["policies validate", "assess --policy-dir"])
def test_dangling_references_are_each_refused_with_file_line_and_key(dangling_pack: Path, command: str) -> None:
    """All the broken rules in one pack: each is reported with its file, line and key; nothing is assessed."""
    if command == "policies validate":
        result = invoke(["policies", "validate", dangling_pack])
    else:
        result = invoke(["assess", EXAMPLE, "--policy-dir", dangling_pack, "--json"])
        assert result.stdout == ""
    assert_clean(result, allowed=(2,))
    missing = []
    for i, (name, (_, expected, key)) in enumerate(DANGLING.items()):
        lines = [line for line in result.stderr.splitlines() if re.search(rf"rule{i}\.yaml:\d+", line)]
        if not any(expected in line for line in lines) or (key and not any(f"field '{key}'" in ln for ln in lines)):
            missing.append((name, expected, key, lines))
    assert not missing, missing


def test_a_condition_that_refers_to_itself_is_refused(tmp_path: Path) -> None:
    """Without aliases YAML cannot hold a cycle; with one, the reader refuses the alias itself."""
    check_refused(pack(tmp_path, rule(when="&w {not: *w}")), "alias")
    check_refused(pack(tmp_path, rule(when="&w {all: [{fact: platform, eq: jd}, *w]}"), name="b"), "alias")


def test_a_condition_nested_without_end_is_refused(tmp_path: Path) -> None:
    deep = "{not: " * 100 + WHEN + "}" * 100
    check_refused(pack(tmp_path, rule(when=deep)), "nested too deeply")


def test_two_rules_with_one_id_in_a_pack_are_refused(tmp_path: Path) -> None:
    folder = pack(tmp_path, rule("twin"), rule("twin"))
    result = invoke(["assess", EXAMPLE, "--policy-dir", folder])
    assert_clean(result, allowed=(2,))
    assert "taobao.hardening.twin" in result.stderr and "overlap" in result.stderr


def test_a_rule_that_takes_a_bundled_id_is_refused_by_assess(tmp_path: Path) -> None:
    folder = pack(tmp_path, rule().replace("taobao.hardening.ok", "taobao.seven_day_return"))
    result = invoke(["assess", EXAMPLE, "--policy-dir", folder])
    assert_clean(result, allowed=(2,))
    assert "taobao.seven_day_return" in result.stderr and "overlap" in result.stderr


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (b"id: x\n" + b"# padding\n" * 120_000, "larger than"),
        (b"explanation: '" + b"x" * (3 * 1024 * 1024) + b"'\n", "larger than"),
        (b"when: !!python/object/apply:os.system ['touch {marker}']\n", "is not allowed"),
        (b"!!python/object/new:os.system ['touch {marker}']\n", "is not allowed"),
        (b"id: a\nid: b\n", "duplicate key 'id'"),
        (b"id: x\x00\n", "NUL byte"),
        (b"id: caf\xe9\n", "not valid UTF-8"),
        (b"- a\n- b\n", "expected a mapping"),
        (b"", "is empty"),
    ],
    ids=["huge file", "huge string", "code tag", "root tag", "dup", "NUL", "latin-1", "list", "empty"],
)
def test_hostile_policy_files_are_refused(tmp_path: Path, raw: bytes, expected: str) -> None:
    marker = tmp_path / "CODE-RAN"
    folder = tmp_path / "rules"
    folder.mkdir()
    (folder / "rule.yaml").write_bytes(raw.replace(b"{marker}", str(marker).encode()))
    check_refused(folder, expected)
    assert not marker.exists()


def test_policy_dir_that_is_missing_or_a_file(tmp_path: Path) -> None:
    file = tmp_path / "rule.yaml"
    file.write_text(rule(), encoding="utf-8")
    for target, expected in [(tmp_path / "missing", "not a folder"), (file, "not a folder")]:
        result = invoke(["assess", EXAMPLE, "--policy-dir", target])
        assert_clean(result, allowed=(2,))
        assert expected in result.stderr
    missing = invoke(["policies", "validate", tmp_path / "missing"])
    assert_clean(missing, allowed=(2,))
    assert "no such file or folder" in missing.stderr


def test_hidden_files_and_other_suffixes_in_a_pack_are_not_read(tmp_path: Path) -> None:
    folder = pack(tmp_path, rule())
    (folder / ".hidden.yaml").write_bytes(b"!!python/object/apply:os.system ['false']\n")
    (folder / "notes.txt").write_bytes(b"\x00\xff")
    (folder / ".git").mkdir()
    (folder / ".git" / "x.yaml").write_bytes(b"a: &a [*a]\n")
    assert_clean(invoke(["policies", "validate", folder]), allowed=(0,))
    assert_clean(invoke(["assess", EXAMPLE, "--policy-dir", folder, "--json"]), allowed=(0,))


FIFO_ROUTES = {
    "assess --policy-dir": lambda d: ["assess", EXAMPLE, "--policy-dir", d, "--json"],
    "policies list --policy-dir": lambda d: ["policies", "list", "--policy-dir", d, "--json"],
    "policies validate DIR": lambda d: ["policies", "validate", d],
    "policies validate FILE": lambda d: ["policies", "validate", d / "pipe.yaml"],
}


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
@pytest.mark.parametrize("route", list(FIFO_ROUTES))
def test_a_fifo_in_a_policy_folder_never_blocks(tmp_path: Path, route: str) -> None:
    """A named pipe called *.yaml in a pack: reading it would wait for a writer forever. Only regular files are
    read: the pipe is refused by name (exit 2), at once. A real process, so that a hang fails instead of hanging."""
    folder = pack(tmp_path, rule())
    os.mkfifo(folder / "pipe.yaml")
    result = run_rights(*FIFO_ROUTES[route](folder), timeout=30)
    assert result.returncode == 2, result.stderr
    assert "pipe.yaml" in result.stderr and "regular file" in result.stderr
    assert "Traceback" not in result.stderr


ESCAPES = {
    "ESC in a title": ('title: {zh: "测试\\e[31m红色", en: test rule}', "title.zh"),
    "CSI in an explanation": ('explanation: {zh: "测试\\x9b2J", en: test}', "explanation.zh"),
    "BEL in a source": ('sources: [{document: "测试\\a", article: 第一条}]', "sources[0].document"),
    "right-to-left override": ('summary: {zh: "退款\\u202e元001", en: test}', "summary.zh"),
    "zero-width space": ('summary: {zh: "退\\u200b款", en: test}', "summary.zh"),
    "line separator": ('summary: {zh: "退款\\u2028说明", en: test}', "summary.zh"),
}


@pytest.mark.parametrize("name", list(ESCAPES))
def test_control_and_invisible_characters_in_policy_text_are_refused(tmp_path: Path, name: str) -> None:
    """Terminal escape sequences in a downloaded pack reached the terminal through `policies show` and the
    assessment; bidi overrides and zero-width characters make a text read differently from what it says."""
    line, key = ESCAPES[name]
    field = line.split(":", 1)[0]
    text = "\n".join(line if row.startswith(f"{field}:") else row for row in rule().splitlines()) + "\n"
    folder = pack(tmp_path, text)
    check_refused(folder, "character (U+", key)
    for args in (["policies", "validate", folder, "--json"], ["assess", EXAMPLE, "--policy-dir", folder]):
        result = invoke(args)
        assert not re.search("[\x1b\x07\x9b\u202e\u200b\u2028]", result.stdout + result.stderr)


PERIODS = {
    "8,000 years": "deadline: {from: order.paid_on, length: 8000, unit: years}",
    "5,000 months": "deadline: {from: order.paid_on, length: 5000, unit: months}",
    "30,000 working days": "deadline: {from: order.paid_on, length: 30000, unit: working_days}",
    "a stage of 500 years": "stages_from: order.received_on\n"
    "stages: [{length: 500, unit: years, remedies: [return_refund], label: {zh: 测, en: t}}]",
}


@pytest.mark.parametrize("name", list(PERIODS))
def test_policy_periods_are_bounded_so_every_date_stays_in_range(tmp_path: Path, name: str) -> None:
    """A deadline of 8,000 years passed `validate` and then crashed `assess` (a date past 9999). Periods are bounded
    (about 100 years whatever the unit), checked by `validate` and by the catalog."""
    folder = pack(tmp_path, rule(extra="remedies: [return_refund]\n" + PERIODS[name]))
    check_refused(folder, "100 years")


def test_a_period_of_a_hundred_years_is_accepted(tmp_path: Path) -> None:
    folder = pack(
        tmp_path, rule(extra="remedies: [return_refund]\ndeadline: {from: order.paid_on, length: 100, unit: years}")
    )
    assert_clean(invoke(["policies", "validate", folder]), allowed=(0,))
    assert_clean(invoke(["assess", EXAMPLE, "--policy-dir", folder, "--json"]), allowed=(0,))
