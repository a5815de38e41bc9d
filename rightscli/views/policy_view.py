"""Readable views of policies: the list, one rule in full, and conditions in words."""

from __future__ import annotations

from typing import Any

from rightscli.catalog import Catalog
from rightscli.coverage import Coverage
from rightscli.i18n import tr
from rightscli.policy import Policy
from rightscli.views.terminal import make_console

OP_SYMBOLS = {"eq": "=", "ne": "≠", "lt": "<", "le": "≤", "gt": ">", "ge": "≥"}  # the others are words: policy.op.*


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
        word = tr(f"policy.view.{op}")
        lines = [pad + word]
        for sub in cond[op]:
            lines += describe_condition(sub, indent + 1)
        return lines
    if "not" in cond:
        return [pad + tr("policy.view.not"), *describe_condition(cond["not"], indent + 1)]
    if "history" in cond:
        return [pad + tr("policy.view.history", event=cond["history"])]
    if "finding" in cond:
        return [pad + tr("policy.view.finding", id=cond["finding"], statuses=tr("case.or").join(cond["in"]))]
    fact = cond["fact"]
    op = next(k for k in cond if k != "fact")
    arg = cond[op]
    if op == "is_set":
        return [pad + tr("policy.view.is_set" if arg else "policy.view.not_set", fact=fact)]
    if op == "within":
        unit = next(u for u in arg if u != "of")
        return [pad + tr("policy.view.within", fact=fact, n=arg[unit], unit=unit_word(unit, arg[unit]), of=arg["of"])]
    if isinstance(arg, dict):
        arg = arg["fact"]
    if isinstance(arg, list):
        arg = "[" + ", ".join(map(literal, arg)) + "]"
    word = OP_SYMBOLS.get(op) or tr(f"policy.op.{op}")
    return [f"{pad}{fact} {word} {literal(arg)}"]


def literal(value: object) -> str:
    """A value of a rule as its file writes it (YAML: ``true``, not Python's ``True``)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    return "null" if value is None else str(value)


def unit_word(unit: str, n: int) -> str:
    """A period's unit in the interface language (``days`` → 天)."""
    return tr(f"policy.unit.{unit}" + ("_one" if n == 1 else ""))


def _remedies(ids: list[str], lang: str) -> str:
    return tr("policy.view.list_sep", lang).join(tr(f"remedy.{r}", lang) for r in ids)


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
            text += tr("policy.view.floor", value=arg["floor"])
        if "cap" in arg:
            text += tr("policy.view.cap", value=arg["cap"])
        return text
    return f"{form}(" + ", ".join(describe_amount(a) for a in arg) + ")"


def render_policy_table(catalog: Catalog, lang: str) -> None:
    from rich.table import Table

    console = make_console()
    table = Table(title=tr("policy.view.count", count=len(catalog.policies)))
    for key in ("id", "title", "jurisdiction", "confidence", "reviewed"):
        table.add_column(tr(f"label.{key}", lang))
    for p in catalog.policies:
        table.add_row(
            p.id, p.title.get(lang), p.jurisdiction, tr(f"label.{p.confidence}", lang), p.last_reviewed.isoformat()
        )
    console.print(table)


def render_policy(catalog: Catalog, policy_id: str, lang: str) -> None:
    from rich.panel import Panel

    console = make_console()
    for p in catalog.versions(policy_id) or [catalog.get(policy_id)]:
        lines = [p.summary.get(lang), ""]
        confidence = tr(f"label.{p.confidence}", lang)
        lines.append(tr("policy.view.meta", confidence=confidence, reviewed=p.last_reviewed, file=p.file))
        if p.effective_from or p.effective_to:
            start, end = p.effective_from or "…", p.effective_to or "…"
            lines.append(tr("policy.view.in_force", start=start, end=end, fact=p.in_force_on))
        if p.uncertainty:
            lines.append(tr("policy.view.uncertain", text=p.uncertainty.get(lang)))
        lines.append("")
        lines.append(tr("policy.view.sources"))
        for s in p.sources:
            dates = f" [{s.effective_from or '…'} – {s.effective_to or '…'}]" if s.effective_from else ""
            level = tr(f"label.{s.confidence}", lang)
            marks = "" if s.confidence == "verified" else tr("policy.view.source_unverified", level=level)
            checked = tr("policy.view.source_checked", day=s.checked) if s.checked else ""
            lines.append(f"  - {s.document} {s.article}{dates}{marks}{checked}" + (f"  {s.url}" if s.url else ""))
            if s.when is not None:
                lines.append("      " + tr("policy.view.cited_when"))
                lines += describe_condition(s.when, 4)
        lines.append(tr("policy.view.when"))
        lines += describe_condition(p.when, 1)
        for point in p.undecided:
            lines.append(tr("policy.view.undecided", reason=point.reason.get(lang)))
            lines += describe_condition(point.when, 1)
        for ex in p.exclusions:
            raised = tr("policy.view.raised_by_seller") if ex.raised_by == "seller" else ""
            lines.append(tr("policy.view.excluded", id=ex.id, reason=ex.reason.get(lang)) + raised)
            lines += describe_condition(ex.when, 1)
            lines += ["    " + tr("policy.view.source", source=f"{s.document} {s.article}") for s in ex.sources]
        if p.deadline:
            d = p.deadline
            start = d.from_fact or tr("policy.view.latest_event", event=d.from_event)
            extension = tr(f"policy.view.extension_{d.holiday_extension}", lang)
            unit = unit_word(d.unit, d.length)
            lines.append(tr("policy.view.deadline", n=d.length, unit=unit, start=start, extension=extension))
        for st in p.stages:
            unit = unit_word(st.unit, st.length)
            remedies = _remedies(st.remedies, lang)
            lines.append(
                tr("policy.view.stage", n=st.length, unit=unit, start=p.stages_from, remedies=remedies)
                + f" — {st.label.get(lang)}"
            )
        if p.remedies:
            lines.append(tr("policy.view.remedies", items=_remedies(p.remedies, lang)))
        if p.amount:
            lines.append(tr("policy.view.amount", formula=describe_amount(p.amount)))
        if p.evidence:
            named = [catalog.evidence[e].label.get(lang) if e in catalog.evidence else e for e in p.evidence]
            lines.append(tr("policy.view.evidence", items=tr("policy.view.list_sep", lang).join(named)))
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
    table = Table(title=tr("policy.view.coverage_title"), show_lines=False)
    table.add_column(tr("policy.view.kind"))
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
        console.print(
            f"[bold red]{tr('policy.view.empty_cells', count=len(empty))}[/] " + ", ".join(f"{k}@{p}" for k, p in empty)
        )
    else:
        console.print(f"[green]{tr('policy.view.all_covered')}[/]")
