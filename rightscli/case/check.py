"""The case: the single validated form of a buyer's answers, however they arrived.

A case file, standard input, ``--set KEY=VALUE``, an answers file and a batch row all end in
:func:`validate_case`, so the same value is accepted or refused the same way. Errors name the field path
(``order.received_on``), the line where the input has lines, the bad value and what is expected; all problems
in one input are reported together. The model and its field spec are :mod:`rightscli.case.model`.
"""

import difflib
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from rightscli.case.model import (
    CASE_SPEC,
    EVIDENCE_FILE_SPEC,
    HISTORY_SPEC,
    Buyer,
    Case,
    EvidenceFile,
    Field,
    HistoryEvent,
    Listing,
    Merchant,
    Order,
    Problem,
    Spec,
    field_label,
    known_paths,
)
from rightscli.charcheck import unsafe_char
from rightscli.datafile import Document, join_path
from rightscli.errors import ErrorList, InputError, UserError
from rightscli.i18n import tr

MAX_TEXT = 5000
MIN_YEAR, MAX_YEAR = 1990, 2100  # deadlines run years past these; the calendar arithmetic must stay in range
MAX_MONEY = Decimal("100000000")


_CHECKS: dict[str, Any] = {}  # a field kind → the _Checker method that checks it (date → _date)


