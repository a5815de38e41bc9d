"""The interview: ask, check, go back, review, save; then the assessment and the letters that fit.

The same loop serves a terminal, piped lines and ``--no-input``; only the :class:`~rightscli.wizard.prompts.Prompter`
differs. Every answer goes through :meth:`Answers.try_put`, i.e. the case model's validation.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from rightscli import conditions, typed_in
from rightscli.catalog import Catalog
from rightscli.errors import InputError, OutputError, UserError
from rightscli.i18n import tr
from rightscli.wizard import files
from rightscli.wizard.answers import Answers
from rightscli.wizard.flow import Flow
from rightscli.wizard.prompts import Ask, EndOfInput, NoInputPrompter, Prompter, Reply
from rightscli.wizard.questions import Question, QuestionSet


class Interrupted(Exception):
    """Ctrl-C: the session has already offered to save the partial answers."""


@dataclass
class Session:
    questions: QuestionSet
    catalog: Catalog
    answers: Answers
    prompter: Prompter
    lang: str
    save: str | None = None
    force: bool = False
    read: tuple[Path, bytes] | None = None  # the --answers file and its bytes as read
    flow: Flow = field(init=False)
    stack: list[str] = field(default_factory=list)  # question ids answered at a prompt, for `<`
    defaults_used: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.flow = Flow(self.questions, self.catalog, self.answers, self.lang)

    # -- the interview ----------------------------------------------------------------------------------------
    def interview(self) -> None:
        """Ask until no relevant question is left, as a linear stepper: `<` re-asks the previous question, and going
        forward again re-asks, in order, each question stepped back over (its answer offered as the default), as
        long as it still applies; then the questions that became relevant."""
        pending: Question | None = None
        redo: list[str] = []  # questions stepped back over, the most recent last
        while True:
            while pending is None and redo:
                candidate = self.questions.get(redo.pop())
                if candidate is not None and self.flow.relevant(candidate):
                    pending = candidate
            q = pending or self.flow.next()
            pending = None
            if q is None:
                return
            if self.ask(q, can_back=bool(self.stack)) == "back":
                if not self.stack:
                    self.prompter.warn(tr("wizard.nothing_back", self.lang))
                    pending = q
                    continue
                previous = self.stack.pop()
                self.flow.asked.discard(previous)
                redo.append(q.id)
                pending = self.questions.get(previous)
                continue
            self.flow.asked.add(q.id)
            self.stack.append(q.id)

    def ask(self, q: Question, *, can_back: bool) -> str:
        """Ask ``q`` until the answer is valid, skipped or `<`; returns "answered", "skipped" or "back"."""
        while True:
            try:
                outcome = self.ask_once(q, can_back)
            except EndOfInput:
                self.end_of_input()
                continue
            if outcome is not None:
                return outcome

    def ask_once(self, q: Question, can_back: bool) -> str | None:
        """One round: the outcome, or None when the answer was refused (explained) and must be asked again."""
        a = self.make_ask(q, can_back)
        reply = self.prompter.ask(a)
        no_input = isinstance(self.prompter, NoInputPrompter)
        if reply.kind == "back":
            return "back"
        value: Any
        if reply.kind == "skip" or (reply.kind == "value" and reply.value in ("", [])):
            if a.required:
                if no_input:
                    raise self.missing_error()
                self.prompter.warn(tr("wizard.required", self.lang))
                return None
            if reply.kind == "skip":
                self.answers.remove(q.id)
                return "skipped"
            value = []  # nothing ticked: "none of these" is a known answer
        elif reply.kind == "default":
            value = a.default
            if no_input:
                self.defaults_used.append(f"{q.id}={_plain(value)}")
        else:
            value = self.interpret(reply, a)
        if q.type == "events" and value and not isinstance(value[0], dict):
            problems = self.probe_history([{"on": self.answers.day.isoformat(), "event": e} for e in value])
            if problems:
                self.prompter.warn(self.explain(problems, q))
                return None
            value = self.ask_event_dates(q, value)
            if value is None:
                return None
        problems = self.answers.try_put(q.id, value, "default" if reply.kind == "default" else "prompt")
        if problems:
            if no_input:
                raise problems[0]
            self.prompter.warn(self.explain(problems, q))
            return None
        self.after_answer(q)
        return "answered"

    def probe_history(self, events: list[dict[str, Any]]) -> list[UserError]:
        """The problems the case model finds with these events in place of the history (nothing is stored)."""
        probe = Answers(self.answers.as_of, self.answers.today, copy.deepcopy(self.answers.data))
        probe.put("history", sorted(events, key=lambda e: str(e["on"])), "prompt")
        return probe.problems()

    def make_ask(self, q: Question, can_back: bool) -> Ask:
        current = self.answers.get(q.id)
        default = current if current is not None else q.default
        note = None
        if q.suggest == "category" and current is None:
            suggestion = self.questions.suggest_category(self.answers.get("order.item"))
            if suggestion:
                default = suggestion
                note = tr("wizard.suggested", self.lang, label=q.label(suggestion, self.lang))
        if q.type == "events" and isinstance(default, list):
            default = [e.get("event") for e in default if isinstance(e, dict)]
        if q.type == "yes_no" and default is not None:
            default = "true" if typed_in.parse_yes_no(str(default)) == "true" else "false"
        if q.type == "multi_choice" and isinstance(default, str):
            default = [v.strip() for v in default.split(",")]
        if q.type in ("money", "date") and default is not None:
            default = str(default)
        required = q.id in _required_paths()
        choices = [(v, label.get(self.lang)) for v, label in q.choices]
        if q.type == "yes_no":
            choices = [("true", tr("wizard.yes", self.lang)), ("false", tr("wizard.no", self.lang))]
        return Ask(q, len(self.stack) + 1, self.lang, default, required, can_back, choices, note)

    def interpret(self, reply: Reply, a: Ask) -> Any:
        """A reply → the value to store: menu values as they are; typed text parsed by the question's type."""
        q = a.question
        value = reply.value
        if isinstance(value, list):
            return value
        if not isinstance(value, str):
            return value
        if q.type == "yes_no":
            if self.prompter.numbered and value.strip() in ("1", "2"):
                return a.choices[int(value.strip()) - 1][0]
            return typed_in.parse_yes_no(value)
        if q.type == "events":
            return typed_in.parse_choices(value, q, numbered=self.prompter.numbered)
        if a.choices and value in dict(a.choices) and q.type == "choice":
            return value
        return typed_in.parse_answer(value, q, self.answers.day, numbered=self.prompter.numbered)

    def ask_event_dates(self, q: Question, events: list[str]) -> list[dict[str, Any]] | None:
        """For each chosen event, its date and a short note; events come out oldest first."""
        known = {e.get("event"): e for e in self.answers.get("history") or [] if isinstance(e, dict)}
        out: list[dict[str, Any]] = []
        for event in events:
            label = q.label(event, self.lang)
            old = known.get(event, {})
            while True:
                text = self.prompter.line(tr("wizard.event_date", self.lang, event=label), str(old.get("on") or ""))
                if text.strip() == "<":
                    return None
                day = typed_in.parse_date(text, self.answers.day)
                problems = self.probe_history([*out, {"on": day, "event": event}])
                if not problems:
                    break
                self.prompter.warn(self.explain(problems, q))
            note = self.prompter.line(
                tr("wizard.event_note", self.lang, event=label), str(old.get("note") or "")
            ).strip()
            out.append({"on": day, "event": event, "note": note or None})
        out.sort(key=lambda e: str(e["on"]))
        return out

    def explain(self, problems: list[UserError], q: Question) -> str:
        parts = []
        for e in problems:
            where = "" if e.path in (q.id, None) or (e.path or "").startswith(q.id) else f"{e.path}: "
            parts.append(where + e.message)
        reason = tr("wizard.item_sep", self.lang).join(parts)
        hint = {"date": "date_hint", "money": "money_hint"}.get(q.type)
        text = tr("wizard.invalid", self.lang, reason=reason)
        if any(other in reason for other in self.answers.paths() if other != q.id and "." in other):
            text += tr("wizard.sentence_sep", self.lang) + tr("wizard.fix_earlier", self.lang)  # or an earlier answer
        return text + tr("wizard.sentence_sep", self.lang) + tr("wizard." + hint, self.lang) if hint else text

    def after_answer(self, q: Question) -> None:
        if q.warn_pattern and q.warn_message:
            import re

            value = self.answers.get(q.id)
            if isinstance(value, str) and not re.match(q.warn_pattern, value.strip()):
                self.prompter.warn(q.warn_message.get(self.lang))

    def end_of_input(self) -> None:
        """Piped input ran out: finish as --no-input would (defaults, or the list of what is missing)."""
        if self.answers.missing_required():
            raise self.missing_error(eof=True)
        self.prompter.say(tr("wizard.input_ended", self.lang))
        self.prompter = NoInputPrompter(self.lang)

    # -- the review screen ------------------------------------------------------------------------------------
    def review(self) -> None:
        """Show every answer; the buyer may change any of them (and is then asked what became relevant)."""
        if not self.prompter.interactive:
            return
        while True:
            options = []
            for q in self.questions.questions:
                if self.answers.has(q.id):
                    options.append((q.id, f"{q.prompt.get(self.lang)}  →  {self.display(q)}"))
            options.append(("\x00save", tr("wizard.review_save", self.lang)))
            title = tr("wizard.review_title" if not self.prompter.numbered else "wizard.review_plain", self.lang)
            try:
                choice = self.prompter.select(title, options, "\x00save")
            except EndOfInput:
                return
            if choice in (None, "\x00save"):
                return
            q = self.questions.get(choice)
            if q is None:
                return
            self.flow.asked.discard(q.id)
            if self.ask(q, can_back=True) != "back":
                self.stack.append(q.id)
            self.flow.asked.add(q.id)
            self.interview()  # a changed answer may make other facts matter

    def display(self, q: Question) -> str:
        value = self.answers.get(q.id)
        if value is None:
            return tr("wizard.not_answered", self.lang)
        if q.type == "events":
            items = [f"{e.get('on')} {q.label(str(e.get('event')), self.lang)}" for e in value]
            return tr("wizard.item_sep", self.lang).join(items) or "—"
        if isinstance(value, list):
            return tr("wizard.list_sep", self.lang).join(q.label(str(v), self.lang) for v in value) or "—"
        if q.type == "money":
            typed = self.answers.typed()
            for part in q.id.split("."):
                typed = typed.get(part) if isinstance(typed, dict) else None
            return f"¥{typed}" if typed is not None else str(value)
        if q.type == "yes_no":
            return tr("wizard.yes" if typed_in.parse_yes_no(str(value)) == "true" else "wizard.no", self.lang)
        if q.type == "choice":
            return q.label(str(value), self.lang)
        return str(value)

    # -- saving -----------------------------------------------------------------------------------------------
    def missing_error(self, *, eof: bool = False) -> UserError:
        """Every answer the interview would ask for this case, as --set lines: the required ones, then the facts the
        rules in play need (the receipt date for a 7-day return), then what the letters need."""
        required, rules, letters = self.needed_answers()
        key = "wizard.missing_required_eof" if eof else "wizard.missing_required"
        lines = [tr(key, self.lang, count=len(required))]
        lines += [self.set_line(path) for path in required]
        if rules:
            lines.append(tr("wizard.needed_by_rules", self.lang, count=len(rules)))
            lines += [self.set_line(path) for path in rules]
        if letters:
            lines.append(tr("wizard.needed_by_letters", self.lang, count=len(letters)))
            lines += [self.set_line(path) for path in letters]
        return InputError("\n".join(lines))

    def needed_answers(self) -> tuple[list[str], list[str], list[str]]:
        """(required answers missing, answers the rules in play need, answers the letters need), in the order of the
        questions file, each question once; only questions whose `when` is not false."""
        required = self.answers.missing_required()
        facts = self.flow.facts()
        wanted = [
            q for q in self.questions.questions
            if not self.answers.has(q.id) and (q.when is None or conditions.evaluate(q.when, facts)[0] is not False)
        ]  # fmt: skip
        needed = self.flow.missing_facts()
        rules = [q.id for q in wanted if q.id in needed and q.id not in required]
        letters = [q.id for q in wanted if q.ask == "always" and q.id not in required and q.id not in rules]
        return required, rules, letters

    def set_line(self, path: str) -> str:
        return f"  --set {path}=VALUE    # {self.value_hint(path)}"

    def value_hint(self, path: str) -> str:
        q = self.questions.get(path)
        if q is None:
            return ""
        values = " | ".join(v for v, _ in q.choices)
        if q.type == "choice":
            return tr("wizard.values_hint", self.lang, values=values)
        if q.type == "multi_choice":
            return tr("wizard.list_hint", self.lang, values=values)
        key = {
            "date": "date_value_hint",
            "money": "money_value_hint",
            "events": "events_value_hint",
            "yes_no": "bool_value_hint",
        }
        return f"{q.prompt.get(self.lang)} ({tr('wizard.' + key.get(q.type, 'text_value_hint'), self.lang)})"

    def write_case(self, day: date) -> Path:
        """Validate the complete case and write it (never over an existing file unless asked or --force)."""
        self.answers.case()  # the full validation: raises with every problem
        typed = self.answers.typed()  # --as-of counts for this run only: it is never written into the case
        target = Path(self.save) if self.save else files.default_case_name(typed)
        text = files.case_yaml(typed, files.header_for("rights wizard", day))
        return self.write(target, text)

    def write(self, target: Path, text: str) -> Path:
        from rightscli.output import check_destination, write_private

        check_destination(str(target), binary=False, force=True)  # a name too long, a device …: said before asking
        overwrite = self.force
        while target.exists() and not overwrite:
            if not self.prompter.interactive:
                raise OutputError(tr("wizard.exists_no_force", self.lang), file=str(target))
            try:
                if self.prompter.confirm(tr("wizard.file_exists", self.lang, file=target), default=False):
                    overwrite = True
                    break
                target = Path(self.prompter.line(tr("wizard.save_as", self.lang), str(files.free_name(target))))
            except EndOfInput:
                raise OutputError(tr("wizard.exists_no_force", self.lang), file=str(target)) from None
        if overwrite and target.is_file():
            self.replace(target, text)
        else:
            write_private(target, text, overwrite=overwrite)
        return target

    def replace(self, target: Path, text: str) -> None:
        """Save over an existing case file through the locked rewrite that `rights log` uses; when that file is the
        --answers file, only if nobody changed it since the wizard read it (a `rights log` meanwhile is not lost)."""
        from rightscli.case_edit import rewrite_case_file
        from rightscli.output import MODE

        expected = None
        if self.read is not None and _same_file(self.read[0], target):
            expected = self.read[1]

        def change(raw: bytes) -> bytes:
            if expected is not None and raw != expected:
                raise OutputError(tr("wizard.changed_since_read", self.lang), file=str(target))
            return text.encode("utf-8")

        rewrite_case_file(str(target), change, backup=False, mode=MODE)

    def save_partial(self, day: date) -> Path | None:
        """After Ctrl-C: offer to keep the answers so far, to be resumed with --answers."""
        if not self.answers.paths() or not self.prompter.interactive:
            return None
        try:
            if not self.prompter.confirm(tr("wizard.save_partial", self.lang), default=True):
                return None
            typed = self.answers.typed()
            base = Path(self.save) if self.save else files.default_case_name(typed)
            target = Path(self.prompter.line(tr("wizard.save_as", self.lang), str(files.partial_name(base))))
            return self.write(target, files.case_yaml(typed, files.header_for("rights wizard", day)))
        except (KeyboardInterrupt, EndOfInput):
            return None


def _same_file(a: Path, b: Path) -> bool:
    try:
        return a.samefile(b)
    except OSError:
        return False


def _required_paths() -> set[str]:
    from rightscli.case import known_paths

    return {p for p, f in known_paths().items() if f.required}


def _plain(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return ",".join(map(str, value))
    return str(value)
