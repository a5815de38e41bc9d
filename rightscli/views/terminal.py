"""`rights assess CASE --detail`: everything the assessment holds, in the order of the default view — every finding
with its rule id, full explanation, caveats and grouped citations, the evidence, every step of the plan, every note —
then `rights next` for the case. The default view is :mod:`rightscli.views.verdict`."""

from __future__ import annotations

from rich.console import Console

from rightscli.assessment import Assessment, Finding
from rightscli.i18n import tr
from rightscli.i18n.wrap import cell_width
from rightscli.views import words
from rightscli.views.console import make_console
from rightscli.views.page import Page
from rightscli.views.verdict import STATUS_STYLE, head, numbered, status_key

__all__ = ["make_console", "render_assessment", "render_finding"]


def render_assessment(result: Assessment, lang: str, console: Console | None = None) -> int:
    console = console or make_console()
    page = Page(console)
    head(page, result, lang)
    for no, f in numbered(result):
        page.blank()
        render_finding(page, result, no, f, lang)
    _evidence(page, result, lang)
    _steps(page, result, lang)
    from rightscli.views.notices import grouped

    warnings = grouped(result, lang)
    if warnings:
        page.blank()
        page.heading(tr("label.warnings", lang), style="bold yellow")
        for w in warnings:
            page.row("•", w, indent=2, style="yellow")
    page.blank()
    page.text(tr("label.draft", lang), style="dim")
    page.blank()
    from rightscli.views.plan_view import render_plan

    assert result.plan is not None
    return page.lines + render_plan(result.plan, lang, console)


def render_finding(page: Page, result: Assessment, no: int, f: Finding, lang: str) -> None:
    """One finding in full (also `rights explain`)."""
    key = status_key(f)
    page.heading(f"{no}. {f.policy.title.get(lang)}")
    labels = ("label.status", "label.deadline", "label.basis", "label.missing", "label.explanation")
    width = max(cell_width(tr(k, lang)) for k in labels) + 2
    status = tr("view.status_id", lang, status=tr(f"label.{key}", lang), id=f.policy.id)
    page.row(tr("label.status", lang), status, label_width=width, label_style=STATUS_STYLE[key])
    if f.deadline is not None:
        label = f.deadline_label.get(lang) if f.deadline_label else ""
        met_on = result.plan.met_on(f) if result.plan else f.deadline_met_on
        when = words.finding_deadline(f, result.as_of, lang, met_on)
        page.row(tr("label.deadline", lang), when + (tr("view.dash", lang) + label if label else ""), label_width=width)
    if f.amount is not None:
        page.row(tr("label.amount", lang), words.money(f.amount), label_width=width)
    if f.remedies:
        page.row(tr("label.remedies", lang), words.remedies(f.remedies, lang), label_width=width)
    basis = words.citations(f.basis(), lang)
    if basis:
        page.row(tr("label.basis", lang), basis, label_width=width)
    if f.missing:
        asks = {q.path: q.ask for q in (result.plan.questions if result.plan else [])}
        questions = tr("wizard.item_sep", lang).join(words.question(p, asks.get(p), lang) for p in f.missing)
        page.row(tr("label.missing", lang), questions, label_width=width, style="yellow")
    page.row(tr("label.explanation", lang), f.explanation, label_width=width)
    if f.policy.uncertainty is not None and f.policy.confidence != "verified":
        page.row(tr("label.uncertain", lang), f.policy.uncertainty.get(lang), label_width=width, style="yellow")
    urls = [s.url for s in f.sources() if s.url]
    if urls:
        page.row(tr("label.sources", lang), " ".join(dict.fromkeys(urls)), label_width=width, style="dim")


def _evidence(page: Page, result: Assessment, lang: str) -> None:
    if not result.evidence:
        return
    page.blank()
    page.heading(tr("label.evidence", lang))
    numbers = {f.policy.id: str(no) for no, f in numbered(result)}
    for e in result.evidence:
        mark = "✓ " + tr("label.held", lang) if e.held else "✗ " + tr("label.to_collect", lang)
        body = e.label.get(lang)
        if e.collect_by is not None and not e.held:
            body += tr("view.dash", lang) + tr("label.collect_by", lang) + " " + words.day(e.collect_by, lang)
        if e.needed_for:
            body += tr("view.for_findings", lang, numbers="、".join(numbers.get(i, i) for i in e.needed_for))
        page.row(mark, body, label_width=10, indent=2, label_style="green" if e.held else "yellow")


def _steps(page: Page, result: Assessment, lang: str) -> None:
    plan = result.plan
    if plan is None or not plan.steps:
        return
    page.blank()
    page.heading(tr("label.next_steps", lang))
    for a in plan.steps:
        who = words.recipient(a.to, lang, result.case.platform)
        when = tr("view.today_short", lang) if a.now else (words.day(a.by, lang, result.as_of) if a.by else "")
        body = (when + tr("view.colon", lang) if when else "") + a.action
        page.row(who, body, label_width=16, indent=2, label_style="bold")
