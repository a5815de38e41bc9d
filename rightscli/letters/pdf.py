"""The PDF writer: the restricted Markdown of a letter or checklist (parsed by :mod:`rightscli.letters.convert`) as an
A4 PDF whose Chinese text renders on any machine and can be extracted.

Why reportlab, measured against the alternatives (README, "PDF output"): among the libraries that install from PyPI
alone it adds the least (reportlab 9 MB + Pillow 22 MB + charset-normalizer 1 MB, against fpdf2's 54 MB with
fontTools; WeasyPrint adds 71 MB and needs the system's Pango; LibreOffice is no Python package at all), imports
fastest (~0.2 s; fpdf2 ~0.4 s and ~0.6 s more to subset a CFF font; WeasyPrint ~1 s and ~2 s per page), and its
flowables give what a filed document needs: paragraphs that wrap Chinese, tables whose header row repeats on each
page, a block kept on one page (此致, the recipient and the signature), page numbers.

* **Font.** A machine may have no Chinese font at all, so the package carries one: ``fonts/RightsSerifSC-Regular.ttf``,
  a 宋体-style subset of Noto Serif CJK SC (SIL OFL 1.1; GB 2312 and the 通用规范汉字表, 3.6 MB; tools/build_font.py).
  It is embedded as a subset, with a ToUnicode map, so the text renders and extracts everywhere. A character the subset
  lacks is set in reportlab's built-in STSong-Light (named, not embedded: most readers in China substitute 宋体) and
  reported by :func:`to_pdf`, so that the buyer can check it.
* **Line breaking.** Chinese wraps between any two characters, but a line never starts with closing punctuation
  (，。；：、！？）》” …): reportlab's list of such characters is Japanese and lacks the fullwidth comma, so it is
  extended here for both of its wrapping paths (:func:`_extend_kinsoku`). Runs of Latin letters and digits (an
  order number, a credit code) are not split where a break before them is possible.
* **Layout.** A4, margins 25 mm left/right and 25 mm top/bottom like the DOCX writer; title 18 pt (小二), headings
  14 pt (四号), text 12 pt (小四) with line height 1.75 and running text indented by two characters, justified; the
  signature block flush right; tables with a grid and their header row repeated; "第 N 页 共 M 页" at the foot.

reportlab is imported only here, and this module only by :func:`rightscli.letters.letter.convert` for ``pdf``.
"""

from __future__ import annotations

import io
import re
from functools import cache
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from rightscli.letters.convert import Block, Run, parse

FONT = "RightsSerifSC"
FALLBACK = "STSong-Light"
FONT_FILE = Path(__file__).resolve().parent.parent / "fonts" / "RightsSerifSC-Regular.ttf"
BODY_PT = 12
HEADING_PT = 14
TITLE_PT = 18
SMALL_PT = 10
LEADING = 1.75
MARGIN_MM = 25
# Closing punctuation that never starts a line, and opening punctuation that never ends one (Chinese typesetting
# practice, GB/T 15834 marks).
CANNOT_START = "，。、；：！？）》」』】〕〗〉”’…—·％‰℃,.;:!?)]}"
CANNOT_END = "（《「『【〔〖〈“‘([{"


