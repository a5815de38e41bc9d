"""The program of a bundled template (:mod:`rightscli.letters.program`) as Python closures, made once a process and
run for every letter (:mod:`rightscli.letters.compiled` keeps them with the program they were made from).

Each statement of the program becomes one closure made for its opcode, ``run(scope, out, budget)``, which appends its
text to ``out``; its expressions are closures too (:mod:`rightscli.letters.expressions`). A letter runs them without
looking at an opcode again. They do what the sandbox does, node by node: the same lookups, the same text for every
value, the same limits counted in the same order (:class:`~rightscli.letters.expressions.Budget`), and
:class:`~rightscli.letters.expressions.Fallback` wherever the sandbox could answer otherwise — Jinja then renders the
template from the start. A node the compiler cannot read becomes a closure that raises Fallback when it is reached; a
template included is compiled when it is first included. Only data of the program goes into the closures (texts,
names, constants): nothing in the program runs.

The literal text around a ``{{ … }}`` is written by its closure (``before``, ``after``): most of a letter's text is
written with the values next to it, without a call of its own.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from rightscli.letters.caps import MAX_BUILT, MAX_INT_BITS, MAX_LOOP, MAX_OUTPUT, MAX_VALUE
from rightscli.letters.expressions import (
    Budget,
    Fallback,
    Loop,
    Scope,
    attribute,
    counter,
    expression,
    name_attr,
    weight,
)
from rightscli.letters.mdtext import finalize, md_escape
from rightscli.letters.program import FOR, IF, INCLUDE, OUT, SET, TEXT, VAR

# text → md_escape(text), for the process: a batch writes the same labels in every letter. Each letter's own texts
# (its facts, names, order number) are kept too, so the table is emptied when it is full: memory stays flat over
# 100,000 letters (20,000 texts kept added ~7 MB to each worker), and the labels come back with the next letter.
_ESCAPED: dict[str, str] = {}
ESCAPED_KEPT = 2_000

Stmt = Callable[[Scope, list[str], Budget], None]


def document(run: Stmt, values: dict[str, Any]) -> str:
    """The text of a template's closure with ``values`` (copied: a ``set`` does not change them)."""
    out: list[str] = []
    run(dict(values), out, Budget())
    text = "".join(out)
    if len(text) > MAX_OUTPUT:
        raise Fallback("output")
    return text


class Compiler:
    """The closures of one program's templates, each made once: ``template(name)``."""

    def __init__(self, templates: dict[str, Any]) -> None:
        self.templates = templates
        self.made: dict[str, Stmt] = {}

    def template(self, name: str) -> Stmt:
        run = self.made.get(name)
        if run is None:
            run = self.made[name] = self.block(self.templates[name][1])
        return run

    def block(self, body: list[Any]) -> Stmt:
        try:
            runs = [self.statement(*step) for step in _steps(body)]
        except Exception:  # not a list of statements: the walk of the program stopped where it came to it
            return _stops("body")
        if not runs:
            return _nothing
        if len(runs) == 1:
            return runs[0]
        steps = tuple(runs)

        def run(scope: Scope, out: list[str], budget: Budget) -> None:
            for step in steps:
                step(scope, out, budget)

        return run

    def statement(self, node: Any, before: str = "", after: str = "") -> Stmt:
        try:
            if node[0] == OUT:
                return _out(node, before, after)
            return _STATEMENTS[node[0]](self, node)
        except Exception:  # not a statement this compiler reads: the walk stopped here, so does this
            return _stops(node[0] if type(node) is list and node else "node")


