"""Policy, evidence and escalation models, and the strict reader that builds them from YAML data.

The reader checks every key against the format in docs/policy-format.md and reports each problem with file,
line and key; it never evaluates anything. Cross-file checks (dangling evidence ids, duplicate ids) are in
:mod:`rightscli.catalog`.
"""

from datetime import date
from typing import Any

import msgspec

from rightscli import amounts, charcheck, conditions, vocab
from rightscli.case import known_paths
from rightscli.datafile import Document, join_path
from rightscli.errors import PolicyError
from rightscli.i18n import tr

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


class Text(msgspec.Struct, frozen=True):
    zh: str
    en: str

    def get(self, lang: str) -> str:
        return self.en if lang == "en" else self.zh


class Source(msgspec.Struct, frozen=True):
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
    when: dict[str, Any] | None = None
    confidence: str = "verified"
    checked: date | None = None
    argument: str | None = None  # the sentence a letter states when this source is cited (in the buyer's voice: 您)


class WaitRestart(msgspec.Struct, frozen=True):
    """History events that restart a period (e.g. a demand interrupts limitation); ``interpretation`` marks a
    restart that rests on a reading of the law rather than its express words."""

    events: tuple[str, ...]
    sources: tuple[Source, ...]
    interpretation: Text | None = None


PARTIES = ("buyer", "merchant", "authority")


class Period(msgspec.Struct, frozen=True):
    """A period counted from a case date (``from_fact``) or the latest history event (``from_event``).

    ``restarted_by``: events that start the period again while it runs (a demand interrupts limitation, 民法典
    第一百九十五条): the period counts from the latest of them. ``party``: whose time it is: ``buyer`` (the buyer must
    act by the last day), ``merchant`` (the seller must act by then; past it, its inaction counts against it) or
    ``authority`` (a regulator's or mediator's time). ``answered_by``: for the other side's time, the events by which
    it answered (a refusal): the period then no longer needs to run out."""

    length: int
    unit: str
    from_fact: str | None = None
    from_event: str | None = None
    holiday_extension: str = "false"  # "true" | "false" | "uncertain"
    label: Text | None = None
    met_by: tuple[str, ...] = ()  # history events that exercise the right in time (on or before the last day)
    restarted_by: tuple[WaitRestart, ...] = ()
    party: str = "buyer"
    answered_by: tuple[str, ...] = ()  # the other side's time: events by which it answered (a refusal)


RAISED_BY = ("buyer", "seller")


class Exclusion(msgspec.Struct, frozen=True):
    """An exception to a rule. ``raised_by: seller``: an exception the seller must raise and prove (custom-made goods,
    a confirmation at purchase). While its facts are unknown the right is asserted, with ``assumption`` stated; with
    ``raised_by: buyer`` (the default) an unknown fact leaves the finding undecided."""

    id: str
    when: dict[str, Any]
    reason: Text
    sources: tuple[Source, ...]
    confidence: str = "verified"
    raised_by: str = "buyer"
    assumption: Text | None = None


class Undecided(msgspec.Struct, frozen=True):
    """A case in which the rule may apply but the decisive point is not a fact the buyer can give (e.g. the seller's
    intent, for a court to find): the finding stays undecided ("may apply") and says why."""

    when: dict[str, Any]
    reason: Text


class Stage(msgspec.Struct, frozen=True):
    length: int
    unit: str
    remedies: tuple[str, ...]
    label: Text


class NextStep(msgspec.Struct, frozen=True):
    to: str
    action: Text
    within_days: int | None = None
    by_deadline: bool = False


class Policy(msgspec.Struct, frozen=True):
    id: str
    title: Text
    jurisdiction: str
    summary: Text
    sources: tuple[Source, ...]
    last_reviewed: date
    confidence: str
    when: dict[str, Any]
    explanation: Text
    remedies: tuple[str, ...] = ()
    evidence: tuple[str, ...] = ()
    exclusions: tuple[Exclusion, ...] = ()
    deadline: Period | None = None
    stages: tuple[Stage, ...] = ()
    stages_from: str | None = None
    stages_at: str = "as_of"
    amount: dict[str, Any] | None = None
    next_steps: tuple[NextStep, ...] = ()
    uncertainty: Text | None = None
    notes: Text | None = None
    undecided: tuple[Undecided, ...] = ()
    in_force_on: str = "order.paid_on"
    effective_from: date | None = None
    effective_to: date | None = None
    file: str = ""
    line: int | None = None

    def in_force(self, day: date) -> bool:
        if self.effective_from and day < self.effective_from:
            return False
        return not (self.effective_to and day > self.effective_to)


