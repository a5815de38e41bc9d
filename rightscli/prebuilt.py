"""What the wheel ships already built, so that the first command after `pip install` is not a slow one: the parsed
bundled catalog, the letter data, the compiled templates, the DOCX skeleton (:mod:`rightscli.letters.docx_writer`)
and the regular expressions compiled at import (for the Python that built the wheel, :mod:`rightscli.regex_cache`),
in ``rightscli/_data/prebuilt/``. This module reads them (:func:`read`); :mod:`rightscli.prebuild` makes them.

``hatch_build.py`` runs ``python -m rightscli.prebuild FOLDER`` when the wheel is built. At run time,
when the cache folder has no entry yet (the first run, or after ``RIGHTS_CACHE_DIR`` changed), the catalog and the
letter data are taken from here instead of being parsed again — only if the bundled files are still, byte for byte,
the ones they were built from (:func:`content_key`: every file's name, size and CRC-32, read once on that first run)
and this is the same rightscli; then they go into the cache folder, keyed as usual, and later runs read them from
there. The compiled templates are checked template by template (:mod:`rightscli.letters.compiled`). An editable
install or a source checkout has no prebuilt folder: its first command builds the cache (about a third of a second),
or ``python -m rightscli.prebuild --cache`` builds it ahead.

Paths: the catalog names each rule's file; built elsewhere, those names are moved to where the package is installed.
"""

from __future__ import annotations

import zlib
from pathlib import Path
from typing import Any

import msgspec

from rightscli import __version__

CATALOG = "catalog.msgpack"
LETTERS = "letters.msgpack"


def folder() -> Path:
    """``rightscli/_data/prebuilt`` (a source checkout has none)."""
    return Path(__file__).resolve().parent / "_data" / "prebuilt"


def content_key(files: list[Path], base: Path) -> str:
    """The files' names (relative to ``base``), sizes and CRC-32s, with this rightscli's version."""
    parts = [f"prebuilt 1:{__version__}"]
    for path in files:
        data = path.read_bytes()
        parts.append(f"{path.relative_to(base).as_posix()}\0{len(data)}\0{zlib.crc32(data):08x}")
    return "\n".join(parts)


def read(name: str, shape: Any, files: list[Path], base: Path) -> tuple[Any, ...] | None:
    """What the shipped file ``name`` holds after its key (the file is a ``shape``: a tuple whose first item is the
    key), if it was built from ``files`` (under ``base``) by this rightscli; else None."""
    path = folder() / name
    if not path.is_file():
        return None
    try:
        key, *rest = msgspec.msgpack.decode(path.read_bytes(), type=shape)
        return tuple(rest) if key == content_key(files, base) else None
    except (OSError, ValueError, msgspec.DecodeError):
        return None
