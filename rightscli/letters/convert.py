"""The one Markdown parser (markdown-it-py) and the writers for plain text, HTML and DOCX.

Templates produce a restricted Markdown; :func:`parse` reads it into a few block types, and each writer walks those:

* ``# title`` — the document title (centred); ``## heading`` and deeper — section headings;
* a paragraph — a single newline is a line break (markdown-it ``breaks``). A one-line paragraph is running text and is
  indented by two characters, as Chinese prose is; a paragraph of several lines (an address block) and a salutation
  (one line ending in ：) are set flush, except that a paragraph starting with 此致 is indented on its first line;
* numbered and bulleted lists (also nested), **bold**, *italic*, `code`, tables, ``---`` (a rule);
* ``> lines`` — the signature block, set flush right;
* a fenced code block — text to copy as it is (e.g. the short text for a platform's complaint form), in a box.

Raw HTML in the Markdown is off (markdown-it ``html=False``): ``<script>`` is text. The HTML writer escapes every
piece of text it writes and writes no links or scripts. python-docx is imported only by :func:`to_docx`.
"""

from __future__ import annotations

import html
import io
import unicodedata
from typing import Any

import msgspec
from markdown_it import MarkdownIt
from markdown_it.tree import SyntaxTreeNode
from msgspec import field

TEXT_WIDTH = 72  # display columns of the plain-text page (a CJK character is two)
INDENT = "　　"  # two ideographic spaces


class Run(msgspec.Struct, frozen=True):
    text: str
    bold: bool = False
    italic: bool = False
    code: bool = False


class Block(msgspec.Struct):
    kind: str  # title | heading | para | list | table | quote | code | rule
    runs: list[Run] = field(default_factory=list)
    level: int = 0
    ordered: bool = False
    start: int = 1
    items: list[list[Block]] = field(default_factory=list)
    rows: list[list[list[Run]]] = field(default_factory=list)  # table: first row is the header
    children: list[Block] = field(default_factory=list)
    text: str = ""

    def plain(self) -> str:
        return "".join(r.text for r in self.runs)

    def lines(self) -> list[str]:
        return self.plain().split("\n")

    def indented(self) -> bool:
        """Running text is indented by two characters; address blocks and the salutation are flush."""
        lines = self.lines()
        if lines[0].strip() == "此致":
            return True
        return len(lines) == 1 and not lines[0].rstrip().endswith("：")


def parser() -> MarkdownIt:
    return MarkdownIt("commonmark", {"html": False, "breaks": True, "linkify": False}).enable("table")


def parse(markdown: str) -> list[Block]:
    tree = SyntaxTreeNode(parser().parse(markdown))
    return _blocks(tree.children)


def _blocks(nodes: list[SyntaxTreeNode]) -> list[Block]:
    out: list[Block] = []
    for node in nodes:
        t = node.type
        if t == "heading":
            level = int(node.tag[1])
            out.append(Block("title" if level == 1 else "heading", _inline(node), level=level))
        elif t == "paragraph":
            out.append(Block("para", _inline(node)))
        elif t in ("bullet_list", "ordered_list"):
            start = int(node.attrs.get("start", 1) or 1) if t == "ordered_list" else 1
            items = [_blocks(item.children) for item in node.children]
            out.append(Block("list", ordered=t == "ordered_list", start=start, items=items))
        elif t == "blockquote":
            out.append(Block("quote", children=_blocks(node.children)))
        elif t in ("fence", "code_block"):
            out.append(Block("code", text=node.content.rstrip("\n")))
        elif t == "hr":
            out.append(Block("rule"))
        elif t == "table":
            rows = [[_inline(cell) for cell in tr.children] for part in node.children for tr in part.children]
            out.append(Block("table", rows=rows))
        else:  # html_block cannot occur (html is off); keep any other block's text
            out.append(Block("para", [Run(node.content)]))
    return out


def _inline(node: SyntaxTreeNode) -> list[Run]:
    runs: list[Run] = []
    for child in node.children:
        if child.type == "inline":
            runs.extend(_runs(child, False, False))
    return runs


def _runs(node: SyntaxTreeNode, bold: bool, italic: bool) -> list[Run]:
    out: list[Run] = []
    for child in node.children:
        t = child.type
        if t == "text":
            if child.content:
                out.append(Run(child.content, bold, italic))
        elif t in ("softbreak", "hardbreak"):
            out.append(Run("\n"))
        elif t == "strong":
            out.extend(_runs(child, True, italic))
        elif t == "em":
            out.extend(_runs(child, bold, True))
        elif t == "code_inline":
            out.append(Run(child.content, bold, italic, code=True))
        elif t == "link":
            out.extend(_runs(child, bold, italic))
            href = str(child.attrs.get("href", ""))
            if href and href != "".join(r.text for r in _runs(child, bold, italic)):
                out.append(Run(f"（{href}）", bold, italic))
        elif t == "image":
            out.extend(_runs(child, bold, italic))
        else:
            out.append(Run(child.content, bold, italic))
    return out


# -- plain text -----------------------------------------------------------------------------------------------


def width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def to_text(markdown: str) -> str:
    lines: list[str] = []
    for block in parse(markdown):
        lines.extend(_text_block(block, ""))
        lines.append("")
    while lines and not lines[-1]:
        lines.pop()
    return "\n".join(lines) + "\n"


