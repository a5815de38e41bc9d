"""`rights letter` and `rights checklist` (registered on the main app).

Heavy libraries (jinja2, markdown-it, python-docx, rich) are imported inside the commands, and only for the formats
that need them: `rights assess` never imports them, and `letter --format md` needs jinja2 only.
"""

import sys
from pathlib import Path
from typing import Annotated, Any

import typer

from rightscli.cli.common import (
    AsOfOpt,
    CaseArg,
    LangOpt,
    PolicyDirOpt,
    RedactOpt,
    app,
    check_lang,
    handle_errors,
    load_case_and_catalog,
)
from rightscli.errors import UserError
from rightscli.i18n import tr

FORMATS = ("md", "txt", "html", "docx", "pdf")  # the same as rightscli.letters.letter.FORMATS (not imported: start-up)

BINARY = ("docx", "pdf")
EXTENSIONS = {"md": "md", "markdown": "md", "txt": "txt", "text": "txt", "html": "html", "htm": "html"}
EXTENSIONS |= {"docx": "docx", "pdf": "pdf"}

FormatOpt = Annotated[
    str | None,
    typer.Option(
        "--format",
        "-f",
        metavar="FORMAT",
        help="help.opt.format",
        show_default=False,
    ),
]
OutputOpt = Annotated[
    str | None,
    typer.Option(
        "--output",
        "-o",
        metavar="FILE",
        help="help.opt.output",
        show_default=False,
    ),
]
ForceOpt = Annotated[bool, typer.Option("--force", help="help.opt.force")]
TemplateDirOpt = Annotated[
    Path | None,
    typer.Option(
        "--template-dir",
        metavar="DIR",
        help="help.opt.template_dir",
        show_default=False,
    ),
]


def pick_format(fmt: str | None, output: str | None) -> str:
    """--format if given, else the -o file's extension, else md (standard output).

    A file's extension names the format (-o x.pdf writes a PDF); an unknown extension is refused unless --format says
    what to write, and --format may not contradict a known extension (no Markdown in x.pdf). A name without an
    extension (a device such as /dev/null, a file named `letter`) gets --format or Markdown.
    """
    if fmt is not None and fmt not in FORMATS:
        raise UserError(tr("cli.bad_choice", option="--format", value=fmt, allowed=", ".join(FORMATS)))
    if not output or output == "-":
        return fmt or "md"
    suffix = Path(output).suffix.lower().lstrip(".")
    implied = EXTENSIONS.get(suffix)
    if fmt is None:
        if not suffix:
            return "md"
        if implied is None:
            raise UserError(tr("cli.unknown_extension", output=output, suffix=suffix))
        return implied
    if implied is not None and implied != fmt:
        raise UserError(tr("cli.extension_mismatch", output=output, suffix=suffix, fmt=fmt))
    return fmt


def warning_lines(result: Any, rendered: Any, lang: str) -> list[str]:
    """What the buyer must know about a letter, each once: the assessment's warnings grouped, the letter's own notes,
    its gaps to fill in (in one line), the evidence still to collect."""
    from rightscli.views.notices import grouped, placeholders

    lines = grouped(result, lang) + list(dict.fromkeys(rendered.letter_notes))
    if rendered.gaps:
        lines.append(placeholders(rendered.gaps, lang))
    if rendered.missing_evidence:
        items = tr("wizard.list_sep", lang).join(rendered.missing_evidence)
        lines.append(tr("letter.missing_evidence", lang, n=len(rendered.missing_evidence), items=items))
    return lines


def _report(warnings: list[str], output: str | None, fmt: str, lang: str, notes: str = "") -> None:
    for warning in dict.fromkeys(warnings):
        print(tr("err.warning_prefix") + warning, file=sys.stderr)
    if notes:
        if lang == "en":
            print(tr("cli.notes_heading", lang), file=sys.stderr)
        print(notes, file=sys.stderr)
    if output and output != "-":
        print(tr("cli.wrote", lang, file=output, fmt=fmt), file=sys.stderr)


