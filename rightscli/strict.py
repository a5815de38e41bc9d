"""Read a data file against a schema of msgspec Structs: ``msgspec.convert`` checks every key and type, and every
problem is said as the format says it, with file, line and key.

A document converts in one call. When it does not, msgspec names the first problem only; the reader then goes through
the document key by key and item by item, converting each value on its own, so that every problem of the file is
reported at once: unknown keys (with the key meant, where one is close), missing keys, values of the wrong type or
outside their set. The path of a bad value is mapped to its line through the document's line table
(:meth:`rightscli.datafile.Document.line_of`). A null value is a missing key; the text of the Structs in
:attr:`StrictReader.STRIPPED` is read stripped of surrounding space (YAML block text ends in a newline).
"""

from __future__ import annotations

import contextlib
import difflib
import re
import types
import typing
from functools import cache
from typing import Any, ClassVar

import msgspec

from rightscli.datafile import Document, join_path
from rightscli.errors import PolicyError
from rightscli.i18n import tr

_BAD = object()  # a field that is there but did not convert (see StrictReader.parts)
_AT = re.compile(r"^(.*?)(?: - at `\$(.*)`)?$", re.DOTALL)


class StrictReader:
    """Reads one document against Structs, collecting :class:`PolicyError` s with file and line."""

    STRIPPED: ClassVar[tuple[type, ...]] = ()  # Structs whose text is read stripped
    MESSAGES: ClassVar[dict[str, str]] = {}  # key → the message for a bad value of that key (a catalogue key)
    LISTS: ClassVar[frozenset[str]] = frozenset()  # keys whose bad value is "expected a non-empty list of <key>"
    HIDDEN: ClassVar[tuple[str, ...]] = ()  # fields the reader fills in: not keys of the file
    COUNT_LIMIT: ClassVar[int] = 0  # the largest whole number, named in the message for a bad one

    def __init__(self, doc: Document) -> None:
        self.doc = doc
        self.errors: list[PolicyError] = []

    def fail(self, path: str, message: str) -> None:
        self.errors.append(PolicyError(message, file=self.doc.source, line=self.doc.line_of(path), path=path))

    def whole(self, raw: dict[Any, Any], tp: Any, path: str) -> bool:
        """A problem of a whole Struct said in one message (True when said); none here."""
        return False

    def special(self, key: str, raw: Any, where: str) -> bool:
        """A problem of a value said as its key needs (True when said); none here."""
        return False

    # -- the schema: msgspec.convert, and every problem it would find ----------------------------------------------
    def convert(self, raw: Any, tp: Any, path: str) -> Any:
        """``raw`` as a ``tp`` (:func:`_prepared` first); None when it is not one, with every problem recorded."""
        raw = self.prepared(raw, tp)
        try:
            return msgspec.convert(raw, tp)
        except msgspec.ValidationError as exc:
            before = len(self.errors)
            self._explain(raw, tp, path, str(exc))
            if len(self.errors) == before:  # nothing more precise found: what msgspec said, where it said it
                self._leaf(raw, tp, path, str(exc))
            return None

    def _explain(self, raw: Any, tp: Any, path: str, message: str) -> None:
        """Record every problem of ``raw`` against ``tp``: key by key in a mapping, item by item in a list, else the
        one ``message`` msgspec gave."""
        inner = _optional(tp)
        if raw is not None and inner is not tp:
            tp = inner
        if isinstance(raw, dict) and _struct_of(tp) is not None:
            tp = _struct_of(tp)
        if isinstance(tp, type) and issubclass(tp, msgspec.Struct) and isinstance(raw, dict):
            if not self.whole(raw, tp, path):
                self._keys(raw, tp, path)
            return None
        item = _items(tp)
        if item is not None and isinstance(raw, list) and raw:
            for i, value in enumerate(raw):
                self._part(value, item, join_path(path, i))
            return None
        mapping = _mapping(tp)
        if mapping is not None and isinstance(raw, dict):
            keys, values = mapping
            for key, value in raw.items():
                if keys and key not in keys:
                    self._unknown_key(key, path, list(keys))
                else:
                    self._part(value, values, join_path(path, str(key)))
            return None
        self._leaf(raw, tp, path, message)
        return None

    def _keys(self, raw: dict[Any, Any], tp: Any, path: str) -> None:
        fields = {f.encode_name: f for f in msgspec.structs.fields(tp) if f.encode_name not in self.HIDDEN}
        for key in raw:
            if key not in fields:
                self._unknown_key(key, path, list(fields))
        for key, f in fields.items():
            value = raw.get(key)
            if value is None:
                if f.required:
                    self.fail(join_path(path, key), tr("policy.required"))
                continue
            self._part(value, f.type, join_path(path, key))

    def _part(self, raw: Any, tp: Any, path: str) -> None:
        try:
            msgspec.convert(raw, tp)
        except msgspec.ValidationError as exc:
            self._explain(raw, tp, path, str(exc))

    def _unknown_key(self, key: Any, path: str, allowed: list[str]) -> None:
        hint = difflib.get_close_matches(str(key), allowed, n=1, cutoff=0.6)
        where = join_path(path, str(key))
        if hint:
            self.fail(where, tr("case.unknown_key_hint", key=key, hint=hint[0]))
        else:
            self.fail(where, tr("case.unknown_key", key=key, known=", ".join(allowed)))

    def _leaf(self, raw: Any, tp: Any, path: str, message: str) -> None:
        """The one problem msgspec found in a value, said as the format says it."""
        text, at = _AT.match(message).groups()  # type: ignore[union-attr]
        where = (path + at).lstrip(".") if at else path
        key = re.sub(r"\[\d+\]$", "", where).rpartition(".")[2]
        allowed = _choices(tp)
        if text.startswith("Invalid enum value") and allowed:
            self.fail(where, tr("case.unknown_value", got=repr(_value(raw, at)), allowed=", ".join(allowed)))
        elif self.special(key, _value(raw, at), where):
            pass
        elif key in self.MESSAGES:
            self.fail(where, tr(self.MESSAGES[key]))
        elif key in self.LISTS and "array" in text:
            self.fail(where, tr("policy.expected_list_of", what=key))
        elif text.startswith("Expected `object`") or "`object`, got" in text:
            self.fail(where, tr("policy.expected_mapping"))
        elif text.startswith("Expected `array`"):
            self.fail(where, tr("policy.expected_list"))
        elif text.startswith("Expected `int`") or "`int`" in text:
            self.fail(where, tr("policy.expected_count", limit=self.COUNT_LIMIT, got=repr(_value(raw, at))))
        elif "date" in text:
            self.fail(where, tr("policy.not_date", value=_value(raw, at)))
        elif "`bool`" in text:
            self.fail(where, tr("cond.expected_bool"))
        else:  # text: a string was expected
            self.fail(where, tr("policy.expected_text", got=repr(_value(raw, at))))

    def each(self, items: tuple[Any, ...] | None, key: str, tp: Any) -> list[tuple[int, Any]]:
        """The items of a list document, numbered; when the document did not convert, each item that does on its
        own (so that what the schema cannot say is checked for those too)."""
        if items:
            return list(enumerate(items))
        raw = self.doc.data.get(key) if isinstance(self.doc.data, dict) else None
        out = []
        for i, item in enumerate(raw if isinstance(raw, list) else []):
            with contextlib.suppress(msgspec.ValidationError):
                out.append((i, msgspec.convert(self.prepared(item, tp), tp)))
        return out

    def parts(self, raw: dict[Any, Any], tp: Any) -> Any:
        """The fields of ``raw`` that convert on their own, the others at their default (None if required; a field
        there that does not convert is :data:`_BAD`, or the parts of its own Struct): for the checks of a document
        that did not convert as a whole."""
        prepared = self.prepared(raw, tp)
        parts: dict[str, Any] = {}
        for f in msgspec.structs.fields(tp):
            value = f.default if f.default is not msgspec.NODEFAULT else None
            if f.default_factory is not msgspec.NODEFAULT:
                value = f.default_factory()
            if prepared.get(f.encode_name) is not None:
                try:
                    value = msgspec.convert(prepared[f.encode_name], f.type)
                except msgspec.ValidationError:
                    struct = _unannotated(_optional(f.type))
                    nested = isinstance(struct, type) and issubclass(struct, msgspec.Struct)
                    value = (
                        self.parts(prepared[f.encode_name], struct)
                        if nested and isinstance(prepared[f.encode_name], dict)
                        else _BAD
                    )
            parts[f.name] = value
        return types.SimpleNamespace(**parts)

    def prepared(self, raw: Any, tp: Any) -> Any:
        """The document as the schema reads it: a key whose value is null is left out (the key is missing: its
        default, or "is required"); the text of :attr:`STRIPPED` Structs stripped. Other mappings (conditions,
        amounts) are kept as written."""
        tp = _unannotated(_optional(tp))
        if isinstance(raw, dict):
            struct = tp if isinstance(tp, type) and issubclass(tp, msgspec.Struct) else _struct_of(tp)
            if struct in self.STRIPPED:
                return {k: v.strip() if isinstance(v, str) else v for k, v in raw.items()}
            if struct is not None:
                types_ = _field_types(struct)
                return {k: self.prepared(v, types_[k]) if k in types_ else v for k, v in raw.items() if v is not None}
            mapping = _mapping(tp)
            if mapping is not None:
                return {k: self.prepared(v, mapping[1]) for k, v in raw.items()}
            return raw
        item = _items(tp)
        if item is not None and isinstance(raw, list):
            return [self.prepared(v, item) for v in raw]
        return raw


