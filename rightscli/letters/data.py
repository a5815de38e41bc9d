"""The bundled letter data (templates/letters/recipients.yaml): recipients, titles, fixed citations, complaint rules,
how each letter picks the findings it argues, phrases.

The file is bundled data, read strictly; a problem in it is reported with file and key like a template error. It is
never taken from a user's ``--template-dir``: its phrases are format strings, and only bundled ones are trusted.

It is also the one list of letter recipients: :func:`recipient_ids` is what ``rights letter --to`` accepts.
"""

import fnmatch
import re
from datetime import date
from functools import cache, lru_cache
from pathlib import Path
from typing import Any

import msgspec
from msgspec import field

from rightscli.errors import TemplateError
from rightscli.i18n import tr

FIELD_RE = re.compile(r"\{([a-z_]+)\}")


class Citation(msgspec.Struct, frozen=True):
    document: str
    article: str
    text: str
    quote: bool
    key: str | None = None

    @property
    def ref(self) -> str:
        return f"《{self.document}》{self.article}"


class Reasons(msgspec.Struct, frozen=True):
    """Which established findings a letter argues: those in the roles listed (in priority order), at most ``cap``."""

    cap: int
    cite: tuple[str, ...]


class CoDefendant(msgspec.Struct, frozen=True):
    """The platform sued with the seller, where a finding cites one of ``when_cited`` (document, article)."""

    when_cited: tuple[tuple[str, str], ...]
    seller_role: str
    role: str
    claim: str


class ChecklistItem(msgspec.Struct, frozen=True):
    id: str
    label: dict[str, str]
    why: dict[str, str]
    how: dict[str, str]
    when: dict[str, str]


class Recipient(msgspec.Struct, frozen=True):
    id: str
    title: str
    buyer_role: str
    seller_role: str
    citations: tuple[Citation, ...]
    reasons: Reasons
    reply_days: int | None = None
    form_limit: int | None = None
    title_limit: int | None = None
    alternatives: str = "or"  # or: alternative requests joined by 或者 | first: only the first (a court claim)
    buyer_self: str = "本人"  # how the letter names the buyer where a rule's text says 您
    voice: dict[str, str] = field(default_factory=dict)  # words of the facts phrases replaced in this letter
    remedies: dict[str, str] = field(default_factory=dict)  # this letter's own wording of a request
    co_defendant: CoDefendant | None = None
    checklist: tuple[ChecklistItem, ...] = ()
    post: dict[str, str] = field(default_factory=dict)  # the public complaint's fixed sentences
    # A letter to an authority or a court: it cites only verified texts (no secondary or unconfirmed rule, no article
    # whose text nobody read) and never a platform rule that rests on secondary sources.
    strict: bool = False

    def cited(self, key: str) -> str:
        """The fixed citation with this key, as 《…》第…条."""
        for c in self.citations:
            if c.key == key:
                return c.ref
        raise TemplateError(tr("template.no_citation", recipient=self.id, key=key), file=str(data_file()))


class ComplaintRule(msgspec.Struct, frozen=True):
    document: str
    order: str
    effective_from: date
    effective_to: date | None
    articles: dict[str, str]
    confidence: str = "verified"  # secondary: its article numbers rest on an unofficial copy; letters cite none

    def in_force(self, day: date) -> bool:
        return self.effective_from <= day and (self.effective_to is None or day <= self.effective_to)

    @property
    def ref(self) -> str:
        return f"《{self.document}》（{self.order}）"


class ReportGround(msgspec.Struct, frozen=True):
    kind: str
    text: str
    basis: str
    needs_event: bool = False


class LetterData(msgspec.Struct, frozen=True):
    platforms: dict[str, str | None]
    recipients: dict[str, Recipient]
    complaint_rules: tuple[ComplaintRule, ...]
    problem_kinds: dict[str, str]
    remedies: dict[str, str]
    remedy_short: dict[str, str]
    alternatives: tuple[tuple[str, ...], ...]
    facts: dict[str, str]
    events: dict[str, str]
    report_grounds: dict[str, ReportGround]
    finding_roles: tuple[tuple[str, tuple[str, ...]], ...]
    evidence_sources: dict[str, str]
    redact: dict[str, str]
    improper_words: dict[str, str]  # word -> what the public complaint says instead
    # good-faith.yaml beside recipients.yaml: report (the 举报信's statement), punitive (a punitive-damages claim's)
    good_faith: dict[str, str] = field(default_factory=dict)

    def complaint_rule(self, day: date) -> tuple[ComplaintRule, bool]:
        """The complaint-handling rule in force on ``day``, and whether it came into force only after ``day``: a
        letter dated before the earliest rule in recipients.yaml cites that rule (the letter says so in a warning)."""
        for rule in self.complaint_rules:
            if rule.in_force(day):
                return rule, False
        earliest = min(self.complaint_rules, key=lambda r: r.effective_from, default=None)
        if earliest is not None and day < earliest.effective_from:
            return earliest, True
        raise TemplateError(tr("template.no_complaint_rule", day=day), file=str(data_file()))

    def role(self, policy_id: str) -> str:
        """The role of a finding in a letter, from its policy id (the first role whose pattern matches)."""
        return _role(self.finding_roles, policy_id)

    def grouped(self, remedies: list[str]) -> list[list[str]]:
        """The remedies in their order, those that replace one another (``alternatives``) together in one group."""
        groups: dict[Any, list[str]] = {}
        for remedy in remedies:
            key = next((i for i, group in enumerate(self.alternatives) if remedy in group), remedy)
            groups.setdefault(key, []).append(remedy)
        return list(groups.values())


