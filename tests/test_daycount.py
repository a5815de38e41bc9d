"""Tests for rightscli.daycount (民法典 art. 200-204 period counting).

Expected values are worked out by hand. The 2026 official calendar (the State Council's
2026 holiday notice, as shipped in chinesecalendar's constants) has:

* Spring Festival: rest Sun 2026-02-15 … Mon 2026-02-23; make-up working days
  Sat 2026-02-14 and Sat 2026-02-28.
* Mid-autumn: rest Fri 2026-09-25 … Sun 2026-09-27.
* National Day: rest Thu 2026-10-01 … Wed 2026-10-07; make-up working days
  Sun 2026-09-20 and Sat 2026-10-10.
"""

from __future__ import annotations

import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from rightscli import daycount
from rightscli.daycount import (
    PeriodEnd,
    Unit,
    add_months,
    calendar_years,
    days_between,
    holiday_name,
    is_working_day,
    period_end,
)

D = date

SPRING_2026_REST = [D(2026, 2, day) for day in range(15, 24)]
NATIONAL_2026_REST = [D(2026, 10, day) for day in range(1, 8)]
MAKEUP_2026 = [D(2026, 2, 14), D(2026, 2, 28), D(2026, 9, 20), D(2026, 10, 10)]


def unmoved(last: date, known: bool = True) -> PeriodEnd:
    """The expected result when the last day was not moved."""
    return PeriodEnd(last, last, known, False)


@pytest.fixture
def data_until_2026(monkeypatch: pytest.MonkeyPatch) -> None:
    """Pin the covered years so "outside the calendar" tests survive data updates."""
    monkeypatch.setattr(daycount, "calendar_years", lambda: (2004, 2026))


# --- the 2026 data the other tests rely on ------------------------------------------


def _rest_days_2026(name: str) -> list[date]:
    from chinese_calendar import constants

    days = constants.holidays.items()
    return sorted(d for d, n in days if d.year == 2026 and n == name)


def test_calendar_data_matches_the_2026_announcement() -> None:
    from chinese_calendar import constants

    assert _rest_days_2026("Spring Festival") == SPRING_2026_REST
    assert _rest_days_2026("National Day") == NATIONAL_2026_REST
    assert set(MAKEUP_2026) <= set(constants.workdays)


def test_calendar_years() -> None:
    first, last = calendar_years()
    assert first == 2004
    assert last >= 2026


def test_module_import_does_not_load_chinese_calendar() -> None:
    root = str(Path(daycount.__file__).resolve().parents[1])
    code = "; ".join(
        [
            f"import sys; sys.path.insert(0, {root!r})",
            "import rightscli.daycount",
            "print('chinese_calendar' in sys.modules)",
        ]
    )
    argv = [sys.executable, "-c", code]
    run = subprocess.run(argv, capture_output=True, text=True, check=False)
    assert run.returncode == 0, run.stderr
    assert run.stdout.strip() == "False"


# --- days (art. 201) ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "length", "expected"),
    [
        (D(2026, 11, 15), 7, D(2026, 11, 22)),  # the policy-format example
        (D(2026, 3, 1), 7, D(2026, 3, 8)),  # legal-facts: signed 1 March → 8 March
        (D(2026, 11, 15), 1, D(2026, 11, 16)),  # the event day is not counted
        (D(2026, 11, 15), 0, D(2026, 11, 15)),
        (D(2026, 1, 28), 7, D(2026, 2, 4)),  # month boundary
        (D(2026, 2, 22), 7, D(2026, 3, 1)),  # February, common year
        (D(2028, 2, 22), 7, D(2028, 2, 29)),  # February, leap year
        (D(2026, 12, 28), 7, D(2027, 1, 4)),  # year boundary
        (D(2026, 11, 15), 15, D(2026, 11, 30)),
        (D(2026, 1, 1), 365, D(2027, 1, 1)),
    ],
)
def test_days(start: date, length: int, expected: date) -> None:
    assert period_end(start, length, "days") == unmoved(expected)


def test_days_ignore_holidays_without_extension() -> None:
    # The 7 days run straight through the National Day holiday.
    assert period_end(D(2026, 9, 28), 7, "days").last_day == D(2026, 10, 5)


# --- months and years (art. 202) ----------------------------------------------------


