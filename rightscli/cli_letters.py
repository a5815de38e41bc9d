"""`rights letter` and `rights checklist` (registered on the main app).

Heavy libraries (jinja2, markdown-it, python-docx, rich) are imported inside the commands, and only for the formats
that need them: `rights assess` never imports them, and `letter --format md` needs jinja2 only.
"""

import sys
from pathlib import Path
from typing import Annotated

import typer

from rightscli.cli import (
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
        help="md (default), txt, html, docx or pdf. Without it, the format follows the -o file's extension.",
        show_default=False,
    ),
]
OutputOpt = Annotated[
    str | None,
    typer.Option(
        "--output",
        "-o",
        metavar="FILE",
        help="Write to this file (- for standard output); its extension (.md .txt .html .docx .pdf) sets the format. "
        "Needed for docx and pdf. An existing file is kept unless --force.",
        show_default=False,
    ),
]
ForceOpt = Annotated[bool, typer.Option("--force", help="Replace the output file if it exists.")]
TemplateDirOpt = Annotated[
    Path | None,
    typer.Option(
        "--template-dir",
        metavar="DIR",
        help="A folder of your own templates (e.g. letters/merchant.md.j2 or merchant.md.j2); they replace the "
        "bundled ones of the same name.",
        show_default=False,
    ),
]
WROTE = {"zh": "已写入 {file}（{fmt}）", "en": "wrote {file} ({fmt})"}


def pick_format(fmt: str | None, output: str | None) -> str:
    """--format if given, else the -o file's extension, else md (standard output).

    A file's extension names the format (-o x.pdf writes a PDF); an unknown extension is refused unless --format says
    what to write, and --format may not contradict a known extension (no Markdown in x.pdf). A name without an
    extension (a device such as /dev/null, a file named `letter`) gets --format or Markdown.
    """
    if fmt is not None and fmt not in FORMATS:
        raise UserError(f"--format '{fmt}' is not supported; expected one of: {', '.join(FORMATS)}")
    if not output or output == "-":
        return fmt or "md"
    suffix = Path(output).suffix.lower().lstrip(".")
    implied = EXTENSIONS.get(suffix)
    if fmt is None:
        if not suffix:
            return "md"
        if implied is None:
            raise UserError(
                f"-o '{output}': the extension '.{suffix}' names no format; name the file .md, .txt, .html, .docx or "
                ".pdf, or give --format"
            )
        return implied
    if implied is not None and implied != fmt:
        raise UserError(f"-o '{output}' is a .{suffix} file but --format is {fmt}; use a matching extension")
    return fmt


def _report(warnings: list[str], output: str | None, fmt: str, lang: str, notes: str = "") -> None:
    for warning in warnings:
        print(f"rights: warning: {warning}", file=sys.stderr)
    if notes:
        if lang == "en":
            print(
                "rights: notes before filing or posting (in Chinese, like the document; not part of it):",
                file=sys.stderr,
            )
        print(notes, file=sys.stderr)
    if output and output != "-":
        print(f"rights: {WROTE[lang].format(file=output, fmt=fmt)}", file=sys.stderr)


@app.command(
    epilog="Examples:\n\n  rights letter examples/refused-return.yaml --to merchant\n\n"
    "  rights letter case.yaml --to regulator --format docx -o 投诉书.docx\n\n"
    "  rights letter case.yaml --to platform --format txt -o - | pbcopy\n\n"
    "  rights letter case.yaml --to court --format docx -o 起诉状.docx\n\n"
    "  rights letter case.yaml --to court -o 起诉状.pdf --notes 起诉须知.txt\n\n"
    "  rights letter case.yaml --to public --format txt\n\n"
    "  rights letter case.yaml --to regulator --draft   # even with no supported request: a draft to complete"
)
@handle_errors
def letter(
    case: CaseArg,
    to: Annotated[
        str,
        typer.Option(
            "--to",
            metavar="RECIPIENT",
            help="Who the letter is for: merchant (催告函), platform (申请平台介入), association (消费者协会投诉书), "
            "regulator (市场监管投诉书), regulator-report (举报信), court (民事起诉状 for the basic people's court, "
            "small-claims ready), public (a factual public complaint for 黑猫投诉 or social media, without personal "
            "data).",
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
    lang: LangOpt = "zh",
    draft: Annotated[
        bool,
        typer.Option(
            "--draft",
            help="Write the letter even when no applicable rule supports any request (a blank draft to fill in by "
            "hand). Without it such a letter is refused with exit 2 and a paragraph saying why and what would change "
            "it.",
        ),
    ] = False,
    notes_file: Annotated[
        str | None,
        typer.Option(
            "--notes",
            metavar="FILE",
            help="Write what to check before filing or posting (court, public) to this file instead of stderr. "
            "These notes are never part of the document.",
            show_default=False,
        ),
    ] = None,
) -> None:
    """Write a letter for the case, in Chinese, citing exactly the articles of the rules that apply."""
    lang = check_lang(lang)
    from rightscli.letters.data import recipient_ids

    if to not in recipient_ids():
        raise UserError(f"--to '{to}' is not a recipient; expected one of: {', '.join(recipient_ids())}")
    fmt = pick_format(fmt, output)
    from rightscli.letters.render import check_template_dir
    from rightscli.output import check_destination, write_output

    check_destination(output, binary=fmt in BINARY, force=force)
    if notes_file is not None:
        check_destination(notes_file, binary=False, force=force)
    check_template_dir(template_dir)
    from rightscli.engine import assess
    from rightscli.letters.letter import render_letter

    case_obj, catalog, day = load_case_and_catalog(case, as_of, policy_dir, redact=redact)
    rendered = render_letter(assess(case_obj, catalog, day, "zh"), to, fmt, template_dir, lang, draft=draft)
    write_output(rendered.data, output, force=force)
    notes = rendered.notes
    if notes_file is not None:
        write_output(notes + "\n" if notes else "", notes_file, force=force)
        notes = ""
    _report(rendered.warnings, output, fmt, lang, notes)


@app.command(
    epilog="Examples:\n\n  rights checklist examples/laptop-defect.yaml\n\n"
    "  rights checklist case.yaml --format html -o 证据清单.html\n\n"
    "  rights checklist case.yaml --lang en --format md\n\n"
    "  rights checklist case.yaml --for court"
)
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
    lang: LangOpt = "zh",
    purpose: Annotated[
        str | None,
        typer.Option(
            "--for",
            metavar="STEP",
            help="Add what that step needs besides the evidence. court: a copy of your ID card, the defendant's "
            "registration record from 国家企业信用信息公示系统 (www.gsxt.gov.cn), the originals of the evidence and "
            "copies of the statement of claim (for `rights letter CASE --to court`).",
            show_default=False,
        ),
    ] = None,
) -> None:
    """The evidence checklist: held or still to collect, why it matters, how to get it on your platform, by when."""
    lang = check_lang(lang)
    if purpose is not None:
        from rightscli.letters.data import checklist_purposes

        if purpose not in checklist_purposes():
            raise UserError(f"--for '{purpose}' is not supported; expected one of: {', '.join(checklist_purposes())}")
    terminal = fmt is None and output is None
    fmt = pick_format(fmt, output)
    if not terminal:
        from rightscli.letters.render import check_template_dir
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
    _report(rendered.warnings, output, fmt, lang)
