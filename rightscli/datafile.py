"""Strict, safe reading of YAML and JSON data files, with the line of every value.

Used for case files, answer files and policy files alike. What it refuses, each with file and line:
files over :data:`MAX_BYTES`, text that is not UTF-8, NUL bytes, more than one YAML document, YAML aliases
(the "billion laughs" blow-up), any tag other than the plain core types (so no ``!!python/object``), duplicate
keys, non-scalar keys and nesting deeper than :data:`MAX_DEPTH`; in JSON also lone surrogate escapes (``\\ud800``)
and numbers of more than 4300 digits.

YAML is read from the event stream with an explicit stack, so deep input cannot exhaust Python's recursion
limit. Dates stay as their ISO text: the models parse them, so that ``2026-02-30`` is reported by the field that
holds it rather than as a YAML error.
"""

from __future__ import annotations

import contextlib
import re
from pathlib import Path
from typing import Any, BinaryIO

import msgspec
from msgspec import field

from rightscli.errors import InputError, UserError, os_reason
from rightscli.i18n import in_own_words, tr

MAX_BYTES = 1024 * 1024
MAX_DEPTH = 40
MAX_NODES = 200_000

# What a YAML library says of a limit that this module also enforces, whichever of the two answers first
# (libyaml 0.2.6 / PyYAML 6.0.4 refuse deep flow collections themselves): the same message either way.
_LIBRARY_LIMITS = ("nesting depth", "nested too deep", "recursion")

_CORE = "tag:yaml.org,2002:"
_SCALAR_TAGS = {f"{_CORE}{t}" for t in ("str", "int", "float", "bool", "null", "timestamp")}
_MAP_TAG = f"{_CORE}map"
_SEQ_TAG = f"{_CORE}seq"


class Document(msgspec.Struct):
    """Parsed data plus the 1-based line of each value, keyed by display path (``history[0].on``)."""

    data: Any
    source: str
    lines: dict[str, int] = field(default_factory=dict)
    json_text: str | None = None  # for JSON: the text, read for line numbers only when an error needs them

    def line_of(self, path: str) -> int | None:
        """The line of ``path`` or, failing that, of its nearest parent that has one."""
        if self.json_text is not None:
            # JSON is (almost always) YAML flow style: take the lines from a YAML reading, when it agrees.
            text, self.json_text = self.json_text, None
            with contextlib.suppress(UserError):
                self.lines = parse_yaml(text, self.source).lines
        while path:
            if path in self.lines:
                return self.lines[path]
            cut = max(path.rfind("."), path.rfind("["))
            path = path[:cut] if cut > 0 else ""
        return None


def join_path(parent: str, key: str | int) -> str:
    if isinstance(key, int):
        return f"{parent}[{key}]"
    return f"{parent}.{key}" if parent else str(key)


def read_bytes(
    path: str, stdin: BinaryIO | None = None, *, error: type[UserError] = InputError, regular: bool = False
) -> tuple[bytes, str]:
    """Read a file (or ``-`` for standard input) with the size limit; returns (bytes, display name).

    ``regular``: only a regular file is read (policy packs, letter data): a named pipe, a device or a socket is
    refused at once instead of being waited on. A case file may be a pipe (``rights assess <(…)``).
    """
    if path == "-":
        if stdin is None:
            raise error(tr("file.stdin_unavailable"), file="<stdin>")
        try:
            raw = stdin.read(MAX_BYTES + 1)
        except (OSError, ValueError):  # closed (`<&-`) or unreadable standard input
            raise error(tr("file.stdin_closed"), file="<stdin>") from None
        name = "<stdin>"
    else:
        p = Path(path)
        name = path
        try:
            if p.is_dir():
                raise error(tr("file.is_folder"), file=name)
            with _open_regular(p, name, error) if regular else p.open("rb") as fh:
                raw = fh.read(MAX_BYTES + 1)
        except FileNotFoundError:
            raise error(tr("file.not_found"), file=name) from None
        except PermissionError:
            raise error(tr("file.permission"), file=name) from None
        except OSError as exc:
            raise error(tr("file.cannot_read", reason=os_reason(exc)), file=name) from None
    if len(raw) > MAX_BYTES:
        raise error(tr("file.too_large", kib=MAX_BYTES // 1024), file=name)
    return raw, name


def _open_regular(path: Path, name: str, error: type[UserError]) -> BinaryIO:
    """``path`` opened for reading if it is a regular file (checked before and, on the open file, after opening
    without waiting, so that a pipe put in its place meanwhile cannot block)."""
    import os
    import stat

    if not stat.S_ISREG(os.stat(path).st_mode):
        raise error(tr("file.not_regular"), file=name)
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0))
    if not stat.S_ISREG(os.fstat(fd).st_mode):
        os.close(fd)
        raise error(tr("file.not_regular"), file=name)
    return os.fdopen(fd, "rb")


