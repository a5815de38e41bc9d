"""Characters that text read from a file may not hold: controls and invisible formatting.

* **Control characters** (C0 and C1, other than tab and new line): ESC, CSI, BEL … begin terminal escape sequences, so
  a shared case file or a downloaded policy pack could act on the reader's terminal when its text is shown.
* **Invisible formatting characters** (Unicode category Cf: bidirectional overrides and isolates such as U+202E,
  zero-width spaces and joiners such as U+200B, the soft hyphen, U+FEFF inside text) and the line and paragraph
  separators U+2028 and U+2029: they make a text display differently from what it says (a name, an amount or an
  order number spoofed in a letter), or break lines where nothing shows.

Both are refused, never stripped: the file is the user's (or its author's) to correct, and silently changing what
a letter quotes would be worse. Messages name the character by code point, never echo it. Used by the case model
(every text field), policy packs (every text value), letter data and templates (see SECURITY.md).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from rightscli.i18n import tr

_ALLOWED_CONTROLS = "\t\n"


def unsafe_char(text: str) -> str | None:
    """What is wrong with ``text`` (the first bad character, described), or None."""
    found = find_unsafe(text)
    return None if found is None else found[1]


def find_unsafe(text: str, allowed: str = _ALLOWED_CONTROLS) -> tuple[int, str] | None:
    """(index, description) of the first bad character of ``text``, or None; ``allowed``: the controls allowed."""
    if text.isprintable():
        return None  # the common case, decided in C
    stripped = text
    for ch in allowed:
        stripped = stripped.replace(ch, "")
    if stripped.isprintable():
        return None  # text with line breaks or tabs, also decided in C
    import unicodedata  # only for text that is not all printable: not on the start-up path of every command

    for index, ch in enumerate(text):
        code = ord(ch)
        if ch in allowed or ch.isprintable():
            continue
        if code < 0x20 or 0x7F <= code <= 0x9F:
            return index, tr("case.control_char", code=f"{code:04X}")
        if unicodedata.category(ch) in ("Cf", "Zl", "Zp"):
            name = unicodedata.name(ch, "")
            return index, tr("case.invisible_char", code=f"{code:04X}" + (", " + name if name else ""))
    return None


def problems(data: Any, path: str = "") -> Iterator[tuple[str, str]]:
    """(display path, message) for every text in ``data`` (mappings, lists, keys too) that holds a bad character."""
    from rightscli.datafile import join_path

    stack: list[tuple[Any, str, Any]] = [(data, path, None)]  # (value, its path, its key in a mapping)
    while stack:  # children are pushed last first, so that problems come in the order of the file
        value, where, key = stack.pop()
        if isinstance(key, str) and (message := unsafe_char(key)) is not None:
            yield where, tr("case.key_problem", problem=message)
        if isinstance(value, str):
            message = unsafe_char(value)
            if message is not None:
                yield where, message
        elif isinstance(value, dict):
            stack.extend((item, join_path(where, str(k)), k) for k, item in reversed(value.items()))
        elif isinstance(value, list):
            stack.extend((item, join_path(where, i), None) for i, item in reversed(list(enumerate(value))))
