"""Where the output cannot go as asked: a link to a device at the output path, a name too long for the file system,
standard output on a full device or closed (`>&-`), standard input closed (`<&-`), a config folder that cannot be
created, a full disk under the cache folder. Each ends with exit 0 or 2 and a message; never exit 1 or a traceback.

The commands that need a real process (closed or full standard streams) run at the same time, with the network shim.
"""

from __future__ import annotations

import errno
import os
import shlex
import subprocess
from pathlib import Path
from typing import Any

import pytest

from tests.hardening.support import EXAMPLE, ROOT, assert_clean, invoke, rights_cmd, run_rights, subprocess_env

NOISE = ("Traceback", "internal error", "Exception ignored")
pytestmark = pytest.mark.usefixtures("english")  # the tests read English messages


def outputs(d: Path) -> dict[str, list[Any]]:
    """Commands that write a file, each given the path ``d / "out"`` plus a suffix it accepts."""
    return {
        "letter": ["letter", EXAMPLE, "--to", "merchant", "--format", "md", "-o", d / "out.md"],
        "checklist": ["checklist", EXAMPLE, "--format", "md", "-o", d / "out.md"],
        "calendar": ["calendar", EXAMPLE, "-o", d / "out.ics"],
        "wizard": ["wizard", "--answers", EXAMPLE, "--no-input", "--save", d / "out.yaml"],
    }


# -- links at the output path ------------------------------------------------------------------------------------------
@pytest.mark.parametrize("target", ["device", "fifo", "dangling", "folder"])
@pytest.mark.parametrize("command", ["letter", "checklist", "calendar", "wizard"])
def test_force_never_replaces_a_link_to_anything_but_a_regular_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, command: str, target: str
) -> None:
    """`-o /dev/stdout --force` as root replaced the link /dev/stdout with a regular file. A link whose target is not
    a regular file (a device, a pipe, nothing, a folder) is left alone, even with --force."""
    monkeypatch.setenv("RIGHTS_CONFIG_DIR", str(tmp_path / "config"))
    pointee = {"device": Path("/dev/null"), "dangling": tmp_path / "nothing", "folder": tmp_path}.get(target)
    if target == "fifo":
        pointee = tmp_path / "pipe"
        os.mkfifo(pointee)
    args = outputs(tmp_path)[command]
    link = Path(args[-1])
    link.symlink_to(pointee)  # type: ignore[arg-type]
    result = invoke([*args, "--force"])
    assert_clean(result, allowed=(2,))
    assert any(m in result.stderr for m in ("not to a regular file", "device, pipe", "is a folder")), result.stderr
    assert link.is_symlink() and os.readlink(link) == str(pointee)
    assert not list(tmp_path.glob(".out.*.tmp"))


def test_a_link_shaped_like_dev_stdout_is_never_replaced(tmp_path: Path) -> None:
    """The same as /dev/stdout (a link to /proc/self/fd/1), here in a folder of the test's own: standard output is a
    pipe, so the link leads to a pipe and is left alone; `-o -` is the way to write to standard output."""
    link = tmp_path / "stdout"
    link.symlink_to("/proc/self/fd/1")
    result = run_rights(
        "letter", EXAMPLE, "--to", "merchant", "-o", link, "--force", env=subprocess_env(RIGHTS_LANG="en")
    )
    assert result.returncode == 2, result.stderr
    assert "-o -" in result.stderr
    assert link.is_symlink() and os.readlink(link) == "/proc/self/fd/1"


def test_force_still_replaces_a_link_to_a_regular_file(tmp_path: Path) -> None:
    outside = tmp_path / "outside.md"
    outside.write_text("old", encoding="utf-8")
    link = tmp_path / "letter.md"
    link.symlink_to(outside)
    assert_clean(invoke(["letter", EXAMPLE, "--to", "merchant", "-o", link, "--force"]), allowed=(0,))
    assert not link.is_symlink() and outside.read_text(encoding="utf-8") == "old"


# -- names too long ----------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("command", ["letter", "checklist", "calendar", "wizard"])
def test_an_output_name_longer_than_the_file_system_allows(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, command: str
) -> None:
    monkeypatch.setenv("RIGHTS_CONFIG_DIR", str(tmp_path / "config"))
    args = outputs(tmp_path)[command]
    long = Path(args[-1]).with_name("信" * 100 + Path(args[-1]).name)  # 300 bytes and more
    result = invoke([*args[:-1], long])
    assert_clean(result, allowed=(2,))
    assert "too long" in result.stderr.lower(), result.stderr
    assert [p.name for p in tmp_path.iterdir() if p.name != "config"] == []


def test_a_batch_of_orders_with_very_long_ids_gets_names_that_fit(tmp_path: Path) -> None:
    import json

    from rightscli import datafile

    case = datafile.load(str(EXAMPLE)).data
    case["order"]["id"] = "单" * 200
    src = tmp_path / "cases.jsonl"
    src.write_text(json.dumps(case, ensure_ascii=False) + "\n", encoding="utf-8")
    result = invoke(["batch", src, "--to", "merchant", "--out-dir", tmp_path / "out", "-j", "1"])
    assert_clean(result, allowed=(0,))
    (letter,) = (tmp_path / "out").iterdir()
    assert len(letter.name.encode()) <= 255