def decode(raw: bytes, source: str, *, error: type[UserError] = InputError) -> str:
    if b"\x00" in raw:
        line = raw[: raw.index(b"\x00")].count(b"\n") + 1
        raise error(tr("file.nul_byte"), file=source, line=line)
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise error(tr("file.not_utf8", offset=exc.start), file=source, line=line) from None
    return text.replace("\r\n", "\n")


def load(
    path: str, stdin: BinaryIO | None = None, *, error: type[UserError] = InputError, regular: bool = False
) -> Document:
    """Read and parse a YAML or JSON file: JSON when the name ends in .json, or when the text starts with ``{`` or
    ``[`` and is JSON; else YAML (also a YAML file written in flow style, ``{platform: taobao, …}``)."""
    raw, source = read_bytes(path, stdin, error=error, regular=regular)
    text = decode(raw, source, error=error)
    return parse_text(text, source, json_hint=path.lower().endswith(".json"), error=error)


def parse_text(text: str, source: str, *, json_hint: bool = False, error: type[UserError] = InputError) -> Document:
    if not text.strip():
        raise error(tr("file.empty"), file=source)
    if json_hint:
        return _parse_json(text, source, error)
    if text.lstrip().startswith(("{", "[")):
        try:
            return _parse_json(text, source, error, strict=False)
        except _NotJson:
            pass
        try:  # not JSON: YAML's flow style ({platform: taobao, order: {…}}) is a valid case file too
            return parse_yaml(text, source, error=error)
        except UserError:
            if _JSON_START.match(text):  # written as JSON ({"platform": …): the JSON error says more
                _parse_json(text, source, error)
            raise
    return parse_yaml(text, source, error=error)


_JSON_START = re.compile(r'\s*[\[{]\s*[\[{]?\s*"')


class _NotJson(Exception):
    """The text is not JSON syntax at all (raised instead of the error when ``strict`` is false)."""


def _parse_json(text: str, source: str, error: type[UserError], *, strict: bool = True) -> Document:
    import json

    # Only a \\ud800-style escape (or a surrogate already in the text) can make a lone surrogate: without one, the
    # keys and texts need no check one by one (a batch line: ~70 texts).
    texts_checked = _no_surrogates(text)

    def pairs(items: list[tuple[str, Any]]) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for key, value in items:
            if not texts_checked:
                _check_text(key, source, error)
            if key in out:
                raise error(tr("file.duplicate_key", key=key), file=source)
            out[key] = value
        return out

    def no_constant(name: str) -> None:
        raise error(tr("file.json_constant", name=name), file=source)

    try:
        data = json.loads(text, object_pairs_hook=pairs, parse_constant=no_constant)
    except json.JSONDecodeError as exc:
        if not strict:
            raise _NotJson from None
        message = tr("file.bad_json", problem=json_problem(exc.msg), column=exc.colno)
        raise error(message, file=source, line=exc.lineno) from None
    except RecursionError:
        raise error(_depth_message(), file=source) from None
    except ValueError:  # Python reads at most 4300 digits into an int
        raise error(tr("file.too_many_digits"), file=source) from None
    # Each level of nesting opens with a { or a [: with fewer of them in the whole text than MAX_DEPTH, no value is
    # deeper than MAX_DEPTH (the root is at depth 1), and only the texts may need a look.
    if text.count("{") + text.count("[") >= MAX_DEPTH or not texts_checked:
        _check_depth(data, source, error, texts=not texts_checked)
    return Document(data, source, json_text=text)


_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")


