"""One case of a batch input as read (:class:`Item`), and where it is in the input (:class:`Ref`): what every reader
of :mod:`rightscli.batch.sources` and :mod:`rightscli.batch.csvrows` yields, and what the workers take."""

from __future__ import annotations

import msgspec

from rightscli.datafile import Document
from rightscli.errors import UserError


class Ref(msgspec.Struct, frozen=True):
    """Where a case is in the input: the file, and the line for JSON Lines and CSV (None for a folder's files)."""

    file: str
    line: int | None = None

    def __str__(self) -> str:
        return self.file if self.line is None else f"{self.file}:{self.line}"


class Item(msgspec.Struct, frozen=True):
    """One case as read: a document to validate, or the error that stopped it being read."""

    ref: Ref
    doc: Document | None
    error: UserError | None = None
    text_values: bool = False  # CSV cells are text: "299.00", "true", "a;b"
    fallback: str = ""  # the file-name stem to use when the case has no order id
