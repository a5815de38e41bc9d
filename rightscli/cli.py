"""The `rights` command line: parse arguments, call the core, print. No rule logic here.

Errors: a :class:`~rightscli.errors.UserError` becomes a message on stderr and exit 2; anything unexpected is an
internal error, exit 1 (set RIGHTS_DEBUG=1 to see the traceback).
"""

import os
import sys
from collections.abc import Callable
from datetime import date, datetime, timedelta, timezone
from functools import wraps
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer

from rightscli import __version__
from rightscli.errors import UserError

F = TypeVar("F", bound=Callable[..., Any])
CHINA = timezone(timedelta(hours=8), "Asia/Shanghai")  # China has no daylight saving time

app = typer.Typer(
    name="rights",
    help="Consumer-rights helper for online orders in mainland China: assess a case against PRC law and platform "
    "rules, list the evidence to keep, and write complaint letters.\n\n"
    "Example: rights assess examples/changed-mind-in-time.yaml",
    no_args_is_help=True,
    add_completion=True,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)
policies_app = typer.Typer(help="Inspect the bundled policies and validate your own.", no_args_is_help=True)
app.add_typer(policies_app, name="policies")

CaseArg = Annotated[str, typer.Argument(help="Case file (YAML or JSON), or - for standard input.", show_default=False)]
AsOfOpt = Annotated[
    str | None,
    typer.Option(
        "--as-of",
        help="Count deadlines to this day (YYYY-MM-DD). Default: as_of in the case file, else today in China.",
        show_default=False,
    ),
]
PolicyDirOpt = Annotated[
    list[Path] | None,
    typer.Option("--policy-dir", help="A folder of your own policy files, added to the bundled ones (repeatable)."),
]
LangOpt = Annotated[str, typer.Option("--lang", help="Interface language: zh or en.")]
RedactOpt = Annotated[
    bool,
    typer.Option(
        "--redact", help="Mask phone numbers, ID numbers, e-mail and street addresses, to share the output safely."
    ),
]


def today_in_china() -> date:
    return datetime.now(CHINA).date()


def handle_errors(func: F) -> F:
    """Map domain errors to exit codes; never show a traceback for bad input."""

    @wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except UserError as exc:
            print(f"rights: error: {exc}", file=sys.stderr)
            raise typer.Exit(exc.exit_code) from None
        except (typer.Exit, typer.Abort, SystemExit):
            raise
        except BrokenPipeError:
            _quiet_broken_pipe()
            raise typer.Exit(0) from None
        except KeyboardInterrupt:
            print("rights: interrupted", file=sys.stderr)
            raise typer.Exit(130) from None
        except Exception as exc:
            if os.environ.get("RIGHTS_DEBUG"):
                raise
            print(
                f"rights: internal error: {type(exc).__name__}: {exc}\n"
                "This is a bug in rightscli. Run again with RIGHTS_DEBUG=1 for details.",
                file=sys.stderr,
            )
            raise typer.Exit(1) from None

    return wrapper  # type: ignore[return-value]


def _quiet_broken_pipe() -> None:
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except OSError:
        pass


def parse_as_of(value: str | None, option: str = "--as-of") -> date | None:
    """A day given on the command line: YYYY-MM-DD, in the years a case date may take (the date arithmetic of
    deadlines counted from it stays within the calendar)."""
    if value is None:
        return None
    from rightscli.case import MAX_YEAR, MIN_YEAR

    try:
        day = date.fromisoformat(value)
    except ValueError:
        raise UserError(f"{option} '{value}' is not a date; expected YYYY-MM-DD, e.g. 2026-11-20") from None
    if not MIN_YEAR <= day.year <= MAX_YEAR:
        raise UserError(f"{option} {value} is out of range; expected a day in the years {MIN_YEAR}–{MAX_YEAR}")
    return day


def check_lang(lang: str) -> str:
    if lang not in ("zh", "en"):
        raise UserError(f"--lang '{lang}' is not supported; expected zh or en")
    return lang


def load_case_and_catalog(
    case_path: str, as_of: str | None, policy_dirs: list[Path] | None, *, redact: bool = False
) -> tuple[Any, Any, date]:
    """Read and validate the case, load the catalog; returns (case, catalog, the as_of in effect).

    ``redact``: mask phone numbers, ID numbers, e-mail and street addresses before anything is rendered.
    """
    from rightscli import datafile
    from rightscli.case import validate_case
    from rightscli.catalog import load_catalog

    override = parse_as_of(as_of)
    doc = datafile.load(case_path, sys.stdin.buffer if case_path == "-" else None)
    case = validate_case(doc, as_of=override, today=today_in_china())
    day = override or case.as_of or today_in_china()
    if redact:
        from rightscli.redact import redact_case

        case = redact_case(case)
    catalog = load_catalog(policy_dirs or ())
    return case, catalog, day


