"""`rights explain`: one finding of a case in full (its status, deadline in words, amount, grouped citations, the
rule's whole explanation and caveats, the steps it calls for, the evidence it needs), or one rule in general."""

from __future__ import annotations

import difflib

from rich.console import Console

from rightscli.assessment import Assessment, Finding
from rightscli.catalog import Catalog
from rightscli.errors import UserError
from rightscli.i18n import tr
from rightscli.i18n.wrap import cell_width
from rightscli.views import words
from rightscli.views.console import make_console
from rightscli.views.page import Page
from rightscli.views.terminal import render_finding
from rightscli.views.verdict import head, numbered


def find_finding(result: Assessment, wanted: str) -> tuple[int, Finding]:
    """A finding by the number the default view shows, its rule id, or words of its title (did you mean …)."""
    items = numbered(result)
    text = wanted.strip()
    if text.isdigit():
        for no, f in items:
            if no == int(text):
                return no, f
        raise UserError(tr("explain.no_number", no=text, count=len(items)))
    for no, f in items:
        if f.policy.id == text:
            return no, f
    lang = result.lang
    matches = [(no, f) for no, f in items if text and text.casefold() in f.policy.title.get(lang).casefold()]
    if len(matches) == 1:
        return matches[0]
    titles = {f.policy.title.get(lang): (no, f) for no, f in items}
    close = difflib.get_close_matches(text, [f.policy.id for _, f in items] + list(titles), n=3, cutoff=0.4)
    listing = tr("wizard.item_sep").join(f"{no}. {f.policy.title.get(lang)}" for no, f in items)
    if close:
        raise UserError(tr("explain.unknown_hint", wanted=text, hints=tr("case.or").join(close), listing=listing))
    raise UserError(tr("explain.unknown", wanted=text, listing=listing))


def render_explained(result: Assessment, no: int, f: Finding, lang: str, console: Console | None = None) -> int:
    page = Page(console or make_console())
    head(page, result, lang)
    page.blank()
    render_finding(page, result, no, f, lang)
    plan = result.plan
    steps = [a for a in plan.steps if a.source == f.policy.id] if plan else []
    width = cell_width(tr("explain.steps", lang)) + 2
    for i, a in enumerate(steps):
        who = words.recipient(a.to, lang, result.case.platform)
        when = words.deadline(a.by, result.as_of, lang) if a.by else ""
        body = tr("view.step", lang, who=who, action=a.action) + (tr("view.until", lang, when=when) if when else "")
        page.row(tr("explain.steps", lang) if i == 0 else "", body, label_width=width)
    needs = [e for e in result.evidence if f.policy.id in e.needed_for]
    if needs:
        held = tr("wizard.list_sep", lang).join(e.label.get(lang) for e in needs if e.held)
        missing = tr("wizard.list_sep", lang).join(e.label.get(lang) for e in needs if not e.held)
        if missing:
            page.row(tr("explain.to_collect", lang), missing, label_width=width, style="yellow")
        if held:
            page.row(tr("explain.held", lang), held, label_width=width)
    page.blank()
    page.text(tr("label.draft", lang), style="dim")
    return page.lines


def render_rule(catalog: Catalog, policy_id: str, lang: str, console: Console | None = None) -> int:
    """A rule in general, in the buyer's words: what it says, when it is uncertain, its sources."""
    page = Page(console or make_console())
    for p in catalog.versions(policy_id) or [catalog.get(policy_id)]:
        page.heading(p.title.get(lang))
        width = max(cell_width(tr(k, lang)) for k in ("label.explanation", "label.basis", "label.uncertain")) + 2
        page.row(tr("label.summary", lang), p.summary.get(lang), label_width=width)
        page.row(tr("label.explanation", lang), p.explanation.get(lang), label_width=width)
        if p.notes:
            page.row(tr("label.notes", lang), p.notes.get(lang), label_width=width)
        basis = [{"document": s.document, "article": s.article} for s in p.sources]
        page.row(tr("label.basis", lang), words.citations(basis, lang), label_width=width)
        if p.effective_from or p.effective_to:
            start = words.day(p.effective_from, lang) if p.effective_from else "…"
            end = words.day(p.effective_to, lang) if p.effective_to else "…"
            page.row(tr("label.in_force", lang), f"{start} – {end}", label_width=width)
        if p.uncertainty and p.confidence != "verified":
            page.row(tr("label.uncertain", lang), p.uncertainty.get(lang), label_width=width, style="yellow")
        urls = [s.url for s in p.sources if s.url]
        if urls:
            page.row(tr("label.sources", lang), " ".join(dict.fromkeys(urls)), label_width=width, style="dim")
        page.blank()
    page.text(tr("explain.for_a_case", lang, id=policy_id), style="dim")
    return page.lines
