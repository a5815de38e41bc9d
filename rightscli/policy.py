"""Policy, evidence, escalation and waits models: the schema of the policy files, declared once.

Each Struct has the shape of its part of a file as docs/policy-format.md describes it (``from`` and
``holiday_extension`` as written, ``within: {days: N}``): :mod:`rightscli.policy_reader` hands a file to
``msgspec.convert`` with these types, which checks every key and type, and adds only what a schema cannot say
(conditions over the case's facts, the date facts a period may start from, one id per rule, …). Their annotations are
the rules: a closed set of values is a ``Literal``, a bounded number an ``Annotated`` ``Meta``.
"""

from datetime import date
from typing import Annotated, Any, Literal

import msgspec
from msgspec import Meta, field

from rightscli import vocab

_ID_CHARS = frozenset("abcdefghijklmnopqrstuvwxyz0123456789_")


def is_identifier(text: str, *, dotted: bool) -> bool:
    """Lowercase words of a-z, 0-9 and _, the first starting with a letter; ``dotted``: two or more joined by dots.

    Plain string checks rather than a regular expression: compiling one costs more start-up time than all the
    checks of a catalog.
    """
    parts = text.split(".") if dotted else [text]
    if (dotted and len(parts) < 2) or not parts[0][:1].isalpha() or not parts[0][:1].islower():
        return False
    return all(part and set(part) <= _ID_CHARS for part in parts)


CONFIDENCE = ("verified", "secondary", "unconfirmed")
MAX_LENGTH = 36_500  # the largest whole number a rule may set (100 years of days)
# The longest period a rule may set, in days whatever its unit (stages and extensions added up): about 100 years, so
# that every date counted from a case date (years 1990–2100) stays within the calendar.
MAX_SPAN_DAYS = 36_600
DAYS_PER_UNIT = {"days": 1.0, "working_days": 1.5, "months": 31.0, "years": 366.0}  # at most, holidays included
UNITS = ("days", "months", "years", "working_days")
JURISDICTIONS = ("cn", "tmall", "taobao", "jd", "pinduoduo", "douyin")
# Events by which a buyer asserts a claim: a deadline is met if one of these happened on or before its last day.
CLAIM_EVENTS = (
    "contacted_merchant",
    "merchant_refused",
    "merchant_no_reply",
    "platform_intervention_requested",
    "complaint_association",
    "complaint_regulator",
    "return_requested",
)


RAISED_BY = ("buyer", "seller")
PARTIES = ("buyer", "merchant", "authority")  # whose time a deadline is
WAIT_KINDS = ("wait", "deadline")  # wait: another side must act by the last day; deadline: the buyer must act

# The closed sets and bounds of the format.
Confidence = Literal[CONFIDENCE]  # type: ignore[valid-type]
Unit = Literal[UNITS]  # type: ignore[valid-type]
Jurisdiction = Literal[JURISDICTIONS]  # type: ignore[valid-type]
Party = Literal[PARTIES]  # type: ignore[valid-type]
Event = Literal[vocab.EVENTS]  # type: ignore[valid-type]
Want = Literal[vocab.WANTS]  # type: ignore[valid-type]
EvidenceId = Literal[vocab.EVIDENCE_IDS]  # type: ignore[valid-type]
Target = Literal[vocab.STEP_TARGETS]  # type: ignore[valid-type]
HowKey = Literal[("default", *vocab.PLATFORMS)]  # type: ignore[valid-type]
Count = Annotated[int, Meta(ge=0, le=MAX_LENGTH)]
Words = Annotated[str, Meta(min_length=1)]  # text is read stripped: not blank
Condition = dict[str, Any]  # checked against the case's facts by rightscli.conditions
Sources = Annotated[tuple["Source", ...], Meta(min_length=1)]


