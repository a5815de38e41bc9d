"""Readable views of policies: the list, one rule in full, and conditions in words."""

from __future__ import annotations

from typing import Any

from rightscli.catalog import Catalog
from rightscli.coverage import Coverage
from rightscli.policy import Policy
from rightscli.views.labels import label
from rightscli.views.terminal import make_console

OP_WORDS = {
    "mentions": "mentions one of",
    "eq": "=",
    "ne": "≠",
    "in": "in",
    "not_in": "not in",
    "contains": "contains",
    "contains_any": "contains any of",
    "lt": "<",
    "le": "≤",
    "gt": ">",
    "ge": "≥",
}


def policy_summary(p: Policy, lang: str) -> dict[str, Any]:
    return {
        "id": p.id,
        "title": p.title.get(lang),
        "jurisdiction": p.jurisdiction,
        "confidence": p.confidence,
        "last_reviewed": p.last_reviewed.isoformat(),
        "effective_from": p.effective_from.isoformat() if p.effective_from else None,
        "effective_to": p.effective_to.isoformat() if p.effective_to else None,
        "sources": [{"document": s.document, "article": s.article} for s in p.sources],
        "file": p.file,
    }


def describe_condition(cond: dict[str, Any], indent: int = 0) -> list[str]:
    pad = "  " * indent
    if "all" in cond or "any" in cond:
        op = "all" if "all" in cond else "any"
        word = "ALL of:" if op == "all" else "ANY of:"
        lines = [pad + word]
        for sub in cond[op]:
            lines += describe_condition(sub, indent + 1)
        return lines
    if "not" in cond:
        return [pad + "NOT:", *describe_condition(cond["not"], indent + 1)]
    if "history" in cond:
        return [f"{pad}history has event {cond['history']}"]
    if "finding" in cond:
        return [f"{pad}the finding of {cond['finding']} is {' or '.join(cond['in'])}"]
    fact = cond["fact"]
    op = next(k for k in cond if k != "fact")
    arg = cond[op]
    if op == "is_set":
        return [f"{pad}{fact} {'is set' if arg else 'is not set'}"]
    if op == "within":
        unit = next(u for u in arg if u != "of")
        return [f"{pad}{fact} within {arg[unit]} {unit} after {arg['of']}"]
    if isinstance(arg, dict):
        arg = arg["fact"]
    if isinstance(arg, list):
        arg = "[" + ", ".join(map(str, arg)) + "]"
    return [f"{pad}{fact} {OP_WORDS[op]} {arg}"]


def describe_amount(formula: dict[str, Any]) -> str:
    form, arg = next(iter(formula.items()))
    if form == "fixed":
        return f"{arg}"
    if form == "value":
        return str(arg)
    if form == "times":
        return f"{arg['factor']} × {arg['of']}"
    if form == "percent":
        text = f"{arg['rate']}% × {arg['of']}"
        if "floor" in arg:
            text += f", at least {arg['floor']}"
        if "cap" in arg:
            text += f", at most {arg['cap']}"
        return text
    return f"{form}(" + ", ".join(describe_amount(a) for a in arg) + ")"


def render_policy_table(catalog: Catalog, lang: str) -> None:
    from rich.table import Table

    console = make_console()
    table = Table(title=f"{len(catalog.policies)} policies")
    for key in ("id", "title", "jurisdiction", "confidence", "reviewed"):
        table.add_column(label(key, lang))
    for p in catalog.policies:
        table.add_row(p.id, p.title.get(lang), p.jurisdiction, label(p.confidence, lang), p.last_reviewed.isoformat())
    console.print(table)


def render_policy(catalog: Catalog, policy_id: str, lang: str) -> None:
    from rich.panel import Panel

    console = make_console()
    for p in catalog.versions(policy_id) or [catalog.get(policy_id)]:
        lines = [p.summary.get(lang), ""]
        lines.append(f"confidence: {p.confidence}   last reviewed: {p.last_reviewed}   file: {p.file}")
        if p.effective_from or p.effective_to:
            lines.append(f"in force: {p.effective_from or '…'} – {p.effective_to or '…'} (by {p.in_force_on})")
        if p.uncertainty:
            lines.append(f"uncertain: {p.uncertainty.get(lang)}")
        lines.append("")
        lines.append("Sources:")
        for s in p.sources:
            dates = f" [{s.effective_from or '…'} – {s.effective_to or '…'}]" if s.effective_from else ""
            marks = "" if s.confidence == "verified" else f" ({s.confidence}: not cited to an authority or a court)"
            checked = f" (status checked {s.checked})" if s.checked else ""
            lines.append(f"  - {s.document} {s.article}{dates}{marks}{checked}" + (f"  {s.url}" if s.url else ""))
            if s.when is not None:
                lines.append("      cited only when:")
                lines += describe_condition(s.when, 4)
        lines.append("Applies when:")
        lines += describe_condition(p.when, 1)
        for point in p.undecided:
            lines.append(f"Undecided (may apply) when:  — {point.reason.get(lang)}")
            lines += describe_condition(point.when, 1)
        for ex in p.exclusions:
            seller = ex.raised_by == "seller"
            raised = " [an exception for the seller to raise: asserted while unknown]" if seller else ""
            lines.append(f"Excluded ({ex.id}){raised} when:  — {ex.reason.get(lang)}")
            lines += describe_condition(ex.when, 1)
            lines += [f"    source: {s.document} {s.article}" for s in ex.sources]
        if p.deadline:
            d = p.deadline
            start = d.from_fact or f"latest event {d.from_event}"
            lines.append(
                f"Deadline: {d.length} {d.unit} from {start} (day after counts as day 1; "
                f"holiday extension: {d.holiday_extension})"
            )
        for st in p.stages:
            lines.append(
                f"Stage: {st.length} {st.unit} from {p.stages_from}: {', '.join(st.remedies)} — {st.label.get(lang)}"
            )
        if p.remedies:
            lines.append(f"Remedies: {', '.join(p.remedies)}")
        if p.amount:
            lines.append(f"Amount: {describe_amount(p.amount)}")
        if p.evidence:
            lines.append(f"Evidence: {', '.join(p.evidence)}")
        lines.append("")
        lines.append(p.explanation.get(lang))
        if p.notes:
            lines.append(p.notes.get(lang))
        from rich.markup import escape

        body = escape("\n".join(lines))  # rule text is data, not rich markup: `[a, b]` must print as written
        console.print(Panel(body, title=escape(f"{p.id} · {p.title.get(lang)}"), title_align="left"))


def render_coverage(result: Coverage, lang: str) -> None:
    from rich.table import Table

    console = make_console()
    table = Table(title="problem kind × platform: national (cn) / platform rules", show_lines=False)
    table.add_column("kind")
    for platform in result.platforms:
        table.add_column(platform)
    for kind in result.kinds:
        row = [kind]
        for platform in result.platforms:
            ids = result.cells.get((kind, platform), [])
            national = sum(1 for i in ids if i.startswith("cn."))
            own = len(ids) - national
            cell = f"{national}/{own}" if ids else "[bold red]—[/]"
            row.append(cell)
        table.add_row(*row)
    console.print(table)
    empty = result.empty()
    if empty:
        console.print(f"[bold red]{len(empty)} empty cell(s):[/] " + ", ".join(f"{k}@{p}" for k, p in empty))
    else:
        console.print("[green]Every problem kind has at least one rule on every platform.[/]")
