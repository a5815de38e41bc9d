"""A letter's context: the Case and its Assessment turned into plain data (str, int, bool, lists, dicts) for a template.

No rule logic here: what the buyer may ask for, the amounts, deadlines and articles all come from the Assessment.
This module only words them: dates as 2026年11月20日, amounts in figures and capitals, citations as 《…》第…条, and a
visible placeholder 【待补充：…】 for each fact a letter needs that the case lacks. Which findings a letter argues, how
it words a request and how it names the parties are data (recipients.yaml), read through
:class:`~rightscli.letters.data.Recipient`.
"""

from __future__ import annotations

import re
from datetime import date, timedelta
from decimal import Decimal
from functools import cache
from typing import Any

import msgspec
from msgspec import field

from rightscli.assessment import Assessment, Finding
from rightscli.letters import rmb
from rightscli.letters.data import FIELD_RE, LetterData, Recipient, load_letter_data, phrase

CLAIM_EVENTS = ("merchant_refused", "merchant_no_reply")
# A request the buyer makes is grounded by findings that give that remedy, or a fuller one: a rule that lets the buyer
# return the goods for a refund also grounds a refund without the return (仅退款), which asks the seller for less.
GROUNDED_BY = {"refund_only": ("refund_only", "return_refund")}
SECOND_PERSON = "[您你]"  # a pattern (compiled on first use, like DISTRICT_RE)
# The county-level place of an address (四川省成都市武侯区…): the basic court of the place of receipt sits there.
DISTRICT_RE = r"^(?:.{1,8}?(?:省|自治区))?(?:.{1,10}?(?:市|自治州|地区|盟))?(?:.{1,10}?(?:区|县|旗|市))?"


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
    plain: set[str] = set()
    for source in basis:
        document = source["document"].strip("《》 ")
        articles = groups.setdefault(short_doc(document) if short else document, [])
        article = source["article"].strip()
        if article == "—":  # a body of rules named in words (国家三包规定), not one instrument: no 书名号
            plain.add(short_doc(document) if short else document)
        elif article and not article.startswith(("（", "(")) and article not in articles:
            articles.append(article)
    return "；".join(doc if doc in plain else f"《{doc}》{'、'.join(articles)}" for doc, articles in groups.items())


def short_doc(document: str) -> str:
    return document.removeprefix("中华人民共和国")


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
    return re.sub(SECOND_PERSON, buyer_self, text)


def voiced(template: str, voice: dict[str, str]) -> str:
    """Replace the words of a phrase *template* (never the values filled into it) by the recipient's voice."""
    if not voice:
        return template
    pattern = re.compile("|".join(re.escape(k) for k in sorted(voice, key=len, reverse=True)))
    return pattern.sub(lambda m: voice[m.group(0)], template)


class Builder(msgspec.Struct):
    """Collects the placeholders used and the notes for stderr while the context is built."""

    assessment: Assessment
    recipient: str
    data: LetterData
    hints: dict[str, str] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)

    @property
    def who(self) -> Recipient:
        return self.data.recipients[self.recipient]

    def need(self, value: Any, label: str, path: str) -> str:
        """The value, or a placeholder for it; ``path`` is the case field that fills it ("" = fill in by hand)."""
        if value is None or (isinstance(value, str) and not value.strip()):
            self.hints[label] = path
            return placeholder(label)
        return str(value)


class LetterContext(msgspec.Struct, frozen=True):
    values: dict[str, Any]
    hints: dict[str, str]  # placeholder label → the case field that fills it ("" = by hand)
    notes: tuple[str, ...]  # things the buyer should know (unsupported requests, …), as "key:value"