# -- standard streams --------------------------------------------------------------------------------------------------
STREAM_RUNS = {
    # name: (shell redirection, args, exit codes allowed, a word the message must hold when the exit is 2)
    "assess >/dev/full": (">/dev/full", ["assess", EXAMPLE], (2,), "No space left"),
    "assess --json >/dev/full": (">/dev/full", ["assess", EXAMPLE, "--json"], (2,), "No space left"),
    "letter >/dev/full": (">/dev/full", ["letter", EXAMPLE, "--to", "merchant"], (2,), "No space left"),
    "policies list >/dev/full": (">/dev/full", ["policies", "list"], (2,), "No space left"),
    "--help >/dev/full": (">/dev/full", ["--help"], (2,), "No space left"),
    "assess >&-": (">&-", ["assess", EXAMPLE], (2,), "standard output"),
    "letter >&-": (">&-", ["letter", EXAMPLE, "--to", "merchant"], (2,), "standard output"),
    "next --json >&-": (">&-", ["next", EXAMPLE, "--json"], (2,), "standard output"),
    "--version >&-": (">&-", ["--version"], (2,), "standard output"),
    "letter -o FILE >&-": (">&-", ["letter", EXAMPLE, "--to", "merchant", "-o", "{tmp}/closed.md"], (0,), ""),
    "assess - <&-": ("<&-", ["assess", "-"], (2,), "standard input"),
    "batch - <&-": ("<&-", ["batch", "-", "--to", "merchant", "--out-dir", "{tmp}/b"], (2,), "standard input"),
    "wizard <&-": ("<&-", ["wizard", "--save", "{tmp}/w.yaml"], (2,), "Input ended"),
    "profile edit <&-": ("<&-", ["profile", "edit"], (0, 2), "standard input"),
    "wizard --answers - <&-": ("<&-", ["wizard", "--answers", "-", "--no-input"], (2,), "standard input"),
}


@pytest.fixture(scope="module")
def stream_runs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[int, str]]:
    tmp = tmp_path_factory.mktemp("streams")
    env = subprocess_env(RIGHTS_CONFIG_DIR=str(tmp / "config"), RIGHTS_LANG="en")
    started = {}
    for name, (redirect, args, _, _) in STREAM_RUNS.items():
        command = shlex.join(rights_cmd(*(str(a).format(tmp=tmp) for a in args)))
        started[name] = subprocess.Popen(
            ["bash", "-c", f"exec {command} {redirect}"], stderr=subprocess.PIPE, cwd=ROOT, env=env
        )
    done = {}
    for name, proc in started.items():
        _, err = proc.communicate(timeout=60)
        done[name] = (proc.returncode, err.decode("utf-8", "replace"))
    return done


@pytest.mark.parametrize("name", list(STREAM_RUNS))
def test_standard_streams_that_are_full_or_closed(stream_runs: dict[str, tuple[int, str]], name: str) -> None:
    code, stderr = stream_runs[name]
    _, _, allowed, word = STREAM_RUNS[name]
    assert code in allowed, (code, stderr)
    assert not any(noise in stderr for noise in NOISE), stderr
    if code == 2:
        assert "rights: error:" in stderr and word in stderr, stderr


# -- the config folder and the cache -----------------------------------------------------------------------------------
@pytest.mark.parametrize("where", ["under a file", "in /proc"])
def test_profile_edit_with_a_config_folder_that_cannot_be_made(tmp_path: Path, where: str) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x", encoding="utf-8")
    folder = blocker / "config" if where == "under a file" else Path("/proc/rights-no-such-folder/config")
    result = invoke(["profile", "edit", "--name", "张三"], env={"RIGHTS_CONFIG_DIR": str(folder)})
    assert_clean(result, allowed=(2,))
    assert str(folder) in result.stderr
    assert blocker.read_text(encoding="utf-8") == "x"


def test_a_full_disk_under_the_cache_folder_does_not_stop_a_letter(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The caches are optional: when they cannot be written (ENOSPC on every write under the cache folder), the
    letter is still made (exit 0), from the files themselves."""
    import jinja2.bccache

    from rightscli import catalog_cache
    from rightscli.letters import data, render

    cache = tmp_path / "cache"
    monkeypatch.setenv("RIGHTS_CACHE_DIR", str(cache))
    monkeypatch.setattr(render, "_ENVS", {})
    data.load_letter_data.cache_clear()
    real_open = os.open

    def full_under_cache(path: Any, flags: int, *args: Any, **kwargs: Any) -> int:
        if str(path).startswith(str(cache)) and flags & (os.O_WRONLY | os.O_RDWR):
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(path))
        return real_open(path, flags, *args, **kwargs)

    monkeypatch.setattr(os, "open", full_under_cache)  # tempfile.mkstemp and NamedTemporaryFile open through os.open
    assert jinja2.bccache.os is os and catalog_cache.os is os
    out = tmp_path / "letter.md"
    result = invoke(["letter", EXAMPLE, "--to", "merchant", "-o", out])
    data.load_letter_data.cache_clear()
    assert_clean(result, allowed=(0,))
    assert "催告函" in out.read_text(encoding="utf-8")
