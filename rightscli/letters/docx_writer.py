"""DOCX letters written directly: the XML python-docx writes for a letter, without importing it (~40 ms a letter).

:mod:`rightscli.letters.pydocx_writer` builds a letter with python-docx: a document from python-docx's template,
styled by ``_DocxWriter.setup`` (fonts, sizes, A4 margins), then one paragraph or table per block. Everything but the
body and the title is the same for every letter, so python-docx builds that once — the *skeleton*: every part of the
saved package as bytes, with ``word/document.xml`` and ``docProps/core.xml`` cut where the body and the title go. It is
shipped in the wheel (``rightscli/_data/prebuilt``) or made on the first DOCX letter and kept in the cache folder
(data; read only when private). :func:`write` fills in the body and the title as python-docx serializes them — the same
elements, attributes in the same order, the same escaping — and zips the parts in python-docx's order with its
compression: the file is the one python-docx writes (tests compare them part by part, byte for byte).

Anything outside what the letters use (a character XML cannot hold, a title over 255 characters, a block of another
kind, any error) returns None, and python-docx writes the letter instead, as before (and reports what it reports).
"""

from __future__ import annotations

import io
import time
import zlib
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rightscli import __version__

if TYPE_CHECKING:
    from rightscli.letters.convert import Block, Run

SKELETON = "docx-skeleton.msgpack"
FORMAT = 2  # 2: constant parts stored deflated
TITLE_MARK = "\ue000rightscli-title\ue000"  # a private-use character: never in python-docx's own parts
DOCUMENT = "word/document.xml"
CORE = "docProps/core.xml"
EMU_PER_PT = 12700
EMU_PER_MM = 36000
EMU_PER_TWIP = 635.0


class Fallback(Exception):
    """python-docx writes this letter."""


def to_docx(markdown: str, title: str = "") -> bytes:
    """A4 document with East Asian fonts set (w:eastAsia), a centred title and 1.5 line spacing.

    Written here as python-docx would write it, without importing it; python-docx writes what this module does not
    (:mod:`rightscli.letters.pydocx_writer`)."""
    from rightscli.letters.convert import parse

    blocks = parse(markdown)
    data = write(blocks, title)
    if data is not None:
        return data
    from rightscli.letters.pydocx_writer import python_docx

    return python_docx(blocks, title)


def write(blocks: list[Block], title: str) -> bytes | None:
    """The DOCX of ``blocks`` with ``title``, as python-docx would write it; None: let python-docx write it."""
    try:
        skeleton = _skeleton()
        if skeleton is None:
            return None
        body = _Body(skeleton["fonts"]).document(blocks)
        if len(title) > 255:
            raise Fallback("title")  # python-docx refuses a longer core property
        entries = []
        for name, part in skeleton["parts"]:
            if name == DOCUMENT:
                entries.append(_entry(name, part[0] + body.encode("utf-8") + part[1]))
            elif name == CORE:
                entries.append(_entry(name, part[0] + _text(title).encode("utf-8") + part[1]))
            else:
                entries.append((name, *part))  # compressed once, with the skeleton
        return _zip(entries, time.localtime(time.time())[:6])
    except Exception:
        return None


# -- the package: a zip as zipfile.ZipFile(…, "w", ZIP_DEFLATED).writestr writes it (python-docx's PhysPkgWriter) --

_LOCAL = "<4s2B4HL2L2H"  # zipfile.structFileHeader
_CENTRAL = "<4s4B4HL2L5H2L"  # zipfile.structCentralDir
_END = "<4s4H2LH"  # zipfile.structEndArchive


def _entry(name: str, data: bytes) -> tuple[str, int, bytes, int]:
    """(name, CRC-32, data deflated as zipfile deflates it, size)."""
    compressor = zlib.compressobj(zlib.Z_DEFAULT_COMPRESSION, zlib.DEFLATED, -15)
    return name, zlib.crc32(data), compressor.compress(data) + compressor.flush(), len(data)


