"""The evidence checklist as plain data: every item the findings need, held or missing, why it matters, how to get
it on the case's platform, how to keep it and by when; most urgent first. Used by the terminal view and the
``checklist.md.j2`` template alike."""

from __future__ import annotations

from datetime import date
from typing import Any

from rightscli import vocab
from rightscli.assessment import Assessment, EvidenceNeed
from rightscli.bilingual import pick
from rightscli.catalog import Catalog
from rightscli.daycount import days_between

LABELS: dict[str, dict[str, str]] = {
    "title": {"zh": "证据清单", "en": "Evidence checklist"},
    "title_court": {"zh": "证据和起诉材料清单", "en": "Evidence and court filing checklist"},
    "step_court": {
        "zh": "民事起诉状（rights letter --to court）",
        "en": "statement of claim (rights letter --to court)",
    },
    "case": {"zh": "案件", "en": "Case"},
    "order": {"zh": "订单号", "en": "Order"},
    "as_of": {"zh": "计算日", "en": "As of"},
    "summary": {"zh": "概览", "en": "Overview"},
    "no": {"zh": "序号", "en": "No."},
    "item": {"zh": "证据", "en": "Evidence"},
    "status": {"zh": "状态", "en": "Status"},
    "by": {"zh": "最迟", "en": "By"},
    "held": {"zh": "已有", "en": "held"},
    "missing": {"zh": "待收集", "en": "to collect"},
    "prepare": {"zh": "待准备", "en": "to prepare"},
    "why": {"zh": "为什么重要", "en": "Why it matters"},
    "how": {"zh": "如何取得", "en": "How to get it"},
    "keep": {"zh": "如何保存", "en": "How to keep it"},
    "capture": {"zh": "如何固定", "en": "How to capture it so that it counts"},
    "index": {
        "zh": "证据目录（已有的证据，提交时附上）",
        "en": "Evidence index (what you hold; attach it when you file)",
    },
    "index_cols": {
        "zh": "序号|证据名称|证据形式|证据来源|证明目的|页码/份数|原件/复印件",
        "en": "No.|Evidence|Form|Source|What it proves|Pages/copies|Original/copy",
    },
    "for": {"zh": "用于", "en": "Needed for"},
    "overdue": {"zh": "已过建议期限，仍请尽快取得", "en": "past the suggested date; get it as soon as possible"},
    "today": {"zh": "就是今天", "en": "today"},
    "days_left": {"zh": "还剩 {n} 天", "en": "{n} days left"},
    "none_date": {"zh": "尽快", "en": "as soon as possible"},
    "none_date_held": {"zh": "—", "en": "—"},
    "counts": {
        "zh": "共 {total} 项：已有 {held} 项，待收集 {missing} 项。",
        "en": "{total} items: {held} held, {missing} to collect.",
    },
    "empty": {
        "zh": "没有需要的证据（没有适用的规则）。",
        "en": "No evidence is needed (no rule applies to this case).",
    },
    "draft": {
        "zh": "本清单由规则数据自动生成，仅供参考，不构成法律意见。",
        "en": "Generated from rule data for reference only; not legal advice.",
    },
}

PLATFORM_NAMES = {
    "zh": {
        "tmall": "天猫",
        "taobao": "淘宝",
        "jd": "京东",
        "pinduoduo": "拼多多",
        "douyin": "抖音",
        "other": "其他平台",
    },
    "en": {
        "tmall": "Tmall",
        "taobao": "Taobao",
        "jd": "JD",
        "pinduoduo": "Pinduoduo",
        "douyin": "Douyin",
        "other": "other",
    },
}


def label(key: str, lang: str, **values: Any) -> str:
    return pick(LABELS[key], lang, **values)


def urgency(e: EvidenceNeed) -> tuple[int, date, int, int]:
    """Missing before held; a date before none; the earliest date first; then the item used by most rules."""
    order = vocab.EVIDENCE_IDS.index(e.id) if e.id in vocab.EVIDENCE_IDS else len(vocab.EVIDENCE_IDS)
    return (int(e.held), e.collect_by or date.max, -len(e.needed_for), order)


