"""The elements of the 要素式 民事起诉状（买卖合同纠纷）(form 06 of 法〔2025〕82号) filled from a case: the party
blocks, the 诉讼请求 items and 标的总额, 约定管辖和诉讼保全, the 25 事实与理由 items, 先行调解 and the small-claims
note.

What each box says comes from the letter context (requests, amounts, facts, citations: all from the Assessment) and
from ``templates/letters/court-form.yaml`` (the form's boxes and which case facts tick them, the company types, the
small-claims figures by province with year and source). Nothing is decided about the law here: the platform is a
co-defendant only where the context found an established finding that makes it liable (消法 第四十四条).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from functools import cache
from typing import Any

import msgspec

from rightscli.letters.wording import placeholder

ON = "■"
OFF = "□"


class SmallClaims(msgspec.Struct, frozen=True):
    province: str
    year: int
    limit: int
    agreed_limit: int
    source: str
    confidence: str
    effective_from: date | None = None


@cache
def form_data() -> dict[str, Any]:
    from rightscli import datafile
    from rightscli.catalog import templates_dir
    from rightscli.errors import TemplateError

    return datafile.load(str(templates_dir() / "letters" / "court-form.yaml"), error=TemplateError).data


def box(label: str, on: bool) -> str:
    return f"{label}{ON if on else OFF}"


def boxes(labels: list[str], chosen: set[str]) -> str:
    return " ".join(box(label, label in chosen) for label in labels)


def company_type(name: str | None, data: dict[str, Any]) -> tuple[str, bool]:
    """The 类型 line with the matching box ticked, and whether the name looks like a 个体工商户 (no box fits)."""
    name = name or ""
    sole = any(word in name for word in data["sole_trader_words"]) and "公司" not in name
    chosen = ""
    if not sole:
        for t in data["company_types"]:
            if any(word in name for word in t["match"]):
                chosen = t["label"]
                break
    return boxes([t["label"] for t in data["company_types"]], {chosen}), sole


def small_claims(province: str, day: date) -> SmallClaims | None:
    """The latest figure for the province published on or before ``day`` (None: no figure in the data)."""
    rows = [msgspec.convert(r, SmallClaims) for r in form_data()["small_claims"] if r["province"] == province]
    rows = [r for r in rows if r.effective_from is None or r.effective_from <= day]
    return max(rows, key=lambda r: r.year) if rows else None


def province_of(address: str | None) -> str:
    """'四川省成都市…' → '四川省'; '上海市浦东新区…' → '上海市'; '' when the address names no province."""
    if not address:
        return ""
    text = address.strip()
    for end in ("省", "自治区"):
        i = text.find(end)
        if 0 < i <= 8:
            return text[: i + len(end)]
    for city in ("北京市", "上海市", "天津市", "重庆市"):
        if text.startswith(city):
            return city
    return ""


def build_form(b: Any, values: dict[str, Any], court: dict[str, Any]) -> dict[str, Any]:
    """The form's elements as plain data for ``court.md.j2``; notes for the buyer are added to ``b.notes``."""
    data = form_data()
    case = b.assessment.case
    m = case.merchant
    wants = set(case.wants)
    requested = {o["remedy"] for r in values["requests"] for o in r["options"]}
    kinds = set(case.problem.kinds)

    # -- parties ---------------------------------------------------------------------------------------------------
    kind, sole = company_type(m.company, data)
    if sole:
        b.notes.append("sole_trader:")
    seller = court["defendants"][0]
    seller_block = {
        **seller,
        "legal_rep": b.need(m.legal_rep, f"{seller['role']}法定代表人或者负责人", "merchant.legal_rep"),
        "registered": placeholder(f"{seller['role']}注册地（以登记为准）"),
        "contact": m.contact or "",
        "type": kind,
        "ownership": boxes(data["ownership"], set()),
    }
    others = [
        {
            **d,
            "legal_rep": placeholder(f"{d['role']}法定代表人"),
            "registered": placeholder(f"{d['role']}注册地（以登记为准）"),
            "contact": "",
            "type": boxes([t["label"] for t in data["company_types"]], set()),
            "ownership": boxes(data["ownership"], set()),
        }
        for d in court["defendants"][1:]
    ]

    # -- 诉讼请求 ----------------------------------------------------------------------------------------------------
    def money_of(remedy: str) -> str | None:
        for r in values["requests"]:
            for o in r["options"]:
                if o["remedy"] == remedy:
                    return o["amount_both"] or None
        return None

    defect = {data["defect_remedies"][w] for w in requested if w in data["defect_remedies"]}
    claims = {
        "compensation": money_of("compensation"),
        "defect": (box("是", True) + " " + boxes(data["defect_boxes"], defect)) if defect else box("否", True),
        "defect_other": "退还货款" if "refund_only" in requested else "",
        "terminate": bool(requested & set(data["terminate_remedies"])),
        "perform": bool(requested & set(data["perform_remedies"])),
        "punitive": money_of("punitive_damages"),
    }
    others_claims = [r for r in values["requests"] if r["remedy"] in ("punitive_damages", "invoice")]

    # -- 事实与理由 ---------------------------------------------------------------------------------------------------
    o = case.order
    late = bool(kinds & set(data["late_kinds"]))

    def dated(events: list[str]) -> str:
        """The history events of these kinds as the facts tell them (in the letter's voice), with their dates."""
        rows = [f for f in values["facts"] if f["event"] in events]
        return "".join(f"{f['date']}，{f['text']}" for f in rows)

    reminders = dated(data["reminder_events"])
    talks = dated(data["negotiation_events"])
    notices = dated(data["notice_events"])
    offices = dated(data["office_events"])

    facts = {
        "signed": f"无书面合同。原告通过{values['platform']['name']}平台网络下单，订单号{values['order']['id']}，"
        f"下单并付款时间{values['order']['paid_on']}。",
        "seller": f"{seller['name']}（{values['platform']['name']}平台店铺“{values['merchant']['shop']}”）",
        "item": o.item,
        "price": values["order"]["price_both"],
        "delivery": (
            f"快递交付，收货地：{values['buyer']['address']}"
            + (f"；{values['order']['shipped_on']}发货" if values["order"]["shipped_on"] else "")
            + (f"；原告于{values['order']['received_on']}签收" if o.received_on else "；原告未收到商品")
        ),
        "quality_terms": _listing_terms(case, b) or "无书面约定，以商品页面的描述为准",
        "paid": f"原告已于{values['order']['paid_on']}支付全部价款{values['order']['price_both']}",
        "delivered": (f"被告已交付（原告于{values['order']['received_on']}签收）" if o.received_on else "被告未交付"),
        "late": late,
        "late_text": "逾期交货" if late else "",
        "reminded": reminders,
        "quality": bool(kinds & set(data["quality_kinds"])),
        "nonconforming": bool(kinds & set(data["nonconforming_kinds"])),
        "description": values["problem"]["description"] or values["problem"]["summary"],
        "talks": talks,
        "notice": notices,
        "damages": [r for r in values["requests"] if r["remedy"] in ("punitive_damages", "compensation")],
        "offices": offices,
    }

    # -- small claims ------------------------------------------------------------------------------------------------
    province = province_of(case.buyer.address)
    figure = small_claims(province, b.assessment.as_of) if province else None
    total = court["claim_sum"]
    small: dict[str, Any] = {"province": province, "figure": None, "within": None}
    if figure is not None:
        small["figure"] = {
            "province": figure.province,
            "year": figure.year,
            "limit": f"{figure.limit:,}",
            "agreed_limit": f"{figure.agreed_limit:,}",
            "source": figure.source,
            "secondary": figure.confidence != "official",
            "older": figure.year < b.assessment.as_of.year,  # an earlier year's: a newer one may be in force
        }
        if total is not None:
            amount = Decimal(total["amount"].replace(",", "").removesuffix("元"))
            small["within"] = "yes" if amount <= figure.limit else ("agreed" if amount <= figure.agreed_limit else "no")
    return {
        "data": data,
        "instructions": " ".join(f"{i}. {line}" for i, line in enumerate(data["instructions"], start=1)),
        "plaintiff_id_type": data["plaintiff_id_type"],
        "seller": seller_block,
        "others": others,
        "claims": claims,
        "others_claims": others_claims,
        "facts": facts,
        "wants": sorted(wants),
        "small": small,
        "small_note": _small_note(small),
        "on": ON,
        "off": OFF,
    }


