"""Conditions over case facts: a closed operator set, checked at load time, evaluated with three values.

A condition is plain data (see docs/policy-format.md). :func:`check` validates one when a policy is loaded;
:func:`evaluate` returns ``True``, ``False`` or ``None`` (unknown) together with the fact paths whose absence made
it unknown, so the assessment can say what it could not decide and the wizard can ask exactly that.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date
from decimal import Decimal
from typing import Any, Protocol

from rightscli import vocab
from rightscli.i18n import tr

Tri = bool | None
COMPARE = ("lt", "le", "gt", "ge")
FACT_OPS = ("eq", "ne", "in", "not_in", "contains", "contains_any", "mentions", *COMPARE, "is_set", "within")
# The states of another rule's finding that a condition may test ({finding: ID, in: [...]}): `applies` (decided),
# `undecided` (applies pending a fact), `expired`, `excluded`, and `none` (the rule has nothing to do with the case).
FINDING_STATES = ("applies", "undecided", "expired", "excluded", "none")
PERIOD_UNITS = ("days", "months", "working_days")
MAX_PERIOD = 36_500  # keeps date arithmetic in range (a century of days)


class Facts(Protocol):
    def get(self, path: str) -> Any: ...
    def has_event(self, event: str) -> bool: ...


def _finding_state(facts: Facts, policy: str) -> str | None:
    """The state of another rule's finding, or None where the facts know no findings (e.g. the wizard's flow)."""
    lookup = getattr(facts, "finding_state", None)
    return lookup(policy) if lookup is not None else None


def check(cond: Any, where: str, fact_choices: Mapping[str, tuple[str, ...] | None]) -> list[str]:
    """Problems with a condition's shape, as ``"where: message"`` strings (empty when valid).

    ``fact_choices`` maps every allowed fact path to its allowed values (None when any value of its type is fine).
    """
    problems: list[str] = []

    def bad(path: str, msg: str) -> None:
        problems.append(f"{path}: {msg}")

    def walk(c: Any, path: str) -> None:
        if not isinstance(c, dict):
            bad(path, tr("cond.not_mapping"))
            return
        if "all" in c or "any" in c:
            op = "all" if "all" in c else "any"
            if len(c) != 1:
                bad(path, tr("cond.alone", op=op))
            items = c[op]
            if not isinstance(items, list) or not items:
                bad(f"{path}.{op}", tr("cond.expected_conditions"))
                return
            for i, item in enumerate(items):
                walk(item, f"{path}.{op}[{i}]")
            return
        if "not" in c:
            if len(c) != 1:
                bad(path, tr("cond.alone", op="not"))
            walk(c["not"], f"{path}.not")
            return
        if "finding" in c:
            if set(c) != {"finding", "in"}:
                bad(path, tr("cond.finding_shape"))
                return
            states = c["in"]
            if not isinstance(states, list) or not states or any(s not in FINDING_STATES for s in states):
                bad(f"{path}.in", tr("cond.expected_states", allowed=", ".join(FINDING_STATES)))
            if not isinstance(c["finding"], str) or "." not in c["finding"]:
                bad(f"{path}.finding", tr("cond.expected_policy_id"))
            return
        if "history" in c:
            if not set(c) <= {"history", "older_than"}:
                bad(path, tr("cond.alone", op="history"))
            if c["history"] not in vocab.EVENTS:
                bad(
                    f"{path}.history", tr("cond.unknown_event", got=repr(c["history"]), allowed=", ".join(vocab.EVENTS))
                )
            if "older_than" in c:
                _check_period(c["older_than"], f"{path}.older_than", bad)
            return
        if "fact" not in c:
            keys = ", ".join(map(str, c)) or "nothing"
            bad(path, tr("cond.unknown", keys=keys))
            return
        fact = c["fact"]
        if fact not in fact_choices:
            bad(f"{path}.fact", tr("cond.unknown_fact", got=repr(fact)))
            return
        ops = [k for k in c if k != "fact"]
        if len(ops) != 1 or ops[0] not in FACT_OPS:
            bad(path, tr("cond.one_operator", allowed=", ".join(FACT_OPS), got=ops or "-"))
            return
        op = ops[0]
        arg = c[op]
        choices = fact_choices[fact]
        if op == "mentions":
            if not isinstance(arg, list) or not arg or not all(isinstance(v, str) and v for v in arg):
                bad(f"{path}.mentions", tr("cond.expected_words"))
            elif choices is not None:
                bad(f"{path}.mentions", tr("cond.not_free_text", fact=fact))
            return
        if op in ("in", "not_in", "contains_any"):
            if not isinstance(arg, list) or not arg:
                bad(f"{path}.{op}", tr("cond.expected_values"))
                return
            values = arg
        elif op == "within":
            _check_within(arg, f"{path}.within", fact_choices, bad)
            return
        elif op == "is_set":
            if not isinstance(arg, bool):
                bad(f"{path}.is_set", tr("cond.expected_bool"))
            return
        elif op in COMPARE and isinstance(arg, dict):
            if set(arg) != {"fact"} or arg["fact"] not in fact_choices:
                bad(f"{path}.{op}", tr("cond.expected_literal"))
            return
        else:
            values = [arg]
        if choices is not None:
            for v in values:
                if v not in choices:
                    bad(f"{path}.{op}", tr("cond.not_a_value", got=repr(v), fact=fact, allowed=", ".join(choices)))

    walk(cond, where)
    return problems


def _check_within(arg: Any, path: str, facts: Mapping[str, Any], bad: Callable[[str, str], None]) -> None:
    if not isinstance(arg, dict) or "of" not in arg:
        bad(path, tr("cond.expected_within"))
        return
    if arg["of"] not in facts:
        bad(f"{path}.of", tr("cond.unknown_fact", got=repr(arg["of"])))
    _check_period({u: arg[u] for u in arg if u != "of"}, path, bad)


def _check_period(arg: Any, path: str, bad: Callable[[str, str], None]) -> None:
    """``{days: N}`` (or months, working_days), N within a century."""
    if not isinstance(arg, dict):
        bad(path, tr("cond.one_unit", allowed=", ".join(PERIOD_UNITS)))
        return
    units = list(arg)
    if len(units) != 1 or units[0] not in PERIOD_UNITS:
        bad(path, tr("cond.one_unit", allowed=", ".join(PERIOD_UNITS)))
        return
    n = arg[units[0]]
    if isinstance(n, bool) or not isinstance(n, int) or not 0 <= n <= MAX_PERIOD:
        bad(f"{path}.{units[0]}", tr("cond.expected_count", limit=MAX_PERIOD))


def facts_in(cond: Any) -> set[str]:
    """Every fact path a (valid) condition mentions."""
    out: set[str] = set()
    if isinstance(cond, dict):
        for key, value in cond.items():
            if key == "finding":
                continue
            if key == "fact" or (key == "of" and isinstance(value, str)):
                out.add(value)
            else:
                out |= facts_in(value)
    elif isinstance(cond, list):
        for item in cond:
            out |= facts_in(item)
    return out


def evaluate(cond: dict[str, Any], facts: Facts) -> tuple[Tri, frozenset[str]]:
    """Three-valued evaluation; the frozenset holds the facts that were missing where it mattered."""
    if "all" in cond:
        missing: set[str] = set()
        unknown = False
        for sub in cond["all"]:
            value, miss = evaluate(sub, facts)
            if value is False:
                return False, frozenset()
            if value is None:
                unknown = True
                missing |= miss
        return (None, frozenset(missing)) if unknown else (True, frozenset())
    if "any" in cond:
        missing = set()
        unknown = False
        for sub in cond["any"]:
            value, miss = evaluate(sub, facts)
            if value is True:
                return True, frozenset()
            if value is None:
                unknown = True
                missing |= miss
        return (None, frozenset(missing)) if unknown else (False, frozenset())
    if "not" in cond:
        value, miss = evaluate(cond["not"], facts)
        return (None if value is None else not value), miss
    if "history" in cond:
        if "older_than" in cond:
            return _older_than(facts, cond["history"], cond["older_than"]), frozenset()
        return facts.has_event(cond["history"]), frozenset()
    if "finding" in cond:
        state = _finding_state(facts, cond["finding"])
        return (None if state is None else state in cond["in"]), frozenset()
    return _fact_test(cond, facts)


def _older_than(facts: Facts, event: str, period: dict[str, int]) -> bool:
    """The latest such event happened and its period of ``period`` (counted from the day after it) ended before
    ``as_of``: e.g. the platform was asked to intervene more than 15 days ago."""
    days = []
    for e in facts.get("history") or ():  # events of a case, or the wizard's answers (mappings) so far
        kind, on = (e.get("event"), e.get("on")) if isinstance(e, dict) else (e.event, e.on)
        if kind == event and isinstance(on, date):
            days.append(on)
    as_of = facts.get("as_of")
    if not days or not isinstance(as_of, date):
        return False
    from rightscli.daycount import period_end

    unit, length = next(iter(period.items()))
    return as_of > period_end(max(days), length, unit).last_day


def _fact_test(cond: dict[str, Any], facts: Facts) -> tuple[Tri, frozenset[str]]:
    path = cond["fact"]
    value = facts.get(path)
    if "is_set" in cond:
        return (value is not None) == cond["is_set"], frozenset()
    if value is None:
        return None, frozenset({path})
    if "eq" in cond:
        return value == cond["eq"], frozenset()
    if "ne" in cond:
        return value != cond["ne"], frozenset()
    if "in" in cond:
        return value in cond["in"], frozenset()
    if "not_in" in cond:
        return value not in cond["not_in"], frozenset()
    if "contains" in cond:
        return cond["contains"] in value, frozenset()
    if "contains_any" in cond:
        return any(v in value for v in cond["contains_any"]), frozenset()
    if "mentions" in cond:
        return _mentions(value, cond["mentions"]), frozenset()
    if "within" in cond:
        spec = cond["within"]
        start = facts.get(spec["of"])
        if start is None:
            return None, frozenset({spec["of"]})
        from rightscli.daycount import period_end

        unit = next(u for u in PERIOD_UNITS if u in spec)
        end = period_end(start, spec[unit], unit).last_day
        return start <= value <= end, frozenset()
    for op in COMPARE:
        if op in cond:
            other = cond[op]
            if isinstance(other, dict):
                other = facts.get(other["fact"])
                if other is None:
                    return None, frozenset({cond[op]["fact"]})
            left, right = _comparable(value, other)
            return _COMPARATORS[op](left, right), frozenset()
    raise AssertionError(f"unchecked condition {cond!r}")  # check() rejects every other shape


Check = Callable[[Facts], tuple[Tri, frozenset[str]]]
_NONE: frozenset[str] = frozenset()


def compile_condition(cond: dict[str, Any]) -> Check:
    """A function of the facts that gives what :func:`evaluate` gives for ``cond``, with the condition's shape worked
    out once: for conditions evaluated many times (the rules, over every case of a batch). ``cond`` must not change
    afterwards. A shape :func:`check` would refuse is left to :func:`evaluate`, so that it fails the same way."""
    try:
        return _compile(cond)
    except (KeyError, TypeError, AttributeError, StopIteration):
        return lambda facts: evaluate(cond, facts)


def compile_on_reuse(cond: dict[str, Any]) -> Check:
    """Like :func:`compile_condition`, but the first call evaluates ``cond`` directly and only the second compiles it:
    a single command evaluates each rule once (compiling all of them would cost it ~1.5 ms), a batch thousands of
    times."""
    compiled: Check | None = None
    used = False

    def check(facts: Facts) -> tuple[Tri, frozenset[str]]:
        nonlocal compiled, used
        if compiled is not None:
            return compiled(facts)
        if not used:
            used = True
            return evaluate(cond, facts)
        compiled = compile_condition(cond)
        return compiled(facts)

    return check


def _compile(cond: dict[str, Any]) -> Check:
    if "all" in cond:
        return _compile_junction(tuple(_compile(sub) for sub in cond["all"]), decisive=False)
    if "any" in cond:
        return _compile_junction(tuple(_compile(sub) for sub in cond["any"]), decisive=True)
    if "not" in cond:
        return _compile_not(_compile(cond["not"]))
    if "history" in cond and "older_than" in cond:
        return lambda facts: evaluate(cond, facts)
    if "history" in cond:
        event = cond["history"]
        return lambda facts: (facts.has_event(event), _NONE)
    if "finding" in cond:
        return lambda facts: evaluate(cond, facts)
    return _compile_fact(cond)


def _compile_junction(subs: tuple[Check, ...], decisive: bool) -> Check:
    """``all`` (decisive False) or ``any`` (decisive True): the first part whose value is the decisive one decides;
    otherwise unknown if a part is unknown (with what it misses), else the other value."""

    def check_junction(facts: Facts) -> tuple[Tri, frozenset[str]]:
        missing: set[str] = set()
        unknown = False
        for sub in subs:
            value, miss = sub(facts)
            if value is decisive:
                return decisive, _NONE
            if value is None:
                unknown = True
                missing |= miss
        return (None, frozenset(missing)) if unknown else (not decisive, _NONE)

    return check_junction


def _compile_not(sub: Check) -> Check:
    def check_not(facts: Facts) -> tuple[Tri, frozenset[str]]:
        value, miss = sub(facts)
        return (None if value is None else not value), miss

    return check_not


def _compile_fact(cond: dict[str, Any]) -> Check:
    """The operator chosen as :func:`_fact_test` chooses it; each closure reads the fact, then tests it."""
    path = cond["fact"]
    absent = frozenset({path})
    if "is_set" in cond:
        wanted = cond["is_set"]
        return lambda facts: ((facts.get(path) is not None) == wanted, _NONE)
    test: Callable[[Any], bool]
    if "eq" in cond:
        arg = cond["eq"]
        test = lambda value: value == arg  # noqa: E731
    elif "ne" in cond:
        arg = cond["ne"]
        test = lambda value: value != arg  # noqa: E731
    elif "in" in cond:
        arg = cond["in"]
        test = lambda value: value in arg  # noqa: E731
    elif "not_in" in cond:
        arg = cond["not_in"]
        test = lambda value: value not in arg  # noqa: E731
    elif "contains" in cond:
        arg = cond["contains"]
        test = lambda value: arg in value  # noqa: E731
    elif "contains_any" in cond:
        arg = cond["contains_any"]
        test = lambda value: any(v in value for v in arg)  # noqa: E731
    elif "mentions" in cond:
        arg = cond["mentions"]
        test = lambda value: _mentions(value, arg)  # noqa: E731
    else:  # within, the comparisons, and any shape check() refuses: as evaluate() does it
        return lambda facts: _fact_test(cond, facts)

    def check_fact(facts: Facts) -> tuple[Tri, frozenset[str]]:
        value = facts.get(path)
        if value is None:
            return None, absent
        return test(value), _NONE

    return check_fact


def _mentions(value: Any, words: list[str]) -> bool:
    """Free text that contains one of ``words`` (letters compared without case)."""
    text = str(value).casefold()
    return any(w.casefold() in text for w in words)


def refers_to_findings(cond: Any) -> bool:
    """Whether a condition tests another rule's finding (such rules are assessed after the others)."""
    if isinstance(cond, dict):
        return "finding" in cond or any(refers_to_findings(v) for v in cond.values())
    if isinstance(cond, list):
        return any(refers_to_findings(v) for v in cond)
    return False


def _comparable(left: Any, right: Any) -> tuple[Any, Any]:
    if isinstance(left, date) and isinstance(right, str):
        return left, date.fromisoformat(right)
    if isinstance(left, Decimal) and isinstance(right, (int, float)):
        return left, Decimal(repr(right))
    return left, right


_COMPARATORS: dict[str, Callable[[Any, Any], bool]] = {
    "lt": lambda a, b: a < b,
    "le": lambda a, b: a <= b,
    "gt": lambda a, b: a > b,
    "ge": lambda a, b: a >= b,
}