@lru_cache(maxsize=4096)
def _role(roles: tuple[tuple[str, tuple[str, ...]], ...], policy_id: str) -> str:
    for name, patterns in roles:
        if any(_glob(policy_id, p) for p in patterns):
            return name
    return "law"


def _glob(name: str, pattern: str) -> bool:
    """``fnmatch.fnmatchcase`` for patterns whose only wildcard is ``*`` (all of recipients.yaml's), without compiling a
    regular expression for each pattern on every run; other patterns go to fnmatch."""
    if "?" in pattern or "[" in pattern:
        return fnmatch.fnmatchcase(name, pattern)
    if "*" not in pattern:
        return name == pattern
    first, *middle, last = pattern.split("*")
    if len(name) < len(first) + len(last) or not name.startswith(first) or not name.endswith(last):
        return False
    at, end = len(first), len(name) - len(last)
    for piece in middle:
        found = name.find(piece, at, end)
        if found < 0:
            return False
        at = found + len(piece)
    return True


def data_file() -> Path:
    from rightscli.catalog import templates_dir

    return templates_dir() / "letters" / "recipients.yaml"


GOOD_FAITH = "good-faith.yaml"  # read with recipients.yaml, from the same folder, into the same LetterData


def data_files(file: Path) -> list[Path]:
    """The files the letter data of ``file`` (a recipients.yaml) is read from: the caches are keyed by all of them."""
    return [file, file.parent / GOOD_FAITH]


def phrase(template: str, **values: str) -> str:
    """Fill ``{name}`` fields (names only, no attribute access or format specs)."""
    if "{" not in template:  # no field to fill (most of a letter's phrases)
        return template

    def field(match: re.Match[str]) -> str:
        return values[match.group(1)]

    return FIELD_RE.sub(field, template)


def recipient_ids() -> tuple[str, ...]:
    """Every recipient a letter can be written to, in the order of recipients.yaml."""
    return tuple(load_letter_data().recipients)


def checklist_purposes() -> tuple[str, ...]:
    """The steps ``rights checklist --for`` knows: the recipients whose letter needs more than the evidence."""
    return tuple(r.id for r in load_letter_data().recipients.values() if r.checklist)


@cache
def load_letter_data(path: Path | None = None) -> LetterData:
    """The letter data of ``path`` (default: the bundled recipients.yaml), cached on disk like the catalog (see
    :mod:`rightscli.catalog_cache`): keyed by the file's path, size and modification time."""
    from rightscli import catalog_cache

    file = path or data_file()
    try:
        key = catalog_cache.fingerprint(data_files(file))
    except OSError:
        key = None  # reading it reports the problem
    cached = catalog_cache.load(key, LetterData, catalog_cache.LETTERS_NAME) if key else None
    if cached is not None:
        return cached
    data = (_shipped(file) if key else None) or read_letter_data(file)
    if key:
        catalog_cache.store(key, data, catalog_cache.LETTERS_NAME)
    return data


def _shipped(file: Path) -> LetterData | None:
    """The letter data as the wheel ships it read (the first run after installing), if ``file`` (the bundled
    recipients.yaml) is the one it was built from."""
    from rightscli import prebuilt

    if file != data_file():
        return None
    found = prebuilt.read(prebuilt.LETTERS, tuple[str, LetterData], data_files(file), file.parent)
    return found[0] if found else None


def read_letter_data(file: Path) -> LetterData:
    """Parse and check the letter data files (no cache): ``file`` (recipients.yaml) and good-faith.yaml beside it."""
    from rightscli import datafile
    from rightscli.charcheck import problems

    doc = datafile.load(str(file), error=TemplateError, regular=True)
    for where, message in problems(doc.data):  # text quoted in every letter: no escapes, no invisible characters
        raise TemplateError(message, file=str(file), line=doc.line_of(where), path=where)
    try:
        data = _build(doc.data)
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise TemplateError(tr("template.bad_data", kind=type(exc).__name__, problem=exc), file=str(file)) from None
    return msgspec.structs.replace(data, good_faith=_read_good_faith(file.parent / GOOD_FAITH))