@pytest.mark.parametrize(
    ("start", "months", "expected"),
    [
        (D(2026, 1, 15), 1, D(2026, 2, 15)),  # corresponding day
        (D(2026, 1, 31), 1, D(2026, 2, 28)),  # no Feb 31 → month end
        (D(2028, 1, 31), 1, D(2028, 2, 29)),  # leap year
        (D(2026, 3, 31), 1, D(2026, 4, 30)),
        (D(2026, 1, 30), 1, D(2026, 2, 28)),
        (D(2026, 2, 28), 1, D(2026, 3, 28)),  # not "month end to month end"
        (D(2026, 8, 31), 6, D(2027, 2, 28)),
        (D(2027, 8, 31), 6, D(2028, 2, 29)),
        (D(2026, 10, 31), 2, D(2026, 12, 31)),
        (D(2026, 12, 31), 1, D(2027, 1, 31)),  # year boundary
        (D(2026, 11, 30), 3, D(2027, 2, 28)),
        (D(2028, 2, 29), 12, D(2029, 2, 28)),
        (D(2026, 5, 31), 0, D(2026, 5, 31)),
        (D(2026, 3, 31), -1, D(2026, 2, 28)),  # add_months also goes backwards
        (D(2026, 1, 31), -2, D(2025, 11, 30)),
    ],
)
def test_add_months(start: date, months: int, expected: date) -> None:
    assert add_months(start, months) == expected
    if months >= 0:
        assert period_end(start, months, "months") == unmoved(expected)


@pytest.mark.parametrize(
    ("start", "years", "expected"),
    [
        (D(2026, 11, 15), 1, D(2027, 11, 15)),
        (D(2028, 2, 29), 1, D(2029, 2, 28)),
        (D(2028, 2, 29), 4, D(2032, 2, 29)),
        (D(2026, 11, 15), 3, D(2029, 11, 15)),
        (D(2026, 11, 15), 0, D(2026, 11, 15)),
    ],
)
def test_years(start: date, years: int, expected: date) -> None:
    result = period_end(start, years, "years")
    assert result == unmoved(expected)
    assert result == period_end(start, 12 * years, "months")


# --- working days -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "working"),
    [
        (D(2026, 11, 16), True),  # ordinary Monday
        (D(2026, 11, 21), False),  # ordinary Saturday
        (D(2026, 11, 22), False),  # ordinary Sunday
        *((d, False) for d in SPRING_2026_REST),
        *((d, False) for d in NATIONAL_2026_REST),
        *((d, True) for d in MAKEUP_2026),  # make-up Saturdays and Sunday
        (D(2026, 9, 25), False),  # Mid-autumn, a Friday
        (D(2026, 10, 8), True),
    ],
)
def test_is_working_day_in_2026(day: date, working: bool) -> None:
    assert is_working_day(day) == (working, True)


@pytest.mark.parametrize(
    ("start", "length", "expected"),
    [
        # Plain week: Tue 17 … Fri 20 are 1-4, weekend skipped, Mon 23 is 5.
        (D(2026, 11, 16), 5, D(2026, 11, 23)),
        (D(2026, 11, 13), 1, D(2026, 11, 16)),  # Friday → next Monday
        (D(2026, 11, 14), 1, D(2026, 11, 16)),  # event on a Saturday
        (D(2026, 11, 16), 0, D(2026, 11, 16)),
        (D(2026, 11, 16), 15, D(2026, 12, 7)),
        # Spring Festival: Fri 13 (1), make-up Sat 14 (2), rest 15-23,
        # Tue 24 … Fri 27 (3-6), make-up Sat 28 (7).
        (D(2026, 2, 12), 7, D(2026, 2, 28)),
        (D(2026, 2, 11), 7, D(2026, 2, 27)),
        (D(2026, 2, 13), 1, D(2026, 2, 14)),  # the make-up Saturday counts
        (D(2026, 2, 14), 1, D(2026, 2, 24)),  # nine rest days skipped
        (D(2026, 2, 27), 1, D(2026, 2, 28)),
        # National Day: Wed 9-30 (1), rest 10-1 … 10-7, Thu 8 (2), Fri 9 (3),
        # make-up Sat 10 (4), Sun 11 rest, Mon 12 … Wed 14 (5-7).
        (D(2026, 9, 29), 7, D(2026, 10, 14)),
        (D(2026, 9, 30), 1, D(2026, 10, 8)),
        (D(2026, 10, 9), 1, D(2026, 10, 10)),  # make-up Saturday
        (D(2026, 9, 18), 1, D(2026, 9, 20)),  # make-up Sunday; Sat 9-19 rests
        # Mid-autumn + National Day: from Thu 9-24, 9-25 … 27 rest, Mon 28 (1),
        # Tue 29 (2), Wed 30 (3), Thu 10-8 (4).
        (D(2026, 9, 24), 4, D(2026, 10, 8)),
    ],
)
def test_working_days_2026(start: date, length: int, expected: date) -> None:
    assert period_end(start, length, "working_days") == unmoved(expected)


