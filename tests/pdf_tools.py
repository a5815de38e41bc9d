"""Reading the PDFs that rights writes, for the tests: text, page size, fonts and a rendered page.

pypdfium2 (PDFium) renders and extracts, pypdf reads the document's structure; both are wheels from PyPI in the
`test` extra, so the suite needs no system package (poppler) on a fresh machine.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pypdf
import pypdfium2 as pdfium


def pdf_text(pdf: Path) -> str:
    """The text of every page, one extracted line per line, in reading order."""
    doc = pdfium.PdfDocument(str(pdf))
    try:
        pages = [page.get_textpage().get_text_range() for page in doc]
    finally:
        doc.close()
    return "\n".join(text.replace("\r\n", "\n") for text in pages)


def dark_share(pdf: Path, page: int = 1) -> float:
    """Render one page (grey, 50 dpi) and return the share of pixels darker than light grey."""
    doc = pdfium.PdfDocument(str(pdf))
    try:
        image = doc[page - 1].render(scale=50 / 72, grayscale=True).to_pil().convert("L")
    finally:
        doc.close()
    pixels = image.tobytes()
    return sum(1 for p in pixels if p < 200) / len(pixels)


def page_size(pdf: Path, page: int = 1) -> tuple[float, float]:
    box = pypdf.PdfReader(str(pdf)).pages[page - 1].mediabox
    return float(box.width), float(box.height)


def title(pdf: Path) -> str | None:
    meta = pypdf.PdfReader(str(pdf)).metadata
    return meta.title if meta else None


def fonts(pdf: Path) -> list[dict[str, Any]]:
    """Every font the pages use: name, whether its program is embedded and whether it maps glyphs to Unicode."""
    seen: dict[str, dict[str, Any]] = {}
    for page in pypdf.PdfReader(str(pdf)).pages:
        resources = page.get("/Resources")
        table = resources.get_object().get("/Font") if resources else None
        for ref in (table.get_object() if table else {}).values():
            font = ref.get_object()
            descriptor_owner = font
            if font.get("/Subtype") == "/Type0":
                descriptor_owner = font["/DescendantFonts"][0].get_object()
            descriptor = descriptor_owner.get("/FontDescriptor")
            descriptor = descriptor.get_object() if descriptor is not None else {}
            name = str(font.get("/BaseFont"))
            seen[name] = {
                "name": name,
                "embedded": any(key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3")),
                "unicode": "/ToUnicode" in font,
            }
    return list(seen.values())