def _no_surrogates(text: str) -> bool:
    """True when no text parsed from JSON ``text`` can hold a lone surrogate: none in ``text`` itself (it encodes as
    UTF-8) and no escape of one (``\\ud800`` to ``\\udfff``; an escaped backslash before ``ud8…`` also counts, and
    only means the texts are checked one by one)."""
    if _SURROGATE_ESCAPE.search(text):
        return False
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _check_depth(data: Any, source: str, error: type[UserError], *, texts: bool = True) -> None:
    """Refuse nesting deeper than MAX_DEPTH and (``texts``) a text with a lone surrogate."""
    stack: list[tuple[Any, int]] = [(data, 1)]
    while stack:
        value, depth = stack.pop()
        if depth > MAX_DEPTH:
            raise error(_depth_message(), file=source)
        if isinstance(value, dict):
            stack.extend((v, depth + 1) for v in value.values())
        elif isinstance(value, list):
            stack.extend((v, depth + 1) for v in value)
        elif texts and isinstance(value, str):
            _check_text(value, source, error)


def _check_text(text: str, source: str, error: type[UserError]) -> None:
    """JSON's \\ud800-style escapes can make text that is not Unicode (a lone surrogate); YAML refuses these too."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        raise error(tr("file.lone_surrogate"), file=source) from None


class _Frame:
    __slots__ = ("container", "key", "key_line", "path")

    def __init__(self, container: dict[Any, Any] | list[Any], path: str) -> None:
        self.container = container
        self.path = path
        self.key: Any = _NO_KEY
        self.key_line = 0


_NO_KEY = object()


def parse_yaml(text: str, source: str, *, error: type[UserError] = InputError) -> Document:
    """Parse one YAML document from its event stream (no recursion, no object construction)."""
    import yaml
    from yaml import events as ev

    loader_cls = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    resolver = yaml.resolver.Resolver()
    constructor = yaml.constructor.SafeConstructor()
    lines: dict[str, int] = {}
    stack: list[_Frame] = []
    root: Any = None
    documents = 0
    nodes = 0

    def place(value: Any, line: int) -> str:
        """Attach a finished value to the current container; returns its path."""
        nonlocal root
        if not stack:
            root = value
            return ""
        top = stack[-1]
        if isinstance(top.container, list):
            path = join_path(top.path, len(top.container))
            top.container.append(value)
            lines.setdefault(path, line)
            return path
        if top.key is _NO_KEY:  # this value is a key
            if isinstance(value, (dict, list)):
                raise error(tr("file.key_not_plain"), file=source, line=line)
            if value in top.container:
                path = join_path(top.path, str(value))
                first = lines.get(path)
                text = (
                    tr("file.duplicate_key_at", key=value, first=first)
                    if first
                    else tr("file.duplicate_key", key=value)
                )
                raise error(text, file=source, line=line, path=path)
            top.key = value
            top.key_line = line
            return top.path
        path = join_path(top.path, str(top.key))
        top.container[top.key] = value
        lines[path] = top.key_line
        top.key = _NO_KEY
        return path

    try:
        for event in yaml.parse(text, Loader=loader_cls):
            line = (event.start_mark.line + 1) if event.start_mark else 0
            if isinstance(event, ev.DocumentStartEvent):
                documents += 1
                if documents > 1:
                    raise error(tr("file.many_documents"), file=source, line=line)
                continue
            if isinstance(event, ev.AliasEvent):
                raise error(tr("file.alias", anchor=event.anchor), file=source, line=line)
            if isinstance(event, (ev.ScalarEvent, ev.MappingStartEvent, ev.SequenceStartEvent)):
                nodes += 1
                if nodes > MAX_NODES:
                    raise error(tr("file.too_many_values", limit=MAX_NODES), file=source, line=line)
            if isinstance(event, ev.ScalarEvent):
                value = _scalar(event, resolver, constructor, source, line, error)
                if stack and isinstance(stack[-1].container, dict) and stack[-1].key is _NO_KEY:
                    value = event.value  # keys are text: `on:` is not the YAML 1.1 boolean
                place(value, line)
            elif isinstance(event, (ev.MappingStartEvent, ev.SequenceStartEvent)):
                is_map = isinstance(event, ev.MappingStartEvent)
                expected = _MAP_TAG if is_map else _SEQ_TAG
                if event.tag not in (None, "!", expected):
                    raise error(tr("file.tag", tag=event.tag), file=source, line=line)
                if len(stack) >= MAX_DEPTH:
                    raise error(_depth_message(), file=source, line=line)
                container: dict[Any, Any] | list[Any] = {} if is_map else []
                if stack and isinstance(stack[-1].container, dict) and stack[-1].key is _NO_KEY:
                    raise error(tr("file.key_not_plain"), file=source, line=line)
                path = place(container, line)
                stack.append(_Frame(container, path))
            elif isinstance(event, (ev.MappingEndEvent, ev.SequenceEndEvent)):
                stack.pop()
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
        line = (mark.line + 1) if mark else None
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise error(_library_problem(problem), file=source, line=line) from None
    except RecursionError:  # a pure-Python YAML build recursing through a deep flow collection
        raise error(_depth_message(), file=source) from None
    return Document(root, source, lines)


def _depth_message() -> str:
    return tr("file.too_deep", depth=MAX_DEPTH)


def _library_problem(problem: str) -> str:
    if any(words in problem.lower() for words in _LIBRARY_LIMITS):
        return _depth_message()
    return tr("file.bad_yaml", problem=_yaml_problem(problem))


# The problems libyaml reports most often, put in the buyer's words (others are shown as the library says them).
_YAML_PROBLEMS = {
    "mapping values are not allowed": "file.yaml.mapping_values",  # libyaml: "… in this context"; PyYAML: "… here"
    "sequence entries are not allowed": "file.yaml.sequence_entries",
    "expected ',' or ']'": "file.yaml.unclosed_list",
    "expected ',' or '}'": "file.yaml.unclosed_mapping",
    "<document start>": "file.yaml.document_start",
    "expected <block end>": "file.yaml.expected_key",  # PyYAML's words where libyaml's are "did not find expected key"
    "could not find expected ':'": "file.yaml.expected_colon",
    "did not find expected key": "file.yaml.expected_key",
    "did not find expected '-' indicator": "file.yaml.expected_dash",
    "that cannot start any token": "file.yaml.bad_character",
    "found unexpected end of stream": "file.yaml.unexpected_end",
    "found undefined tag handle": "file.yaml.undefined_tag",
    "found unknown escape character": "file.yaml.bad_escape",
    "did not find expected node content": "file.yaml.expected_value",
    "found a tab character that violates indentation": "file.yaml.tab_indent",
}


# The problems Python's json module reports (its messages are English), put in the buyer's words.
_JSON_PROBLEMS = {
    "Expecting value": "file.json.expected_value",
    "Expecting property name enclosed in double quotes": "file.json.expected_name",
    "Expecting ':' delimiter": "file.json.expected_colon",
    "Expecting ',' delimiter": "file.json.expected_comma",
    "Unterminated string starting at": "file.json.unterminated_string",
    "Invalid control character at": "file.json.control_character",
    "Invalid \\escape": "file.json.bad_escape",  # the pure-Python scanner adds the escape: "Invalid \\escape: 'q'"
    "Invalid \\uXXXX escape": "file.json.bad_unicode_escape",
    "Extra data": "file.json.extra_data",
    "Illegal trailing comma before end of": "file.json.trailing_comma",  # Python 3.13+: "… of object" / "… of array"
}


def json_problem(problem: str) -> str:
    """A JSON syntax problem (``JSONDecodeError.msg``) in the interface's language; one not known is shown as the
    library says it."""
    return in_own_words(problem, _JSON_PROBLEMS)


def _yaml_problem(problem: str) -> str:
    return in_own_words(problem, _YAML_PROBLEMS)


def _scalar(event: Any, resolver: Any, constructor: Any, source: str, line: int, error: type[UserError]) -> Any:
    import yaml

    tag = event.tag
    if tag in (None, "!"):
        tag = resolver.resolve(yaml.ScalarNode, event.value, event.implicit)
    if tag not in _SCALAR_TAGS:  # event.tag is None for an implicit one, such as the merge key <<
        raise error(tr("file.tag", tag=event.tag or tag), file=source, line=line)
    node = yaml.ScalarNode(tag, event.value)
    kind = tag[len(_CORE) :]
    if kind in ("str", "timestamp"):
        return event.value
    try:
        if kind == "null":
            return None
        if kind == "bool":
            return constructor.construct_yaml_bool(node)
        if kind == "int":
            return constructor.construct_yaml_int(node)
        return constructor.construct_yaml_float(node)
    except (ValueError, yaml.YAMLError):
        raise error(
            tr("file.bad_scalar", value=event.value, kind=tr(f"file.kind_{kind}")), file=source, line=line
        ) from None
