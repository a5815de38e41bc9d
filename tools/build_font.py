"""Build rightscli/fonts/RightsSerifSC-Regular.ttf, the font the PDF writer embeds (a developer's tool, not shipped).

The PDF must show Chinese on a machine without any Chinese font, so the package carries one: a subset of Noto Serif
CJK SC Regular (SIL Open Font License 1.1; a 宋体-style serif, the face courts and offices print in), with

* every character of GB 2312 (6,763 hanzi and its symbols), read from Python's own gb2312 codec;
* the 8,105 characters of the 通用规范汉字表 (2013), when a list of them is given (one character per line, or
  tab-separated lines with the character in a column of its own) — it adds the characters of names and places that
  GB 2312 lacks (喆, 堃, 玥 …);
* ASCII, Latin-1 and Latin Extended-A, general punctuation, CJK symbols and punctuation, fullwidth forms, enclosed
  numbers (①), arrows, letter-like and math symbols, box and geometric shapes (□ ■), stars (★).

OpenType layout features are dropped (the PDF writer sets horizontal text without shaping), outlines are converted
from CFF to TrueType (quadratic, error ≤ 1 unit: reportlab embeds TrueType only) and the font is renamed: a Modified
Version under the OFL may not use the original's name. A character outside the subset is set in reportlab's built-in
STSong-Light by the PDF writer, with a warning (see rightscli/letters/pdf.py).

    pip install fonttools
    apt-get download fonts-noto-cjk && dpkg-deb -x fonts-noto-cjk_*.deb noto
    python tools/build_font.py noto/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc --chars 通用规范汉字表.txt
"""

from __future__ import annotations

import argparse
import contextlib
from pathlib import Path

from fontTools import subset
from fontTools.pens.cu2quPen import Cu2QuPen
from fontTools.pens.ttGlyphPen import TTGlyphPen
from fontTools.ttLib import TTCollection, TTFont, newTable

OUT = Path(__file__).resolve().parent.parent / "rightscli" / "fonts" / "RightsSerifSC-Regular.ttf"
FAMILY = "RightsCLI Serif SC"
PS_NAME = "RightsCLISerifSC-Regular"
RANGES = [
    (0x20, 0x7F), (0xA0, 0x180), (0x2000, 0x2070), (0x2100, 0x2300), (0x2460, 0x24A0), (0x2500, 0x2600),
    (0x2600, 0x2800), (0x3000, 0x3040), (0x3200, 0x3300), (0xFE30, 0xFE50), (0xFF00, 0xFFF0),
]  # fmt: skip


def gb2312() -> set[str]:
    chars = set()
    for hi in range(0xA1, 0xF8):
        for lo in range(0xA1, 0xFF):
            with contextlib.suppress(UnicodeDecodeError):
                chars.add(bytes([hi, lo]).decode("gb2312"))
    return chars


def listed(path: Path) -> set[str]:
    chars = set()
    for line in path.read_text(encoding="utf-8").splitlines():
        fields = [f.strip() for f in line.split("\t")]
        chars.update(f for f in fields if len(f) == 1 and ord(f) > 0x2E7F)  # the character column, whatever its place
    return chars


def source_font(path: Path) -> TTFont:
    if path.suffix.lower() == ".ttc":
        for font in TTCollection(str(path)).fonts:
            if font["name"].getDebugName(4).endswith(" SC"):
                return font
        raise SystemExit(f"{path}: no Simplified Chinese (SC) face in the collection")
    return TTFont(str(path))


def to_truetype(font: TTFont) -> None:
    order = font.getGlyphOrder()
    glyphs = font.getGlyphSet()
    glyf = newTable("glyf")
    glyf.glyphOrder = order
    glyf.glyphs = {}
    for name in order:
        pen = TTGlyphPen(glyphs)
        glyphs[name].draw(Cu2QuPen(pen, 1.0, reverse_direction=True))
        glyf[name] = pen.glyph()
    font["glyf"] = glyf
    font["loca"] = newTable("loca")
    maxp = font["maxp"]
    maxp.tableVersion = 0x00010000
    for attr in ("maxTwilightPoints", "maxStorage", "maxFunctionDefs", "maxInstructionDefs", "maxStackElements",
                 "maxSizeOfInstructions", "maxComponentElements"):  # fmt: skip
        setattr(maxp, attr, 0)
    maxp.maxZones = 1
    font["head"].indexToLocFormat = 0
    font["head"].glyphDataFormat = 0
    font["post"].formatType = 3.0
    for tag in ("CFF ", "VORG"):
        if tag in font:
            del font[tag]
    font.sfntVersion = "\x00\x01\x00\x00"


def rename(font: TTFont) -> None:
    names = font["name"]
    keep = {0, 2, 7, 8, 9, 11, 13, 14}
    names.names = [n for n in names.names if n.nameID in keep]
    for pid, eid, lang in ((3, 1, 0x409), (1, 0, 0)):
        names.setName(FAMILY, 1, pid, eid, lang)
        names.setName(f"{FAMILY} Regular", 4, pid, eid, lang)
        names.setName(f"1.0;RIGHTSCLI;{PS_NAME}", 3, pid, eid, lang)
        names.setName("Version 1.0; subset of Noto Serif CJK SC 2.001", 5, pid, eid, lang)
        names.setName(PS_NAME, 6, pid, eid, lang)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("source", type=Path, help="NotoSerifCJK-Regular.ttc or NotoSerifCJKsc-Regular.otf")
    parser.add_argument("--chars", type=Path, help="a list of characters to add (e.g. the 通用规范汉字表)")
    parser.add_argument("-o", "--output", type=Path, default=OUT)
    args = parser.parse_args()
    chars = gb2312() | {chr(c) for a, b in RANGES for c in range(a, b)}
    if args.chars:
        chars |= listed(args.chars)
    font = source_font(args.source)
    options = subset.Options()
    options.layout_features = []
    options.name_IDs = ["*"]
    options.hinting = False
    options.notdef_outline = True
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=sorted(ord(c) for c in chars))
    subsetter.subset(font)
    to_truetype(font)
    rename(font)
    font.save(str(args.output))
    print(f"{args.output}: {len(font.getGlyphOrder())} glyphs, {args.output.stat().st_size:,} bytes")


if __name__ == "__main__":
    main()
