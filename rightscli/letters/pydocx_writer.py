"""The DOCX writer on python-docx: an A4 document with East Asian fonts set (w:eastAsia), a centred title and 1.5 line
spacing. :mod:`rightscli.letters.docx_writer` writes the same file without importing python-docx, from a skeleton this
writer makes once; this one writes whatever that one does not (see there). python-docx is imported only here.
"""

from __future__ import annotations

import io
from typing import Any

from rightscli.letters.convert import Block, Run, width

BODY_FONT = "SimSun"  # 宋体
TITLE_FONT = "SimHei"  # 黑体
LATIN_FONT = "Times New Roman"
BODY_PT = 12  # 小四
HEADING_PT = 14  # 四号
TITLE_PT = 18  # 小二
# Elements that follow w:lang in w:rPr and w:pBdr in w:pPr (ECMA-376 schema order), so that inserted elements land
# where Word expects them.
RPR_AFTER_LANG = ("w:eastAsianLayout", "w:specVanish", "w:oMath")
PPR_AFTER_PBDR = (
    "w:shd", "w:tabs", "w:suppressAutoHyphens", "w:kinsoku", "w:wordWrap", "w:overflowPunct", "w:topLinePunct",
    "w:autoSpaceDE", "w:autoSpaceDN", "w:bidi", "w:adjustRightInd", "w:snapToGrid", "w:spacing", "w:ind",
    "w:contextualSpacing", "w:mirrorIndents", "w:suppressOverlap", "w:jc", "w:textDirection", "w:textAlignment",
    "w:textboxTightWrap", "w:outlineLvl", "w:divId", "w:cnfStyle", "w:rPr", "w:sectPr", "w:pPrChange",
)  # fmt: skip


def python_docx(blocks: list[Block], title: str) -> bytes:
    """The letter written with python-docx."""
    from docx import Document

    doc = Document()
    writer = _DocxWriter(doc)
    writer.setup(title)
    first, last = closing_span(blocks)
    kept: list[Any] = []
    for i, block in enumerate(blocks):
        before = len(doc.paragraphs)
        writer.block(block, level=0)
        if first <= i <= last:  # 此致, the recipient and the signature: kept together on one page
            kept.extend(doc.paragraphs[before:])
    for p in kept:
        p.paragraph_format.keep_together = True
        p.paragraph_format.keep_with_next = p is not kept[-1]
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


def column_shares(rows: list[list[str]]) -> list[float]:
    """Each column's share of a table's width: at least a short header (序号) or three characters of a long one, its
    longest number or Latin word and its short cells; the rest in proportion to its longest text (display columns)."""
    import re

    count = len(rows[0])
    floors = []
    for j in range(count):
        runs = [len(x) for r in rows[1:] for x in re.findall(r"[0-9A-Za-z.,:/_-]+", r[j])]
        short = [width(r[j]) for r in rows if width(r[j]) <= 14]  # 了解□ 不了解□, 电子数据: kept on one line
        floors.append(max([min(width(rows[0][j]), 6), *runs, *short]) + 3)  # a long header may wrap once
    longest = [max(width(r[j]) for r in rows) + 3 for j in range(count)]
    total = max(sum(longest), 1)
    line = 70  # display columns of 12-point text across the page, cell padding included
    if sum(longest) <= line:
        return [x / total for x in longest]
    room = max(line - sum(floors), 0)
    extra = [max(0, longest[j] - floors[j]) for j in range(count)]
    sizes = [floors[j] + (room * extra[j] / sum(extra) if sum(extra) else 0) for j in range(count)]
    return [x / sum(sizes) for x in sizes]


def closing_span(blocks: list[Block]) -> tuple[int, int]:
    """The blocks from the paragraph that starts with 此致 to the signature block (``>``) after it, which a page break
    must not separate; (0, -1) when the letter has none."""
    for i, block in enumerate(blocks):
        if block.kind == "para" and block.lines()[0].strip() == "此致":
            end = next((j for j in range(i, len(blocks)) if blocks[j].kind == "quote"), i)
            return i, end
    return 0, -1


