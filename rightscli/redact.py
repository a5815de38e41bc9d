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
# Personal data in free text. Phone: mobile numbers (with or without +86 and separators), landlines with an area
# code, 400/800 numbers. ID: the 18-character resident ID number (a six-digit area code, a birth date, a check
# character), not any long number (order and tracking numbers are long too). Address: a street, lane or estate name
# with a house or building number and what follows (6栋2单元1103); the province, city and district before it stay,
# as they are not a street address. The name of the street cannot run across an administrative unit or a particle
# (…武汉市洪山区|珞喻路…, 寄到|珞喻路…), so the words before the address are kept.
_NAME = r"[^\s\d省市区县旗镇乡到在是的址往至从于及和与，。；：:、,（）()“”\"《》【】]"
PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("email", re.compile(r"(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)+")),  # from the start of a run: linear
    (
        "id_number",
        re.compile(
            r"(?<![0-9A-Za-z])\d{6}(?:18|19|20)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])\d{3}[\dXx](?![0-9A-Za-z])"
        ),
    ),
    (
        "phone",
        re.compile(
            r"(?<!\d)(?:(?:\+|00)?86[-\s]?)?1[3-9]\d(?:[-\s]?\d{4}){2}(?!\d)"
            r"|(?<!\d)0\d{2,3}[-\s]?\d{7,8}(?!\d)"
            r"|(?<!\d)[48]00[-\s]?\d{3}[-\s]?\d{4}(?!\d)"
        ),
    ),
    (
        "address",
        re.compile(
            rf"{_NAME}{{1,8}}?(?:路|街|巷|弄|胡同|大道|小区|大厦|花园|公寓|广场|村)"
            rf"[\u4e00-\u9fff\dA-Za-z\-]{{0,8}}?\d+\s*{_HOUSE}(?:[\dA-Za-z\-]+\s*{_UNIT}?)*"
        ),
    ),
)


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
    for kind, pattern in PATTERNS:
        text = pattern.sub(marks[kind], text)
    return text


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
