"""Output file names: ``<order id>-<recipient>.<format>``, safe on every file system and unique within a batch.

* Anything but letters (CJK included), digits, ``-``, ``_`` and ``.`` becomes ``_``: no path separators, no control
  characters, nothing a Windows file system refuses. Leading dots, dashes and underscores are dropped (no hidden
  files, nothing that reads as an option); the stem is cut to :data:`MAX_STEM_BYTES` bytes of UTF-8.
* A case without an order id is named after its place in the input (``line-12``, or the case file's stem).
* The second case with the same name gets ``-2``, the third ``-3``, …, in input order, compared without regard to
  case (macOS and Windows fold it). Names depend only on the input, so running the same input again gives the same
  names: without ``--force`` the files already written are kept, with it they are replaced.
* Memory: 8 bytes per name (a 64-bit digest in one of :data:`BUCKETS` sorted arrays), plus counters for the last few
  thousand repeated names.
"""

from __future__ import annotations

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
BUCKETS = 1024  # a power of two
_SHIFT = 64 - (BUCKETS.bit_length() - 1)  # a digest's bucket: its top bits
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
    """A set of 64-bit digests at about 8 bytes each: :data:`BUCKETS` sorted arrays, a digest in the one its top bits
    pick (the digests are uniform), each kept sorted by inserting in place.

    Memory grows by the digests alone, with no peak when it grows: one sorted array with a small set of recent digests
    merged into it now and then held the old array and the new one at each merge (100,000 names: the batch process's
    peak 2.2 MB above what a batch of 10,000 needs, tracemalloc; benchmarks/batch.py's memory figure). An insert moves
    a bucket's later digests along (100,000 names: ~100 per bucket; 10 million: ~10,000, some 80 KB, ~5 µs)."""

    __slots__ = ("_buckets", "_count")

    def __init__(self) -> None:
        self._buckets: list[array[int] | None] = [None] * BUCKETS
        self._count = 0

    def __contains__(self, key: int) -> bool:
        bucket = self._buckets[key >> _SHIFT]
        if bucket is None:
            return False
        i = bisect_left(bucket, key)
        return i < len(bucket) and bucket[i] == key

    def add(self, key: int) -> None:
        """Add ``key`` (not already in the set: :class:`UniqueNames` asks first)."""
        b = key >> _SHIFT
        bucket = self._buckets[b]
        if bucket is None:
            bucket = self._buckets[b] = array("Q")
        bucket.insert(bisect_left(bucket, key), key)
        self._count += 1

    def __len__(self) -> int:
        return self._count


def _digest(name: str) -> int:
    """Case-folded: names that differ only in case are one file on macOS and Windows."""
    return int.from_bytes(blake2b(name.casefold().encode("utf-8"), digest_size=8).digest(), "big")