def _struct_of(tp: Any) -> Any:
    """The Struct member of a union such as ``str | FromEvent``, if any."""
    for arg in typing.get_args(tp) if typing.get_origin(tp) in (typing.Union, types.UnionType) else ():
        if isinstance(arg, type) and issubclass(arg, msgspec.Struct):
            return arg
    return None


def got(value: Any) -> bool:
    return value is not None and value is not _BAD


def _value(raw: Any, at: str | None) -> Any:
    """The value at msgspec's path ``at`` (``.key``, ``[i]``) under ``raw``."""
    for part in re.findall(r"\.([^.\[]+)|\[(\d+)\]", at or ""):
        key, index = part
        try:
            raw = raw[int(index)] if index else raw[key]
        except (KeyError, IndexError, TypeError):
            return raw
    return raw


def _optional(tp: Any) -> Any:
    """``X`` for ``X | None``, else ``tp``."""
    if typing.get_origin(tp) in (typing.Union, types.UnionType):
        args = [a for a in typing.get_args(tp) if a is not type(None)]
        if len(args) == 1:
            return args[0]
    return tp


def _unannotated(tp: Any) -> Any:
    return typing.get_args(tp)[0] if typing.get_origin(tp) is typing.Annotated else tp


def _items(tp: Any) -> Any:
    """The item type of ``tuple[X, ...]`` (or a list), else None."""
    tp = _unannotated(tp)
    args = typing.get_args(tp)
    if typing.get_origin(tp) is tuple and len(args) == 2 and args[1] is Ellipsis:
        return args[0]
    if typing.get_origin(tp) is list:
        return args[0]
    return None


def _mapping(tp: Any) -> tuple[tuple[str, ...], Any] | None:
    """(the allowed keys, or () for any; the value type) of ``dict[K, V]``, else None."""
    if typing.get_origin(tp) is not dict:
        return None
    key, value = typing.get_args(tp)
    if value is Any:
        return None
    return _choices(key), value


def _choices(tp: Any) -> tuple[str, ...]:
    """The values of a ``Literal`` (also inside ``X | None`` or a tuple of them), else ()."""
    tp = _unannotated(_optional(tp))
    if typing.get_origin(tp) is typing.Literal:
        return tuple(str(v) for v in typing.get_args(tp))
    item = _items(tp)
    return _choices(item) if item is not None else ()


@cache
def field_names(tp: Any) -> tuple[str, ...]:
    return tuple(f.encode_name for f in msgspec.structs.fields(tp))


@cache
def _field_types(tp: Any) -> dict[str, Any]:
    return {f.encode_name: f.type for f in msgspec.structs.fields(tp)}