def _steps(body: list[Any]) -> list[tuple[Any, str, str]]:
    """(statement, text before it, text after it) of a body: text next to text as one, and text next to a
    ``{{ … }}`` written by it (by the one before it, else by the one after it)."""
    merged: list[tuple[bool, Any]] = []  # (is text, the text or the statement)
    for node in body:
        if type(node) is list and len(node) == 2 and node[0] == TEXT and type(node[1]) is str:
            if merged and merged[-1][0]:
                merged[-1] = (True, merged[-1][1] + node[1])
            else:
                merged.append((True, node[1]))
        else:
            merged.append((False, node))
    steps: list[tuple[Any, str, str]] = []
    pending = ""  # text after a statement that is not a {{ … }}: written before the next one
    for is_text, node in merged:
        if is_text:
            if steps and _is_out(steps[-1][0]):
                steps[-1] = (steps[-1][0], steps[-1][1], node)
            else:
                pending = node
        elif _is_out(node):
            steps.append((node, pending, ""))
            pending = ""
        else:
            if pending:
                steps.append(([TEXT, pending], "", ""))
                pending = ""
            steps.append((node, "", ""))
    if pending:
        steps.append(([TEXT, pending], "", ""))
    return steps


def _is_out(node: Any) -> bool:
    return type(node) is list and len(node) > 1 and node[0] == OUT


def _stops(why: Any) -> Stmt:
    def run(scope: Scope, out: list[str], budget: Budget) -> None:
        raise Fallback(why)

    return run


def _nothing(scope: Scope, out: list[str], budget: Budget) -> None:
    return None


def _text(c: Compiler, node: list[Any]) -> Stmt:
    text = node[1]

    def run(scope: Scope, out: list[str], budget: Budget) -> None:
        out.append(text)

    return run


def _out(node: list[Any], before: str, after: str) -> Stmt:
    """``{{ value }}`` and the text around it: limits.check_value, finalize, then the budget
    (LetterSandbox.finalize_value). ``{{ name.attr }}`` and ``{{ name }}`` read their value in the same call."""
    expr = node[1]
    pair = name_attr(expr)
    if pair is not None:
        var, name = pair
        count = counter(name)

        def run_attr(scope: Scope, out: list[str], budget: Budget) -> None:
            try:
                obj = scope[var]
            except KeyError:
                raise Fallback(var) from None  # StrictUndefined: Jinja says which name is missing
            if type(obj) is dict:
                try:
                    found = obj[name]
                except KeyError:
                    raise Fallback(name) from None
            elif type(obj) is Loop:
                found = count(obj)
            else:
                found = attribute(obj, name)
            _emit(found, before, after, out, budget)

        return run_attr
    value = expression(expr)
    var = expr[1] if type(expr) is list and len(expr) == 2 and expr[0] == VAR else None

    def run(scope: Scope, out: list[str], budget: Budget) -> None:
        if var is None:
            found = value(scope, budget)
        else:
            try:
                found = scope[var]
            except KeyError:
                raise Fallback(var) from None
        _emit(found, before, after, out, budget)

    return run


def _emit(found: Any, before: str, after: str, out: list[str], budget: Budget) -> None:
    """Write ``{{ value }}`` with the text around it: limits.check_value, finalize, then the budget."""
    if type(found) is not str:
        text = _written(found)
    elif len(found) > MAX_VALUE:
        raise Fallback("value")
    else:  # most values: finalize is md_escape, kept for the next letter of a batch
        text = _ESCAPED.get(found)
        if text is None:
            text = _escape(found)
    budget.built += len(text)
    if budget.built > MAX_BUILT:
        raise Fallback("built")
    if before:
        out.append(before)
    out.append(text)
    if after:
        out.append(after)


def _escape(value: str) -> str:
    text = md_escape(value)
    if len(_ESCAPED) >= ESCAPED_KEPT:
        _ESCAPED.clear()
    _ESCAPED[value] = text
    return text


def _written(value: Any) -> str:
    """The text of ``{{ value }}`` for anything but text, not yet charged to the budget."""
    if type(value) is int:  # a counter, a number of days: its weight is below the limit when its size is
        if value.bit_length() > MAX_INT_BITS:
            raise Fallback("number")
        return str(value)  # finalize's text of an int
    if isinstance(value, int) and not isinstance(value, bool) and value.bit_length() > MAX_INT_BITS:
        raise Fallback("number")
    if weight(value) > MAX_VALUE:
        raise Fallback("value")
    text = finalize(value)
    if type(text) is not str:
        raise Fallback("text")
    return text


