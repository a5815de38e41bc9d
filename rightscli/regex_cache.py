"""Compiled regular expressions kept from one run to the next: the console script's start-up without the regex compiler.

Python compiles a regular expression in two steps: a parser and code generator written in Python (``re._parser``,
``re._compiler``) turn the pattern into a list of integers, and ``_sre.compile`` (C) makes the pattern object from that
list. The first step is slow: the modules `rights letter` imports (typer, yaml, jinja2 …) compile some sixty patterns
at import, a sixth of the run's instructions (~100 of ~590 million; yaml's one Unicode class alone takes milliseconds).
They are the same on every run, so their integer lists are kept in the cache folder and the next run hands them
straight to ``_sre.compile``.

Exactness. An entry is used only for the same pattern (str or bytes, equal text) and the same flags, on the same
Python build (its version, ``_sre.MAGIC`` and code size are in the file's name and checked inside); the pattern object
is the one ``re`` would build: the integer list is computed by ``re``'s own parser and code generator, and the first
pattern a run keeps is compared with the one ``re`` builds (equal patterns have equal code); if they differ (another
``re``), nothing is kept. ``_sre`` checks any code it is given, so a
damaged entry is refused, never run. A pattern whose parsing warns (a FutureWarning about a possible set operation) is
not kept, so the warning is shown every time as without the cache. Everything else (a compiled pattern, a flag object,
``re.DEBUG``) goes to ``re`` as usual.

No personal data. Only patterns compiled while a module is being imported are kept: what the libraries and rightscli
compile at import, never a pattern built at run time from a case.

Trust. The file is read only when it belongs to the user and nobody else can write it or its folder (as the catalog
cache), because a forged entry could change what a pattern matches. It is written at the end of a run that compiled
something new (atomically, mode 0600); ``RIGHTS_NO_CACHE=1`` turns it off. Any problem is ignored: the cache is never
needed for correct results. The wheel ships the table its build compiled (``rightscli/_data/prebuilt``), used until
the cache folder has one, when the Python is the same version: the first run after `pip install` needs no compiling.

Size. A pattern is kept the second time a run compiles it at import, not the first: the PDF writer's library builds
a 9 KB pattern at import from a set of names, in an order that changes from run to run, so every `rights letter -o
x.pdf` added one that never came back, and the file grew to 1 MB (281 entries, 930 KB of them such patterns) in a
day of benchmarks. Only a 4-byte digest of a pattern seen once is kept (at most :data:`MAX_SEEN_ONCE`). Each entry
stays packed (its own marshal bytes) until its pattern is asked for, so a run unpacks the few dozen it uses, not the
table: reading the 1 MB file took 1.6 ms of every `rights assess`, 0.6 ms for its 140 KB of useful patterns, and
0.1 ms packed. The wheel's build (``record``) keeps every pattern at once.

Only the console script installs it (:mod:`rightscli.entry`); importing :mod:`rightscli.cli` leaves ``re`` alone.
"""

import contextlib
import marshal
import os
import sys
from typing import Any

from rightscli.cachedir import cache_dir, enabled, trusted

MAX_ENTRIES = 4000  # a file that grew beyond this is started afresh (rights compiles ~300 patterns at most)
MAX_SEEN_ONCE = 4000  # digests of patterns compiled once and not kept (yet): the newest are kept
_state: dict[str, Any] = {}


def _tag() -> str:
    import _sre

    return f"{sys.implementation.cache_tag}-{sys.hexversion:x}-{_sre.MAGIC}-{_sre.CODESIZE}"


def _header() -> str:
    import _sre

    name = sys.implementation.name
    return f"rightscli regex cache 3\n{name} {sys.hexversion:x}\n{_sre.MAGIC} {_sre.CODESIZE} {sys.maxunicode}"


def name() -> str:
    return f"regex-{_tag()}.marshal"


def path() -> str:
    return os.path.join(str(cache_dir()), name())


def shipped() -> str:
    """The wheel's table (``rightscli/_data/prebuilt``): the patterns its build compiled, for the same Python."""
    return os.path.join(os.path.dirname(os.path.abspath(__file__)), "_data", "prebuilt", name())


