"""The evidence checklist in the terminal, under the rules of the default assess view: what to collect first and by
when, then how to get each item (and why it matters, in a sentence); the evidence already held in one line. The
full texts (how to keep and capture each item, what each is for) are in ``--format md|txt|html|docx``."""

from __future__ import annotations

from typing import Any

from rich.console import Console

from rightscli.i18n import tr
from rightscli.i18n.wrap import cell_width
from rightscli.views import words
from rightscli.views.console import make_console
from rightscli.views.page import Page


def render_checklist(ctx: dict[str, Any], console: Console | None = None, *, lang: str | None = None) -> int:
    page = Page(console or make_console())
    lang = lang or ctx.get("lang", "zh")
    labels = ctx["labels"]
    case = ctx["case"]
    head = [case["item"], case["platform"]]
    if case["order_id"]:
        head.append(tr("view.order_no", lang, id=case["order_id"]))
    page.heading(f"{labels['title']}{tr('view.dot', lang)}" + " · ".join(head))
    page.text(f"{ctx['counts']} " + tr("view.as_of", lang, day=ctx["as_of"]), style="dim")
    if not ctx["items"]:
        page.text(labels["empty"])
    missing = [i for i in ctx["items"] if not i["held"]]
    held = [i for i in ctx["items"] if i["held"]]
    width = max([cell_width(labels[k]) for k in ("how", "why", "by")]) + 2
    for item in missing:
        page.blank()
        style = "bold red" if item["overdue"] else "bold yellow"
        when = f"{labels['by']} {item['when']}" if item["collect_by"] else item["when"]
        page.heading(f"{item['no']}. {item['label']}{tr('view.dash', lang)}{when}", style=style)
        if item["how"]:
            page.row(labels["how"], item["how"], label_width=width, indent=2, max_lines=3)
        if item["why"]:
            why = words.first_sentence(item["why"], 90)
            page.row(labels["why"], why, label_width=width, indent=2, style="dim", max_lines=1)
    if held:
        page.blank()
        names = tr("wizard.list_sep", lang).join(i["label"] for i in held)
        page.row(tr("checklist.held_line", lang, count=len(held)), names, label_style="bold green")
    page.blank()
    page.text(tr("checklist.more", lang), style="dim")
    page.text(labels["draft"], style="dim")
    return page.lines