class EvidenceFiling(msgspec.Struct, frozen=True):
    """How an item is listed in a 证据目录 and how to fix it so that it counts (evidence.yaml ``filing``)."""

    form: Text  # 证据形式 (民事诉讼法 第六十六条)
    proves: Text  # 证明目的; {buyer} and {seller} name the parties
    original: Text  # 原件/复印件
    capture: Text  # how to capture and keep it (electronic-evidence rules)


class EvidenceItem(msgspec.Struct, frozen=True):
    id: str
    label: Text
    why: Text
    how: dict[str, Text]
    keep: Text | None = None
    urgent: Period | None = None
    urgent_when: dict[str, Any] | None = None
    filing: EvidenceFiling | None = None

    def how_for(self, platform: str) -> Text:
        return self.how.get(platform) or self.how["default"]


class EscalationStep(msgspec.Struct, frozen=True):
    id: str
    to: str
    title: Text
    action: Text
    sources: tuple[Source, ...]
    wait: Period | None = None
    when: dict[str, Any] | None = None
    done_when: dict[str, Any] | None = None


WAIT_KINDS = ("wait", "deadline")  # wait: another side must act by the last day; deadline: the buyer must act


class WaitThen(msgspec.Struct, frozen=True):
    """What to do when a wait passes (kind wait), or by its last day (kind deadline)."""

    to: str
    action: Text


class Wait(msgspec.Struct, frozen=True):
    id: str
    kind: str  # wait | deadline
    period: Period  # from (a date fact or {event}), length, unit, holiday_extension, label
    label: Text
    then: WaitThen
    sources: tuple[Source, ...]
    confidence: str = "verified"
    uncertainty: Text | None = None
    note: Text | None = None
    fallback_from: tuple[str, ...] = ()  # date facts or "history:EVENT", tried in order when `from` is not set
    extendable_by: int | None = None  # the period may be extended by this many more units
    when: dict[str, Any] | None = None
    done_when: dict[str, Any] | None = None  # evaluated on the history from the start event on
    pauses: tuple[str, ...] = ()  # escalation targets that wait while this runs
    restarted_by: tuple[WaitRestart, ...] = ()
    passed_counts_as: str | None = None  # a wait that passed counts as this event for the escalation ladder


def fact_choices() -> dict[str, tuple[str, ...] | None]:
    """The fact paths conditions may use, with their allowed values where closed."""
    out: dict[str, tuple[str, ...] | None] = {p: (f.choices or None) for p, f in known_paths().items()}
    for path, f in known_paths().items():
        if f.kind not in ("enum", "enum_list"):
            out[path] = None
    out["as_of"] = None
    return out


def date_facts() -> list[str]:
    return [p for p, f in known_paths().items() if f.kind == "date"] + ["as_of"]


def money_facts() -> dict[str, None]:
    return {p: None for p, f in known_paths().items() if f.kind == "money"}


