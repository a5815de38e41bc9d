"""The one Markdown parser and its writers: plain text, a standalone HTML page that escapes the case's text, and a
DOCX read back with python-docx."""

from __future__ import annotations

import io
import re
from datetime import date
from pathlib import Path

import pytest

from rightscli import datafile
from rightscli.case import validate_case
from rightscli.catalog import Catalog, templates_dir
from rightscli.engine import assess
from rightscli.letters import convert, docx_writer
from rightscli.letters.context import build_letter_context
from rightscli.letters.render import render

ROOT = Path(__file__).parent.parent
BASE = ROOT / "tests" / "scenarios" / "base_case.yaml"
EVIL = "<script>alert('x')</script> <img src=x onerror=alert(1)> [点我](javascript:alert(1)) **粗** & &amp;"

SAMPLE = """# 投诉书

投诉人：张三
联系电话：138

## 一、投诉请求

1. 请求退还货款299.00元（大写：人民币贰佰玖拾玖元整）。
2. 请求**赔偿**。

正文一段，第一行缩进。

- 甲
- 乙

| 序号 | 证据 |
| --- | --- |
| 1 | 订单截图 |

此致
某某局

> 投诉人（签名）：张三
> 2026年11月20日

---

```
表单文字
第二行
```
"""


def letter_md(catalog: Catalog, recipient: str = "regulator", **problem: object) -> str:
    doc = datafile.load(str(BASE))
    doc.data["problem"].update({"kinds": ["quality_defect"], **problem})
    case = validate_case(doc)
    result = assess(case, catalog, date(2026, 11, 15))
    ctx = build_letter_context(result, recipient)
    return render([f"letters/{recipient}.md.j2"], ctx.values, None, templates_dir())


def test_parse_recognises_the_restricted_markdown() -> None:
    kinds = [b.kind for b in convert.parse(SAMPLE)]
    assert kinds == ["title", "para", "heading", "list", "para", "list", "table", "para", "quote", "rule", "code"]
    blocks = convert.parse(SAMPLE)
    assert blocks[1].lines() == ["投诉人：张三", "联系电话：138"]
    assert not blocks[1].indented() and blocks[4].indented() and blocks[7].indented()
    assert any(r.bold and r.text == "赔偿" for r in blocks[3].items[1][0].runs)


def test_text_output() -> None:
    text = convert.to_text(SAMPLE)
    lines = text.splitlines()
    assert lines[0].strip() == "投诉书" and lines[0].startswith(" " * 10)
    assert "1. 请求退还货款299.00元（大写：人民币贰佰玖拾玖元整）。" in lines
    assert "2. 请求赔偿。" in lines  # no Markdown marks
    assert "　　正文一段，第一行缩进。" in lines
    assert "　　此致" in lines and "某某局" in lines
    assert any(line.endswith("2026年11月20日") and line.startswith(" " * 20) for line in lines)
    assert "    表单文字" in lines
    assert "#" not in text and "**" not in text and "```" not in text


def test_html_is_standalone_and_printable() -> None:
    page = convert.to_html(SAMPLE)
    assert page.startswith("<!DOCTYPE html>") and page.rstrip().endswith("</html>")
    assert '<meta charset="utf-8">' in page and "@page { size: A4" in page
    assert "<title>投诉书</title>" in page and "<h1>投诉书</h1>" in page
    assert '<p class="indent">正文一段，第一行缩进。</p>' in page
    assert '<div class="signature">' in page and "<table>" in page
    assert "<script" not in page and "src=" not in page


def test_html_escapes_everything_from_the_case(catalog: Catalog) -> None:
    md = letter_md(catalog, description=EVIL)
    page = convert.to_html(md)
    assert "<script" not in page and "<img" not in page and "<a " not in page
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in page
    assert "&lt;img src=x onerror=alert(1)&gt;" in page
    assert "javascript:alert(1)" in page  # shown as text, never a link
    assert "**粗** &amp; &amp;amp;" in page  # the buyer's text, character for character
    assert re.search(r"<(?!/?(html|head|meta|title|style|body|h[1-4]|p|br|ol|ul|li|div|pre|hr|table|tr|th|td|"
                     r"strong|em|code)\b)[a-z]", page) is None  # fmt: skip


