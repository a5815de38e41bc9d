"""`rights assess` and `rights explain` (registered on the main app): the assessment of a case, and one finding or
rule in full."""

from typing import Annotated

import typer

from rightscli.cli.common import (
    AsOfOpt,
    CaseArg,
    LangOpt,
    PolicyDirOpt,
    RedactOpt,
    app,
    case_word,
    check_lang,
    handle_errors,
    load_case_and_catalog,
    print_json,
)


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
