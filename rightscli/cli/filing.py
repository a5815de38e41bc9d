"""`rights bundle` and `rights form` (registered on the main app): what a buyer files, in the shape it is filed in.

The work is in :mod:`rightscli.bundle` and :mod:`rightscli.forms`; this module parses, calls them and prints.
"""

from __future__ import annotations

import sys
from datetime import datetime
from pathlib import Path
from typing import Annotated

import typer

from rightscli.cli.common import (
    AsOfOpt,
    LangOpt,
    PolicyDirOpt,
    app,
    check_lang,
    handle_errors,
    load_case_and_catalog,
    print_json,
)
from rightscli.clock import CHINA
from rightscli.errors import UserError
from rightscli.i18n import tr

CaseFileArg = Annotated[str, typer.Argument(metavar="CASE", help="help.evidence.case", show_default=False)]


@app.command(epilog="help.bundle.epilog", help="help.bundle", short_help="help.bundle.short")
@handle_errors
def bundle(
    case: CaseFileArg,
    to: Annotated[
        str,
        typer.Option("--to", metavar="RECIPIENT", help="help.bundle.to", show_default=False),
    ],
    output: Annotated[
        str, typer.Option("--output", "-o", metavar="FILE.zip", help="help.bundle.output", show_default=False)
    ],
    force: Annotated[bool, typer.Option("--force", help="help.bundle.force")] = False,
    as_of: AsOfOpt = None,
    policy_dir: PolicyDirOpt = None,
    lang: LangOpt = None,
) -> None:
    """Everything to file in one ZIP: the letter as DOCX and PDF, the evidence index, copies of the recorded evidence
    files and a manifest of their SHA-256 hashes. Written atomically with mode 0600."""
    lang = check_lang(lang)
    from rightscli.letters.data import recipient_ids
    from rightscli.output import check_destination, write_output

    if to not in recipient_ids():
        raise UserError(tr("cli.bad_recipient", value=to, allowed=", ".join(recipient_ids())))
    if Path(output).suffix.lower() != ".zip":
        raise UserError(tr("bundle.not_zip", output=output))
    check_destination(output, binary=True, force=force)
    from rightscli.bundle import build_bundle
    from rightscli.engine import assess

    case_obj, catalog, day = load_case_and_catalog(case, as_of, policy_dir)
    made = build_bundle(case, assess(case_obj, catalog, day, "zh"), to, lang=lang, now=datetime.now(CHINA))
    write_output(made.data, output, force=force)
    for warning in made.warnings:
        print(tr("err.warning_prefix") + warning, file=sys.stderr)
    if made.notes:
        print(made.notes, file=sys.stderr)
    count = len(made.manifest)
    print(tr("bundle.written", lang, output=output, count=count), file=sys.stderr)


@app.command(epilog="help.form.epilog", help="help.form", short_help="help.form.short")
@handle_errors
def form(
    case: CaseFileArg,
    which: Annotated[str, typer.Option("--for", metavar="FORM", help="help.form.for", show_default=False)],
    json_out: Annotated[bool, typer.Option("--json", help="help.form.json")] = False,
    as_of: AsOfOpt = None,
    policy_dir: PolicyDirOpt = None,
    lang: LangOpt = None,
) -> None:
    """The fields of an online form in its order, each within its length limit (limits not confirmed are marked),
    in text that is easy to type where the site blocks pasting; the handling office from the jurisdiction rule."""
    lang = check_lang(lang)
    from rightscli.forms import FORMS, build_form

    if which not in FORMS:
        raise UserError(tr("form.bad_for", value=which, allowed=", ".join(FORMS)))
    from rightscli.engine import assess

    case_obj, catalog, day = load_case_and_catalog(case, as_of, policy_dir, redact=which == "heimao")
    made = build_form(assess(case_obj, catalog, day, "zh"), which)
    for warning in made.warnings:
        print(tr("err.warning_prefix") + warning, file=sys.stderr)
    if made.warning and json_out:  # otherwise it heads the form itself
        print(tr("err.warning_prefix") + made.warning, file=sys.stderr)
    if json_out:
        print_json([f.to_json() for f in made.fields])
        return
    print(made.title)
    if made.steps:
        print(tr("form.steps", lang, steps=made.steps))
    if made.warning:
        print(tr("form.note", lang, text=made.warning))
    for number, f in enumerate(made.fields, start=1):
        print()
        limit = ""
        if f.limit is not None:
            key = "form.limit" if f.confirmed else "form.limit_unconfirmed"
            limit = tr(key, lang, limit=f.limit, used=len(f.value))
        print(f"{number}. {f.field}{limit}")
        print(f"   {f.value}" if f.value else "   —")
        if f.hint:
            print("   " + tr("form.hint", lang, text=f.hint))