def install(*, record: bool = False) -> bool:
    """Read the cache (else the wheel's table) and let ``re`` use it; False (``re`` untouched) when it cannot be used
    here. ``record``: start empty and keep what is compiled at import whatever the environment says (the wheel's
    build, :mod:`rightscli.prebuild`)."""
    if _state or not (enabled() or record):
        return False
    try:
        import _sre
        import re
        from re import _compiler, _parser

        original = _compiler.compile
        code_of = _compiler._code
        parse = _parser.parse
        build = _sre.compile
        debug = re.DEBUG.value
    except (ImportError, AttributeError):  # another Python's re: nothing to do
        return False
    table, packed_once = ({}, b"") if record else (_read(path()) or _read(shipped(), trust=False) or ({}, b""))
    new: dict[tuple[Any, int], bytes] = {}
    once = _SeenOnce(packed_once)
    checks: list[bool | None] = [None]  # whether an entry builds what re builds (checked once a run); empty: no

    def cached_compile(p: Any, flags: int = 0) -> Any:
        kind = type(p)
        if type(flags) is not int or (kind is not str and kind is not bytes):
            return original(p, flags)
        packed = table.get((p, flags))
        if packed is not None:
            try:
                hit = marshal.loads(packed)
                if not _well_formed(hit):
                    raise ValueError
                return build(p, *hit)
            except Exception:  # an entry damaged or that _sre refuses: re compiles the pattern itself
                del table[(p, flags)]
        if flags & debug or not checks or not _importing():
            return original(p, flags)
        digest = None if record else _digest(p, flags)
        if digest is not None and not once.second_time(digest):
            return original(p, flags)
        entry = _entry(p, flags, parse, code_of)  # None when parsing fails or warns: re does it again, and says so
        if entry is None:
            return original(p, flags)
        try:
            pattern = build(p, *entry)
        except Exception:
            return original(p, flags)
        if checks[0] is None:  # the first time: is this what re builds? (if not, nothing is ever kept)
            checks[0] = pattern == original(p, flags)
            if not checks[0]:
                checks.clear()
                return original(p, flags)
        new[(p, flags)] = marshal.dumps(entry)
        if digest is not None:
            once.kept(digest)
        return pattern

    _state.update(original=original, table=table, new=new, once=once, pid=os.getpid(), compiler=_compiler)
    _compiler.compile = cached_compile
    return True


def _digest(p: str | bytes, flags: int) -> int | None:
    """A pattern's digest that is the same in every run (``hash`` of a text is not); None where it cannot be made
    (a Python without zlib: the pattern is then kept at once, as the wheel's build keeps them)."""
    try:
        import zlib

        raw = b"s" + p.encode("utf-8", "surrogatepass") if isinstance(p, str) else b"b" + p
        return zlib.crc32(raw, flags & 0xFFFFFFFF)
    except Exception:
        return None


class _SeenOnce:
    """The digests of the patterns compiled at import in one run and not kept (yet), oldest first: read packed
    (uint32), unpacked at the first pattern the table does not have. A pattern whose parsing warns is never kept: its
    digest stays, and is not noted again."""

    __slots__ = ("_digests", "_kept", "_packed", "noted")

    def __init__(self, packed: bytes) -> None:
        self._packed = packed
        self._digests: dict[int, None] | None = None
        self._kept: set[int] = set()
        self.noted = 0  # digests this run added: something to save

    def second_time(self, digest: int) -> bool:
        """Whether an earlier run compiled the pattern too; if not, its digest is noted."""
        if self._digests is None:
            from array import array

            digests = array("I")
            with contextlib.suppress(ValueError):
                digests.frombytes(self._packed)
            self._digests = dict.fromkeys(digests)
        if digest in self._digests:
            return True
        self._digests[digest] = None
        self.noted += 1
        return False

    def kept(self, digest: int) -> None:
        """The pattern is in the table now: its digest is no longer needed."""
        self._kept.add(digest)

    def packed(self) -> bytes:
        """What :func:`save` writes: the newest :data:`MAX_SEEN_ONCE` digests of patterns not kept."""
        if self._digests is None:
            return self._packed
        from array import array

        return array("I", [d for d in self._digests if d not in self._kept][-MAX_SEEN_ONCE:]).tobytes()