def _text_block(block: Block, prefix: str) -> list[str]:
    kind = block.kind
    if kind == "title":
        text = block.plain()
        return [" " * max(0, (TEXT_WIDTH - width(text)) // 2) + text]
    if kind == "heading":
        return [prefix + block.plain()]
    if kind == "para":
        lines = block.lines()
        if block.indented():
            lines[0] = INDENT + lines[0]
        return [prefix + line for line in lines]
    if kind == "list":
        out: list[str] = []
        for number, item in enumerate(block.items, start=block.start):
            marker = f"{number}. " if block.ordered else "- "
            body: list[str] = []
            for sub in item:
                body.extend(_text_block(sub, "") if sub.kind != "para" else sub.lines())
            for i, line in enumerate(body or [""]):
                out.append(prefix + (marker if i == 0 else " " * len(marker)) + line)
        return out
    if kind == "quote":
        out = []
        for sub in block.children:
            for line in sub.lines() if sub.kind == "para" else _text_block(sub, ""):
                out.append(" " * max(0, TEXT_WIDTH - width(line)) + line)
        return out
    if kind == "code":
        return [prefix + "    " + line for line in block.text.split("\n")]
    if kind == "rule":
        return [prefix + "-" * TEXT_WIDTH]
    if kind == "table":
        return [
            prefix + " | ".join("".join(r.text for r in cell).replace("\n", " ") for cell in row) for row in block.rows
        ]
    return [prefix + block.plain()]


# -- HTML -----------------------------------------------------------------------------------------------------

CSS = """
@page { size: A4; margin: 25mm 22mm; }
body { font-family: "SimSun", "Songti SC", "Noto Serif CJK SC", "Source Han Serif SC", serif; font-size: 12pt;
       line-height: 1.8; color: #000; max-width: 166mm; margin: 2em auto; padding: 0 1em; }
h1 { font-family: "SimHei", "Heiti SC", "Noto Sans CJK SC", "Source Han Sans SC", sans-serif; font-size: 18pt;
     text-align: center; margin: 0.5em 0 1em; }
h2, h3, h4 { font-family: "SimHei", "Heiti SC", "Noto Sans CJK SC", "Source Han Sans SC", sans-serif;
             font-size: 14pt; margin: 1em 0 0.4em; }
p { margin: 0 0 0.6em; }
p.indent { text-indent: 2em; }
ol, ul { margin: 0 0 0.6em; padding-left: 2.5em; }
.signature { text-align: right; margin: 1.5em 0 0; }
.copy { white-space: pre-wrap; font-family: inherit; border: 1px solid #888; padding: 0.6em 0.8em; }
table { border-collapse: collapse; margin: 0 0 0.8em; }
th, td { border: 1px solid #888; padding: 0.2em 0.5em; vertical-align: top; text-align: left; }
hr { border: 0; border-top: 1px solid #888; margin: 1.5em 0; }
@media print { body { margin: 0; max-width: none; } }
""".strip()


def to_html(markdown: str, lang: str = "zh-CN") -> str:
    blocks = parse(markdown)
    title = next((b.plain() for b in blocks if b.kind == "title"), "")
    body = "\n".join(_html_block(b) for b in blocks)
    return (
        "<!DOCTYPE html>\n"
        f'<html lang="{html.escape(lang)}">\n<head>\n<meta charset="utf-8">\n'
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">\n"
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{html.escape(title)}</title>\n<style>\n{CSS}\n</style>\n</head>\n<body>\n{body}\n</body>\n</html>\n"
    )


def _html_runs(runs: list[Run]) -> str:
    out = []
    for r in runs:
        if r.text == "\n":
            out.append("<br>\n")
            continue
        text = html.escape(r.text, quote=True)
        if r.code:
            text = f"<code>{text}</code>"
        if r.italic:
            text = f"<em>{text}</em>"
        if r.bold:
            text = f"<strong>{text}</strong>"
        out.append(text)
    return "".join(out)


def _html_block(block: Block) -> str:
    kind = block.kind
    if kind == "title":
        return f"<h1>{_html_runs(block.runs)}</h1>"
    if kind == "heading":
        level = min(block.level, 4)
        return f"<h{level}>{_html_runs(block.runs)}</h{level}>"
    if kind == "para":
        css = ' class="indent"' if block.indented() else ""
        return f"<p{css}>{_html_runs(block.runs)}</p>"
    if kind == "list":
        tag = "ol" if block.ordered else "ul"
        start = f' start="{block.start}"' if block.ordered and block.start != 1 else ""
        items = []
        for item in block.items:
            inner = "".join(
                _html_runs(sub.runs) if sub.kind == "para" and len(item) == 1 else _html_block(sub) for sub in item
            )
            items.append(f"<li>{inner}</li>")
        return f"<{tag}{start}>\n" + "\n".join(items) + f"\n</{tag}>"
    if kind == "quote":
        inner = "\n".join(_html_runs(sub.runs) if sub.kind == "para" else _html_block(sub) for sub in block.children)
        return f'<div class="signature">{inner}</div>'
    if kind == "code":
        return f'<pre class="copy">{html.escape(block.text)}</pre>'
    if kind == "rule":
        return "<hr>"
    if kind == "table":
        rows = []
        for i, row in enumerate(block.rows):
            cell = "th" if i == 0 else "td"
            rows.append("<tr>" + "".join(f"<{cell}>{_html_runs(c)}</{cell}>" for c in row) + "</tr>")
        return "<table>\n" + "\n".join(rows) + "\n</table>"
    return f"<p>{_html_runs(block.runs)}</p>"


# -- DOCX -----------------------------------------------------------------------------------------------------

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


def to_docx(markdown: str, title: str = "") -> bytes:
    """A4 document with East Asian fonts set (w:eastAsia), a centred title and 1.5 line spacing.

    Written by :mod:`rightscli.letters.docx_writer` as python-docx would write it, without importing it; python-docx
    writes what that module does not (see there)."""
    from rightscli.letters import docx_writer

    blocks = parse(markdown)
    data = docx_writer.write(blocks, title)
    if data is not None:
        return data
    return python_docx(blocks, title)


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
