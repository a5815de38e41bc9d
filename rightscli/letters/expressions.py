"""The expressions of a bundled template's program (:mod:`rightscli.letters.program`) as Python closures, for
:mod:`rightscli.letters.closures`: each node becomes one closure made for its opcode, ``value(scope, budget)``, which
reads the values exactly as the sandbox would (a key of a dict, a loop's counter, a data attribute) and raises
:class:`Fallback` wherever the sandbox could answer otherwise (a name missing, a dict's method, a container, a limit).
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

from rightscli.letters.caps import MAX_BUILT, MAX_INT_BITS, MAX_VALUE
from rightscli.letters.mdtext import MdSafe
from rightscli.letters.program import ADD, AND, ATTR, CONCAT, COND, CONST, DEFINED, ITEM, JOIN, LENGTH, NOT, OR, VAR

# Attributes of a dict: a template asking a dict for one of these gets Jinja's answer (the method), not the key.
DICT_MEMBERS = frozenset(name for name in dir(dict) if not name.startswith("_"))
_MISSING = object()


class Fallback(Exception):
    """The compiled program does not render this exactly as Jinja would: Jinja renders it."""


class Budget:
    """What one letter has built (text made by ``~``, ``join`` and ``{{ … }}``) and looped: limits.Budget's counts."""

    __slots__ = ("built", "loops")

    def __init__(self) -> None:
        self.built = 0
        self.loops = 0


def charge(budget: Budget, text: str) -> str:
    budget.built += len(text)
    if budget.built > MAX_BUILT:
        raise Fallback("built")
    return text


Scope = dict[str, Any]
Expr = Callable[[Scope, Budget], Any]


def expression(node: list[Any]) -> Expr:
    """The closure of an expression; one that raises :class:`Fallback` for a node it cannot read (the walk of the
    program stopped there too)."""
    try:
        return _EXPRESSIONS[node[0]](node)
    except Exception:
        return fails(node[0] if type(node) is list and node else "node")


def fails(why: Any) -> Expr:
    def value(scope: Scope, budget: Budget) -> Any:
        raise Fallback(why)

    return value


def _var(node: list[Any]) -> Expr:
    name = node[1]

    def value(scope: Scope, budget: Budget) -> Any:
        try:
            return scope[name]
        except KeyError:
            raise Fallback(name) from None  # StrictUndefined: Jinja says which name is missing

    return value


def _const(node: list[Any]) -> Expr:
    constant = node[1]

    def value(scope: Scope, budget: Budget) -> Any:
        return constant

    return value


def name_attr(node: list[Any]) -> tuple[str, str] | None:
    """(name, attr) of ``name.attr`` that is not a dict's method (the most common value of a letter), else None."""
    if node[0] == ATTR and node[2] not in DICT_MEMBERS:
        inner = node[1]
        if type(inner) is list and len(inner) == 2 and inner[0] == VAR:
            return inner[1], node[2]
    return None


def attribute(obj: Any, name: str) -> Any:
    """``obj.name`` of what is not a dict, as the sandbox reads it for plain data: a loop's counter, a data
    attribute."""
    if type(obj) is Loop:
        return counter(name)(obj)
    if isinstance(obj, str | int | float | Decimal | list | tuple | MdSafe) or obj is None:
        raise Fallback(name)  # a method or nothing: Jinja answers
    value = getattr(obj, name, _MISSING)
    if value is _MISSING or callable(value) or name.startswith("_"):
        raise Fallback(name)
    return value


def _attr(node: list[Any]) -> Expr:
    name = node[2]
    pair = name_attr(node)
    if pair is not None:  # name.attr, in one call
        var = pair[0]

        def var_attr(scope: Scope, budget: Budget) -> Any:
            try:
                obj = scope[var]
            except KeyError:
                raise Fallback(var) from None
            if type(obj) is dict:
                try:
                    return obj[name]
                except KeyError:
                    raise Fallback(name) from None
            return attribute(obj, name)

        return var_attr
    of = expression(node[1])
    member = name in DICT_MEMBERS  # a dict's method: Jinja's

    def attr(scope: Scope, budget: Budget) -> Any:
        obj = of(scope, budget)
        if type(obj) is dict:
            if member:
                raise Fallback(name)
            try:
                return obj[name]
            except KeyError:
                raise Fallback(name) from None
        return attribute(obj, name)

    return attr


def _item(node: list[Any]) -> Expr:
    of, key_of = expression(node[1]), expression(node[2])

    def value(scope: Scope, budget: Budget) -> Any:
        obj, key = of(scope, budget), key_of(scope, budget)
        try:
            return obj[key]
        except (TypeError, LookupError):
            raise Fallback("item") from None

    return value


