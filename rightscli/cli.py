"""The `rights` command line: parse arguments, call the core, print. No rule logic here.

Errors: a :class:`~rightscli.errors.UserError` becomes a message on stderr and exit 2; anything unexpected is an
internal error, exit 1 (set RIGHTS_DEBUG=1 to see the traceback).
"""

import errno
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
from rightscli.i18n import tr
from rightscli.i18n.chrome import install as install_chrome

F = TypeVar("F", bound=Callable[..., Any])
install_chrome()  # Typer's own words ("Usage:", "Options", usage errors) in the interface language
CHINA = timezone(timedelta(hours=8), "Asia/Shanghai")  # China has no daylight saving time

app = typer.Typer(
    name="rights",
    help="help.app",
    no_args_is_help=True,
    add_completion=True,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)
policies_app = typer.Typer(help="help.policies", no_args_is_help=True)
app.add_typer(policies_app, name="policies")

CaseArg = Annotated[str, typer.Argument(metavar="CASE", help="help.opt.case", show_default=False)]
AsOfOpt = Annotated[
    str | None,
    typer.Option(
        "--as-of",
        metavar="YYYY-MM-DD",
        help="help.opt.as_of",
        show_default=False,
    ),
]
PolicyDirOpt = Annotated[
    list[Path] | None,
    typer.Option("--policy-dir", metavar="DIR", help="help.opt.policy_dir"),
]
LangOpt = Annotated[
    str | None,
    typer.Option(
        "--lang",
        metavar="zh|en",
        help="help.opt.lang",
        show_default=False,
    ),
]
RedactOpt = Annotated[
    bool,
    typer.Option("--redact", help="help.opt.redact"),
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
            from rightscli.i18n import tr

            print(tr("err.prefix") + str(exc), file=sys.stderr)
            raise typer.Exit(exc.exit_code) from None
        except (typer.Exit, typer.Abort, SystemExit):
            raise
        except BrokenPipeError:
            _quiet_broken_pipe()
            raise typer.Exit(0) from None
        except OSError as exc:
            if exc.errno not in OUTPUT_ERRNOS:
                return _internal_error(exc)
            _output_failed(exc)
            raise typer.Exit(2) from None
        except KeyboardInterrupt:
            from rightscli.i18n import tr

            print(tr("err.interrupted"), file=sys.stderr)
            raise typer.Exit(130) from None
        except Exception as exc:
            return _internal_error(exc)

    return wrapper  # type: ignore[return-value]


def _internal_error(exc: Exception) -> Any:
    if os.environ.get("RIGHTS_DEBUG"):
        raise exc
    from rightscli.i18n import tr

    print(tr("err.internal", kind=type(exc).__name__, detail=exc), file=sys.stderr)
    raise typer.Exit(1) from None


# A write that failed for want of room, or on a closed or broken standard output: every file rightscli writes itself
# reports these as its own errors (rightscli.output), so one that reaches the command line comes from standard output.
OUTPUT_ERRNOS = frozenset({errno.ENOSPC, errno.EDQUOT, errno.EFBIG, errno.EIO, errno.EBADF})


def _output_failed(exc: OSError) -> None:
    """Say that the output could not be written; what is still buffered for standard output is dropped."""
    from rightscli.i18n import tr

    reason = tr("err.stdout_closed") if exc.errno == errno.EBADF else (exc.strerror or str(exc))
    print(tr("err.prefix") + tr("err.output_failed", reason=reason), file=sys.stderr)
    _quiet_broken_pipe()


class _ClosedStdout:
    """Standard output when the program was started without one (`rights … >&-`): every write fails with EBADF, so
    that a command that prints says so (exit 2) instead of failing on None."""

    encoding = "utf-8"
    errors = "strict"

    def write(self, text: str) -> int:
        raise OSError(errno.EBADF, os.strerror(errno.EBADF))

    def flush(self) -> None:
        pass

    def isatty(self) -> bool:
        return False

    def fileno(self) -> int:
        raise OSError(errno.EBADF, os.strerror(errno.EBADF))

    @property
    def buffer(self) -> "_ClosedStdout":
        return self


def _quiet_broken_pipe() -> None:
    """Standard output to /dev/null from now on: what is still buffered for it goes nowhere, without an error."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, AttributeError, ValueError):
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
        raise UserError(tr("cli.bad_date", option=option, value=value)) from None
    if not MIN_YEAR <= day.year <= MAX_YEAR:
        raise UserError(tr("cli.date_out_of_range", option=option, value=value, low=MIN_YEAR, high=MAX_YEAR))
    return day


def check_lang(lang: str | None) -> str:
    """The interface language of this run: --lang, else RIGHTS_LANG, else the locale, else zh."""
    from rightscli.i18n import resolve_lang

    return resolve_lang(lang)


def load_case_and_catalog(
    case_path: str,
    as_of: str | None,
    policy_dirs: list[Path] | None,
    *,
    redact: bool = False,
    to_today: bool = False,
) -> tuple[Any, Any, date]:
    """Read and validate the case, load the catalog; returns (case, catalog, the as_of in effect).

    ``redact``: mask phone numbers, ID numbers, e-mail and street addresses before anything is rendered.
    ``to_today``: count to today unless --as-of is given, whatever as_of the file holds (`rights next`: what to do
    now is what to do today).
    """
    from rightscli import datafile
    from rightscli.case import validate_case
    from rightscli.catalog import load_catalog

    override = parse_as_of(as_of)
    doc = datafile.load(case_path, getattr(sys.stdin, "buffer", None) if case_path == "-" else None)
    case = validate_case(doc, as_of=override, today=today_in_china())
    day = override or (today_in_china() if to_today else case.as_of or today_in_china())
    if redact:
        from rightscli.redact import redact_case

        case = redact_case(case)
    catalog = load_catalog(policy_dirs or ())
    return case, catalog, day


def case_word(case: str) -> str:
    """How the views name the case file in the commands they suggest (rights checklist CASE …), quoted for a shell."""
    if case == "-":
        return "CASE"
    import shlex

    return shlex.quote(case)


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


@app.callback(help="help.app")
def main_options(
    version: Annotated[
        bool, typer.Option("--version", callback=version_callback, is_eager=True, help="help.opt.version")
    ] = False,
    lang: LangOpt = None,
) -> None:
    """Consumer-rights helper for online orders in mainland China."""
    if lang is not None:
        check_lang(lang)
        from rightscli import i18n

        i18n.set_lang(i18n.get_lang(), explicit=True)


@app.command(epilog="help.assess.epilog", help="help.assess", short_help="help.assess.short")
@handle_errors
def assess(
    case: CaseArg,
    as_of: AsOfOpt = None,
    json_out: Annotated[bool, typer.Option("--json", help="help.assess.json")] = False,
    policy_dir: PolicyDirOpt = None,
    lang: LangOpt = None,
    redact: RedactOpt = False,
    detail: Annotated[bool, typer.Option("--detail", help="help.assess.detail")] = False,
) -> None:
    """Match a case against the policies: what to do today, deadlines, what can be claimed, evidence, next steps."""
    lang = check_lang(lang)
    from rightscli.engine import assess as run_assessment

    case_obj, catalog, day = load_case_and_catalog(case, as_of, policy_dir, redact=redact)
    result = run_assessment(case_obj, catalog, day, lang)
    if json_out:
        print_json(result.to_json())
        return
    if detail:
        from rightscli.views.terminal import render_assessment

        render_assessment(result, lang)
        return
    from rightscli.views.verdict import render_verdict

    render_verdict(result, lang, case_arg=case_word(case))


@app.command(epilog="help.explain.epilog", help="help.explain", short_help="help.explain.short")
@handle_errors
def explain(
    first: Annotated[str, typer.Argument(metavar="CASE|ID", help="help.explain.first", show_default=False)],
    second: Annotated[str | None, typer.Argument(metavar="[ID]", help="help.explain.id", show_default=False)] = None,
    as_of: AsOfOpt = None,
    policy_dir: PolicyDirOpt = None,
    lang: LangOpt = None,
) -> None:
    """One finding in full for a case (`rights explain CASE 3`), or one rule in general (`rights explain ID`)."""
    lang = check_lang(lang)
    if second is None:
        from rightscli.catalog import load_catalog
        from rightscli.views.explain import render_rule

        render_rule(load_catalog(policy_dir or ()), first, lang)
        return
    from rightscli.engine import assess as run_assessment
    from rightscli.views.explain import find_finding, render_explained

    case_obj, catalog, day = load_case_and_catalog(first, as_of, policy_dir)
    result = run_assessment(case_obj, catalog, day, lang)
    no, finding = find_finding(result, second)
    render_explained(result, no, finding, lang)


@policies_app.command(
    "list",
    epilog="help.policies_list.epilog",
    help="help.policies_list",
    short_help="help.policies_list.short",
)
@handle_errors
def policies_list(
    json_out: Annotated[bool, typer.Option("--json", help="help.policies_list.json")] = False,
    policy_dir: PolicyDirOpt = None,
    lang: LangOpt = None,
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
    "show",
    epilog="help.policies_show.epilog",
    help="help.policies_show",
    short_help="help.policies_show.short",
)
@handle_errors
def policies_show(
    policy_id: Annotated[str, typer.Argument(metavar="ID", help="help.policies_show.id")],
    json_out: Annotated[bool, typer.Option("--json", help="help.policies_show.json")] = False,
    policy_dir: PolicyDirOpt = None,
    lang: LangOpt = None,
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
    epilog="help.policies_validate.epilog",
    help="help.policies_validate",
    short_help="help.policies_validate.short",
)
@handle_errors
def policies_validate(
    paths: Annotated[
        list[Path] | None,
        typer.Argument(help="help.policies_validate.paths", show_default=False),
    ] = None,
    as_of: AsOfOpt = None,
    lang: LangOpt = None,
    json_out: Annotated[
        bool,
        typer.Option(
            "--json",
            help="help.policies_validate.json",
        ),
    ] = False,
) -> None:
    """Check policy files strictly: every problem with file, line and key; warnings for old or expired rules."""
    from rightscli.validate import validate_paths

    check_lang(lang)
    day = parse_as_of(as_of) or today_in_china()
    report = validate_paths(paths or [], day)
    if json_out:
        print_json(report.to_json())
        if report.errors:
            raise typer.Exit(2)
        return
    from rightscli.i18n import tr

    for warning in report.warnings:
        print(tr("err.warning_prefix") + str(warning), file=sys.stderr)
    if report.errors:
        for err in report.errors:
            print(tr("err.prefix") + str(err), file=sys.stderr)
        print(tr("cli.validate_problems", count=len(report.errors), files=report.files), file=sys.stderr)
        raise typer.Exit(2)
    print(tr("cli.validate_ok", policies=report.policies, files=report.files, warnings=len(report.warnings)))


schema_app = typer.Typer(help="help.schema", no_args_is_help=True)
app.add_typer(schema_app, name="schema")


@schema_app.command(
    "case", epilog="help.schema_case.epilog", help="help.schema_case", short_help="help.schema_case.short"
)
@handle_errors
def schema_case() -> None:
    """The JSON Schema of the case file, for editors and other programs."""
    from rightscli.schema import case_schema

    print_json(case_schema())


@policies_app.command(
    "coverage",
    epilog="help.policies_coverage.epilog",
    help="help.policies_coverage",
    short_help="help.policies_coverage.short",
)
@handle_errors
def policies_coverage(
    json_out: Annotated[bool, typer.Option("--json", help="help.policies_coverage.json")] = False,
    pinned: Annotated[bool, typer.Option("--pinned", help="help.policies_coverage.pinned")] = False,
    policy_dir: PolicyDirOpt = None,
    lang: LangOpt = None,
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
    if sys.stdout is None:  # started with standard output closed (`>&-`)
        sys.stdout = _ClosedStdout()  # type: ignore[assignment]
    try:
        _app_for(sys.argv)(prog_name="rights")
    except SystemExit as exc:
        # Typer (like click) exits 1 when stdout is a closed pipe, after wrapping stdout in a PacifyFlushWrapper;
        # the reader going away is not a failure of `rights`.
        if exc.code == 1 and type(sys.stdout).__name__ == "PacifyFlushWrapper":
            raise SystemExit(0) from None
        raise
    except OSError as exc:  # writing --help or --version to a full or closed standard output
        if exc.errno not in OUTPUT_ERRNOS:
            raise
        _output_failed(exc)
        raise SystemExit(2) from None
    finally:
        # `rights … | head -1`: the reader went away; end quietly instead of a BrokenPipeError at exit.
        try:
            sys.stdout.flush()
        except BrokenPipeError:
            _quiet_broken_pipe()
        except OSError as exc:  # what was still buffered did not fit (`>/dev/full`)
            _output_failed(exc)
            raise SystemExit(2) from None  # the exit status must say that the output was lost


if __name__ == "__main__":
    main()
