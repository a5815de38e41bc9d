"""Hypothesis strategies for case files: valid cases, and near-valid ones with exactly one field broken.

* :func:`valid_cases` draws raw case data (plain dicts, lists, str, int, float, bool, None) that
  :func:`rightscli.case.validate_case` accepts: dates in a consistent order (paid_on ≤ shipped_on ≤ received_on ≤
  discovered_on ≤ history dates ≤ as_of; ship_by on or after paid_on), amounts from 0.00 to 99999.99 with at most two
  decimals, values from :mod:`rightscli.vocab`, optional fields sometimes null or absent. ``as_of`` is always set, so
  that nothing depends on today's date.
* :func:`near_valid_cases` draws a :class:`Broken` case: a valid case with exactly one field broken, and the path of
  that field (``order.price``, ``history[1].on``) as rightscli names it in its error messages.
* :func:`dump` writes raw case data as YAML or JSON text.

Dates stay within 2016–2030: the years the tool is made for (and that chinesecalendar knows). Dates near the ends of
Python's range are a known bug, tested separately in tests/hardening/test_hostile_inputs.py.
"""

from __future__ import annotations

import copy
import json
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from hypothesis import strategies as st

from rightscli import vocab
from rightscli.case import MAX_TEXT, known_paths

FIRST_DAY = date(2016, 1, 1)
LAST_DAY = date(2030, 12, 31)
MAX_GAP = 40  # days between consecutive dated facts

# Text a buyer might type: any printable character (CJK, emoji, Markdown and HTML specials, quotes), never a
# control character, an invisible formatting character (bidi overrides, zero-width spaces: Cf), a line or paragraph
# separator or a lone surrogate, which are not valid in a case file (rightscli/charcheck.py).
_CHARS = st.characters(blacklist_categories=("Cc", "Cs", "Cf", "Zl", "Zp"))
SPECIALS = ("*", "#", "<script>", "{{ x }}", "{% raw %}", "`", "|", "\\", "'", '"', "- ", "1. ", "---", "【待补充】")
texts = st.one_of(
    st.text(_CHARS, min_size=1, max_size=40),
    st.sampled_from(SPECIALS),
    st.builds(lambda a, b: a + b, st.sampled_from(SPECIALS), st.text(_CHARS, max_size=10)),
)
texts_or_numbers = st.one_of(texts, st.integers(min_value=0, max_value=10**12))