class _Checker:
    """Walks raw data against the spec, collecting every problem instead of stopping at the first."""

    def __init__(self, doc: Document, *, text_values: bool) -> None:
        self.doc = doc
        self.text_values = text_values
        self.errors: list[UserError] = []

    def fail(self, path: str, message: str) -> None:
        self.errors.append(InputError(message, file=self.doc.source, line=self.doc.line_of(path), path=path))

    def mapping(self, raw: Any, spec: Spec, path: str) -> dict[str, Any]:
        if not isinstance(raw, dict):
            got = _type_name(raw)
            self.fail(
                path, tr("case.not_mapping", path=path, got=got) if path else tr("case.not_mapping_file", got=got)
            )
            return {}
        out: dict[str, Any] = {}
        for key in raw:
            if key not in spec:
                sub = join_path(path, str(key))
                hint = difflib.get_close_matches(str(key), list(spec), n=1, cutoff=0.6)
                if hint:
                    self.fail(sub, tr("case.unknown_key_hint", key=key, hint=hint[0]))
                else:
                    self.fail(sub, tr("case.unknown_key", key=key, known=", ".join(spec)))
        for key, sub_spec in spec.items():
            value = raw.get(key)
            if isinstance(sub_spec, Field):
                if value is None:  # most optional fields are absent: their path is made only for a problem
                    if sub_spec.required:
                        sub = join_path(path, key)
                        self.fail(sub, tr("case.required", what=field_label(sub)))
                    out[key] = None
                else:
                    out[key] = self.value(value, sub_spec, join_path(path, key))
            else:
                out[key] = self.mapping(value if value is not None else {}, sub_spec, join_path(path, key))
        return out

    def value(self, raw: Any, f: Field, path: str) -> Any:
        check = _CHECKS.get(f.kind)
        if check is None:
            check = _CHECKS[f.kind] = getattr(_Checker, f"_{f.kind}")
        return check(self, raw, f, path)

    def _text(self, raw: Any, f: Field, path: str) -> str | None:
        if isinstance(raw, bool) or not isinstance(raw, (str, int)):
            self.fail(path, tr("case.expected_text", got=_type_name(raw)))
            return None
        text = str(raw).strip()
        if len(text) > MAX_TEXT:
            self.fail(path, tr("case.too_long", length=len(text), limit=MAX_TEXT))
            return None
        bad = unsafe_char(text)
        if bad is not None:
            # Never echo it: a terminal escape sequence in a shared case file could act on the reader's terminal.
            self.fail(path, bad)
            return None
        if not text and f.required:
            self.fail(path, tr("case.required_blank", what=field_label(path)))
            return None
        return text or None

    def _credit_code(self, raw: Any, f: Field, path: str) -> str | None:
        text = self._text(raw, f, path)
        if text is None:
            return None
        code = text.upper()
        problem = credit_code_problem(code)
        if problem:
            self.fail(path, tr("case.bad_credit_code", code=_show(text), problem=problem))
            return None
        return code

    def _int(self, raw: Any, f: Field, path: str) -> int | None:
        if self.text_values and isinstance(raw, str) and raw.strip().isdigit():
            raw = int(raw)
        if isinstance(raw, bool) or not isinstance(raw, int):
            self.fail(path, tr("case.expected_int", got=_show(raw)))
            return None
        if f.choices and str(raw) not in f.choices:
            self.fail(path, tr("case.unsupported_int", value=raw, allowed=tr("case.or").join(f.choices)))
            return None
        return raw

    def _bool(self, raw: Any, f: Field, path: str) -> bool | None:
        if self.text_values and isinstance(raw, str):
            low = raw.strip().lower()
            if low in ("true", "yes", "y", "1", "是", "对"):
                return True
            if low in ("false", "no", "n", "0", "否", "不是"):
                return False
        if not isinstance(raw, bool):
            self.fail(path, tr("case.expected_bool", got=_show(raw)))
            return None
        return raw

    def _date(self, raw: Any, f: Field, path: str) -> date | None:
        if isinstance(raw, date):
            return raw
        if not isinstance(raw, str):
            self.fail(path, tr("case.expected_date", got=_show(raw)))
            return None
        text = raw.strip()
        try:
            if len(text) != 10:
                raise ValueError
            day = date.fromisoformat(text)
        except ValueError:
            real = len(text) == 10 and text[4] == "-" and text[7] == "-"
            self.fail(path, tr("case.not_real_date" if real else "case.not_iso_date", text=text))
            return None
        if not MIN_YEAR <= day.year <= MAX_YEAR:
            self.fail(path, tr("case.implausible_year", text=text, low=MIN_YEAR, high=MAX_YEAR))
            return None
        return day

    def _money(self, raw: Any, f: Field, path: str) -> Decimal | None:
        if self.text_values and isinstance(raw, str):
            text = raw.strip().replace("¥", "").replace("￥", "").replace(",", "").removesuffix("元").strip()
            try:
                amount = Decimal(text)
            except InvalidOperation:
                self.fail(path, tr("case.not_amount_text", raw=raw))
                return None
        elif isinstance(raw, bool) or not isinstance(raw, (int, float)):
            self.fail(path, tr("case.expected_amount", got=_show(raw)))
            return None
        else:
            amount = Decimal(repr(raw)) if isinstance(raw, float) else Decimal(raw)
        if not amount.is_finite():
            self.fail(path, tr("case.not_finite", raw=raw))
            return None
        if amount.is_zero():
            amount = amount.copy_abs()  # -0.0 is 0: never "-0.00" in a letter
        if amount < 0:
            self.fail(path, tr("case.negative", raw=raw))
            return None
        if amount > MAX_MONEY:
            self.fail(path, tr("case.too_large", raw=raw, limit=MAX_MONEY))
            return None
        exponent = amount.as_tuple().exponent
        if isinstance(exponent, int) and exponent < -2 and amount != amount.quantize(Decimal("0.01")):
            self.fail(path, tr("case.too_many_decimals", raw=raw))
            return None
        return amount.quantize(Decimal("0.01"))

    def _enum(self, raw: Any, f: Field, path: str) -> str | None:
        if isinstance(raw, str):
            raw = raw.strip()
        if not isinstance(raw, str) or raw not in f.choices:
            self.fail(path, _unknown_value(raw, f, path))
            return None
        return raw

    def _enum_list(self, raw: Any, f: Field, path: str) -> tuple[str, ...] | None:
        if self.text_values and isinstance(raw, str):
            raw = [p for p in raw.replace("，", ",").replace(";", ",").split(",") if p.strip()]
        if not isinstance(raw, list):
            self.fail(path, tr("case.expected_list", example=f.choices[0], got=_show(raw)))
            return None
        out: list[str] = []
        for i, item in enumerate(raw):
            value = self._enum(item, f, join_path(path, i))
            if value is not None and value not in out:
                out.append(value)
        return tuple(out)

    def _files(self, raw: Any, f: Field, path: str) -> tuple[dict[str, Any], ...] | None:
        if not isinstance(raw, list):
            self.fail(path, tr("case.expected_files", got=_show(raw)))
            return None
        out = []
        for i, item in enumerate(raw):
            sub = join_path(path, i)
            record = self.mapping(item, EVIDENCE_FILE_SPEC, sub)
            digest = record.get("sha256")
            if digest is not None and (len(digest) != 64 or any(c not in "0123456789abcdef" for c in digest)):
                self.fail(join_path(sub, "sha256"), tr("case.bad_sha256"))
            if isinstance(record.get("size"), int) and record["size"] < 0:
                self.fail(join_path(sub, "size"), tr("case.bad_size"))
            when = record.get("recorded_at")
            if when is not None:
                try:
                    datetime.fromisoformat(when)
                except ValueError:
                    example = "2026-11-20T10:15:00+08:00"
                    self.fail(join_path(sub, "recorded_at"), f"'{when}' is not a time; expected e.g. {example}")
            out.append(record)
        return tuple(out)

    def _events(self, raw: Any, f: Field, path: str) -> tuple[dict[str, Any], ...] | None:
        if not isinstance(raw, list):
            self.fail(path, tr("case.expected_events", got=_show(raw)))
            return None
        return tuple(self.mapping(item, HISTORY_SPEC, join_path(path, i)) for i, item in enumerate(raw))


