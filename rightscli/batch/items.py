"""One case of a batch input as read (:class:`Item`), and where it is in the input (:class:`Ref`): what every reader
of :mod:`rightscli.batch.sources` and :mod:`rightscli.batch.csvrows` yields, and what the workers take."""

from __future__ import annotations

from typing import Any

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
    json_row: bool = False  # a JSON Lines row: its data holds only JSON's types, and each field is on the row's line

    def __reduce__(self) -> tuple[Any, ...]:
        """How a worker gets it (:mod:`rightscli.batch.pool`): a JSON Lines row's data as MessagePack, which holds
        JSON's types exactly and costs less than pickling them (1,000 rows: 7.6 -> 2.7 ms for the batch process to
        pack, 6.6 -> 4.6 ms for the workers to unpack, medians of 15); its field lines are made again from the row's.
        Anything MessagePack cannot hold (an integer beyond 64 bits) goes as it is."""
        doc = self.doc
        if self.json_row and doc is not None:
            try:
                packed = pack_data(doc.data)
            except (TypeError, ValueError, OverflowError):  # UnicodeEncodeError is a ValueError
                pass
            else:
                return (_unpack_row, (self.ref, packed, doc.source, self.fallback))
        return (Item, (self.ref, doc, self.error, self.text_values, self.fallback, self.json_row))


pack_data = msgspec.msgpack.Encoder().encode  # JSON's types, exactly (a ValueError or OverflowError otherwise)
_UNPACK = msgspec.msgpack.Decoder().decode


def _unpack_row(ref: Ref, packed: bytes, source: str, fallback: str) -> Item:
    data = _UNPACK(packed)
    line = ref.line or 0
    return Item(ref, Document(data, source, {str(key): line for key in data}), fallback=fallback, json_row=True)
