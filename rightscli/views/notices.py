"""Warnings as a buyer reads them: grouped, each said once per run, in words (rule titles, 11月25日), never as rule
ids. Built from the assessment's notices (the same facts its ``warnings`` give --json as text) and the plan's."""

from __future__ import annotations

from rightscli.assessment import Assessment
from rightscli.i18n import tr
from rightscli.views import words


def grouped(result: Assessment, lang: str) -> list[str]:
    """One line per kind of warning: the last days a missing holiday schedule may move, the rules whose sources
    are still to be checked, the rest-day last days, then the plan's own warnings (each once)."""
    titles = {f.policy.id: f.policy.title.get(lang) for f in result.findings}
    sep = tr("wizard.list_sep", lang)
    out: list[str] = []
    calendar = [n for n in result.notices if n.kind == "calendar" and n.day is not None]
    if calendar:
        years = sep.join(str(y) for y in sorted({n.day.year for n in calendar if n.day}))
        items = sep.join(
            dict.fromkeys(
                tr("notice.item_day", lang, title=titles.get(n.policy, n.policy), day=words.day(n.day, lang))
                for n in calendar
                if n.day
            )
        )
        out.append(tr("notice.calendar", lang, years=years, items=items))
    holiday = [n for n in result.notices if n.kind == "holiday" and n.day and n.moved]
    for n in holiday:
        out.append(
            tr(
                "notice.holiday",
                lang,
                title=titles.get(n.policy, n.policy),
                day=words.day(n.day, lang, result.as_of) if n.day else "",
                moved=words.day(n.moved, lang, result.as_of) if n.moved else "",
            )
        )
    unverified = [n.policy for n in result.notices if n.kind in ("unverified", "unverified_exclusion")]
    if unverified:
        names = sep.join(dict.fromkeys(titles.get(p, p) for p in unverified))
        out.append(tr("notice.unverified", lang, items=names))
    if any(n.kind == "no_findings" for n in result.notices):
        out.append(tr("notice.no_findings", lang))
    if result.plan is not None:
        out += [w for w in dict.fromkeys(result.plan.warnings) if w not in out]
    return out


def placeholders(gaps: list[tuple[str, str | None]], lang: str) -> str:
    """ "信中有 3 处待补充：被投诉人地址（案件文件 merchant.address）、……", once for a letter."""
    items = [
        tr("notice.gap_field", lang, label=label, path=path) if path else tr("notice.gap_hand", lang, label=label)
        for label, path in gaps
    ]
    return tr("notice.gaps", lang, count=len(gaps), items=tr("wizard.list_sep", lang).join(items))
