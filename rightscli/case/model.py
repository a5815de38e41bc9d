"""The case model: the one typed form of a buyer's answers (:class:`Case` and its parts), and the field spec every
route checks raw answers against (:data:`CASE_SPEC`: each field's kind, whether it is required, its closed set of
values and its help), with the paths the rules read (``order.received_on``).

Raw answers become a :class:`Case` in :mod:`rightscli.case.check` alone, however they arrived.
"""

from collections.abc import Callable
from datetime import date
from decimal import Decimal
from operator import attrgetter
from typing import Any

import msgspec
from msgspec import field

from rightscli import vocab
from rightscli.i18n import tr


class Field(msgspec.Struct, frozen=True):
    """How one case field is checked. ``kind``: text, credit_code, date, money, bool, int, enum, enum_list, events,
    files."""

    kind: str
    required: bool = False
    choices: tuple[str, ...] = ()
    help: str = ""


Spec = dict[str, "Field | Spec"]

HISTORY_SPEC: Spec = {
    "on": Field("date", required=True, help="date of the event"),
    "event": Field("enum", required=True, choices=vocab.EVENTS, help="what happened"),
    "note": Field("text", help="details, e.g. what the seller said"),
}

# A file of evidence recorded by `rights evidence add` (the buyer's file stays where it is; see rightscli/register.py).
EVIDENCE_FILE_SPEC: Spec = {
    "id": Field("enum", required=True, choices=vocab.EVIDENCE_IDS, help="the evidence item this file shows"),
    "path": Field("text", required=True, help="the file: relative to the case file's folder, or absolute"),
    "sha256": Field("text", required=True, help="SHA-256 of the file when it was recorded (64 hex digits)"),
    "size": Field("int", required=True, help="size in bytes when it was recorded"),
    "recorded_at": Field("text", required=True, help="when it was recorded (ISO 8601 with time zone)"),
    "note": Field("text", help="what the file shows"),
}

CASE_SPEC: Spec = {
    "case_version": Field("int", choices=("1",), help="format version, 1"),
    "as_of": Field("date", help="the day deadlines are counted to"),
    "platform": Field("enum", required=True, choices=vocab.PLATFORMS, help="where the order was placed"),
    "buyer": {
        "name": Field("text", help="buyer's name"),
        "phone": Field("text", help="buyer's phone number"),
        "address": Field("text", help="buyer's address"),
    },
    "merchant": {
        "name": Field("text", help="shop name as shown on the platform"),
        "company": Field("text", help="operator's legal name"),
        "address": Field("text", help="operator's address"),
        "contact": Field("text", help="operator's phone or other contact"),
        "credit_code": Field(
            "credit_code", help="operator's unified social credit code (统一社会信用代码, 18 characters)"
        ),
        "legal_rep": Field("text", help="operator's legal representative (法定代表人)"),
    },
    "order": {
        "id": Field("text", help="order number"),
        "item": Field("text", required=True, help="what was bought"),
        "category": Field("enum", choices=vocab.CATEGORIES, help="kind of goods"),
        "price": Field("money", required=True, help="what the buyer actually paid, yuan"),
        "loss": Field("money", help="other losses claimed, yuan"),
        "paid_on": Field("date", required=True, help="date of payment"),
        "ship_by": Field("date", help="latest shipping date the shop promised"),
        "shipped_on": Field("date", help="date shipped"),
        "received_on": Field("date", help="date signed for (签收)"),
        "signed_by": Field(
            "enum",
            choices=vocab.SIGNED_BY,
            help="who took delivery: the buyer, a person or place the buyer chose, or someone never authorised",
        ),
        "durable_goods": Field(
            "bool", help="durable goods like those 消法 art. 23 lists (computer, TV, fridge, air conditioner, car …)"
        ),
    },
    "problem": {
        "kinds": Field("enum_list", required=True, choices=vocab.PROBLEM_KINDS, help="what went wrong"),
        "discovered_on": Field("date", help="date the problem was found"),
        "description": Field("text", help="what exactly is wrong"),
        "item_condition": Field("enum", choices=vocab.ITEM_CONDITIONS, help="state of the goods now"),
        "custom_made": Field("bool", help="made to the buyer's specification"),
        "confirmed_non_returnable": Field(
            "bool", help="buyer confirmed at purchase that the item has no 7-day no-reason return"
        ),
        "harmless_label_flaw": Field(
            "bool",
            help="the only defect is in the label, instructions or marketing text and it neither affects "
            "safety nor misleads",
        ),
        "label_flaw": Field("bool", help="the problem is in the label, the instructions or the marketing text"),
        "surface_flaw": Field(
            "bool",
            help="the problem is a flaw on the outside of the goods (a scratch, dent, crack, stain, colour), not a "
            "fault in how they work",
        ),
        "buyer_knew_price_error": Field(
            "bool", help="the buyer knew before paying that the listed price was an obvious error"
        ),
        "buyer_knew_defect": Field(
            "bool", help="the buyer knew before buying that the goods were fake or below standard (知假买假)"
        ),
        "surcharge_demanded": Field("bool", help="after payment the seller asked for more money than the order price"),
        "refusal_cites_notice": Field(
            "bool", help="the seller refused by pointing to a shop notice or standard term (店堂告示, 详情页说明)"
        ),
    },
    "listing": {
        "badges": Field("enum_list", choices=vocab.BADGES, help="service promises the product page showed"),
        "self_operated": Field("bool", help="sold by the platform itself (京东自营, 天猫超市 …)"),
        "cross_border": Field("bool", help="a cross-border listing (天猫国际, 京东国际 …)"),
        "shipping_fee": Field("money", help="shipping fee paid on the order, yuan"),
    },
    "history": Field("events", help="what has happened so far, oldest first"),
    "wants": Field("enum_list", choices=vocab.WANTS, help="what the buyer asks for"),
    "evidence": Field("enum_list", choices=vocab.EVIDENCE_IDS, help="evidence the buyer already holds"),
    "evidence_files": Field("files", help="files of evidence recorded with `rights evidence add`, with their hashes"),
}


