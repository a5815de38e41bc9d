"""Bugs found by the hardening work, each pinned by a strict xfail: the test states the behaviour that is wanted, fails
today, and turns into an unexpected pass (a failure, strict=True) once the bug is fixed, so that whoever fixes it
removes the mark. Each test's docstring says where the bug is, the input, what happens and what should.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest

from rightscli.catalog import templates_dir
from rightscli.errors import TemplateError
from rightscli.letters.render import render
from tests.hardening.support import assert_clean, invoke

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


# -- letters -------------------------------------------------------------------------------------------------------
@bug("no regulator letter before 2020: exit 2 blaming the bundled recipients.yaml")
@pytest.mark.parametrize("recipient", ["regulator", "regulator-report"])
def test_a_regulator_letter_for_a_case_before_2020(tmp_path: Path, recipient: str) -> None:
    """A valid case whose as_of is before 2020-01-01 gets no regulator or regulator-report letter: exit 2 with
    'templates/letters/recipients.yaml: no complaint-handling rule is in force on 2019-06-20', an error about a bundled
    file that the user cannot fix. Wanted: the letter under the earliest rule (with a warning), or a message that
    names the case's date field and the first date supported."""
    case = write_case(tmp_path, small(as_of="2019-06-20", paid="2019-06-08", received="2019-06-12"))
    result = invoke(["letter", case, "--to", recipient])
    assert_clean(result, allowed=(0,))


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


@bug("string formatting in templates is not size-capped")
@pytest.mark.parametrize(
    "text", ["{{ '%01000000d' % 1 }}", "{{ '{:>1000000}'.format(1) }}", "{{ 'a' | center(1000000) }}"]
)
def test_string_formatting_cannot_build_a_huge_string(tmp_path: Path, text: str) -> None:
    """rightscli/letters/render.py LetterSandbox caps * and ** (MAX_REPEAT = 100,000) but not string formatting:
    '%01000000d' % 1, '{:>1000000}'.format(1), center(), indent() and lipsum(n) build strings of any size (a width
    of 10^9 takes seconds and a gigabyte). Wanted: widths and filter sizes capped like MAX_REPEAT."""
    (tmp_path / "merchant.md.j2").write_text(text, encoding="utf-8")
    with pytest.raises(TemplateError):
        render(["merchant.md.j2"], {}, tmp_path, templates_dir())


def test_every_test_above_is_a_strict_xfail() -> None:
    module = sys.modules[__name__]
    for name in dir(module):
        if name.startswith("test_") and name != "test_every_test_above_is_a_strict_xfail":
            marks = [m for m in getattr(getattr(module, name), "pytestmark", []) if m.name == "xfail"]
            assert marks and marks[0].kwargs.get("strict") is True, name