def _importing() -> bool:
    """True while a module is being imported (its code, or code it calls, is compiling the pattern)."""
    frame = sys._getframe(2)
    while frame is not None:
        if frame.f_code.co_name == "_call_with_frames_removed":  # importlib runs every module's code through it
            return True
        frame = frame.f_back
    return False


def _entry(p: Any, flags: int, parse: Any, code_of: Any) -> tuple[Any, ...] | None:
    """What ``_sre.compile`` takes after the pattern, as ``re._compiler.compile`` computes it; None if parsing warns."""
    import warnings

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            parsed = parse(p, flags)
            code = code_of(parsed, flags)
        except Exception:
            return None
    if caught:
        return None
    state = parsed.state
    groupindex = dict(state.groupdict)
    indexgroup: list[str | None] = [None] * state.groups
    for name, index in groupindex.items():
        indexgroup[index] = name
    return (int(flags | state.flags), [int(c) for c in code], state.groups - 1, groupindex, tuple(indexgroup))


def _read(file: str, *, trust: bool = True) -> tuple[dict[tuple[Any, int], bytes], bytes] | None:
    """The table in ``file``, each entry still packed, and the digests of the patterns seen once (packed uint32);
    None when there is no usable file. ``trust`` asks for the cache's owner and mode check (the wheel's file is
    package data)."""
    if trust and (trusted(file) is None or trusted(os.path.dirname(file)) is None):
        return None
    try:
        with open(file, "rb") as fh:
            header, table, once = marshal.loads(fh.read())
    except Exception:  # damaged or from elsewhere: rebuilt
        return None
    if header != _header() or type(table) is not dict or type(once) is not bytes:
        return None
    return {
        key: value
        for key, value in table.items()
        if type(key) is tuple
        and len(key) == 2
        and type(key[0]) in (str, bytes)
        and type(key[1]) is int
        and type(value) is bytes
    }, once


def _well_formed(value: Any) -> bool:
    """The shape :func:`_entry` makes (``_sre`` checks the code itself)."""
    return (
        type(value) is tuple
        and len(value) == 5
        and type(value[0]) is int
        and type(value[1]) is list  # of ints: _sre.compile checks each, and the code as a whole
        and type(value[2]) is int
        and type(value[3]) is dict
        and type(value[4]) is tuple
    )


def save(file: str | None = None) -> None:
    """Write the patterns this run compiled for the second time with those read, and the digests of those it compiled
    for the first time (the console script calls this at its end); ``file``: write there instead of the cache folder
    (the wheel's build)."""
    new = _state.get("new")
    once: _SeenOnce | None = _state.get("once")
    if not (new or (once and once.noted)) or _state.get("pid") != os.getpid():  # nothing new, or a forked worker
        return
    table = dict(_state["table"]) if len(_state["table"]) + len(new) <= MAX_ENTRIES else {}
    table.update(new)
    new.clear()
    packed_once = once.packed() if once is not None else b""
    file = file or path()
    folder = os.path.dirname(file)
    tmp = f"{file}.{os.getpid()}.tmp"
    try:
        os.makedirs(folder, mode=0o700, exist_ok=True)
        if file == path() and trusted(folder) is None:
            return
        mode = 0o600 if file == path() else 0o644  # the wheel's copy is read by whoever uses the install
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0), mode)
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(marshal.dumps((_header(), table, packed_once)))
            os.replace(tmp, file)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
            raise
    except (OSError, ValueError):
        pass
    _state["table"] = table
    _state["once"] = _SeenOnce(packed_once)


def uninstall() -> None:
    """Give ``re`` its own compiler back (tests)."""
    if _state:
        _state["compiler"].compile = _state["original"]
        _state.clear()