def _concat(node: list[Any]) -> Expr:
    parts_of = tuple(expression(part) for part in node[1])

    def value(scope: Scope, budget: Budget) -> Any:
        parts = [part(scope, budget) for part in parts_of]
        if len(parts) + sum(weight(p) for p in parts) > MAX_VALUE:
            raise Fallback("concat")
        return charge(budget, "".join(map(str, parts)))

    return value


def _cond(node: list[Any]) -> Expr:
    test, then = expression(node[1]), expression(node[2])
    otherwise = fails("no else") if node[3] is None else expression(node[3])  # Jinja's undefined, without else

    def value(scope: Scope, budget: Budget) -> Any:
        return then(scope, budget) if test(scope, budget) else otherwise(scope, budget)

    return value


def _not(node: list[Any]) -> Expr:
    of = expression(node[1])

    def value(scope: Scope, budget: Budget) -> Any:
        return not of(scope, budget)

    return value


def _and(node: list[Any]) -> Expr:
    left, right = expression(node[1]), expression(node[2])

    def value(scope: Scope, budget: Budget) -> Any:
        return left(scope, budget) and right(scope, budget)

    return value


def _or(node: list[Any]) -> Expr:
    left, right = expression(node[1]), expression(node[2])

    def value(scope: Scope, budget: Budget) -> Any:
        return left(scope, budget) or right(scope, budget)

    return value


def _defined(node: list[Any]) -> Expr:
    name = node[1]

    def value(scope: Scope, budget: Budget) -> Any:
        return name in scope

    return value


def _join(node: list[Any]) -> Expr:
    """``value | join(separator)``: the sandbox's guarded join of text items."""
    items_of, separator_of = expression(node[1]), expression(node[2])

    def value(scope: Scope, budget: Budget) -> Any:
        items = list(items_of(scope, budget))
        separator = separator_of(scope, budget)
        if not all(isinstance(item, str) for item in items) or not isinstance(separator, str):
            raise Fallback("join")
        if len(items) + sum(map(len, items)) + len(items) * len(separator) > MAX_VALUE:
            raise Fallback("join")
        text = separator.join(items)
        if len(text) > MAX_VALUE:
            raise Fallback("join")
        return charge(budget, text)

    return value


def _length(node: list[Any]) -> Expr:
    of = expression(node[1])

    def value(scope: Scope, budget: Budget) -> Any:
        found = of(scope, budget)
        if isinstance(found, Loop):
            raise Fallback("length")
        return len(found)

    return value


def _add(node: list[Any]) -> Expr:
    left_of, right_of = expression(node[1]), expression(node[2])

    def value(scope: Scope, budget: Budget) -> Any:
        left, right = left_of(scope, budget), right_of(scope, budget)
        if type(left) is not int or type(right) is not int:
            raise Fallback("add")
        total = left + right
        if total.bit_length() > MAX_INT_BITS:
            raise Fallback("number")
        return total

    return value


_EXPRESSIONS: dict[int, Callable[[list[Any]], Expr]] = {
    VAR: _var,
    CONST: _const,
    ATTR: _attr,
    ITEM: _item,
    CONCAT: _concat,
    COND: _cond,
    NOT: _not,
    AND: _and,
    OR: _or,
    DEFINED: _defined,
    JOIN: _join,
    LENGTH: _length,
    ADD: _add,
}


# -- values ----------------------------------------------------------------------------------------------------------


class Loop:
    """``loop`` in a ``{% for %}``: the attributes of Jinja's LoopContext that templates read."""

    __slots__ = ("index0", "length")

    def __init__(self, index0: int, length: int) -> None:
        self.index0 = index0
        self.length = length


def counter(name: str) -> Callable[[Loop], Any]:
    """``loop.name``: one of the counters of Jinja's LoopContext, or what raises Fallback for the rest (cycle,
    changed, depth, previtem …: Jinja's)."""
    found = _COUNTERS.get(name)
    if found is None:

        def other(loop: Loop) -> Any:
            raise Fallback(name)

        return other
    return found


_COUNTERS: dict[str, Callable[[Loop], Any]] = {
    "index": lambda loop: loop.index0 + 1,
    "last": lambda loop: loop.index0 == loop.length - 1,
    "first": lambda loop: loop.index0 == 0,
    "index0": lambda loop: loop.index0,
    "length": lambda loop: loop.length,
    "revindex": lambda loop: loop.length - loop.index0,
    "revindex0": lambda loop: loop.length - loop.index0 - 1,
}


def weight(value: Any) -> int:
    """limits.weight of a value that is not a container (containers go to Jinja)."""
    if isinstance(value, str):
        return len(value)
    if isinstance(value, int) and not isinstance(value, bool):
        return max(1, value.bit_length() // 3)
    if isinstance(value, bytes | list | tuple | set | frozenset | dict):
        raise Fallback("container")
    return 1
