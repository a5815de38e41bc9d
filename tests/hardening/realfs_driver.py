"""Run by test_real_filesystems.py inside `unshare -m` (a private mount namespace, gone when this process ends):
mounts a read-only and a full tmpfs under the folder given, runs `rights` commands against them in this process and
prints one JSON report. Not a test module.

    unshare -m --propagation private python -m tests.hardening.realfs_driver WORKDIR
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

from typer.testing import CliRunner

from rightscli.cli import app

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "refused-return.yaml"
OLD = "旧的信件：previous letter\n"


def mount(target: Path, options: str) -> None:
    target.mkdir(parents=True, exist_ok=True)
    subprocess.run(["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(target)], check=True)


def run(*args: object) -> dict[str, object]:
    result = CliRunner().invoke(app, [str(a) for a in args], catch_exceptions=False)
    return {"exit": result.exit_code, "stderr": result.stderr[-2000:]}


def listing(folder: Path) -> list[str]:
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*"))


def big_case(work: Path) -> Path:
    """A case whose letter is much larger than the full file system's free space."""
    text = EXAMPLE.read_text(encoding="utf-8")
    notes = "".join(f"  - on: 2026-11-10\n    event: contacted_merchant\n    note: {'长' * 1500}\n" for _ in range(20))
    text = text.replace("history:\n", "history:\n" + notes, 1)
    path = work / "big.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def read_only(work: Path) -> dict[str, object]:
    ro = work / "ro"
    mount(ro, "size=1m,mode=0755")
    (ro / "out.md").write_text(OLD, encoding="utf-8")
    shutil.copy(EXAMPLE, ro / "case.yaml")
    (ro / "outdir").mkdir()
    subprocess.run(["mount", "-o", "remount,ro", str(ro)], check=True)
    cases = work / "cases"
    cases.mkdir()
    shutil.copy(EXAMPLE, cases / "a.yaml")
    report = {
        "letter new": run("letter", EXAMPLE, "--to", "merchant", "-o", ro / "new.md"),
        "letter --force": run("letter", EXAMPLE, "--to", "merchant", "-o", ro / "out.md", "--force"),
        "checklist": run("checklist", EXAMPLE, "--format", "html", "-o", ro / "c.html"),
        "calendar": run("calendar", EXAMPLE, "-o", ro / "c.ics"),
        "wizard --save": run("wizard", "--answers", EXAMPLE, "--no-input", "--save", ro / "w.yaml"),
        "log": run("log", ro / "case.yaml", "complaint_regulator", "--on", "2026-11-20"),
        "batch new folder": run("batch", cases, "--to", "merchant", "--out-dir", ro / "new", "-j", "1"),
        "batch folder": run("batch", cases, "--to", "merchant", "--out-dir", ro / "outdir", "-j", "1"),
    }
    return {
        "runs": report,
        "files": listing(ro),
        "old": (ro / "out.md").read_text(encoding="utf-8"),
        "case same": (ro / "case.yaml").read_bytes() == EXAMPLE.read_bytes(),
    }


def full(work: Path) -> dict[str, object]:
    disk = work / "full"
    mount(disk, "size=256k,mode=0755")
    (disk / "out.md").write_text(OLD, encoding="utf-8")
    case = big_case(work)
    shutil.copy(case, disk / "case.yaml")
    filler = disk / "filler"
    fd = os.open(filler, os.O_WRONLY | os.O_CREAT, 0o600)
    try:  # fill what is left, then give back three pages
        while os.write(fd, b"\0" * 4096):
            pass
    except OSError:
        pass
    finally:
        os.close(fd)
    os.truncate(filler, max(0, filler.stat().st_size - 3 * 4096))
    cases = work / "bigcases"
    cases.mkdir()
    shutil.copy(case, cases / "a.yaml")
    (disk / "letters").mkdir()
    report = {
        "letter --force": run("letter", case, "--to", "merchant", "-o", disk / "out.md", "--force"),
        "letter html new": run("letter", case, "--to", "regulator", "--format", "html", "-o", disk / "new.html"),
        "log": run("log", disk / "case.yaml", "complaint_regulator", "--on", "2026-11-20"),
        "batch": run("batch", cases, "--to", "merchant", "--out-dir", disk / "letters", "-j", "1"),
        "letter with the cache on the full disk": full_cache(disk / "cache", work / "cached.md"),
    }
    return {
        "runs": report,
        "files": listing(disk),
        "old": (disk / "out.md").read_text(encoding="utf-8"),
        "case same": (disk / "case.yaml").read_bytes() == case.read_bytes(),
    }


def full_cache(cache: Path, out: Path) -> dict[str, object]:
    """`letter` with the cache folder on the full disk and no cache yet: the caches are optional, the letter is made."""
    from rightscli.letters import data, render

    os.environ["RIGHTS_CACHE_DIR"] = str(cache)
    render._ENVS.clear()
    data.load_letter_data.cache_clear()
    try:
        return run("letter", EXAMPLE, "--to", "merchant", "-o", out)
    finally:
        del os.environ["RIGHTS_CACHE_DIR"]


def main() -> None:
    work = Path(sys.argv[1])
    print(json.dumps({"read-only": read_only(work), "full": full(work)}, ensure_ascii=False))


if __name__ == "__main__":
    main()
