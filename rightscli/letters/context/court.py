"""What a statement of claim adds (民事起诉状, any recipient whose data names a co-defendant): the defendants, the
claim against the platform where a finding makes it liable, the costs, whether the claims are all money, and the
elements of the court's 要素式 form (:mod:`rightscli.letters.context.court_form`)."""

from __future__ import annotations

from typing import Any

from rightscli.letters.context.builder import Builder
from rightscli.letters.context.court_form import build_form


def add(b: Builder, values: dict[str, Any], co_defendant: bool, claim_sum: dict[str, str] | None) -> None:
    if b.who.co_defendant is not None:
        values["court"] = court_values(b, values, co_defendant, claim_sum)


def court_values(
    b: Builder, values: dict[str, Any], co_defendant: bool, claim_sum: dict[str, str] | None
) -> dict[str, Any]:
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
    court["form"] = build_form(b, values, court)
    return court
