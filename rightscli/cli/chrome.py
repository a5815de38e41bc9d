"""The words of the command-line library itself (Typer and its vendored click) in the interface language: "Usage:",
"Options", "Show this message and exit.", "[required]", and its usage errors ("Missing argument", "No such option").

Typer 0.28 formats its help with a few strings passed through :func:`gettext.gettext` (``typer.core._``) and a few
written into the code (the usage prefix, the help option, the completion options, the usage errors). :func:`install`
replaces those few places, once per process, by functions that look the words up in the catalogue of the language
in use at the moment they run (so one process can show both languages, as the tests do). Nothing is imported for
this: Typer is already loaded when the command line is built. If a later Typer moves these places, the patch is
skipped and the words stay English (tests/test_i18n.py notices).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from rightscli.i18n import get_lang, tr

# Typer's gettext message ids → catalogue keys.
GETTEXT = {
    "Arguments": "click.arguments",
    "Options": "click.options",
    "Commands": "click.commands",
    "default: {default}": "click.default",
    "required": "click.required",
    "env var: {var}": "click.env_var",
    "(dynamic)": "click.dynamic",
    "Aborted!": "click.aborted",
    "Missing command.": "click.missing_command",
    "No such command {name!r}.": "click.no_such_command",
}
_installed = False
# Click's wording of its usage errors, read (compiled on first use: none is needed on a run without an error).
_PATTERNS = {
    "extra_args": r"Got unexpected extra arguments? \((.*)\)$",
    "not_valid": r"^'?(.*?)'? is not a valid (int range|integer|float range|float|boolean)\b",
    "range": r"^'?(.*?)'? is not in the range (.*?)\.?$",
    "did_you_mean": r"^(.*)\. Did you mean (.*)\?$",
}


def _match(name: str, text: str) -> re.Match[str] | None:
    return re.match(_PATTERNS[name], text, re.S)


# -- help texts: catalogue keys, put in words when they are shown --------------------------------------------------
# The commands give Typer keys (help="help.assess"); the key is looked up when click formats the help, so that a run
# that shows no help never reads the catalogue for it. Keys whose text has placeholders get them from here.
HELP_VALUES: dict[str, Callable[[], dict[str, Any]]] = {}


class _Translated:
    """A help, epilog or short_help attribute of a click command or parameter: stored as given (a catalogue key such
    as ``help.assess``), read as its text in the interface language of the moment."""

    def __init__(self, name: str) -> None:
        self.name = name

    def __get__(self, obj: Any, owner: Any = None) -> Any:
        if obj is None:
            return self
        value = obj.__dict__.get(self.name)
        if isinstance(value, str) and value.startswith("help.") and " " not in value:
            provider = HELP_VALUES.get(value)
            return tr(value, **provider()) if provider else tr(value)
        return value

    def __set__(self, obj: Any, value: Any) -> None:
        obj.__dict__[self.name] = value


def _gettext(message: str) -> str:
    key = GETTEXT.get(message)
    if key is None or get_lang() == "en":
        return message
    return tr(key).replace("{name}", "{name!r}") if key == "click.no_such_command" else tr(key)


def usage_error_message(exc: Any) -> str:
    """The message of a click usage error, in the interface language."""
    from typer._click import exceptions as cx

    if get_lang() == "en":
        return exc.format_message()
    if isinstance(exc, cx.NoSuchOption):
        text = tr("click.no_such_option", name=exc.option_name)
        if exc.possibilities:
            text += tr("click.possible", options=", ".join(sorted(exc.possibilities)))
        return text
    if isinstance(exc, cx.MissingParameter):
        hint = _param_hint(exc)
        kind = exc.param_type or (exc.param.param_type_name if exc.param is not None else "parameter")
        key = {"argument": "click.missing_argument", "option": "click.missing_option"}.get(kind, "click.missing")
        return tr(key, name=hint or "")
    if isinstance(exc, cx.BadOptionUsage) and "requires an argument" in exc.message:
        return tr("click.needs_value", name=exc.option_name)
    if isinstance(exc, cx.BadParameter):
        hint = _param_hint(exc)
        return tr("click.bad_value", name=hint or "", message=_type_message(exc.message))
    extra = _match("extra_args", exc.message or "")
    if extra:
        return tr("click.extra_args", args=extra.group(1))
    suggested = _match("did_you_mean", exc.message or "")
    if suggested:  # Typer's hint after "No such command" (whose first part is already translated)
        return tr("click.did_you_mean", message=suggested.group(1), suggestions=suggested.group(2))
    return exc.format_message()


def _type_message(message: str) -> str:
    """Click's words for a value of the wrong type ("'x' is not a valid integer"), in Chinese where known."""
    bad = _match("not_valid", message)
    if bad:
        kind = "float" if bad.group(2).startswith("float") else "bool" if bad.group(2) == "boolean" else "int"
        return tr("click.not_valid", value=bad.group(1), kind=tr(f"file.kind_{kind}"))
    out = _match("range", message)
    if out:
        return tr("click.out_of_range", value=out.group(1), range=out.group(2))
    return message


