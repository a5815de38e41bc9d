"""The `rights` app that every command module registers on, the options they share, and what every command does
alike: map errors to exit codes, read the case and the catalog, print JSON. No rule logic here.

Errors: a :class:`~rightscli.errors.UserError` becomes a message on stderr and exit 2; anything unexpected is an
internal error, exit 1 (set RIGHTS_DEBUG=1 to see the traceback).
"""

import errno
import os
import sys
from collections.abc import Callable
from datetime import date
from functools import wraps
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer

from rightscli import __version__
from rightscli.cli.chrome import install as install_chrome
from rightscli.clock import today_in_china
from rightscli.errors import UserError, os_reason
from rightscli.i18n import tr

F = TypeVar("F", bound=Callable[..., Any])
install_chrome()  # Typer's own words ("Usage:", "Options", usage errors) in the interface language

app = typer.Typer(
    name="rights",
    help="help.app",
    no_args_is_help=True,
    add_completion=True,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)

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

    reason = tr("err.stdout_closed") if exc.errno == errno.EBADF else os_reason(exc)
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
    """The interface language of this run: --lang, else RIGHTS_LANG, else the locale, else zh. An unsupported
    --lang is bad usage (exit 2), said in the language the run would otherwise use."""
    from rightscli.i18n import LANGS, resolve_lang

    if lang is not None and lang.strip().lower() not in LANGS:
        raise UserError(tr("cli.bad_lang", value=lang))
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
