"""Build what the wheel ships built (see :mod:`rightscli.prebuilt`, which reads it): ``python -m rightscli.prebuild
FOLDER``, run by ``hatch_build.py`` when the wheel is built; ``python -m rightscli.prebuild --cache`` fills the cache
folder of a source checkout ahead of its first command.

A tool at the top of the package, beside the console script: it imports the command line for the regular expressions
its modules compile at import.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import msgspec

from rightscli.letters.program import PROGRAM
from rightscli.prebuilt import CATALOG, LETTERS, content_key


def build(out: Path) -> list[str]:
    """Parse the bundled catalog and letter data and compile the bundled templates into ``out``; the names written."""
    from rightscli.catalog import _read_catalog, bundled_files, policies_dir, templates_dir
    from rightscli.letters import compiled, template_ir
    from rightscli.letters.data import data_file, data_files, read_letter_data

    out.mkdir(parents=True, exist_ok=True)
    base = policies_dir()
    catalog = _read_catalog(base, [])
    key = content_key(bundled_files(base, []), base)
    (out / CATALOG).write_bytes(msgspec.msgpack.encode((key, str(base.absolute()), catalog)))
    letters = data_file()
    (out / LETTERS).write_bytes(
        msgspec.msgpack.encode((content_key(data_files(letters), letters.parent), read_letter_data(letters)))
    )
    program = {"folder": str(templates_dir()), "templates": template_ir.build(templates_dir())}
    (out / PROGRAM).write_bytes(msgspec.msgpack.encode([compiled._header(), program]))
    names = [CATALOG, LETTERS, PROGRAM]
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
        print("usage: python -m rightscli.prebuild FOLDER | --cache", file=sys.stderr)
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
