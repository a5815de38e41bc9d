"""The bundled letter data (templates/letters/recipients.yaml): titles, fixed citations, complaint rules, phrases.

The file is bundled data, read strictly; a problem in it is reported with file and key like a template error. It is
never taken from a user's ``--template-dir``: its phrases are format strings, and only bundled ones are trusted.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

from rightscli import vocab
from rightscli.errors import TemplateError

FIELD_RE = re.compile(r"\{([a-z_]+)\}")


@dataclass(frozen=True)
class Citation:
    document: str
    article: str
    text: str
    quote: bool

    @property
    def ref(self) -> str:
        return f"《{self.document}》{self.article}"


@dataclass(frozen=True)
class Recipient:
    id: str
    title: str
    buyer_role: str
    seller_role: str
    citations: tuple[Citation, ...]
    reply_days: int | None = None
    form_limit: int | None = None


@dataclass(frozen=True)
class ComplaintRule:
    document: str
    order: str
    effective_from: date
    effective_to: date | None
    articles: dict[str, str]

    def in_force(self, day: date) -> bool:
        return self.effective_from <= day and (self.effective_to is None or day <= self.effective_to)

    @property
    def ref(self) -> str:
        return f"《{self.document}》（{self.order}）"


@dataclass(frozen=True)
class ReportGround:
    kind: str
    text: str
    basis: str
    needs_event: bool = False


@dataclass(frozen=True)
class LetterData:
    platforms: dict[str, str | None]
    recipients: dict[str, Recipient]
    complaint_rules: tuple[ComplaintRule, ...]
    problem_kinds: dict[str, str]
    remedies: dict[str, str]
    remedy_short: dict[str, str]
    facts: dict[str, str]
    events: dict[str, str]
    report_grounds: dict[str, ReportGround]

    def complaint_rule(self, day: date) -> ComplaintRule:
        for rule in self.complaint_rules:
            if rule.in_force(day):
                return rule
        raise TemplateError(f"no complaint-handling rule is in force on {day}", file=str(data_file()))


def data_file() -> Path:
    from rightscli.catalog import templates_dir

    return templates_dir() / "letters" / "recipients.yaml"


def phrase(template: str, **values: str) -> str:
    """Fill ``{name}`` fields (names only, no attribute access or format specs)."""

    def field(match: re.Match[str]) -> str:
        return values[match.group(1)]

    return FIELD_RE.sub(field, template)


@cache
def load_letter_data(path: Path | None = None) -> LetterData:
    from rightscli import datafile

    file = path or data_file()
    doc = datafile.load(str(file), error=TemplateError)
    try:
        return _build(doc.data)
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise TemplateError(f"bundled letter data is malformed: {type(exc).__name__}: {exc}", file=str(file)) from None


def _build(raw: dict[str, Any]) -> LetterData:
    recipients: dict[str, Recipient] = {}
    for rid in vocab.RECIPIENTS:
        item = raw["recipients"][rid]
        recipients[rid] = Recipient(
            id=rid,
            title=str(item["title"]),
            buyer_role=str(item["buyer_role"]),
            seller_role=str(item["seller_role"]),
            citations=tuple(
                Citation(str(c["document"]), str(c["article"]), "".join(str(c["text"]).split()), bool(c["quote"]))
                for c in item["citations"]
            ),
            reply_days=item.get("reply_days"),
            form_limit=item.get("form_limit"),
        )
    rules = tuple(
        ComplaintRule(
            document=str(r["document"]),
            order=str(r["order"]),
            effective_from=date.fromisoformat(str(r["effective_from"])),
            effective_to=date.fromisoformat(str(r["effective_to"])) if r["effective_to"] else None,
            articles={str(k): str(v) for k, v in r["articles"].items()},
        )
        for r in raw["complaint_rules"]
    )
    facts = raw["facts"]
    grounds = {
        str(kind): ReportGround(str(kind), str(g["text"]), str(g["basis"]), bool(g.get("needs_event", False)))
        for kind, g in raw["report_grounds"].items()
    }
    return LetterData(
        platforms={str(k): (str(v) if v else None) for k, v in raw["platforms"].items()},
        recipients=recipients,
        complaint_rules=rules,
        problem_kinds={str(k): str(v) for k, v in raw["problem_kinds"].items()},
        remedies={str(k): str(v) for k, v in raw["remedies"].items()},
        remedy_short={str(k): str(v) for k, v in raw["remedy_short"].items()},
        facts={str(k): str(v) for k, v in facts.items() if k != "events"},
        events={str(k): str(v) for k, v in facts["events"].items()},
        report_grounds=grounds,
    )
