"""The values every letter has, whoever it goes to: the parties, the order, the facts in time order, the findings
it argues, the evidence index, the good-faith statements and whom it is addressed to."""

from __future__ import annotations

from datetime import date
from typing import Any

from rightscli.assessment import Finding
from rightscli.letters import rmb
from rightscli.letters.context.builder import Builder
from rightscli.letters.data import LetterData, Recipient, phrase
from rightscli.letters.mdtext import MdSafe
from rightscli.letters.wording import (
    articles_of,
    basis_for,
    cite,
    cn_date,
    in_voice,
    placeholder,
    receipt_district,
    short_date,
    voiced,
)


def select_findings(
    data: LetterData, who: Recipient, established: list[Finding], grounding: list[Finding]
) -> list[Finding]:
    """The findings a letter argues: those whose role the recipient cites, the ones that ground the letter's requests
    (or its co-defendant) first, then by the recipient's order of roles, then in the assessment's order; at most
    ``cap``. Only established findings are ever cited."""
    rank = {role: i for i, role in enumerate(who.reasons.cite)}
    grounded = {id(f) for f in grounding}
    pool = [(i, f) for i, f in enumerate(established) if data.role(f.policy.id) in rank]
    pool.sort(key=lambda item: (id(item[1]) not in grounded, rank[data.role(item[1].policy.id)], item[0]))
    return [f for _, f in pool[: who.reasons.cap]]


def co_defendant_grounds(who: Recipient, established: list[Finding]) -> list[Finding]:
    """The findings that let the buyer sue the platform with the seller (e.g. 消法 第四十四条), if the letter may."""
    if who.co_defendant is None:
        return []
    wanted = set(who.co_defendant.when_cited)
    return [f for f in established if articles_of(f) & wanted]


def addressee(b: Builder, values: dict[str, Any]) -> str:
    """Who the letter is addressed to (此致 …). The right office depends on where the seller and platform are."""
    recipient = b.recipient
    if recipient == "merchant":
        return str(values["merchant"]["addressee"])
    if recipient == "platform":
        return f"{values['platform']['name']}平台"
    if recipient == "association":
        return placeholder("受理投诉的消费者协会名称")
    if recipient == "regulator":
        return placeholder("受理投诉的市场监督管理局")
    if recipient == "court":
        place = receipt_district(b.assessment.case.buyer.address)
        where = f"收货地{place}" if place else "收货地"
        return placeholder(f"受诉人民法院名称（{where}或者被告住所地的基层人民法院）")
    if recipient == "public":
        return ""
    return placeholder("受理举报的市场监督管理局")


def merchant(b: Builder, role: str) -> dict[str, Any]:
    m = b.assessment.case.merchant
    shop = b.need(m.name, "店铺名称", "merchant.name")
    company = b.need(m.company, f"{role}名称", "merchant.company")
    return {
        "shop": shop,
        "company": company,
        "address": b.need(m.address, f"{role}地址", "merchant.address"),
        "contact": m.contact,
        # the merchant letter goes to the shop: its legal name helps but is not needed
        "addressee": f"{m.company}（{shop}）" if m.company else shop,
    }


def order(b: Builder) -> dict[str, Any]:
    o = b.assessment.case.order
    return {
        "id": b.need(o.id, "订单号", "order.id"),
        "item": o.item,
        "price": rmb.figures(o.price),
        "price_words": rmb.capitals(o.price),
        "price_both": rmb.both(o.price),
        "paid_on": cn_date(o.paid_on),
        "shipped_on": cn_date(o.shipped_on) if o.shipped_on else None,
        "received_on": cn_date(o.received_on) if o.received_on else None,
    }


def finding(f: Finding, who: Recipient) -> dict[str, Any]:
    p = f.policy
    note = _deadline_note(f, who)
    return {
        "id": p.id,
        "title": in_voice(p.title.zh, who.buyer_self),
        "summary": in_voice(p.summary.zh, who.buyer_self),
        # what the law says to this case (the case-specific sources' arguments) and what the claim assumes
        "arguments": [in_voice(s.argument, who.buyer_self) for s in f.sources() if s.argument],
        "assumptions": [in_voice(a.zh, who.buyer_self).rstrip("。") for a in f.assumptions],
        "citation": cite(basis_for(f, who)),
        "deadline_note": note,
        "platform_rule": p.jurisdiction != "cn",
        "amount": rmb.both(f.amount) if f.amount is not None else None,
    }