class _DocxWriter:
    def __init__(self, doc: Any) -> None:
        from docx.enum.text import WD_ALIGN_PARAGRAPH
        from docx.shared import Mm, Pt

        self.doc = doc
        self.Pt = Pt
        self.Mm = Mm
        self.align = WD_ALIGN_PARAGRAPH

    def setup(self, title: str) -> None:
        from docx.shared import RGBColor

        section = self.doc.sections[0]
        section.page_width, section.page_height = self.Mm(210), self.Mm(297)
        section.top_margin = section.bottom_margin = self.Mm(25)
        section.left_margin = section.right_margin = self.Mm(25)
        normal = self.doc.styles["Normal"]
        normal.font.size = self.Pt(BODY_PT)
        _set_fonts(normal.element, BODY_FONT)
        pf = normal.paragraph_format
        pf.line_spacing = 1.5
        pf.space_after = self.Pt(0)
        for name in ("Heading 1", "Heading 2", "Heading 3"):
            style = self.doc.styles[name]
            style.font.color.rgb = RGBColor(0, 0, 0)
            style.font.bold = True
            style.font.italic = False
            _set_fonts(style.element, TITLE_FONT)
        props = self.doc.core_properties
        props.title = title
        props.author = ""
        props.last_modified_by = ""
        props.comments = ""

    def block(self, block: Block, level: int) -> None:
        kind = block.kind
        if kind == "title":
            p = self.doc.add_paragraph(style="Heading 1")
            p.alignment = self.align.CENTER
            p.paragraph_format.space_before = self.Pt(6)
            p.paragraph_format.space_after = self.Pt(18)
            self.runs(p, block.runs, font=TITLE_FONT, size=TITLE_PT)
        elif kind == "heading":
            p = self.doc.add_paragraph(style="Heading 2")
            p.paragraph_format.space_before = self.Pt(12)
            p.paragraph_format.space_after = self.Pt(6)
            self.runs(p, block.runs, font=TITLE_FONT, size=HEADING_PT)
        elif kind == "para":
            p = self.doc.add_paragraph()
            if block.indented():
                p.paragraph_format.first_line_indent = self.Pt(BODY_PT * 2)
            p.paragraph_format.space_after = self.Pt(6)
            self.runs(p, block.runs)
        elif kind == "list":
            self.list(block, level)
        elif kind == "quote":
            for sub in block.children:
                p = self.doc.add_paragraph()
                p.alignment = self.align.RIGHT
                p.paragraph_format.space_before = self.Pt(12)
                self.runs(p, sub.runs if sub.kind == "para" else [Run(sub.plain())])
        elif kind == "code":
            p = self.doc.add_paragraph()
            p.paragraph_format.left_indent = self.Pt(BODY_PT)
            p.paragraph_format.right_indent = self.Pt(BODY_PT)
            _box(p)
            self.runs(p, [Run(part) if part else Run("") for part in _with_breaks(block.text)])
        elif kind == "rule":
            p = self.doc.add_paragraph()
            _rule(p)
        elif kind == "table":
            self.table(block)

    def list(self, block: Block, level: int) -> None:
        indent = self.Pt(BODY_PT * 2 * (level + 1))
        for number, item in enumerate(block.items, start=block.start):
            marker = f"{number}. " if block.ordered else "• "
            first = True
            for sub in item:
                if sub.kind == "list":
                    self.list(sub, level + 1)
                    continue
                p = self.doc.add_paragraph()
                p.paragraph_format.left_indent = indent
                p.paragraph_format.first_line_indent = -self.Pt(BODY_PT * 1.5) if first else None
                p.paragraph_format.space_after = self.Pt(3)
                runs = sub.runs if sub.kind == "para" else [Run(sub.plain())]
                self.runs(p, ([Run(marker)] if first else []) + runs)
                first = False

    def table(self, block: Block) -> None:
        columns = max((len(r) for r in block.rows), default=0)
        if not columns:
            return
        table = self.doc.add_table(rows=len(block.rows), cols=columns)
        table.style = "Table Grid"
        table.autofit = False
        texts = [["".join(r.text for r in cell) for cell in row] + [""] * (columns - len(row)) for row in block.rows]
        for j, share in enumerate(column_shares(texts)):
            table.columns[j].width = self.Mm(160 * share)  # the grid (LibreOffice reads it) and each cell (Word)
            for row in table.rows:
                row.cells[j].width = self.Mm(160 * share)
        for i, row in enumerate(block.rows):
            for j, cell_runs in enumerate(row):
                cell = table.cell(i, j)
                p = cell.paragraphs[0]
                p.paragraph_format.line_spacing = 1.2
                runs = [Run(r.text, True, r.italic, r.code) for r in cell_runs] if i == 0 else cell_runs
                self.runs(p, runs)
        self.doc.add_paragraph()

    def runs(self, paragraph: Any, runs: list[Run], font: str = BODY_FONT, size: int | None = None) -> None:
        for r in runs:
            if r.text == "\n":
                run = paragraph.add_run()
                run.add_break()
                _set_fonts(run._element, font)
                continue
            run = paragraph.add_run(r.text)
            run.bold = r.bold or None
            run.italic = r.italic or None
            if size:
                run.font.size = self.Pt(size)
            _set_fonts(run._element, font)


def _with_breaks(text: str) -> list[str]:
    parts: list[str] = []
    for i, line in enumerate(text.split("\n")):
        if i:
            parts.append("\n")
        parts.append(line)
    return parts


def _set_fonts(element: Any, east_asian: str) -> None:
    """Set Latin and East Asian fonts on a style or run, dropping theme fonts that would override them."""
    from docx.oxml.ns import qn

    rpr = element.get_or_add_rPr()
    fonts = rpr.get_or_add_rFonts()
    for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        fonts.attrib.pop(qn(attr), None)
    fonts.set(qn("w:ascii"), LATIN_FONT)
    fonts.set(qn("w:hAnsi"), LATIN_FONT)
    fonts.set(qn("w:eastAsia"), east_asian)
    fonts.set(qn("w:cs"), LATIN_FONT)
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = rpr.makeelement(qn("w:lang"), {})
        rpr.insert_element_before(lang, *RPR_AFTER_LANG)
    lang.set(qn("w:eastAsia"), "zh-CN")


def _border(paragraph: Any, sides: tuple[str, ...]) -> None:
    from docx.oxml.ns import qn

    ppr = paragraph._p.get_or_add_pPr()
    borders = ppr.makeelement(qn("w:pBdr"), {})
    for side in sides:
        edge = borders.makeelement(
            qn(f"w:{side}"), {qn("w:val"): "single", qn("w:sz"): "6", qn("w:space"): "4", qn("w:color"): "888888"}
        )
        borders.append(edge)
    ppr.insert_element_before(borders, *PPR_AFTER_PBDR)


def _box(paragraph: Any) -> None:
    _border(paragraph, ("top", "left", "bottom", "right"))


def _rule(paragraph: Any) -> None:
    _border(paragraph, ("bottom",))
