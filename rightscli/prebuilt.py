"""What the wheel ships already built, so that the first command after `pip install` is not a slow one: the parsed
bundled catalog, the letter data, the compiled templates, the DOCX skeleton (:mod:`rightscli.letters.docx_writer`)
and the regular expressions compiled at import (for the Python that built the wheel, :mod:`rightscli.regex_cache`),
in ``rightscli/_data/prebuilt/``.

``hatch_build.py`` runs ``python -m rightscli.prebuilt FOLDER`` when the wheel is built (:func:`build`). At run time,
when the cache folder has no entry yet (the first run, or after ``RIGHTS_CACHE_DIR`` changed), the catalog and the
letter data are taken from here instead of being parsed again — only if the bundled files are still, byte for byte,
the ones they were built from (:func:`content_key`: every file's name, size and CRC-32, read once on that first run)
and this is the same rightscli; then they go into the cache folder, keyed as usual, and later runs read them from
there. The compiled templates are checked template by template (:mod:`rightscli.letters.compiled`). An editable
install or a source checkout has no prebuilt folder: its first command builds the cache (about a third of a second),
or ``python -m rightscli.prebuilt --cache`` builds it ahead.

Paths: the catalog names each rule's file; built elsewhere, those names are moved to where the package is installed.
"""

from __future__ import annotations

import os
import sys
import zlib
from pathlib import Path
from typing import TYPE_CHECKING

import msgspec

from rightscli import __version__

if TYPE_CHECKING:
    from rightscli.catalog import Catalog
    from rightscli.letters.data import LetterData

CATALOG = "catalog.msgpack"
LETTERS = "letters.msgpack"


def folder() -> Path:
    from rightscli.catalog import data_root

    return data_root() / "prebuilt"


def content_key(files: list[Path], base: Path) -> str:
    """The files' names (relative to ``base``), sizes and CRC-32s, with this rightscli's version."""
    parts = [f"prebuilt 1:{__version__}"]
    for path in files:
        data = path.read_bytes()
        parts.append(f"{path.relative_to(base).as_posix()}\0{len(data)}\0{zlib.crc32(data):08x}")
    return "\n".join(parts)


def catalog(base: Path, files: list[Path]) -> Catalog | None:
    """The bundled catalog as built with the wheel, if ``files`` (under ``base``, the bundled policies folder) are the
    ones it was built from; its rules' file names moved to ``base``."""
    from rightscli.catalog import Catalog, policies_dir

    path = folder() / CATALOG
    if base != policies_dir() or not path.is_file():
        return None
    try:
        key, built_in, found = msgspec.msgpack.decode(path.read_bytes(), type=tuple[str, str, Catalog])
        if key != content_key(files, base):
            return None
    except (OSError, ValueError, msgspec.DecodeError):
        return None
    here = str(base.absolute())
    if built_in != here:
        found.policies = [msgspec.structs.replace(p, file=_moved(p.file, built_in, here)) for p in found.policies]
        found.calendars = [msgspec.structs.replace(c, file=_moved(c.file, built_in, here)) for c in found.calendars]
    return found


def _moved(file: str, old: str, new: str) -> str:
    return new + file[len(old) :] if file.startswith(old) else file


def letter_data(file: Path) -> LetterData | None:
    """The letter data as built with the wheel, if ``file`` (the bundled recipients.yaml) is the one it was built
    from."""
    from rightscli.letters.data import LetterData, data_file

    path = folder() / LETTERS
    if file != data_file() or not path.is_file():
        return None
    try:
        key, found = msgspec.msgpack.decode(path.read_bytes(), type=tuple[str, LetterData])
        return found if key == content_key([file], file.parent) else None
    except (OSError, ValueError, msgspec.DecodeError):
        return None


def build(out: Path) -> list[str]:
    """Parse the bundled catalog and letter data and compile the bundled templates into ``out``; the names written."""
    from rightscli.catalog import _read_catalog, bundled_files, policies_dir, templates_dir
    from rightscli.letters import compiled, template_ir
    from rightscli.letters.data import data_file, read_letter_data

    out.mkdir(parents=True, exist_ok=True)
    base = policies_dir()
    catalog = _read_catalog(base, [])
    key = content_key(bundled_files(base, []), base)
    (out / CATALOG).write_bytes(msgspec.msgpack.encode((key, str(base.absolute()), catalog)))
    letters = data_file()
    (out / LETTERS).write_bytes(
        msgspec.msgpack.encode((content_key([letters], letters.parent), read_letter_data(letters)))
    )
    program = {"folder": str(templates_dir()), "templates": template_ir.build(templates_dir())}
    (out / compiled.PROGRAM).write_bytes(msgspec.msgpack.encode([compiled._header(), program]))
    names = [CATALOG, LETTERS, compiled.PROGRAM]
    try:
        from rightscli.letters import docx_writer

        skeleton = docx_writer.build_skeleton()
    except ImportError:  # python-docx is not in the build environment: the first DOCX letter makes it
        return names
    (out / docx_writer.SKELETON).write_bytes(msgspec.msgpack.encode([docx_writer._key(), skeleton]))
    return [*names, docx_writer.SKELETON]


def warm_cache() -> None:
    """Build the cache folder's entries of the bundled catalog, letter data and templates now (a source checkout)."""
    from rightscli.catalog import load_catalog, templates_dir
    from rightscli.letters import compiled
    from rightscli.letters.data import load_letter_data

    load_catalog()
    load_letter_data()
    compiled._program(templates_dir(), "letters/merchant.md.j2")


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print("usage: python -m rightscli.prebuilt FOLDER | --cache", file=sys.stderr)
        return 2
    from rightscli import regex_cache

    if argv == ["--cache"]:
        regex_cache.install()
        _import_command_modules()
        warm_cache()
        regex_cache.save()
        return 0
    os.environ["RIGHTS_NO_CACHE"] = "1"  # build from the files, and leave the builder's own cache alone
    regex_cache.install(record=True)
    _import_command_modules()
    out = Path(argv[0])
    names = build(out)
    regex_cache.save(str(out / regex_cache.name()))
    for name in [*names, regex_cache.name()]:
        if (out / name).is_file():
            print(name)
    return 0


def _import_command_modules() -> None:
    """The modules of `rights assess` and `rights letter`, for the patterns they compile at import (a build
    environment without the command line's own libraries keeps fewer)."""
    try:
        from rightscli import cli, engine
        from rightscli.letters import letter

        del cli, engine, letter
    except ImportError:
        pass


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
