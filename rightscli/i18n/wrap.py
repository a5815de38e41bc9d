"""Line breaking for mixed Chinese and Latin text, measured in terminal cells.

Chinese has no spaces: a line may break between any two Han characters, but (the kinsoku rules of CJK typesetting)
never before closing punctuation (no line starts with ，。；、：？！）》” …) and never after opening punctuation
(no line ends with （《“ …). Latin words, numbers, dates and amounts (``2026-11-25``, ``¥1,197.00``) are kept whole
and break at spaces. A Han character takes two cells of a terminal, a Latin letter one. Trailing spaces are never
written. Used by the terminal views and by ``--help`` (:mod:`rightscli.cli.chrome`).
"""

from __future__ import annotations

import unicodedata

# Never at the start of a line: closing brackets and quotes, and the punctuation that follows a word.
NO_START = frozenset("，。；、：？！）》」』】〉〕”’…—～%‰,.;:?!)]}'\"·")
# Never at the end of a line: opening brackets and quotes.
NO_END = frozenset("（《「『【〈〔“‘([{")


def char_width(ch: str) -> int:
    if unicodedata.combining(ch):
        return 0
    return 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1


def cell_width(text: str) -> int:
    """The width of ``text`` in terminal cells (ASCII fast path)."""
    if text.isascii():
        return len(text)
    return sum(char_width(ch) for ch in text)


def has_wide(text: str) -> bool:
    return not text.isascii() and any(char_width(ch) == 2 for ch in text)


def _tokens(text: str) -> list[str]:
    """Units that are never split: a run of spaces, a Latin word (with the ASCII punctuation in it), or one wide
    character; closing punctuation joins the unit before it, opening punctuation the unit after it."""
    raw: list[str] = []
    word = ""
    for ch in text:
        if ch.isspace():
            if word:
                raw.append(word)
                word = ""
            if raw and raw[-1].isspace():
                raw[-1] += ch
            else:
                raw.append(ch)
        elif char_width(ch) == 2:
            if word:
                raw.append(word)
                word = ""
            raw.append(ch)
        else:
            word += ch
    if word:
        raw.append(word)
    out: list[str] = []
    glue = False
    for tok in raw:
        if tok.isspace():
            out.append(tok)
            glue = False
            continue
        if out and not out[-1].isspace() and (glue or tok[0] in NO_START):
            out[-1] += tok
        elif tok[0] in NO_START and len(out) >= 2 and out[-1].isspace():  # "word · next": no break before the ·
            space = out.pop()
            out[-1] += space + tok
        else:
            out.append(tok)
        glue = tok[-1] in NO_END
    return _keep_numbers(out)


# A number and its unit stay together (3 天, 11月25日, 2029年, ¥1,197 元): never 11 | 月25日.
UNITS = frozenset("年月日天元条项个处号次倍岁时分秒")
# An ordinal of the law stays whole too (第三十一条, 第（一）项 aside): never 第三十一 | 条.
NUMERALS = frozenset("〇零一二三四五六七八九十百千两")
ORDINAL_ENDS = frozenset("条款项章节编")


def _in_ordinal(text: str) -> bool:
    """``text`` ends inside an ordinal: 第, then Chinese numerals only (第, 第三, 第三十)."""
    i = len(text)
    while i and text[i - 1] in NUMERALS:
        i -= 1
    return i > 0 and text[i - 1] == "第"


def _keep_numbers(tokens: list[str]) -> list[str]:
    out: list[str] = []
    for tok in tokens:
        if len(out) >= 2 and out[-1].isspace() and out[-2][-1].isdigit() and tok[0] in UNITS:  # 3 天
            space = out.pop()
            out[-1] += space + tok
            continue
        if out and not tok.isspace() and not out[-1].isspace():
            prev = out[-1]
            if (
                (prev[-1].isdigit() and tok[0] in UNITS)
                or (prev[-1] in "年月" and tok[0].isdigit())
                or ((tok[0] in NUMERALS or tok[0] in ORDINAL_ENDS) and _in_ordinal(prev))
            ):
                out[-1] = prev + tok
                continue
        out.append(tok)
    return out


def wrap(text: str, width: int, *, indent: str = "", subsequent: str | None = None) -> list[str]:
    """``text`` (one paragraph; new lines are kept as breaks) in lines of at most ``width`` cells, the first starting
    with ``indent``, the others with ``subsequent`` (default: ``indent``)."""
    subsequent = indent if subsequent is None else subsequent
    lines: list[str] = []
    for part in text.split("\n"):
        lines += _wrap_line(part, width, indent if not lines else subsequent, subsequent)
    return lines


def _wrap_line(text: str, width: int, first: str, rest: str) -> list[str]:
    lines: list[str] = []
    line, used = first, cell_width(first)
    start = len(first)  # where the text of the current line begins (after its indent)
    space = ""
    for tok in _tokens(text):
        if tok.isspace():
            space = tok if len(line) > start else ""
            continue
        w = cell_width(tok)
        gap = cell_width(space)
        if used + gap + w <= width or (len(line) == start and used + w <= width):
            line += space + tok
            used += gap + w
        else:
            if len(line) > start:
                lines.append(line.rstrip())
                line, used = rest, cell_width(rest)
                start = len(rest)
            while used + w > width and len(tok) > 1:  # a unit wider than the line: split it by cells
                cut, cells = 0, used
                while cut < len(tok) and cells + char_width(tok[cut]) <= width:
                    cells += char_width(tok[cut])
                    cut += 1
                cut = max(cut, 1)
                lines.append((line + tok[:cut]).rstrip())
                tok = tok[cut:]
                w = cell_width(tok)
                line, used = rest, cell_width(rest)
                start = len(rest)
            line += tok
            used += w
        space = ""
    if len(line) > start or not lines:
        lines.append(line.rstrip())
    return lines
