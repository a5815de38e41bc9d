"""Typed-in dates, money, yes/no, choices and events → canonical text, then the case model's one validation."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from rightscli.typed_in import (
    parse_choice,
    parse_choices,
    parse_date,
    parse_events,
    parse_money,
    parse_yes_no,
)
from rightscli.wizard.answers import Answers
from rightscli.wizard.questions import load_questions

# These tests check the wording of English messages (the default interface is Chinese).
pytestmark = pytest.mark.usefixtures("english")

TODAY = date(2026, 11, 20)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-11-15", "2026-11-15"),
        (" 2026-11-15 ", "2026-11-15"),
        ("2026/11/15", "2026-11-15"),
        ("2026.11.5", "2026-11-05"),
        ("20261115", "2026-11-15"),
        ("2026年11月15日", "2026-11-15"),
        ("2026年11月15号", "2026-11-15"),
        ("11-15", "2026-11-15"),
        ("11/15", "2026-11-15"),
        ("11月15日", "2026-11-15"),
        ("11月15号", "2026-11-15"),
        ("11月15", "2026-11-15"),
        ("１１月１５日", "2026-11-15"),  # full-width digits
        ("11-20", "2026-11-20"),  # today itself
        ("12-25", "2025-12-25"),  # no year, would be in the future: last year's
        ("今天", "2026-11-20"),
        ("今日", "2026-11-20"),
        ("today", "2026-11-20"),
        ("Today", "2026-11-20"),
        ("昨天", "2026-11-19"),
        ("yesterday", "2026-11-19"),
        ("前天", "2026-11-18"),
        ("3天前", "2026-11-17"),
        ("3 天前", "2026-11-17"),
        ("10日前", "2026-11-10"),
        ("3 days ago", "2026-11-17"),
        ("1 day ago", "2026-11-19"),
        ("30天前", "2026-10-21"),  # across a month
    ],
)
def test_dates(text: str, expected: str) -> None:
    assert parse_date(text, TODAY) == expected


def test_relative_dates_count_from_the_given_day() -> None:
    assert parse_date("昨天", date(2026, 3, 1)) == "2026-02-28"
    assert parse_date("3天前", date(2027, 1, 2)) == "2026-12-30"
    assert parse_date("12-31", date(2027, 1, 2)) == "2026-12-31"


@pytest.mark.parametrize("text", ["xyz", "next week", "", "11-15-16", "上周五"])
def test_unknown_dates_pass_through_for_the_model_to_explain(text: str) -> None:
    assert parse_date(text, TODAY) == text.strip()


@pytest.mark.parametrize(("text", "expected"), [("2月30日", "2026-02-30"), ("2026-13-01", "2026-13-01")])
def test_impossible_dates_reach_the_model_as_iso_text(text: str, expected: str) -> None:
    assert parse_date(text, TODAY) == expected
    answers = Answers(None, TODAY)
    problems = answers.try_put("order.paid_on", expected, "prompt")
    assert problems and "not a real date" in problems[0].message
    assert not answers.has("order.paid_on")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("299", "299.00"),
        ("299.5", "299.50"),
        ("299.50", "299.50"),
        ("¥299.00", "299.00"),
        ("￥299", "299.00"),
        ("¥ 299", "299.00"),
        ("1,299", "1299.00"),
        ("￥1,299.9", "1299.90"),
        ("299元", "299.00"),
        ("299块", "299.00"),
        ("RMB 12", "12.00"),
        ("12 CNY", "12.00"),
        ("２９９", "299.00"),
        ("0", "0.00"),
        (".5", "0.50"),
    ],
)
def test_money(text: str, expected: str) -> None:
    assert parse_money(text) == expected


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("abc", "not an amount"),
        ("-5", "negative"),
        ("0.001", "more than two decimals"),
        ("1e12", "implausibly large"),
    ],
)
def test_bad_money_is_explained_by_the_case_model(text: str, message: str) -> None:
    answers = Answers(None, TODAY)
    problems = answers.try_put("order.price", parse_money(text), "prompt")
    assert problems, text
    assert message in problems[0].message
    assert problems[0].path == "order.price"


def test_money_and_dates_are_stored_only_when_valid() -> None:
    answers = Answers(None, TODAY)
    assert answers.try_put("order.price", parse_money("¥299.5"), "prompt") == []
    assert answers.try_put("order.paid_on", parse_date("11月8日", TODAY), "prompt") == []
    assert answers.typed()["order"]["price"] == Decimal("299.50")
    assert answers.typed()["order"]["paid_on"] == date(2026, 11, 8)
    # received before paid: the cross-field rule of the case model, reported on the new value
    problems = answers.try_put("order.received_on", parse_date("11-05", TODAY), "prompt")
    assert problems and "(order.paid_on) 2026-11-08" in problems[0].message
    # after --as-of / today
    problems = answers.try_put("order.received_on", "2026-11-25", "prompt")
    assert problems and "after" in problems[0].message


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("是", "true"),
        ("y", "true"),
        ("Yes", "true"),
        ("对", "true"),
        ("否", "false"),
        ("n", "false"),
        ("没有", "false"),
    ],
)
def test_yes_no(text: str, expected: str) -> None:
    assert parse_yes_no(text) == expected


def test_choices_by_id_label_or_number() -> None:
    qs = load_questions()
    platform = qs.get("platform")
    assert platform is not None
    assert parse_choice("tmall", platform) == "tmall"
    assert parse_choice("天猫", platform) == "tmall"
    assert parse_choice("Tmall", platform) == "tmall"
    assert parse_choice("3", platform, numbered=True) == "jd"
    assert parse_choice("3", platform) == "3"  # numbers only where a numbered list was shown
    assert parse_choice("nope", platform) == "nope"
    kinds = qs.get("problem.kinds")
    assert kinds is not None
    assert parse_choices("changed_mind, quality_defect", kinds) == ["changed_mind", "quality_defect"]
    assert parse_choices("1,3", kinds, numbered=True) == ["changed_mind", "not_as_described"]
    assert parse_choices("1 3", kinds, numbered=True) == ["changed_mind", "not_as_described"]
    assert parse_choices("质量问题、假货", kinds) == ["quality_defect", "counterfeit"]
    assert parse_choices("", kinds) == []


def test_events_for_set() -> None:
    assert parse_events("contacted_merchant@2026-11-13, merchant_refused:昨天", TODAY) == [
        {"on": "2026-11-13", "event": "contacted_merchant"},
        {"on": "2026-11-19", "event": "merchant_refused"},
    ]
    assert parse_events("merchant_refused", TODAY) == [{"on": None, "event": "merchant_refused"}]
    answers = Answers(None, TODAY)
    answers.put("order.paid_on", "2026-11-08", "prompt")
    problems = answers.try_put("history", parse_events("merchant_refused", TODAY), "set")
    assert problems and problems[0].path == "history[0].on"


@given(st.dates(min_value=date(2000, 1, 1), max_value=date(2099, 12, 31)))
def test_any_iso_date_and_its_chinese_form_parse_to_itself(day: date) -> None:
    assert parse_date(day.isoformat(), TODAY) == day.isoformat()
    assert parse_date(f"{day.year}年{day.month}月{day.day}日", TODAY) == day.isoformat()
    assert parse_date(day.strftime("%Y/%m/%d"), TODAY) == day.isoformat()


@given(st.integers(min_value=0, max_value=3650), st.dates(min_value=date(2015, 1, 1), max_value=date(2035, 12, 31)))
def test_days_ago_and_month_day_are_never_after_today(n: int, today: date) -> None:
    ago = date.fromisoformat(parse_date(f"{n}天前", today))
    assert ago == today - timedelta(days=n)
    assert parse_date(f"{n} days ago", today) == ago.isoformat()
    short = date.fromisoformat(parse_date(f"{ago.month}-{ago.day}", today))
    # The latest such day on or before today: within a year, except 2-29, which may be up to four years back.
    limit = 366 * 4 + 1 if (ago.month, ago.day) == (2, 29) else 366
    assert short <= today and (today - short).days < limit
    assert (short.month, short.day) == (ago.month, ago.day)


def test_february_29_typed_in_a_common_year_is_the_last_leap_day() -> None:
    assert parse_date("2-29", date(2033, 5, 1)) == "2032-02-29"
    assert parse_date("2-29", date(2028, 3, 1)) == "2028-02-29"
    assert parse_date("2-30", date(2026, 5, 1)) == "2026-02-30"  # not a real day: the case model names it


@given(st.decimals(min_value=0, max_value=10_000_000, places=2, allow_nan=False, allow_infinity=False))
def test_any_amount_in_fen_parses_in_every_spelling(amount: Decimal) -> None:
    canonical = f"{amount:.2f}"
    for text in (canonical, f"¥{amount}", f"￥{amount:,.2f}", f"{amount}元", f" {amount} "):
        assert parse_money(text) == canonical, text
    answers = Answers(None, TODAY)
    assert answers.try_put("order.price", canonical, "prompt") == []
    assert answers.typed()["order"]["price"] == amount
