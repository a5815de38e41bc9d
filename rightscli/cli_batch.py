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

from rightscli.cli import AsOfOpt, LangOpt, PolicyDirOpt, app, check_lang, handle_errors, parse_as_of, today_in_china
from rightscli.cli_letters import FORMATS, ForceOpt, TemplateDirOpt
from rightscli.errors import OutputError, UserError

EPILOG = (
    "Examples:\n\n  rights batch cases.jsonl --to merchant --out-dir letters/\n\n"
    "  rights batch cases.csv --to regulator --format docx --out-dir 投诉书/ --json > results.jsonl\n\n"
    "  rights batch cases/ --to platform --out-dir out/ --as-of 2026-11-20\n\n"
    "  my-export | rights batch - --to merchant --out-dir out/\n\n"
    "INPUT: JSON Lines (one case per line; also - for standard input), CSV (.csv: a header of case paths such as "
    "order.price, lists separated by ;, an empty cell is absent, history as JSON or EVENT@DATE;…), or a folder of "
    "case files (*.yaml, *.yml, *.json). Files are named <order id>-<recipient>.<format>, made unique with -2, -3 …"
)


@app.command(epilog=EPILOG)
@handle_errors
def batch(
    source: Annotated[
        str,
        typer.Argument(
            metavar="INPUT",
            help="Cases: a JSON Lines file, a CSV file, a folder of case files, or - (JSON Lines on standard input).",
            show_default=False,
        ),
    ],
    to: Annotated[
        str,
        typer.Option(
            "--to",
            metavar="RECIPIENT",
            help="Who the letters are for, as for `rights letter`: merchant, platform, association, regulator, "
            "regulator-report, ….",
            show_default=False,
        ),
    ],
    out_dir: Annotated[
        Path,
        typer.Option(
            "--out-dir", metavar="DIR", help="Folder for the letters (created if missing).", show_default=False
        ),
    ],
    fmt: Annotated[
        str, typer.Option("--format", "-f", metavar="FORMAT", help="md, txt, html, docx or pdf.", show_default=True)
    ] = "md",
    as_of: AsOfOpt = None,
    force: ForceOpt = False,
    json_out: Annotated[
        bool,
        typer.Option("--json", help="One JSON object per case on stdout (JSON Lines); the summary goes to stderr."),
    ] = False,
    jobs: Annotated[
        int | None,
        typer.Option(
            "--jobs", "-j", min=1, help="Worker processes (default: one per CPU, at most 4).", show_default=False
        ),
    ] = None,
    policy_dir: PolicyDirOpt = None,
    template_dir: TemplateDirOpt = None,
    lang: LangOpt = "zh",
    draft: Annotated[
        bool,
        typer.Option(
            "--draft",
            help="Write a letter even for a case where no applicable rule supports any request (without it such a "
            "case is reported as failed, with the reason).",
        ),
    ] = False,
) -> None:
    """Write a letter for each case of a batch; a bad case is reported with its line and the others go on."""
    lang = check_lang(lang)
    from rightscli.letters.data import recipient_ids

    if to not in recipient_ids():
        raise UserError(f"--to '{to}' is not a recipient; expected one of: {', '.join(recipient_ids())}")
    if fmt not in FORMATS:
        raise UserError(f"--format '{fmt}' is not supported; expected one of: {', '.join(FORMATS)}")
    from rightscli.batch.report import Reporter
    from rightscli.batch.runner import Runner, default_jobs, entries
    from rightscli.batch.sources import open_source
    from rightscli.batch.work import Settings
    from rightscli.catalog import load_catalog
    from rightscli.letters.render import check_template_dir

    check_template_dir(template_dir)
    override = parse_as_of(as_of)
    today = today_in_china()
    with open_source(source, sys.stdin.buffer if source == "-" else None, today=override or today) as src:
        catalog = load_catalog(policy_dir or ())
        prepare_out_dir(out_dir)
        settings = Settings(to, fmt, out_dir, force, override, today, template_dir, lang, draft)
        with Runner(settings, catalog, jobs or default_jobs()) as run:
            reporter = Reporter(
                json_out=json_out,
                lang=lang,
                out_dir=str(out_dir),
                total=src.total,
                position=src.done,
                counted=src.kind == "folder",
            )
            with reporter:
                for outcome in run(entries(src.tracked(), settings)):
                    reporter.add(outcome)
    reporter.summary()
    if reporter.exit_code:
        raise typer.Exit(reporter.exit_code)


def prepare_out_dir(out_dir: Path) -> None:
    """The output folder, created (mode 0700: letters hold personal data) when it does not exist yet."""
    if out_dir.is_dir():
        return
    if out_dir.exists() or out_dir.is_symlink():
        raise OutputError("is not a folder; --out-dir needs a folder for the letters", file=str(out_dir))
    try:
        out_dir.mkdir(mode=0o700)
    except FileNotFoundError:
        raise OutputError(
            f"the folder '{out_dir.parent}' does not exist; create it first or choose another --out-dir",
            file=str(out_dir),
        ) from None
    except OSError as exc:
        raise OutputError(f"cannot create the folder: {exc.strerror or exc}", file=str(out_dir)) from None
