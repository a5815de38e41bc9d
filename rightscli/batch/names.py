"""Output file names: ``<order id>-<recipient>.<format>``, safe on every file system and unique within a batch.

* Anything but letters (CJK included), digits, ``-``, ``_`` and ``.`` becomes ``_``: no path separators, no control
  characters, nothing a Windows file system refuses. Leading dots, dashes and underscores are dropped (no hidden
  files, nothing that reads as an option); the stem is cut to :data:`MAX_STEM_BYTES` bytes of UTF-8.
* A case without an order id is named after its place in the input (``line-12``, or the case file's stem).
* The second case with the same name gets ``-2``, the third ``-3``, …, in input order, compared without regard to
  case (macOS and Windows fold it). Names depend only on the input, so running the same input again gives the same
  names: without ``--force`` the files already written are kept, with it they are replaced.
* Memory: 8 bytes per name (a 64-bit digest in a sorted array), plus counters for the last few thousand repeated
  names.
"""

from __future__ import annotations

import heapq
import re
import unicodedata
from array import array
from bisect import bisect_left

try:  # the same function as hashlib.blake2b, without loading OpenSSL (~2.5 ms at every batch's start)
    from _blake2 import blake2b
except ImportError:  # pragma: no cover - a Python built without it
    from hashlib import blake2b

MAX_STEM_BYTES = 120
MAX_COUNTERS = 4096
MIN_MERGE = 1024
_UNSAFE = re.compile(r"[^\w.\-]+")
_RUNS = re.compile(r"_{2,}")


def sanitise(text: str) -> str:
    """A file-name stem from free text; empty when nothing usable is left."""
    text = unicodedata.normalize("NFC", text)
    text = _RUNS.sub("_", _UNSAFE.sub("_", text))
    text = text.lstrip("._-").rstrip("._ ")
    raw = text.encode("utf-8")[:MAX_STEM_BYTES]
    return raw.decode("utf-8", errors="ignore").rstrip("._ ")


def stem_for(order_id: object, fallback: str, recipient: str) -> str:
    """``<order id>-<recipient>``, or ``<fallback>-<recipient>`` when the id is missing or has nothing usable."""
    base = sanitise(str(order_id)) if isinstance(order_id, str | int) and not isinstance(order_id, bool) else ""
    return f"{base or sanitise(fallback) or 'case'}-{recipient}"


class UniqueNames:
    """Hands out file names, each once per batch."""

    def __init__(self) -> None:
        self._seen = DigestSet()
        self._next: dict[int, int] = {}  # for recently repeated names: the next suffix to try (bounded)

    def claim(self, stem: str, extension: str) -> str:
        first = f"{stem}.{extension}"
        base = _digest(first)
        number = self._next.pop(base, 1)
        while True:
            name = first if number == 1 else f"{stem}-{number}.{extension}"
            key = base if number == 1 else _digest(name)
            number += 1
            if key not in self._seen:
                self._seen.add(key)
                break
        if number > 2:  # the name was taken: remember where to go on from, for the next repeat
            self._next[base] = number
            if len(self._next) > MAX_COUNTERS:
                del self._next[next(iter(self._next))]  # the oldest; a later repeat of it just probes again
        return name


class DigestSet:
    """A set of 64-bit digests at 8 bytes each: a sorted array, plus the recent ones in a small set that is merged
    into the array when it reaches a sixteenth of its size (so merging costs O(1) per name, amortised)."""

    def __init__(self) -> None:
        self._sorted = array("Q")
        self._recent: set[int] = set()

    def __contains__(self, key: int) -> bool:
        if key in self._recent:
            return True
        i = bisect_left(self._sorted, key)
        return i < len(self._sorted) and self._sorted[i] == key

    def add(self, key: int) -> None:
        self._recent.add(key)
        if len(self._recent) >= max(MIN_MERGE, len(self._sorted) // 16):
            self._sorted = array("Q", heapq.merge(self._sorted, sorted(self._recent)))
            self._recent.clear()

    def __len__(self) -> int:
        return len(self._sorted) + len(self._recent)


def _digest(name: str) -> int:
    """Case-folded: names that differ only in case are one file on macOS and Windows."""
    return int.from_bytes(blake2b(name.casefold().encode("utf-8"), digest_size=8).digest(), "big")
