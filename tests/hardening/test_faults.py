"""Faults while writing: a read-only or missing output folder, a full disk, failing fsync and rename, no hard links.

Every failure is exit 2 with a message naming the file; the previous file is intact and no temporary file is left.
The tests run as root here, and root ignores file permissions, so the faults are injected at the system calls of the
write path (rightscli.output and rightscli.case_edit); test_real_filesystems.py makes the same faults with real
read-only and full file systems where the sandbox allows mounting.
"""

from __future__ import annotations

import errno
import os
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.hardening.support import EXAMPLE, assert_clean, invoke

# These tests check the wording of English messages (the default interface is Chinese).
pytestmark = pytest.mark.usefixtures("english")

OLD = "旧的信件：previous letter, must survive\n"


class Proxy:
    """A stand-in for a module (os, tempfile) in one rightscli module's namespace, with some functions replaced."""

    def __init__(self, real: Any, **overrides: Callable[..., Any]) -> None:
        self._real = real
        self._overrides = overrides

    def __getattr__(self, name: str) -> Any:
        return self._overrides.get(name) or getattr(self._real, name)


def fail(code: int) -> Callable[..., Any]:
    def raiser(*args: Any, **kwargs: Any) -> Any:
        raise OSError(code, os.strerror(code))

    return raiser


