"""`rights calendar`: the plan's dates as an iCalendar file (RFC 5545).

Every deadline and follow-up date from ``as_of`` on becomes an all-day event with a display reminder two days
before. UIDs are derived from the order (its id, else a hash of platform, payment day and item) and the date's id
(policy id, ``wait.<id>``, ``evidence.<id>``), so exporting again after the case changed updates the same events in
a calendar instead of adding copies. ``icalendar`` is imported here only.
"""

from __future__ import annotations

import hashlib
import re
from datetime import datetime, timedelta

from rightscli.case import Case
from rightscli.i18n import tr
from rightscli.plan.build import Dated, Plan

REMINDER = timedelta(days=-2)
_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


def case_key(case: Case) -> str:
    """A stable key of the order: its id, else a short hash of what identifies it."""
    if case.order.id:
        return "order-" + _UNSAFE.sub("_", case.order.id)
    seed = f"{case.platform}|{case.order.paid_on.isoformat()}|{case.order.item}|{case.merchant.name or ''}"
    return "case-" + hashlib.sha256(seed.encode("utf-8")).hexdigest()[:16]


def uid(case: Case, item_id: str) -> str:
    return f"{case_key(case)}.{_UNSAFE.sub('_', item_id)}@rightscli"


def build_calendar(plan: Plan, *, now: datetime) -> str:
    """The calendar as text; ``now`` (UTC) is the DTSTAMP of every event."""
    from icalendar import Alarm, Calendar, Event

    lang = plan.lang
    cal = Calendar()
    cal.add("prodid", "-//rightscli//rights calendar//ZH")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", f"{tr('calendar.prefix', lang)}: {plan.case.order.item}")
    for item in plan.dates:
        summary = _summary(plan, item)
        event = Event()
        event.add("uid", uid(plan.case, item.id))
        event.add("dtstamp", now)
        event.add("dtstart", item.day)
        event.add("dtend", item.day + timedelta(days=1))
        event.add("summary", summary)
        event.add("description", _description(plan, item))
        event.add("categories", [item.kind])
        event.add("transp", "TRANSPARENT")
        alarm = Alarm()
        alarm.add("action", "DISPLAY")
        alarm.add("description", summary)
        alarm.add("trigger", REMINDER)
        event.add_component(alarm)
        cal.add_component(event)
    return cal.to_ical().decode("utf-8")


def _summary(plan: Plan, item: Dated) -> str:
    """What a phone shows: at most 20 characters (the case and the details are in the description)."""
    return item.short or item.title[:20]


def _if_applies(plan: Plan, item: Dated) -> str:
    """Why the date may not apply: the question its rule waits for, when the buyer can answer one."""
    from rightscli.views.words import question

    source = item.id.removeprefix("step.")
    asked = next((q for q in plan.questions if source in q.findings), None)
    if asked is None:
        return tr("calendar.if_applies", plan.lang)
    return tr("calendar.if_applies_ask", plan.lang, question=question(asked.path, asked.ask, plan.lang))


def _description(plan: Plan, item: Dated) -> str:
    from rightscli.views.words import citations, recipient

    lang = plan.lang
    case = plan.case
    order = f"{case.order.item} · {tr(f'platform.{case.platform}', lang)}"
    if case.order.id:
        order += " · " + tr("view.order_no", lang, id=case.order.id)
    lines = [item.title, order]
    if item.to is not None:
        lines.append(tr("view.step", lang, who=recipient(item.to, lang, case.platform), action=item.action))
    elif item.action != item.title:
        lines.append(item.action)
    if item.basis:
        lines.append(tr("plan.basis_line", lang, basis=citations(item.basis, lang)))
    if not item.decided:
        lines.append(_if_applies(plan, item))
    if item.confidence != "verified":
        lines.append(tr("calendar.unverified", lang))
    return "\n".join(lines)
