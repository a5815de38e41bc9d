"""The "what now" panel (`rights next`, end of `rights assess`) and the `rights status` table."""

from __future__ import annotations

import re
from pathlib import Path

from rich.console import Console, Group, RenderableType
from rich.table import Table
from rich.text import Text as RichText

from rightscli.assessment import Assessment
from rightscli.i18n import tr
from rightscli.plan.build import Action, Dated, Plan
from rightscli.plan.status import Row
from rightscli.plan.waits import WaitState
from rightscli.views.console import make_console, panel, table

SHORT = 60
_SENTENCE_END = re.compile(r"。|(?<!\bart)(?<!\barts)\.(\s|$)")


def render_what_now(result: Assessment, lang: str, console: Console) -> None:
    """The panel at the end of `rights assess`: the plan needs the waits and the ladder of the bundled catalog,
    which are the same whatever --policy-dir adds (those folders only add rules)."""
    from rightscli.catalog import load_catalog
    from rightscli.errors import UserError
    from rightscli.plan.build import make_plan

    try:
        catalog = load_catalog()
    except UserError:
        return
    render_plan(make_plan(result, catalog.waits, catalog.escalation), lang, console)


def render_plan(plan: Plan, lang: str, console: Console | None = None) -> None:
    console = console or make_console()
    parts: list[RenderableType] = []

    def section(title: str, rows: list[RichText]) -> None:
        parts.append(RichText(title, style="bold cyan"))
        grid = Table.grid(padding=(0, 1))
        grid.add_column(no_wrap=True)
        grid.add_column(overflow="fold")
        for row in rows:
            grid.add_row("•", row)
        parts.append(grid)

    if plan.today:
        section(tr("plan.today", lang), [_action(a, lang, full=True) for a in plan.today])
    else:
        section(
            tr("plan.today", lang),
            [RichText(tr("plan.nothing_today" if plan.waiting else "plan.nothing_at_all", lang))],
        )
    nearest = plan.nearest_deadline
    if nearest is not None:
        section(tr("plan.nearest_deadline", lang), [_dated(nearest, lang)])
    if plan.waiting:
        after = plan.after.source if plan.after else None
        section(tr("plan.waiting_for", lang), [_wait(w, lang, then=w.source_id != after) for w in plan.waiting])
    if plan.after is not None:
        section(tr("plan.after", lang), [_action(plan.after, lang, full=False)])
    if plan.warnings:
        section(tr("label.warnings", lang), [RichText(w, style="yellow") for w in plan.warnings])
    subtitle = f"{tr('label.as_of', lang)} {plan.as_of}"
    console.print(
        panel(console, Group(*parts), title=tr("plan.what_now", lang), subtitle=subtitle, border_style="cyan")
    )


def _days(days: int, lang: str) -> str:
    if days > 0:
        return tr("plan.days_left", lang, days=days)
    if days == 0:
        return tr("plan.today_is_last", lang)
    return tr("plan.days_ago", lang, days=-days)


def _basis(basis: tuple[dict[str, str], ...] | list[dict[str, str]], lang: str) -> str:
    return f"{tr('plan.basis', lang)}: " + "；".join(f"{b['document']} {b['article']}" for b in basis) if basis else ""


def _first_sentence(s: str) -> str:
    match = _SENTENCE_END.search(s)
    return s[: match.end()].strip() if match else s


def _action(a: Action, lang: str, *, full: bool) -> RichText:
    out = RichText()
    if a.to:
        out.append(f"[{tr('label.' + a.to, lang)}] ", style="bold")
    if a.by is not None:
        out.append(f"{tr('label.by', lang)} {a.by} ", style="magenta")
    elif a.start is not None:
        out.append(tr("plan.from_day", lang, day=a.start.isoformat()) + " ", style="magenta")
    if full or not a.source.startswith("escalation."):
        out.append(a.action)
    else:
        out.append(a.title or "", style="bold")
        out.append("\n" + _first_sentence(a.action.split("：", 1)[-1].split(": ", 1)[-1]))
    out.append(f"\n{a.why}", style="dim")
    if a.basis:
        out.append(f"\n{_basis(a.basis, lang)}", style="dim")
    return out


