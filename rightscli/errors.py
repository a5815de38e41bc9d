"""User-facing errors.

Every problem with the user's input (a case file, a policy file, a template, a flag) is raised as a
:class:`UserError`. The CLI turns it into a one-paragraph message on stderr and exit code 2; anything else is an
internal error (exit 1). The core never prints or exits: it raises these.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass
class UserError(Exception):
    """Bad input: names where (file, line, field path) and what was expected."""

    message: str
    file: str | None = None
    line: int | None = None
    path: str | None = None
    exit_code: int = 2

    def __post_init__(self) -> None:
        super().__init__(self.message)

    def where(self) -> str:
        parts: list[str] = []
        if self.file:
            parts.append(self.file if self.line is None else f"{self.file}:{self.line}")
        elif self.line is not None:
            parts.append(f"line {self.line}")
        if self.path:
            parts.append(f"field '{self.path}'")
        return ", ".join(parts)

    def __str__(self) -> str:
        where = self.where()
        return f"{where}: {self.message}" if where else self.message


class InputError(UserError):
    """A case file, answers file or batch row is invalid."""


class PolicyError(UserError):
    """A policy, evidence or escalation file is invalid."""


class OutputError(UserError):
    """An output file cannot be written (exists without --force, folder missing, …)."""


class TemplateError(UserError):
    """A letter template is invalid or tried to leave the sandbox."""


MAX_LISTED = 25  # an input with thousands of problems gets a short message, not megabytes on stderr


@dataclass
class ErrorList(UserError):
    """Several problems found in one input; the message lists them all."""

    errors: tuple[UserError, ...] = ()

    @classmethod
    def of(cls, errors: list[UserError]) -> UserError:
        if len(errors) == 1:
            return errors[0]
        shown = errors[:MAX_LISTED]
        lines = "\n".join(f"  - {e}" for e in shown)
        if len(errors) > MAX_LISTED:
            lines += f"\n  … and {len(errors) - MAX_LISTED} more (fix these first)"
        first = errors[0]
        return cls(
            f"{len(errors)} problems:\n{lines}",
            file=None,
            exit_code=first.exit_code,
            errors=tuple(errors),
        )