@app.command(epilog="help.letter.epilog", help="help.letter", short_help="help.letter.short")
@handle_errors
def letter(
    case: CaseArg,
    to: Annotated[
        str,
        typer.Option(
            "--to",
            metavar="RECIPIENT",
            help="help.letter.to",
            show_default=False,
        ),
    ],
    fmt: FormatOpt = None,
    output: OutputOpt = None,
    force: ForceOpt = False,
    redact: RedactOpt = False,
    as_of: AsOfOpt = None,
    policy_dir: PolicyDirOpt = None,
    template_dir: TemplateDirOpt = None,
    lang: LangOpt = None,
    draft: Annotated[
        bool,
        typer.Option(
            "--draft",
            help="help.letter.draft",
        ),
    ] = False,
    notes_file: Annotated[
        str | None,
        typer.Option(
            "--notes",
            metavar="FILE",
            help="help.letter.notes",
            show_default=False,
        ),
    ] = None,
) -> None:
    """Write a letter for the case, in Chinese, citing exactly the articles of the rules that apply."""
    lang = check_lang(lang)
    from rightscli.letters.data import recipient_ids

    if to not in recipient_ids():
        raise UserError(tr("cli.bad_recipient", value=to, allowed=", ".join(recipient_ids())))
    fmt = pick_format(fmt, output)
    from rightscli.letters.program import check_template_dir
    from rightscli.output import check_destination, write_output

    check_destination(output, binary=fmt in BINARY, force=force)
    if notes_file is not None:
        check_destination(notes_file, binary=False, force=force)
    check_template_dir(template_dir)
    from rightscli.engine import assess
    from rightscli.letters.letter import render_letter

    case_obj, catalog, day = load_case_and_catalog(case, as_of, policy_dir, redact=redact)
    result = assess(case_obj, catalog, day, "zh", plan=False, explain=False)  # a letter does not use them
    rendered = render_letter(result, to, fmt, template_dir, lang, draft=draft)
    write_output(rendered.data, output, force=force)
    notes = rendered.notes
    if notes_file is not None:
        write_output(notes + "\n" if notes else "", notes_file, force=force)
        notes = ""
    _report(warning_lines(result, rendered, lang), output, fmt, lang, notes)


@app.command(epilog="help.checklist.epilog", help="help.checklist", short_help="help.checklist.short")
@handle_errors
def checklist(
    case: CaseArg,
    fmt: FormatOpt = None,
    output: OutputOpt = None,
    force: ForceOpt = False,
    redact: RedactOpt = False,
    as_of: AsOfOpt = None,
    policy_dir: PolicyDirOpt = None,
    template_dir: TemplateDirOpt = None,
    lang: LangOpt = None,
    purpose: Annotated[
        str | None,
        typer.Option(
            "--for",
            metavar="STEP",
            help="help.checklist.for",
            show_default=False,
        ),
    ] = None,
) -> None:
    """The evidence checklist: held or still to collect, why it matters, how to get it on your platform, by when."""
    lang = check_lang(lang)
    if purpose is not None:
        from rightscli.letters.data import checklist_purposes

        if purpose not in checklist_purposes():
            raise UserError(
                tr("cli.bad_choice", option="--for", value=purpose, allowed=", ".join(checklist_purposes()))
            )
    terminal = fmt is None and output is None
    fmt = pick_format(fmt, output)
    if not terminal:
        from rightscli.letters.program import check_template_dir
        from rightscli.output import check_destination

        check_destination(output, binary=fmt in BINARY, force=force)
        check_template_dir(template_dir)
    from rightscli.engine import assess

    case_obj, catalog, day = load_case_and_catalog(case, as_of, policy_dir, redact=redact)
    result = assess(case_obj, catalog, day, lang)
    if terminal:
        from rightscli.letters.checklist import build_checklist_context
        from rightscli.views.checklist_view import render_checklist as show

        show(build_checklist_context(result, catalog, lang, purpose))
        return
    from rightscli.letters.letter import render_checklist
    from rightscli.output import write_output

    rendered = render_checklist(result, catalog, fmt, template_dir, lang, purpose)
    write_output(rendered.data, output, force=force)
    _report(list(rendered.warnings), output, fmt, lang)
