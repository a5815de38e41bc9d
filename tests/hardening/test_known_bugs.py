"""Bugs found by the hardening work, each pinned by a strict xfail: the test states the behaviour that is wanted, fails
today, and turns into an unexpected pass (a failure, strict=True) once the bug is fixed, so that whoever fixes it
removes the mark. Each test's docstring says where the bug is, the input, what happens and what should.

None is open today: the fixed ones are ordinary tests in test_fixed_bugs.py (and the hostile-input files), and the
helpers below are shared with them. A bug found later is pinned here the same way.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest

FIELD_RE = re.compile(r"field '([^']*)'")


def bug(reason: str) -> pytest.MarkDecorator:
    return pytest.mark.xfail(strict=True, reason=f"BUG: {reason}")


def write_case(tmp_path: Path, text: str, name: str = "case.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


SMALL = """\
platform: taobao
as_of: {as_of}
order: {{item: 羊毛大衣, price: 299, paid_on: {paid}, received_on: {received}}}
problem: {{kinds: [{kind}], discovered_on: {received}}}
history: [{{on: {received}, event: merchant_refused}}]
"""


def small(**values: str) -> str:
    defaults = {"as_of": "2026-11-20", "paid": "2026-11-08", "received": "2026-11-12", "kind": "quality_defect"}
    return SMALL.format(**{**defaults, **values})


# -- case files ------------------------------------------------------------------------------------------------------
# -- policy packs ----------------------------------------------------------------------------------------------------
RULE = """\
id: taobao.hardening.numbers
title: {zh: 测试, en: test}
jurisdiction: taobao
summary: {zh: 测试, en: test}
sources: [{document: 测试, article: 第一条}]
last_reviewed: 2026-11-01
confidence: verified
when: {fact: platform, eq: douyin}
explanation: {zh: 测试, en: test}
remedies: [return_refund]
"""
# Also, not run here because each takes seconds: 10^8 working days (a loop day by day up to date.max). Years,
# stages and percent rates fail the same ways.
NUMBERS = {
    "deadline of 10^9 days": "deadline: {from: order.paid_on, length: 999999999, unit: days}",
    "deadline of 10^9 months": "deadline: {from: order.paid_on, length: 999999999, unit: months}",
    "within 10^9 days": "WHEN {fact: order.received_on, within: {of: order.paid_on, days: 999999999}}",
    "factor .inf": "amount: {times: {of: order.price, factor: .inf}}",
    "factor .nan": "amount: {times: {of: order.price, factor: .nan}}",
    "fixed 1e300": "amount: {fixed: 1.0e+300}",
}


# -- templates -------------------------------------------------------------------------------------------------------
SECRET = "SECRET-c41d"


def test_every_test_above_is_a_strict_xfail() -> None:
    module = sys.modules[__name__]
    for name in dir(module):
        if name.startswith("test_") and name != "test_every_test_above_is_a_strict_xfail":
            marks = [m for m in getattr(getattr(module, name), "pytestmark", []) if m.name == "xfail"]
            assert marks and marks[0].kwargs.get("strict") is True, name
