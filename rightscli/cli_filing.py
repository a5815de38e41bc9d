"""`rights bundle` and `rights form` (registered on the main app): what a buyer files, in the shape it is filed in.

The work is in :mod:`rightscli.bundle` and :mod:`rightscli.form12315`; this module parses, calls them and prints.
"""

from __future__ import annotations

import sys
from datetime import datetime
from pathlib import Path
from typing import Annotated

import typer

from rightscli.cli import (
    CHINA,
    AsOfOpt,
    LangOpt,
    PolicyDirOpt,
    app,
    check_lang,
    handle_errors,
    load_case_and_catalog,
)
from rightscli.errors import UserError

CaseFileArg = Annotated[str, typer.Argument(metavar="CASE", help="The case file (YAML or JSON).", show_default=False)]


@app.command(
    epilog="Examples:\n\n  rights bundle case.yaml --to court -o 起诉材料.zip\n\n"
    "  rights bundle case.yaml --to regulator -o 投诉材料.zip --force\n\n"
    "The ZIP holds the letter (DOCX and PDF), 证据目录.pdf, a copy of each file recorded with `rights evidence add`, "
    "named by its number in the index (证据/1-1.jpg), and manifest.json with the name, SHA-256 and size of every "
    "file. A recorded file that changed or is missing stops the bundle (exit 2)."
)
@handle_errors
def bundle(
    case: CaseFileArg,
    to: Annotated[
        str,
        typer.Option(
            "--to", metavar="RECIPIENT", help="Whose letter: as for `rights letter --to`.", show_default=False
        ),
    ],
    output: Annotated[
        str, typer.Option("--output", "-o", metavar="FILE.zip", help="The ZIP file to write.", show_default=False)
    ],
    force: Annotated[bool, typer.Option("--force", help="Replace the ZIP file if it exists.")] = False,
    as_of: AsOfOpt = None,
    policy_dir: PolicyDirOpt = None,
    lang: LangOpt = "zh",
) -> None:
    """Everything to file in one ZIP: the letter as DOCX and PDF, the evidence index, copies of the recorded evidence
    files and a manifest of their SHA-256 hashes. Written atomically with mode 0600."""
    lang = check_lang(lang)
    from rightscli.letters.data import recipient_ids
    from rightscli.output import check_destination, write_output

    if to not in recipient_ids():
        raise UserError(f"--to '{to}' is not a recipient; expected one of: {', '.join(recipient_ids())}")
    if Path(output).suffix.lower() != ".zip":
        raise UserError(f"-o '{output}' must be a .zip file")
    check_destination(output, binary=True, force=force)
    from rightscli.bundle import build_bundle
    from rightscli.engine import assess

    case_obj, catalog, day = load_case_and_catalog(case, as_of, policy_dir)
    made = build_bundle(case, assess(case_obj, catalog, day, "zh"), to, lang=lang, now=datetime.now(CHINA))
    write_output(made.data, output, force=force)
    for warning in made.warnings:
        print(f"rights: warning: {warning}", file=sys.stderr)
    if made.notes:
        print(made.notes, file=sys.stderr)
    count = len(made.manifest)
    done = (
        f"已写入 {output}（{count} 个文件和 manifest.json）"
        if lang == "zh"
        else f"wrote {output} ({count} files and manifest.json)"
    )
    print(f"rights: {done}", file=sys.stderr)
