"""A page of plain lines for the buyer-facing views: every line broken by :func:`rightscli.i18n.wrap.wrap` (by
terminal cells, never a line starting with ，。；、）) before rich prints it, so rich never re-wraps; a label in a
fixed-width column with the text hanging after it; no trailing spaces. Colours at a terminal only (rich drops them
in a pipe and under NO_COLOR)."""

from __future__ import annotations

from rich.console import Console
from rich.text import Text

from rightscli.i18n.wrap import cell_width, wrap


class Page:
    def __init__(self, console: Console, width: int | None = None) -> None:
        self.console = console
        self.width = max(20, width or console.width)
        self.lines = 0

    def _emit(self, text: Text) -> None:
        self.console.print(text, no_wrap=True, overflow="ignore", crop=False, soft_wrap=True)
        self.lines += 1

    def blank(self) -> None:
        self._emit(Text(""))

    def heading(self, text: str, style: str = "bold") -> None:
        for line in wrap(text, self.width):
            self._emit(Text(line, style=style))

    def text(self, body: str, style: str = "", indent: int = 0) -> None:
        pad = " " * indent
        for line in wrap(body, self.width, indent=pad):
            self._emit(Text(line, style=style))

    def row(
        self,
        label: str,
        body: str,
        *,
        label_width: int | None = None,
        label_style: str = "",
        style: str = "",
        indent: int = 0,
        max_lines: int | None = None,
    ) -> None:
        """``label`` in a column of ``label_width`` cells (at least its own width plus one), ``body`` after it and
        under it. ``max_lines`` cuts a long body with …"""
        pad = " " * indent
        width = max(label_width or 0, cell_width(label) + 1 if label else 0)
        gap = " " * (width - cell_width(label))
        hang = " " * (indent + width)
        lines = wrap(body, self.width, indent=hang, subsequent=hang) if body else [""]
        if max_lines is not None and len(lines) > max_lines:
            lines = lines[:max_lines]
            lines[-1] = _ellipsis(lines[-1], self.width)
        for i, line in enumerate(lines):
            out = Text(pad)
            if i == 0:
                out.append(label, style=label_style)
                out.append(gap)
            else:
                out.append(" " * width)
            start = len(out.plain)
            out.append(line[len(hang) :] if body else "")
            if style:
                out.stylize(style, start)
            out.rstrip()
            self._emit(out)


def _ellipsis(line: str, width: int) -> str:
    while line and cell_width(line) + 1 > width:
        line = line[:-1]
    return line.rstrip("，、；：") + "…"
