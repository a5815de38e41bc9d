"""A letter's context: the Case and its Assessment turned into plain data (str, int, bool, lists, dicts) for a template.

No rule logic here: what the buyer may ask for, the amounts, deadlines and articles all come from the Assessment.
This module only words them: dates as 2026年11月20日, amounts in figures and capitals, citations as 《…》第…条, and a
visible placeholder 【待补充：…】 for each fact a letter needs that the case lacks.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from rightscli import vocab
from rightscli.assessment import Assessment, Finding
from rightscli.letters import rmb
from rightscli.letters.data import LetterData, load_letter_data, phrase

CLAIM_EVENTS = ("merchant_refused", "merchant_no_reply")
# A request the buyer makes is grounded by findings that give that remedy, or a fuller one: a rule that lets the buyer
# return the goods for a refund also grounds a refund without the return (仅退款), which asks the seller for less.
GROUNDED_BY = {"refund_only": ("refund_only", "return_refund")}


class MdSafe(str):
    """Text the letter code built as Markdown on purpose; the template sandbox does not escape it."""


def placeholder(label: str) -> str:
    return f"【待补充：{label}】"


def cn_date(day: date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def short_date(day: date) -> str:
    return f"{day.month}月{day.day}日"


def cite(basis: list[dict[str, str]], *, short: bool = False) -> str:
    """[{document, article}, …] → '《A》第一条、第二条；《B》第三条', keeping first-seen order and dropping repeats.

    An article given in brackets (e.g. "（未查得）": the rule names no article) is left out: the document is cited.
    ``short`` drops the 中华人民共和国 prefix of statute names (for the platform form, where space is short).
    """
    groups: dict[str, list[str]] = {}
    for source in basis:
        document = source["document"].strip("《》 ")
        articles = groups.setdefault(short_doc(document) if short else document, [])
        article = source["article"].strip()
        if article and not article.startswith(("（", "(")) and article not in articles:
            articles.append(article)
    return "；".join(f"《{doc}》{'、'.join(articles)}" for doc, articles in groups.items())


def short_doc(document: str) -> str:
    return document.removeprefix("中华人民共和国")


@dataclass
class Builder:
    """Collects the placeholders used and the notes for stderr while the context is built."""

    assessment: Assessment
    recipient: str
    data: LetterData
    hints: dict[str, str] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)

    def need(self, value: Any, label: str, path: str) -> str:
        if value is None or (isinstance(value, str) and not value.strip()):
            self.hints[label] = path
            return placeholder(label)
        return str(value)


@dataclass(frozen=True)
class LetterContext:
    values: dict[str, Any]
    hints: dict[str, str]  # placeholder label → the case field that fills it
    notes: tuple[str, ...]  # things the buyer should know (unsupported requests, …)


def build_letter_context(assessment: Assessment, recipient: str, data: LetterData | None = None) -> LetterContext:
    data = data or load_letter_data()
    b = Builder(assessment, recipient, data)
    case = assessment.case
    who = data.recipients[recipient]
    platform_name = data.platforms.get(case.platform)
    findings = [_finding(f) for f in assessment.established()]
    basis = [s for f in assessment.established() for s in f.basis()]
    values: dict[str, Any] = {
        "recipient": recipient,
        "title": who.title,
        "buyer_role": who.buyer_role,
        "seller_role": who.seller_role,
        "date": cn_date(assessment.as_of),
        "as_of": assessment.as_of.isoformat(),
        "platform": {"id": case.platform, "name": b.need(platform_name, "平台名称", "platform")},
        "buyer": {
            "name": b.need(case.buyer.name, f"{who.buyer_role}姓名", "buyer.name"),
            "phone": b.need(case.buyer.phone, f"{who.buyer_role}联系电话", "buyer.phone"),
            "address": b.need(case.buyer.address, f"{who.buyer_role}通讯地址", "buyer.address"),
        },
        "merchant": _merchant(b, who.seller_role),
        "order": _order(b),
        "problem": {
            "kinds": [data.problem_kinds[k] for k in case.problem.kinds],
            "summary": "；".join(data.problem_kinds[k] for k in case.problem.kinds),
            "description": case.problem.description,
        },
        "requests": [],
        "total": None,
        "facts": _facts(b, platform_name),
        "negotiation": [],
        "findings": findings,
        "platform_rules": [f for f in findings if f["platform_rule"]],
        "citations": cite(basis),
        "fixed_citations": [{"ref": c.ref, "text": c.text, "quote": c.quote} for c in who.citations],
        "fixed_ref": cite([{"document": c.document, "article": c.article} for c in who.citations]),
        "evidence": _evidence(assessment),
        "missing_evidence": [e.label.zh for e in assessment.evidence if not e.held],
        "reply_days": who.reply_days,
        "reply_by": cn_date(assessment.as_of + timedelta(days=who.reply_days)) if who.reply_days else None,
        "rule": None,
        "report_grounds": [],
        "form_text": None,
        "form_limit": who.form_limit,
    }
    values["negotiation"] = [f for f in values["facts"] if f["history"]]
    values["addressee"] = _addressee(recipient, values)
    if recipient == "regulator-report":
        values["report_grounds"] = _report_grounds(b)
    else:
        values["requests"], values["total"] = _requests(b)
    if recipient in ("regulator", "regulator-report"):
        rule = data.complaint_rule(assessment.as_of)
        values["rule"] = {"ref": rule.ref, "document": rule.document, "order": rule.order, **rule.articles}
    if who.form_limit:
        main = [f.basis()[0] for f in assessment.established() if f.basis()]  # a rule's first source is its main basis
        values["form_text"] = MdSafe(form_text(values, who.form_limit, cite(main, short=True)))
    if not findings:
        b.notes.append("no_findings")
    return LetterContext(values=values, hints=b.hints, notes=tuple(b.notes))


def _addressee(recipient: str, values: dict[str, Any]) -> str:
    """Who the letter is addressed to (此致 …). The right office depends on where the seller and platform are."""
    if recipient == "merchant":
        return str(values["merchant"]["addressee"])
    if recipient == "platform":
        return f"{values['platform']['name']}平台"
    if recipient == "association":
        return placeholder("受理投诉的消费者协会名称")
    if recipient == "regulator":
        return placeholder("受理投诉的市场监督管理局")
    return placeholder("受理举报的市场监督管理局")


def _merchant(b: Builder, role: str) -> dict[str, Any]:
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


def _order(b: Builder) -> dict[str, Any]:
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


def _finding(f: Finding) -> dict[str, Any]:
    p = f.policy
    note = None
    if f.deadline_met_on is not None and f.deadline is not None:  # the engine found the right asserted in time
        note = f"本人已于{cn_date(f.deadline_met_on)}提出主张，未超过期限（{cn_date(f.deadline)}）"
    return {
        "id": p.id,
        "title": p.title.zh,
        "summary": p.summary.zh,
        "citation": cite(f.basis()),
        "deadline_note": note,
        "platform_rule": p.jurisdiction != "cn",
        "amount": rmb.both(f.amount) if f.amount is not None else None,
    }


def _facts(b: Builder, platform_name: str | None) -> list[dict[str, Any]]:
    case = b.assessment.case
    data = b.data
    o, p = case.order, case.problem
    platform = platform_name or placeholder("平台名称")
    fields = {
        "platform": platform,
        "shop": b.need(case.merchant.name, "店铺名称", "merchant.name"),
        "item": o.item,
        "order_id": b.need(o.id, "订单号", "order.id"),
        "price_both": rmb.both(o.price),
        "problem": "；".join(data.problem_kinds[k] for k in p.kinds),
        "description": p.description or "",
        "wants": "、".join(data.remedy_short[w] for w in case.wants),
    }
    rows: list[tuple[date, int, str, bool]] = [(o.paid_on, 0, phrase(data.facts["paid"], **fields), False)]
    if o.shipped_on:
        rows.append((o.shipped_on, 1, phrase(data.facts["shipped"], **fields), False))
    if o.received_on:
        rows.append((o.received_on, 2, phrase(data.facts["received"], **fields), False))
    if p.discovered_on:
        key = "discovered" if p.description else "discovered_no_description"
        rows.append((p.discovered_on, 3, phrase(data.facts[key], **fields), False))
    for event in case.history:
        key = event.event
        if key == "contacted_merchant" and not case.wants:
            key = "contacted_merchant_no_wants"
        text = phrase(data.events[key], **fields)
        if event.note:
            text += f"（{event.note.rstrip('。. ')}）"
        rows.append((event.on, 4, text, True))
    rows.sort(key=lambda r: (r[0], r[1]))  # stable: history keeps its own order within a day
    out = []
    for day, _, text, history in rows:
        out.append(
            {
                "date": cn_date(day),
                "short_date": short_date(day),
                "text": text.rstrip("。. ") + "。",
                "history": history,
            }
        )
    if not p.discovered_on and p.description:
        out.append(
            {"date": "", "short_date": "", "text": f"问题情况：{p.description.rstrip('。. ')}。", "history": False}
        )
    return out


def _evidence(assessment: Assessment) -> list[dict[str, Any]]:
    held = [e for e in assessment.evidence if e.held]
    order = {eid: i for i, eid in enumerate(vocab.EVIDENCE_IDS)}
    held.sort(key=lambda e: order.get(e.id, len(order)))
    return [{"no": i, "id": e.id, "label": e.label.zh} for i, e in enumerate(held, start=1)]


def _requests(b: Builder) -> tuple[list[dict[str, Any]], dict[str, str] | None]:
    a = b.assessment
    case = a.case
    applicable = a.established()
    backers: dict[str, list[Finding]] = {}
    for f in applicable:
        for remedy in f.remedies:
            backers.setdefault(remedy, []).append(f)
    wants = case.wants or tuple(dict.fromkeys(f.remedies[0] for f in applicable if f.remedies))
    requests: list[dict[str, Any]] = []
    amounts: list[Decimal | None] = []
    for want in wants:
        found = [f for remedy in GROUNDED_BY.get(want, (want,)) for f in backers.get(remedy, [])]
        support = list({id(f): f for f in found}.values())
        if not support:
            b.notes.append(f"unsupported:{b.data.remedy_short[want]} ({want})")
            continue
        amount, support = _amount(b, want, support)
        request: dict[str, Any] = {
            "remedy": want,
            "text": b.data.remedies[want],
            "short": b.data.remedy_short[want],
            "citation": cite([s for f in support for s in f.basis()]),
            "amount": None,
            "amount_words": None,
            "amount_both": None,
        }
        if isinstance(amount, Decimal):
            request.update(amount=rmb.figures(amount), amount_words=rmb.capitals(amount), amount_both=rmb.both(amount))
            amounts.append(amount)
        elif amount is not None:
            request["amount_both"] = amount  # a placeholder
            amounts.append(None)
        requests.append(request)
    known = [x for x in amounts if x is not None]
    total = None
    if len(amounts) >= 2 and len(known) == len(amounts):
        value = sum(known, Decimal(0))
        total = {"amount": rmb.figures(value), "amount_words": rmb.capitals(value), "amount_both": rmb.both(value)}
    return requests, total


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


def _report_grounds(b: Builder) -> list[dict[str, str]]:
    case = b.assessment.case
    refused = any(e.event in CLAIM_EVENTS for e in case.history)
    grounds = []
    for kind in case.problem.kinds:
        ground = b.data.report_grounds.get(kind)
        if ground is None or (ground.needs_event and not refused):
            continue
        grounds.append({"kind": kind, "text": ground.text, "basis": ground.basis})
    if not grounds:
        b.notes.append("no_report_grounds")
    return grounds


def form_text(values: dict[str, Any], limit: int, basis: str) -> str:
    """The short text for the platform's complaint form, at most ``limit`` characters.

    Shortened step by step until it fits: first without the evidence list (the files are uploaded anyway), then with
    the story of the dispute cut short, then without the citations.
    """
    o = values["order"]
    head = f"订单号{o['id']}，{o['item']}，实付{o['price']}，{short_date_of(o['paid_on'])}下单"
    if o["received_on"]:
        head += f"，{short_date_of(o['received_on'])}签收"
    wants = "；".join(r["short"] + (r["amount"] or "") for r in values["requests"]) or placeholder("诉求")
    story = "".join(f"{f['short_date']}{f['text']}" for f in values["facts"][1:]) or "见附件。"
    evidence = "、".join(e["label"] for e in values["evidence"])
    tail = "请平台依《电子商务法》第六十一条协助处理。"

    def compose(story: str, with_basis: bool, with_evidence: bool) -> str:
        lines = [head + "。", f"诉求：{wants}。", f"经过：{story}"]
        if with_basis and basis:
            lines.append(f"依据：{basis}。")
        if with_evidence and evidence:
            lines.append(f"证据：{evidence}。")
        lines.append(tail)
        return "\n".join(lines).replace("`", "'")

    variants = ((True, True), (True, False), (False, False))
    for with_basis, with_evidence in variants:
        text = compose(story, with_basis, with_evidence)
        if len(text) <= limit:
            return text
    for with_basis, with_evidence in variants[1:]:
        room = limit - len(compose("", with_basis, with_evidence)) - 1
        if room >= 60:
            return compose(story[:room] + "…", with_basis, with_evidence)
    text = compose("见附件。", False, False)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def short_date_of(cn: str) -> str:
    """'2026年11月8日' → '11月8日'."""
    return cn.split("年", 1)[-1]
