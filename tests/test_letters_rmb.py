"""Amounts in capitals (人民币大写) and in figures."""

from __future__ import annotations

from decimal import Decimal

import pytest

from rightscli.letters.rmb import both, capitals, figures

CASES = [
    ("0", "人民币零元整"),
    ("0.05", "人民币伍分"),
    ("0.5", "人民币伍角整"),
    ("0.55", "人民币伍角伍分"),
    ("1", "人民币壹元整"),
    ("10", "人民币壹拾元整"),
    ("15", "人民币壹拾伍元整"),
    ("20", "人民币贰拾元整"),
    ("100.5", "人民币壹佰元伍角整"),
    ("101", "人民币壹佰零壹元整"),
    ("110", "人民币壹佰壹拾元整"),
    ("299", "人民币贰佰玖拾玖元整"),
    ("500", "人民币伍佰元整"),
    ("899.5", "人民币捌佰玖拾玖元伍角整"),
    ("1000", "人民币壹仟元整"),
    ("1001", "人民币壹仟零壹元整"),
    ("1010", "人民币壹仟零壹拾元整"),
    ("1409.50", "人民币壹仟肆佰零玖元伍角整"),
    ("1680.32", "人民币壹仟陆佰捌拾元叁角贰分"),
    ("3600", "人民币叁仟陆佰元整"),
    ("6999", "人民币陆仟玖佰玖拾玖元整"),
    ("10000", "人民币壹万元整"),
    ("10010", "人民币壹万零壹拾元整"),
    ("16409.02", "人民币壹万陆仟肆佰零玖元零贰分"),
    ("100000", "人民币壹拾万元整"),
    ("100700", "人民币壹拾万零柒佰元整"),
    ("107000", "人民币壹拾万柒仟元整"),
    ("107000.53", "人民币壹拾万柒仟元伍角叁分"),
    ("325.04", "人民币叁佰贰拾伍元零肆分"),
    ("1000000", "人民币壹佰万元整"),
    ("12345678.9", "人民币壹仟贰佰叁拾肆万伍仟陆佰柒拾捌元玖角整"),
    ("100000000", "人民币壹亿元整"),
    ("100000001", "人民币壹亿零壹元整"),
    ("100010000", "人民币壹亿零壹万元整"),
    ("120000000.01", "人民币壹亿贰仟万元零壹分"),
]


@pytest.mark.parametrize(("amount", "expected"), CASES)
def test_capitals(amount: str, expected: str) -> None:
    assert capitals(Decimal(amount)) == expected


def test_accepts_numbers_and_rounds_to_the_fen() -> None:
    assert capitals(3600) == "人民币叁仟陆佰元整"
    assert capitals(899.5) == "人民币捌佰玖拾玖元伍角整"
    assert capitals("0.005") == "人民币壹分"  # half up


def test_figures_and_both() -> None:
    assert figures(Decimal("3600")) == "3,600.00元"
    assert figures("0.05") == "0.05元"
    assert both(Decimal("899.5")) == "899.50元（大写：人民币捌佰玖拾玖元伍角整）"


@pytest.mark.parametrize("bad", ["-1", "abc", "NaN", "Infinity", "1e20", None])
def test_rejects_what_is_not_money(bad: object) -> None:
    with pytest.raises(ValueError):
        capitals(bad)  # type: ignore[arg-type]


def test_never_zero_twice_or_trailing_zero() -> None:
    for cents in range(0, 2_000_000, 997):
        text = capitals(Decimal(cents) / 100)
        assert "零零" not in text
        assert not text.endswith("零")
        assert not text.endswith("分整")
        assert text.startswith("人民币")