def _zip(entries: list[tuple[str, int, bytes, int]], date_time: tuple[int, ...]) -> bytes:
    """The archive zipfile writes for these entries (ASCII names, no zip64), every entry dated ``date_time``."""
    import struct

    dosdate = (date_time[0] - 1980) << 9 | date_time[1] << 5 | date_time[2]
    dostime = date_time[3] << 11 | date_time[4] << 5 | (date_time[5] // 2)
    out = io.BytesIO()
    central = []
    for name, crc, data, size in entries:
        raw = name.encode("ascii")
        offset = out.tell()
        out.write(struct.pack(_LOCAL, b"PK\x03\x04", 20, 0, 0, 8, dostime, dosdate, crc, len(data), size, len(raw), 0))
        out.write(raw)
        out.write(data)
        central.append(
            struct.pack(
                _CENTRAL, b"PK\x01\x02", 20, 3, 20, 0, 0, 8, dostime, dosdate, crc, len(data), size, len(raw),
                0, 0, 0, 0, 0o600 << 16, offset,
            ) + raw
        )  # fmt: skip
    start = out.tell()
    out.write(b"".join(central))
    out.write(struct.pack(_END, b"PK\x05\x06", 0, 0, len(entries), len(entries), out.tell() - start, start, 0))
    return out.getvalue()


# -- the body ---------------------------------------------------------------------------------------------------------


def _twips(emu: int) -> int:
    return round(emu / EMU_PER_TWIP)  # python-docx's Length.twips: int(round(float))


def pt_twips(points: float) -> int:
    return _twips(int(points * EMU_PER_PT))  # Pt(points).twips


def mm_twips(mm: float) -> int:
    return _twips(int(mm * EMU_PER_MM))  # Mm(mm).twips


_INVALID = frozenset(chr(c) for c in (*range(0x09), 0x0B, 0x0C, *range(0x0E, 0x20), 0xFFFE, 0xFFFF))


def _text(text: str) -> str:
    """Text as lxml serializes it (and refuses what it refuses: python-docx then reports it)."""
    if not _INVALID.isdisjoint(text) or any(0xD800 <= ord(c) <= 0xDFFF for c in text):
        raise Fallback("character")
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\r", "&#13;")


class _Body:
    """The body's XML, block by block, as pydocx_writer._DocxWriter builds it with python-docx."""

    def __init__(self, fonts: dict[str, str]) -> None:
        # BODY_FONT, TITLE_FONT, LATIN_FONT and the sizes, from pydocx_writer (in the skeleton's key)
        self.fonts = fonts
        self.items: list[list[str]] = []  # body-level elements: [kind, pPr children, content] for paragraphs

    def document(self, blocks: list[Block]) -> str:
        from rightscli.letters.pydocx_writer import closing_span

        first, last = closing_span(blocks)
        kept: list[list[str]] = []
        for i, block in enumerate(blocks):
            before = len(self.items)
            self.block(block, 0)
            if first <= i <= last:  # 此致 … signature: kept together (pydocx_writer)
                kept.extend(item for item in self.items[before:] if item[0] == "p")
        for item in kept:
            keep_next = "<w:keepNext/>" if item is not kept[-1] else '<w:keepNext w:val="0"/>'
            item[1] = _insert_keep(item[1], keep_next + "<w:keepLines/>")
        return "".join(_paragraph(item[1], item[2]) if item[0] == "p" else item[1] for item in self.items)

    def paragraph(self, ppr: str, runs: str) -> None:
        self.items.append(["p", ppr, runs])

    def block(self, block: Block, level: int) -> None:
        f = self.fonts
        kind = block.kind
        if kind == "title":
            ppr = (
                '<w:pStyle w:val="Heading1"/>'
                f'<w:spacing w:before="{pt_twips(6)}" w:after="{pt_twips(18)}"/><w:jc w:val="center"/>'
            )
            self.paragraph(ppr, self.runs(block.runs, f["title"], int(f["title_pt"])))
        elif kind == "heading":
            ppr = f'<w:pStyle w:val="Heading2"/><w:spacing w:before="{pt_twips(12)}" w:after="{pt_twips(6)}"/>'
            self.paragraph(ppr, self.runs(block.runs, f["title"], int(f["heading_pt"])))
        elif kind == "para":
            ind = f'<w:ind w:firstLine="{pt_twips(int(f["body_pt"]) * 2)}"/>' if block.indented() else ""
            self.paragraph(f'<w:spacing w:after="{pt_twips(6)}"/>' + ind, self.runs(block.runs, f["body"]))
        elif kind == "list":
            self.list(block, level)
        elif kind == "quote":
            from rightscli.letters.convert import Run

            for sub in block.children:
                runs = sub.runs if sub.kind == "para" else [Run(sub.plain())]
                self.paragraph(
                    f'<w:spacing w:before="{pt_twips(12)}"/><w:jc w:val="right"/>', self.runs(runs, f["body"])
                )
        elif kind == "code":
            from rightscli.letters.convert import Run
            from rightscli.letters.pydocx_writer import _with_breaks

            body = int(f["body_pt"])
            ppr = _border(("top", "left", "bottom", "right")) + (
                f'<w:ind w:left="{pt_twips(body)}" w:right="{pt_twips(body)}"/>'
            )
            runs = [Run(part) if part else Run("") for part in _with_breaks(block.text)]
            self.paragraph(ppr, self.runs(runs, f["body"]))
        elif kind == "rule":
            self.paragraph(_border(("bottom",)), "")
        elif kind == "table":
            self.table(block)
        else:
            raise Fallback(kind)

    def list(self, block: Block, level: int) -> None:
        from rightscli.letters.convert import Run

        body = int(self.fonts["body_pt"])
        left = pt_twips(body * 2 * (level + 1))
        for number, item in enumerate(block.items, start=block.start):
            marker = f"{number}. " if block.ordered else "• "
            first = True
            for sub in item:
                if sub.kind == "list":
                    self.list(sub, level + 1)
                    continue
                hanging = f' w:hanging="{pt_twips(body * 1.5)}"' if first else ""  # first_line_indent = -Pt(18)
                ppr = f'<w:spacing w:after="{pt_twips(3)}"/><w:ind w:left="{left}"{hanging}/>'
                runs = sub.runs if sub.kind == "para" else [Run(sub.plain())]
                self.paragraph(ppr, self.runs(([Run(marker)] if first else []) + runs, self.fonts["body"]))
                first = False

    def table(self, block: Block) -> None:
        from rightscli.letters.convert import Run
        from rightscli.letters.pydocx_writer import column_shares

        columns = max((len(r) for r in block.rows), default=0)
        if not columns:
            return
        texts = [["".join(r.text for r in cell) for cell in row] + [""] * (columns - len(row)) for row in block.rows]
        widths = [mm_twips(160 * share) for share in column_shares(texts)]
        grid = "".join(f'<w:gridCol w:w="{w}"/>' for w in widths)
        rows = []
        cell_ppr = '<w:pPr><w:spacing w:line="288" w:lineRule="auto"/></w:pPr>'  # line_spacing = 1.2
        for i, row in enumerate(block.rows):
            cells = []
            for j in range(columns):
                paragraph = "<w:p/>"
                if j < len(row):
                    runs = [Run(r.text, True, r.italic, r.code) for r in row[j]] if i == 0 else row[j]
                    paragraph = f"<w:p>{cell_ppr}{self.runs(runs, self.fonts['body'])}</w:p>"
                cells.append(f'<w:tc><w:tcPr><w:tcW w:type="dxa" w:w="{widths[j]}"/></w:tcPr>{paragraph}</w:tc>')
            rows.append("<w:tr>" + "".join(cells) + "</w:tr>")
        self.items.append(
            [
                "tbl",
                '<w:tbl><w:tblPr><w:tblStyle w:val="TableGrid"/><w:tblW w:type="auto" w:w="0"/>'
                '<w:tblLayout w:type="fixed"/><w:tblLook w:firstColumn="1" w:firstRow="1" w:lastColumn="0" '
                'w:lastRow="0" w:noHBand="0" w:noVBand="1" w:val="04A0"/></w:tblPr>'
                f"<w:tblGrid>{grid}</w:tblGrid>{''.join(rows)}</w:tbl>",
                "",
            ]
        )
        self.paragraph("", "")  # the empty paragraph after a table

    def runs(self, runs: list[Run], font: str, size: int | None = None) -> str:
        latin = self.fonts["latin"]
        fonts = f'<w:rFonts w:ascii="{latin}" w:hAnsi="{latin}" w:eastAsia="{font}" w:cs="{latin}"/>'
        lang = '<w:lang w:eastAsia="zh-CN"/>'
        out = []
        for r in runs:
            if r.text == "\n":
                out.append(f"<w:r><w:rPr>{fonts}{lang}</w:rPr><w:br/></w:r>")
                continue
            rpr = fonts + ("<w:b/>" if r.bold else "") + ("<w:i/>" if r.italic else "")
            if size:
                rpr += f'<w:sz w:val="{int(size * 2)}"/>'
            out.append(f"<w:r><w:rPr>{rpr}{lang}</w:rPr>{_content(r.text)}</w:r>")
        return "".join(out)


def _content(text: str) -> str:
    """A run's text as python-docx's _RunContentAppender writes it: tabs and line breaks as elements, the rest in
    ``w:t`` (with ``xml:space="preserve"`` when it starts or ends with white space)."""
    out: list[str] = []
    buffer: list[str] = []

    def flush() -> None:
        chunk = "".join(buffer)
        buffer.clear()
        if chunk:
            space = ' xml:space="preserve"' if len(chunk.strip()) < len(chunk) else ""
            out.append(f"<w:t{space}>{_text(chunk)}</w:t>")

    for char in text:
        if char == "\t":
            flush()
            out.append("<w:tab/>")
        elif char in "\r\n":
            flush()
            out.append("<w:br/>")
        else:
            buffer.append(char)
    flush()
    return "".join(out)


def _border(sides: tuple[str, ...]) -> str:
    edges = "".join(f'<w:{s} w:val="single" w:sz="6" w:space="4" w:color="888888"/>' for s in sides)
    return f"<w:pBdr>{edges}</w:pBdr>"


def _insert_keep(ppr: str, keep: str) -> str:
    """keepNext and keepLines go right after pStyle (or first), where the schema puts them."""
    if ppr.startswith("<w:pStyle"):
        end = ppr.index("/>") + 2
        return ppr[:end] + keep + ppr[end:]
    return keep + ppr


def _paragraph(ppr: str, runs: str) -> str:
    inner = (f"<w:pPr>{ppr}</w:pPr>" if ppr else "") + runs
    return f"<w:p>{inner}</w:p>" if inner else "<w:p/>"


# -- the skeleton -----------------------------------------------------------------------------------------------------

_LOADED: list[dict[str, Any] | None] = []


def _key() -> list[Any]:
    """What the skeleton depends on: this rightscli, the writer's own sources, python-docx and zlib."""
    here = Path(__file__).parent
    sources = b"".join((here / name).read_bytes() for name in ("convert.py", "pydocx_writer.py", "docx_writer.py"))
    return [FORMAT, __version__, f"{zlib.crc32(sources):08x}", _docx_version(), zlib.ZLIB_VERSION]


def _docx_version() -> str:
    from rightscli.catalog_cache import installed_version

    return installed_version("docx")


def _skeleton() -> dict[str, Any] | None:
    if _LOADED:
        return _LOADED[0]
    import msgspec

    from rightscli import catalog_cache, prebuilt
    from rightscli.cachedir import trusted

    key = _key()
    found = None
    for path, trust in ((prebuilt.folder() / SKELETON, False), (catalog_cache.cache_dir() / SKELETON, True)):
        if trust and (not catalog_cache.enabled() or trusted(path) is None or trusted(path.parent) is None):
            continue
        try:
            stored_key, skeleton = msgspec.msgpack.decode(path.read_bytes())
        except Exception:
            continue
        if stored_key == key:
            found = skeleton
            break
    if found is None and catalog_cache.enabled():
        found = build_skeleton()
        catalog_cache.store_bytes(msgspec.msgpack.encode([key, found]), SKELETON)
    if found is not None:
        found["parts"] = [(name, tuple(part)) for name, part in found["parts"]]
    _LOADED.append(found)
    return found


def build_skeleton() -> dict[str, Any]:
    """python-docx's package for a letter with an empty body and a marked title, cut where the letter goes."""
    import zipfile

    from docx import Document

    from rightscli.letters import pydocx_writer as pydocx

    doc = Document()
    pydocx._DocxWriter(doc).setup(TITLE_MARK)
    buffer = io.BytesIO()
    doc.save(buffer)
    parts: list[tuple[str, Any]] = []
    with zipfile.ZipFile(buffer) as zf:
        for info in zf.infolist():
            data = zf.read(info)
            if info.filename == DOCUMENT:
                start = data.index(b"<w:body>") + len(b"<w:body>")
                end = data.index(b"<w:sectPr", start)
                if start != end:
                    raise ValueError("python-docx's template has a body")
                data = (data[:start], data[end:])
            elif info.filename == CORE:
                mark = TITLE_MARK.encode("utf-8")
                at = data.index(mark)
                data = (data[:at], data[at + len(mark) :])
            else:
                data = _entry(info.filename, data)[1:]
            if info.compress_type != zipfile.ZIP_DEFLATED or not info.filename.isascii():
                raise ValueError("python-docx wrote an entry this writer does not")
            parts.append((info.filename, data))
    fonts = {
        "body": pydocx.BODY_FONT,
        "title": pydocx.TITLE_FONT,
        "latin": pydocx.LATIN_FONT,
        "body_pt": str(pydocx.BODY_PT),
        "heading_pt": str(pydocx.HEADING_PT),
        "title_pt": str(pydocx.TITLE_PT),
    }
    return {"parts": parts, "fonts": fonts}
