"""The one Markdown parser (markdown-it-py) and the writers for plain text and HTML (DOCX:
:mod:`rightscli.letters.docx_writer`; PDF: :mod:`rightscli.letters.pdf`).

Templates produce a restricted Markdown; :func:`parse` reads it into a few block types, and each writer walks those:

* ``# title`` — the document title (centred); ``## heading`` and deeper — section headings;
* a paragraph — a single newline is a line break (markdown-it ``breaks``). A one-line paragraph is running text and is
  indented by two characters, as Chinese prose is; a paragraph of several lines (an address block) and a salutation
  (one line ending in ：) are set flush, except that a paragraph starting with 此致 is indented on its first line;
* numbered and bulleted lists (also nested), **bold**, *italic*, `code`, tables, ``---`` (a rule);
* ``> lines`` — the signature block, set flush right;
* a fenced code block — text to copy as it is (e.g. the short text for a platform's complaint form), in a box.

Raw HTML in the Markdown is off (markdown-it ``html=False``): ``<script>`` is text. The HTML writer escapes every
piece of text it writes and writes no links or scripts.
"""

from __future__ import annotations

import html
import unicodedata

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