def build_letter_context(assessment: Assessment, recipient: str, data: LetterData | None = None) -> LetterContext:
    data = data or load_letter_data()
    b = Builder(assessment, recipient, data)
    case = assessment.case
    who = b.who
    platform_name = data.platforms.get(case.platform)
    established = [f for f in assessment.established() if citable(f, who)]
    co_grounds = _co_defendant_grounds(who, established)
    seller_role = who.co_defendant.seller_role if co_grounds and who.co_defendant else who.seller_role
    requests: list[dict[str, Any]] = []
    totals: dict[str, Any] = {"total": None, "sum": None}
    grounds: list[Finding] = []
    if recipient != "regulator-report":
        requests, totals, grounds = _requests(b)
    chosen = select_findings(data, who, established, grounds + co_grounds)
    findings = [_finding(f, who) for f in chosen]
    basis = [s for f in chosen for s in basis_for(f, who)]
    platform = b.need(platform_name, "平台名称", "platform")
    values: dict[str, Any] = {
        "recipient": recipient,
        "title": who.title,
        "buyer_role": who.buyer_role,
        "seller_role": seller_role,
        "date": cn_date(assessment.as_of),
        "as_of": assessment.as_of.isoformat(),
        "platform": {"id": case.platform, "name": platform},
        "buyer": {
            "name": b.need(case.buyer.name, f"{who.buyer_role}姓名", "buyer.name"),
            "phone": b.need(case.buyer.phone, f"{who.buyer_role}联系电话", "buyer.phone"),
            "address": b.need(case.buyer.address, f"{who.buyer_role}通讯地址", "buyer.address"),
        },
        "merchant": _merchant(b, seller_role),
        "order": _order(b),
        "problem": {
            "kinds": [data.problem_kinds[k] for k in case.problem.kinds],
            "summary": "；".join(data.problem_kinds[k] for k in case.problem.kinds),
            "description": case.problem.description,
        },
        "requests": requests,
        "total": totals["total"],
        "facts": _facts(b, platform, seller_role),
        "negotiation": [],
        "findings": findings,
        "platform_rules": [f for f in findings if f["platform_rule"]],
        "citations": cite(basis),
        "fixed_citations": [{"ref": c.ref, "text": c.text, "quote": c.quote} for c in who.citations],
        "fixed_ref": cite([{"document": c.document, "article": c.article} for c in who.citations]),
        "cited": {c.key: c.ref for c in who.citations if c.key},
        "evidence": _evidence(b, platform, seller_role),
        "missing_evidence": [e.label.zh for e in assessment.evidence if not e.held],
        "reply_days": who.reply_days,
        "reply_by": cn_date(assessment.as_of + timedelta(days=who.reply_days)) if who.reply_days else None,
        "rule": None,
        "report_grounds": [],
        "form_text": None,
        "form_limit": who.form_limit,
        "court": None,
        "post": None,
    }
    values["negotiation"] = [f for f in values["facts"] if f["history"]]
    values["good_faith"] = good_faith(recipient, requests, who.buyer_self)
    values["addressee"] = _addressee(b, values)
    if recipient == "regulator-report":
        values["report_grounds"] = _report_grounds(b)
    if recipient in ("regulator", "regulator-report"):
        rule, later = data.complaint_rule(assessment.as_of)
        # article numbers that rest on an unofficial copy are not cited: the rule is cited by its name and order
        articles = rule.articles if rule.confidence == "verified" else {k: "" for k in rule.articles}
        values["rule"] = {"ref": rule.ref, "document": rule.document, "order": rule.order, **articles}
        if later:
            b.notes.append(f"rule_after_letter:{rule.effective_from.isoformat()}")
    if recipient == "platform" and who.form_limit:
        main = [basis_for(f, who)[0] for f in chosen if basis_for(f, who)]  # a rule's first source is its main basis
        values["form_text"] = MdSafe(form_text(values, who.form_limit, cite(main, short=True)))
    if who.co_defendant is not None:
        values["court"] = _court(b, values, bool(co_grounds), totals["sum"])
    if recipient == "public":
        from rightscli.letters.public import build_post

        values["post"] = build_post(b, values)
    if not established:
        b.notes.append("no_findings")
    return LetterContext(values=values, hints=b.hints, notes=tuple(b.notes))


def good_faith(recipient: str, requests: list[dict[str, Any]], buyer_self: str) -> dict[str, str | None]:
    """The good-faith statements a report (举报) and a punitive-damages claim carry (templates/letters/good-faith.yaml):
    ``report`` in the 举报信, ``punitive`` in every letter that asks for punitive damages."""
    data = _good_faith_data()
    punitive = any(o["remedy"] == "punitive_damages" for r in requests for o in r["options"])
    return {
        "report": MdSafe(data["report"]) if recipient == "regulator-report" else None,
        "punitive": MdSafe(phrase(data["punitive"], buyer=buyer_self)) if punitive else None,
    }


@cache
def _good_faith_data() -> dict[str, str]:
    from rightscli import datafile
    from rightscli.catalog import templates_dir
    from rightscli.errors import TemplateError

    raw = datafile.load(str(templates_dir() / "letters" / "good-faith.yaml"), error=TemplateError).data
    return {"report": str(raw["report"]).replace(" ", ""), "punitive": str(raw["punitive"]).replace(" ", "")}


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


