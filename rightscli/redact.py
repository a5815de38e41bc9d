"""Masking personal data for sharing: phone numbers, ID numbers, e-mail addresses and street addresses.

`--redact` on assess, checklist and letter runs the case through :func:`redact_case` before anything is rendered,
so a case can be shown to a helper or posted publicly. Names stay (a letter needs them); the street part of every
address and every phone, ID and e-mail found in free text (descriptions, notes) is masked. Imported only when
`--redact` is used.
"""

from __future__ import annotations

import dataclasses
import re

from rightscli.case import Case

MASK = "＊＊＊＊"
# Order matters: an 18-digit ID number contains runs that look like a phone number.
_ID = re.compile(r"(?<!\d)(\d{6})\d{8}(\d{3}[\dXx])(?!\d)")
_MOBILE = re.compile(r"(?<!\d)(?:\+?86[- ]?)?(1[3-9]\d)[- ]?\d{4}[- ]?(\d{4})(?!\d)")
_LANDLINE = re.compile(r"(?<!\d)(0\d{2,3})[- ]?\d{3,4}(\d{4})(?!\d)")
_EMAIL = re.compile(r"([A-Za-z0-9._%+-])[A-Za-z0-9._%+-]*(@[A-Za-z0-9.-]+\.[A-Za-z]{2,})")
# An address keeps its administrative part: up to the district or county (区, 县, 旗), or the city when none.
_DISTRICT = re.compile(r"^(.*?(?:自治区|特别行政区|省)?.*?(?:市|自治州|地区|盟)?.*?(?:区|县|旗))")
_CITY = re.compile(r"^(.*?(?:省|自治区)?.*?市)")


def redact_text(text: str) -> str:
    """Mask ID numbers, phone numbers and e-mail addresses wherever they appear in free text."""
    text = _ID.sub(lambda m: f"{m.group(1)}********{m.group(2)[-1]}", text)
    text = _MOBILE.sub(lambda m: f"{m.group(1)}****{m.group(2)}", text)
    text = _LANDLINE.sub(lambda m: f"{m.group(1)}-****{m.group(2)}", text)
    return _EMAIL.sub(lambda m: f"{m.group(1)}***{m.group(2)}", text)


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
    buyer = dataclasses.replace(
        case.buyer,
        phone=redact_phone(case.buyer.phone) if case.buyer.phone else None,
        address=redact_address(case.buyer.address) if case.buyer.address else None,
    )
    merchant = dataclasses.replace(
        case.merchant,
        address=redact_address(case.merchant.address) if case.merchant.address else None,
        contact=redact_text(case.merchant.contact) if case.merchant.contact else None,
    )
    problem = dataclasses.replace(
        case.problem, description=redact_text(case.problem.description) if case.problem.description else None
    )
    history = tuple(
        dataclasses.replace(event, note=redact_text(event.note) if event.note else None) for event in case.history
    )
    return dataclasses.replace(case, buyer=buyer, merchant=merchant, problem=problem, history=history)
