"""A letter's context: the Case and its Assessment turned into plain data (str, int, bool, lists, dicts) for a template.

No rule logic here: what the buyer may ask for, the amounts, deadlines and articles all come from the Assessment.
This package only words them (:mod:`rightscli.letters.wording`): dates as 2026年11月20日, amounts in figures and
capitals, citations as 《…》第…条, and a visible placeholder 【待补充：…】 for each fact a letter needs that the case
lacks. Which findings a letter argues, how it words a request and how it names the parties are data
(recipients.yaml), read through :class:`~rightscli.letters.data.Recipient`.

One builder (:class:`~rightscli.letters.context.builder.Builder`) makes the values every letter has
(:mod:`~rightscli.letters.context.common`, :mod:`~rightscli.letters.context.requests`); then each recipient's own
part adds what only its letter says: :mod:`~rightscli.letters.context.regulator` (the complaint rule, a report's
grounds), :mod:`~rightscli.letters.context.platform` (the form's short text), :mod:`~rightscli.letters.context.court`
(defendants and the 要素式 form), :mod:`~rightscli.letters.context.public` (the post, made safe to publish).
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from rightscli.assessment import Assessment, Finding
from rightscli.letters.context import common, court, platform, public, regulator
from rightscli.letters.context.builder import Builder, LetterContext
from rightscli.letters.context.requests import make_requests
from rightscli.letters.data import LetterData, load_letter_data
from rightscli.letters.wording import basis_for, citable, cite, cn_date


def build_letter_context(assessment: Assessment, recipient: str, data: LetterData | None = None) -> LetterContext:
    data = data or load_letter_data()
    b = Builder(assessment, recipient, data)
    case = assessment.case
    who = b.who
    platform_name = data.platforms.get(case.platform)
    established = [f for f in assessment.established() if citable(f, who)]
    co_grounds = common.co_defendant_grounds(who, established)
    seller_role = who.co_defendant.seller_role if co_grounds and who.co_defendant else who.seller_role
    requests: list[dict[str, Any]] = []
    totals: dict[str, Any] = {"total": None, "sum": None}
    grounds: list[Finding] = []
    if recipient != "regulator-report":
        requests, totals, grounds = make_requests(b)
    chosen = common.select_findings(data, who, established, grounds + co_grounds)
    findings = [common.finding(f, who) for f in chosen]
    basis = [s for f in chosen for s in basis_for(f, who)]
    platform_value = b.need(platform_name, "平台名称", "platform")
    values: dict[str, Any] = {
        "recipient": recipient,
        "title": who.title,
        "buyer_role": who.buyer_role,
        "seller_role": seller_role,
        "date": cn_date(assessment.as_of),
        "as_of": assessment.as_of.isoformat(),
        "platform": {"id": case.platform, "name": platform_value},
        "buyer": {
            "name": b.need(case.buyer.name, f"{who.buyer_role}姓名", "buyer.name"),
            "phone": b.need(case.buyer.phone, f"{who.buyer_role}联系电话", "buyer.phone"),
            "address": b.need(case.buyer.address, f"{who.buyer_role}通讯地址", "buyer.address"),
        },
        "merchant": common.merchant(b, seller_role),
        "order": common.order(b),
        "problem": {
            "kinds": [data.problem_kinds[k] for k in case.problem.kinds],
            "summary": "；".join(data.problem_kinds[k] for k in case.problem.kinds),
            "description": case.problem.description,
        },
        "requests": requests,
        "total": totals["total"],
        "facts": common.facts(b, platform_value, seller_role),
        "negotiation": [],
        "findings": findings,
        "platform_rules": [f for f in findings if f["platform_rule"]],
        "citations": cite(basis),
        "fixed_citations": [{"ref": c.ref, "text": c.text, "quote": c.quote} for c in who.citations],
        "fixed_ref": cite([{"document": c.document, "article": c.article} for c in who.citations]),
        "cited": {c.key: c.ref for c in who.citations if c.key},
        "evidence": common.evidence(b, platform_value, seller_role),
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
    values["good_faith"] = common.good_faith(recipient, requests, who.buyer_self, data)
    values["addressee"] = common.addressee(b, values)
    # Each recipient's own part, in this order (the notes for the buyer come out in it).
    regulator.add(b, values)
    platform.add(b, values, chosen)
    court.add(b, values, bool(co_grounds), totals["sum"])
    public.add(b, values)
    if not established:
        b.notes.append("no_findings")
    return LetterContext(values=values, hints=b.hints, notes=tuple(b.notes))


__all__ = ["Builder", "LetterContext", "build_letter_context"]
