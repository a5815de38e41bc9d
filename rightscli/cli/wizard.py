"""`rights wizard` and `rights profile show|edit|forget` (registered on the main app when imported).

Nothing heavy is imported here: the wizard package, its prompt library and the catalog load only when one of these
commands runs, so the other commands start as fast as before.
"""

import sys
from typing import Annotated

import typer

from rightscli.cli.common import AsOfOpt, PolicyDirOpt, app, check_lang, handle_errors, parse_as_of, today_in_china
from rightscli.i18n import tr

profile_app = typer.Typer(help="help.profile", no_args_is_help=True)
app.add_typer(profile_app, name="profile")

WizardLangOpt = Annotated[
    str | None,
    typer.Option("--lang", metavar="zh|en", help="help.opt.lang", show_default=False),
]


@app.command(
    epilog="help.wizard.epilog",
    help="help.wizard",
    short_help="help.wizard.short",
)
@handle_errors
def wizard(
    answers: Annotated[
        str | None,
        typer.Option(
            "--answers",
            metavar="FILE",
            help="help.wizard.answers",
            show_default=False,
        ),
    ] = None,
    set_: Annotated[
        list[str] | None,
        typer.Option(
            "-s",
            "--set",
            metavar="KEY=VALUE",
            help="help.wizard.set",
            show_default=False,
        ),
    ] = None,
    no_input: Annotated[bool, typer.Option("--no-input", help="help.wizard.no_input")] = False,
    save: Annotated[
        str | None,
        typer.Option(
            "--save",
            metavar="FILE",
            help="help.wizard.save",
            show_default=False,
        ),
    ] = None,
    as_of: AsOfOpt = None,
    lang: WizardLangOpt = None,
    force: Annotated[bool, typer.Option("--force", help="help.wizard.force")] = False,
    policy_dir: PolicyDirOpt = None,
) -> None:
    """Interview about one order: saves a case file, shows the assessment, offers to write letters."""
    from rightscli.wizard.run import Interrupted, Options, run_wizard

    options = Options(
        today=today_in_china(),
        lang=check_lang(lang),
        answers_file=answers,
        sets=list(set_ or []),
        no_input=no_input,
        save=save,
        as_of=parse_as_of(as_of),
        force=force,
        policy_dirs=list(policy_dir or []),
    )
    try:
        run_wizard(options)
    except Interrupted:
        raise typer.Exit(130) from None


@profile_app.command("show", help="help.profile_show", short_help="help.profile_show.short")
@handle_errors
def profile_show(
    json_out: Annotated[bool, typer.Option("--json", help="help.profile_show.json")] = False,
    lang: WizardLangOpt = None,
) -> None:
    """Show the saved buyer profile and where it is kept."""
    from rightscli.profile import FIELDS, load_profile, profile_path

    lang = check_lang(lang)
    values = load_profile()
    if json_out:
        from rightscli.cli.common import print_json

        print_json({"file": str(profile_path()), **{f: values.get(f) for f in FIELDS}})
        return
    if not values:
        print(tr("profile.none", lang))
        return
    print(f"{tr('profile.file', lang)}: {profile_path()}")
    for f in FIELDS:
        print(f"{tr('profile.' + f, lang)}: {values.get(f, '')}")


@profile_app.command(
    "edit",
    epilog="help.profile_edit.epilog",
    help="help.profile_edit",
    short_help="help.profile_edit.short",
)
@handle_errors
def profile_edit(
    name: Annotated[
        str | None, typer.Option("--name", metavar="TEXT", help="help.profile_edit.name", show_default=False)
    ] = None,
    phone: Annotated[
        str | None, typer.Option("--phone", metavar="TEXT", help="help.profile_edit.phone", show_default=False)
    ] = None,
    address: Annotated[
        str | None, typer.Option("--address", metavar="TEXT", help="help.profile_edit.address", show_default=False)
    ] = None,
    lang: WizardLangOpt = None,
) -> None:
    """Set your name, phone and address (asks for each unless given as options)."""
    from rightscli.profile import FIELDS, load_profile, save_profile

    lang = check_lang(lang)
    values = load_profile()
    given = {"name": name, "phone": phone, "address": address}
    if any(v is not None for v in given.values()):
        values.update({k: v for k, v in given.items() if v is not None})
    else:
        from rightscli.wizard.prompts import EndOfInput, make_prompter

        prompter = make_prompter(lang, no_input=False)
        try:
            for f in FIELDS:
                values[f] = prompter.line(tr(f"profile.{f}", lang), values.get(f, "")).strip()
        except EndOfInput:
            pass
    path = save_profile(values)
    print(tr("profile.saved", lang, file=path), file=sys.stderr)


@profile_app.command("forget", help="help.profile_forget", short_help="help.profile_forget.short")
@handle_errors
def profile_forget(lang: WizardLangOpt = None) -> None:
    """Delete the saved profile."""
    from rightscli.profile import forget_profile

    lang = check_lang(lang)
    path = forget_profile()
    print(tr("profile.forgotten", lang, file=path) if path else tr("profile.nothing", lang))
