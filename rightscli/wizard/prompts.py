"""The three ways of asking: a terminal with arrow-key menus, piped lines, and none at all.

All three answer the same :class:`Ask` with a :class:`Reply`; the session parses and validates the reply the same
way whichever prompter produced it. Only :class:`TerminalPrompter` imports the prompt library (questionary), and only
when it is created, so no other command pays for it.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from typing import Any, TextIO

from rightscli.i18n import tr
from rightscli.wizard.questions import Question


@dataclass(frozen=True)
class Reply:
    kind: str  # value | back | skip | default
    value: Any = None


BACK = Reply("back")
SKIP = Reply("skip")
DEFAULT = Reply("default")


class EndOfInput(Exception):
    """Standard input ended while a question was open."""


@dataclass
class Ask:
    """One question as put to the buyer."""

    question: Question
    number: int
    lang: str
    default: Any = None  # a value id, a list of ids, or text: what Enter (or the menu's start) gives
    required: bool = False
    can_back: bool = True
    choices: list[tuple[str, str]] = field(default_factory=list)  # (value, label)
    note: str | None = None  # e.g. the suggested category

    @property
    def prompt(self) -> str:
        return self.question.prompt.get(self.lang)

    @property
    def help(self) -> str | None:
        return self.question.help.get(self.lang) if self.question.help else None

    @property
    def kind(self) -> str:
        return "multi" if self.question.is_list else ("menu" if self.choices else "text")


class Prompter:
    """The interface; :class:`NoInputPrompter` is the behaviour when nobody can answer."""

    interactive = False
    numbered = False  # choices may be typed as numbers

    def __init__(self, lang: str) -> None:
        self.lang = lang

    def ask(self, a: Ask) -> Reply:
        return DEFAULT if a.default is not None else SKIP

    def say(self, text: str) -> None:
        print(text, file=sys.stderr)

    def warn(self, text: str) -> None:
        print(tr("wizard.warn_prefix", self.lang) + text, file=sys.stderr)

    def confirm(self, text: str, default: bool) -> bool:
        return default

    def select(self, title: str, options: list[tuple[str, str]], default: str | None) -> str | None:
        return default

    def multi(self, title: str, options: list[tuple[str, str]]) -> list[str]:
        return []

    def line(self, title: str, default: str = "") -> str:
        return default

    def flush_typeahead(self) -> None:
        """Drop keys typed before a question that must be answered on purpose (nothing to drop without a terminal)."""


class NoInputPrompter(Prompter):
    """``--no-input``: never asks; every question takes its default or stays unanswered."""


class PlainPrompter(Prompter):
    """Standard input is not a terminal: numbered prompts on stderr, one answer per line from stdin."""

    interactive = True
    numbered = True

    def __init__(self, lang: str, stdin: TextIO | None = None, out: TextIO | None = None) -> None:
        super().__init__(lang)
        self.stdin = stdin or sys.stdin
        self.out = out or sys.stderr
        self.ended = False

    def _write(self, text: str) -> None:
        self.out.write(text)
        self.out.flush()

    def _read(self) -> str:
        line = "" if self.ended else self.stdin.readline()
        if not line:
            self.ended = True
            self._write("\n")
            raise EndOfInput
        return line.rstrip("\r\n").strip()

    def _read_or(self, default: str) -> str:
        try:
            return self._read()
        except EndOfInput:
            return default

    def say(self, text: str) -> None:
        self._write(text + "\n")

    def warn(self, text: str) -> None:
        self._write(f"  ! {text}\n")

    def ask(self, a: Ask) -> Reply:
        self._write(f"\n[{a.number}] {a.prompt}\n")
        if a.help:
            self._write(f"    {a.help}\n")
        if a.note:
            self._write(f"    {a.note}\n")
        for i, (_, label) in enumerate(a.choices, 1):
            self._write(f"    {i:>2}) {label}\n")
        hints = []
        if a.choices:
            hints.append(tr("wizard.plain_multi" if a.kind == "multi" else "wizard.plain_choice", self.lang))
        if a.default is not None and a.default != [] and a.default != "":
            hints.append(tr("wizard.plain_default", self.lang, value=self._show_default(a)))
        if a.can_back:
            hints.append(tr("wizard.plain_back", self.lang))
        self._write(f"    {tr('wizard.item_sep', self.lang).join(hints)}> " if hints else "    > ")
        text = self._read()
        if text == "<":
            return BACK
        if not text:
            if a.default is not None and a.default != "":
                return DEFAULT
            return Reply("value", []) if a.kind == "multi" else SKIP
        return Reply("value", text)

    def _show_default(self, a: Ask) -> str:
        labels = dict(a.choices)
        if isinstance(a.default, list):
            return ",".join(str(list(labels).index(v) + 1) for v in a.default if v in labels)
        if a.default in labels:
            return f"{list(labels).index(a.default) + 1} {labels[a.default]}"
        return str(a.default)

    def confirm(self, text: str, default: bool) -> bool:
        self._write(f"{text} [{'Y/n' if default else 'y/N'}] ")
        answer = self._read_or("").lower()
        if not answer:
            return default
        return answer in ("y", "yes", "是", "好", "1", "true")

    def select(self, title: str, options: list[tuple[str, str]], default: str | None) -> str | None:
        self._write(f"\n{title}\n")
        for i, (_, label) in enumerate(options, 1):
            self._write(f"    {i:>2}) {label}\n")
        self._write("    > ")
        answer = self._read_or("")
        if not answer:
            return default
        if answer.isdigit() and 1 <= int(answer) <= len(options):
            return options[int(answer) - 1][0]
        return next((v for v, label in options if answer in (v, label)), default)

    def multi(self, title: str, options: list[tuple[str, str]]) -> list[str]:
        self._write(f"\n{title}\n")
        for i, (_, label) in enumerate(options, 1):
            self._write(f"    {i:>2}) {label}\n")
        self._write(f"    {tr('wizard.plain_multi', self.lang)}> ")
        answer = self._read_or("")
        out: list[str] = []
        for part in answer.replace("，", ",").split(","):
            part = part.strip()
            if part.isdigit() and 1 <= int(part) <= len(options):
                out.append(options[int(part) - 1][0])
        return out

    def line(self, title: str, default: str = "") -> str:
        shown = f" [{default}]" if default else ""
        self._write(f"    {title}{shown}> ")
        return self._read() or default


class TerminalPrompter(Prompter):
    """A terminal on both ends: questionary's arrow-key menus, check boxes and line editing."""

    interactive = True

    def __init__(self, lang: str) -> None:
        super().__init__(lang)
        import questionary  # the prompt library: only ever imported here

        self.q = questionary

    def _run(self, question: Any, back_key: bool) -> Any:
        if back_key:
            from prompt_toolkit.key_binding import KeyBindings, merge_key_bindings

            keys = KeyBindings()

            @keys.add("<")
            def _back(event: Any) -> None:
                event.app.exit(result=_BACK_VALUE)

            app = question.application
            app.key_bindings = merge_key_bindings([app.key_bindings, keys]) if app.key_bindings else keys
        return question.unsafe_ask()  # Ctrl-C raises KeyboardInterrupt: the session offers to save

    def _note(self, text: str) -> None:
        self.q.print(f"  {text}", style="fg:ansibrightblack")

    def say(self, text: str) -> None:
        self.q.print(text)

    def warn(self, text: str) -> None:
        self.q.print(f"  ✗ {text}", style="fg:ansired bold")

    def ask(self, a: Ask) -> Reply:
        if a.help:
            self._note(a.help)
        if a.note:
            self._note(a.note)
        qmark = f"[{a.number}]"
        Choice = self.q.Choice
        if a.kind == "multi":
            defaults = a.default if isinstance(a.default, list) else []
            choices = [Choice(title=label, value=v, checked=v in defaults) for v, label in a.choices]
            question = self.q.checkbox(
                a.prompt, choices=choices, qmark=qmark, instruction=tr("wizard.checkbox_hint", self.lang)
            )
            question.application.erase_when_done = True  # its own last line says "done (2 selections)"
            answer = self._run(question, back_key=a.can_back)
            if isinstance(answer, list):
                self._answered(qmark, a.prompt, self._list(answer, a.choices))
        elif a.kind == "menu":
            choices = [Choice(title=label, value=v) for v, label in a.choices]
            if not a.required:
                choices.append(Choice(title=tr("wizard.skip_choice", self.lang), value=_SKIP_VALUE))
            if a.can_back:
                choices.append(Choice(title=tr("wizard.back_choice", self.lang), value=_BACK_VALUE))
            default = a.default if a.default in dict(a.choices) else None
            question = self.q.select(
                a.prompt, choices=choices, default=default, qmark=qmark, instruction=tr("wizard.menu_hint", self.lang)
            )
            answer = self._run(question, back_key=a.can_back)
        else:
            default = "" if a.default is None else str(a.default)
            hint = "text_hint_required" if a.required else "text_hint"
            question = self.q.text(a.prompt, default=default, qmark=qmark, instruction=tr("wizard." + hint, self.lang))
            answer = self._run(question, back_key=False)
            # `<` then Enter goes back, also typed after the answer offered again (899.00<)
            if isinstance(answer, str) and answer.strip() in ("<", f"{default}<"):
                return BACK
            if isinstance(answer, str) and not answer.strip():
                return SKIP
        if answer == _BACK_VALUE:
            return BACK
        if answer == _SKIP_VALUE:
            return SKIP
        return Reply("value", answer)

    def confirm(self, text: str, default: bool) -> bool:
        """是/否 in the interface language (questionary's own words are "(Y/n)" and "Yes"/"No")."""
        hint = tr("wizard.confirm_yes_default" if default else "wizard.confirm_no_default", self.lang)
        question = self.q.confirm(text, default=default, qmark="?", instruction=hint)
        question.application.erase_when_done = True
        answer = bool(question.unsafe_ask())
        self._answered("?", text, tr("wizard.yes" if answer else "wizard.no", self.lang))
        return answer

    def select(self, title: str, options: list[tuple[str, str]], default: str | None) -> str | None:
        choices = [self.q.Choice(title=label, value=v) for v, label in options]
        hint = tr("wizard.menu_hint_no_back", self.lang)
        return self.q.select(title, choices=choices, default=default, qmark="?", instruction=hint).unsafe_ask()

    def multi(self, title: str, options: list[tuple[str, str]]) -> list[str]:
        choices = [self.q.Choice(title=label, value=v) for v, label in options]
        hint = tr("wizard.checkbox_hint_no_back", self.lang)
        question = self.q.checkbox(title, choices=choices, qmark="?", instruction=hint)
        question.application.erase_when_done = True
        chosen = list(question.unsafe_ask() or [])
        self._answered("?", title, self._list(chosen, options))
        return chosen

    def _list(self, chosen: list[str], options: list[tuple[str, str]]) -> str:
        labels = dict(options)
        return tr("wizard.list_sep", self.lang).join(labels.get(v, v) for v in chosen) or tr("wizard.none", self.lang)

    def _answered(self, qmark: str, text: str, answer: str) -> None:
        """The question and its answer, as the prompt leaves them (in place of questionary's own "done (2
        selections)" and "Yes")."""
        self.q.print(f"{qmark} {text} ", style="bold", end="")
        self.q.print(answer, style="fg:ansiyellow bold")

    def flush_typeahead(self) -> None:
        """Drop what was typed ahead: keys still in the terminal's input queue and those prompt_toolkit already read
        beyond the last question."""
        import contextlib

        with contextlib.suppress(Exception):
            import termios

            termios.tcflush(sys.stdin.fileno(), termios.TCIFLUSH)
        with contextlib.suppress(Exception):
            from prompt_toolkit.input import create_input
            from prompt_toolkit.input.typeahead import clear_typeahead

            clear_typeahead(create_input())

    def line(self, title: str, default: str = "") -> str:
        return str(self.q.text(title, default=default, qmark="›").unsafe_ask() or "")


_BACK_VALUE = "\x00back"
_SKIP_VALUE = "\x00skip"


def make_prompter(lang: str, *, no_input: bool) -> Prompter:
    """``--no-input`` → none; a terminal on stdin and stdout → menus; otherwise plain numbered lines."""
    if no_input:
        return NoInputPrompter(lang)
    if sys.stdin is None:  # started with standard input closed (`<&-`): no answer will come
        import io

        return PlainPrompter(lang, stdin=io.StringIO())
    if sys.stdin.isatty() and sys.stdout.isatty():
        return TerminalPrompter(lang)
    return PlainPrompter(lang)