def print_json(data: Any) -> None:
    """Indented UTF-8 JSON, as ``json.dumps(data, ensure_ascii=False, indent=2)`` writes it.

    msgspec rather than the json module: the models already import it, and a YAML case then never loads json.
    """
    import msgspec

    sys.stdout.write(msgspec.json.format(msgspec.json.encode(data), indent=2).decode("utf-8") + "\n")
    sys.stdout.flush()


def version_callback(value: bool) -> None:
    if value:
        print(f"rights {__version__}")
        raise typer.Exit(0)


@app.callback()
def main_options(
    version: Annotated[
        bool, typer.Option("--version", callback=version_callback, is_eager=True, help="Show the version and exit.")
    ] = False,
) -> None:
    """Consumer-rights helper for online orders in mainland China."""


@app.command(
    epilog="Examples:\n\n  rights assess examples/changed-mind-in-time.yaml\n\n"
    "  rights assess case.yaml --as-of 2026-11-25 --json\n\n  cat case.json | rights assess - --json"
)
@handle_errors
def assess(
    case: CaseArg,
    as_of: AsOfOpt = None,
    json_out: Annotated[
        bool, typer.Option("--json", help="Print the assessment as JSON (nothing else on stdout).")
    ] = False,
    policy_dir: PolicyDirOpt = None,
    lang: LangOpt = "zh",
    redact: RedactOpt = False,
) -> None:
    """Match a case against the policies: findings, deadlines, amounts, evidence and next steps."""
    lang = check_lang(lang)
    from rightscli.engine import assess as run_assessment

    case_obj, catalog, day = load_case_and_catalog(case, as_of, policy_dir, redact=redact)
    result = run_assessment(case_obj, catalog, day, lang)
    if json_out:
        print_json(result.to_json())
        return
    from rightscli.views.terminal import render_assessment

    render_assessment(result, lang)


@policies_app.command("list", epilog="Examples:\n\n  rights policies list\n\n  rights policies list --json")
@handle_errors
def policies_list(
    json_out: Annotated[bool, typer.Option("--json", help="Print the list as JSON.")] = False,
    policy_dir: PolicyDirOpt = None,
    lang: LangOpt = "zh",
) -> None:
    """List the policies (bundled, plus --policy-dir)."""
    lang = check_lang(lang)
    from rightscli.catalog import load_catalog

    catalog = load_catalog(policy_dir or ())
    if json_out:
        from rightscli.views.policy_view import policy_summary

        print_json([policy_summary(p, lang) for p in catalog.policies])
        return
    from rightscli.views.policy_view import render_policy_table

    render_policy_table(catalog, lang)


@policies_app.command(
    "show", epilog="Examples:\n\n  rights policies show cn.cpl.art25\n\n  rights policies show cn.cpl.art25 --json"
)
@handle_errors
def policies_show(
    policy_id: Annotated[str, typer.Argument(metavar="ID", help="A policy id, e.g. cn.cpl.art25.")],
    json_out: Annotated[
        bool, typer.Option("--json", help="Print every version of the policy as loaded, as a JSON list.")
    ] = False,
    policy_dir: PolicyDirOpt = None,
    lang: LangOpt = "zh",
) -> None:
    """Show one policy in readable form: sources, conditions, exclusions, deadline, amount."""
    lang = check_lang(lang)
    from rightscli.catalog import load_catalog

    catalog = load_catalog(policy_dir or ())
    if json_out:
        import msgspec

        versions = catalog.versions(policy_id) or [catalog.get(policy_id)]  # get() names the unknown id
        print_json(msgspec.to_builtins(versions))
        return
    from rightscli.views.policy_view import render_policy

    render_policy(catalog, policy_id, lang)