def _if(c: Compiler, node: list[Any]) -> Stmt:
    branches = tuple((expression(test), c.block(body)) for test, body in node[1])
    otherwise = c.block(node[2])
    if len(branches) != 1:

        def run(scope: Scope, out: list[str], budget: Budget) -> None:
            for test, then in branches:
                if test(scope, budget):
                    then(scope, out, budget)
                    return
            otherwise(scope, out, budget)

        return run
    test, then = branches[0]
    pair = name_attr(node[1][0][0])
    if pair is None:

        def run_if(scope: Scope, out: list[str], budget: Budget) -> None:
            if test(scope, budget):
                then(scope, out, budget)
            else:
                otherwise(scope, out, budget)

        return run_if
    var, name = pair  # {% if name.attr %}: read in the same call

    def run_if_attr(scope: Scope, out: list[str], budget: Budget) -> None:
        try:
            obj = scope[var]
        except KeyError:
            raise Fallback(var) from None
        if type(obj) is dict:
            try:
                found = obj[name]
            except KeyError:
                raise Fallback(name) from None
        else:
            found = attribute(obj, name)
        if found:
            then(scope, out, budget)
        else:
            otherwise(scope, out, budget)

    return run_if_attr


def _for(c: Compiler, node: list[Any]) -> Stmt:
    _, target, iterable, body, else_ = node
    items_of, each, otherwise = expression(iterable), c.block(body), c.block(else_)
    # A body that sets no name leaves its scope as it found it: one copy of the scope serves every item, and one
    # loop object counts them (nothing keeps it past its item). With a set, each item has its own, as in Jinja.
    shared = target != "loop" and not _sets(body)

    def run(scope: Scope, out: list[str], budget: Budget) -> None:
        items = list(items_of(scope, budget))
        n = len(items)
        budget.loops += n
        if budget.loops > MAX_LOOP:
            raise Fallback("loops")
        if not n:
            otherwise(scope, out, budget)
        elif shared:
            inner = dict(scope)
            inner["loop"] = loop = Loop(0, n)
            for i, item in enumerate(items):
                inner[target] = item
                loop.index0 = i
                each(inner, out, budget)
        else:
            for i, item in enumerate(items):
                inner = dict(scope)
                inner[target] = item
                inner["loop"] = Loop(i, n)
                each(inner, out, budget)

    return run


def _sets(body: Any) -> bool:
    """Whether a ``set`` is anywhere in the statements of ``body`` (True too where it is not a program to read)."""
    try:
        for node in body:
            op = node[0]
            if op == IF:
                if any(_sets(then) for _, then in node[1]) or _sets(node[2]):
                    return True
            elif op == FOR:
                if _sets(node[3]) or _sets(node[4]):
                    return True
            elif op not in (TEXT, OUT, INCLUDE):  # an included template sets names in a copy of the scope
                return True
        return False
    except Exception:
        return True


def _set(c: Compiler, node: list[Any]) -> Stmt:
    name, value = node[1], expression(node[2])

    def run(scope: Scope, out: list[str], budget: Budget) -> None:
        scope[name] = value(scope, budget)

    return run


def _include(c: Compiler, node: list[Any]) -> Stmt:
    name = node[1]
    made = c.made

    def run(scope: Scope, out: list[str], budget: Budget) -> None:
        included = made.get(name) or c.template(name)
        included(dict(scope), out, budget)  # the included template sees this one's values, not vice versa

    return run


_STATEMENTS: dict[int, Callable[[Compiler, list[Any]], Stmt]] = {
    TEXT: _text,
    IF: _if,
    FOR: _for,
    SET: _set,
    INCLUDE: _include,
}