def _deadline_note(f: Finding, who: Recipient) -> str | None:
    """What the letter says of a finding's last day, as whose time it is (the engine's finding, no rule logic)."""
    if f.deadline is None:
        return None
    if f.deadline_party == "merchant":  # the seller's time: its refusal, or its time run out, is what the letter says
        answered = f.deadline_answered
        if answered is not None and answered.event == "merchant_refused":
            return f"经营者已于{cn_date(answered.on)}明确拒绝"
        if f.days_left is not None and f.days_left < 0:
            return f"经营者至{cn_date(f.deadline)}仍未处理"
        return None
    if f.deadline_party != "buyer":
        return None
    if f.deadline_restarted is not None:  # limitation interrupted by a demand: it runs again from that day
        on = cn_date(f.deadline_restarted.on)
        return f"{who.buyer_self}已于{on}向经营者提出请求，期间自该日起重新计算，至{cn_date(f.deadline)}届满"
    if f.deadline_met_on is not None:  # the engine found the right asserted in time
        return f"{who.buyer_self}已于{cn_date(f.deadline_met_on)}提出主张，未超过期限（{cn_date(f.deadline)}）"
    return None


def wants_phrase(data: LetterData, wants: tuple[str, ...]) -> str:
    """The buyer's wants in a few words, alternatives joined by 或者: '退货退款或者换货、惩罚性赔偿'."""
    return "、".join("或者".join(data.remedy_short[w] for w in group) for group in data.grouped(list(wants)))


def fact_rows(b: Builder, platform: str, seller_role: str, **overrides: str) -> list[dict[str, Any]]:
    """The facts in time order: date, the sentence in the letter's voice, and the buyer's own note apart."""
    case = b.assessment.case
    data = b.data
    o, p = case.order, case.problem
    fields = {
        "platform": platform,
        "shop": b.need(case.merchant.name, "店铺名称", "merchant.name"),
        "item": o.item,
        "order_id": b.need(o.id, "订单号", "order.id"),
        "price_both": rmb.both(o.price),
        "problem": "；".join(data.problem_kinds[k] for k in p.kinds),
        "description": (p.description or "").rstrip("。. "),
        "wants": wants_phrase(data, case.wants),
        "seller": seller_role,
        **overrides,
    }
    voice = b.who.voice

    def say(template: str) -> str:
        return phrase(voiced(template, voice), **fields)

    rows: list[tuple[date, int, str, str, str]] = [(o.paid_on, 0, say(data.facts["paid"]), "", "")]
    if o.shipped_on:
        rows.append((o.shipped_on, 1, say(data.facts["shipped"]), "", ""))
    if o.received_on:
        rows.append((o.received_on, 2, say(data.facts["received"]), "", ""))
    if p.discovered_on:
        key = "discovered" if p.description else "discovered_no_description"
        rows.append((p.discovered_on, 3, say(data.facts[key]), "", ""))
    for event in case.history:
        key = event.event
        if key == "contacted_merchant" and not case.wants:
            key = "contacted_merchant_no_wants"
        rows.append((event.on, 4, say(data.events[key]), (event.note or "").rstrip("。. "), event.event))
    rows.sort(key=lambda r: (r[0], r[1]))  # stable: history keeps its own order within a day
    out = [
        {"day": day, "text": text.rstrip("。. "), "note": note, "history": bool(event), "event": event}
        for day, _, text, note, event in rows
    ]
    if not p.discovered_on and p.description:
        problem = f"问题情况：{fields['description']}"
        out.append({"day": None, "text": problem, "note": "", "history": False, "event": ""})
    return out


def facts(b: Builder, platform: str, seller_role: str) -> list[dict[str, Any]]:
    out = []
    for row in fact_rows(b, platform, seller_role):
        day = row["day"]
        text = row["text"] + (f"（{row['note']}）" if row["note"] else "")
        out.append(
            {
                "date": cn_date(day) if day else "",
                "short_date": short_date(day) if day else "",
                "text": text + "。",
                "history": row["history"],
                "event": row["event"],
            }
        )
    return out


def evidence(b: Builder, platform: str, seller_role: str) -> list[dict[str, Any]]:
    """The evidence index (证据目录) rows: see :mod:`rightscli.letters.evidence_index`."""
    from rightscli.letters.evidence_index import evidence_index

    names = {"platform": platform, "buyer": b.who.buyer_role, "seller": seller_role}
    return evidence_index(b.assessment, b.data, names, voice=b.who.buyer_self)


def good_faith(
    recipient: str, requests: list[dict[str, Any]], buyer_self: str, letters: LetterData
) -> dict[str, str | None]:
    """The good-faith statements a report (举报) and a punitive-damages claim carry (templates/letters/good-faith.yaml,
    read with the letter data): ``report`` in the 举报信, ``punitive`` in each letter that asks for punitive damages."""
    data = letters.good_faith
    punitive = any(o["remedy"] == "punitive_damages" for r in requests for o in r["options"])
    return {
        "report": MdSafe(data["report"]) if recipient == "regulator-report" else None,
        "punitive": MdSafe(phrase(data["punitive"], buyer=buyer_self)) if punitive else None,
    }