def format_day(day: date, lang: str) -> str:
    return f"{day.year}年{day.month}月{day.day}日" if lang == "zh" else day.isoformat()


def build_checklist_context(
    assessment: Assessment, catalog: Catalog, lang: str, purpose: str | None = None
) -> dict[str, Any]:
    """The checklist's items; ``purpose`` (a recipient with a ``checklist`` in recipients.yaml, e.g. court) adds what
    that step needs besides the evidence, after the evidence."""
    case = assessment.case
    titles = {f.policy.id: f.policy.title.get(lang) for f in assessment.findings}
    items: list[dict[str, Any]] = []
    for no, need in enumerate(sorted(assessment.evidence, key=urgency), start=1):
        entry = catalog.evidence.get(need.id)
        by = need.collect_by
        overdue = bool(by and not need.held and by < assessment.as_of)
        if by is None:
            when = label("none_date_held" if need.held else "none_date", lang)
        else:
            left = days_between(assessment.as_of, by)
            extra = (
                label("overdue", lang)
                if overdue
                else (label("today", lang) if left == 0 else label("days_left", lang, n=left))
            )
            when = f"{format_day(by, lang)}（{extra}）" if lang == "zh" else f"{format_day(by, lang)} ({extra})"
        items.append(
            {
                "no": no,
                "id": need.id,
                "label": need.label.get(lang),
                "held": need.held,
                "status": label("held" if need.held else "missing", lang),
                "why": entry.why.get(lang) if entry else "",
                "how": entry.how_for(case.platform).get(lang) if entry else "",
                "keep": entry.keep.get(lang) if entry and entry.keep else "",
                "capture": entry.filing.capture.get(lang) if entry and entry.filing else "",
                "collect_by": by.isoformat() if by else None,
                "when": when,
                "overdue": overdue,
                "for": [titles.get(pid, pid) for pid in need.needed_for],
            }
        )
    if purpose is not None:
        items += _purpose_items(purpose, lang, start=len(items) + 1)
    held = sum(1 for i in items if i["held"])
    labels = {key: label(key, lang) for key in LABELS if "{" not in LABELS[key]["zh"]}
    if purpose is not None and f"title_{purpose}" in LABELS:
        labels["title"] = label(f"title_{purpose}", lang)
    return {
        "lang": lang,
        "labels": labels,
        "counts": label("counts", lang, total=len(items), held=held, missing=len(items) - held),
        "case": {
            "item": case.order.item,
            "order_id": case.order.id or "",
            "platform": PLATFORM_NAMES[lang if lang in PLATFORM_NAMES else "zh"].get(case.platform, case.platform),
        },
        "as_of": format_day(assessment.as_of, lang),
        "items": items,
        "index": _index(assessment, lang),
        "index_cols": label("index_cols", lang).split("|"),
    }


def _index(assessment: Assessment, lang: str) -> list[dict[str, Any]]:
    """The 证据目录 of the evidence held, as the letters attach it (the buyer is 本人, the seller 商家)."""
    from rightscli.letters.data import load_letter_data
    from rightscli.letters.evidence_index import evidence_index

    data = load_letter_data()
    platform = data.platforms.get(assessment.case.platform) or ("平台" if lang == "zh" else "platform")
    names = {"platform": platform, "buyer": "本人", "seller": "商家"}
    return evidence_index(assessment, data, names, lang=lang)


def _purpose_items(purpose: str, lang: str, start: int) -> list[dict[str, Any]]:
    """What a step needs besides the evidence (recipients.yaml ``checklist``), as checklist items to prepare."""
    from rightscli.letters.data import load_letter_data

    def text(value: dict[str, str]) -> str:
        return value.get(lang) or value["zh"]

    step = [label(f"step_{purpose}", lang)] if f"step_{purpose}" in LABELS else []
    return [
        {
            "no": no,
            "id": item.id,
            "label": text(item.label),
            "held": False,
            "status": label("prepare", lang),
            "why": text(item.why),
            "how": text(item.how),
            "keep": "",
            "capture": "",
            "collect_by": None,
            "when": text(item.when),
            "overdue": False,
            "for": step,
        }
        for no, item in enumerate(load_letter_data().recipients[purpose].checklist, start=start)
    ]
