"""The bundled templates, compiled ahead into data and rendered without Jinja: a letter no longer pays for importing it.

:mod:`rightscli.letters.template_ir` turns each bundled template, parsed by the same Jinja sandbox that renders it,
into a small tree of lists (the *program*): literal text, ``{{ value }}``, ``if``, ``for``, ``set``, ``include`` and
the few expressions the bundled templates use. The wheel ships the program of its templates
(``rightscli/_data/prebuilt/templates.msgpack``, made when the wheel is built); elsewhere (a source checkout) the
first letter makes it and keeps it in the cache folder. It is data, read like the catalog cache: nothing in it runs.

:func:`render` walks the program with the letter's values, exactly as the sandbox would render the template: the same
lookups (a key of a dict, else nothing), the same text for every value (:func:`~rightscli.letters.mdtext.finalize`),
the same limits (:mod:`rightscli.letters.caps`). Whatever it does not do the same way by construction — a value
missing (Jinja's StrictUndefined), a value that is not plain data, a limit approached, a template changed since it was
compiled, any error at all — ends the walk, and Jinja renders the template instead, from the start, so that what the
buyer gets (letter or error message) is always what Jinja gives. Only the bundled templates are compiled: with
``--template-dir`` Jinja renders every letter.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any

from rightscli import __version__
from rightscli.letters.caps import MAX_BUILT, MAX_INT_BITS, MAX_LOOP, MAX_OUTPUT, MAX_VALUE
from rightscli.letters.mdtext import MdSafe, finalize, md_escape
from rightscli.letters.program import (
    ADD,
    AND,
    ATTR,
    CONCAT,
    COND,
    CONST,
    DEFINED,
    FOR,
    FORMAT,
    IF,
    INCLUDE,
    ITEM,
    JOIN,
    LENGTH,
    NOT,
    OR,
    OUT,
    PROGRAM,
    SET,
    TEXT,
    VAR,
    check_template_dir,
    source,
)

# Attributes of a dict: a template asking a dict for one of these gets Jinja's answer (the method), not the key.
DICT_MEMBERS = frozenset(name for name in dir(dict) if not name.startswith("_"))


def render(names: Sequence[str], values: dict[str, Any], template_dir: Path | None, bundled: Path) -> str:
    """Render the first of ``names`` found (user folder first, then bundled) with ``values``: from the compiled
    program where it renders the same, else with Jinja (:func:`rightscli.letters.render.render`)."""
    check_template_dir(template_dir)
    if template_dir is None and len(names) == 1:
        text = _compiled(names[0], values, bundled)
        if text is not None:
            return text
    from rightscli.letters.render import render as jinja_render

    return jinja_render(names, values, template_dir, bundled)


class Fallback(Exception):
    """The compiled program does not render this exactly as Jinja would: Jinja renders it."""


def _compiled(name: str, values: dict[str, Any], bundled: Path) -> str | None:
    try:
        program = _program(bundled, name)
        if program is None or program["templates"][name][1] is None:
            return None  # no program for these files, or a template it does not compile
        return _Walk(program).document(name, values)
    except Exception:  # Fallback, or anything else: Jinja renders it and says what went wrong, if anything did
        return None


# -- the program: prebuilt, cached or made now ---------------------------------------------------------------------

_PROGRAMS: dict[str, dict[str, Any]] = {}  # bundled folder → the program in use (its templates checked or not yet)
_FILES: dict[tuple[str, str], str | None] = {}  # (bundled folder, template) → its text, read once a process


def _program(bundled: Path, name: str) -> dict[str, Any] | None:
    """The templates of a program whose sources are the bundled files ``name`` uses; None when there is none."""
    key = str(bundled)
    program = _PROGRAMS.get(key)
    if program is not None and _current(program, bundled, name):
        return program
    for candidate in _candidates(bundled):
        if _current(candidate, bundled, name):
            _PROGRAMS[key] = candidate
            return candidate
    return None


def _candidates(bundled: Path) -> Any:
    """Programs to try, in order: the one the wheel ships, the one in the cache folder, one made now."""
    from rightscli import catalog_cache, prebuilt
    from rightscli.catalog import templates_dir

    if bundled == templates_dir():
        shipped = _read(prebuilt.folder() / PROGRAM, trust=False)
        if shipped is not None:
            yield shipped
    if not catalog_cache.enabled():
        return  # no cache: making a program for one letter costs more than Jinja rendering it
    cached = catalog_cache.cache_dir() / PROGRAM
    found = _read(cached, trust=True)
    if found is not None and found.get("folder") == str(bundled):
        yield found
    from rightscli.letters.template_ir import build

    made = {"folder": str(bundled), "templates": build(bundled)}
    _write(cached, made)
    yield made


def _jinja_version() -> str:
    from rightscli.catalog_cache import installed_version

    return installed_version("jinja2")


def _header() -> list[Any]:
    return [FORMAT, __version__, _jinja_version()]


def _read(path: Path, *, trust: bool) -> dict[str, Any] | None:
    """A program file: ``trust`` asks for the cache's owner and mode check (the wheel's own file is package data)."""
    import msgspec

    from rightscli.cachedir import trusted

    if trust and (trusted(path) is None or trusted(path.parent) is None):
        return None
    try:
        header, program = msgspec.msgpack.decode(path.read_bytes())
    except Exception:
        return None
    if header != _header() or not isinstance(program, dict) or not isinstance(program.get("templates"), dict):
        return None
    return program


def _write(path: Path, program: dict[str, Any]) -> None:
    import msgspec

    from rightscli import catalog_cache

    catalog_cache.store_bytes(msgspec.msgpack.encode([_header(), program]), path.name)


def _current(program: dict[str, Any], bundled: Path, name: str) -> bool:
    """Every template ``name`` uses is in ``program`` with the source now in its file (each file read once)."""
    templates = program["templates"]
    todo, seen = [name], set()
    while todo:
        current = todo.pop()
        if current in seen:
            continue
        seen.add(current)
        entry = templates.get(current)
        if entry is None:
            return False  # a template the program does not know: made before it was added
        key = (str(bundled), current)
        if key not in _FILES:
            _FILES[key] = source(bundled, current)
        if _FILES[key] != entry[0]:
            return False
        todo.extend(entry[2])
    return True


# -- the walk --------------------------------------------------------------------------------------------------------

_MISSING = object()
# text → md_escape(text), for the process: a batch writes the same labels in every letter. Each letter's own texts
# (its facts, names, order number) are kept too, so the table is emptied when it is full: memory stays flat over
# 100,000 letters (20,000 texts kept added ~7 MB to each worker), and the labels come back with the next letter.
_ESCAPED: dict[str, str] = {}
ESCAPED_KEPT = 2_000


class _Loop:
    """``loop`` in a ``{% for %}``: the attributes of Jinja's LoopContext that templates read."""

    __slots__ = ("index0", "length")

    def __init__(self, index0: int, length: int) -> None:
        self.index0 = index0
        self.length = length

    def get(self, attr: str) -> Any:
        i, n = self.index0, self.length
        if attr == "index":
            return i + 1
        if attr == "last":
            return i == n - 1
        if attr == "first":
            return i == 0
        if attr == "index0":
            return i
        if attr == "length":
            return n
        if attr == "revindex":
            return n - i
        if attr == "revindex0":
            return n - i - 1
        raise Fallback(attr)  # cycle, changed, depth, previtem …: Jinja's