def half_then_full(*args: Any, **kwargs: Any) -> Any:
    """os.fdopen whose file takes half of what is written, then reports a full disk."""
    fh = os.fdopen(*args, **kwargs)
    real_write = fh.write

    class Full:
        def __getattr__(self, name: str) -> Any:
            return getattr(fh, name)

        def __enter__(self) -> Full:
            return self

        def __exit__(self, *exc: object) -> None:
            fh.close()

        def write(self, data: bytes) -> int:
            real_write(data[: len(data) // 2])
            fh.flush()
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    return Full()


FAULTS: dict[str, dict[str, Any]] = {
    "read-only folder (mkstemp EACCES)": {"tempfile": {"mkstemp": fail(errno.EACCES)}},
    "read-only file system (mkstemp EROFS)": {"tempfile": {"mkstemp": fail(errno.EROFS)}},
    "disk full while writing": {"os": {"fdopen": half_then_full}},
    "disk full at fsync": {"os": {"fsync": fail(errno.ENOSPC)}},
    "I/O error at fsync": {"os": {"fsync": fail(errno.EIO)}},
    "quota exceeded at rename": {"os": {"replace": fail(errno.EDQUOT)}},
    "rename across devices": {"os": {"replace": fail(errno.EXDEV)}},
}


def half_then_full_write(fd: int, data: Any) -> int:
    """os.write that takes half of what is written, then reports a full disk."""
    os.write(fd, bytes(data[: len(data) // 2]))
    raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))


def _for_output(fault: dict[str, Any]) -> dict[str, Any]:
    """A fault of FAULTS as rightscli.output meets it: a new file is first opened unnamed (os.open with O_TMPFILE)
    where mkstemp would make a named one, and every file is written with os.write."""
    out = {module: dict(overrides) for module, overrides in fault.items()}
    mkstemp = fault.get("tempfile", {}).get("mkstemp")
    if mkstemp is not None:
        out.setdefault("os", {})["open"] = mkstemp
    if "fdopen" in fault.get("os", {}):
        out["os"] = {"write": half_then_full_write}
    return out


# FAULTS as rightscli.output meets them (FAULTS itself is also what rightscli.case_edit meets).
OUTPUT_FAULTS = {name: _for_output(fault) for name, fault in FAULTS.items()}
MESSAGES = ("permission denied", "Read-only", "No space left", "Input/output", "quota", "cross-device", "link")


def inject(monkeypatch: pytest.MonkeyPatch, module: str, fault: dict[str, Any]) -> None:
    for name, overrides in fault.items():
        real = os if name == "os" else tempfile
        monkeypatch.setattr(f"{module}.{name}", Proxy(real, **overrides))


def only(folder: Path) -> set[str]:
    return {p.name for p in folder.iterdir()}


COMMANDS = {
    "letter": lambda out: ["letter", EXAMPLE, "--to", "merchant", "--format", "md", "-o", out, "--force"],
    "letter docx": lambda out: ["letter", EXAMPLE, "--to", "regulator", "--format", "docx", "-o", out, "--force"],
    "checklist": lambda out: ["checklist", EXAMPLE, "--format", "html", "-o", out, "--force"],
    "calendar": lambda out: ["calendar", EXAMPLE, "-o", out, "--force"],
}


@pytest.mark.parametrize("command", list(COMMANDS))
@pytest.mark.parametrize("fault", list(FAULTS))
def test_a_failed_write_keeps_the_previous_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fault: str, command: str
) -> None:
    out = tmp_path / "out.file"
    out.write_text(OLD, encoding="utf-8")
    inject(monkeypatch, "rightscli.output", OUTPUT_FAULTS[fault])
    result = invoke(COMMANDS[command](out))
    assert_clean(result, allowed=(2,))
    assert str(out) in result.stderr and any(m in result.stderr for m in MESSAGES), result.stderr
    assert out.read_text(encoding="utf-8") == OLD
    assert only(tmp_path) == {"out.file"}, "a temporary file was left behind"


NEW_FILE_FAULTS = {
    **OUTPUT_FAULTS,
    "directory full": {"os": {"link": fail(errno.ENOSPC), "replace": fail(errno.ENOSPC)}},
}
for _name in ("quota exceeded at rename", "rename across devices"):  # a new file is linked into place, not renamed
    NEW_FILE_FAULTS[_name] = {"os": {"link": fail(errno.EDQUOT), "replace": fail(errno.EDQUOT)}}


@pytest.mark.parametrize("fault", list(NEW_FILE_FAULTS))
def test_a_failed_write_of_a_new_file_leaves_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fault: str
) -> None:
    inject(monkeypatch, "rightscli.output", NEW_FILE_FAULTS[fault])
    result = invoke(["letter", EXAMPLE, "--to", "merchant", "-o", tmp_path / "new.md"])
    assert_clean(result, allowed=(2,))
    assert only(tmp_path) == set()


def test_without_hard_links_a_new_file_is_still_written_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """File systems without hard links (FAT, some network shares): the fallback checks, then renames."""
    inject(monkeypatch, "rightscli.output", {"os": {"link": fail(errno.EPERM)}})
    out = tmp_path / "new.md"
    assert_clean(invoke(["letter", EXAMPLE, "--to", "merchant", "-o", out]), allowed=(0,))
    assert out.stat().st_size > 0 and only(tmp_path) == {"new.md"}
    again = invoke(["letter", EXAMPLE, "--to", "merchant", "-o", out])
    assert_clean(again, allowed=(2,))
    assert "already exists" in again.stderr and only(tmp_path) == {"new.md"}


@pytest.mark.parametrize("fault", list(FAULTS))
@pytest.mark.parametrize("which", ["backup", "case"])
def test_log_on_a_failing_disk_keeps_the_case_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fault: str, which: str
) -> None:
    case = tmp_path / "case.yaml"
    shutil.copy(EXAMPLE, case)
    before = case.read_bytes()
    calls = {"n": 0}
    overrides = dict(next(iter(FAULTS[fault].values())))
    target = "tempfile" if "tempfile" in FAULTS[fault] else "os"
    (name, faulty), real = next(iter(overrides.items())), (os if target == "os" else tempfile)

    def on_second_or_first(*args: Any, **kwargs: Any) -> Any:  # the backup is written first, then the case
        calls["n"] += 1
        if (calls["n"] == 1) == (which == "backup"):
            return faulty(*args, **kwargs)
        return getattr(real, name)(*args, **kwargs)

    monkeypatch.setattr(f"rightscli.case_edit.{target}", Proxy(real, **{name: on_second_or_first}))
    result = invoke(["log", case, "complaint_regulator", "--on", "2026-11-20"])
    assert_clean(result, allowed=(2,))
    assert case.read_bytes() == before, "the case file was damaged"
    left = only(tmp_path) - {"case.yaml", "case.yaml.bak"}
    assert not left, f"temporary files left: {left}"
    if (tmp_path / "case.yaml.bak").exists():
        assert (tmp_path / "case.yaml.bak").read_bytes() == before


def test_batch_on_a_full_disk_reports_each_case_and_leaves_no_temporary_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cases = tmp_path / "cases"
    cases.mkdir()
    for name in ("a", "b"):
        shutil.copy(EXAMPLE, cases / f"{name}.yaml")
    out = tmp_path / "out"
    inject(monkeypatch, "rightscli.output", OUTPUT_FAULTS["disk full while writing"])
    result = invoke(["batch", cases, "--to", "merchant", "--out-dir", out, "-j", "1", "--json"])
    assert_clean(result, allowed=(2,))
    assert result.stdout.count('"failed"') == 2 and "No space left" in result.stdout
    assert list(out.iterdir()) == []


