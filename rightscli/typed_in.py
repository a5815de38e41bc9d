"""Typed-in answers to canonical text, by question type: the wizard's answers, ``--set`` values and the cells of a
batch CSV. No judging here: the case model validates the result.

What a parser does not understand it passes through unchanged, so that the one validation path
(:func:`rightscli.case.validate_case` with ``text_values=True``) explains the problem the same way for every route.

* dates: ``2026-11-15``, ``2026/11/15``, ``2026年11月15日``, ``11-15``, ``11/15``, ``11月15日`` (or 号), ``今天``,
  ``昨天``, ``前天``, ``3天前``, ``today``, ``yesterday``, ``3 days ago`` → ``YYYY-MM-DD``. A date without a year
  is the latest such day on or before ``today``.
* money: ``299``, ``299.5``, ``¥299.00``, ``￥1,299``, ``299元`` → ``299.00`` (two decimals where exact).
* yes/no: 是/否, y/n, yes/no, 对/不是, 有/没有 … → ``true`` / ``false``.
* choices: a value id, the number shown in a numbered list, or the label (zh or en) → the value id.
"""

from __future__ import annotations

import re
from datetime import date, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any, Protocol


class Question(Protocol):
    """What the parsers need of a question (:class:`rightscli.wizard.questions.Question`): its type and its choices,
    each a value id and a label with ``zh`` and ``en``."""

    @property
    def type(self) -> str: ...

    @property
    def choices(self) -> Any: ...


_FULL_WIDTH = str.maketrans("０１２３４５６７８９／－．，：　", "0123456789/-.,: ")
_RELATIVE_WORDS = {"今天": 0, "今日": 0, "today": 0, "昨天": 1, "昨日": 1, "yesterday": 1, "前天": 2, "大前天": 3}
_DAYS_AGO = re.compile(r"^(\d{1,4})\s*(?:天前|日前|days?\s+ago)$", re.IGNORECASE)
_FULL = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*[日号]?$")
_COMPACT = re.compile(r"^(\d{4})(\d{2})(\d{2})$")
_MONTH_DAY = re.compile(r"^(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*[日号]?$")
_YES = {"y", "yes", "true", "1", "是", "是的", "对", "有", "要", "确认"}
_NO = {"n", "no", "false", "0", "否", "不是", "不", "没有", "无", "不要"}
_LIST_SPLIT = re.compile(r"[,，、;；\s]+")


def normalize(text: str) -> str:
    return text.translate(_FULL_WIDTH).strip()


def parse_date(text: str, today: date) -> str:
    """Canonical ``YYYY-MM-DD`` text for a typed date, or the input unchanged when it is not understood."""
    s = normalize(text)
    low = s.lower()
    if low in _RELATIVE_WORDS:
        return (today - timedelta(days=_RELATIVE_WORDS[low])).isoformat()
    m = _DAYS_AGO.match(low)
    if m:
        return (today - timedelta(days=int(m.group(1)))).isoformat()
    m = _FULL.match(s) or _COMPACT.match(s)
    if m:
        return _iso(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    m = _MONTH_DAY.match(s)
    if m:
        month, day = int(m.group(1)), int(m.group(2))
        # The latest such day on or before today (2-29 typed in 2033 is 2032-02-29); not a real day in any of the
        # last years: the case model says so, naming the text.
        for year in range(today.year, today.year - 5, -1):
            try:
                if date(year, month, day) <= today:
                    return _iso(year, month, day)
            except ValueError:
                continue
        return _iso(today.year, month, day)
    return s


def _iso(year: int, month: int, day: int) -> str:
    return f"{year:04d}-{month:02d}-{day:02d}"


def parse_money(text: str) -> str:
    """Canonical amount text (``299.00``), or the input unchanged when it is not a number."""
    s = normalize(text)
    s = re.sub(r"^(?:rmb|cny)\s*|\s*(?:rmb|cny)$", "", s, flags=re.IGNORECASE)
    s = s.replace("¥", "").replace("￥", "").replace(",", "").replace(" ", "")
    s = s.removesuffix("元").removesuffix("块").strip()
    try:
        amount = Decimal(s)
    except InvalidOperation:
        return normalize(text)
    if not amount.is_finite():
        return normalize(text)
    exponent = amount.as_tuple().exponent
    if isinstance(exponent, int) and exponent >= -2:
        return f"{amount:.2f}"
    return s  # more than two decimals: the case model explains


def parse_yes_no(text: str) -> str:
    s = normalize(text).lower()
    if s in _YES:
        return "true"
    if s in _NO:
        return "false"
    return s


def parse_choice(text: str, q: Question, *, numbered: bool = False) -> str:
    """A value id from an id, a label or (``numbered``) the 1-based number of a choice."""
    s = normalize(text)
    values = [v for v, _ in q.choices]
    if numbered and s.isdigit() and 1 <= int(s) <= len(values):
        return values[int(s) - 1]
    if s in values:
        return s
    low = s.lower()
    for value, label in q.choices:
        if low in (label.zh.lower(), label.en.lower(), value.lower()):
            return value
    return s


def parse_choices(text: str, q: Question, *, numbered: bool = False) -> list[str]:
    """Several choices, separated by commas (also ，、; or spaces between numbers and ids)."""
    s = normalize(text)
    if not s:
        return []
    parts = [p for p in re.split(r"[,，、;；]", s) if p.strip()]
    if len(parts) == 1 and re.fullmatch(r"[\w\s]+", s) and " " in s.strip():
        candidates = _LIST_SPLIT.split(s)
        if all(parse_choice(c, q, numbered=numbered) in [v for v, _ in q.choices] for c in candidates):
            parts = candidates
    out: list[str] = []
    for part in parts:
        value = parse_choice(part, q, numbered=numbered)
        if value not in out:
            out.append(value)
    return out


def parse_events(text: str, today: date) -> list[dict[str, Any]]:
    """``EVENT@DATE`` (or ``EVENT:DATE``) items, comma-separated: the ``--set history=…`` form."""
    out: list[dict[str, Any]] = []
    for part in re.split(r"[,，;；]", normalize(text)):
        m = re.fullmatch(r"\s*([^@:]*?)\s*(?:[@:]\s*(.*?))?\s*", part)
        if m is None or not (m.group(1) or m.group(2)):
            continue
        item: dict[str, Any] = {"on": None, "event": m.group(1)}
        if m.group(2):
            item["on"] = parse_date(m.group(2), today)
        out.append(item)
    return out


def parse_answer(text: str, q: Question, today: date, *, numbered: bool = False) -> Any:
    """Typed-in text for question ``q`` → the value to put in the case data (text, or a list for list questions)."""
    if q.type == "date":
        return parse_date(text, today)
    if q.type == "money":
        return parse_money(text)
    if q.type == "yes_no":
        return parse_yes_no(text)
    if q.type == "choice":
        return parse_choice(text, q, numbered=numbered)
    if q.type == "multi_choice":
        return parse_choices(text, q, numbered=numbered)
    if q.type == "events":
        return parse_events(text, today)
    return text.strip()