@cache
def _setup() -> frozenset[int]:
    """Register the fonts once per process; returns the code points the bundled font covers."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfbase.ttfonts import TTFont

    font = TTFont(FONT, str(FONT_FILE))
    pdfmetrics.registerFont(font)
    pdfmetrics.registerFont(UnicodeCIDFont(FALLBACK))
    _extend_kinsoku()
    return frozenset(font.face.charToGlyph)


def _extend_kinsoku() -> None:
    """Chinese line breaking for reportlab's two CJK wrapping paths.

    A paragraph in one font (nearly all) is split by :func:`split_line`, put in place of reportlab's ``wordSplit``,
    which only hangs one closing mark in the margin (so 出具）\n，另附 could start a line with a comma) and lets an
    opening bracket end a line. A paragraph with a fallback-font run goes through reportlab's own splitter, whose
    list of characters that cannot start a line (``ALL_CANNOT_START``, Japanese) gets the Chinese ones added.
    """
    from reportlab.lib import textsplit
    from reportlab.platypus import paragraph

    extra = "".join(ch for ch in CANNOT_START if ch not in textsplit.ALL_CANNOT_START)
    textsplit.ALL_CANNOT_START += extra
    paragraph.ALL_CANNOT_START = textsplit.ALL_CANNOT_START
    paragraph.wordSplit = split_line


def _joined(a: str, b: str) -> bool:
    """No break between a and b: a closing mark after b's place, an opening mark before it, or inside a run of Latin
    letters, digits and their punctuation (an order number, an amount, a credit code, a file name 1-1.png)."""
    latin = a.isascii() and b.isascii() and a.isprintable() and b.isprintable() and " " not in (a, b)
    return b in CANNOT_START or a in CANNOT_END or latin


def split_line(word: str, max_widths: Any, font_name: str, font_size: float, encoding: str = "utf8") -> list[Any]:
    """``word`` broken into lines no wider than ``max_widths`` (one per line; the last repeats), as reportlab's
    ``wordSplit`` returns them: ``[[unused width, text], …]``. A break moves back over characters that must stay
    together; where nothing is left on the line, a closing mark hangs in the margin instead."""
    from reportlab.pdfbase.pdfmetrics import stringWidth

    widths_list = max_widths if isinstance(max_widths, list | tuple) else [max_widths]
    widths = [stringWidth(ch, font_name, font_size) for ch in word]
    lines: list[Any] = []
    start = 0
    while start < len(word):
        limit = widths_list[min(len(lines), len(widths_list) - 1)]
        used, i = 0.0, start
        while i < len(word) and used + widths[i] <= limit + 1e-6:
            used += widths[i]
            i += 1
        if i >= len(word):
            lines.append([limit - used, word[start:]])
            break
        if i == start:  # not even one character fits
            i = start + 1
        brk = i
        while brk > start + 1 and _joined(word[brk - 1], word[brk]):
            brk -= 1
        if brk == start + 1 and _joined(word[brk - 1], word[brk]):  # nothing to move back to
            brk = i + 1 if word[i] in CANNOT_START else i
        text = word[start:brk]
        lines.append([limit - sum(widths[start:brk]), text.rstrip()])
        start = brk
        while start < len(word) and word[start] == " ":
            start += 1
    return lines


class _Writer:
    def __init__(self, covered: frozenset[int]) -> None:
        from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_LEFT, TA_RIGHT
        from reportlab.lib.styles import ParagraphStyle

        self.covered = covered
        self.missing: dict[str, None] = {}

        def style(name: str, size: float, **kw: Any) -> ParagraphStyle:
            base = {"fontName": FONT, "fontSize": size, "leading": size * LEADING, "wordWrap": "CJK"}
            return ParagraphStyle(name, **{**base, **kw})

        self.title = style("title", TITLE_PT, alignment=TA_CENTER, leading=TITLE_PT * 1.5, spaceAfter=BODY_PT)
        self.heading = style("heading", HEADING_PT, spaceBefore=HEADING_PT * 0.6, spaceAfter=4, keepWithNext=True)
        self.body = style("body", BODY_PT, alignment=TA_JUSTIFY, spaceAfter=4)
        self.indented = style("indented", BODY_PT, alignment=TA_JUSTIFY, spaceAfter=4, firstLineIndent=BODY_PT * 2)
        self.flush = style("flush", BODY_PT, alignment=TA_LEFT, spaceAfter=4)
        self.right = style("right", BODY_PT, alignment=TA_RIGHT)
        self.cell = style("cell", SMALL_PT, alignment=TA_LEFT, leading=SMALL_PT * 1.45)
        self.head_cell = style("head_cell", SMALL_PT, alignment=TA_CENTER, leading=SMALL_PT * 1.45)
        self.code = style("code", BODY_PT, alignment=TA_LEFT, leading=BODY_PT * 1.6)

    # -- text -------------------------------------------------------------------------------------------------------
    def markup(self, text: str) -> str:
        """Text → reportlab paragraph markup: escaped, line breaks as <br/>, characters the bundled font lacks in the
        fallback font."""
        out: list[str] = []
        run: list[str] = []
        fallback = False

        def flush() -> None:
            if run:
                piece = escape("".join(run))
                out.append(f'<font name="{FALLBACK}">{piece}</font>' if fallback else piece)
                run.clear()

        for ch in text:
            if ch == "\n":
                flush()
                out.append("<br/>")
                continue
            missing = ord(ch) not in self.covered and not ch.isspace()
            if missing:
                self.missing[ch] = None
            if missing != fallback:
                flush()
                fallback = missing
            run.append(ch)
        flush()
        return "".join(out)

    def runs(self, runs: list[Run]) -> str:
        return self.markup("".join(r.text for r in runs))

    def para(self, text: str, style: Any) -> Any:
        from reportlab.platypus import Paragraph

        return Paragraph(text, style)

    # -- blocks -----------------------------------------------------------------------------------------------------
    def blocks(self, blocks: list[Block]) -> list[Any]:
        """Flowables for the blocks; the closing (此致 … up to the signature) is kept on one page."""
        from reportlab.platypus import KeepTogether

        story: list[Any] = []
        i = 0
        while i < len(blocks):
            block = blocks[i]
            if block.kind == "para" and block.lines()[0].strip() == "此致":
                end = next((j for j in range(i, len(blocks)) if blocks[j].kind == "quote"), i)
                group: list[Any] = []
                for b in blocks[i : end + 1]:
                    group.extend(self.block(b, 0))
                story.append(KeepTogether(group))
                i = end + 1
                continue
            story.extend(self.block(block, 0))
            i += 1
        return story

    def block(self, block: Block, level: int) -> list[Any]:
        kind = block.kind
        if kind == "title":
            return [self.para(self.runs(block.runs), self.title)]
        if kind == "heading":
            return [self.para(self.runs(block.runs), self.heading)]
        if kind == "para":
            style = self.indented if block.indented() else self.flush if len(block.lines()) > 1 else self.body
            return [self.para(self.runs(block.runs), style)]
        if kind == "list":
            return self.list(block, level)
        if kind == "quote":
            out = []
            for sub in block.children:
                text = sub.plain() if sub.kind != "para" else "".join(r.text for r in sub.runs)
                out.append(self.para(self.markup(text), self.right))
            return out
        if kind == "code":
            from reportlab.platypus import Spacer

            return [self.boxed(block.text), Spacer(1, BODY_PT * 0.6)]
        if kind == "rule":
            from reportlab.platypus import HRFlowable

            return [HRFlowable(width="100%", thickness=0.5, color="#888888", spaceBefore=6, spaceAfter=6)]
        if kind == "table":
            from reportlab.platypus import Spacer

            return [self.table(block), Spacer(1, BODY_PT * 0.6)]  # the text after a table does not touch its grid
        return [self.para(self.runs(block.runs), self.body)]

    def list(self, block: Block, level: int) -> list[Any]:
        from reportlab.lib.styles import ParagraphStyle

        indent = BODY_PT * 2 * (level + 1)
        out: list[Any] = []
        for number, item in enumerate(block.items, start=block.start):
            marker = f"{number}. " if block.ordered else "• "
            first = True
            for sub in item:
                if sub.kind == "list":
                    out.extend(self.list(sub, level + 1))
                    continue
                style = ParagraphStyle(
                    f"item{level}", parent=self.body, leftIndent=indent, firstLineIndent=-BODY_PT * 1.5 if first else 0
                )
                text = "".join(r.text for r in sub.runs) if sub.kind == "para" else sub.plain()
                out.append(self.para(self.markup((marker if first else "") + text), style))
                first = False
        return out

    def boxed(self, text: str) -> Any:
        from reportlab.platypus import Table, TableStyle

        box = Table([[self.para(self.markup(text), self.code)]], colWidths=["100%"])
        box.setStyle(
            TableStyle(
                [
                    ("FONT", (0, 0), (-1, -1), FONT, BODY_PT),
                    ("BOX", (0, 0), (-1, -1), 0.6, "#888888"),
                    ("LEFTPADDING", (0, 0), (-1, -1), 8),
                    ("RIGHTPADDING", (0, 0), (-1, -1), 8),
                    ("TOPPADDING", (0, 0), (-1, -1), 6),
                    ("BOTTOMPADDING", (0, 0), (-1, -1), 6),
                ]
            )
        )
        return box

    def table(self, block: Block) -> Any:
        from reportlab.platypus import Table, TableStyle

        columns = max(len(r) for r in block.rows)
        texts = [["".join(r.text for r in cell) for cell in row] + [""] * (columns - len(row)) for row in block.rows]
        data = [
            [self.para(self.markup(t), self.head_cell if i == 0 else self.cell) for t in row]
            for i, row in enumerate(texts)
        ]
        table = Table(data, colWidths=_column_widths(texts, _text_width()), repeatRows=1, hAlign="LEFT")
        table.setStyle(
            TableStyle(
                [
                    ("FONT", (0, 0), (-1, -1), FONT, SMALL_PT),  # reportlab's default would add Helvetica
                    ("GRID", (0, 0), (-1, -1), 0.5, "#000000"),
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                    ("VALIGN", (0, 0), (-1, 0), "MIDDLE"),
                    ("LEFTPADDING", (0, 0), (-1, -1), 3),
                    ("RIGHTPADDING", (0, 0), (-1, -1), 3),
                ]
            )
        )
        return table


def _text_width() -> float:
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.units import mm

    return float(A4[0] - 2 * MARGIN_MM * mm)


def _column_widths(rows: list[list[str]], total: float) -> list[float]:
    """Column widths: each column at least as wide as its header (so that 序号 and 页码/份数 stay on one line), its
    longest word-like run and its short cells; the room left is shared in proportion to each column's longest text."""
    from reportlab.pdfbase.pdfmetrics import stringWidth

    pad = 6.5  # left and right padding, and the grid
    count = len(rows[0])

    def text_width(text: str) -> float:
        return stringWidth(text, FONT, SMALL_PT)

    from rightscli.letters.convert import width

    floors = []
    for j in range(count):
        runs = [run for r in rows[1:] for run in re.findall(r"[0-9A-Za-z.,:/_-]+", r[j])]
        short = [r[j] for r in rows[1:] if width(r[j]) <= (20 if count <= 2 else 8)]  # 是□ 否□ 暂不确定□, 电子数据
        floors.append(max([text_width(rows[0][j])] + [text_width(x) for x in runs + short]) + pad)
    if sum(floors) >= total:
        return [f * total / sum(floors) for f in floors]
    longest = [max(text_width(r[j]) for r in rows) + pad for j in range(count)]
    extra = [max(0.0, min(longest[j], total) - floors[j]) for j in range(count)]
    room = total - sum(floors)
    if sum(extra) <= room:  # everything fits on one line: the table is as wide as its content
        return [floors[j] + extra[j] for j in range(count)]
    return [floors[j] + room * extra[j] / sum(extra) for j in range(count)]