def _dated(d: Dated, lang: str) -> RichText:
    out = RichText()
    out.append(f"{d.day} ({_days(d.days_left, lang)}) ", style="bold magenta")
    out.append(d.title)
    if d.basis:
        out.append(f"\n{_basis(d.basis, lang)}", style="dim")
    return out


def _wait(w: WaitState, lang: str, *, then: bool = True) -> RichText:
    out = RichText()
    out.append(f"{tr('plan.until', lang)} {w.last_day} ({_days(w.days_left, lang)}) ", style="bold magenta")
    out.append(w.wait.label.get(lang))
    if w.extended_end is not None:
        out.append("；" if lang == "zh" else "; ")
        out.append(tr("plan.extended", lang, day=w.extended_end.last_day.isoformat()))
    if w.restarted_by is not None:
        restart = tr("plan.restarted", lang, day=w.restarted_by.on.isoformat(), event=w.restarted_by.event)
        out.append(f"\n{restart}", style="dim")
    if w.restart_interpretation is not None:
        out.append(tr("plan.interpretation", lang, text=w.restart_interpretation.get(lang)), style="dim")
    if w.wait.note is not None:
        out.append(f"\n{w.wait.note.get(lang)}", style="dim")
    follow = tr("plan.from_day", lang, day=w.follow_up.isoformat())
    if then:
        out.append(f"\n{follow}: [{tr('label.' + w.wait.then.to, lang)}] {w.wait.then.action.get(lang)}", style="dim")
    out.append(f"\n{_basis(w.basis(), lang)}", style="dim")
    return out


# -- status -----------------------------------------------------------------------------------------------------------
def _short(s: str) -> str:
    return s if len(s) <= SHORT else s[: SHORT - 1] + "…"


def render_status(valid: list[Row], invalid: list[Row], lang: str, console: Console | None = None) -> None:
    console = console or make_console()
    if valid:
        grid = table(console, title=tr("plan.status_title", lang))
        grid.add_column(tr("plan.date", lang), no_wrap=True)
        grid.add_column(tr("plan.days", lang), justify="right", no_wrap=True)
        grid.add_column(tr("plan.case", lang), overflow="fold", ratio=2)
        grid.add_column(tr("plan.next", lang), overflow="fold", ratio=3)
        for row in valid:
            assert row.plan is not None
            plan, urgent = row.plan, row.urgent
            case = RichText(Path(row.file).name, style="bold")
            case.append(f"\n{plan.case.order.item} · {plan.case.platform}", style="dim")
            days = "" if urgent is None else f"{(urgent[0] - plan.as_of).days:+d}"
            grid.add_row(str(urgent[0]) if urgent else "", days, case, _status_step(plan, lang))
        console.print(grid)
    if invalid:
        bad = table(console, title=tr("plan.invalid", lang))
        bad.add_column(tr("plan.file", lang), no_wrap=True)
        bad.add_column(tr("plan.error", lang), overflow="fold")
        for row in invalid:
            bad.add_row(RichText(Path(row.file).name), RichText(row.error or ""))
        console.print(bad)


def _status_step(plan: Plan, lang: str) -> RichText:
    """Plain text (no rich markup: "[platform]" must stay as written)."""
    first = plan.today[0] if plan.today else None
    if first is not None:
        return RichText(
            (f"[{tr('label.' + first.to, lang)}] " if first.to else "") + _short(first.title or first.action)
        )
    if plan.waiting:
        w = plan.waiting[0]
        return RichText(tr("plan.waiting_row", lang, label=_short(w.wait.label.get(lang)), day=w.last_day.isoformat()))
    return RichText("")
