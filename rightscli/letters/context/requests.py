"""A letter's requests (投诉请求 / 诉讼请求): the buyer's wants that an established finding grounds, worded by the
recipient, with their amounts in figures and capitals and the total; a want nothing grounds is left out with a note."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from rightscli.assessment import Finding
from rightscli.letters import rmb
from rightscli.letters.context.builder import Builder
from rightscli.letters.data import FIELD_RE, Recipient, phrase
from rightscli.letters.wording import basis_for, citable, cite

# A request the buyer makes is grounded by findings that give that remedy, or a fuller one: a rule that lets the buyer
# return the goods for a refund also grounds a refund without the return (仅退款), which asks the seller for less.
GROUNDED_BY = {"refund_only": ("refund_only", "return_refund")}


def make_requests(b: Builder) -> tuple[list[dict[str, Any]], dict[str, Any], list[Finding]]:
    """The requests the letter makes, the findings that ground them, and their total.

    Remedies that replace one another (recipients.yaml ``alternatives``) become one request joined by 或者; a letter
    whose ``alternatives`` is ``first`` asks only for the first of them. A want that no applicable finding grounds is
    left out with a note.
    """
    a = b.assessment
    case = a.case
    who = b.who
    applicable = [f for f in a.established() if citable(f, who)]
    backers: dict[str, list[Finding]] = {}
    for f in applicable:
        for remedy in f.remedies:
            backers.setdefault(remedy, []).append(f)
    wants = case.wants or tuple(dict.fromkeys(f.remedies[0] for f in applicable if f.remedies))
    asked: dict[str, dict[str, Any]] = {}
    for want in wants:
        found = [f for remedy in GROUNDED_BY.get(want, (want,)) for f in backers.get(remedy, [])]
        support = list({id(f): f for f in found}.values())
        if not support:
            b.notes.append(f"unsupported:{b.data.remedy_short[want]} ({want})")
            continue
        amount, support = _amount(b, want, support)
        asked[want] = _option(b, want, amount, support)
    requests: list[dict[str, Any]] = []
    grounds: list[Finding] = []
    for group in b.data.grouped(list(asked)):
        options = [asked[want] for want in group]
        if who.alternatives == "first" and len(options) > 1:
            b.notes.extend(f"alternative_dropped:{o['short']}" for o in options[1:])
            options = options[:1]
        grounds += [f for o in options for f in o["support"]]
        requests.append(_request(options, who))
    amounts = [r["value"] for r in requests if r["money"]]
    single = all(len(r["options"]) == 1 for r in requests)
    known = [x for x in amounts if isinstance(x, Decimal)]
    value = sum(known, Decimal(0)) if amounts and single and len(known) == len(amounts) else None
    totals: dict[str, Any] = {"sum": _money(value) if value is not None else None, "total": None}
    if value is not None and len(amounts) >= 2:
        totals["total"] = totals["sum"]
    for r in requests:
        del r["value"]
    return requests, totals, list({id(f): f for f in grounds}.values())


def _money(value: Decimal) -> dict[str, str]:
    return {"amount": rmb.figures(value), "amount_words": rmb.capitals(value), "amount_both": rmb.both(value)}


def _option(b: Builder, want: str, amount: Decimal | str | None, support: list[Finding]) -> dict[str, Any]:
    wording = b.who.remedies.get(want) or b.data.remedies[want]
    money = "amount" in FIELD_RE.findall(wording)
    both = rmb.both(amount) if isinstance(amount, Decimal) else amount  # a str: a placeholder
    option: dict[str, Any] = {
        "remedy": want,
        "line": phrase(wording, amount=both or ""),
        "text": phrase(wording, amount=""),
        "short": b.data.remedy_short[want],
        "citation": cite([s for f in support for s in basis_for(f, b.who)]),
        "money": money and amount is not None,
        "value": amount,
        "amount": None,
        "amount_words": None,
        "amount_both": both,
        "support": support,
    }
    if isinstance(amount, Decimal):
        option.update(amount=rmb.figures(amount), amount_words=rmb.capitals(amount))
    return option


def _request(options: list[dict[str, Any]], who: Recipient) -> dict[str, Any]:
    """One request: the first option's fields, and the whole request in words (line, short, short_amount)."""
    options = [dict(o) for o in options]
    support = [f for o in options for f in o.pop("support")]
    return {
        **options[0],
        "line": "；或者".join(o["line"] for o in options),
        "short": "或者".join(o["short"] for o in options),
        "short_amount": "；或者".join(o["short"] + (o["amount"] or "") for o in options),
        "citation": cite([s for f in support for s in basis_for(f, who)]),
        "money": any(o["money"] for o in options),
        "options": [{k: v for k, v in o.items() if k != "value"} for o in options],
    }


def _amount(b: Builder, want: str, support: list[Finding]) -> tuple[Decimal | str | None, list[Finding]]:
    """The money a request asks for (None: no money; a str: a placeholder) and the findings that ground it."""
    case = b.assessment.case
    if want in ("return_refund", "refund_only"):
        return case.order.price, support
    if want == "compensation":
        if case.order.loss is not None:
            return case.order.loss, support
        return b.need(None, "损失金额", "order.loss"), support
    if want in ("punitive_damages", "price_difference"):
        priced = [f for f in support if f.amount is not None]
        if not priced:
            return b.need(None, "赔偿金额" if want == "punitive_damages" else "差价金额", "order.price"), support
        best = max(f.amount for f in priced if f.amount is not None)
        return best, [f for f in priced if f.amount == best]
    return None, support