def to_pdf(markdown: str, title: str = "") -> tuple[bytes, list[str]]:
    """The PDF, and the characters that the bundled font lacks (set in the fallback font) in order of appearance."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.units import mm
    from reportlab.platypus import SimpleDocTemplate

    writer = _Writer(_setup())
    story = writer.blocks(parse(markdown))
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=MARGIN_MM * mm,
        rightMargin=MARGIN_MM * mm,
        topMargin=MARGIN_MM * mm,
        bottomMargin=MARGIN_MM * mm,
        title=title,
        author="",
        subject="",
        creator="rightscli",
        producer="rightscli (reportlab)",
        lang="zh-CN",
        initialFontName=FONT,  # otherwise every page refers to Helvetica, a font that is not embedded
        initialFontSize=BODY_PT,
    )
    doc.build(story, canvasmaker=_numbered_canvas())
    return buffer.getvalue(), list(writer.missing)


@cache
def _numbered_canvas() -> type:
    """A canvas that writes "第 N 页 共 M 页" at the foot of every page once the number of pages is known."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.units import mm
    from reportlab.pdfgen.canvas import Canvas

    class NumberedCanvas(Canvas):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self._pages: list[dict[str, Any]] = []

        def showPage(self) -> None:
            self._pages.append(dict(self.__dict__))
            self._startPage()

        def save(self) -> None:
            total = len(self._pages)
            for state in self._pages:
                self.__dict__.update(state)
                self.setFont(FONT, SMALL_PT)
                self.drawCentredString(A4[0] / 2, 12 * mm, f"第 {self._pageNumber} 页 共 {total} 页")
                super().showPage()
            super().save()

    return NumberedCanvas