def _weight(value: Any) -> int:
    """limits.weight of a value that is not a container (containers go to Jinja)."""
    if isinstance(value, str):
        return len(value)
    if isinstance(value, int) and not isinstance(value, bool):
        return max(1, value.bit_length() // 3)
    if isinstance(value, bytes | list | tuple | set | frozenset | dict):
        raise Fallback("container")
    return 1


class _Walk:
    """One render: the output and what it has built, written and looped (limits.Budget), checked as it goes."""

    def __init__(self, program: dict[str, Any]) -> None:
        self.templates = program["templates"]
        self.out: list[str] = []
        self.built = 0
        self.loops = 0

    def document(self, name: str, values: dict[str, Any]) -> str:
        self.template(name, dict(values))
        text = "".join(self.out)
        if len(text) > MAX_OUTPUT:
            raise Fallback("output")
        return text

    def template(self, name: str, scope: dict[str, Any]) -> None:
        self.block(self.templates[name][1], scope)

    def charge(self, text: str) -> str:
        self.built += len(text)
        if self.built > MAX_BUILT:
            raise Fallback("built")
        return text

    def block(self, body: list[Any], scope: dict[str, Any]) -> None:
        out = self.out
        for node in body:
            op = node[0]
            if op == TEXT:
                out.append(node[1])
            elif op == OUT:
                out.append(self.write(self.expr(node[1], scope)))
            elif op == IF:
                for test, branch in node[1]:
                    if self.expr(test, scope):
                        self.block(branch, scope)
                        break
                else:
                    self.block(node[2], scope)
            elif op == FOR:
                self.loop(node, scope)
            elif op == SET:
                scope[node[1]] = self.expr(node[2], scope)
            elif op == INCLUDE:
                self.template(node[1], dict(scope))  # the included template sees this one's values, not vice versa
            else:
                raise Fallback(op)

    def loop(self, node: list[Any], scope: dict[str, Any]) -> None:
        _, target, iterable, body, else_ = node
        items = list(self.expr(iterable, scope))
        self.loops += len(items)
        if self.loops > MAX_LOOP:
            raise Fallback("loops")
        for i, item in enumerate(items):
            inner = dict(scope)
            inner[target] = item
            inner["loop"] = _Loop(i, len(items))
            self.block(body, inner)
        if not items:
            self.block(else_, scope)

    def write(self, value: Any) -> str:
        """``{{ value }}``: limits.check_value, then finalize, then the budget (LetterSandbox.finalize_value)."""
        if type(value) is str:  # most values: finalize is md_escape, kept for the next letter of a batch
            if len(value) > MAX_VALUE:
                raise Fallback("value")
            text = _ESCAPED.get(value)
            if text is None:
                text = md_escape(value)
                if len(_ESCAPED) >= ESCAPED_KEPT:
                    _ESCAPED.clear()
                _ESCAPED[value] = text
            return self.charge(text)
        if isinstance(value, int) and not isinstance(value, bool) and value.bit_length() > MAX_INT_BITS:
            raise Fallback("number")
        if _weight(value) > MAX_VALUE:
            raise Fallback("value")
        text = finalize(value)
        if type(text) is not str:
            raise Fallback("text")
        return self.charge(text)

    def expr(self, node: list[Any], scope: dict[str, Any]) -> Any:
        op = node[0]
        if op == VAR:
            value = scope.get(node[1], _MISSING)
            if value is _MISSING:
                raise Fallback(node[1])  # StrictUndefined: Jinja says which name is missing
            return value
        if op == CONST:
            return node[1]
        if op == ATTR:
            return _attr(self.expr(node[1], scope), node[2])
        if op == ITEM:
            obj, key = self.expr(node[1], scope), self.expr(node[2], scope)
            try:
                return obj[key]
            except (TypeError, LookupError):
                raise Fallback("item") from None
        if op == CONCAT:
            parts = [self.expr(part, scope) for part in node[1]]
            if len(parts) + sum(_weight(p) for p in parts) > MAX_VALUE:
                raise Fallback("concat")
            return self.charge("".join(map(str, parts)))
        if op == COND:
            if self.expr(node[1], scope):
                return self.expr(node[2], scope)
            if node[3] is None:
                raise Fallback("no else")  # Jinja's undefined value of an inline if without else
            return self.expr(node[3], scope)
        if op == NOT:
            return not self.expr(node[1], scope)
        if op == AND:
            return self.expr(node[1], scope) and self.expr(node[2], scope)
        if op == OR:
            return self.expr(node[1], scope) or self.expr(node[2], scope)
        if op == DEFINED:
            return node[1] in scope
        if op == JOIN:
            return self.join(self.expr(node[1], scope), self.expr(node[2], scope))
        if op == LENGTH:
            value = self.expr(node[1], scope)
            if isinstance(value, _Loop):
                raise Fallback("length")
            return len(value)
        if op == ADD:
            left, right = self.expr(node[1], scope), self.expr(node[2], scope)
            if type(left) is not int or type(right) is not int:
                raise Fallback("add")
            total = left + right
            if total.bit_length() > MAX_INT_BITS:
                raise Fallback("number")
            return total
        raise Fallback(op)

    def join(self, value: Any, separator: Any) -> str:
        """``value | join(separator)``: the sandbox's guarded join of text items."""
        items = list(value)
        if not all(isinstance(item, str) for item in items) or not isinstance(separator, str):
            raise Fallback("join")
        if len(items) + sum(map(len, items)) + len(items) * len(separator) > MAX_VALUE:
            raise Fallback("join")
        text = separator.join(items)
        if len(text) > MAX_VALUE:
            raise Fallback("join")
        return self.charge(text)


def _attr(obj: Any, name: str) -> Any:
    """``obj.name`` as the sandbox reads it, for plain data: a dict's key, a loop's counter, a data attribute."""
    if type(obj) is dict:
        if name in DICT_MEMBERS:
            raise Fallback(name)
        value = obj.get(name, _MISSING)
        if value is _MISSING:
            raise Fallback(name)
        return value
    if type(obj) is _Loop:
        return obj.get(name)
    if isinstance(obj, str | int | float | Decimal | list | tuple | MdSafe) or obj is None:
        raise Fallback(name)  # a method or nothing: Jinja answers
    value = getattr(obj, name, _MISSING)
    if value is _MISSING or callable(value) or name.startswith("_"):
        raise Fallback(name)
    return value
