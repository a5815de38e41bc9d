"""User-facing errors.

Every problem with the user's input (a case file, a policy file, a template, a flag) is raised as a
:class:`UserError`. The CLI turns it into a one-paragraph message on stderr and exit code 2; anything else is an
internal error (exit 1). The core never prints or exits: it raises these.
"""

from __future__ import annotations

import copy
from typing import Any, Self


class UserError(Exception):
    """Bad input: names where (file, line, field path) and what was expected.

    A plain class rather than a dataclass: it is imported by every command, and building dataclasses costs start-up
    time (see rightscli/entry.py).
    """

    def __init__(
        self,
        message: str,
        file: str | None = None,
        line: int | None = None,
        path: str | None = None,
        exit_code: int = 2,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.file = file
        self.line = line
        self.path = path
        self.exit_code = exit_code

    def replace(self, **changes: Any) -> Self:
        """A copy with some attributes changed (``exc.replace(file=…, line=…)``)."""
        new = copy.copy(self)
        for name, value in changes.items():
            if not hasattr(self, name):
                raise TypeError(f"{type(self).__name__} has no attribute {name!r}")
            setattr(new, name, value)
        return new

    def to_json(self) -> dict[str, Any]:
        """The problem as ``--json`` output gives it: file, line, field (the path in the input) and message."""
        file, path = (visible(v) if v is not None else None for v in (self.file, self.path))
        return {"file": file, "line": self.line, "field": path, "message": visible(self.message)}

    def _fields(self) -> tuple[Any, ...]:
        return (self.message, self.file, self.line, self.path, self.exit_code)

    def __eq__(self, other: object) -> bool:
        if type(other) is not type(self):
            return NotImplemented
        assert isinstance(other, UserError)
        return self._fields() == other._fields()

    __hash__ = Exception.__hash__

    def __repr__(self) -> str:
        return (
            f"{type(self).__name__}(message={self.message!r}, file={self.file!r}, line={self.line!r}, "
            f"path={self.path!r}, exit_code={self.exit_code!r})"
        )

    def where(self) -> str:
        """``case.yaml:12, field 'order.price'`` (Chinese: ``case.yaml:12，字段 order.price``), in the interface
        language of this run."""
        from rightscli.i18n import tr

        parts: list[str] = []
        if self.file:
            parts.append(self.file if self.line is None else tr("err.file_line", file=self.file, line=self.line))
        elif self.line is not None:
            parts.append(tr("err.where_line", line=self.line))
        if self.path:
            parts.append(tr("err.where_field", path=self.path))
        return tr("err.where_sep").join(parts)

    def __str__(self) -> str:
        where = self.where()
        if not where:
            return visible(self.message)
        from rightscli.i18n import tr

        return visible(tr("err.at", where=where, message=self.message))


def visible(text: str) -> str:
    """``text`` with control and invisible formatting characters written as escapes (``\\x1b``, ``\\u202e``): a
    message quotes what it finds in a file (an unknown key, a file name), and an escape sequence there must not act
    on the terminal that shows the message. New lines and tabs stay."""
    if text.isprintable():
        return text
    import unicodedata

    out = []
    for ch in text:
        if ch in "\n\t" or ch.isprintable() or unicodedata.category(ch) == "Zs":
            out.append(ch)
        else:
            code = ord(ch)
            out.append(f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}")
    return "".join(out)


class InputError(UserError):
    """A case file, answers file or batch row is invalid."""


class PolicyError(UserError):
    """A policy, evidence or escalation file is invalid."""


class OutputError(UserError):
    """An output file cannot be written (exists without --force, folder missing, …)."""


class TemplateError(UserError):
    """A letter template is invalid or tried to leave the sandbox."""


MAX_LISTED = 25  # an input with thousands of problems gets a short message, not megabytes on stderr


class ErrorList(UserError):
    """Several problems found in one input; the message lists them all."""

    def __init__(self, message: str, *, errors: tuple[UserError, ...] = (), **where: Any) -> None:
        """``where``: file, line, path, exit_code, as for :class:`UserError`."""
        super().__init__(message, **where)
        self.errors = errors

    def _fields(self) -> tuple[Any, ...]:
        return (*super()._fields(), self.errors)

    @classmethod
    def of(cls, errors: list[UserError]) -> UserError:
        if len(errors) == 1:
            return errors[0]
        from rightscli.i18n import tr

        shown = errors[:MAX_LISTED]
        lines = "\n".join(f"  - {e}" for e in shown)
        if len(errors) > MAX_LISTED:
            lines += "\n  " + tr("err.more_problems", count=len(errors) - MAX_LISTED)
        first = errors[0]
        return cls(
            tr("err.problems", count=len(errors)) + "\n" + lines,
            file=None,
            exit_code=first.exit_code,
            errors=tuple(errors),
        )


# What the operating system says of a failed read or write, in the interface's language (its own words, strerror, are
# English); each entry's English text is the C library's own.
_OS_REASONS = frozenset(
    {
        "EACCES",
        "EPERM",
        "ENOSPC",
        "EDQUOT",
        "EROFS",
        "EIO",
        "ENOENT",
        "ENOTDIR",
        "EISDIR",
        "EEXIST",
        "ENOTEMPTY",
        "ENAMETOOLONG",
        "ELOOP",
        "EXDEV",
        "EMLINK",
        "EMFILE",
        "ENFILE",
        "EFBIG",
        "EBUSY",
        "ETXTBSY",
        "EAGAIN",
        "EPIPE",
        "ESTALE",
        "EOPNOTSUPP",
        "EINVAL",
        "ENOMEM",
    }
)  # catalogue key: os.<name>
_OS_ALIASES = {"ENOTSUP": "EOPNOTSUPP", "EWOULDBLOCK": "EAGAIN"}  # one number, another name on some systems


def os_reason(exc: OSError) -> str:
    """Why the operating system refused (``exc``), for a message: in the interface's language for the common causes
    (a full disk, a read-only file system, no permission…); any other, as the system says it, with its code."""
    import errno

    from rightscli.i18n import tr

    name = errno.errorcode.get(exc.errno or 0, "")
    name = _OS_ALIASES.get(name, name)
    if name in _OS_REASONS:
        return tr(f"os.{name}")
    said = exc.strerror or str(exc)
    return tr("os.other", code=name, reason=said) if name else said
