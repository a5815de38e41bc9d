"""How a letter words what the assessment found: dates as 2026年11月20日, citations as 《…》第…条 (only the articles
a recipient may cite), the buyer's voice (您 → 本人), the place of an address, and the visible placeholder
【待补充：…】 for a fact a letter needs that the case lacks. Shared by every part of a letter's context
(:mod:`rightscli.letters.context`), the evidence index, the 12315 form and the bundle.
"""

from __future__ import annotations

import re
from datetime import date

from rightscli import citation
from rightscli.assessment import Finding
from rightscli.letters.data import Recipient

SECOND_PERSON_WORDS = ("您", "你")
SECOND_PERSON = f"[{''.join(SECOND_PERSON_WORDS)}]"  # a pattern (compiled on first use, like DISTRICT_RE)

# The county-level place of an address (四川省成都市武侯区…): the basic court of the place of receipt sits there.
DISTRICT_RE = r"^(?:.{1,8}?(?:省|自治区))?(?:.{1,10}?(?:市|自治州|地区|盟))?(?:.{1,10}?(?:区|县|旗|市))?"


def placeholder(label: str) -> str:
    return f"【待补充：{label}】"


def cn_date(day: date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def short_date(day: date) -> str:
    return f"{day.month}月{day.day}日"


def short_date_of(cn: str) -> str:
    """'2026年11月8日' → '11月8日'."""
    return cn.split("年", 1)[-1]


def cite(basis: list[dict[str, str]], *, short: bool = False) -> str:
    """[{document, article}, …] → '《A》第一条、第二条；《B》第三条' (:func:`rightscli.citation.group`); ``short`` drops
    the 中华人民共和国 prefix of statute names (for the platform form, where space is short)."""
    return citation.group(basis, short=short)


def citable(f: Finding, who: Recipient) -> bool:
    """Whether a letter may argue this finding: a strict letter (to an authority or a court) never cites a platform
    rule resting on secondary or unconfirmed sources, nor a finding none of whose cited texts was verified."""
    if not who.strict:
        return True
    if f.policy.jurisdiction != "cn" and f.policy.confidence != "verified":
        return False
    return bool(f.basis(verified_only=True))


def basis_for(f: Finding, who: Recipient) -> list[dict[str, str]]:
    """The articles a letter cites for a finding: in a strict letter only those whose text was verified."""
    return f.basis(verified_only=who.strict)


def articles_of(f: Finding) -> set[tuple[str, str]]:
    """The (document, article) pairs a finding cites, one per article (a source may name several: 第一条、第二条)."""
    return {(s["document"], a) for s in f.basis() for a in s["article"].split("、") if a}


def in_voice(text: str, buyer_self: str) -> str:
    """A rule's text written to the buyer (您…) as a letter says it: the buyer is 本人 (原告 in a court claim)."""
    if not any(word in text for word in SECOND_PERSON_WORDS):  # most titles (a batch asks ~17 times a letter)
        return text
    return re.sub(SECOND_PERSON, buyer_self, text)


def voiced(template: str, voice: dict[str, str]) -> str:
    """Replace the words of a phrase *template* (never the values filled into it) by the recipient's voice."""
    if not voice:
        return template
    pattern = re.compile("|".join(re.escape(k) for k in sorted(voice, key=len, reverse=True)))
    return pattern.sub(lambda m: voice[m.group(0)], template)


def receipt_district(address: str | None) -> str:
    """'四川省成都市武侯区天府大道…' → '四川省成都市武侯区' (empty when the address names no city or county)."""
    if not address:
        return ""
    match = re.match(DISTRICT_RE, address.strip())
    return match.group(0) if match and match.group(0) != address.strip() else ""