def _co_defendant_grounds(who: Recipient, established: list[Finding]) -> list[Finding]:
    """The findings that let the buyer sue the platform with the seller (e.g. 消法 第四十四条), if the letter may."""
    if who.co_defendant is None:
        return []
    wanted = set(who.co_defendant.when_cited)
    return [f for f in established if articles_of(f) & wanted]


def _addressee(b: Builder, values: dict[str, Any]) -> str:
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


def receipt_district(address: str | None) -> str:
    """'四川省成都市武侯区天府大道…' → '四川省成都市武侯区' (empty when the address names no city or county)."""
    if not address:
        return ""
    match = re.match(DISTRICT_RE, address.strip())
    return match.group(0) if match and match.group(0) != address.strip() else ""


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


def _finding(f: Finding, who: Recipient) -> dict[str, Any]:
    p = f.policy
    note = None
    if f.deadline_met_on is not None and f.deadline is not None:  # the engine found the right asserted in time
        note = f"{who.buyer_self}已于{cn_date(f.deadline_met_on)}提出主张，未超过期限（{cn_date(f.deadline)}）"
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


def _facts(b: Builder, platform: str, seller_role: str) -> list[dict[str, Any]]:
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


def _evidence(b: Builder, platform: str, seller_role: str) -> list[dict[str, Any]]:
    """The evidence index (证据目录) rows: see :mod:`rightscli.letters.evidence_index`."""
    from rightscli.letters.evidence_index import evidence_index

    names = {"platform": platform, "buyer": b.who.buyer_role, "seller": seller_role}
    return evidence_index(b.assessment, b.data, names, voice=b.who.buyer_self)


def _requests(b: Builder) -> tuple[list[dict[str, Any]], dict[str, Any], list[Finding]]:
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


def _court(b: Builder, values: dict[str, Any], co_defendant: bool, claim_sum: dict[str, str] | None) -> dict[str, Any]:
    """What a statement of claim adds: the defendants, the co-defendant's claim, who bears the costs, whether the
    claims are all money (small claims are for simple money claims only), the place of receipt."""
    who = b.who
    assert who.co_defendant is not None
    seller = values["seller_role"]
    m = b.assessment.case.merchant
    platform = values["platform"]["name"]
    defendants = [
        {
            "role": seller,
            "name": values["merchant"]["company"],
            "address": values["merchant"]["address"],
            "credit_code": b.need(m.credit_code, f"{seller}统一社会信用代码", "merchant.credit_code"),
            "note": f"{platform}平台店铺“{values['merchant']['shop']}”的经营者",
        }
    ]
    if co_defendant:
        role = who.co_defendant.role
        defendants.append(
            {
                "role": role,
                "name": b.need(None, f"{platform}平台经营者名称", ""),
                "address": b.need(None, f"{role}住所地", ""),
                "credit_code": b.need(None, f"{role}统一社会信用代码", ""),
                "note": f"{platform}平台的经营者",
            }
        )
        b.notes.append(f"co_defendant:{platform}")
    not_money = [r["short"] for r in values["requests"] if not r["money"]]
    if not_money:
        b.notes.append(f"not_small_claims:{'、'.join(not_money)}")
    court = {
        "defendants": defendants,
        "co_defendant_claim": who.co_defendant.claim if co_defendant else None,
        "defendant_names": "、".join(d["role"] for d in defendants),
        "copies": len(defendants),
        "money_only": bool(values["requests"]) and not not_money,
        "claim_sum": claim_sum,
        "receipt": values["buyer"]["address"],
    }
    from rightscli.letters.court_form import build_form

    court["form"] = build_form(b, values, court)
    return court


def form_text(values: dict[str, Any], limit: int, basis: str) -> str:
    """The short text for the platform's complaint form, at most ``limit`` characters.

    Shortened step by step until it fits: first without the evidence list (the files are uploaded anyway), then with
    the story of the dispute cut short, then without the citations.
    """
    o = values["order"]
    head = f"订单号{o['id']}，{o['item']}，实付{o['price']}，{short_date_of(o['paid_on'])}下单"
    if o["received_on"]:
        head += f"，{short_date_of(o['received_on'])}签收"
    wants = "；".join(r["short_amount"] for r in values["requests"]) or placeholder("诉求")
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