# GB 32100-2015 统一社会信用代码: 18 characters from this set (no I, O, S, V, Z); the last is a check character.
CREDIT_CODE_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"
CREDIT_CODE_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)


def credit_code_check(first17: str) -> str:
    """The check character of a unified social credit code (GB 32100-2015, 4.4): 31 − (Σ value × weight mod 31)."""
    total = sum(CREDIT_CODE_CHARS.index(ch) * w for ch, w in zip(first17, CREDIT_CODE_WEIGHTS, strict=True))
    return CREDIT_CODE_CHARS[(31 - total % 31) % 31]


def credit_code_problem(code: str) -> str:
    """What is wrong with a unified social credit code ("" when it is well formed and its check character fits)."""
    if len(code) != 18:
        return tr("case.credit_code_length", length=len(code))
    bad = [ch for ch in code if ch not in CREDIT_CODE_CHARS]
    if bad:
        return tr("case.credit_code_char", char=bad[0])
    expected = credit_code_check(code[:17])
    if code[17] != expected:
        return tr("case.credit_code_check", char=code[17], expected=expected)
    return ""


def _type_name(raw: Any) -> str:
    if raw is None:
        return tr("case.got.nothing")
    kind = {dict: "mapping", list: "list", str: "text", bool: "bool", int: "number", float: "number"}.get(type(raw))
    return tr(f"case.got.{kind}") if kind else type(raw).__name__


def _unknown_value(raw: Any, f: Field, path: str) -> str:
    """The value is not one of the field's: each allowed value with the buyer's word for it (tmall（天猫）), and the
    value meant when the input is such a word (淘宝) or close to a value (taoboa)."""
    from rightscli.case.labels import hint, listing
    from rightscli.i18n import get_lang

    meant = hint(path, raw, f.choices)
    allowed = listing(path, f.choices, get_lang())
    if meant:
        return tr("case.unknown_value_hint", got=_show(raw), hint=meant, allowed=allowed)
    return tr("case.unknown_value", got=_show(raw), allowed=allowed)


def _show(raw: Any) -> str:
    if isinstance(raw, (dict, list)):
        return _type_name(raw)
    text = tr("case.quoted", text=repr(raw)[1:-1]) if isinstance(raw, str) else str(raw)
    return text if len(text) <= 60 else text[:57] + "…"


def validate_case(
    doc: Document, *, as_of: date | None = None, today: date | None = None, text_values: bool = False
) -> Case:
    """Check raw case data against the model and the date logic; return the typed :class:`Case`.

    ``as_of`` (from ``--as-of``) overrides the file's ``as_of``; ``today`` is used when neither is given. Every
    date must be on or before that day. ``text_values`` accepts values typed as text (``--set``, CSV cells).
    """
    checker = _Checker(doc, text_values=text_values)
    data = checker.mapping(doc.data, CASE_SPEC, "")
    if checker.errors:
        raise ErrorList.of(checker.errors)
    effective = as_of or data["as_of"] or today
    _check_dates(checker, data, effective, overridden=as_of is not None)
    if checker.errors:
        raise ErrorList.of(checker.errors)
    o, p = data["order"], data["problem"]
    return Case(
        case_version=data["case_version"] or 1,
        as_of=data["as_of"],
        platform=data["platform"],
        buyer=Buyer(**data["buyer"]),
        merchant=Merchant(**data["merchant"]),
        listing=Listing(**data["listing"]),
        order=Order(**o),
        problem=Problem(**{**p, "kinds": p["kinds"] or ()}),
        history=tuple(HistoryEvent(**e) for e in data["history"] or ()),
        wants=data["wants"] or (),
        evidence=tuple(dict.fromkeys([*(data["evidence"] or ()), *(r["id"] for r in data["evidence_files"] or ())])),
        evidence_files=tuple(EvidenceFile(**r) for r in data["evidence_files"] or ()),
        source=doc.source,
    )


