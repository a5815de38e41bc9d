"""`rights policies list | show | validate | coverage` and `rights schema case` (registered on the main app): the
rules as data, for the buyer who reads them and the expert who writes them."""

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
    print_json,
    today_in_china,
)

policies_app = typer.Typer(help="help.policies", no_args_is_help=True)
app.add_typer(policies_app, name="policies")


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
        typer.Argument(metavar="[PATH]...", help="help.policies_validate.paths", show_default=False),
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
