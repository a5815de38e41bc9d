"""The answers so far: raw case data by path, where each value came from, and the case model's verdict on them.

Sources, strongest first: ``set`` (``-s KEY=VALUE``) > ``answers`` (``--answers FILE``) > ``profile`` (the saved buyer
profile) > ``prompt`` (typed in) > ``default`` (the question's default). A weaker source never replaces a stronger
one that is already there; what is there is not asked again. Every value, whatever its source, is checked by
:func:`rightscli.case.check_partial` / :func:`rightscli.case.validate_case` — the case model's one validation path.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from rightscli import datafile, typed_in
from rightscli.case import Case, Field, check_partial, known_paths, missing_required, validate_case
from rightscli.datafile import Document
from rightscli.errors import ErrorList, InputError, UserError
from rightscli.i18n import tr
from rightscli.wizard.questions import Question, QuestionSet

ORIGINS = ("set", "answers", "profile", "prompt", "default")


@dataclass
class Answers:
    as_of: date | None  # --as-of (overrides the as_of among the answers)
    today: date
    data: dict[str, Any] = field(default_factory=dict)
    origin: dict[str, str] = field(default_factory=dict)

    # -- reading and writing values by case path --------------------------------------------------------------
    def get(self, path: str) -> Any:
        value: Any = self.data
        for part in path.split("."):
            if not isinstance(value, dict):
                return None
            value = value.get(part)
        return value

    def has(self, path: str) -> bool:
        return self.get(path) is not None

    def put(self, path: str, value: Any, origin: str) -> None:
        parts = path.split(".")
        node = self.data
        for part in parts[:-1]:
            node = node.setdefault(part, {})
        node[parts[-1]] = value
        self.origin[path] = origin

    def remove(self, path: str) -> None:
        parts = path.split(".")
        node: Any = self.data
        for part in parts[:-1]:
            node = node.get(part) if isinstance(node, dict) else None
        if isinstance(node, dict):
            node.pop(parts[-1], None)
            if len(parts) > 1 and not node:
                parent = self.data
                for part in parts[:-2]:
                    parent = parent[part]
                parent.pop(parts[-2], None)
        self.origin.pop(path, None)

    def paths(self) -> list[str]:
        """The case paths that hold a value, in the case model's order."""
        return [p for p in known_paths() if self.has(p)]

    @property
    def day(self) -> date:
        """The day relative dates (昨天, 3天前) count from: --as-of, else as_of among the answers, else today."""
        if self.as_of is not None:
            return self.as_of
        given = self.get("as_of")
        if isinstance(given, str):
            try:
                return date.fromisoformat(given)
            except ValueError:
                pass
        return given if isinstance(given, date) else self.today

    # -- the case model's verdict -----------------------------------------------------------------------------
    def document(self, source: str = "answers") -> Document:
        return Document(copy.deepcopy(self.data), source)

    def problems(self, source: str = "answers") -> list[UserError]:
        _, errors = check_partial(self.document(source), as_of=self.as_of, today=self.today, text_values=True)
        return errors

    def typed(self) -> dict[str, Any]:
        """The answers as the case model reads them (dates, Decimals, tuples); None where absent."""
        data, _ = check_partial(self.document(), as_of=self.as_of, today=self.today, text_values=True)
        return data

    def try_put(self, path: str, value: Any, origin: str) -> list[UserError]:
        """Store ``value`` unless it makes the answers invalid; returns the problems it would cause."""
        before = {str(e) for e in self.problems()}
        had, old_origin = self.get(path), self.origin.get(path)
        self.put(path, value, origin)
        new = [e for e in self.problems() if str(e) not in before]
        if new:
            if had is None:
                self.remove(path)
            else:
                self.put(path, had, old_origin or origin)
        return new

    def missing_required(self) -> list[str]:
        return missing_required(self.data)

    def case(self) -> Case:
        return validate_case(self.document(), as_of=self.as_of, today=self.today, text_values=True)


def load_answers_file(answers: Answers, path: str) -> bytes:
    """Merge a full or partial case file (YAML or JSON) into the answers; a bad file is reported with its lines.
    Returns the file's bytes as read (the wizard saving over the same file checks that nobody changed it since)."""
    import sys

    raw, source = datafile.read_bytes(path, getattr(sys.stdin, "buffer", None) if path == "-" else None)
    doc = datafile.parse_text(datafile.decode(raw, source), source, json_hint=path.lower().endswith(".json"))
    _, errors = check_partial(doc, as_of=answers.as_of, today=answers.today)
    if errors:
        raise ErrorList.of(errors)
    for p in known_paths():
        value = _raw_at(doc.data, p)
        if value is not None and not answers.has(p):
            answers.put(p, value, "answers")
    return raw


def _raw_at(raw: Any, path: str) -> Any:
    for part in path.split("."):
        raw = raw.get(part) if isinstance(raw, dict) else None
    return raw


def apply_sets(answers: Answers, items: list[str], questions: QuestionSet) -> None:
    """Apply ``KEY=VALUE`` items (``-s/--set``), each parsed by its field's type; reports every problem at once."""
    fields = known_paths()
    errors: list[UserError] = []
    for item in items:
        key, sep, text = item.partition("=")
        key = key.strip()
        if not sep or not key:
            errors.append(InputError(tr("wizard.set_not_pair", item=item), file="--set"))
            continue
        fld = fields.get(key)
        if fld is None:
            import difflib

            hint = difflib.get_close_matches(key, list(fields), n=1, cutoff=0.6)
            if hint:
                errors.append(InputError(tr("case.unknown_key_hint", key=key, hint=hint[0]), file="--set"))
            else:
                errors.append(InputError(tr("wizard.set_unknown_key", key=key), file="--set"))
            continue
        if not text.strip():
            answers.remove(key)
            continue
        answers.put(key, parse_set_value(text, fld, questions.get(key), answers.day), "set")
    if not errors:
        errors = answers.problems("--set")
    if errors:
        raise ErrorList.of(errors)


def parse_set_value(text: str, fld: Field, q: Question | None, today: date) -> Any:
    """A ``--set`` value by the field's kind (lists comma-separated; history as EVENT@DATE items)."""
    if q is not None:
        return typed_in.parse_answer(text, q, today)
    if fld.kind == "date":
        return typed_in.parse_date(text, today)
    if fld.kind == "money":
        return typed_in.parse_money(text)
    if fld.kind == "bool":
        return typed_in.parse_yes_no(text)
    if fld.kind == "enum_list":
        return [p.strip() for p in text.replace("，", ",").split(",") if p.strip()]
    if fld.kind == "events":
        return typed_in.parse_events(text, today)
    return text.strip()


def apply_profile(answers: Answers, profile: dict[str, str]) -> None:
    """Fill buyer.name / phone / address from the saved profile where nothing stronger gave them."""
    for key, value in profile.items():
        path = f"buyer.{key}"
        if value and not answers.has(path):
            answers.put(path, value, "profile")
