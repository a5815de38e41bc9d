"""`rights wizard` and `rights profile show|edit|forget` (registered on the main app when imported).

Nothing heavy is imported here: the wizard package, its prompt library and the catalog load only when one of these
commands runs, so the other commands start as fast as before.
"""

import sys
from typing import Annotated

import typer

from rightscli.cli import AsOfOpt, PolicyDirOpt, app, handle_errors, parse_as_of, today_in_china
from rightscli.errors import UserError

profile_app = typer.Typer(
    help="The buyer profile (name, phone, address) that the wizard and letters reuse.", no_args_is_help=True
)
app.add_typer(profile_app, name="profile")

WizardLangOpt = Annotated[
    str | None,
    typer.Option(
        "--lang", help="Interface language: zh or en. Default: from the locale, zh where unclear.", show_default=False
    ),
]


def resolve_lang(lang: str | None) -> str:
    from rightscli.i18n import default_lang

    if lang is None:
        return default_lang()
    if lang not in ("zh", "en"):
        raise UserError(f"--lang '{lang}' is not supported; expected zh or en")
    return lang


@app.command(
    epilog="Examples:\n\n  rights wizard\n\n  rights wizard --answers partial.yaml --save case.yaml\n\n"
    "  rights wizard --no-input -s platform=taobao -s order.item=羽绒服 -s order.price=299 "
    "-s order.paid_on=2026-11-08 -s problem.kinds=changed_mind -s order.received_on=昨天"
)
@handle_errors
def wizard(
    answers: Annotated[
        str | None,
        typer.Option(
            "--answers",
            metavar="FILE",
            help="A full or partial case file (YAML or JSON): only what it "
            "lacks is asked. A file saved after Ctrl-C resumes this way.",
            show_default=False,
        ),
    ] = None,
    set_: Annotated[
        list[str] | None,
        typer.Option(
            "-s",
            "--set",
            metavar="KEY=VALUE",
            help="Answer one question: KEY is a case path such as "
            "order.price; VALUE is read by the field's type (lists comma-separated). Repeatable; "
            "stronger than --answers.",
            show_default=False,
        ),
    ] = None,
    no_input: Annotated[
        bool, typer.Option("--no-input", help="Never prompt; exit 2 listing every missing required answer.")
    ] = False,
    save: Annotated[
        str | None,
        typer.Option(
            "--save",
            metavar="FILE",
            help="Where to save the case. Default: case-<order id>.yaml in "
            "the current folder. An existing file is never replaced without asking (or --force).",
            show_default=False,
        ),
    ] = None,
    as_of: AsOfOpt = None,
    lang: WizardLangOpt = None,
    force: Annotated[bool, typer.Option("--force", help="Overwrite an existing case file without asking.")] = False,
    policy_dir: PolicyDirOpt = None,
) -> None:
    """Interview about one order: saves a case file, shows the assessment, offers to write letters."""
    from rightscli.wizard.run import Interrupted, Options, run_wizard

    options = Options(
        today=today_in_china(),
        lang=resolve_lang(lang),
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


@profile_app.command("show")
@handle_errors
def profile_show(
    json_out: Annotated[bool, typer.Option("--json", help="Print the profile as JSON.")] = False,
    lang: WizardLangOpt = None,
) -> None:
    """Show the saved buyer profile and where it is kept."""
    from rightscli.i18n import t
    from rightscli.profile import FIELDS, load_profile, profile_path

    lang = resolve_lang(lang)
    values = load_profile()
    if json_out:
        from rightscli.cli import print_json

        print_json({"file": str(profile_path()), **{f: values.get(f) for f in FIELDS}})
        return
    if not values:
        print(t("profile_none", lang))
        return
    print(f"{t('profile_file', lang)}: {profile_path()}")
    for f in FIELDS:
        print(f"{t(f'profile_{f}', lang)}: {values.get(f, '')}")


@profile_app.command("edit", epilog="Examples:\n\n  rights profile edit\n\n  rights profile edit --phone 13800138000")
@handle_errors
def profile_edit(
    name: Annotated[str | None, typer.Option("--name", help="Your name.", show_default=False)] = None,
    phone: Annotated[str | None, typer.Option("--phone", help="Your phone number.", show_default=False)] = None,
    address: Annotated[str | None, typer.Option("--address", help="Your postal address.", show_default=False)] = None,
    lang: WizardLangOpt = None,
) -> None:
    """Set your name, phone and address (asks for each unless given as options)."""
    from rightscli.i18n import t
    from rightscli.profile import FIELDS, load_profile, save_profile

    lang = resolve_lang(lang)
    values = load_profile()
    given = {"name": name, "phone": phone, "address": address}
    if any(v is not None for v in given.values()):
        values.update({k: v for k, v in given.items() if v is not None})
    else:
        from rightscli.wizard.prompts import EndOfInput, make_prompter

        prompter = make_prompter(lang, no_input=False)
        try:
            for f in FIELDS:
                values[f] = prompter.line(t(f"profile_{f}", lang), values.get(f, "")).strip()
        except EndOfInput:
            pass
    path = save_profile(values)
    print(t("profile_saved", lang, file=path), file=sys.stderr)


@profile_app.command("forget")
@handle_errors
def profile_forget(lang: WizardLangOpt = None) -> None:
    """Delete the saved profile."""
    from rightscli.i18n import t
    from rightscli.profile import forget_profile

    lang = resolve_lang(lang)
    path = forget_profile()
    print(t("profile_forgotten", lang, file=path) if path else t("profile_nothing", lang))
