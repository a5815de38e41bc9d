"""Counting periods (期间计算) under the PRC Civil Code (民法典), articles 200-204.

Rules implemented:

* Art. 200/201 - a period counted in days, months or years does not count the day of
  the event; counting starts the next day. From 2026-11-15, 7 days end on 2026-11-22.
* Art. 202 - a period in months or years ends on the corresponding day (对应日) of the
  end month; when that month has no such day, on its last day (月末日). Jan 31 plus one
  month is Feb 28 (Feb 29 in a leap year). A year is 12 months.
* Working days (工作日, used by administrative rules, not by the Civil Code itself) also
  start the day after the event and count only working days of the official calendar:
  Monday-Friday that are not statutory holidays, plus the make-up working days (调休)
  that fall on a Saturday or Sunday.
* Art. 203 - when a rule applies it (``holiday_extension=True``), a last day that falls
  on a statutory holiday (法定休假日) moves to the first working day after it.

What counts as a "statutory holiday" for art. 203: every day that is **not a working day
in the official calendar**. That is the public holidays and their bridging rest days
(节假日) *and* the ordinary weekend rest days (公休日), which courts and the
administrative rules (e.g. 市场监督管理行政处罚程序规定 art. 80) treat as 法定休假日.
A make-up working day (调休上班日) on a Saturday or Sunday is a working day, so a period
ending on it does not move.

Art. 204: these rules apply unless a law provides otherwise or the parties agree
otherwise; whether a given deadline uses the extension is the caller's decision.

The official calendar comes from the holiday schedules kept as data (``holidays-YYYY.yaml``,
see :mod:`rightscli.holidays`; handed over with :func:`use_schedules`) and, for the other
years, from the ``chinesecalendar`` package (import name ``chinese_calendar``), imported
lazily so that importing this module stays cheap. The package only knows the years it ships
data for (see :func:`calendar_years`). For a date in no schedule and outside those years,
Monday-Friday count as working days and weekends as rest days, and the result says
``calendar_known=False`` so the caller can warn.

Everything here is pure: no clock, no printing, no I/O.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta
from functools import lru_cache
from typing import TYPE_CHECKING, Any, Literal, TypeVar, get_args

import msgspec

if TYPE_CHECKING:
    from rightscli.case import HistoryEvent
    from rightscli.policy import Text, WaitRestart

__all__ = [
    "PeriodEnd",
    "Unit",
    "add_months",
    "calendar_years",
    "days_between",
    "holiday_name",
    "is_working_day",
    "period_end",
    "restart_period",
    "restarted_end",
    "use_calendar_years",
    "use_schedules",
]

Unit = Literal["days", "months", "years", "working_days"]

_UNITS: frozenset[str] = frozenset(get_args(Unit))
_ONE_DAY = timedelta(days=1)


class PeriodEnd(msgspec.Struct, frozen=True):
    """Where a period ends.

    ``calendar_known`` is False if any day whose working-day status was looked at lies
    outside the years the holiday data covers (weekday-only fallback was used). Plain
    ``days``/``months``/``years`` periods without holiday extension never consult the
    calendar, so for them it is always True.
    """

    last_day: date  # the last day (inclusive) of the period
    unmoved_last_day: date  # before any holiday extension (== last_day when not moved)
    calendar_known: bool  # False if any day looked at is outside the calendar's years
    moved: bool  # True if holiday extension moved the last day


_KNOWN_YEARS: list[tuple[int, int]] = []  # the package's years as found before (handed over, not looked up)


def use_calendar_years(years: tuple[int, int]) -> None:
    """The years the ``chinesecalendar`` package covers, as the caller already knows them (the catalog keeps them
    with its cache, keyed by the package's data file): :func:`calendar_years` then answers without importing it."""
    _KNOWN_YEARS[:] = [years]
    _ENDS.clear()


def calendar_years() -> tuple[int, int]:
    """Return the first and last year the official holiday data covers."""
    return _KNOWN_YEARS[0] if _KNOWN_YEARS else _package_years()


@lru_cache(maxsize=1)
def _package_years() -> tuple[int, int]:
    from chinese_calendar import constants

    years = {d.year for d in constants.holidays} | {d.year for d in constants.workdays}
    return min(years), max(years)


_SCHEDULES: dict[int, Any] = {}  # year -> rightscli.holidays.Schedule, from the catalog's holiday files
_IN_USE: list[Any] = [None]  # the list of schedules last handed over (compared by identity: a no-op when unchanged)


def use_schedules(schedules: Iterable[Any]) -> None:
    """Use these official schedules (:class:`rightscli.holidays.Schedule`) for their years, in place of the package's
    data: the catalog's (its bundled files plus those of ``--policy-dir``). Called when a catalog is loaded and by
    the engine for the catalog it assesses with."""
    if schedules is _IN_USE[0]:
        return
    _IN_USE[0] = schedules
    _SCHEDULES.clear()
    _ENDS.clear()  # counted with the schedules before
    for schedule in schedules:
        _SCHEDULES[schedule.year] = schedule


def _in_calendar(d: date) -> bool:
    if d.year in _SCHEDULES:
        return True
    first, last = calendar_years()
    return first <= d.year <= last


def is_working_day(d: date) -> tuple[bool, bool]:
    """Return (is a working day, calendar known for that date).

    Inside the covered years this is the official calendar (make-up days included).
    Outside them, Monday-Friday are working days and the second value is False.
    """
    schedule = _SCHEDULES.get(d.year)
    if schedule is not None:
        return schedule.is_working_day(d), True
    if not _in_calendar(d):
        return d.weekday() < 5, False
    import chinese_calendar

    return bool(chinese_calendar.is_workday(d)), True


def holiday_name(d: date) -> str | None:
    """Return the name of the statutory holiday on ``d``, e.g. "Spring Festival".

    None for working days (make-up working days included), ordinary weekends and dates
    outside the covered years. A year from a schedule file gives the name the notice uses (春节).
    """
    first, last = calendar_years()
    schedule = _SCHEDULES.get(d.year)
    if schedule is not None and not first <= d.year <= last:
        period = schedule.rest_day(d)
        return period.name if period is not None and not schedule.is_working_day(d) else None
    if not _in_calendar(d):
        return None
    import chinese_calendar

    on_holiday, name = chinese_calendar.get_holiday_detail(d)
    return name if on_holiday and name else None


def days_between(a: date, b: date) -> int:
    """Return ``b - a`` in days (negative if ``b`` is before ``a``)."""
    return (b - a).days


def add_months(d: date, months: int) -> date:
    """Add ``months`` (may be negative) the art. 202 way.

    The result is the corresponding day of the target month, or that month's last day
    when it has no such day: 2026-01-31 + 1 → 2026-02-28.
    """
    year, month0 = divmod(d.year * 12 + (d.month - 1) + months, 12)
    month = month0 + 1
    return date(year, month, min(d.day, _days_in_month(year, month)))


def _days_in_month(year: int, month: int) -> int:
    """Number of days in a month (no ``calendar`` import: it pulls in ``locale``)."""
    if month == 12:
        return 31
    return (date(year, month + 1, 1) - date(year, month, 1)).days


def _add_working_days(start: date, count: int) -> tuple[date, bool]:
    """Return the ``count``-th working day after ``start``; were all days known?"""
    day, found, known = start, 0, True
    while found < count:
        day += _ONE_DAY
        working, day_known = is_working_day(day)
        known = known and day_known
        if working:
            found += 1
    return day, known


def _next_working_day(d: date) -> tuple[date, bool]:
    """Return the first working day on or after ``d``; were all days known?"""
    day, known = d, True
    while True:
        working, day_known = is_working_day(day)
        known = known and day_known
        if working:
            return day, known
        day += _ONE_DAY


def _unmoved_end(start: date, length: int, unit: Unit) -> tuple[date, bool]:
    if unit == "days":
        return start + timedelta(days=length), True
    if unit == "months":
        return add_months(start, length), True
    if unit == "years":
        return add_months(start, 12 * length), True
    return _add_working_days(start, length)


def period_end(
    start: date,
    length: int,
    unit: Unit,
    *,
    holiday_extension: bool = False,
) -> PeriodEnd:
    """Return the last day of a period of ``length`` ``unit`` starting after ``start``.

    ``start`` is the day of the event, which is not counted (art. 201); length 0 ends
    on ``start`` itself. With ``holiday_extension`` a last day that is not a working
    day moves to the next working day (art. 203, see the module docstring).
    """
    if isinstance(length, bool) or not isinstance(length, int):
        raise TypeError(f"period length must be an integer, got {length!r}")
    if length < 0:
        raise ValueError(f"period length must be 0 or more, got {length}")
    if unit not in _UNITS:
        expected = ", ".join(sorted(_UNITS))
        raise ValueError(f"unknown period unit {unit!r}; expected one of: {expected}")

    key = (start, length, unit, holiday_extension, calendar_years())
    end = _ENDS.get(key)
    if end is not None:
        return end
    unmoved, known = _unmoved_end(start, length, unit)
    last = unmoved
    if holiday_extension:
        last, ext_known = _next_working_day(unmoved)
        known = known and ext_known
    end = PeriodEnd(
        last_day=last,
        unmoved_last_day=unmoved,
        calendar_known=known,
        moved=last != unmoved,
    )
    if len(_ENDS) >= ENDS_KEPT:
        _ENDS.clear()
    _ENDS[key] = end
    return end


# Period ends already counted, with the schedules in use (emptied when they change) and the years the package's
# calendar covers (part of the key): the cases of a batch count the same few periods from the same few days. At most
# ENDS_KEPT of them, so memory stays flat.
_ENDS: dict[tuple[date, int, str, bool, tuple[int, int]], PeriodEnd] = {}
ENDS_KEPT = 4096


T = TypeVar("T")


def restarted_end(
    start: date,
    length: int,
    unit: Unit,
    restarts: Iterable[tuple[date, T]],
    *,
    holiday_extension: bool = False,
) -> tuple[PeriodEnd, T | None]:
    """The end of a period that events interrupt (中断, 民法典 第一百九十五条): each restart on a day after the period
    began and no later than its current last day starts it again from that day; one that comes after the period ran
    out interrupts nothing. Returns the last day and the restart (of ``restarts``, given as (day, item)) it counts
    from, or None."""
    end = period_end(start, length, unit, holiday_extension=holiday_extension)
    used: T | None = None
    for day, item in sorted(restarts, key=lambda r: r[0]):
        if day <= start:
            continue
        if day > end.last_day:
            break
        start, used = day, item
        end = period_end(start, length, unit, holiday_extension=holiday_extension)
    return end, used


def restart_period(
    start: date,
    length: int,
    unit: Any,
    restarts: Iterable[WaitRestart],
    history: Iterable[HistoryEvent],
    *,
    holiday_extension: bool = False,
) -> tuple[PeriodEnd, HistoryEvent | None, Text | None]:
    """The end of a period that the history interrupts: the events its law names expressly restart it (民法典
    第一百九十五条: a demand to the obligor), each while the period still runs; an event that would restart it only on
    a reading of the law (``interpretation``) is not counted, and its interpretation is returned to be stated.
    Used alike by the rules' deadlines (the engine) and the waiting windows (the plan), so both give one date."""
    restarts, history = tuple(restarts), tuple(history)
    express = [(e.on, e) for r in restarts if r.interpretation is None for e in history if e.event in r.events]
    end, used = restarted_end(start, length, unit, express, holiday_extension=holiday_extension)
    since = used.on if used is not None else start
    noted = [
        r.interpretation
        for e in history
        for r in restarts
        if r.interpretation is not None and e.event in r.events and since < e.on <= end.last_day
    ]
    return end, used, (noted[-1] if noted else None)
