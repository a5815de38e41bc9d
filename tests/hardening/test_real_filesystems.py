"""Real read-only and full file systems (tmpfs in a private mount namespace, see realfs_driver.py): root cannot write
to a read-only mount, and a 256 KiB tmpfs fills up for real. Skipped where `unshare -m` and `mount` are not allowed;
test_faults.py injects the same faults without mounting.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys

import pytest

from tests.hardening.support import ROOT, subprocess_env

OLD = "旧的信件：previous letter\n"


def can_mount() -> bool:
    if not shutil.which("unshare") or not shutil.which("mount"):
        return False
    probe = subprocess.run(
        ["unshare", "-m", "--propagation", "private", "sh", "-c", "mount -t tmpfs -o size=4k tmpfs /mnt"],
        capture_output=True,
        check=False,
    )
    return probe.returncode == 0


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> dict:
    if not can_mount():
        pytest.skip("needs `unshare -m` and `mount` (root with CAP_SYS_ADMIN)")
    work = tmp_path_factory.mktemp("realfs")
    config = tmp_path_factory.mktemp("config")
    driver = [sys.executable, "-m", "tests.hardening.realfs_driver", str(work)]
    result = subprocess.run(
        ["unshare", "-m", "--propagation", "private", *driver],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=subprocess_env(RIGHTS_CONFIG_DIR=str(config)),
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    assert not list((work / "ro").iterdir()), "the mounts stayed inside the namespace"
    return json.loads(result.stdout)


def check_refused(run: dict, *expected: str) -> None:
    assert run["exit"] == 2, run
    assert "Traceback" not in run["stderr"] and "internal error" not in run["stderr"]
    assert any(e in run["stderr"] for e in expected), run["stderr"]


@pytest.mark.parametrize(
    "command",
    [
        "letter new",
        "letter --force",
        "checklist",
        "calendar",
        "wizard --save",
        "log",
        "batch new folder",
        "batch folder",
    ],
)
def test_a_read_only_file_system_is_an_error_and_nothing_changes(report: dict, command: str) -> None:
    ro = report["read-only"]
    check_refused(ro["runs"][command], "文件系统是只读的")  # the Chinese interface, the reason in its words too
    assert ro["files"] == ["case.yaml", "out.md", "outdir"]
    assert ro["old"] == OLD
    assert ro["case same"]


@pytest.mark.parametrize("command", ["letter --force", "letter html new", "log", "batch"])
def test_a_full_disk_is_an_error_the_old_file_survives_and_no_temporary_file_is_left(
    report: dict, command: str
) -> None:
    full = report["full"]
    check_refused(full["runs"][command], "磁盘空间已满")
    files = [f for f in full["files"] if f.split("/")[0] != "cache"]  # what the caches could make (see below)
    assert sorted(files) == ["case.yaml", "filler", "letters", "out.md"], full["files"]
    assert full["old"] == OLD
    assert full["case same"]


def test_a_full_disk_under_the_cache_folder_does_not_stop_a_letter(report: dict) -> None:
    """The catalog, letter-data and compiled-template caches cannot be written on a full disk: the letter is made
    from the files themselves, exit 0 (test_output_edges.py injects the same fault without mounting)."""
    run = report["full"]["runs"]["letter with the cache on the full disk"]
    assert run["exit"] == 0, run
    assert not [f for f in report["full"]["files"] if f.endswith(".tmp")], report["full"]["files"]