class Text(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    zh: Words
    en: Words

    def get(self, lang: str) -> str:
        return self.en if lang == "en" else self.zh


class Source(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    """A document and article a rule rests on.

    ``when``: cited only for cases where this condition holds (食品安全法 第一百三十一条 only for food).
    ``confidence``: how the article's text is known; a letter to an authority or a court cites only verified ones.
    ``checked``: the day its status (still in force, not replaced) was last checked."""

    document: str
    article: str
    url: str | None = None
    effective_from: date | None = None
    effective_to: date | None = None
    note: str | None = None
    when: Condition | None = None
    confidence: Confidence = "verified"
    checked: date | None = None
    argument: str | None = None  # the sentence a letter states when this source is cited (in the buyer's voice: 您)


class FromEvent(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    """``from: {event: E}``: the latest history event E."""

    event: Event


class WaitRestart(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    """History events that restart a period (e.g. a demand interrupts limitation); ``interpretation`` marks a
    restart that rests on a reading of the law rather than its express words."""

    events: tuple[Event, ...]
    sources: Sources
    interpretation: Text | None = None


class Period(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    """A period counted from a case date (``from: order.received_on``) or the latest history event
    (``from: {event: E}``). ``met_by``: history events that exercise the right in time (on or before the last day);
    the reader fills in :data:`CLAIM_EVENTS` where a deadline names none."""

    length: Count
    unit: Unit
    start: str | FromEvent | None = field(default=None, name="from")
    extension: bool | Literal["uncertain"] = field(default=False, name="holiday_extension")
    label: Text | None = None
    met_by: tuple[Event, ...] = ()

    @property
    def from_fact(self) -> str | None:
        return self.start if isinstance(self.start, str) else None

    @property
    def from_event(self) -> str | None:
        return self.start.event if isinstance(self.start, FromEvent) else None

    @property
    def holiday_extension(self) -> str:
        """ "true", "false" or "uncertain"."""
        return self.extension if isinstance(self.extension, str) else str(self.extension).lower()


class Deadline(Period, frozen=True, forbid_unknown_fields=True):
    """A rule's deadline: a :class:`Period` and whose time it is.

    ``restarted_by``: events that start the period again while it runs (a demand interrupts limitation, 民法典
    第一百九十五条): the period counts from the latest of them. ``party``: whose time it is: ``buyer`` (the buyer must
    act by the last day), ``merchant`` (the seller must act by then; past it, its inaction counts against it) or
    ``authority`` (a regulator's or mediator's time). ``answered_by``: for the other side's time, the events by which
    it answered (a refusal): the period then no longer needs to run out."""

    restarted_by: tuple[WaitRestart, ...] = ()
    party: Party = "buyer"
    answered_by: tuple[Event, ...] = ()


class Exclusion(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    """An exception to a rule. ``raised_by: seller``: an exception the seller must raise and prove (custom-made goods,
    a confirmation at purchase). While its facts are unknown the right is asserted, with ``assumption`` stated; with
    ``raised_by: buyer`` (the default) an unknown fact leaves the finding undecided."""

    id: str
    when: Condition
    reason: Text
    sources: Sources
    confidence: Confidence = "verified"
    raised_by: Literal[RAISED_BY] = "buyer"  # type: ignore[valid-type]
    assumption: Text | None = None


class Undecided(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    """A case in which the rule may apply but the decisive point is not a fact the buyer can give (e.g. the seller's
    intent, for a court to find): the finding stays undecided ("may apply") and says why."""

    when: Condition
    reason: Text
    short: Text | None = None  # the reason in a few words, for the one line the default view gives a finding


class Stage(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    length: Count
    unit: Unit
    remedies: tuple[Want, ...]
    label: Text


class Within(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    """``within: {days: N}`` or ``within: {deadline: true}`` (one of the two)."""

    days: Count | None = None
    deadline: bool = False


class NextStep(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    """A step a rule tells the buyer to take. ``when``: a condition on the case under which the step is still to be
    taken (``{not: {history: platform_intervention_requested}}``: not once the buyer has asked the platform)."""

    to: Target
    action: Text
    within: Within | None = None
    when: Condition | None = None

    @property
    def within_days(self) -> int | None:
        return self.within.days if self.within else None

    @property
    def by_deadline(self) -> bool:
        return bool(self.within and self.within.deadline)


class Policy(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    id: str
    title: Text
    jurisdiction: Jurisdiction
    summary: Text
    sources: Sources
    last_reviewed: date
    confidence: Confidence
    when: Condition
    explanation: Text
    remedies: tuple[Want, ...] = ()
    evidence: tuple[EvidenceId, ...] = ()
    exclusions: tuple[Exclusion, ...] = ()
    deadline: Deadline | None = None
    stages: tuple[Stage, ...] = ()  # not empty where given (the reader checks: a default decodes as well)
    stages_from: str | None = None
    stages_at: str = "as_of"
    amount: dict[str, Any] | None = None  # checked by rightscli.amounts
    next_steps: tuple[NextStep, ...] = ()
    uncertainty: Text | None = None
    notes: Text | None = None
    undecided: tuple[Undecided, ...] = ()
    # a remedy of the rule (or of its stage) offered only where its condition holds: {repair: {not: {fact:
    # order.category, in: [food, fresh_food]}}} (false drops it, unknown keeps it)
    remedies_only_when: dict[Want, Condition] = msgspec.field(default_factory=dict)
    in_force_on: str = "order.paid_on"
    effective_from: date | None = None
    effective_to: date | None = None
    file: str = ""  # where it was read from (not a key of the file)
    line: int | None = None

    def in_force(self, day: date) -> bool:
        if self.effective_from and day < self.effective_from:
            return False
        return not (self.effective_to and day > self.effective_to)


class EvidenceFiling(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    """How an item is listed in a 证据目录 and how to fix it so that it counts (evidence.yaml ``filing``)."""

    form: Text  # 证据形式 (民事诉讼法 第六十六条)
    proves: Text  # 证明目的; {buyer} and {seller} name the parties
    original: Text  # 原件/复印件
    capture: Text  # how to capture and keep it (electronic-evidence rules)


class Urgent(Period, frozen=True, forbid_unknown_fields=True):
    """A period within which an evidence item must be secured, where ``when`` holds (always without it)."""

    when: Condition | None = None


class EvidenceItem(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    id: EvidenceId
    label: Text
    why: Text
    how: dict[HowKey, Text]  # "default" and any platform
    keep: Text | None = None
    urgent: Urgent | None = None
    filing: EvidenceFiling | None = None

    @property
    def urgent_when(self) -> Condition | None:
        return self.urgent.when if self.urgent else None

    def how_for(self, platform: str) -> Text:
        return self.how.get(platform) or self.how["default"]


class EvidenceCatalogue(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    """policies/evidence.yaml."""

    evidence: tuple[EvidenceItem, ...]


class EscalationStep(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    id: str
    to: Target
    title: Text
    action: Text
    sources: Sources
    wait: Period | None = None
    when: Condition | None = None
    done_when: Condition | None = None


class Escalation(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    """policies/escalation.yaml: the ladder."""

    steps: tuple[EscalationStep, ...]


class WaitThen(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    """What to do when a wait passes (kind wait), or by its last day (kind deadline)."""

    to: Target
    action: Text


class Wait(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    """A wait of policies/waits.yaml: its period's keys (``from``, ``length``, ``unit``, ``holiday_extension``,
    ``label``) written beside the others, as :attr:`period`."""

    id: str
    kind: Literal[WAIT_KINDS]  # type: ignore[valid-type]
    start: str | FromEvent = field(name="from")
    length: Count
    unit: Unit
    label: Text
    then: WaitThen
    sources: Sources
    extension: bool | Literal["uncertain"] = field(default=False, name="holiday_extension")
    confidence: Confidence = "verified"
    uncertainty: Text | None = None
    note: Text | None = None
    fallback_from: tuple[str | FromEvent, ...] = ()  # date facts or {event: E}, tried in order when `from` is not set
    extendable_by: Count | None = None  # the period may be extended by this many more units
    when: Condition | None = None
    done_when: Condition | None = None  # evaluated on the history from the start event on
    pauses: tuple[Target, ...] = ()  # escalation targets that wait while this runs
    restarted_by: tuple[WaitRestart, ...] = ()
    passed_counts_as: Event | None = None  # a wait that passed counts as this event for the escalation ladder
    same_as: str | None = None  # the rule whose deadline this window is: a date the two give alike is listed once

    @property
    def period(self) -> Period:
        return Period(self.length, self.unit, self.start, self.extension, self.label, CLAIM_EVENTS)

    @property
    def fallbacks(self) -> tuple[str, ...]:
        """The fallbacks as date facts and ``history:EVENT``."""
        return tuple(f"history:{f.event}" if isinstance(f, FromEvent) else f for f in self.fallback_from)


class Waits(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    """policies/waits.yaml."""

    waits: tuple[Wait, ...]