MISSING = {
    "letter -o": lambda d: ["letter", EXAMPLE, "--to", "merchant", "-o", d / "x.md"],
    "letter docx": lambda d: ["letter", EXAMPLE, "--to", "merchant", "--format", "docx", "-o", d / "x.docx"],
    "checklist -o": lambda d: ["checklist", EXAMPLE, "-o", d / "x.html"],
    "calendar -o": lambda d: ["calendar", EXAMPLE, "-o", d / "x.ics"],
    "wizard --save": lambda d: ["wizard", "--answers", EXAMPLE, "--no-input", "--save", d / "x.yaml"],
    "batch --out-dir": lambda d: ["batch", EXAMPLE.parent, "--to", "merchant", "--out-dir", d / "out", "-j", "1"],
}


@pytest.mark.parametrize("command", list(MISSING))
def test_a_missing_output_folder_is_an_error_before_any_work(tmp_path: Path, command: str) -> None:
    missing = tmp_path / "no" / "such" / "folder"
    result = invoke(MISSING[command](missing), env={"RIGHTS_CONFIG_DIR": str(tmp_path / "config")})
    assert_clean(result, allowed=(2,))
    assert "does not exist" in result.stderr
    assert not (tmp_path / "no").exists()


@pytest.mark.parametrize("command", ["letter -o", "checklist -o", "calendar -o", "wizard --save"])
def test_an_output_path_that_is_a_folder_or_under_a_file(tmp_path: Path, command: str) -> None:
    file = tmp_path / "file"
    file.write_text("x", encoding="utf-8")
    folders = tmp_path / "d"
    for name in ("x.md", "x.html", "x.ics", "x.yaml"):
        (folders / name).mkdir(parents=True)
    for parent, expected in [(folders, ("is a folder", "already exists")), (file, ("is not a folder",))]:
        result = invoke(MISSING[command](parent), env={"RIGHTS_CONFIG_DIR": str(tmp_path / "config")})
        assert_clean(result, allowed=(2,))
        assert any(e in result.stderr for e in expected), result.stderr
    assert file.read_text(encoding="utf-8") == "x"


@pytest.mark.parametrize("kind", ["fifo", "device"])
@pytest.mark.parametrize("command", ["letter", "calendar", "checklist"])
def test_force_never_replaces_a_device_or_pipe(tmp_path: Path, kind: str, command: str) -> None:
    """`-o /dev/null --force` as root used to replace /dev/null with a regular file (fixed in rightscli.output)."""
    target = tmp_path / "special"
    if kind == "fifo":
        os.mkfifo(target)
    else:
        try:
            os.mknod(target, 0o644 | 0o020000, os.makedev(1, 3))  # a character device: /dev/null's numbers
        except PermissionError:
            pytest.skip("mknod needs CAP_MKNOD")
    before = os.lstat(target)
    result = invoke(COMMANDS[command](target))
    assert_clean(result, allowed=(2,))
    assert "device, pipe or socket" in result.stderr
    after = os.lstat(target)
    assert (after.st_mode, after.st_ino, after.st_rdev) == (before.st_mode, before.st_ino, before.st_rdev)
    assert only(tmp_path) == {"special"}


def test_force_replaces_a_symlink_and_never_writes_through_it(tmp_path: Path) -> None:
    outside = tmp_path / "outside.txt"
    outside.write_text("not yours", encoding="utf-8")
    link = tmp_path / "letters" / "letter.md"
    link.parent.mkdir()
    link.symlink_to(outside)
    refused = invoke(["letter", EXAMPLE, "--to", "merchant", "-o", link])
    assert_clean(refused, allowed=(2,))
    assert outside.read_text(encoding="utf-8") == "not yours" and link.is_symlink()
    forced = invoke(["letter", EXAMPLE, "--to", "merchant", "-o", link, "--force"])
    assert_clean(forced, allowed=(0,))
    assert outside.read_text(encoding="utf-8") == "not yours"
    assert not link.is_symlink() and "催告函" in link.read_text(encoding="utf-8")
