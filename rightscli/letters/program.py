"""What the template compiler (:mod:`rightscli.letters.template_ir`), the walker of its program
(:mod:`rightscli.letters.compiled`) and the Jinja sandbox (:mod:`rightscli.letters.render`) share, without Jinja:
the program's format (its file name, version and opcodes), a bundled template's text as the sandbox's loader reads
it, and the check of a ``--template-dir``.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from rightscli.errors import TemplateError
from rightscli.i18n import tr
from rightscli.letters.caps import MAX_TEMPLATE_BYTES

FORMAT = 1  # the program's shape; with the package version and Jinja's, in the file
PROGRAM = "templates.msgpack"
# Opcodes of statements and expressions (template_ir writes them).
TEXT, OUT, IF, FOR, SET, INCLUDE = 0, 1, 2, 3, 4, 5
VAR, CONST, ATTR, ITEM, CONCAT, COND, NOT, AND, OR, DEFINED, JOIN, LENGTH, ADD = range(10, 23)


def check_template_dir(template_dir: Path | None) -> None:
    if template_dir is not None and not template_dir.is_dir():
        raise TemplateError(tr("template.not_folder"), file=str(template_dir))


def source(bundled: Path, name: str) -> str | None:
    """The template's text as the sandbox's loader would read it, or None where the loader would refuse it."""
    filename = os.path.join(str(bundled), *name.split("/"))
    try:
        if not os.path.realpath(filename).startswith(os.path.realpath(str(bundled)) + os.sep):
            return None
        fd = os.open(filename, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0))
        with os.fdopen(fd, "rb") as fh:
            if not stat.S_ISREG(os.fstat(fd).st_mode):
                return None
            raw = fh.read(MAX_TEMPLATE_BYTES + 1)
        return raw.decode("utf-8") if len(raw) <= MAX_TEMPLATE_BYTES else None
    except (OSError, UnicodeDecodeError):
        return None
