"""The rich console and the few building blocks every view uses, in two looks.

At a terminal: colours, rounded panels and tables. Elsewhere (a pipe, a file, a script): no colour codes and no
box drawing, just headings and aligned columns that read well in a log or a text file. ``NO_COLOR`` turns colours
off at a terminal too (rich honours it).
"""

from __future__ import annotations

import os
import sys
from typing import Any

from rich import box
from rich.console import Console, Group, RenderableType
from rich.panel import Panel
from rich.table import Table
from rich.text import Text


class QuietConsole(Console):
    """A console that ends the program quietly, with exit 0, when the reader of stdout went away (`| head -1`).

    rich's own handler exits with 1, which tells a script that `rights` failed when only its reader stopped."""

    def on_broken_pipe(self) -> None:
        if self.quiet:
            return
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        raise SystemExit(0)


def make_console(stderr: bool = False) -> Console:
    stream = sys.stderr if stderr else sys.stdout
    return QuietConsole(file=stream, highlight=False, emoji=False)


def panel(
    console: Console,
    body: RenderableType,
    *,
    title: RenderableType | str = "",
    subtitle: str | None = None,
    border_style: str = "none",
) -> RenderableType:
    if console.is_terminal:
        return Panel(body, title=title, subtitle=subtitle, title_align="left", border_style=border_style)
    heading = Text.assemble(title) if isinstance(title, str) else title
    parts: list[RenderableType] = [Text.assemble("== ", heading, f"  ({subtitle})" if subtitle else "")]
    parts += [body, Text("")]
    return Group(*parts)


def table(console: Console, *, title: str | None = None, **kwargs: Any) -> Table:
    if console.is_terminal:
        return Table(title=title, title_justify="left", **kwargs)
    return Table(
        title=f"== {title}" if title else None,
        title_justify="left",
        box=None,
        show_edge=False,
        pad_edge=False,
        header_style="bold",
        **kwargs,
    )


def simple_box() -> box.Box:
    return box.SIMPLE
