"""Masking personal data for sharing: phone numbers, ID numbers, e-mail addresses and street addresses.

`--redact` on assess, checklist and letter runs the case through :func:`redact_case` before anything is rendered,
so a case can be shown to a helper or posted publicly. Names stay (a letter needs them); the street part of every
address and every phone, ID and e-mail found in free text (descriptions, notes) is masked. Imported only when
`--redact` is used.
"""

from __future__ import annotations

import re

import msgspec

from rightscli.case import Case

MASK = "＊＊＊＊"
_UNIT = r"(?:号楼|栋|幢|座|单元|层|楼|室|号)"
_HOUSE = r"(?:号楼|号|栋|幢|单元|室)"
_NUMBER = r"(?:\d+|[零〇一二三四五六七八九十百千两]+)"  # 88号 or 八十八号
_SEP = r"[-\s.]?"  # between groups of digits: nothing, a space, a hyphen or a dot
# Personal data in free text, found in the text with full-width forms folded to ASCII (１３８ → 138, ＠ → @, （ → ():
# phone: mobile numbers (with or without +86, separated by spaces, hyphens or dots), landlines with an area code
# (0xx, (0xx), +86 xx), 400/800 numbers. ID: the 18-character resident ID number and the old 15-digit one (a six-digit
# area code, a birth date, a serial), also written in groups; any long number whose birth date is impossible (order
# and tracking numbers) is left alone. Address: a street, lane or estate with a house number in figures or Chinese
# numerals (八十八号) and what follows (6栋2单元1103); a building and room without a street (望京SOHO塔3-1501室,
# 5号楼1201). The province, city and district before it stay, as they are not a street address. The name of the
# street cannot run across an administrative unit or a particle (…武汉市洪山区|珞喻路…, 寄到|珞喻路…), so the words
# before the address are kept.
_NAME = r"[^\s\d省市区县旗镇乡到在是的址往至从于及和与，。；：:、,（）()“”\"《》【】]"
# A building or room number starts where no number, hyphen or unit is just before it (never inside 3-1501 or 5号楼12):
# each place in a long run of them is then tried once, not once for every place before it.
_NOT_INSIDE = "".join(f"(?<!{unit})" for unit in (r"\d", "-", "号楼", "栋", "幢", "座", "单元", "层", "楼"))
_TAIL = r"[^\s省市区县旗镇乡到在是的址往至从于及和与，。；：:、,（）()“”\"《》【】！？!?]"
_NOT_NAME = set('省市区县旗镇乡到在是的址往至从于及和与，。；：:、,（）()“”"《》【】')
# (kind, pattern, how many characters of a name before the match belong to it): a building and room number take the
# name before them (望京SOHO塔 of 望京SOHO塔3-1501室), found by looking back from the number (a regular expression
# that tried a name at every place would be slow on long text).
PATTERNS: tuple[tuple[str, re.Pattern[str], int], ...] = (
    ("email", re.compile(r"(?<![A-Za-z0-9._%+-])[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+"), 0),
    (
        "id_number",
        re.compile(r"(?<![0-9A-Za-z])[1-8]\d(?:[ -]?\d){13}(?:(?:[ -]?\d){2}[ -]?[\dXx])?(?![0-9A-Za-z])"),
        0,
    ),
    (
        "phone",
        re.compile(
            rf"(?<!\d)(?:(?:\(\+?86\)|(?:\+|00)?86){_SEP})?1[3-9]\d(?:{_SEP}\d{{4}}){{2}}(?!\d)"
            rf"|(?<!\d)(?:\(?(?:\+|00)86\)?{_SEP}(?:\(0?\d{{2,3}}\)|0?\d{{2,3}})|\(0\d{{2,3}}\)|0\d{{2,3}})"
            rf"{_SEP}[2-9]\d{{2,3}}{_SEP}\d{{4}}(?!\d)"
            rf"|(?<!\d)[48]00{_SEP}\d{{3}}{_SEP}\d{{4}}(?!\d)"
        ),
        0,
    ),
    (
        "address",
        re.compile(
            rf"{_NAME}{{1,8}}?(?:路|街|巷|弄|胡同|大道|小区|大厦|花园|公寓|广场|村)"
            rf"[\u4e00-\u9fff\dA-Za-z\-]{{0,8}}?{_NUMBER}\s*{_HOUSE}(?:{_TAIL}*?(?:\d++|[A-Za-z])\s*+{_UNIT}?)*+"
        ),
        0,
    ),
    (
        "address",
        # possessive quantifiers and _NOT_INSIDE: linear time on a long run of digits or units
        re.compile(
            rf"{_NOT_INSIDE}(?:[A-Za-z]?\d++(?:-\d++)*+\s*+(?:号楼|栋|幢|座|单元|层|楼)\s*+)*+[A-Za-z]?\d++(?:-\d++)*+\s*+室"
            rf"|{_NOT_INSIDE}\d++\s*+(?:号楼|栋|幢)(?:\s*+\d++\s*+单元)?+\s*+\d{{3,4}}(?!\d)"
        ),
        12,
    ),
)
# Full-width ASCII forms (Ｕ+FF01–FF5E) and the ideographic space, folded one character for one, so that a match in
# the folded text is at the same place in the original.
_FOLD = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)} | {0x3000: 0x20}


