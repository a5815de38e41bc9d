"""The evidence checklist in the terminal (rich): one panel per item, most urgent first."""

from __future__ import annotations

from typing import Any

from rich.console import Console, Group
from rich.table import Table
from rich.text import Text

from rightscli.views.console import make_console, panel


def render_checklist(ctx: dict[str, Any], console: Console | None = None) -> None:
    console = console or make_console()
    labels = ctx["labels"]
    case = ctx["case"]
    head = f"{case['item']} · {case['platform']}"
    if case["order_id"]:
        head += f" · #{case['order_id']}"
    body = Group(Text(head, style="bold"), Text(ctx["counts"]))
    console.print(panel(console, body, title=labels["title"], subtitle=f"{labels['as_of']} {ctx['as_of']}"))
    if not ctx["items"]:
        console.print(labels["empty"])
    for item in ctx["items"]:
        console.print(_item_panel(console, item, labels))
    console.print(Text(labels["draft"], style="dim"))


def _item_panel(console: Console, item: dict[str, Any], labels: dict[str, str]) -> Any:
    grid = Table.grid(padding=(0, 2))
    grid.add_column(style="cyan", no_wrap=True)
    grid.add_column(overflow="fold")  # Chinese text has no spaces to wrap at: fold it, never cut it
    by_style = "bold red" if item["overdue"] else ("green" if item["held"] else "yellow")
    grid.add_row(labels["by"], Text(item["when"], style=by_style))
    for key in ("why", "how", "keep"):
        if item[key]:
            grid.add_row(labels[key], item[key])
    if item["for"]:
        grid.add_row(labels["for"], "；".join(item["for"]))
    mark = Text("✓ " + item["status"], style="green") if item["held"] else Text("✗ " + item["status"], style="bold red")
    title = Text.assemble((f"{item['no']}. {item['label']}", "bold"), "  ", mark)
    return panel(console, grid, title=title, border_style="green" if item["held"] else "yellow")