def _check_dates(checker: _Checker, data: dict[str, Any], as_of: date | None, *, overridden: bool) -> None:
    o, p = data["order"], data["problem"]
    paid = o["paid_on"]
    order_rules = [
        ("order.shipped_on", o["shipped_on"], "order.paid_on", paid, "shipped_before_paid"),
        ("order.received_on", o["received_on"], "order.paid_on", paid, "received_before_paid"),
        ("order.received_on", o["received_on"], "order.shipped_on", o["shipped_on"], "received_before_shipped"),
        ("order.ship_by", o["ship_by"], "order.paid_on", paid, "ship_by_before_paid"),
        ("problem.discovered_on", p["discovered_on"], "order.paid_on", paid, "found_before_paid"),
    ]
    for path, value, other_path, other, why in order_rules:
        if value is not None and other is not None and value < other:
            # Either date may be the wrong one: the message names both and how to correct the other.
            other_label = field_label(other_path)
            fix = tr("case.fix_other", other_label=other_label, other_path=other_path)
            text = tr(
                "case.before",
                label=field_label(path),
                value=value,
                other_label=other_label,
                other_path=other_path,
                other=other,
                why=tr(f"case.why.{why}"),
                fix=fix,
            )
            checker.fail(path, text)
    previous: date | None = None
    for i, event in enumerate(data["history"] or ()):
        when = event["on"]
        if when is None:
            continue
        path = f"history[{i}].on"
        if paid is not None and when < paid:
            checker.fail(path, tr("case.event_before_paid", when=when, paid=paid))
        if previous is not None and when < previous:
            checker.fail(path, tr("case.event_out_of_order", when=when, previous=previous))
        previous = when
    if as_of is None:
        return
    source = "--as-of" if overridden else "as_of"
    dated = [(path, v) for path, v in _all_dates(data) if path != "as_of"]
    for path, value in dated:
        if path == "order.ship_by":
            continue  # a promised shipping date may lie in the future
        if value > as_of:
            checker.fail(path, tr("case.after_as_of", label=field_label(path), value=value, source=source, as_of=as_of))


def _all_dates(data: dict[str, Any]) -> list[tuple[str, date]]:
    out: list[tuple[str, date]] = []
    for section in ("order", "problem"):
        for key, value in data[section].items():
            if isinstance(value, date):
                out.append((f"{section}.{key}", value))
    for i, event in enumerate(data["history"] or ()):
        if isinstance(event.get("on"), date):
            out.append((f"history[{i}].on", event["on"]))
    if isinstance(data.get("as_of"), date):
        out.append(("as_of", data["as_of"]))
    return out


def check_partial(
    doc: Document, *, as_of: date | None = None, today: date | None = None, text_values: bool = False
) -> tuple[dict[str, Any], list[UserError]]:
    """Validate case data that may still be incomplete (the wizard's answers so far, a partial answers file).

    The same checks as :func:`validate_case`, except that a required field that is absent is not a problem.
    Returns the typed data (None where a value is absent or invalid) and every problem found.
    """
    checker = _Checker(doc, text_values=text_values)
    data = checker.mapping(doc.data, CASE_SPEC, "")
    absent = set(missing_required(doc.data))
    checker.errors = [e for e in checker.errors if e.path not in absent]
    if not checker.errors:
        effective = as_of or data["as_of"] or today
        _check_dates(checker, data, effective, overridden=as_of is not None)
    return data, checker.errors


def missing_required(raw: Any) -> list[str]:
    """The required case paths that raw case data lacks (absent or null), in the model's order."""
    out: list[str] = []
    for path, f in known_paths().items():
        if not f.required:
            continue
        value: Any = raw
        for part in path.split("."):
            value = value.get(part) if isinstance(value, dict) else None
        if value is None:
            out.append(path)
    return out
