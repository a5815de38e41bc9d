"""Dates, days left and money in the words of the interface, for every output that a buyer reads (the core's
explanations and plan texts as well as the views): Chinese dates as 11月25日 (with the year when it is not the year of
the assessment), English as 25 Nov; money with thousands separators and without .00 on whole yuan."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from rightscli.i18n import tr

MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def day(d: date, lang: str, ref: date | None = None) -> str:
    """11月25日 / 25 Nov; with the year when it differs from ``ref`` (the day of assessment)."""
    same_year = ref is not None and ref.year == d.year
    if lang == "en":
        return f"{d.day} {MONTHS[d.month - 1]}" + ("" if same_year else f" {d.year}")
    return ("" if same_year else f"{d.year}年") + f"{d.month}月{d.day}日"


def days_left(n: int, lang: str) -> str:
    """还剩 3 天 / 今天截止 / 已过 2 天."""
    if n > 0:
        return tr("view.days_left", lang, count=n)
    if n == 0:
        return tr("view.due_today", lang)
    return tr("view.days_ago", lang, count=-n)


def deadline(d: date, as_of: date, lang: str, met_on: date | None = None) -> str:
    """The nearest words for a last day: 11月25日（还剩 5 天） / 已按时主张（11月9日）."""
    if met_on is not None:
        return tr("view.met", lang, day=day(met_on, lang, as_of))
    return tr("view.deadline", lang, day=day(d, lang, as_of), left=days_left((d - as_of).days, lang))


def money(amount: Decimal | float | int) -> str:
    """¥1,197 / ¥32.95: thousands separators, no .00 on whole yuan."""
    value = Decimal(str(amount)).quantize(Decimal("0.01"))
    if value == value.to_integral_value():
        return f"¥{int(value):,}"
    return f"¥{value:,.2f}"
