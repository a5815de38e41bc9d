"""Why a letter would ask for nothing the law supports, in one paragraph, and what would change that.

A letter is never written silently without a legal basis (issue 13): :func:`unsupported_reason` names, for each thing
the buyer wants, the rules that would give it and why none holds (excluded, expired, or undecided for want of a fact),
so the buyer knows what to add, or that the claim has no footing. ``rights letter --draft`` writes the letter anyway.
"""

from __future__ import annotations

from typing import Any

from rightscli.assessment import Assessment, Finding

TEXT = {
    "zh": {
        "head": "没有写出这封信：",
        "nothing": "案件的请求没有任何适用的规则支持，信中既没有请求，也没有法律依据。",
        "report": "案件中没有可举报的违法行为线索（例如假冒、虚假宣传、价格欺诈、拒绝依法退货并有拒绝记录）。",
        "want": "“{want}”",
        "excluded": "{title}不适用（{reason}）",
        "expired": "{title}的期限已于{deadline}届满",
        "undecided": "{title}尚不能确定（缺少：{missing}）",
        "open": "{title}只是可能适用，须由法院认定",
        "none": "没有规则就本案的问题给予这项请求",
        "change": "补充缺少的事实、改正不准确的事实，或者改为主张有依据的请求后重新生成；"
        "如仍要一份空白草稿，请加 --draft。",
    },
    "en": {
        "head": "no letter written: ",
        "nothing": "no applicable rule supports what the case asks for, so the letter would have no request and no "
        "legal basis. ",
        "report": "the case shows no violation to report (counterfeit, false advertising, price fraud, a refused "
        "lawful return on record). ",
        "want": "'{want}'",
        "excluded": "{title} does not apply ({reason})",
        "expired": "{title} expired on {deadline}",
        "undecided": "{title} cannot be decided yet (missing: {missing})",
        "open": "{title} only may apply, for a court to decide",
        "none": "no rule gives it for this problem",
        "change": "Add the missing facts, correct facts that are wrong, or ask for something the law supports, then "
        "run again; for a blank draft anyway, add --draft.",
    },
}


def unsupported_reason(assessment: Assessment, recipient: str, values: dict[str, Any], lang: str) -> str:
    """The paragraph that explains why the letter has no supported request, or "" when it has one."""
    t = TEXT["en" if lang == "en" else "zh"]
    if recipient == "regulator-report":
        return "" if values.get("report_grounds") else t["head"] + t["report"] + t["change"]
    if values.get("requests"):
        return ""
    case = assessment.case
    wants = case.wants or tuple(dict.fromkeys(r for f in assessment.findings for r in f.remedies[:1]))
    parts = []
    sep = "；" if lang != "en" else "; "
    from rightscli.letters.data import load_letter_data

    short = load_letter_data().remedy_short
    for want in wants:
        why = [_why(f, t, lang) for f in assessment.findings if want in f.remedies or _fuller(want, f)]
        why = [w for w in why if w]
        label = t["want"].format(want=short.get(want, want) if lang != "en" else want.replace("_", " "))
        parts.append(
            f"{label}：{sep.join(why) or t['none']}" if lang != "en" else f"{label}: {sep.join(why) or t['none']}"
        )
    detail = ("。".join(parts) + "。") if lang != "en" else (". ".join(parts) + ". ")
    return t["head"] + t["nothing"] + (detail if parts else "") + t["change"]


def _fuller(want: str, f: Finding) -> bool:
    return want == "refund_only" and "return_refund" in f.remedies


def _why(f: Finding, t: dict[str, str], lang: str) -> str:
    title = f.policy.title.get(lang)
    if f.status == "excluded" and f.excluded_by is not None:
        return t["excluded"].format(title=title, reason=f.excluded_by.reason.get(lang).rstrip("。."))
    if f.status == "expired":
        return t["expired"].format(title=title, deadline=f.deadline.isoformat() if f.deadline else "")
    if not f.decided and f.missing:
        return t["undecided"].format(title=title, missing=", ".join(f.missing))
    if not f.decided and f.open_points:
        return t["open"].format(title=title)
    return ""