# --- holiday extension (art. 203) ---------------------------------------------------


@pytest.mark.parametrize(
    ("start", "length", "unit", "last", "moved_to"),
    [
        # 7 days ending inside National Day move to Thu 10-8.
        (D(2026, 9, 24), 7, "days", D(2026, 10, 1), D(2026, 10, 8)),
        (D(2026, 9, 27), 7, "days", D(2026, 10, 4), D(2026, 10, 8)),
        (D(2026, 9, 30), 7, "days", D(2026, 10, 7), D(2026, 10, 8)),
        # Ordinary Sunday → Monday (the 2026-11-15 example ends on a Sunday).
        (D(2026, 11, 15), 7, "days", D(2026, 11, 22), D(2026, 11, 23)),
        # Ordinary Saturday → Monday.
        (D(2026, 11, 14), 7, "days", D(2026, 11, 21), D(2026, 11, 23)),
        # Ending inside Spring Festival → Tue 2-24.
        (D(2026, 2, 9), 7, "days", D(2026, 2, 16), D(2026, 2, 24)),
        (D(2026, 1, 16), 1, "months", D(2026, 2, 16), D(2026, 2, 24)),
        (D(2026, 9, 1), 1, "months", D(2026, 10, 1), D(2026, 10, 8)),
        # Mid-autumn Friday 9-25 → Mon 9-28.
        (D(2026, 9, 18), 7, "days", D(2026, 9, 25), D(2026, 9, 28)),
        # New Year's Day 2026 (Thu) … Sat 1-3 → the make-up Sunday 1-4.
        (D(2025, 12, 25), 7, "days", D(2026, 1, 1), D(2026, 1, 4)),
        # A length-0 period on a holiday moves too.
        (D(2026, 10, 3), 0, "days", D(2026, 10, 3), D(2026, 10, 8)),
    ],
)
def test_holiday_extension_moves(
    start: date,
    length: int,
    unit: Unit,
    last: date,
    moved_to: date,
) -> None:
    moved = period_end(start, length, unit, holiday_extension=True)
    assert moved == PeriodEnd(moved_to, last, True, True)
    plain = period_end(start, length, unit, holiday_extension=False)
    assert plain == unmoved(last)


@pytest.mark.parametrize(
    ("start", "length", "unit", "last"),
    [
        (D(2026, 2, 7), 7, "days", D(2026, 2, 14)),  # make-up Sat: not a holiday
        (D(2026, 10, 3), 7, "days", D(2026, 10, 10)),  # make-up Saturday
        (D(2026, 9, 13), 7, "days", D(2026, 9, 20)),  # make-up Sunday
        (D(2026, 11, 16), 7, "days", D(2026, 11, 23)),  # ordinary Monday
        (D(2026, 9, 29), 7, "working_days", D(2026, 10, 14)),
    ],
)
def test_holiday_extension_keeps_working_days(
    start: date,
    length: int,
    unit: Unit,
    last: date,
) -> None:
    result = period_end(start, length, unit, holiday_extension=True)
    assert result == unmoved(last)


@pytest.mark.parametrize(
    ("day", "name"),
    [
        (D(2026, 2, 17), "Spring Festival"),
        (D(2026, 2, 21), "Spring Festival"),  # bridging Saturday
        (D(2026, 10, 1), "National Day"),
        (D(2026, 9, 25), "Mid-autumn Festival"),
        (D(2026, 1, 1), "New Year's Day"),
        (D(2026, 2, 14), None),  # make-up working day
        (D(2026, 11, 22), None),  # ordinary Sunday
        (D(2026, 11, 16), None),  # ordinary Monday
    ],
)
def test_holiday_name(day: date, name: str | None) -> None:
    assert holiday_name(day) == name


# --- outside the calendar's years ---------------------------------------------------


def test_2030_is_outside_the_installed_data() -> None:
    if calendar_years()[1] >= 2030:
        pytest.skip("installed chinesecalendar already covers 2030")
    assert is_working_day(D(2030, 1, 1)) == (True, False)
    assert period_end(D(2030, 1, 4), 3, "working_days") == unmoved(D(2030, 1, 9), False)