@policies_app.command(
    "validate",
    epilog="Examples:\n\n  rights policies validate\n\n  rights policies validate my-rules/ extra.yaml\n\n"
    "  rights policies validate my-rules/ --json",
)
@handle_errors
def policies_validate(
    paths: Annotated[
        list[Path] | None,
        typer.Argument(help="Policy files or folders to check. Default: the bundled policies.", show_default=False),
    ] = None,
    as_of: AsOfOpt = None,
    json_out: Annotated[
        bool,
        typer.Option(
            "--json",
            help="Print the result as JSON: ok, files, policies, errors (file, line, field, message), warnings. "
            "The exit code is the same (2 when there are errors).",
        ),
    ] = False,
) -> None:
    """Check policy files strictly: every problem with file, line and key; warnings for old or expired rules."""
    from rightscli.validate import validate_paths

    day = parse_as_of(as_of) or today_in_china()
    report = validate_paths(paths or [], day)
    if json_out:
        print_json(report.to_json())
        if report.errors:
            raise typer.Exit(2)
        return
    for warning in report.warnings:
        print(f"rights: warning: {warning}", file=sys.stderr)
    if report.errors:
        for err in report.errors:
            print(f"rights: error: {err}", file=sys.stderr)
        print(f"{len(report.errors)} problem(s) in {report.files} file(s).", file=sys.stderr)
        raise typer.Exit(2)
    print(f"OK: {report.policies} policies in {report.files} file(s), {len(report.warnings)} warning(s).")


schema_app = typer.Typer(help="Print JSON Schemas of rightscli's file formats.", no_args_is_help=True)
app.add_typer(schema_app, name="schema")


@schema_app.command("case", epilog="Example:\n\n  rights schema case > case.schema.json")
@handle_errors
def schema_case() -> None:
    """The JSON Schema of the case file, for editors and other programs."""
    from rightscli.schema import case_schema

    print_json(case_schema())


@policies_app.command(
    "coverage", epilog="Examples:\n\n  rights policies coverage\n\n  rights policies coverage --pinned --json"
)
@handle_errors
def policies_coverage(
    json_out: Annotated[bool, typer.Option("--json", help="Print the matrix as JSON.")] = False,
    pinned: Annotated[bool, typer.Option("--pinned", help="Only the pinned problem kinds.")] = False,
    policy_dir: PolicyDirOpt = None,
    lang: LangOpt = "zh",
) -> None:
    """The matrix of problem kinds × platforms with the rules that cover each cell; lists empty cells."""
    lang = check_lang(lang)
    from rightscli.catalog import load_catalog
    from rightscli.coverage import coverage

    result = coverage(load_catalog(policy_dir or ()), pinned_only=pinned)
    if json_out:
        print_json(result.to_json())
        return
    from rightscli.views.policy_view import render_coverage

    render_coverage(result, lang)


# Commands that live in their own modules register themselves on `app` when imported.
from rightscli import cli_batch, cli_evidence, cli_filing, cli_letters, cli_timeline, cli_wizard  # noqa: E402, F401


def _app_for(argv: list[str]) -> typer.Typer:
    """The app to run for ``argv``: `app` itself, or a copy of it that holds only the command named in ``argv[1]``.

    Why: before running anything, Typer turns every registered command and sub-group into a click command,
    introspecting each signature — about 10 ms per run, although only one command runs. When ``argv[1]`` exactly
    names a top-level command or sub-group, nothing else can be reached, so a shallow copy of `app` (same settings,
    callback, ``--version``, completion options) with just that command or group behaves the same and starts faster.
    Everything else — no arguments, ``--help``, ``--version``, options before the command, a typo that needs the
    "No such command" hint, shell completion — gets the full `app`. The global `app` is never changed; tests that
    invoke `app` through CliRunner are unaffected.
    """
    if len(argv) < 2 or "_RIGHTS_COMPLETE" in os.environ or "_TYPER_COMPLETE_ARGS" in os.environ:
        return app
    name = argv[1]
    if any(not isinstance(group.name, str) for group in app.registered_groups):
        return app  # a group added without a name merges its commands into the top level: not worth resolving
    # All matches, in registration order, so that a later registration of a name wins as it does in the full app.
    commands = [
        c
        for c in app.registered_commands
        if (c.name or (c.callback and typer.main.get_command_name(c.callback.__name__))) == name
    ]
    groups = [g for g in app.registered_groups if g.name == name]
    if not commands and not groups:
        return app
    import copy

    lazy = copy.copy(app)  # shares info, registered_callback and settings; only the two lists below are new
    lazy.registered_commands = commands
    lazy.registered_groups = groups
    return lazy


def main() -> None:
    try:
        _app_for(sys.argv)(prog_name="rights")
    except SystemExit as exc:
        # Typer (like click) exits 1 when stdout is a closed pipe, after wrapping stdout in a PacifyFlushWrapper;
        # the reader going away is not a failure of `rights`.
        if exc.code == 1 and type(sys.stdout).__name__ == "PacifyFlushWrapper":
            raise SystemExit(0) from None
        raise
    finally:
        # `rights … | head -1`: the reader went away; end quietly instead of a BrokenPipeError at exit.
        try:
            sys.stdout.flush()
        except BrokenPipeError:
            _quiet_broken_pipe()


if __name__ == "__main__":
    main()