def _param_hint(exc: Any) -> str | None:
    """How click names the parameter of a BadParameter (``'--jobs'``, ``'CASE'``)."""
    hint = exc.param_hint
    if hint is None and exc.param is not None:
        hint = exc.param.get_error_hint(exc.ctx)
    return " / ".join(hint) if isinstance(hint, (list, tuple)) else hint


def _show_usage_error(self: Any, file: Any = None) -> None:
    from typer._click.utils import echo

    if get_lang() == "en":
        _ORIGINAL["usage_show"](self, file)
        return
    hint = ""
    if self.ctx is not None and self.ctx.command.get_help_option(self.ctx) is not None:
        hint = tr("click.try_help", command=f"{self.ctx.command_path} {self.ctx.help_option_names[0]}") + "\n"
    color = None
    if self.ctx is not None:
        color = self.ctx.color
        echo(f"{self.ctx.get_usage()}\n{hint}", file=file, err=file is None, color=color)
    echo(tr("err.prefix") + usage_error_message(self), file=file, err=file is None, color=color)


def _write_usage(self: Any, prog: str, args: str = "", prefix: str | None = None) -> None:
    if prefix is None and get_lang() != "en":
        prefix = tr("click.usage")
    _ORIGINAL["write_usage"](self, prog, args, prefix)


def _write_heading(self: Any, heading: str) -> None:
    if get_lang() == "en":
        _ORIGINAL["write_heading"](self, heading)
        return
    self.write(f"{'':>{self.current_indent}}{heading}{tr('click.heading_colon')}\n")


def _wrap_text(
    text: str, width: int = 78, initial_indent: str = "", subsequent_indent: str = "", preserve_paragraphs: bool = False
) -> str:
    """Click's wrap_text, with Chinese text broken between characters (by cells, never before ，。 etc.)."""
    from rightscli.i18n.wrap import has_wide, wrap

    if not has_wide(text):
        return _ORIGINAL["wrap_text"](text, width, initial_indent, subsequent_indent, preserve_paragraphs)
    if not preserve_paragraphs:
        return "\n".join(wrap(" ".join(text.split("\n")), width, indent=initial_indent, subsequent=subsequent_indent))
    out: list[str] = []
    for block in text.expandtabs().split("\n\n"):
        lines = block.split("\n")
        if lines and lines[0].strip() == "\b":
            out.append("\n".join(lines[1:]))
            continue
        stripped = block.lstrip(" ")
        extra = " " * (len(block) - len(stripped))
        body = " ".join(line.strip() for line in stripped.split("\n"))
        out.append("\n".join(wrap(body, width, indent=initial_indent + extra, subsequent=subsequent_indent + extra)))
    return "\n\n".join(out)


def _help_option(param_decls: list[str]) -> Any:
    decorator = _ORIGINAL["help_option"](param_decls)

    def apply(command: Any) -> Any:
        command = decorator(command)
        if command.params:
            command.params[-1].help = "help.help_option"  # a key, put in words only if the help is shown
        return command

    return apply


_ORIGINAL: dict[str, Any] = {}


def install() -> None:
    """Route Typer's own words through the catalogue (idempotent)."""
    global _installed
    if _installed:
        return
    _installed = True
    try:
        import typer.completion
        import typer.core
        from typer._click import decorators, exceptions, formatting
    except ImportError:  # pragma: no cover - another Typer layout: its words stay English
        return
    typer.core._ = _gettext  # type: ignore[attr-defined]
    from typer._click import core as click_core

    for cls, names in (
        (click_core.Command, ("help", "epilog", "short_help")),
        (typer.core.TyperArgument, ("help",)),
        (typer.core.TyperOption, ("help",)),  # the commands' options and click's own --help
    ):
        for name in names:
            setattr(cls, name, _Translated(name))
    _ORIGINAL["usage_show"] = exceptions.UsageError.show
    exceptions.UsageError.show = _show_usage_error  # type: ignore[method-assign]
    _ORIGINAL["write_usage"] = formatting.HelpFormatter.write_usage
    formatting.HelpFormatter.write_usage = _write_usage  # type: ignore[method-assign]
    _ORIGINAL["wrap_text"] = formatting.wrap_text
    formatting.wrap_text = _wrap_text  # type: ignore[assignment]
    _ORIGINAL["write_heading"] = formatting.HelpFormatter.write_heading
    formatting.HelpFormatter.write_heading = _write_heading  # type: ignore[method-assign]
    _ORIGINAL["help_option"] = decorators.help_option
    decorators.help_option = _help_option  # type: ignore[assignment]
    _completion_help()


def _completion_help() -> None:
    """The help of --install-completion / --show-completion: the defaults of Typer's placeholder function, given
    catalogue keys that click puts in words when it shows them (as every other help text)."""
    import inspect

    import typer.completion

    func = getattr(typer.completion, "_install_completion_placeholder_function", None)
    if func is None:  # pragma: no cover
        return
    for name, key in (("install_completion", "help.install_completion"), ("show_completion", "help.show_completion")):
        info = getattr(inspect.signature(func).parameters.get(name), "default", None)
        if info is not None and hasattr(info, "help"):
            info.help = key
