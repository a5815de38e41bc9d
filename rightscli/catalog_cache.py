"""An optional on-disk cache of the parsed catalog, so that scripts calling `rights` in a loop do not re-parse
every policy file on each run.

The cache is MessagePack decoded into the model classes by msgspec (typed: anything else in the file is refused), so
unlike a pickle, reading it cannot run code; it is also faster to read.

The cache is keyed by the package version and the path, size and modification time of every data file read, so a
changed, added or removed policy file invalidates it. Each set of policy folders (the bundled rules alone, or with
one or more ``--policy-dir``, in that order) has a file of its own (:func:`catalog_name`), so that a script that
alternates sets never rebuilds; at most :data:`MAX_CATALOGS` are kept, the least recently used going first. It lives
in the user's cache folder (``RIGHTS_CACHE_DIR``, else ``$XDG_CACHE_HOME/rightscli``, else ``~/.cache/rightscli``), is
written atomically with mode 0600, and is only read when it is owned by the current user and not writable by others.
``RIGHTS_NO_CACHE=1`` turns it off. Any problem with the cache is ignored: it is never required for correctness.
"""

from __future__ import annotations

import contextlib
import gc
import os
import time
import zlib
from pathlib import Path
from typing import Any, TypeVar

import msgspec

from rightscli import __version__
from rightscli.cachedir import cache_dir, enabled, trusted

# 7: a waiting window's same_as; 6: periods and next steps as the files write them (from, holiday_extension,
# within), deadlines with party, restarted_by and answered_by; 5: the questions' prompts (Catalog.asks); 4: sources
# with conditions, seller-raised exceptions (3: MessagePack; 1, 2: pickle)
FORMAT = 7
T = TypeVar("T")


def fingerprint(files: list[Path]) -> str:
    """A key that changes when any file is added, removed or modified (stored in the cache and compared)."""
    parts = [f"{FORMAT}:{__version__}"]
    for path in files:
        st = os.stat(path)
        parts.append(f"{path}\0{st.st_size}\0{st.st_mtime_ns}")
    return "\n".join(parts)


LETTERS_NAME = "letters.msgpack"  # the letter data of templates/letters/recipients.yaml
CATALOG_PATTERN = "catalog-*.msgpack"
MAX_CATALOGS = 8  # sets of policy folders cached at once (the bundled catalog is ~0.7 MB)
TOUCH_AFTER = 3600  # seconds: a catalog read is marked as used (its mtime) at most this often, for the eviction


def catalog_name(folders: list[Path]) -> str:
    """The cache file of the catalog read from ``folders`` (the bundled folder first, then each --policy-dir in the
    order given: the order matters, a later folder's holiday schedule replaces an earlier one's). The name only spreads
    sets over files; the key stored inside decides whether an entry is current."""
    text = "\0".join(str(folder.absolute()) for folder in folders)
    return CATALOG_PATTERN.replace("*", f"{zlib.crc32(text.encode('utf-8', 'surrogateescape')):08x}")


def load(key: str, kind: type[T], name: str) -> T | None:
    """The cached ``kind`` stored in file ``name`` under ``key``, or None (no cache, another key, untrusted or damaged
    file)."""
    if not enabled():
        return None
    path = cache_dir() / name
    st = trusted(path)
    if st is None or trusted(path.parent) is None:
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
    if stored_key != key:
        return None
    if name.startswith("catalog-") and time.time() - st.st_mtime > TOUCH_AFTER:
        with contextlib.suppress(OSError):  # used now: evicted last (one write an hour at most, not one a run)
            os.utime(path)
    return value


def store(key: str, value: Any, name: str) -> None:
    if not enabled():
        return
    try:
        data = msgspec.msgpack.encode((key, value))
    except (TypeError, msgspec.EncodeError):  # not expected for a catalog; without a cache it still works
        return
    store_bytes(data, name)


def store_bytes(data: bytes, name: str) -> None:
    """Write file ``name`` of the cache folder atomically, mode 0600 (nothing happens when that fails)."""
    if not enabled():
        return
    folder = cache_dir()
    try:
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        import tempfile

        fd, tmp = tempfile.mkstemp(dir=folder, prefix=f".{name}-", suffix=".tmp")
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(data)
            os.replace(tmp, folder / name)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        _prune(folder, name)
    except OSError:
        pass


def _prune(folder: Path, written: str) -> None:
    """Keep at most :data:`MAX_CATALOGS` catalogs (the least recently used go); remove what earlier builds cached (a
    pickle, then one catalog.msgpack for every set of folders)."""
    for old in [*folder.glob("catalog*.pickle"), folder / "catalog.msgpack"]:
        old.unlink(missing_ok=True)
    if not written.startswith("catalog-"):
        return
    entries = []
    for path in folder.glob(CATALOG_PATTERN):
        try:
            entries.append((path.name == written, path.stat().st_mtime, path))
        except OSError:
            continue
    entries.sort(key=lambda e: e[:2], reverse=True)  # the one just written, then the most recently used
    for _, _, path in entries[MAX_CATALOGS:]:
        path.unlink(missing_ok=True)


def package_file(package: str, name: str) -> str | None:
    """The path of file ``name`` of an installed package, where the import system would find it, without importing
    it; None when the package is not a plain folder on the path."""
    import sys

    for entry in sys.path:
        folder = os.path.join(entry or ".", package)
        if os.path.isfile(os.path.join(folder, "__init__.py")):
            path = os.path.join(folder, name)
            return path if os.path.isfile(path) else None
    return None


def installed_version(package: str) -> str:
    """The ``__version__`` of an installed package, read from its ``__init__.py`` without importing it (a cache key;
    importing it is what the cache saves); empty when it cannot be read."""
    init = package_file(package, "__init__.py")
    try:
        with open(init or "", encoding="utf-8") as fh:
            for line in fh:
                if line.startswith("__version__"):
                    return line.split("=", 1)[1].strip().strip("\"'")
    except OSError:
        pass
    return ""


CALENDAR_NAME = "calendar-years.msgpack"


def calendar_years() -> tuple[int, int] | None:
    """The years the chinesecalendar package covers, kept in the cache folder under its data file's path, size and
    modification time, so that a run whose dates all lie in the holiday schedules or beyond the package's years need
    not import it (~2 ms); None when the cache is off or the package cannot be found (then it is imported as
    needed)."""
    if not enabled():
        return None
    data = package_file("chinese_calendar", "constants.py")
    if data is None:
        return None
    try:
        key = fingerprint([Path(data)])
    except OSError:
        return None
    years = load(key, tuple[int, int], CALENDAR_NAME)
    if years is None:
        from rightscli import daycount

        years = daycount._package_years()  # imports the package, once for this version of it
        store(key, years, CALENDAR_NAME)
    return years
