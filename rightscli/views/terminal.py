"""The terminal report of an assessment (rich)."""

from __future__ import annotations

from rich.console import Console
from rich.table import Table
from rich.text import Text as RichText

from rightscli.assessment import Assessment, Finding
from rightscli.i18n import tr
from rightscli.views.console import make_console, panel, table

__all__ = ["make_console", "render_assessment"]

STATUS_STYLE = {"applies": "bold green", "expired": "bold red", "excluded": "dim"}


def render_assessment(result: Assessment, lang: str, console: Console | None = None) -> None:
    console = console or make_console()
    case = result.case
    head = f"{case.order.item} · {case.platform} · ¥{case.order.price}"
    if case.order.id:
        head += f" · #{case.order.id}"
    console.print(
        panel(
            console,
            RichText(head, style="bold"),
            title=tr("label.case", lang),
            subtitle=f"{tr('label.as_of', lang)} {result.as_of}",
        )
    )
    _findings(result, lang, console)
    _evidence(result, lang, console)
    _next_steps(result, lang, console)
    if result.warnings:
        body = RichText("\n".join(f"• {w}" for w in result.warnings), overflow="fold")
        console.print(panel(console, body, title=tr("label.warnings", lang), border_style="yellow"))
    console.print(RichText(tr("label.draft", lang), style="dim"))
    from rightscli.views.plan_view import render_what_now  # the "what now" panel (rights next)

    render_what_now(result, lang, console)


def _status(f: Finding, lang: str) -> RichText:
    if f.status == "applies" and not f.decided:
        return RichText(tr("label.may_apply", lang), style="bold yellow")
    return RichText(tr(f"label.{f.status}", lang), style=STATUS_STYLE[f.status])


def _findings(result: Assessment, lang: str, console: Console) -> None:
    for f in result.findings:
        p = f.policy
        title = RichText.assemble((p.title.get(lang), "bold"), "  ", _status(f, lang), (f"  {p.id}", "dim"))
        grid = Table.grid(padding=(0, 2))
        grid.add_column(style="cyan", no_wrap=True)
        grid.add_column(overflow="fold")  # Chinese has no spaces: fold long runs instead of cutting them
        if f.deadline:
            days = "" if f.days_left is None else f" ({f.days_left:+d})"
            grid.add_row(tr("label.deadline", lang), f"{f.deadline}{days}")
        if f.amount is not None:
            grid.add_row(tr("label.amount", lang), f"¥{f.amount}")
        if f.remedies:
            grid.add_row(tr("label.remedies", lang), ", ".join(f.remedies))
        grid.add_row(tr("label.basis", lang), "；".join(f"{b['document']} {b['article']}" for b in f.basis()))
        if f.missing:
            grid.add_row(tr("label.missing", lang), ", ".join(f.missing))
        grid.add_row("", f.explanation)
        style = {"applies": "green", "expired": "red", "excluded": "bright_black"}[f.status]
        console.print(panel(console, grid, title=title, border_style=style))


def _evidence(result: Assessment, lang: str, console: Console) -> None:
    if not result.evidence:
        return
    table_ = table(console, title=tr("label.evidence", lang))
    table_.add_column(tr("label.evidence", lang), overflow="fold")
    table_.add_column(tr("label.status", lang))
    table_.add_column(tr("label.collect_by", lang))
    table_.add_column(tr("label.for", lang), style="dim", overflow="fold")
    for e in result.evidence:
        state = (
            RichText("✓ " + tr("label.held", lang), style="green")
            if e.held
            else RichText("✗ " + tr("label.to_collect", lang), style="yellow")
        )
        table_.add_row(e.label.get(lang), state, str(e.collect_by or ""), ", ".join(e.needed_for))
    console.print(table_)


def _next_steps(result: Assessment, lang: str, console: Console) -> None:
    if not result.next_steps:
        return
    table_ = table(console, title=tr("label.next_steps", lang))
    table_.add_column(tr("label.to", lang), no_wrap=True)
    table_.add_column(tr("label.by", lang), no_wrap=True)
    table_.add_column(tr("label.action", lang), overflow="fold")
    for s in result.next_steps:
        table_.add_row(tr(f"label.{s.to}", lang), str(s.by or ""), s.action)
    console.print(table_)