@pytest.mark.usefixtures("data_until_2026")
@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (D(2030, 1, 1), (True, False)),  # New Year's Day, unknown → a working Tuesday
        (D(2030, 1, 5), (False, False)),  # Saturday
        (D(2030, 1, 6), (False, False)),  # Sunday
        (D(2003, 12, 31), (True, False)),  # before the first year
        (D(2026, 12, 31), (True, True)),
    ],
)
def test_is_working_day_outside(day: date, expected: tuple[bool, bool]) -> None:
    assert is_working_day(day) == expected


@pytest.mark.usefixtures("data_until_2026")
@pytest.mark.parametrize(
    ("start", "length", "expected"),
    [
        # Fri 2030-01-04: weekend skipped, Mon 7 (1), Tue 8 (2), Wed 9 (3).
        (D(2030, 1, 4), 3, D(2030, 1, 9)),
        (D(2030, 1, 10), 5, D(2030, 1, 17)),
        # Crossing out of the data: Thu 12-31 (1), Fri 2027-01-01 (2: not known
        # to be a holiday), weekend, Mon 1-4 (3).
        (D(2026, 12, 30), 3, D(2027, 1, 4)),
        (D(2003, 12, 30), 1, D(2003, 12, 31)),
    ],
)
def test_working_days_outside(start: date, length: int, expected: date) -> None:
    result = period_end(start, length, "working_days")
    assert result == unmoved(expected, known=False)


@pytest.mark.usefixtures("data_until_2026")
def test_extension_outside() -> None:
    # Sat 2030-01-05 → Mon 1-7, with the calendar unknown.
    moved = period_end(D(2029, 12, 29), 7, "days", holiday_extension=True)
    assert moved == PeriodEnd(D(2030, 1, 7), D(2030, 1, 5), False, True)
    # A weekday outside the data is not moved, but is still flagged unknown.
    weekday = period_end(D(2030, 1, 1), 0, "days", holiday_extension=True)
    assert weekday == unmoved(D(2030, 1, 1), known=False)


@pytest.mark.usefixtures("data_until_2026")
@pytest.mark.parametrize(
    ("start", "length", "unit", "expected"),
    [
        (D(2030, 1, 1), 7, "days", D(2030, 1, 8)),
        (D(2030, 1, 31), 1, "months", D(2030, 2, 28)),
        (D(2030, 1, 31), 2, "years", D(2032, 1, 31)),
    ],
)
def test_plain_periods_never_consult_the_calendar(
    start: date,
    length: int,
    unit: Unit,
    expected: date,
) -> None:
    assert period_end(start, length, unit) == unmoved(expected, known=True)


@pytest.mark.usefixtures("data_until_2026")
def test_holiday_name_outside_calendar() -> None:
    assert holiday_name(D(2030, 1, 1)) is None


# --- small helpers and errors -------------------------------------------------------


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        (D(2026, 11, 15), D(2026, 11, 22), 7),
        (D(2026, 11, 22), D(2026, 11, 15), -7),
        (D(2026, 11, 15), D(2026, 11, 15), 0),
        (D(2028, 2, 28), D(2028, 3, 1), 2),
        (D(2026, 12, 31), D(2027, 1, 1), 1),
    ],
)
def test_days_between(a: date, b: date, expected: int) -> None:
    assert days_between(a, b) == expected


@pytest.mark.parametrize("unit", ["days", "months", "years", "working_days"])
def test_negative_length_is_rejected(unit: Unit) -> None:
    with pytest.raises(ValueError, match="0 or more, got -1"):
        period_end(D(2026, 11, 15), -1, unit)


def test_unknown_unit_is_rejected() -> None:
    with pytest.raises(ValueError, match="unknown period unit 'weeks'"):
        period_end(D(2026, 11, 15), 1, "weeks")  # type: ignore[arg-type]


@pytest.mark.parametrize("length", [1.5, "7", True])
def test_non_integer_length_is_rejected(length: object) -> None:
    with pytest.raises(TypeError, match="must be an integer"):
        period_end(D(2026, 11, 15), length, "days")  # type: ignore[arg-type]


def test_period_end_is_frozen() -> None:
    result = period_end(D(2026, 11, 15), 7, "days")
    with pytest.raises(AttributeError):
        result.last_day = D(2026, 11, 23)  # type: ignore[misc]
