"""Resource limits of the letter sandbox: what a template may build, how long it may loop, how big its file may be.

A template from ``--template-dir`` is untrusted (a downloaded set of letters). Jinja's sandbox keeps it away from
Python internals but not from building a 10 GB string (``(['x' * 100000] * 100000) | join``), a number of a million
digits, or looping for hours. The limits, each ending the render with a :class:`jinja2.exceptions.SecurityError`
that rightscli reports with the template's file and line (exit 2):

* **Every value built** — by an operator (``*``, ``+``, ``%``, ``**``, ``~``), a filter, a method of a string
  (``center``, ``ljust``, ``replace``, ``format`` …) or a global (``lipsum``) — holds at most :data:`MAX_VALUE`
  characters or items; a width or count asked for is at most that too. Checked before the value is built where it
  could be large (a width, a repetition, a join), and after for the rest.
* **Whole numbers** have at most :data:`MAX_INT_BITS` bits (about 1,000 digits): ``(10 ** 100) ** 100`` and repeated
  squaring stop early.
* **All values together**: one render may build at most :data:`MAX_BUILT` characters (a loop that makes a big value on
  every turn stops), and write at most :data:`MAX_OUTPUT` characters.
* **Loops**: at most :data:`MAX_LOOP` turns of ``{% for %}`` loops in one render, nested or not.
* **The file**: at most :data:`MAX_TEMPLATE_BYTES`; brackets nested at most :data:`MAX_NESTING` deep, blocks
  (``if``, ``for``, ``macro`` …) at most :data:`MAX_BLOCKS` deep, at most :data:`MAX_TAG_TOKENS` tokens in one tag:
  deeper expressions would exhaust the parser's or Python's own limits.

A letter needs a few kilobytes: these limits are far above what any letter template uses.
"""

from __future__ import annotations

import re
import string
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from jinja2 import nodes
from jinja2.compiler import CodeGenerator, Frame
from jinja2.exceptions import SecurityError

from rightscli.i18n import tr
from rightscli.letters.caps import (
    MAX_BLOCKS,
    MAX_BUILT,
    MAX_INT_BITS,
    MAX_LOOP,
    MAX_NESTING,
    MAX_OUTPUT,
    MAX_TAG_TOKENS,
    MAX_VALUE,
)

_PERCENT_SPEC = re.compile(r"%(?:\([^)]*\))?[#0 +\-]*(\*|\d+)?(?:\.(\*|\d+))?")
_DIGITS = re.compile(r"\d+")
_OPENERS = frozenset({"if", "for", "macro", "call", "filter", "with", "block", "autoescape", "raw", "set"})


def too_big(what: str) -> SecurityError:
    return SecurityError(tr("limits.too_big", what=what, limit=f"{MAX_VALUE:,}"))


