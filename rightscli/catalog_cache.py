"""An optional on-disk cache of the parsed catalog, so that scripts calling `rights` in a loop do not re-parse
every policy file on each run.

The cache is MessagePack decoded into the model classes by msgspec (typed: anything else in the file is refused), so
unlike a pickle, reading it cannot run code; it is also faster to read.

The cache is keyed by the package version and the path, size and modification time of every data file read, so a
changed, added or removed policy file invalidates it. It lives in the user's cache folder (``RIGHTS_CACHE_DIR``, else
``$XDG_CACHE_HOME/rightscli``, else ``~/.cache/rightscli``), is written atomically with mode 0600, and is only read
when it is owned by the current user and not writable by others. ``RIGHTS_NO_CACHE=1`` turns it off. Any problem
with the cache is ignored: it is never required for correctness.
"""

from __future__ import annotations

import gc
import os
import stat
from pathlib import Path
from typing import Any, TypeVar

import msgspec

from rightscli import __version__

# 5: the questions' prompts (Catalog.asks); 4: sources with conditions, seller-raised exceptions (3: MessagePack;
# 1, 2: pickle)
FORMAT = 5
T = TypeVar("T")


def cache_dir() -> Path:
    explicit = os.environ.get("RIGHTS_CACHE_DIR")
    if explicit:
        return Path(explicit)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "rightscli"


def enabled() -> bool:
    return os.environ.get("RIGHTS_NO_CACHE", "") in ("", "0")


def fingerprint(files: list[Path]) -> str:
    """A key that changes when any file is added, removed or modified (stored in the cache and compared)."""
    parts = [f"{FORMAT}:{__version__}"]
    for path in files:
        st = os.stat(path)
        parts.append(f"{path}\0{st.st_size}\0{st.st_mtime_ns}")
    return "\n".join(parts)


def _trusted(path: Path) -> bool:
    try:
        st = path.stat()
    except OSError:
        return False
    owner_ok = not hasattr(os, "getuid") or st.st_uid == os.getuid()
    return owner_ok and not (st.st_mode & (stat.S_IWGRP | stat.S_IWOTH))


CACHE_NAME = "catalog.msgpack"
LETTERS_NAME = "letters.msgpack"  # the letter data of templates/letters/recipients.yaml


def load(key: str, kind: type[T], name: str = CACHE_NAME) -> T | None:
    """The cached ``kind`` stored in file ``name`` under ``key``, or None (no cache, another key, untrusted or damaged
    file)."""
    if not enabled():
        return None
    path = cache_dir() / name
    if not _trusted(path) or not _trusted(path.parent):
        return None  # a planted catalog could change every finding: only the user's own private file is read
    collecting = gc.isenabled()
    gc.disable()  # decoding creates tens of thousands of objects, none of them garbage: ~1 ms of collections saved
    try:
        stored_key, value = msgspec.msgpack.decode(path.read_bytes(), type=tuple[str, kind])  # type: ignore[valid-type]
    except Exception:  # a stale, damaged or foreign cache is simply rebuilt
        return None
    finally:
        if collecting:
            gc.enable()
    return value if stored_key == key else None


def store(key: str, value: Any, name: str = CACHE_NAME) -> None:
    if not enabled():
        return
    folder = cache_dir()
    try:
        data = msgspec.msgpack.encode((key, value))
    except (TypeError, msgspec.EncodeError):  # not expected for a catalog; without a cache it still works
        return
    try:
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        import tempfile

        fd, tmp = tempfile.mkstemp(dir=folder, prefix=f".{name}-", suffix=".tmp")
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(data)
            os.replace(tmp, folder / name)
            for old in folder.glob("catalog*.pickle"):  # earlier builds cached a pickle: remove it
                old.unlink(missing_ok=True)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
    except OSError:
        pass
