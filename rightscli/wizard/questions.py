"""The wizard's questions, read strictly from ``policies/questions.yaml`` (format in the file's header).

A question says how to obtain one case fact: prompt, help, type, choices with labels, default, when to ask. Which
facts are needed is decided by the rules (the engine's ``missing``), not here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rightscli import datafile, vocab
from rightscli.case import Field, known_paths
from rightscli.datafile import join_path
from rightscli.errors import ErrorList, PolicyError, UserError
from rightscli.i18n import tr
from rightscli.policy import Text
from rightscli.policy_reader import Reader

FILE_NAMES = ("questions.yaml", "questions.yml")
TYPES = ("choice", "multi_choice", "date", "money", "text", "yes_no", "events")
ASK = ("first", "missing", "always")
# The question type that fits each kind of case field.
TYPE_OF_KIND = {
    "enum": "choice",
    "enum_list": "multi_choice",
    "date": "date",
    "money": "money",
    "text": "text",
    "credit_code": "text",
    "bool": "yes_no",
    "events": "events",
}
_LATIN = re.compile(r"^[\x00-\x7f]+$")


@dataclass(frozen=True)
class Question:
    id: str
    type: str
    prompt: Text
    help: Text | None = None
    ask: str = "missing"
    choices: tuple[tuple[str, Text], ...] = ()
    labels_from: str | None = None
    default: Any = None
    when: dict[str, Any] | None = None
    suggest: str | None = None
    warn_pattern: str | None = None
    warn_message: Text | None = None
    profile: bool = False
    line: int | None = None

    def label(self, value: str, lang: str) -> str:
        for v, text in self.choices:
            if v == value:
                return text.get(lang)
        return value

    @property
    def is_list(self) -> bool:
        return self.type in ("multi_choice", "events")


@dataclass(frozen=True)
class QuestionSet:
    questions: tuple[Question, ...]
    category_hints: dict[str, tuple[str, ...]] = field(default_factory=dict)
    source: str = ""

    def get(self, qid: str) -> Question | None:
        return next((q for q in self.questions if q.id == qid), None)

    def ids(self) -> list[str]:
        return [q.id for q in self.questions]

    def suggest_category(self, item: str | None) -> str | None:
        """The category whose longest keyword occurs in the item name (ties: the earlier category)."""
        if not item:
            return None
        text = item.lower()
        best: tuple[int, str] | None = None
        for category, words in self.category_hints.items():
            for word in words:
                w = word.lower()
                hit = re.search(rf"(?<![a-z]){re.escape(w)}(?![a-z])", text) if _LATIN.match(w) else w in text
                if hit and (best is None or len(w) > best[0]):
                    best = (len(w), category)
        return best[1] if best else None


def questions_file(folder: Path | None = None) -> Path:
    from rightscli.catalog import policies_dir

    base = folder or policies_dir()
    for name in FILE_NAMES:
        if (base / name).is_file():
            return base / name
    return base / FILE_NAMES[0]


def load_questions(path: Path | None = None, evidence_labels: dict[str, Text] | None = None) -> QuestionSet:
    """Read and check the questions file; raises one error that lists every problem with file and line.

    ``evidence_labels`` (id → label, from the evidence catalogue) fills the choices of ``labels_from: evidence``.
    """
    target = path or questions_file()
    doc = datafile.load(str(target), error=PolicyError, regular=True)
    reader = QuestionReader(doc, evidence_labels or {})
    result = reader.question_set()
    if reader.errors:
        errors: list[UserError] = [*reader.errors]
        raise ErrorList.of(errors)
    return result


class QuestionReader(Reader):
    """The policy reader's primitives (keys, text, conditions) applied to the questions file."""

    def __init__(self, doc: datafile.Document, evidence_labels: dict[str, Text]) -> None:
        super().__init__(doc)
        self.evidence_labels = evidence_labels
        self.fields = known_paths()

    def question_set(self) -> QuestionSet:
        raw = self.doc.data
        if not self.keys(raw, "", ("questions",), ("category_hints",)):
            return QuestionSet(())
        items = raw["questions"]
        if not isinstance(items, list) or not items:
            self.fail("questions", tr("policy.expected_list_of", what="questions"))
            return QuestionSet(())
        out: list[Question] = []
        seen: dict[str, int] = {}
        for i, item in enumerate(items):
            q = self.question(item, join_path("questions", i))
            if q is None:
                continue
            if q.id in seen:
                self.fail(join_path("questions", i), tr("questions.duplicate", id=q.id, line=seen[q.id]))
                continue
            seen[q.id] = q.line or 0
            out.append(q)
        for path, f in self.fields.items():
            q = next((q for q in out if q.id == path), None)
            if f.required and (q is None or q.ask != "first"):
                self.fail("questions", tr("questions.required_first", path=path))
        hints = self.hints(raw.get("category_hints"), "category_hints")
        return QuestionSet(tuple(out), hints, self.doc.source)

    def question(self, raw: Any, path: str) -> Question | None:
        optional = (
            "help", "ask", "choices", "labels_from", "default", "when", "suggest", "warn_unless", "profile",
        )  # fmt: skip
        if not self.keys(raw, path, ("id", "type", "prompt"), optional):
            return None
        qid = str(raw["id"])
        fld = self.fields.get(qid)
        if fld is None:
            self.fail(f"{path}.id", tr("questions.not_a_path", id=qid, allowed=", ".join(self.fields)))
            return None
        qtype = self.choice(raw["type"], f"{path}.type", TYPES)
        expected = TYPE_OF_KIND.get(fld.kind)
        if qtype != expected:
            self.fail(f"{path}.type", tr("questions.wrong_type", id=qid, kind=fld.kind, expected=expected))
        choices = self.question_choices(raw, path, qtype, fld)
        warn_pattern, warn_message = self.warn_unless(raw.get("warn_unless"), f"{path}.warn_unless")
        question = Question(
            id=qid,
            type=qtype,
            prompt=self.text(raw["prompt"], f"{path}.prompt") or Text(qid, qid),
            help=self.text(raw.get("help"), f"{path}.help"),
            ask=self.choice(raw.get("ask", "missing"), f"{path}.ask", ASK),
            choices=choices,
            labels_from=raw.get("labels_from"),
            when=self.condition(raw["when"], f"{path}.when") if raw.get("when") is not None else None,
            suggest=self.suggestion(raw.get("suggest"), f"{path}.suggest", qid),
            warn_pattern=warn_pattern,
            warn_message=warn_message,
            profile=self.flag(raw.get("profile"), f"{path}.profile"),
            line=self.doc.line_of(path),
        )
        default = self.default(raw.get("default"), f"{path}.default", question)
        return Question(**{**question.__dict__, "default": default})

    def question_choices(self, raw: Any, path: str, qtype: str, fld: Field) -> tuple[tuple[str, Text], ...]:
        allowed = vocab.EVENTS if qtype == "events" else fld.choices
        labels_from = raw.get("labels_from")
        if labels_from is not None:
            if labels_from != "evidence" or fld.kind != "enum_list" or raw.get("choices") is not None:
                self.fail(f"{path}.labels_from", tr("questions.labels_from"))
                return ()
            return tuple((v, self.evidence_labels.get(v, Text(v, v))) for v in allowed)
        if qtype not in ("choice", "multi_choice", "events"):
            if raw.get("choices") is not None:
                self.fail(f"{path}.choices", tr("questions.no_choices", type=qtype))
            return ()
        choices = raw.get("choices")
        if not isinstance(choices, dict):
            self.fail(f"{path}.choices", tr("questions.expected_choices"))
            return ()
        out: list[tuple[str, Text]] = []
        for value, label in choices.items():
            sub = join_path(f"{path}.choices", str(value))
            if value not in allowed:
                self.fail(sub, tr("cond.not_a_value", got=repr(value), fact=raw["id"], allowed=", ".join(allowed)))
                continue
            text = self.text(label, sub)
            if text is not None:
                out.append((str(value), text))
        for value in allowed:
            if value not in choices:
                self.fail(f"{path}.choices", tr("questions.no_label", value=value, id=raw["id"]))
        return tuple(out)

    def default(self, raw: Any, path: str, q: Question) -> Any:
        if raw is None:
            return None
        values = [c for c, _ in q.choices]
        ok = {
            "choice": isinstance(raw, str) and raw in values,
            "multi_choice": isinstance(raw, list) and all(v in values for v in raw),
            "yes_no": isinstance(raw, bool),
            "money": isinstance(raw, (int, float)) and not isinstance(raw, bool) and raw >= 0,
            "text": isinstance(raw, str),
        }.get(q.type, False)
        if not ok:
            self.fail(path, tr("questions.bad_default", value=repr(raw), type=q.type))
            return None
        return raw

    def suggestion(self, raw: Any, path: str, qid: str) -> str | None:
        if raw is None:
            return None
        if raw != "category" or qid != "order.category":
            self.fail(path, tr("questions.suggest"))
            return None
        return "category"

    def warn_unless(self, raw: Any, path: str) -> tuple[str | None, Text | None]:
        if raw is None:
            return None, None
        if not self.keys(raw, path, ("pattern", "message")):
            return None, None
        pattern = str(raw["pattern"])
        try:
            re.compile(pattern)
        except re.error as exc:
            self.fail(f"{path}.pattern", tr("questions.bad_regex", problem=exc))
            return None, None
        return pattern, self.text(raw["message"], f"{path}.message")

    def flag(self, raw: Any, path: str) -> bool:
        if raw is None:
            return False
        if not isinstance(raw, bool):
            self.fail(path, tr("cond.expected_bool"))
            return False
        return raw

    def hints(self, raw: Any, path: str) -> dict[str, tuple[str, ...]]:
        if raw is None:
            return {}
        if not isinstance(raw, dict):
            self.fail(path, tr("questions.expected_hints"))
            return {}
        out: dict[str, tuple[str, ...]] = {}
        for category, words in raw.items():
            sub = join_path(path, str(category))
            if category not in vocab.CATEGORIES:
                self.fail(sub, tr("case.unknown_value", got=repr(category), allowed=", ".join(vocab.CATEGORIES)))
                continue
            if not isinstance(words, list) or not all(isinstance(w, str) and w.strip() for w in words):
                self.fail(sub, tr("questions.expected_words"))
                continue
            out[str(category)] = tuple(w.strip() for w in words)
        return out