class Reader:
    """Reads one YAML document into models, collecting :class:`PolicyError` s with file and line."""

    def __init__(self, doc: Document) -> None:
        self.doc = doc
        self.errors: list[PolicyError] = []
        self._facts = fact_choices()
        for path, message in charcheck.problems(doc.data):  # text shown on terminals and quoted in letters
            self.fail(path, message)

    def fail(self, path: str, message: str) -> None:
        self.errors.append(PolicyError(message, file=self.doc.source, line=self.doc.line_of(path), path=path))

    # -- primitives -------------------------------------------------------------------------------------------
    def keys(self, raw: Any, path: str, required: tuple[str, ...], optional: tuple[str, ...] = ()) -> bool:
        if not isinstance(raw, dict):
            self.fail(path, tr("policy.expected_mapping"))
            return False
        import difflib

        allowed = required + optional
        for key in raw:
            if key not in allowed:
                hint = difflib.get_close_matches(str(key), allowed, n=1, cutoff=0.6)
                sub = join_path(path, str(key))
                if hint:
                    self.fail(sub, tr("case.unknown_key_hint", key=key, hint=hint[0]))
                else:
                    self.fail(sub, tr("case.unknown_key", key=key, known=", ".join(allowed)))
        ok = True
        for key in required:
            if raw.get(key) is None:
                self.fail(join_path(path, key), tr("policy.required"))
                ok = False
        return ok

    def text(self, raw: Any, path: str) -> Text | None:
        if raw is None:
            return None
        if not self.keys(raw, path, ("zh", "en")):
            return None
        if not all(isinstance(raw[k], str) and raw[k].strip() for k in ("zh", "en")):
            self.fail(path, tr("policy.text_both"))
            return None
        return Text(raw["zh"].strip(), raw["en"].strip())

    def string(self, raw: Any, path: str) -> str | None:
        if raw is None:
            return None
        if not isinstance(raw, (str, int)) or isinstance(raw, bool):
            self.fail(path, tr("policy.expected_text", got=repr(raw)))
            return None
        return str(raw)

    def day(self, raw: Any, path: str) -> date | None:
        if raw is None:
            return None
        try:
            return date.fromisoformat(str(raw))
        except ValueError:
            self.fail(path, tr("policy.not_date", value=raw))
            return None

    def integer(self, raw: Any, path: str) -> int:
        if isinstance(raw, bool) or not isinstance(raw, int) or not 0 <= raw <= MAX_LENGTH:
            self.fail(path, tr("policy.expected_count", limit=MAX_LENGTH, got=repr(raw)))
            return 0
        return raw

    def span(self, parts: list[tuple[int, str]], path: str) -> None:
        """Periods (length, unit) that run one after the other must together stay within about 100 years."""
        if sum(length * DAYS_PER_UNIT.get(unit, 1.0) for length, unit in parts) > MAX_SPAN_DAYS:
            self.fail(path, tr("policy.too_long_period"))

    def choice(self, raw: Any, path: str, choices: tuple[str, ...]) -> str:
        if raw not in choices:
            self.fail(path, tr("case.unknown_value", got=repr(raw), allowed=", ".join(choices)))
            return choices[0]
        return str(raw)

    def choices(self, raw: Any, path: str, choices: tuple[str, ...]) -> tuple[str, ...]:
        if raw is None:
            return ()
        if not isinstance(raw, list):
            self.fail(path, tr("policy.expected_list"))
            return ()
        return tuple(self.choice(v, join_path(path, i), choices) for i, v in enumerate(raw))

    def condition(self, raw: Any, path: str) -> dict[str, Any]:
        for problem in conditions.check(raw, path, self._facts):
            where, _, msg = problem.partition(": ")
            self.fail(where, msg)
        return raw if isinstance(raw, dict) else {"all": []}

    def fact_path(self, raw: Any, path: str, allowed: list[str]) -> str | None:
        if raw is None:
            return None
        if raw not in allowed:
            self.fail(path, tr("policy.unknown_date_fact", got=repr(raw), allowed=", ".join(allowed)))
            return None
        return str(raw)

    def sources(self, raw: Any, path: str, *, required: bool = True) -> tuple[Source, ...]:
        if raw is None and not required:
            return ()
        if not isinstance(raw, list) or not raw:
            self.fail(path, tr("policy.expected_sources"))
            return ()
        out = []
        for i, item in enumerate(raw):
            sub = join_path(path, i)
            optional = ("url", "effective_from", "effective_to", "note", "when", "confidence", "checked", "argument")
            if not self.keys(item, sub, ("document", "article"), optional):
                continue
            when = item.get("when")
            out.append(
                Source(
                    document=str(item["document"]),
                    article=str(item["article"]),
                    url=self.string(item.get("url"), f"{sub}.url"),
                    effective_from=self.day(item.get("effective_from"), f"{sub}.effective_from"),
                    effective_to=self.day(item.get("effective_to"), f"{sub}.effective_to"),
                    note=self.string(item.get("note"), f"{sub}.note"),
                    when=self.condition(when, f"{sub}.when") if when is not None else None,
                    confidence=self.choice(item.get("confidence", "verified"), f"{sub}.confidence", CONFIDENCE),
                    checked=self.day(item.get("checked"), f"{sub}.checked"),
                    argument=self.string(item.get("argument"), f"{sub}.argument"),
                )
            )
        return tuple(out)

    def period(self, raw: Any, path: str, *, need_from: bool) -> Period | None:
        if raw is None:
            return None
        required = ("from", "length", "unit") if need_from else ("length", "unit")
        optional = ("holiday_extension", "label", "met_by") + (
            ("restarted_by", "party", "answered_by") if need_from else ("from",)
        )
        if not self.keys(raw, path, required, optional):
            return None
        start = raw.get("from")
        from_fact = from_event = None
        if isinstance(start, dict):
            if self.keys(start, f"{path}.from", ("event",)):
                from_event = self.choice(start["event"], f"{path}.from.event", vocab.EVENTS)
        elif start is not None:
            from_fact = self.fact_path(start, f"{path}.from", date_facts())
        ext = raw.get("holiday_extension", False)
        ext_text = {True: "true", False: "false"}.get(ext, ext) if isinstance(ext, bool) else ext
        if ext_text not in ("true", "false", "uncertain"):
            self.fail(f"{path}.holiday_extension", tr("policy.expected_extension"))
            ext_text = "false"
        length, unit = self.integer(raw["length"], f"{path}.length"), self.choice(raw["unit"], f"{path}.unit", UNITS)
        self.span([(length, unit)], f"{path}.length")
        return Period(
            length=length,
            unit=unit,
            from_fact=from_fact,
            from_event=from_event,
            holiday_extension=str(ext_text),
            label=self.text(raw.get("label"), f"{path}.label"),
            met_by=self.choices(raw["met_by"], f"{path}.met_by", vocab.EVENTS)
            if "met_by" in raw
            else (CLAIM_EVENTS if need_from else ()),
            restarted_by=self.restarts(raw.get("restarted_by"), f"{path}.restarted_by"),
            party=self.choice(raw.get("party", "buyer"), f"{path}.party", PARTIES),
            answered_by=self.choices(raw.get("answered_by"), f"{path}.answered_by", vocab.EVENTS),
        )

    # -- documents --------------------------------------------------------------------------------------------
    def policy(self) -> Policy | None:
        raw = self.doc.data
        required = (
            "id", "title", "jurisdiction", "summary", "sources", "last_reviewed", "confidence", "when", "explanation",
        )  # fmt: skip
        optional = (
            "uncertainty", "exclusions", "deadline", "stages", "stages_from", "stages_at", "remedies", "amount",
            "evidence", "next_steps", "notes", "in_force_on", "effective_from", "effective_to", "undecided",
        )  # fmt: skip
        if not self.keys(raw, "", required, optional):
            return None
        pid = str(raw["id"])
        if not is_identifier(pid, dotted=True):
            self.fail("id", tr("policy.bad_id", id=pid))
        jurisdiction = self.choice(raw["jurisdiction"], "jurisdiction", JURISDICTIONS)
        if not pid.startswith(f"{jurisdiction}."):
            self.fail("id", tr("policy.id_prefix", id=pid, jurisdiction=jurisdiction))
        confidence = self.choice(raw["confidence"], "confidence", CONFIDENCE)
        uncertainty = self.text(raw.get("uncertainty"), "uncertainty")
        if confidence != "verified" and uncertainty is None:
            self.fail("uncertainty", tr("policy.uncertainty_required", confidence=confidence))
        if raw.get("deadline") is not None and raw.get("stages") is not None:
            self.fail("stages", tr("policy.deadline_or_stages"))
        stages = self.stages(raw.get("stages"))
        if stages and raw.get("stages_from") is None:
            self.fail("stages_from", tr("policy.stages_from_required"))
        amount = raw.get("amount")
        if amount is not None:
            for problem in amounts.check(amount, "amount", money_facts()):
                where, _, msg = problem.partition(": ")
                self.fail(where, msg)
        return Policy(
            id=pid,
            title=self.text(raw["title"], "title") or Text(pid, pid),
            jurisdiction=jurisdiction,
            summary=self.text(raw["summary"], "summary") or Text("", ""),
            sources=self.sources(raw["sources"], "sources"),
            last_reviewed=self.day(raw["last_reviewed"], "last_reviewed") or date.min,
            confidence=confidence,
            uncertainty=uncertainty,
            when=self.condition(raw["when"], "when"),
            explanation=self.text(raw["explanation"], "explanation") or Text("", ""),
            remedies=self.choices(raw.get("remedies"), "remedies", vocab.WANTS),
            evidence=self.choices(raw.get("evidence"), "evidence", vocab.EVIDENCE_IDS),
            exclusions=self.exclusions(raw.get("exclusions")),
            deadline=self.period(raw.get("deadline"), "deadline", need_from=True),
            stages=stages,
            stages_from=self.fact_path(raw.get("stages_from"), "stages_from", date_facts()),
            stages_at=self.fact_path(raw.get("stages_at", "as_of"), "stages_at", date_facts()) or "as_of",
            amount=amount,
            next_steps=self.next_steps(raw.get("next_steps")),
            notes=self.text(raw.get("notes"), "notes"),
            undecided=self.undecided(raw.get("undecided")),
            in_force_on=self.fact_path(raw.get("in_force_on", "order.paid_on"), "in_force_on", date_facts())
            or "order.paid_on",
            effective_from=self.day(raw.get("effective_from"), "effective_from"),
            effective_to=self.day(raw.get("effective_to"), "effective_to"),
            file=self.doc.source,
            line=1,
        )

    def undecided(self, raw: Any) -> tuple[Undecided, ...]:
        if raw is None:
            return ()
        if not isinstance(raw, list):
            self.fail("undecided", "expected a list of {when, reason}")
            return ()
        out = []
        for i, item in enumerate(raw):
            sub = f"undecided[{i}]"
            if not self.keys(item, sub, ("when", "reason")):
                continue
            out.append(
                Undecided(
                    when=self.condition(item["when"], f"{sub}.when"),
                    reason=self.text(item["reason"], f"{sub}.reason") or Text("", ""),
                )
            )
        return tuple(out)

    def exclusions(self, raw: Any) -> tuple[Exclusion, ...]:
        if raw is None:
            return ()
        if not isinstance(raw, list):
            self.fail("exclusions", tr("policy.expected_list_of", what="exclusions"))
            return ()
        out = []
        seen: set[str] = set()
        for i, item in enumerate(raw):
            sub = f"exclusions[{i}]"
            if not self.keys(item, sub, ("id", "when", "reason", "sources"), ("confidence", "raised_by", "assumption")):
                continue
            eid = str(item["id"])
            raised_by = self.choice(item.get("raised_by", "buyer"), f"{sub}.raised_by", RAISED_BY)
            assumption = self.text(item.get("assumption"), f"{sub}.assumption")
            if raised_by == "seller" and assumption is None:
                self.fail(f"{sub}.assumption", tr("policy.assumption_required"))
            if eid in seen:
                self.fail(f"{sub}.id", tr("policy.duplicate_id", id=eid))
            seen.add(eid)
            out.append(
                Exclusion(
                    id=eid,
                    when=self.condition(item["when"], f"{sub}.when"),
                    reason=self.text(item["reason"], f"{sub}.reason") or Text("", ""),
                    sources=self.sources(item["sources"], f"{sub}.sources"),
                    confidence=self.choice(item.get("confidence", "verified"), f"{sub}.confidence", CONFIDENCE),
                    raised_by=raised_by,
                    assumption=assumption,
                )
            )
        return tuple(out)

    def stages(self, raw: Any) -> tuple[Stage, ...]:
        if raw is None:
            return ()
        if not isinstance(raw, list) or not raw:
            self.fail("stages", tr("policy.expected_list_of", what="stages"))
            return ()
        out = []
        for i, item in enumerate(raw):
            sub = f"stages[{i}]"
            if not self.keys(item, sub, ("length", "unit", "remedies", "label")):
                continue
            out.append(
                Stage(
                    length=self.integer(item["length"], f"{sub}.length"),
                    unit=self.choice(item["unit"], f"{sub}.unit", UNITS),
                    remedies=self.choices(item["remedies"], f"{sub}.remedies", vocab.WANTS),
                    label=self.text(item["label"], f"{sub}.label") or Text("", ""),
                )
            )
        self.span([(stage.length, stage.unit) for stage in out], "stages")
        return tuple(out)

    def next_steps(self, raw: Any) -> tuple[NextStep, ...]:
        if raw is None:
            return ()
        if not isinstance(raw, list):
            self.fail("next_steps", tr("policy.expected_list"))
            return ()
        out = []
        for i, item in enumerate(raw):
            sub = f"next_steps[{i}]"
            if not self.keys(item, sub, ("to", "action"), ("within",)):
                continue
            within = item.get("within")
            days: int | None = None
            by_deadline = False
            if within is not None:
                if isinstance(within, dict) and set(within) == {"days"}:
                    days = self.integer(within["days"], f"{sub}.within.days")
                elif isinstance(within, dict) and within == {"deadline": True}:
                    by_deadline = True
                else:
                    self.fail(f"{sub}.within", tr("policy.expected_within"))
            out.append(
                NextStep(
                    to=self.choice(item["to"], f"{sub}.to", vocab.STEP_TARGETS),
                    action=self.text(item["action"], f"{sub}.action") or Text("", ""),
                    within_days=days,
                    by_deadline=by_deadline,
                )
            )
        return tuple(out)

    def evidence_catalogue(self) -> list[EvidenceItem]:
        raw = self.doc.data
        if not self.keys(raw, "", ("evidence",)):
            return []
        items = raw["evidence"]
        if not isinstance(items, list):
            self.fail("evidence", tr("policy.expected_list_of", what="evidence"))
            return []
        out = []
        for i, item in enumerate(items):
            sub = f"evidence[{i}]"
            if not self.keys(item, sub, ("id", "label", "why", "how"), ("keep", "urgent", "filing")):
                continue
            eid = self.choice(item["id"], f"{sub}.id", vocab.EVIDENCE_IDS)
            how: dict[str, Text] = {}
            if self.keys(item["how"], f"{sub}.how", ("default",), vocab.PLATFORMS):
                for key, value in item["how"].items():
                    text = self.text(value, f"{sub}.how.{key}")
                    if text:
                        how[str(key)] = text
            urgent_raw = item.get("urgent")
            urgent_when = None
            if isinstance(urgent_raw, dict) and "when" in urgent_raw:
                urgent_when = self.condition(urgent_raw["when"], f"{sub}.urgent.when")
                urgent_raw = {k: v for k, v in urgent_raw.items() if k != "when"}
            out.append(
                EvidenceItem(
                    id=eid,
                    label=self.text(item["label"], f"{sub}.label") or Text(eid, eid),
                    why=self.text(item["why"], f"{sub}.why") or Text("", ""),
                    how=how or {"default": Text("", "")},
                    keep=self.text(item.get("keep"), f"{sub}.keep"),
                    urgent=self.period(urgent_raw, f"{sub}.urgent", need_from=True),
                    urgent_when=urgent_when,
                    filing=self.evidence_filing(item.get("filing"), f"{sub}.filing"),
                )
            )
        return out

    def evidence_filing(self, raw: Any, path: str) -> EvidenceFiling | None:
        names = ("form", "proves", "original", "capture")
        if raw is None or not self.keys(raw, path, names):
            return None
        texts = {name: self.text(raw[name], f"{path}.{name}") for name in names}
        if any(t is None for t in texts.values()):
            return None
        return EvidenceFiling(**texts)  # type: ignore[arg-type]

    def escalation(self) -> list[EscalationStep]:
        raw = self.doc.data
        if not self.keys(raw, "", ("steps",)):
            return []
        items = raw["steps"]
        if not isinstance(items, list):
            self.fail("steps", tr("policy.expected_list_of", what="steps"))
            return []
        out = []
        for i, item in enumerate(items):
            sub = f"steps[{i}]"
            if not self.keys(item, sub, ("id", "to", "title", "action", "sources"), ("wait", "when", "done_when")):
                continue
            out.append(
                EscalationStep(
                    id=str(item["id"]),
                    to=self.choice(item["to"], f"{sub}.to", vocab.STEP_TARGETS),
                    title=self.text(item["title"], f"{sub}.title") or Text("", ""),
                    action=self.text(item["action"], f"{sub}.action") or Text("", ""),
                    sources=self.sources(item["sources"], f"{sub}.sources"),
                    wait=self.period(item.get("wait"), f"{sub}.wait", need_from=False),
                    when=self.condition(item["when"], f"{sub}.when") if item.get("when") is not None else None,
                    done_when=self.condition(item["done_when"], f"{sub}.done_when")
                    if item.get("done_when") is not None
                    else None,
                )
            )
        return out

    def waits(self) -> list[Wait]:
        raw = self.doc.data
        if not self.keys(raw, "", ("waits",)):
            return []
        items = raw["waits"]
        if not isinstance(items, list):
            self.fail("waits", tr("policy.expected_list_of", what="waits"))
            return []
        out = []
        seen: set[str] = set()
        for i, item in enumerate(items):
            sub = f"waits[{i}]"
            required = ("id", "kind", "from", "length", "unit", "label", "then", "sources")
            optional = (
                "fallback_from", "holiday_extension", "extendable_by", "when", "done_when", "pauses", "restarted_by",
                "passed_counts_as", "confidence", "uncertainty", "note",
            )  # fmt: skip
            if not self.keys(item, sub, required, optional):
                continue
            wid = str(item["id"])
            if not is_identifier(wid, dotted=False):
                self.fail(f"{sub}.id", tr("policy.bad_wait_id", id=wid))
            if wid in seen:
                self.fail(f"{sub}.id", tr("policy.duplicate_id", id=wid))
            seen.add(wid)
            period_keys = ("from", "length", "unit", "holiday_extension", "label")
            period = self.period({k: item[k] for k in period_keys if k in item}, sub, need_from=True)
            confidence = self.choice(item.get("confidence", "verified"), f"{sub}.confidence", CONFIDENCE)
            uncertainty = self.text(item.get("uncertainty"), f"{sub}.uncertainty")
            if confidence != "verified" and uncertainty is None:
                self.fail(f"{sub}.uncertainty", tr("policy.uncertainty_required", confidence=confidence))
            fallback = item.get("fallback_from") or []
            if not isinstance(fallback, list):
                self.fail(f"{sub}.fallback_from", tr("policy.expected_fallbacks"))
                fallback = []
            then = item["then"]
            if not self.keys(then, f"{sub}.then", ("to", "action")):
                continue
            if period is None:
                continue
            if isinstance(item.get("extendable_by"), int):
                self.span([(period.length, period.unit), (item["extendable_by"], period.unit)], f"{sub}.extendable_by")
            out.append(
                Wait(
                    id=wid,
                    kind=self.choice(item["kind"], f"{sub}.kind", WAIT_KINDS),
                    period=period,
                    label=period.label or Text(wid, wid),
                    then=WaitThen(
                        to=self.choice(then["to"], f"{sub}.then.to", vocab.STEP_TARGETS),
                        action=self.text(then["action"], f"{sub}.then.action") or Text("", ""),
                    ),
                    sources=self.sources(item["sources"], f"{sub}.sources"),
                    confidence=confidence,
                    uncertainty=uncertainty,
                    note=self.text(item.get("note"), f"{sub}.note"),
                    fallback_from=self.fallbacks(fallback, f"{sub}.fallback_from"),
                    extendable_by=self.integer(item["extendable_by"], f"{sub}.extendable_by")
                    if item.get("extendable_by") is not None
                    else None,
                    when=self.condition(item["when"], f"{sub}.when") if item.get("when") is not None else None,
                    done_when=self.condition(item["done_when"], f"{sub}.done_when")
                    if item.get("done_when") is not None
                    else None,
                    pauses=self.choices(item.get("pauses"), f"{sub}.pauses", vocab.STEP_TARGETS),
                    restarted_by=self.restarts(item.get("restarted_by"), f"{sub}.restarted_by"),
                    passed_counts_as=self.choice(item["passed_counts_as"], f"{sub}.passed_counts_as", vocab.EVENTS)
                    if item.get("passed_counts_as") is not None
                    else None,
                )
            )
        return out

    def fallbacks(self, raw: list[Any], path: str) -> tuple[str, ...]:
        """Date facts, or ``{event: E}`` written as ``history:E``."""
        out = []
        for j, value in enumerate(raw):
            sub = join_path(path, j)
            if isinstance(value, dict):
                if self.keys(value, sub, ("event",)):
                    out.append("history:" + self.choice(value["event"], f"{sub}.event", vocab.EVENTS))
            elif (fact := self.fact_path(value, sub, date_facts())) is not None:
                out.append(fact)
        return tuple(out)

    def restarts(self, raw: Any, path: str) -> tuple[WaitRestart, ...]:
        if raw is None:
            return ()
        if not isinstance(raw, list):
            self.fail(path, tr("policy.expected_restarts"))
            return ()
        out = []
        for i, item in enumerate(raw):
            sub = join_path(path, i)
            if not self.keys(item, sub, ("events", "sources"), ("interpretation",)):
                continue
            out.append(
                WaitRestart(
                    events=self.choices(item["events"], f"{sub}.events", vocab.EVENTS),
                    sources=self.sources(item["sources"], f"{sub}.sources"),
                    interpretation=self.text(item.get("interpretation"), f"{sub}.interpretation"),
                )
            )
        return tuple(out)


# -- waits (policies/waits.yaml): how long the buyer waits for someone else, or has to act, after an event --------
