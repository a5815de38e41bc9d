"""Holiday schedules as data: one file per year (``holidays-YYYY.yaml``), read strictly, with its source.

The State Council publishes each year's schedule (国务院办公厅关于YYYY年部分节假日安排的通知) late in the year before.
The ``chinesecalendar`` package knows the years up to its release; a schedule file covers a year beyond them (or
corrects one), bundled under ``policies/calendar/`` or added by the user with ``--policy-dir``. The loaded schedules
are handed to :mod:`rightscli.daycount` (:func:`rightscli.daycount.use_schedules`).
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import msgspec

from rightscli.datafile import Document
from rightscli.errors import PolicyError
from rightscli.i18n import tr

FILE_PREFIX = "holidays-"


class RestPeriod(msgspec.Struct, frozen=True):
    name: str
    first: date
    last: date


class Schedule(msgspec.Struct, frozen=True):
    """One year's official schedule: rest periods (放假调休) and make-up working days (调休上班)."""

    year: int
    document: str
    published: date | None
    url: str | None
    rest_periods: tuple[RestPeriod, ...]
    working_days: tuple[date, ...]
    file: str = ""

    def rest_day(self, day: date) -> RestPeriod | None:
        return next((p for p in self.rest_periods if p.first <= day <= p.last), None)

    def is_working_day(self, day: date) -> bool:
        if day in self.working_days:
            return True
        return day.weekday() < 5 and self.rest_day(day) is None


def is_schedule_file(name: str) -> bool:
    return name.startswith(FILE_PREFIX) and name.endswith(".yaml")


def read_schedule(doc: Document) -> tuple[Schedule | None, list[PolicyError]]:
    """Read one schedule file; every problem names the file, line and key."""
    errors: list[PolicyError] = []

    def fail(path: str, message: str) -> None:
        errors.append(PolicyError(message, file=doc.source, line=doc.line_of(path), path=path))

    raw: Any = doc.data
    if not isinstance(raw, dict):
        fail("", tr("holidays.expected_mapping"))
        return None, errors
    for key in raw:
        if key not in ("year", "source", "rest_periods", "working_days"):
            fail(str(key), tr("case.unknown_key", key=key, known="year, source, rest_periods, working_days"))
    year = raw.get("year")
    if isinstance(year, bool) or not isinstance(year, int) or not 1990 <= year <= 2100:
        fail("year", tr("holidays.expected_year", got=repr(year)))
        return None, errors
    name = doc.source.replace("\\", "/").rsplit("/", 1)[-1]
    if name != f"{FILE_PREFIX}{year}.yaml":
        fail("year", tr("holidays.file_name", year=year, name=f"{FILE_PREFIX}{year}.yaml"))
    source = raw.get("source")
    if not isinstance(source, dict) or not isinstance(source.get("document"), str) or not source["document"].strip():
        fail("source", tr("holidays.expected_source"))
        source = {}
    for key in source:
        if key not in ("document", "published", "url"):
            fail(f"source.{key}", tr("case.unknown_key", key=key, known="document, published, url"))

    def day(value: Any, path: str) -> date | None:
        if isinstance(value, date):
            out = value
        else:
            try:
                out = date.fromisoformat(str(value))
            except ValueError:
                fail(path, tr("policy.not_date", value=value))
                return None
        if out.year != year:
            fail(path, tr("holidays.not_in_year", day=out, year=year))
            return None
        return out

    periods: list[RestPeriod] = []
    raw_periods = raw.get("rest_periods")
    if not isinstance(raw_periods, list) or not raw_periods:
        fail("rest_periods", tr("holidays.expected_periods"))
        raw_periods = []
    for i, item in enumerate(raw_periods):
        path = f"rest_periods[{i}]"
        if not isinstance(item, dict) or set(item) != {"name", "from", "to"}:
            fail(path, tr("holidays.expected_period"))
            continue
        first, last = day(item["from"], f"{path}.from"), day(item["to"], f"{path}.to")
        if first and last:
            if last < first:
                fail(f"{path}.to", tr("holidays.before", last=last, first=first))
            elif last - first > timedelta(days=15):
                fail(f"{path}.to", tr("holidays.too_long"))
            else:
                periods.append(RestPeriod(str(item["name"]), first, last))
    working: list[date] = []
    raw_working = raw.get("working_days") or []
    if not isinstance(raw_working, list):
        fail("working_days", tr("holidays.expected_working_days"))
        raw_working = []
    for i, value in enumerate(raw_working):
        d = day(value, f"working_days[{i}]")
        if d is not None:
            if d.weekday() < 5:
                fail(f"working_days[{i}]", tr("holidays.weekday", day=d))
            working.append(d)
    published = day_any(source.get("published"), "source.published", fail)
    if errors:
        return None, errors
    schedule = Schedule(
        year=year,
        document=str(source["document"]).strip(),
        published=published,
        url=str(source["url"]) if source.get("url") else None,
        rest_periods=tuple(periods),
        working_days=tuple(sorted(working)),
        file=doc.source,
    )
    return schedule, errors


def day_any(value: Any, path: str, fail: Any) -> date | None:
    if value is None:
        return None
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        fail(path, tr("policy.not_date", value=value))
        return None
