"""`rights log`, `rights next`, `rights calendar` and `rights status` (registered on the main app).

The plan code is light; icalendar is imported only by `rights calendar`, rich only where something is drawn.
"""

import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated, Any

import typer

from rightscli.cli import (
    AsOfOpt,
    CaseArg,
    LangOpt,
    PolicyDirOpt,
    app,
    check_lang,
    handle_errors,
    load_case_and_catalog,
    parse_as_of,
    print_json,
    today_in_china,
)
from rightscli.vocab import EVENTS

JsonOpt = Annotated[bool, typer.Option("--json", help="Print JSON (nothing else on stdout).")]


def _plan(case: str, as_of: str | None, policy_dir: list[Path] | None, lang: str) -> Any:
    from rightscli.engine import assess
    from rightscli.plan.build import make_plan

    case_obj, catalog, day = load_case_and_catalog(case, as_of, policy_dir)
    result = assess(case_obj, catalog, day, lang)
    return make_plan(result, catalog.waits, catalog.escalation)


@app.command(
    "log",
    epilog="Examples:\n\n  rights log case.yaml merchant_refused --on 2026-11-13 --note '客服称吊牌已拆不退'\n\n"
    "  rights log case.yaml complaint_regulator   # dated --as-of, else as_of in the file, else today\n\n"
    f"Events: {', '.join(EVENTS)}.",
)
@handle_errors
def log(
    case: Annotated[str, typer.Argument(help="The case file (YAML or JSON) to add the event to.", show_default=False)],
    event: Annotated[str, typer.Argument(help="What happened: one of the history events below.", show_default=False)],
    on: Annotated[
        str | None,
        typer.Option("--on", help="The day it happened (YYYY-MM-DD). Default: the day of assessment."),
    ] = None,
    note: Annotated[
        str | None, typer.Option("--note", help="Details, e.g. what the seller said.", show_default=False)
    ] = None,
    as_of: AsOfOpt = None,
) -> None:
    """Add an event to the case's history: the file is rewritten atomically, the old version kept as CASE.bak.

    The event must not be dated before the last event in the history, nor after the day of assessment (--as-of,
    else as_of in the file, else today in China); the new file must validate. Otherwise nothing is written (exit 2).
    YAML files keep their comments; JSON files are re-written with a 2-space indent.
    """
    from rightscli.case_edit import log_event

    day = parse_as_of(on, "--on")
    done = log_event(case, event, on=day, note=note, as_of=parse_as_of(as_of), today=today_in_china())
    print(f"{done.event} {done.on} → {case} (backup: {done.backup.name}); see `rights next {case}`")


@app.command(
    "next",
    epilog="Examples:\n\n  rights next examples/refused-return.yaml\n\n"
    "  rights next case.yaml --as-of 2026-12-01 --json",
)
@handle_errors
def next_step(
    case: CaseArg,
    as_of: AsOfOpt = None,
    json_out: JsonOpt = False,
    policy_dir: PolicyDirOpt = None,
    lang: LangOpt = "zh",
) -> None:
    """What to do now: today's steps, the nearest deadline, what is being waited for and until when, and the step
    after that, each with its legal or platform source."""
    lang = check_lang(lang)
    plan = _plan(case, as_of, policy_dir, lang)
    if json_out:
        print_json(plan.to_json())
        return
    from rightscli.views.plan_view import render_plan

    render_plan(plan, lang)


@app.command(
    "calendar",
    epilog="Examples:\n\n  rights calendar case.yaml -o case.ics\n\n  rights calendar case.yaml -o case.ics --force"
    "   # after `rights log`: the same events are updated",
)
@handle_errors
def calendar(
    case: CaseArg,
    output: Annotated[
        str,
        typer.Option("--output", "-o", help="The .ics file to write (- for standard output).", show_default=False),
    ],
    force: Annotated[bool, typer.Option("--force", help="Replace the file if it exists.")] = False,
    as_of: AsOfOpt = None,
    policy_dir: PolicyDirOpt = None,
    lang: LangOpt = "zh",
) -> None:
    """Export every deadline and follow-up date as all-day calendar events with a reminder two days before.

    Event ids are stable (order id + rule or window id), so importing a new export updates the events instead of
    adding copies. The file is written atomically with mode 0600; an existing file is kept unless --force.
    """
    lang = check_lang(lang)
    from rightscli.output import check_destination, write_output

    check_destination(output, binary=False, force=force)
    plan = _plan(case, as_of, policy_dir, lang)
    from rightscli.plan.ics import build_calendar

    ics = build_calendar(plan, now=datetime.now(UTC).replace(microsecond=0))
    write_output(ics, output, force=force)
    if output != "-":
        print(f"{len(plan.dates)} event(s) → {output}", file=sys.stderr)


@app.command(
    "status",
    epilog="Examples:\n\n  rights status cases/\n\n  rights status --json --as-of 2026-12-01",
)
@handle_errors
def status(
    folder: Annotated[
        Path, typer.Argument(help="The folder of case files (*.yaml, *.yml, *.json). Default: the current folder.")
    ] = Path("."),
    as_of: AsOfOpt = None,
    json_out: JsonOpt = False,
    policy_dir: PolicyDirOpt = None,
    lang: LangOpt = "zh",
) -> None:
    """Every case in a folder, one row each, most urgent first: the date that matters next, days left, next step.

    Files that cannot be read or do not validate are listed with their error; the exit status is then 2 (after
    the table or JSON is printed), and 0 when every file is a valid case.
    """
    lang = check_lang(lang)
    from rightscli.catalog import load_catalog
    from rightscli.plan.status import scan

    catalog = load_catalog(policy_dir or ())
    override = parse_as_of(as_of)
    valid, invalid = scan(folder, catalog, as_of=override, today=today_in_china(), lang=lang)
    if json_out:
        print_json(
            {
                "as_of": override.isoformat() if override else None,
                "cases": [row.to_json() for row in valid],
                "invalid": [row.to_json() for row in invalid],
            }
        )
    else:
        from rightscli.plan.texts import text
        from rightscli.views.plan_view import render_status

        if not valid and not invalid:
            print(text("no_cases", lang, folder=str(folder)), file=sys.stderr)
        render_status(valid, invalid, lang)
    if invalid:
        total = len(valid) + len(invalid)
        print(f"rights: error: {len(invalid)} of {total} file(s) are not valid cases", file=sys.stderr)
        raise typer.Exit(2)
