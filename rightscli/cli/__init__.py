"""The `rights` command line: parse arguments, call the core, print. No rule logic here.

One module per group of commands, each registering on the one :data:`~rightscli.cli.common.app`; the order they are
imported in below is the order `rights --help` lists them. Nothing outside this package imports from it (the console
script, :mod:`rightscli.entry`, and the wheel's build, :mod:`rightscli.prebuild`, excepted): it is the top layer
(docs/architecture.md, checked by `lint-imports`).

Errors: a :class:`~rightscli.errors.UserError` becomes a message on stderr and exit 2; anything unexpected is an
internal error, exit 1 (set RIGHTS_DEBUG=1 to see the traceback).
"""

import os
import sys

import typer

from rightscli.cli.common import OUTPUT_ERRNOS, _ClosedStdout, _output_failed, _quiet_broken_pipe, app

# The command groups, in the order `rights --help` lists them (each registers its commands when imported), with the
# top-level names each registers (tests/test_cli_lazy_commands.py checks them against what each registers).
GROUPS: dict[str, tuple[str, ...]] = {
    "assess": ("assess", "explain"),
    "policies": ("policies", "schema"),  # policies list|show|validate|coverage, schema case
    "letters": ("letter", "checklist"),
    "batch": ("batch",),
    "filing": ("bundle", "form"),
    "evidence": ("evidence",),  # evidence add|list|verify
    "timeline": ("log", "next", "calendar", "status"),
    "wizard": ("wizard", "profile"),  # wizard, profile show|edit|forget
}


def load_groups(name: str | None = None) -> None:
    """Import the group that registers the top-level command or group ``name``; every group (in order) for None or a
    name no group has."""
    owners = [group for group, names in GROUPS.items() if name in names]
    for group in owners or GROUPS:
        _import_group(group)


def _import_group(group: str) -> None:
    """One group's module, named in a plain import (never imported by a computed name)."""
    # isort: off
    if group == "assess":
        from rightscli.cli import assess  # noqa: F401
    elif group == "policies":
        from rightscli.cli import policies  # noqa: F401
    elif group == "letters":
        from rightscli.cli import letters  # noqa: F401
    elif group == "batch":
        from rightscli.cli import batch  # noqa: F401
    elif group == "filing":
        from rightscli.cli import filing  # noqa: F401
    elif group == "evidence":
        from rightscli.cli import evidence  # noqa: F401
    elif group == "timeline":
        from rightscli.cli import timeline  # noqa: F401
    elif group == "wizard":
        from rightscli.cli import wizard  # noqa: F401
    # isort: on


def _lazy() -> bool:
    """True when the console script asked for only the command it runs (:mod:`rightscli.entry`); anyone else who
    imports this package gets every command registered."""
    entry = sys.modules.get("rightscli.entry")
    return bool(getattr(entry, "lazy_commands", False))


if not _lazy():
    load_groups()


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
        return _full()
    name = argv[1]
    load_groups(name)  # only its group when the console script left the others out (every group for another name)
    if any(not isinstance(group.name, str) for group in app.registered_groups):
        return _full()  # a group added without a name merges its commands into the top level: not worth resolving
    # All matches, in registration order, so that a later registration of a name wins as it does in the full app.
    commands = [
        c
        for c in app.registered_commands
        if (c.name or (c.callback and typer.main.get_command_name(c.callback.__name__))) == name
    ]
    groups = [g for g in app.registered_groups if g.name == name]
    if not commands and not groups:
        return _full()
    import copy

    lazy = copy.copy(app)  # shares info, registered_callback and settings; only the two lists below are new
    lazy.registered_commands = commands
    lazy.registered_groups = groups
    return lazy


def _full() -> typer.Typer:
    """`app` with every group registered."""
    load_groups()
    return app


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


__all__ = ["app", "main"]
