"""`main()` builds only the command named in argv[1] (rightscli.cli._app_for), for start-up speed.

What a user sees must not change: the console entry, run in a subprocess, gives the same stdout, stderr and exit code
as the full `app` (through CliRunner, and through `main()` forced onto the full app).
"""

import os
import subprocess
import sys
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from rightscli import cli

ROOT = Path(__file__).resolve().parent.parent
CASE = "examples/changed-mind-in-time.yaml"
LAZY = "import sys; from rightscli.cli import main; sys.exit(main())"
FULL = "import sys; import rightscli.cli as c; c._app_for = lambda argv: c.app; sys.exit(c.main())"

ARGS = [
    ("assess", CASE, "--json"),
    ("assess", "--help"),
    ("assess",),  # missing argument
    ("assess", CASE, "--as-of", "nope"),  # a UserError: exit 2
    ("assess", "--version"),  # a root option after the command: "No such option"
    ("policies", "list", "--json"),
    ("policies",),  # no_args_is_help on the sub-group
    ("policies", "bogus"),
    ("letter", "--help"),
    ("profile", "--help"),
    # The full app in both, by design; checked all the same.
    ("--help",),
    ("--version",),
    ("asess",),  # "No such command … Did you mean 'assess'?"
]
# Help pages: CliRunner forces an 80-column help width, a real process without a terminal gets 78; these are
# compared with `main()` on the full app in a subprocess. So is the main case, assess --json. (Fewer subprocesses
# keep the test fast; the rest is compared with CliRunner.)
HELP_PAGES = [("assess", "--help"), ("policies",), ("letter", "--help"), ("profile", "--help"), ("--help",)]
FULL_ARGS = [("assess", CASE, "--json"), *HELP_PAGES]

Runs = dict[tuple[str, tuple[str, ...]], subprocess.CompletedProcess[str]]


def _env(cache: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.endswith("_COMPLETE") and not k.startswith("_TYPER_")}
    return {**env, "RIGHTS_CACHE_DIR": str(cache), "COLUMNS": "80"}


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory) -> Runs:
    """ARGS through the console entry as is, FULL_ARGS through `main()` on the full app; all started at once."""
    cache = tmp_path_factory.mktemp("cache")
    todo = [("lazy", LAZY, args) for args in ARGS] + [("full", FULL, args) for args in FULL_ARGS]
    procs = {
        (mode, args): subprocess.Popen(
            [sys.executable, "-c", code, *args],
            cwd=ROOT,
            env=_env(cache),
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for mode, code, args in todo
    }
    done = {}
    for (mode, args), proc in procs.items():
        out, err = proc.communicate(timeout=60)
        done[mode, args] = subprocess.CompletedProcess(proc.args, proc.returncode, out, err)
    return done


def _seen(run: subprocess.CompletedProcess[str]) -> tuple[str, str, int]:
    return run.stdout, run.stderr, run.returncode


@pytest.mark.parametrize("args", FULL_ARGS, ids=" ".join)
def test_lazy_main_matches_main_on_the_full_app(args: tuple[str, ...], runs: Runs) -> None:
    assert _seen(runs["lazy", args]) == _seen(runs["full", args])


@pytest.mark.parametrize("args", [a for a in ARGS if a not in HELP_PAGES], ids=lambda a: " ".join(a))
def test_lazy_main_matches_clirunner_on_app(args: tuple[str, ...], runs: Runs, tmp_path: Path) -> None:
    full = CliRunner().invoke(cli.app, list(args), prog_name="rights", env=_env(tmp_path))
    assert _seen(runs["lazy", args]) == (full.stdout, full.stderr, full.exit_code)


def test_the_comparison_is_not_vacuous(runs: Runs) -> None:
    assess = runs["lazy", ("assess", CASE, "--json")]
    assert assess.returncode == 0 and assess.stdout.startswith("{") and assess.stderr == ""
    assert runs["lazy", ("assess", "--help")].stdout.startswith("用法：rights assess [OPTIONS] ")
    assert "您是不是想输入 'assess'" in runs["lazy", ("asess",)].stderr


@pytest.mark.parametrize(
    "argv",
    [
        ["rights"],
        ["rights", "--help"],
        ["rights", "-h", "assess"],
        ["rights", "--version"],
        ["rights", "asess"],
        ["rights", "Assess"],
        ["rights", "--install-completion"],
        ["rights", "--show-completion"],
        ["rights", "--", "assess"],
    ],
)
def test_everything_else_runs_the_full_app(argv: list[str]) -> None:
    assert cli._app_for(argv) is cli.app


@pytest.mark.parametrize("var", ["_RIGHTS_COMPLETE", "_TYPER_COMPLETE_ARGS"])
def test_shell_completion_runs_the_full_app(var: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(var, "complete_bash")
    assert cli._app_for(["rights", "assess"]) is cli.app


def test_each_top_level_name_builds_alone_and_app_is_untouched() -> None:
    commands, groups = list(cli.app.registered_commands), list(cli.app.registered_groups)
    full = typer.main.get_command(cli.app)
    assert isinstance(full, typer.core.TyperGroup)
    for name, command in full.commands.items():
        lazy_app = cli._app_for(["rights", name, "--help"])
        assert lazy_app is not cli.app, name
        lazy = typer.main.get_command(lazy_app)
        assert isinstance(lazy, typer.core.TyperGroup)
        assert list(lazy.commands) == [name]
        assert type(lazy.commands[name]) is type(command)
        assert [p.name for p in lazy.params] == [p.name for p in full.params]  # --version, completion options
        assert (lazy.name, lazy.help, lazy.context_settings) == (full.name, full.help, full.context_settings)
    assert cli.app.registered_commands == commands and cli.app.registered_groups == groups


def test_each_group_registers_the_names_it_is_listed_with() -> None:
    """rightscli.cli.GROUPS tells the console script which module to import for a command: it must say what each
    module registers (a name no group lists would still run, with every group imported)."""
    import rightscli.cli as c

    registered: dict[str, set[str]] = {}
    for command in c.app.registered_commands:
        name = command.name or typer.main.get_command_name(command.callback.__name__)  # type: ignore[union-attr]
        registered.setdefault(command.callback.__module__.rsplit(".", 1)[-1], set()).add(name)  # type: ignore[union-attr]
    for group in c.app.registered_groups:
        module = next(cmd.callback.__module__ for cmd in group.typer_instance.registered_commands)  # type: ignore[union-attr]
        registered.setdefault(module.rsplit(".", 1)[-1], set()).add(group.name)  # type: ignore[arg-type]
    assert registered == {group: set(names) for group, names in c.GROUPS.items()}


def test_the_console_script_imports_only_the_group_it_runs(tmp_path: Path) -> None:
    code = (
        "import sys\n"
        "sys.argv = ['rights', 'assess', sys.argv[1], '--json']\n"
        "from rightscli.entry import main\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "print(sorted(m.rsplit('.', 1)[-1] for m in sys.modules if m.startswith('rightscli.cli.')), file=sys.stderr)\n"
    )
    env = _env(tmp_path / "cache")
    done = subprocess.run([sys.executable, "-c", code, CASE], cwd=ROOT, env=env, capture_output=True, text=True)
    # the group's module, and what every command shares: the app and options, click's words in the interface language
    assert done.stderr.strip().splitlines()[-1] == "['assess', 'chrome', 'common']"
    full = subprocess.run(
        [sys.executable, "-c", FULL, "assess", CASE, "--json"], cwd=ROOT, env=env, capture_output=True
    )
    assert done.stdout.encode() == full.stdout
