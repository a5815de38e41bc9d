"""`rights next` (what to do now, in full) and the `rights status` table: presentations of the plan the engine built
(``Assessment.plan``), in the same words and layout as the verdict of `rights assess`."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from rich.console import Console

from rightscli.i18n import tr
from rightscli.i18n.wrap import cell_width
from rightscli.plan.model import Action, Plan
from rightscli.plan.status import Row
from rightscli.plan.waits import WaitState
from rightscli.views import words
from rightscli.views.console import make_console
from rightscli.views.page import Page


def render_plan(plan: Plan, lang: str, console: Console | None = None) -> int:
    """Every step due now in full, the nearest deadline, what is being waited for, and the step after that, each with
    its legal or platform source; returns the number of lines printed."""
    console = console or make_console()
    page = Page(console)
    case = plan.case
    head = [case.order.item, tr(f"platform.{case.platform}", lang)]
    if case.order.id:
        head.append(tr("view.order_no", lang, id=case.order.id))
    page.heading(tr("plan.what_now", lang) + tr("view.dot", lang) + " · ".join(head))
    page.text(tr("view.as_of", lang, day=words.day(plan.as_of, lang)), style="dim")
    page.blank()
    page.heading(tr("plan.today", lang), style="bold cyan")
    if plan.today:
        for a in plan.today:
            _action(page, plan, a, lang)
    elif plan.waiting:
        w = plan.waiting[0]
        what = words.first_sentence(w.wait.label.get(lang), 70).rstrip("。.")
        when = words.deadline(w.last_day, plan.as_of, lang)
        page.row("•", tr("view.nothing_today_wait", lang, label=what, when=when), indent=2)
    else:
        page.row("•", tr("plan.nothing_at_all", lang), indent=2)
    later = [a for a in plan.steps if not a.now and a.by is not None]
    if later:
        page.heading(tr("plan.later", lang), style="bold cyan")
        for a in later[:3]:
            _action(page, plan, a, lang, brief=True)
    if plan.waiting:
        page.heading(tr("plan.waiting_for", lang), style="bold cyan")
        for w in plan.waiting:
            _wait(page, plan, w, lang)
    if plan.after is not None:
        page.heading(tr("plan.after", lang), style="bold cyan")
        _action(page, plan, plan.after, lang, brief=True)
    for a in plan.optional[:1]:
        page.heading(tr("plan.optional", lang), style="bold cyan")
        _action(page, plan, a, lang, brief=True)
    warnings = list(dict.fromkeys(plan.warnings))
    if warnings:
        page.heading(tr("label.warnings", lang), style="bold yellow")
        for w in warnings:
            page.row("•", w, indent=2, style="yellow", max_lines=2)
    return page.lines


def _when(a: Action, plan: Plan, lang: str) -> str:
    if a.now and a.kind == "overdue":
        return tr("view.today_short", lang)
    if a.by is not None and a.kind == "rule":  # a rule's "within N days": advice, not a deadline (as `assess` says)
        left = words.days_left((a.by - plan.as_of).days, lang)
        return tr("view.advised", lang, day=words.day(a.by, lang, plan.as_of), left=left)
    if a.by is not None:
        return words.deadline(a.by, plan.as_of, lang)
    if a.start is not None:
        return tr("view.from_day", lang, day=words.day(a.start, lang, plan.as_of))
    return ""


def _action(page: Page, plan: Plan, a: Action, lang: str, *, brief: bool = False) -> None:
    when = _when(a, plan, lang)
    action = words.first_sentence(a.action, 90) if brief else a.action
    if a.to == "public":  # the action names it
        body = action
    else:
        body = tr("view.step", lang, who=words.recipient(a.to, lang, plan.case.platform), action=action)
    body = words.if_applies(body, a.decided, lang)
    body += tr("view.until", lang, when=when) if when else ""
    page.row("•", body, indent=2, max_lines=2 if brief else 4)
    if a.why and not brief:
        page.row("", a.why, indent=2, label_width=2, style="dim", max_lines=1)
    if a.basis:
        basis = tr("plan.basis_line", lang, basis=words.citations(a.basis, lang))
        page.row("", basis, indent=2, label_width=2, style="dim", max_lines=1 if brief else 2)


def _wait(page: Page, plan: Plan, w: WaitState, lang: str) -> None:
    label = w.wait.label.get(lang)
    page.row("•", tr("plan.until_line", lang, when=words.deadline(w.last_day, plan.as_of, lang), label=label), indent=2)
    if w.extended_end is not None:
        extended = words.day(w.extended_end.last_day, lang, plan.as_of)
        page.row("", tr("plan.extended", lang, day=extended), indent=2, label_width=2, style="dim")
    if w.restarted_by is not None:
        event = tr(f"event.{w.restarted_by.event}", lang)
        restart = tr("plan.restarted", lang, day=words.day(w.restarted_by.on, lang, plan.as_of), event=event)
        page.row("", restart, indent=2, label_width=2, style="dim")
    if w.restart_interpretation is not None:
        interpretation = tr("plan.interpretation", lang, text=w.restart_interpretation.get(lang))
        page.row("", interpretation, indent=2, label_width=2, style="dim")
    if w.wait.note is not None:
        page.row("", w.wait.note.get(lang), indent=2, label_width=2, style="dim")
    page.row("", tr("plan.basis_line", lang, basis=words.citations(w.basis(), lang)), indent=2, label_width=2,
             style="dim")  # fmt: skip


# -- status -----------------------------------------------------------------------------------------------------------
def render_status(
    valid: list[Row], invalid: list[Row], lang: str, as_of: date | None = None, console: Console | None = None
) -> None:
    """A few lines per case, most urgent first: its most urgent date and days left, the file and the order; then its
    next step (with its own date when that is another) and what the row's date is, when the step is not it. Every
    case is counted to ``as_of`` (--as-of, else today), which the heading names."""
    console = console or make_console()
    page = Page(console)
    if valid:
        days = {row.plan.as_of for row in valid if row.plan is not None}
        ref = as_of or (next(iter(days)) if len(days) == 1 else None)
        title = tr("plan.status_title", lang)
        if ref is not None:
            title += tr("plan.status_ref", lang, day=words.day(ref, lang))
        page.heading(title)
        rows = []
        for row in valid:
            assert row.plan is not None
            plan, urgent = row.plan, row.urgent
            when = ""
            if urgent:
                when = (
                    f"{words.day(urgent[0], lang, plan.as_of)} {words.days_left((urgent[0] - plan.as_of).days, lang)}"
                )
            rows.append((when, row, plan))
        width = max(cell_width(w) for w, _, _ in rows) + 2
        for when, row, plan in rows:
            case = plan.case
            name = f"{Path(row.file).name} · {case.order.item} · {tr(f'platform.{case.platform}', lang)}"
            page.row(when, name, label_width=width, label_style="bold magenta", max_lines=2)
            for line in _status_lines(plan, row.urgent, lang):
                page.row("", line, label_width=width, max_lines=2, style="dim")
    if invalid:
        page.blank()
        page.heading(tr("plan.invalid", lang), style="bold red")
        for row in invalid:
            page.row(Path(row.file).name, row.error or "", label_width=2, indent=2)


def _status_lines(plan: Plan, urgent: tuple[date, str] | None, lang: str) -> list[str]:
    """Under a case's row: its next step, with the step's own date when the row's is another; then what the row's
    date is, when the step is not it (the nearest deadline, say, while the step is advised sooner)."""
    first = plan.today[0] if plan.today else None
    if first is not None:
        who = words.recipient(first.to, lang, plan.case.platform)
        step = tr("view.step", lang, who=who, action=words.first_sentence(first.action, 90))
        own = max(first.by, plan.as_of) if first.by is not None else None
        if own is not None and (urgent is None or own != urgent[0]):
            step = words.tagged(first, plan.as_of, lang, step)  # its day as `assess` says it (最好在…前, 截止…)
        else:
            step = words.if_applies(step, first.decided, lang)
        lines = [step]
        if urgent is not None and urgent[1] != (first.title or first.why):
            lines.append(tr("plan.status_due", lang, what=words.first_sentence(words.without_aside(urgent[1]), 60)))
        return lines
    if plan.waiting:
        w = plan.waiting[0]
        label = words.first_sentence(w.wait.label.get(lang), 40).rstrip("。.")
        return [tr("plan.waiting_row", lang, label=label, day=words.day(w.last_day, lang, plan.as_of))]
    if urgent is not None:
        return [tr("plan.status_due", lang, what=words.first_sentence(words.without_aside(urgent[1]), 60))]
    return []