def _read_good_faith(file: Path) -> dict[str, str]:
    from rightscli import datafile

    raw = datafile.load(str(file), error=TemplateError).data
    return {"report": str(raw["report"]).replace(" ", ""), "punitive": str(raw["punitive"]).replace(" ", "")}


def _texts(raw: dict[str, Any]) -> dict[str, str]:
    return {str(k): str(v) for k, v in raw.items()}


def _recipient(rid: str, item: dict[str, Any]) -> Recipient:
    known = {
        "title", "buyer_role", "seller_role", "citations", "reasons", "reply_days", "form_limit", "title_limit",
        "alternatives", "buyer_self", "voice", "remedies", "co_defendant", "checklist", "post", "strict",
    }  # fmt: skip
    unknown = set(item) - known
    if unknown:
        raise KeyError(f"recipients.{rid}: unknown keys {sorted(unknown)}")
    co = item.get("co_defendant")
    alternatives = str(item.get("alternatives", "or"))
    if alternatives not in ("or", "first"):
        raise ValueError(f"recipients.{rid}.alternatives: expected or | first, got {alternatives!r}")
    return Recipient(
        id=rid,
        title=str(item["title"]),
        buyer_role=str(item["buyer_role"]),
        seller_role=str(item["seller_role"]),
        citations=tuple(
            Citation(
                str(c["document"]),
                str(c["article"]),
                "".join(str(c["text"]).split()),
                bool(c["quote"]),
                str(c["key"]) if c.get("key") else None,
            )
            for c in item["citations"]
        ),
        reasons=Reasons(int(item["reasons"]["cap"]), tuple(str(r) for r in item["reasons"]["cite"])),
        reply_days=item.get("reply_days"),
        form_limit=item.get("form_limit"),
        title_limit=item.get("title_limit"),
        alternatives=alternatives,
        buyer_self=str(item.get("buyer_self", "本人")),
        strict=bool(item.get("strict", False)),
        voice=_texts(item.get("voice") or {}),
        remedies=_texts(item.get("remedies") or {}),
        co_defendant=CoDefendant(
            when_cited=tuple((str(c["document"]), str(c["article"])) for c in co["when_cited"]),
            seller_role=str(co["seller_role"]),
            role=str(co["role"]),
            claim=str(co["claim"]),
        )
        if co
        else None,
        checklist=tuple(
            ChecklistItem(
                id=str(c["id"]),
                label=_texts(c["label"]),
                why=_texts(c["why"]),
                how=_texts(c["how"]),
                when=_texts(c["when"]),
            )
            for c in item.get("checklist") or ()
        ),
        post=_texts(item.get("post") or {}),
    )


def _build(raw: dict[str, Any]) -> LetterData:
    recipients = {str(rid): _recipient(str(rid), item) for rid, item in raw["recipients"].items()}
    rules = tuple(
        ComplaintRule(
            document=str(r["document"]),
            order=str(r["order"]),
            effective_from=date.fromisoformat(str(r["effective_from"])),
            effective_to=date.fromisoformat(str(r["effective_to"])) if r["effective_to"] else None,
            articles=_texts(r["articles"]),
            confidence=str(r.get("confidence", "verified")),
        )
        for r in raw["complaint_rules"]
    )
    facts = raw["facts"]
    grounds = {
        str(kind): ReportGround(str(kind), str(g["text"]), str(g["basis"]), bool(g.get("needs_event", False)))
        for kind, g in raw["report_grounds"].items()
    }
    roles = tuple((str(name), tuple(str(p) for p in patterns)) for name, patterns in raw["finding_roles"].items())
    role_names = {name for name, _ in roles} | {"law"}
    for r in recipients.values():
        unknown = set(r.reasons.cite) - role_names
        if unknown:
            raise ValueError(f"recipients.{r.id}.reasons.cite: unknown roles {sorted(unknown)}")
    remedies = _texts(raw["remedies"])
    alternatives = tuple(tuple(str(x) for x in group) for group in raw["alternatives"])
    for group in alternatives:
        if set(group) - set(remedies):
            raise ValueError(f"alternatives: unknown remedies {sorted(set(group) - set(remedies))}")
    return LetterData(
        platforms={str(k): (str(v) if v else None) for k, v in raw["platforms"].items()},
        recipients=recipients,
        complaint_rules=rules,
        problem_kinds=_texts(raw["problem_kinds"]),
        remedies=remedies,
        remedy_short=_texts(raw["remedy_short"]),
        alternatives=alternatives,
        facts={str(k): str(v) for k, v in facts.items() if k != "events"},
        events=_texts(facts["events"]),
        report_grounds=grounds,
        finding_roles=roles,
        evidence_sources=_texts(raw["evidence_sources"]),
        redact=_texts(raw["redact"]),
        improper_words={str(k): str(v or "") for k, v in raw["improper_words"].items()},
    )
