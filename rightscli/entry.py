"""The `rights` program: import the command-line interface with the garbage collector paused, then run it.

Importing Typer, click, rich and the command modules creates some hundred thousand objects, none of them garbage.
With the collector running, their creation triggers full collections that walk all of them: 15–20 ms of every run
(measured with benchmarks/startup.py). So the collector is paused while the modules load, and what they created is
moved out of its reach (:func:`gc.freeze`: module-level objects live as long as the process anyway).

A short command (:data:`SHORT`: one case or the catalog in, one answer out) then runs with the collector still
paused: its own imports (yaml, jinja2) and the catalog it reads are again objects that live to the end, and the
process ends within a second, so there is nothing for the collector to win (a letter is ~10% faster without it).
Every other command — ``batch`` over 100,000 cases, the interactive ``wizard``, help, anything added later — runs with
the collector on, so that memory stays flat however long it runs.

Before anything is imported, the compiled regular expressions of earlier runs are handed to ``re``
(:mod:`rightscli.regex_cache`): the libraries compile some hundred patterns at import, the same ones every run. Patterns
compiled for the first time are kept when the command ends.

msgspec (every command's models) is imported here, without ``typing_extensions``: msgspec only falls back on it, and
on the Pythons rightscli runs on (3.11+) what it takes from it is what ``typing`` has (``Required``, ``NotRequired``;
``get_type_hints`` with ``include_extras=True`` returns typing's own result); importing it costs ~3 ms a run. The
module stays importable for anything else that wants it later.

The command line registers only the group of commands named in the arguments (all of them for help, a typo or
completion): the other seven groups build options and help texts that this run never shows (``lazy_commands``,
read by :mod:`rightscli.cli`).

For ``batch``, the first worker process is forked before the command line is imported (:mod:`rightscli.batch.early`):
it gets ready to run cases on the other core while this process imports Typer and the commands.

Only the console script and ``python -m rightscli`` come through here; importing :mod:`rightscli.cli` (tests, other
programs) leaves the collector and ``re`` alone.
"""

import gc
import sys

lazy_commands = False  # True while main() imports rightscli.cli: it then registers only the named command's group
SHORT = frozenset({"assess", "letter", "checklist", "next", "status", "calendar", "log", "policies", "schema"})


def main() -> None:
    global lazy_commands
    gc.disable()
    try:
        from rightscli import regex_cache

        regex_cache.install()
        if len(sys.argv) > 1 and not sys.argv[1].startswith("-"):  # a command (not help or --version): it uses msgspec
            _import_msgspec()
        from rightscli import i18n

        # The interface language is set before the command line is built: its help texts are in that language.
        given = i18n.lang_from_argv(sys.argv[1:])
        i18n.set_lang(given or i18n.default_lang(), explicit=given in i18n.LANGS)
        if len(sys.argv) > 2 and sys.argv[1] == "batch":  # its first worker gets ready while the rest is imported
            from rightscli.batch import early

            early.start(sys.argv[2:])
        lazy_commands = True  # rightscli.cli imports only the group of the command named (see there)
        try:
            from rightscli.cli import main as run
        finally:
            lazy_commands = False
    finally:
        gc.freeze()
        if not (len(sys.argv) > 1 and sys.argv[1] in SHORT):
            gc.enable()
    try:
        run()
    finally:
        regex_cache.save()


def _import_msgspec() -> None:
    """Import msgspec with ``typing_extensions`` hidden from it (see the module's description)."""
    if "msgspec" in sys.modules or "typing_extensions" in sys.modules:
        return
    sys.modules["typing_extensions"] = None  # type: ignore[assignment]  # its import raises ImportError
    try:
        import msgspec  # noqa: F401
    except ImportError:
        pass  # reported where it is first needed
    finally:
        if sys.modules.get("typing_extensions", False) is None:
            del sys.modules["typing_extensions"]
