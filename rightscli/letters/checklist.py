"""The evidence checklist as plain data: every item the findings need, held or missing, why it matters, how to get
it on the case's platform, how to keep it and by when; most urgent first. Used by the terminal view and the
``checklist.md.j2`` template alike."""

from __future__ import annotations

from datetime import date
from typing import Any

from rightscli import vocab
from rightscli.assessment import Assessment, EvidenceNeed
from rightscli.catalog import Catalog
from rightscli.daycount import days_between
from rightscli.i18n import has, tr

# The labels the terminal view and the checklist templates read from ``labels`` (keys checklist.* of the catalogue).
TEMPLATE_LABELS = (
    "title", "case", "order", "as_of", "summary", "no", "item", "status", "by", "held", "missing", "prepare", "why",
    "how", "keep", "capture", "index", "for", "overdue", "today", "none_date", "none_date_held", "empty", "draft",
)  # fmt: skip


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
        if by is None or (need.held and by < assessment.as_of):  # held: a past collect-by day no longer matters
            when = tr("checklist.none_date_held" if need.held else "checklist.none_date", lang)
        else:
            left = days_between(assessment.as_of, by)
            extra = (
                tr("checklist.overdue", lang)
                if overdue
                else (tr("checklist.today", lang) if left == 0 else tr("checklist.days_left", lang, n=left))
            )
            when = f"{format_day(by, lang)}（{extra}）" if lang == "zh" else f"{format_day(by, lang)} ({extra})"
        items.append(
            {
                "no": no,
                "id": need.id,
                "label": need.label.get(lang),
                "held": need.held,
                "status": tr("checklist.held" if need.held else "checklist.missing", lang),
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
    labels = {key: tr(f"checklist.{key}", lang) for key in TEMPLATE_LABELS}
    if purpose is not None and has(f"checklist.title_{purpose}"):
        labels["title"] = tr(f"checklist.title_{purpose}", lang)
    return {
        "lang": lang,
        "labels": labels,
        "counts": tr("checklist.counts", lang, total=len(items), held=held, missing=len(items) - held),
        "case": {
            "item": case.order.item,
            "order_id": case.order.id or "",
            "platform": tr(f"platform.{case.platform}", lang),
        },
        "as_of": format_day(assessment.as_of, lang),
        "items": items,
        "index": _index(assessment, lang),
        "index_cols": tr("checklist.index_cols", lang).split("|"),
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

    step = [tr(f"checklist.step_{purpose}", lang)] if has(f"checklist.step_{purpose}") else []
    return [
        {
            "no": no,
            "id": item.id,
            "label": text(item.label),
            "held": False,
            "status": tr("checklist.prepare", lang),
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
