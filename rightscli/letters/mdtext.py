"""Text as a template writes it: a value escaped for Markdown (:func:`md_escape`), and the one rule for how any value
of a template's ``{{ … }}`` becomes text (:func:`finalize`). Shared by the Jinja sandbox
(:mod:`rightscli.letters.render`) and the compiled bundled templates (:mod:`rightscli.letters.compiled`); no Jinja here.
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any


class MdSafe(str):
    """Text the letter code built as Markdown on purpose; the template sandbox does not escape it."""


# Patterns, compiled on first use (re caches them): most text needs no escaping and never reaches them.
_INLINE = r"([\\`*_\[\]<>|~#&])"
_SPACE = r"\s+"
_LINE_START = r"^( ?)([-+=])"
_ORDERED = r"^( ?\d+)([.)])(?=\s|$)"


_MARKUP = frozenset("\\`*_[]<>|~#&")


def md_escape(text: str) -> str:
    """Text → Markdown that shows exactly that text on one line (no emphasis, links, lists, headings or HTML)."""
    if _plain(text):
        return text  # most values (names, dates, amounts, Chinese sentences): nothing to escape, no regex run
    text = re.sub(_SPACE, " ", text)
    text = re.sub(_INLINE, r"\\\1", text)
    text = re.sub(_LINE_START, r"\1\\\2", text)
    return re.sub(_ORDERED, r"\1\\\2", text)


def _plain(text: str) -> bool:
    """True when :func:`md_escape` would return ``text`` unchanged: printable (no line breaks, tabs or other
    spaces than " "), no double space, no Markdown character, and no start that reads as a list item."""
    if not text.isprintable() or "  " in text or not _MARKUP.isdisjoint(text):
        return False
    start = 1 if text[:1] == " " else 0
    if text[start : start + 1] in ("-", "+", "="):
        return False
    end = start  # "12. " or "3)" at the start would read as an ordered list item
    while end < len(text) and text[end].isdecimal():
        end += 1
    return end == start or text[end : end + 1] not in (".", ")") or text[end + 1 : end + 2] not in ("", " ")


def finalize(value: Any) -> Any:
    """A value written by ``{{ … }}``: Markdown built on purpose as it is, None as a visible gap, numbers as they are,
    any other text escaped."""
    if isinstance(value, MdSafe):
        return str(value)
    if value is None:
        return "【待补充】"
    if isinstance(value, bool | int | Decimal):
        return str(value)
    return md_escape(str(value))