@cache
def badge_names() -> dict[str, str]:
    """The Chinese names of the listing's badges, from the wizard's question about them (policies/questions.yaml)."""
    from rightscli import datafile
    from rightscli.catalog import policies_dir

    questions = datafile.load(str(policies_dir() / "questions.yaml")).data.get("questions") or []
    for q in questions:
        if isinstance(q, dict) and q.get("id") == "listing.badges":
            return {str(k): str(v.get("zh", k)) for k, v in (q.get("choices") or {}).items()}
    return {}


def _listing_terms(case: Any, b: Any) -> str:
    """The seller's promises shown on the listing (its badges), as the agreed quality standard."""
    names = [badge_names().get(x, x) for x in case.listing.badges or ()]
    return ("商品页面标示：" + "、".join(names)) if names else ""


def _small_note(small: dict[str, Any]) -> str:
    figure = small["figure"]
    if not small["province"]:
        return "无法从原告地址确定省份，本工具不能给出小额诉讼的标的额标准，起诉前请向受诉法院核实。"
    if figure is None:
        return f"本工具没有{small['province']}小额诉讼标的额标准的数据，起诉前请向受诉法院核实本省现行的标准。"
    where = {
        "yes": "本案标的额在此标准以内",
        "agreed": "本案标的额超过此标准但在二倍以内，双方约定的可以适用小额诉讼",
        "no": "本案标的额超过此标准的二倍，不适用小额诉讼",
        None: "",
    }[small["within"]]
    doubts = (["二手资料"] if figure["secondary"] else []) + (["可能不是现行标准"] if figure["older"] else [])
    quality = f"（{'，且'.join(doubts)}）" if doubts else ""
    return (
        f"{figure['province']}小额诉讼标的额标准：{figure['limit']}元以下，双方约定的{figure['agreed_limit']}元以下"
        f"（{figure['year']}年公布；来源：{figure['source']}）{quality}"
        + (f"；{where}" if where else "")
        + "。标准每年更新，起诉前请向受诉法院核实。"
    )
