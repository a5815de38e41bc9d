"""`rights wizard` from start to end: gather the answers by precedence, interview, save, assess, offer letters."""

from __future__ import annotations

import shlex
import subprocess
import sys
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from rightscli import vocab
from rightscli.i18n import tr
from rightscli.wizard import files
from rightscli.wizard.answers import Answers, apply_profile, apply_sets, load_answers_file
from rightscli.wizard.prompts import NoInputPrompter, Prompter, make_prompter
from rightscli.wizard.questions import load_questions
from rightscli.wizard.session import Interrupted, Session


@dataclass
class Options:
    today: date
    lang: str = "zh"
    answers_file: str | None = None
    sets: list[str] = field(default_factory=list)
    no_input: bool = False
    save: str | None = None
    as_of: date | None = None
    force: bool = False
    policy_dirs: list[Path] = field(default_factory=list)


def run_wizard(opts: Options, prompter: Prompter | None = None) -> Path:
    """Run the whole wizard; returns the saved case file. Raises :class:`Interrupted` after Ctrl-C."""
    from rightscli.catalog import load_catalog
    from rightscli.profile import load_profile

    catalog = load_catalog(opts.policy_dirs)
    questions = load_questions(evidence_labels={eid: item.label for eid, item in catalog.evidence.items()})
    answers = Answers(opts.as_of, opts.today)
    read: tuple[Path, bytes] | None = None
    if opts.answers_file:
        raw = load_answers_file(answers, opts.answers_file)
        if opts.answers_file != "-":
            read = (Path(opts.answers_file), raw)
    if opts.sets:
        apply_sets(answers, opts.sets, questions)
    profile = load_profile()
    apply_profile(answers, profile)
    prompter = prompter or make_prompter(opts.lang, no_input=opts.no_input)
    session = Session(questions, catalog, answers, prompter, opts.lang, save=opts.save, force=opts.force, read=read)
    if isinstance(prompter, NoInputPrompter) and answers.missing_required():
        raise session.missing_error()
    given = len([p for p in answers.paths() if p not in ("case_version", "as_of")])
    if prompter.interactive:
        prompter.say(tr("wizard.intro", opts.lang))
        if opts.answers_file and given:
            prompter.say(tr("wizard.intro_resume", opts.lang, count=given))
    try:
        session.interview()
        session.review()
        remember_profile(session, profile)
    except KeyboardInterrupt:
        print(file=sys.stderr)
        session.prompter.say(tr("wizard.interrupted", opts.lang))
        saved = session.save_partial(opts.today)
        if saved is not None:
            session.prompter.say(tr("wizard.partial_saved", opts.lang, file=shlex.quote(str(saved))))
        raise Interrupted from None
    path = session.write_case(opts.today)
    session.prompter.say(tr("wizard.saved", opts.lang, file=path))
    if session.defaults_used:
        session.prompter.say(tr("wizard.defaults_used", opts.lang, items=", ".join(session.defaults_used)))
    result = assess_saved(session, path)
    if isinstance(session.prompter, NoInputPrompter):
        unknown = sorted(session.flow.missing_facts() & set(questions.ids()))
        if unknown:
            session.prompter.say(tr("wizard.still_unknown", opts.lang, items=", ".join(unknown)))
    offer_letters(session, path, result, opts)
    return path


def assess_saved(session: Session, path: Path) -> Any:
    from rightscli.engine import assess
    from rightscli.views.verdict import render_verdict

    case = session.answers.case()
    day = session.answers.as_of or case.as_of or session.answers.today
    result = assess(case, session.catalog, day, session.lang)
    render_verdict(result, session.lang, case_arg=shlex.quote(str(path)))
    return result


def remember_profile(session: Session, saved: dict[str, str]) -> None:
    """Offer to keep the buyer's name, phone and address when they were typed in and differ from the profile."""
    from rightscli.profile import FIELDS, save_profile

    typed = [f for f in FIELDS if session.answers.origin.get(f"buyer.{f}") == "prompt"]
    if not typed or not session.prompter.interactive:
        return
    values = {f: str(session.answers.get(f"buyer.{f}") or "") for f in FIELDS}
    if all(values[f] == saved.get(f, "") for f in FIELDS):
        return
    if session.prompter.confirm(tr("profile.save", session.lang), default=True):
        path = save_profile(values)
        session.prompter.say(tr("profile.saved", session.lang, file=path))


LETTER_FORMATS = ("docx", "pdf", "md", "txt", "html")


def offer_letters(session: Session, case_path: Path, result: Any, opts: Options) -> None:
    """The letter step: every recipient the plan has a step for (the association too), ticked by the buyer, and the
    format; then the letters are written next to the case file. Keys typed ahead (Enter pressed while the assessment
    was printing) are dropped first, so they cannot skip this step."""
    lang = session.lang
    recipients = recipients_for(result)
    quoted = shlex.quote(str(case_path))
    extra = "".join(f" --policy-dir {shlex.quote(str(d))}" for d in opts.policy_dirs)
    written: list[str] = []
    if session.prompter.interactive:
        session.prompter.flush_typeahead()
        options = [(r, tr(f"wizard.recipient_{r}", lang)) for r in recipients]
        chosen = session.prompter.multi(tr("wizard.letters_offer", lang), options)
        fmt = "md"
        if chosen:
            formats = [(f, tr(f"wizard.format_{f}", lang)) for f in LETTER_FORMATS]
            fmt = session.prompter.select(tr("wizard.letter_format", lang), formats, "docx") or "docx"
        for recipient in chosen:
            out = files.free_name(case_path.with_name(f"letter-{recipient}-{case_path.stem}.{fmt}"))
            command = [sys.executable, "-m", "rightscli", "letter", str(case_path), "--to", recipient, "-o", str(out)]
            command += ["--lang", lang]
            if opts.as_of is not None:
                command += ["--as-of", opts.as_of.isoformat()]
            for d in opts.policy_dirs:
                command += ["--policy-dir", str(d)]
            done = subprocess.run(command, check=False)
            if done.returncode == 0:
                session.prompter.say(tr("wizard.letter_written", lang, file=out))
                written.append(recipient)
            else:
                line = f"rights letter {quoted} --to {recipient}{extra}"
                label = tr(f"wizard.recipient_{recipient}", lang)
                session.prompter.warn(
                    tr("wizard.letter_failed", lang, recipient=label, code=done.returncode, command=line)
                )
    lines = [f"  rights checklist {quoted}{extra}"]
    lines += [f"  rights letter {quoted} --to {r}{extra}" for r in recipients if r not in written]
    print(tr("wizard.next_commands", lang) + "\n" + "\n".join(lines))


def recipients_for(result: Any) -> list[str]:
    """Letter recipients that fit the plan: every recipient of a step, of the step after the next, and of the
    optional steps, in that order (the merchant when none fits). The ladder's report step asks for a report letter
    (举报信) besides the complaint."""
    plan = result.plan
    steps = [*plan.steps, *([plan.after] if plan.after else []), *plan.optional] if plan else list(result.next_steps)
    out: list[str] = []
    for step in steps:
        recipient = "regulator-report" if str(step.source).endswith("regulator_report") else step.to
        if recipient in vocab.RECIPIENTS and recipient not in out:
            out.append(recipient)
    return out or ["merchant"]


__all__ = ["Interrupted", "Options", "run_wizard"]
