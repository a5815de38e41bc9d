"""`rights log`, `rights next`, `rights calendar` and `rights status` (registered on the main app).

The plan code is light; icalendar is imported only by `rights calendar`, rich only where something is drawn.
"""

import sys
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Annotated, Any

import typer

from rightscli.cli.chrome import HELP_VALUES
from rightscli.cli.common import (
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
from rightscli.i18n import has, tr
from rightscli.vocab import EVENTS

JsonOpt = Annotated[bool, typer.Option("--json", help="help.opt.json")]


def _events_listing() -> dict[str, str]:
    return {"events": tr("wizard.item_sep").join(tr("log.event_item", id=e, label=tr(f"event.{e}")) for e in EVENTS)}


HELP_VALUES["help.log.epilog"] = _events_listing


def _plan(case: str, as_of: str | None, policy_dir: list[Path] | None, lang: str) -> Any:
    from rightscli.engine import assess

    case_obj, catalog, day = load_case_and_catalog(case, as_of, policy_dir, to_today=True)
    return assess(case_obj, catalog, day, lang).plan


@app.command(
    "log",
    epilog="help.log.epilog",
    help="help.log",
    short_help="help.log.short",
)
@handle_errors
def log(
    case: Annotated[str, typer.Argument(metavar="CASE", help="help.log.case", show_default=False)],
    event: Annotated[str, typer.Argument(metavar="EVENT", help="help.log.event", show_default=False)],
    on: Annotated[
        str | None,
        typer.Option("--on", metavar="YYYY-MM-DD", help="help.log.on"),
    ] = None,
    note: Annotated[
        str | None, typer.Option("--note", metavar="TEXT", help="help.log.note", show_default=False)
    ] = None,
    as_of: AsOfOpt = None,
    lang: LangOpt = None,
) -> None:
    """Add an event to the case's history: the file is rewritten atomically, the old version kept as CASE.bak.

    The event must not be dated before the last event in the history, nor after the day of assessment (--as-of,
    else as_of in the file, else today in China); the new file must validate. Otherwise nothing is written (exit 2).
    YAML files keep their comments; JSON files are re-written with a 2-space indent.
    """
    check_lang(lang)
    from rightscli.case_edit import log_event

    day = parse_as_of(on, "--on")
    done = log_event(case, event, on=day, note=note, as_of=parse_as_of(as_of), today=today_in_china())
    from rightscli.i18n import tr

    event = tr(f"event.{done.event}") if has(f"event.{done.event}") else done.event
    print(tr("timeline.logged", event=event, on=done.on, file=case, backup=done.backup.name))


@app.command(
    "next",
    epilog="help.next.epilog",
    help="help.next",
    short_help="help.next.short",
)
@handle_errors
def next_step(
    case: CaseArg,
    as_of: AsOfOpt = None,
    json_out: JsonOpt = False,
    policy_dir: PolicyDirOpt = None,
    lang: LangOpt = None,
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
    epilog="help.calendar.epilog",
    help="help.calendar",
    short_help="help.calendar.short",
)
@handle_errors
def calendar(
    case: CaseArg,
    output: Annotated[
        str,
        typer.Option("--output", "-o", metavar="FILE.ics", help="help.calendar.output", show_default=False),
    ],
    force: Annotated[bool, typer.Option("--force", help="help.calendar.force")] = False,
    as_of: AsOfOpt = None,
    policy_dir: PolicyDirOpt = None,
    lang: LangOpt = None,
) -> None:
    """Export every deadline and follow-up date as all-day calendar events with a reminder two days before.

    Event ids are stable (order id + rule or window id), so importing a new export updates the events instead of
    adding copies. The file is written atomically with mode 0600; an existing file is kept unless --force.
    """
    lang = check_lang(lang)
    from rightscli.output import check_destination, write_output

    check_destination(output, binary=False, force=force)
    plan = _plan(case, as_of, policy_dir, lang)
    from rightscli.views.ics import build_calendar

    ics = build_calendar(plan, now=datetime.now(UTC).replace(microsecond=0))
    write_output(ics, output, force=force)
    if output != "-":
        from rightscli.i18n import tr

        print(tr("timeline.calendar_written", count=len(plan.dates), file=output), file=sys.stderr)


@app.command(
    "status",
    epilog="help.status.epilog",
    help="help.status",
    short_help="help.status.short",
)
@handle_errors
def status(
    folder: Annotated[Path, typer.Argument(metavar="[DIR]", help="help.status.folder")] = Path("."),
    as_of: AsOfOpt = None,
    json_out: JsonOpt = False,
    policy_dir: PolicyDirOpt = None,
    lang: LangOpt = None,
) -> None:
    """Every case in a folder, one row each, most urgent first: the date that matters next, days left, next step.

    Files that cannot be read or do not validate are listed with their error; the exit status is then 2 (after
    the table or JSON is printed), and 0 when every file is a valid case.
    """
    lang = check_lang(lang)
    from rightscli.catalog import load_catalog

    catalog = load_catalog(policy_dir or ())
    override = parse_as_of(as_of)
    today = today_in_china()
    valid, invalid = _scan(folder, catalog, as_of=override, today=today, lang=lang)
    if json_out:
        print_json(
            {
                "as_of": (override or today).isoformat(),
                "cases": [row.to_json() for row in valid],
                "invalid": [row.to_json() for row in invalid],
            }
        )
    else:
        from rightscli.i18n import tr
        from rightscli.views.plan_view import render_status

        if not valid and not invalid:
            print(tr("plan.no_cases", lang, folder=str(folder)), file=sys.stderr)
        render_status(valid, invalid, lang, override or today)
    if invalid:
        total = len(valid) + len(invalid)
        from rightscli.i18n import tr

        print(tr("err.prefix") + tr("timeline.invalid_files", count=len(invalid), total=total), file=sys.stderr)
        raise typer.Exit(2)


def _scan(folder: Path, catalog: Any, *, as_of: date | None, today: date, lang: str) -> tuple[list[Any], list[Any]]:
    """Every case file of ``folder`` assessed: (valid rows, most urgent first; invalid rows, by file name)."""
    from rightscli import datafile
    from rightscli.case import validate_case
    from rightscli.engine import assess
    from rightscli.errors import UserError
    from rightscli.plan.status import Row, case_files

    if not folder.is_dir():
        raise UserError(tr("status.not_folder"), file=str(folder))
    valid: list[Row] = []
    invalid: list[Row] = []
    for path in case_files(folder):
        name = str(path)
        try:
            doc = datafile.load(name, regular=True)
            case = validate_case(doc, as_of=as_of, today=today)
        except UserError as exc:
            invalid.append(Row(file=name, error=str(exc)))
            continue
        result = assess(case, catalog, as_of or today, lang)  # to today unless --as-of, as `rights next`
        valid.append(Row(file=name, plan=result.plan))
    valid.sort(key=Row.sort_key)
    return valid, invalid