def optional(strategy: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    return st.one_of(st.none(), strategy)


def _amount_value(cents: int, style: str) -> int | float:
    """An amount as a file holds it: a whole number when possible (sometimes), else a float like 299.5."""
    amount = Decimal(cents) / 100
    if style == "int" and amount == amount.to_integral_value():
        return int(amount)
    return float(amount)


amounts = st.builds(_amount_value, st.integers(min_value=0, max_value=9_999_999), st.sampled_from(["int", "float"]))


def _unique(choices: tuple[str, ...], min_size: int = 0) -> st.SearchStrategy[list[str]]:
    return st.lists(st.sampled_from(choices), min_size=min_size, max_size=4, unique=True)


def iso(day: date) -> str:
    return day.isoformat()


@st.composite
def valid_cases(draw: st.DrawFn) -> dict[str, Any]:
    """Raw data of a valid case (see the module docstring)."""
    gap = st.integers(min_value=0, max_value=MAX_GAP)
    paid = draw(st.dates(FIRST_DAY, LAST_DAY - timedelta(days=8 * MAX_GAP)))
    day = paid
    shipped = received = discovered = None
    if draw(st.booleans()):
        day = shipped = day + timedelta(days=draw(gap))
    if draw(st.booleans()):
        day = received = day + timedelta(days=draw(gap))
    if draw(st.booleans()):
        day = discovered = day + timedelta(days=draw(gap))
    history = []
    for _ in range(draw(st.integers(min_value=0, max_value=3))):
        day = day + timedelta(days=draw(gap))
        event: dict[str, Any] = {"on": iso(day), "event": draw(st.sampled_from(vocab.EVENTS))}
        note = draw(optional(texts))
        if note is not None:
            event["note"] = note
        history.append(event)
    as_of = day + timedelta(days=draw(gap))
    ship_by = draw(optional(st.integers(min_value=0, max_value=3 * MAX_GAP)))

    def maybe(value: Any) -> Any:
        return value if value is None else iso(value)

    case: dict[str, Any] = {
        "case_version": draw(st.sampled_from([1, None])),
        "as_of": iso(as_of),
        "platform": draw(st.sampled_from(vocab.PLATFORMS)),
        "buyer": {
            "name": draw(optional(texts)),
            "phone": draw(optional(st.sampled_from(["13800138000", "+86 177 1234 5678", "021-12345678"]))),
            "address": draw(optional(texts)),
        },
        "merchant": {
            "name": draw(optional(texts)),
            "company": draw(optional(texts)),
            "address": draw(optional(texts)),
            "contact": draw(optional(texts)),
        },
        "order": {
            "id": draw(optional(texts_or_numbers)),
            "item": draw(texts.filter(lambda s: s.strip())),
            "category": draw(optional(st.sampled_from(vocab.CATEGORIES))),
            "price": draw(amounts),
            "loss": draw(optional(amounts)),
            "paid_on": iso(paid),
            "ship_by": None if ship_by is None else iso(paid + timedelta(days=ship_by)),
            "shipped_on": maybe(shipped),
            "received_on": maybe(received),
        },
        "problem": {
            "kinds": draw(_unique(vocab.PROBLEM_KINDS, min_size=1)),
            "discovered_on": maybe(discovered),
            "description": draw(optional(texts)),
            "item_condition": draw(optional(st.sampled_from(vocab.ITEM_CONDITIONS))),
            "custom_made": draw(optional(st.booleans())),
            "confirmed_non_returnable": draw(optional(st.booleans())),
        },
        "listing": {
            "badges": draw(optional(_unique(vocab.BADGES))),
            "self_operated": draw(optional(st.booleans())),
            "cross_border": draw(optional(st.booleans())),
            "shipping_fee": draw(optional(amounts)),
        },
        "history": history if history or draw(st.booleans()) else None,
        "wants": draw(optional(_unique(vocab.WANTS))),
        "evidence": draw(optional(_unique(vocab.EVIDENCE_IDS))),
    }
    if draw(st.booleans()):  # an absent optional value is the same as null: drop some
        case = _drop_nulls(case)
    return case


def _drop_nulls(data: Any) -> Any:
    if isinstance(data, dict):
        return {k: _drop_nulls(v) for k, v in data.items() if v is not None}
    if isinstance(data, list):
        return [_drop_nulls(v) for v in data]
    return data


@dataclass(frozen=True)
class Broken:
    """A case with exactly one broken field: ``path`` is how rightscli names that field in its message."""

    data: dict[str, Any]
    path: str
    how: str  # what was broken, for the failure report

    def __repr__(self) -> str:
        return f"Broken(path={self.path!r}, how={self.how!r})"


# Values that no enum field accepts (near misses, other types), dates that are not dates, bad amounts, …
BAD_ENUM = st.one_of(
    st.sampled_from(["tmal", "TMALL", "", " ", "jingdong", "changed-mind", "unknown", "null", "0", "是"]),
    st.text(st.characters(whitelist_categories=("Ll",)), min_size=1, max_size=12).map(lambda s: "zz_" + s),
    st.sampled_from([5, 1.5, True, False, [], {}, ["tmall"], {"a": 1}]),
)
BAD_DATE = st.sampled_from(
    [
        "2026-02-30",
        "2026-13-01",
        "2025-02-29",
        "2026/11/10",
        "11-10",
        "2026-11-1",
        "yesterday",
        "昨天",
        "",
        20261110,
        1.5,
        True,
        [],
        {"on": "2026-11-10"},
        "2026-11-10T10:00:00",
    ]
)
BAD_MONEY = st.sampled_from([-1, -0.01, 1.234, 0.001, "abc", "299", "¥299", True, False, [], {}, 100000000.01, 10**12])
BAD_TEXT = st.sampled_from(
    [[], ["a"], {}, {"a": "b"}, True, False, 1.5, "x" * (MAX_TEXT + 1), "退款\u202e元001", "a\u200bb", "\x1b[2J"]
)
BAD_BOOL = st.sampled_from(["maybe", "true", "yes", "是", 2, 0, 1.0, [], {}, [True]])
BAD_VERSION = st.sampled_from([2, 0, -1, "1", "one", 1.0, True, [], {}])
BAD_LIST = st.sampled_from(["return_refund", 5, True, {"a": 1}])

_FIELDS = known_paths()


def _of_kind(*kinds: str) -> tuple[str, ...]:
    return tuple(path for path, f in _FIELDS.items() if f.kind in kinds)


REQUIRED = tuple(path for path, f in _FIELDS.items() if f.required)
TEXT_FIELDS = _of_kind("text")
ENUM_FIELDS = _of_kind("enum")
ENUM_LISTS = _of_kind("enum_list")
DATE_FIELDS = _of_kind("date")
MONEY_FIELDS = _of_kind("money")
BOOL_FIELDS = _of_kind("bool")
SECTIONS = ("buyer", "merchant", "order", "problem", "listing")
UNKNOWN_KEYS = ("colour", "prise", "paid", "notes", "extra", "Platform", "order_id", "x-y", "价格", "1")


def _set(data: dict[str, Any], path: str, value: Any) -> None:
    *parents, last = path.split(".")
    node = data
    for part in parents:
        if not isinstance(node.get(part), dict):
            node[part] = {}
        node = node[part]
    node[last] = value


def _get(data: dict[str, Any], path: str) -> Any:
    node: Any = data
    for part in path.split("."):
        node = node.get(part) if isinstance(node, dict) else None
    return node


def _delete(data: dict[str, Any], path: str) -> None:
    *parents, last = path.split(".")
    node: Any = data
    for part in parents:
        node = node.get(part, {})
    node.pop(last, None)


@st.composite
def near_valid_cases(draw: st.DrawFn) -> Broken:
    """A valid case with exactly one field broken (see :class:`Broken`)."""
    data = copy.deepcopy(draw(valid_cases()))
    kind = draw(
        st.sampled_from(
            [
                "missing",
                "text",
                "enum",
                "enum_item",
                "enum_list_type",
                "date",
                "money",
                "bool",
                "version",
                "unknown_key",
                "section_type",
                "shipped_before_paid",
                "after_as_of",
                "history_order",
                "history_before_paid",
                "history_item",
                "history_type",
            ]
        )
    )
    paid = date.fromisoformat(data["order"]["paid_on"])
    as_of = date.fromisoformat(data["as_of"])
    history = data.get("history") or []
    if kind == "history_order" and len(history) < 2:
        kind = "history_before_paid" if history else "after_as_of"
    if kind in ("history_before_paid", "history_item") and not history:
        kind = "after_as_of"

    if kind == "missing":
        path = draw(st.sampled_from(REQUIRED))
        if draw(st.booleans()):
            _delete(data, path)
        else:
            _set(data, path, None)
        return Broken(data, path, "required field absent")
    if kind == "text":
        path = draw(st.sampled_from(TEXT_FIELDS))
        value = draw(BAD_TEXT)
        _set(data, path, value)
        return Broken(data, path, f"text field = {value!r:.40}")
    if kind == "enum":
        path = draw(st.sampled_from(ENUM_FIELDS))
        value = draw(BAD_ENUM)
        _set(data, path, value)
        return Broken(data, path, f"enum = {value!r}")
    if kind == "enum_item":
        field = draw(st.sampled_from(ENUM_LISTS))
        items = list(_get(data, field) or [])
        index = draw(st.integers(min_value=0, max_value=len(items)))
        value = draw(BAD_ENUM.filter(lambda v: not isinstance(v, (list, dict))))
        items.insert(index, value)
        _set(data, field, items)
        return Broken(data, f"{field}[{index}]", f"list item = {value!r}")
    if kind == "enum_list_type":
        path = draw(st.sampled_from(ENUM_LISTS))
        value = draw(BAD_LIST)
        _set(data, path, value)
        return Broken(data, path, f"list field = {value!r}")
    if kind == "date":
        path = draw(st.sampled_from(DATE_FIELDS))
        value = draw(BAD_DATE)
        _set(data, path, value)
        return Broken(data, path, f"date = {value!r}")
    if kind == "money":
        path = draw(st.sampled_from(MONEY_FIELDS))
        value = draw(BAD_MONEY)
        _set(data, path, value)
        return Broken(data, path, f"amount = {value!r}")
    if kind == "bool":
        path = draw(st.sampled_from(BOOL_FIELDS))
        value = draw(BAD_BOOL)
        _set(data, path, value)
        return Broken(data, path, f"bool = {value!r}")
    if kind == "version":
        value = draw(BAD_VERSION)
        data["case_version"] = value
        return Broken(data, "case_version", f"case_version = {value!r}")
    if kind == "unknown_key":
        section = draw(st.sampled_from(("", *SECTIONS)))
        key = draw(st.sampled_from(UNKNOWN_KEYS))
        value = draw(st.one_of(st.none(), st.integers(), texts))
        if section:
            if not isinstance(data.get(section), dict):
                data[section] = {}
            data[section][key] = value
            return Broken(data, f"{section}.{key}", "unknown key")
        data[key] = value
        return Broken(data, key, "unknown key")
    if kind == "section_type":
        section = draw(st.sampled_from(SECTIONS))
        value = draw(st.sampled_from(["text", 5, True, ["a"], []]))
        data[section] = value  # a section that is not a mapping is reported alone, not its required fields
        return Broken(data, section, f"section = {value!r}")
    if kind == "shipped_before_paid":
        days = draw(st.integers(min_value=1, max_value=MAX_GAP))
        data["order"]["shipped_on"] = iso(paid - timedelta(days=days))
        return Broken(data, "order.shipped_on", "shipped before paid")
    if kind == "after_as_of":
        path = draw(st.sampled_from(("order.shipped_on", "order.received_on", "problem.discovered_on")))
        later = as_of + timedelta(days=draw(st.integers(min_value=1, max_value=MAX_GAP)))
        if path == "order.shipped_on":  # keep received_on (if any) out of it: drop it
            data["order"].pop("received_on", None)
        _set(data, path, iso(later))
        return Broken(data, path, "after as_of")
    if kind == "history_order":
        i = draw(st.integers(min_value=1, max_value=len(history) - 1))
        before = date.fromisoformat(history[i - 1]["on"])
        if before == paid:  # nothing between: make it the first event that comes before payment instead
            history[0]["on"] = iso(paid - timedelta(days=1))
            return Broken(data, "history[0].on", "event before payment")
        earlier = max(paid, before - timedelta(days=draw(st.integers(min_value=1, max_value=MAX_GAP))))
        history[i]["on"] = iso(earlier)
        # the events after it must not now come before it: they are still after the one before, so fine
        return Broken(data, f"history[{i}].on", "events out of order")
    if kind == "history_before_paid":
        history[0]["on"] = iso(paid - timedelta(days=draw(st.integers(min_value=1, max_value=MAX_GAP))))
        return Broken(data, "history[0].on", "event before payment")
    if kind == "history_item":
        i = draw(st.integers(min_value=0, max_value=len(history) - 1))
        history[i] = draw(st.sampled_from(["contacted_merchant", 5, ["a"], None]))
        return Broken(data, f"history[{i}]", "history item not a mapping")
    value = draw(st.sampled_from(["contacted_merchant", 5, {"on": "2026-11-01"}]))
    data["history"] = value
    return Broken(data, "history", f"history = {value!r}")


def dump(data: dict[str, Any], fmt: str) -> str:
    """Case data as a YAML or JSON file's text."""
    if fmt == "json":
        return json.dumps(data, ensure_ascii=False, indent=1, allow_nan=True)
    import yaml

    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False)


formats = st.sampled_from(["yaml", "json"])