class Buyer(msgspec.Struct, frozen=True):
    name: str | None = None
    phone: str | None = None
    address: str | None = None


class Merchant(msgspec.Struct, frozen=True):
    name: str | None = None
    company: str | None = None
    address: str | None = None
    contact: str | None = None
    credit_code: str | None = None
    legal_rep: str | None = None


class Order(msgspec.Struct, frozen=True):
    item: str
    price: Decimal
    paid_on: date
    id: str | None = None
    category: str | None = None
    loss: Decimal | None = None
    ship_by: date | None = None
    shipped_on: date | None = None
    received_on: date | None = None
    signed_by: str | None = None
    durable_goods: bool | None = None


class Problem(msgspec.Struct, frozen=True):
    kinds: tuple[str, ...]
    discovered_on: date | None = None
    description: str | None = None
    item_condition: str | None = None
    custom_made: bool | None = None
    confirmed_non_returnable: bool | None = None
    harmless_label_flaw: bool | None = None
    label_flaw: bool | None = None
    surface_flaw: bool | None = None
    buyer_knew_price_error: bool | None = None
    buyer_knew_defect: bool | None = None
    surcharge_demanded: bool | None = None
    refusal_cites_notice: bool | None = None


class Listing(msgspec.Struct, frozen=True):
    badges: tuple[str, ...] | None = None  # None: the buyer did not say (unknown), () : none shown
    self_operated: bool | None = None
    cross_border: bool | None = None
    shipping_fee: Decimal | None = None


class HistoryEvent(msgspec.Struct, frozen=True):
    on: date
    event: str
    note: str | None = None


class EvidenceFile(msgspec.Struct, frozen=True):
    id: str
    path: str
    sha256: str
    size: int
    recorded_at: str
    note: str | None = None


class Case(msgspec.Struct, frozen=True):
    platform: str
    order: Order
    problem: Problem
    buyer: Buyer = field(default_factory=Buyer)
    merchant: Merchant = field(default_factory=Merchant)
    listing: Listing = field(default_factory=Listing)
    history: tuple[HistoryEvent, ...] = ()
    wants: tuple[str, ...] = ()
    evidence: tuple[str, ...] = ()  # held: the ids listed, and those of the recorded files
    evidence_files: tuple[EvidenceFile, ...] = ()
    as_of: date | None = None
    case_version: int = 1
    source: str = ""

    def fact(self, path: str) -> Any:
        """The value at a case path such as ``order.received_on`` (None when absent)."""
        getter = _GETTERS.get(path) or _getter(path)
        try:
            return getter(self)
        except AttributeError:  # a part of the path is absent (or None)
            return None


_GETTERS: dict[str, Callable[[Any], Any]] = {}  # case path -> attrgetter; the paths the rules read are few
MAX_GETTERS = 1024


def _getter(path: str) -> Callable[[Any], Any]:
    getter = attrgetter(path)
    if len(_GETTERS) < MAX_GETTERS:
        _GETTERS[path] = getter
    return getter


def known_paths(spec: Spec = CASE_SPEC, prefix: str = "") -> dict[str, Field]:
    """Every leaf path of the case model with its field (``order.price`` → Field)."""
    out: dict[str, Field] = {}
    for key, sub in spec.items():
        path = f"{prefix}.{key}" if prefix else key
        if isinstance(sub, Field):
            out[path] = sub
        else:
            out.update(known_paths(sub, path))
    return out


def without_indexes(path: str) -> str:
    """A field's path with its list indexes dropped: ``history[2].on`` → ``history.on``."""
    return ".".join(part.split("[", 1)[0] for part in path.split("."))


def field_label(path: str, lang: str | None = None) -> str:
    """What a case field holds, in the interface language (``order.paid_on`` → 付款日期); list indexes are dropped
    (``history[2].on`` → the label of ``history.on``)."""
    key = "field." + without_indexes(path)
    text = tr(key, lang)
    return path if text == key else text