def weight(value: Any, limit: int = MAX_VALUE) -> int:
    """The size of a value as text: characters of strings, plus one per item of lists, tuples, sets and mappings, of
    everything inside (a string held twice counts twice: its text would be written twice). Stops counting above
    ``limit``."""
    total = 0
    stack = [value]
    seen: set[int] = set()
    while stack and total <= limit:
        item = stack.pop()
        if isinstance(item, str | bytes):
            total += len(item)
        elif isinstance(item, int) and not isinstance(item, bool):
            total += max(1, item.bit_length() // 3)
        elif isinstance(item, list | tuple | set | frozenset | dict):
            if id(item) in seen and not isinstance(item, tuple):
                continue
            seen.add(id(item))
            total += len(item)
            stack.extend(item.items() if isinstance(item, dict) else item)
        else:
            total += 1
    return total


def check_value(value: Any, what: str = "") -> Any:
    """``value`` if it is within :data:`MAX_VALUE`, else the error."""
    if isinstance(value, int) and not isinstance(value, bool):
        if value.bit_length() > MAX_INT_BITS:
            raise SecurityError(tr("limits.big_number", what=what or tr("limits.what.value"), bits=MAX_INT_BITS))
    elif weight(value) > MAX_VALUE:
        raise too_big(what or tr("limits.what.value"))
    return value


def check_width(width: Any, what: str) -> None:
    if isinstance(width, int) and not isinstance(width, bool) and width > MAX_VALUE:
        raise too_big(what)
    if isinstance(width, str) and len(width) > MAX_VALUE:
        raise too_big(what)


class Budget:
    """What one render has built, written and looped so far."""

    __slots__ = ("built", "loops", "written")

    def __init__(self) -> None:
        self.built = 0
        self.loops = 0
        self.written = 0

    def charge(self, value: Any) -> Any:
        """Count a value just built against :data:`MAX_BUILT`; returns it."""
        if isinstance(value, str | bytes | list | tuple | dict | set):
            self.built += weight(value, MAX_BUILT)
            if self.built > MAX_BUILT:
                raise SecurityError(tr("limits.built", limit=f"{MAX_BUILT:,}"))
        return value

    def loop(self, iterable: Iterable[Any]) -> Iterator[Any]:
        for item in iterable:
            self.loops += 1
            if self.loops > MAX_LOOP:
                raise SecurityError(tr("limits.loops", limit=f"{MAX_LOOP:,}"))
            yield item

    def write(self, chunk: str) -> None:
        self.written += len(chunk)
        if self.written > MAX_OUTPUT:
            raise SecurityError(tr("limits.output", limit=f"{MAX_OUTPUT:,}"))


# -- operators -------------------------------------------------------------------------------------------------------
def binop(operator: str, left: Any, right: Any) -> Any:
    """``left OPERATOR right`` with the limits checked before the result is built (then once more after)."""
    if operator == "**":
        if isinstance(right, int | float) and abs(right) > 100:
            raise SecurityError(tr("template.big_exponent", value=right))
        if isinstance(left, int) and isinstance(right, int) and right > 0 and left.bit_length() * right > MAX_INT_BITS:
            raise SecurityError(tr("limits.big_number", what=tr("limits.what.power"), bits=MAX_INT_BITS))
        return check_value(left**right, tr("limits.what.power"))
    if operator == "*":
        for seq, times in ((left, right), (right, left)):
            repeated = isinstance(seq, str | bytes | list | tuple) and isinstance(times, int) and times > 0
            if repeated and weight(seq, MAX_VALUE) * times > MAX_VALUE:
                raise too_big(tr("limits.what.repeated"))
        if isinstance(left, int) and isinstance(right, int) and left.bit_length() + right.bit_length() > MAX_INT_BITS:
            raise SecurityError(tr("limits.big_number", what=tr("limits.what.product"), bits=MAX_INT_BITS))
        return check_value(left * right, tr("limits.what.product"))
    if operator == "+":
        sequences = isinstance(left, str | bytes | list | tuple) and isinstance(right, str | bytes | list | tuple)
        if sequences and weight(left) + weight(right) > MAX_VALUE:
            raise too_big(tr("limits.what.joined_value"))
        return check_value(left + right, tr("limits.what.sum"))
    if operator == "%" and isinstance(left, str):
        check_percent_format(left, right)
        return check_value(left % right, tr("limits.what.formatted"))
    result = _PLAIN[operator](left, right)
    return check_value(result, tr("limits.what.result")) if isinstance(result, int) else result


_PLAIN: dict[str, Callable[[Any, Any], Any]] = {
    "-": lambda a, b: a - b,
    "/": lambda a, b: a / b,
    "//": lambda a, b: a // b,
    "%": lambda a, b: a % b,
}


def concat(parts: tuple[Any, ...]) -> str:
    """``a ~ b ~ c``: the parts as text, joined, within :data:`MAX_VALUE`."""
    if weight(parts) > MAX_VALUE:
        raise too_big(tr("limits.what.joined_text"))
    return "".join(map(str, parts))


def check_percent_format(template: str, args: Any) -> None:
    """``'%05d' % x``: widths and precisions within :data:`MAX_VALUE`; no ``*`` (a width taken from the values)."""
    for match in _PERCENT_SPEC.finditer(template):
        for number in match.groups():
            if number == "*":
                raise SecurityError(tr("limits.star_width"))
            check_width(int(number) if number else 0, tr("limits.what.formatted"))
    check_value(args, tr("limits.what.format_values"))


def check_format_string(template: str, args: tuple[Any, ...], kwargs: dict[str, Any]) -> None:
    """``'{:>10}'.format(x)``: widths within :data:`MAX_VALUE`; no width taken from the values (``{:{}}``)."""
    try:
        fields = list(string.Formatter().parse(template))
    except ValueError:
        return  # str.format reports the bad format itself
    for _, _, spec, _ in fields:
        if not spec:
            continue
        if "{" in spec:
            raise SecurityError(tr("limits.nested_spec"))
        for number in _DIGITS.findall(spec):
            check_width(int(number), tr("limits.what.formatted"))
    check_value((args, kwargs), tr("limits.what.format_values"))


# -- methods, filters, globals ---------------------------------------------------------------------------------------
def check_call(target: Any, args: tuple[Any, ...], kwargs: dict[str, Any]) -> tuple[Any, ...]:
    """Checks before a method of a string is called from a template; returns the arguments to call it with (a
    ``join``'s items are read here, so that they are counted before the text is built)."""
    owner = getattr(target, "__self__", None)
    if not isinstance(owner, str | bytes):
        return args
    name = getattr(target, "__name__", "")
    if name in ("center", "ljust", "rjust", "zfill") and args:
        check_width(args[0], tr("limits.what.made_by", name=name))
    elif name == "expandtabs":
        size = args[0] if args else kwargs.get("tabsize", 8)
        if isinstance(size, int) and len(owner) + owner.count("\t" if isinstance(owner, str) else b"\t") * size > (
            MAX_VALUE
        ):
            raise too_big(tr("limits.what.expandtabs"))
    elif name == "join" and args:
        items = bounded_list(args[0], tr("limits.what.joined_text"))
        if weight(items) + max(0, len(items) - 1) * len(owner) > MAX_VALUE:
            raise too_big(tr("limits.what.joined_text"))
        return (items, *args[1:])
    elif name == "replace" and len(args) >= 2:
        check_replace(owner, args[0], args[1])
    elif name == "translate" and args and isinstance(args[0], dict):
        longest = max((len(v) for v in args[0].values() if isinstance(v, str | bytes)), default=1)
        if len(owner) * longest > MAX_VALUE:
            raise too_big(tr("limits.what.translate"))
    elif name in ("format", "format_map") and isinstance(owner, str):
        check_format_string(owner, args, kwargs)
    return args


def check_replace(text: Any, old: Any, new: Any) -> None:
    if not isinstance(text, str | bytes) or not isinstance(new, str | bytes) or not isinstance(old, str | bytes):
        return
    count = len(text) + 1 if not old else len(text) // len(old)
    if len(text) + count * max(0, len(new) - len(old)) > MAX_VALUE:
        raise too_big(tr("limits.what.replace"))


def bounded_list(items: Any, what: str) -> list[Any]:
    """``items`` read into a list, counting as it goes, within :data:`MAX_VALUE`."""
    out: list[Any] = []
    total = 0
    for item in items:
        total += 1 + weight(item)
        if total > MAX_VALUE:
            raise too_big(what)
        out.append(item)
    return out


def _filter_checks() -> dict[str, Callable[..., None]]:
    """Checks made before a filter runs, by filter name (its arguments as Jinja passes them)."""

    def width(*names: str, position: int = 0) -> Callable[..., None]:
        def check(value: Any, *args: Any, **kwargs: Any) -> None:
            for i, name in enumerate(names):
                if len(args) > position + i:
                    check_width(args[position + i], tr("limits.what.filter_arg", name=names[0]))
                elif name in kwargs:
                    check_width(kwargs[name], tr("limits.what.filter_arg", name=names[0]))

        return check

    def indent(value: Any, *args: Any, **kwargs: Any) -> None:
        by = args[0] if args else kwargs.get("width", 4)
        size = len(by) if isinstance(by, str) else by if isinstance(by, int) else 0
        lines = str(value).count("\n") + 1 if isinstance(value, str) else 1
        if lines * size > MAX_VALUE:
            raise too_big(tr("limits.what.indented"))

    def wordwrap(value: Any, *args: Any, **kwargs: Any) -> None:
        wrap = args[2] if len(args) > 2 else kwargs.get("wrapstring")
        if isinstance(wrap, str) and isinstance(value, str) and len(value) * len(wrap) > MAX_VALUE:
            raise too_big(tr("limits.what.wrapped"))

    def replace(value: Any, *args: Any, **kwargs: Any) -> None:
        if len(args) >= 2:
            check_replace(value, args[0], args[1])

    def format_(value: Any, *args: Any, **kwargs: Any) -> None:
        if isinstance(value, str):
            check_percent_format(value, (args, kwargs))

    def sum_(value: Any, *args: Any, **kwargs: Any) -> None:
        start = args[1] if len(args) > 1 else kwargs.get("start", 0)
        if not isinstance(start, int | float) and type(start).__name__ != "Decimal":
            raise SecurityError(tr("limits.sum_numbers"))

    return {
        "center": width("width"),
        "indent": indent,
        "wordwrap": wordwrap,
        "replace": replace,
        "format": format_,
        "batch": width("linecount"),
        "slice": width("slices"),
        "truncate": width("length"),
        "sum": sum_,
    }


FILTER_CHECKS = _filter_checks()


def guard_filter(name: str, func: Callable[..., Any], budget: Callable[[], Budget]) -> Callable[..., Any]:
    """``func`` with the limits: its arguments checked before, its result counted after."""
    check = FILTER_CHECKS.get(name)
    is_join = name == "join"

    def guarded(*args: Any, **kwargs: Any) -> Any:
        # Jinja passes the environment, context or eval context first to some filters: the value follows it.
        at = 1 if getattr(func, "jinja_pass_arg", None) is not None else 0
        if len(args) > at:
            if is_join:
                args = (*args[:at], bounded_list(args[at], tr("limits.what.joined_text")), *args[at + 1 :])
                separator = args[at + 1] if len(args) > at + 1 else kwargs.get("d", "")
                if weight(args[at]) + len(args[at]) * len(str(separator)) > MAX_VALUE:
                    raise too_big(tr("limits.what.joined_text"))
            elif weight(args[at]) > MAX_VALUE and name not in ("length", "count", "first", "last"):
                raise too_big(tr("limits.what.filter_value", name=name))
            if check is not None:
                check(*args[at:], **kwargs)
        return budget().charge(check_value(func(*args, **kwargs), tr("limits.what.filter_result", name=name)))

    guarded.__name__ = getattr(func, "__name__", name)
    guarded.__doc__ = func.__doc__
    for attribute in ("jinja_pass_arg",):
        if hasattr(func, attribute):
            setattr(guarded, attribute, getattr(func, attribute))
    return guarded


def guard_lipsum(func: Callable[..., Any]) -> Callable[..., Any]:
    def lipsum(n: int = 5, html: bool = True, min: int = 20, max: int = 100) -> Any:
        if not isinstance(n, int) or not isinstance(max, int) or n * max > MAX_VALUE // 10:
            raise too_big(tr("limits.what.placeholder"))
        return func(n, html, min, max)

    return lipsum


# -- the template file -----------------------------------------------------------------------------------------------
def check_structure(tokens: Iterable[tuple[int, str, str]]) -> tuple[int, str] | None:
    """A problem with the shape of a template's tags, as (line, message), or None; from the raw tokens of Jinja's
    lexer (``Environment.lex``: signs come as ``operator`` tokens, spaces as ``whitespace``)."""
    brackets = blocks = in_tag = 0
    first = ""
    assigns = False
    for line, kind, value in tokens:
        if kind in ("block_begin", "variable_begin"):
            in_tag, first, assigns = 0, "", False
            continue
        if kind == "whitespace" or kind == "data" or kind.startswith(("comment", "linecomment", "raw")):
            continue
        if kind == "operator" and value in "([{":
            brackets += 1
            if brackets > MAX_NESTING:
                return line, tr("limits.brackets", limit=MAX_NESTING)
        elif kind == "operator" and value in ")]}":
            brackets -= 1
        elif kind == "block_end":
            if first in _OPENERS and not (first == "set" and assigns):
                blocks += 1
                if blocks > MAX_BLOCKS:
                    return line, tr("limits.blocks", first=first, limit=MAX_BLOCKS)
            elif first.startswith("end"):
                blocks -= 1
            continue
        elif kind == "variable_end":
            continue
        in_tag += 1
        if in_tag == 1 and kind == "name":
            first = value
        elif kind == "operator" and value == "=":
            assigns = True
        if in_tag > MAX_TAG_TOKENS:
            return line, tr("limits.tag", limit=MAX_TAG_TOKENS)
    return None


class GuardedCodeGenerator(CodeGenerator):
    """Jinja's code generator with two changes: every ``{% for %}`` loop counts its turns (the environment's
    ``count_loop``), and ``a ~ b`` is joined by the environment's ``checked_concat``."""

    def visit_For(self, node: nodes.For, frame: Frame) -> None:
        if not getattr(node, "guarded", False):
            node.iter = nodes.Call(
                nodes.EnvironmentAttribute("count_loop", lineno=node.lineno), [node.iter], [], None, None
            ).set_lineno(node.lineno)
            node.guarded = True  # type: ignore[attr-defined]
        super().visit_For(node, frame)

    def visit_Concat(self, node: nodes.Concat, frame: Frame) -> None:
        self.write("environment.checked_concat((")
        for arg in node.nodes:
            self.visit(arg, frame)
            self.write(", ")
        self.write("))")
