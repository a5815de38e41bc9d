"""Amount formulas: a closed set (fixed, value, times, percent, max, min, sum), in yuan to the fen."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from rightscli.i18n import tr

FORMS = ("fixed", "value", "times", "percent", "max", "min", "sum")
CENT = Decimal("0.01")
MAX_NUMBER = 100_000_000  # amounts, factors, rates, floors and caps: finite and bounded


def check(formula: Any, where: str, money_facts: Mapping[str, Any]) -> list[str]:
    """Problems with a formula's shape, as ``"where: message"`` strings."""
    problems: list[str] = []

    def bad(path: str, msg: str) -> None:
        problems.append(f"{path}: {msg}")

    def number(v: Any, path: str) -> None:
        if isinstance(v, bool) or not isinstance(v, (int, float)) or not 0 <= v <= MAX_NUMBER:  # NaN fails too
            bad(path, tr("amount.expected_number", limit=f"{MAX_NUMBER:g}"))

    def fact(v: Any, path: str) -> None:
        if v not in money_facts:
            bad(path, tr("amount.unknown_fact", got=repr(v), allowed=", ".join(money_facts)))

    def walk(f: Any, path: str) -> None:
        if not isinstance(f, dict) or len(f) != 1 or next(iter(f)) not in FORMS:
            bad(path, tr("amount.one_form", allowed=", ".join(FORMS)))
            return
        form, arg = next(iter(f.items()))
        sub = f"{path}.{form}"
        if form == "fixed":
            number(arg, sub)
        elif form == "value":
            fact(arg, sub)
        elif form == "times":
            if not isinstance(arg, dict) or set(arg) != {"of", "factor"}:
                bad(sub, tr("amount.expected_times"))
                return
            fact(arg["of"], f"{sub}.of")
            number(arg["factor"], f"{sub}.factor")
        elif form == "percent":
            if not isinstance(arg, dict) or not {"of", "rate"} <= set(arg) <= {"of", "rate", "floor", "cap"}:
                bad(sub, tr("amount.expected_percent"))
                return
            fact(arg["of"], f"{sub}.of")
            for key in ("rate", "floor", "cap"):
                if key in arg:
                    number(arg[key], f"{sub}.{key}")
        else:
            if not isinstance(arg, list) or not arg:
                bad(sub, tr("amount.expected_list"))
                return
            for i, item in enumerate(arg):
                walk(item, f"{sub}[{i}]")

    walk(formula, where)
    return problems


def compute(formula: dict[str, Any], get: Callable[[str], Any]) -> tuple[Decimal | None, frozenset[str]]:
    """The amount (None when a needed fact is missing) and the missing facts."""
    form, arg = next(iter(formula.items()))
    if form == "fixed":
        return _money(Decimal(repr(arg))), frozenset()
    if form in ("value", "times", "percent"):
        path = arg if form == "value" else arg["of"]
        base = get(path)
        if base is None:
            return None, frozenset({path})
        base = Decimal(base)
        if form == "value":
            return _money(base), frozenset()
        if form == "times":
            return _money(base * Decimal(repr(arg["factor"]))), frozenset()
        value = base * Decimal(repr(arg["rate"])) / 100
        if "floor" in arg:
            value = max(value, Decimal(repr(arg["floor"])))
        if "cap" in arg:
            value = min(value, Decimal(repr(arg["cap"])))
        return _money(value), frozenset()
    results = [compute(item, get) for item in arg]
    known = [v for v, _ in results if v is not None]
    missing = frozenset().union(*(m for _, m in results))
    if form in ("max", "min"):
        if not known:
            return None, missing
        return (max(known) if form == "max" else min(known)), frozenset()
    if len(known) < len(results):
        return None, missing
    return _money(sum(known, Decimal(0))), frozenset()


def _money(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)