MARKS = {
    "email": "【邮箱已隐去】",
    "id_number": "【证件号已隐去】",
    "phone": "【电话已隐去】",
    "address": "【地址已隐去】",
}
# An address keeps its administrative part: up to the district or county (区, 县, 旗), or the city when none.
_DISTRICT = re.compile(r"^(.*?(?:自治区|特别行政区|省)?.*?(?:市|自治州|地区|盟)?.*?(?:区|县|旗))")
_CITY = re.compile(r"^(.*?(?:省|自治区)?.*?市)")


def redact_text(text: str, marks: dict[str, str] = MARKS) -> str:
    """Replace e-mail addresses, ID numbers, phone numbers and street addresses in free text with a mark."""
    return mask(text, marks)[0]


def mask(text: str, marks: dict[str, str] = MARKS) -> tuple[str, set[str]]:
    """``text`` with each e-mail address, ID number, phone number and street address replaced by the mark of its
    kind, and the kinds found."""
    pieces: list[tuple[str, str] | str] = [(text, text.translate(_FOLD))]  # (original, folded) or a mark
    kinds: set[str] = set()
    for kind, pattern, name in PATTERNS:
        found: list[tuple[str, str] | str] = []
        for piece in pieces:
            if isinstance(piece, str):
                found.append(piece)
                continue
            original, folded = piece
            at = 0
            for match in pattern.finditer(folded):
                if kind == "id_number" and not _is_id_number(match.group()):
                    continue
                start = match.start()
                while name and start > max(at, match.start() - name) and _is_name(folded[start - 1]):
                    start -= 1
                found += [(original[at:start], folded[at:start]), marks[kind]]
                kinds.add(kind)
                at = match.end()
            found.append((original[at:], folded[at:]))
        pieces = found
    return "".join(piece if isinstance(piece, str) else piece[0] for piece in pieces), kinds


def _is_name(ch: str) -> bool:
    return not (ch.isspace() or ch.isdigit() or ch in _NOT_NAME)


def _is_id_number(text: str) -> bool:
    """Whether 15 or 18 characters (in groups or not) read as a resident ID number: an area code, then a real birth
    date (18: YYYYMMDD from 1900; 15: YYMMDD of the 1900s), then a serial."""
    from datetime import date

    digits = text.replace(" ", "").replace("-", "")
    birth = digits[6:14] if len(digits) == 18 else "19" + digits[6:12]
    try:
        day = date(int(birth[:4]), int(birth[4:6]), int(birth[6:8]))
    except ValueError:
        return False
    return 1900 <= day.year <= 2100


def redact_phone(value: str) -> str:
    digits = "".join(ch for ch in value if ch.isdigit())
    if len(digits) >= 7:
        return f"{digits[:3]}****{digits[-4:]}"
    return MASK


def redact_address(value: str) -> str:
    """Keep the province, city and district; mask the street, building and room."""
    for pattern in (_DISTRICT, _CITY):
        m = pattern.match(value)
        if m and len(m.group(1)) < len(value):
            return m.group(1) + MASK
    return MASK


def redact_case(case: Case) -> Case:
    """A copy of the case with the buyer's and the seller's contact details and every free text masked."""
    buyer = msgspec.structs.replace(
        case.buyer,
        phone=redact_phone(case.buyer.phone) if case.buyer.phone else None,
        address=redact_address(case.buyer.address) if case.buyer.address else None,
    )
    merchant = msgspec.structs.replace(
        case.merchant,
        address=redact_address(case.merchant.address) if case.merchant.address else None,
        contact=redact_text(case.merchant.contact) if case.merchant.contact else None,
    )
    problem = msgspec.structs.replace(
        case.problem, description=redact_text(case.problem.description) if case.problem.description else None
    )
    history = tuple(
        msgspec.structs.replace(event, note=redact_text(event.note) if event.note else None) for event in case.history
    )
    return msgspec.structs.replace(case, buyer=buyer, merchant=merchant, problem=problem, history=history)