def test_text_keeps_the_case_text_literally(catalog: Catalog) -> None:
    text = convert.to_text(letter_md(catalog, description=EVIL))
    assert EVIL in text


def test_docx_reads_back(catalog: Catalog) -> None:
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml.ns import qn
    from docx.shared import Mm

    md = letter_md(catalog, "platform", description=EVIL)
    data = docx_writer.to_docx(md, title="平台介入申请书")
    assert data[:2] == b"PK"
    doc = Document(io.BytesIO(data))
    section = doc.sections[0]
    assert abs(section.page_width - Mm(210)) < Mm(1) and abs(section.page_height - Mm(297)) < Mm(1)
    paragraphs = doc.paragraphs
    title = paragraphs[0]
    assert title.text == "平台介入申请书"
    assert title.alignment == WD_ALIGN_PARAGRAPH.CENTER
    assert title.runs[0]._element.rPr.rFonts.get(qn("w:eastAsia")) == "SimHei"
    body_fonts = {r._element.rPr.rFonts.get(qn("w:eastAsia")) for p in paragraphs[1:] for r in p.runs if r.text}
    assert body_fonts <= {"SimSun", "SimHei"} and "SimSun" in body_fonts
    normal = doc.styles["Normal"]
    assert normal.element.rPr.rFonts.get(qn("w:eastAsia")) == "SimSun"
    assert normal.paragraph_format.line_spacing == 1.5
    text = "\n".join(p.text for p in paragraphs)
    assert "一、申请事项" in text and "二、事实与理由" in text and "四、证据目录" in text
    assert EVIL in text  # the buyer's text arrives unchanged, as text
    signature = [p for p in paragraphs if p.text.startswith("申请人（签名）")]
    assert signature and signature[0].alignment == WD_ALIGN_PARAGRAPH.RIGHT
    assert any(p.text.startswith("订单号100000000001") for p in paragraphs)  # the form text box
    assert doc.core_properties.title == "平台介入申请书"
    assert doc.core_properties.author == ""


def test_docx_tables_and_lists() -> None:
    from docx import Document

    doc = Document(io.BytesIO(docx_writer.to_docx(SAMPLE)))
    assert len(doc.tables) == 1
    assert doc.tables[0].cell(1, 1).text == "订单截图"
    assert any(p.text == "1. 请求退还货款299.00元（大写：人民币贰佰玖拾玖元整）。" for p in doc.paragraphs)
    assert any(p.text == "• 甲" for p in doc.paragraphs)


@pytest.mark.parametrize("fmt", ["txt", "html"])
def test_markdown_from_templates_converts_without_loss_of_sections(catalog: Catalog, fmt: str) -> None:
    md = letter_md(catalog, "association")
    out = convert.to_text(md) if fmt == "txt" else convert.to_html(md)
    for heading in ("消费者投诉书", "一、投诉请求", "二、事实与理由", "三、协商经过", "四、证据目录", "此致"):
        assert heading in out


def test_salutation_is_flush_and_prose_is_indented() -> None:
    blocks = convert.parse("某某店：\n\n本人于2026年11月8日购买商品。\n")
    assert [b.indented() for b in blocks] == [False, True]
    assert convert.to_text("某某店：\n\n正文。\n").splitlines() == ["某某店：", "", "　　正文。"]


def test_docx_keeps_the_closing_on_one_page(catalog: Catalog) -> None:
    """此致, the recipient and the signature: each paragraph keeps with the next, the last one closes the group."""
    from docx import Document

    md = letter_md(catalog, "merchant")
    doc = Document(io.BytesIO(docx_writer.to_docx(md, title="催告函")))
    texts = [p.text for p in doc.paragraphs]
    start = next(i for i, t in enumerate(texts) if t.startswith("此致"))
    end = next(i for i, t in enumerate(texts) if "（签名）" in t)  # the signature with its date
    group = doc.paragraphs[start : end + 1]
    assert len(group) >= 2
    assert all(p.paragraph_format.keep_together for p in group)
    assert all(p.paragraph_format.keep_with_next for p in group[:-1])
    assert not group[-1].paragraph_format.keep_with_next
