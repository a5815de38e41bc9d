"""Holiday schedules as data (rightscli/holidays.py): the bundled file agrees with the official calendar, a user's
file covers a year the package does not know, and a bad file is refused with its file, line and key."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest

from rightscli import daycount
from rightscli.catalog import Catalog, load_catalog
from rightscli.errors import UserError

FIXTURE = Path(__file__).parent / "fixtures" / "calendar-2027"


def test_the_bundled_2026_schedule_agrees_with_chinesecalendar_on_every_day(catalog: Catalog) -> None:
    import chinese_calendar

    (schedule,) = [s for s in catalog.calendars if s.year == 2026]
    assert schedule.document == "国务院办公厅关于2026年部分节假日安排的通知"
    day = date(2026, 1, 1)
    while day.year == 2026:
        assert schedule.is_working_day(day) == chinese_calendar.is_workday(day), day
        day += timedelta(days=1)


def test_no_2027_schedule_is_bundled_until_the_notice_is_read(catalog: Catalog) -> None:
    assert 2027 not in {s.year for s in catalog.calendars}
    daycount.use_schedules(catalog.calendars)
    assert daycount.is_working_day(date(2027, 10, 1)) == (True, False)  # a Friday: weekday fallback, unknown


def test_a_users_schedule_is_used_for_its_year(catalog: Catalog) -> None:
    extended = load_catalog([FIXTURE])
    try:
        assert daycount.is_working_day(date(2027, 10, 1)) == (False, True)  # in the rest period
        assert daycount.is_working_day(date(2027, 10, 9)) == (True, True)  # a Saturday make-up working day
        assert daycount.holiday_name(date(2027, 10, 4)) == "国庆节"
        end = daycount.period_end(date(2027, 9, 28), 7, "working_days")
        assert end.last_day == date(2027, 10, 13) and end.calendar_known
    finally:
        daycount.use_schedules(catalog.calendars)
    assert extended.calendars[-1].year == 2027


def test_a_period_counted_before_a_schedule_changes_is_counted_again(catalog: Catalog) -> None:
    """The period ends kept for a batch are those of the schedules in use: another set counts them again."""
    daycount.use_schedules(catalog.calendars)
    before = daycount.period_end(date(2027, 9, 28), 7, "working_days")
    assert before.last_day == date(2027, 10, 7) and not before.calendar_known  # weekdays only, unknown
    extended = load_catalog([FIXTURE])
    try:
        daycount.use_schedules(extended.calendars)
        again = daycount.period_end(date(2027, 9, 28), 7, "working_days")
        assert again.last_day == date(2027, 10, 13) and again.calendar_known
    finally:
        daycount.use_schedules(catalog.calendars)
    assert daycount.period_end(date(2027, 9, 28), 7, "working_days") == before


@pytest.mark.usefixtures("english")
@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("year: 2027\nrest_periods: [{name: x, from: 2027-10-01, to: 2027-10-07}]\n", "source"),
        (
            "year: 2027\nsource: {document: x}\nrest_periods: [{name: x, from: 2026-10-01, to: 2026-10-07}]\n",
            "not in 2027",
        ),
        (
            "year: 2027\nsource: {document: x}\nrest_periods: [{name: x, from: 2027-10-01, to: 2027-10-07}]\n"
            "working_days: [2027-10-11]\n",
            "weekday",
        ),
        ("year: 2028\nsource: {document: x}\nrest_periods: [{name: x, from: 2028-10-01, to: 2028-10-07}]\n", "named"),
    ],
)
def test_a_bad_schedule_is_refused_naming_the_problem(tmp_path: Path, text: str, problem: str) -> None:
    (tmp_path / "holidays-2027.yaml").write_text(text, encoding="utf-8")
    with pytest.raises(UserError) as info:
        load_catalog([tmp_path])
    assert "holidays-2027.yaml" in str(info.value) or any(
        "holidays-2027.yaml" in (e.file or "") for e in getattr(info.value, "errors", [])
    )
    assert problem in str(info.value) or any(problem in e.message for e in getattr(info.value, "errors", []))
