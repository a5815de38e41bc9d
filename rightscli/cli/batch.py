"""`rights batch` (registered on the main app): one letter per case for many cases, streamed.

The command checks its options and the input before it writes anything; then each case is validated and rendered on
its own (see :mod:`rightscli.batch`). Exit 0 only when every case was written; 2 when a case failed or its file was
kept; 1 when a case hit a bug.
"""

from __future__ import annotations

import sys
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
    parse_as_of,
    today_in_china,
)
from rightscli.cli.letters import FORMATS, ForceOpt, TemplateDirOpt
from rightscli.errors import OutputError, UserError, os_reason
from rightscli.i18n import tr


@app.command(epilog="help.batch.epilog", help="help.batch", short_help="help.batch.short")
@handle_errors
def batch(
    source: Annotated[
        str,
        typer.Argument(
            metavar="INPUT",
            help="help.batch.input",
            show_default=False,
        ),
    ],
    to: Annotated[
        str,
        typer.Option(
            "--to",
            metavar="RECIPIENT",
            help="help.batch.to",
            show_default=False,
        ),
    ],
    out_dir: Annotated[
        Path,
        typer.Option("--out-dir", metavar="DIR", help="help.batch.out_dir", show_default=False),
    ],
    fmt: Annotated[
        str, typer.Option("--format", "-f", metavar="FORMAT", help="help.batch.format", show_default=True)
    ] = "md",
    as_of: AsOfOpt = None,
    force: ForceOpt = False,
    json_out: Annotated[
        bool,
        typer.Option("--json", help="help.batch.json"),
    ] = False,
    jobs: Annotated[
        int | None,
        typer.Option("--jobs", "-j", min=1, metavar="N", help="help.batch.jobs", show_default=False),
    ] = None,
    policy_dir: PolicyDirOpt = None,
    template_dir: TemplateDirOpt = None,
    lang: LangOpt = None,
    draft: Annotated[
        bool,
        typer.Option(
            "--draft",
            help="help.batch.draft",
        ),
    ] = False,
    many_reports: Annotated[bool, typer.Option("--allow-many-reports", help="help.batch.many_reports")] = False,
) -> None:
    """Write a letter for each case of a batch; a bad case is reported with its line and the others go on."""
    lang = check_lang(lang)
    from rightscli.letters.data import recipient_ids

    if to not in recipient_ids():
        raise UserError(tr("cli.bad_recipient", value=to, allowed=", ".join(recipient_ids())))
    if fmt not in FORMATS:
        raise UserError(tr("cli.bad_choice", option="--format", value=fmt, allowed=", ".join(FORMATS)))
    if to == "regulator-report":
        # Many reports from one buyer in a short time are what the complaint rules treat as a sign of reporting for
        # gain (Order 121 arts. 7, 17, 35; 实施条例 第二十七条第二款): refused unless the user says they are separate.
        if not many_reports:
            raise UserError(tr("batch.many_reports_refused"))
        print(tr("err.warning_prefix") + tr("batch.many_reports_warning"), file=sys.stderr)
    from rightscli.batch.pool import default_jobs
    from rightscli.batch.report import Reporter
    from rightscli.batch.runner import Runner, entries
    from rightscli.batch.sources import open_source
    from rightscli.batch.work import Settings
    from rightscli.letters.program import check_template_dir

    check_template_dir(template_dir)
    override = parse_as_of(as_of)
    today = today_in_china()
    with open_source(
        source, getattr(sys.stdin, "buffer", None) if source == "-" else None, today=override or today
    ) as src:
        settings = Settings(to, fmt, out_dir, force, override, today, template_dir, lang, draft)
        # The rules are loaded (and checked: a problem exits 2 here, before the output folder is made) on entry.
        with Runner(settings, None, jobs or default_jobs(), [str(d) for d in policy_dir or ()]) as run:
            prepare_out_dir(out_dir)
            reporter = Reporter(
                json_out=json_out,
                lang=lang,
                out_dir=str(out_dir),
                total=src.total,
                position=src.done,
                counted=src.kind == "folder",
            )
            with reporter:
                for outcome in run(entries(src.tracked(), settings), idle=reporter.preload, left=src.left):
                    reporter.add(outcome)
    reporter.summary()
    _skip_collection_at_exit()
    if reporter.exit_code:
        raise typer.Exit(reporter.exit_code)


def _skip_collection_at_exit() -> None:
    """The batch is over (every letter closed and in place, the summary shown): when the program exits, the objects
    left (the catalog, the letter data, the modules) are frozen first, so that the interpreter's last collections do
    not walk them one by one only to free memory the process gives back anyway (~40 ms after a 1,000-case batch,
    a sixteenth of it with two workers). Registered at exit, not done now: a batch run inside a longer process (the
    tests) leaves its collector as it was."""
    import atexit
    import gc

    atexit.unregister(gc.freeze)  # once, however many batches a process runs
    atexit.register(gc.freeze)


def prepare_out_dir(out_dir: Path) -> None:
    """The output folder, created (mode 0700: letters hold personal data) when it does not exist yet."""
    if out_dir.is_dir():
        return
    if out_dir.exists() or out_dir.is_symlink():
        raise OutputError(tr("batch.out_dir_not_folder"), file=str(out_dir))
    try:
        out_dir.mkdir(mode=0o700)
    except FileNotFoundError:
        raise OutputError(tr("batch.out_dir_parent_missing", folder=out_dir.parent), file=str(out_dir)) from None
    except OSError as exc:
        raise OutputError(tr("batch.out_dir_cannot_create", reason=os_reason(exc)), file=str(out_dir)) from None
