"""`rights form`: the fields of an online form in the form's order, each within its length limit, in text that is easy
to type where a site blocks pasting: the 12315 complaint (投诉) and the public complaint on 黑猫投诉.

The fields, their limits and whether a limit is confirmed are data (``templates/letters/forms.yaml``); the values come
from the same letter context as the complaint letter (``regulator``) and the public complaint (``public``), so they
say what the letters say. Which office handles the complaint follows the rule in force on the day (Order 121 art. 13
from 2026-04-15, Order 20 art. 12 before): the address the merchant publishes on the platform, or the platform's
domicile when there is none.

Nothing here prints.
"""

from __future__ import annotations

import re
from datetime import date
from functools import cache
from typing import Any

import msgspec

from rightscli.assessment import Assessment

FORMS = ("12315", "heimao")
CAPITALS = re.compile(r"（大写：[^）]*）")
PLACEHOLDER = re.compile(r"【待补充：([^】]*)】")


class FormField(msgspec.Struct, frozen=True):
    field: str  # the label on the form (pinned JSON key)
    value: str
    limit: int | None  # characters (pinned JSON key); None: the form sets none that is known
    confirmed: bool = False  # whether the limit is confirmed (False: a safe guess)
    hint: str = ""
    id: str = ""

    def to_json(self) -> dict[str, Any]:
        return {
            "field": self.field,
            "value": self.value,
            "limit": self.limit,
            "limit_confirmed": self.confirmed,
            "hint": self.hint,
            "id": self.id,
        }


class Form(msgspec.Struct, frozen=True):
    id: str
    title: str
    fields: list[FormField]
    warnings: list[str]
    steps: str = ""
    warning: str = ""  # a warning shown with the form (heimao: no legal effect)


@cache
def form_data() -> dict[str, Any]:
    from rightscli import datafile
    from rightscli.catalog import templates_dir
    from rightscli.errors import TemplateError

    return datafile.load(str(templates_dir() / "letters" / "forms.yaml"), error=TemplateError).data["forms"]


def typeable(text: str) -> str:
    """Text as one would type it: no amount in capitals, no thousands separators, no Markdown escapes, one line."""
    text = CAPITALS.sub("", text)
    text = re.sub(r"(?<=\d),(?=\d{3})", "", text)
    text = text.replace("\\", "")
    return re.sub(r"\s+", " ", text).strip()


def fit(text: str, limit: int | None) -> str:
    """``text`` within ``limit`` characters: cut after the last full sentence that fits, else cut with …"""
    if limit is None or len(text) <= limit:
        return text
    head = text[: limit - 1]
    end = max(head.rfind("。"), head.rfind("；"))
    return head[: end + 1] if end >= limit // 2 else head + "…"


def build_form(assessment: Assessment, which: str) -> Form:
    if which == "heimao":
        return _heimao(assessment)
    return _form_12315(assessment)


def _fields(spec: dict[str, Any], values: dict[str, str]) -> list[FormField]:
    out = []
    for f in spec["fields"]:
        limit = f.get("limit")
        out.append(
            FormField(
                field=str(f["label"]),
                value=fit(typeable(values.get(f["id"], "")), limit),
                limit=limit,
                confirmed=bool(f.get("confirmed")),
                hint=str(f.get("hint") or ""),
                id=str(f["id"]),
            )
        )
    return out


def _gaps(fields: list[FormField]) -> list[str]:
    gaps = dict.fromkeys(g for f in fields for g in PLACEHOLDER.findall(f.value))
    return [f"表格中有待补充的内容：{g}" for g in gaps]


def _form_12315(assessment: Assessment) -> Form:
    from rightscli.letters.context import build_letter_context
    from rightscli.letters.wording import placeholder, receipt_district

    spec = form_data()["12315"]
    ctx = build_letter_context(assessment, "regulator").values
    case = assessment.case
    m, o = ctx["merchant"], ctx["order"]
    platform = ctx["platform"]["name"]
    requests = "；".join(r["short_amount"] for r in ctx["requests"]) or placeholder("诉求")
    story = [f"{f['date']}，{f['text']}" if f["date"] else f["text"] for f in ctx["facts"]]
    basis = str(ctx["citations"]).replace("中华人民共和国", "")  # the articles the complaint letter argues
    head = f"{o['paid_on']}在{platform}“{m['shop']}”购买{o['item']}，订单号{o['id']}，实付{o['price']}。"
    problem = ctx["problem"]["description"] or ctx["problem"]["summary"]
    last = [f"{f['date']}，{f['text']}" for f in ctx["facts"] if f["history"]][-1:]
    short = head + f"问题：{problem.rstrip('。')}。" + "".join(last) + f"诉求：{requests}。"
    full = "".join(story) + f"诉求：{requests}。" + (f"依据：{basis}。" if basis else "")
    kind = "自营" if case.listing.self_operated else "入驻商户"
    office, office_hint = _office(assessment, spec, case.merchant.address, receipt_district)
    values = {
        "company": m["company"],
        "credit_code": case.merchant.credit_code or placeholder("统一社会信用代码"),
        "address": m["address"],
        "item": o["item"],
        "category": spec["category_words"].get(case.order.category or "other", "其他商品"),
        "channel": spec["channel"].format(platform=platform, kind=kind, shop=m["shop"]),
        "problem": "、".join(dict.fromkeys(spec["problem_words"].get(k, k) for k in case.problem.kinds)),
        "order_id": o["id"],
        "request": f"请求：{requests}。",
        "facts_short": short,
        "facts": full,
        "office": office,
        "attachment": spec["attachment"],
    }
    fields = _fields(spec, values)
    fields = [msgspec.structs.replace(f, hint=office_hint) if f.id == "office" else f for f in fields]
    return Form("12315", str(spec["title"]), fields, _gaps(fields), steps=str(spec["steps"]))


def _office(assessment: Assessment, spec: dict[str, Any], address: str | None, district: Any) -> tuple[str, str]:
    """The handling office by the rule in force on the day, and the hint naming that rule."""
    rules = sorted(spec["office_rules"], key=lambda r: str(r["effective_from"]), reverse=True)
    day = assessment.as_of
    rule = next((r for r in rules if date.fromisoformat(str(r["effective_from"])) <= day), rules[-1])
    place = district(address) if address else ""
    text = rule["with_address"].format(place=place or address) if address else rule["without_address"]
    source = f"《{rule['document']}》{rule['article']}" + ("（二手资料）" if rule["confidence"] != "official" else "")
    hint = f"依据{source}。确认企业后网站会建议处理单位；经营者按公示的地址联系不上的，选择平台经营者住所地的部门"
    return text, hint


def _heimao(assessment: Assessment) -> Form:
    from rightscli.letters.context import build_letter_context

    spec = form_data()["heimao"]
    ctx = build_letter_context(assessment, "public").values
    post = ctx["post"]
    case = assessment.case
    tags = dict.fromkeys(spec["request_tags"].get(w, w) for w in case.wants)
    values = {
        "title": post["title"],
        "target": post["target"],
        "problem_tags": ctx["problem"]["summary"],
        "request_tags": "、".join(tags) or post["request"],
        "amount": post["amount"],
        "text": "".join(post["paragraphs"]),
    }
    fields = _fields(spec, values)
    return Form("heimao", str(spec["title"]), fields, _gaps(fields), warning=str(spec["warning"]))
