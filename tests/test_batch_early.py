"""rightscli.batch.early: `rights batch` with workers starts its first one before the command line is read.

Run as a user runs it (a subprocess: the console entry starts the early worker), a batch gives the same letters, the
same report and the same exit code as one run in a single process; a batch that never begins (a usage error, a bad
rule folder) leaves no process behind; a guess of the job count that the command line then reads otherwise falls
back on workers forked by the batch itself.
"""

from __future__ import annotations

import json
import os
import pickle
import subprocess
import time
import zipfile
from datetime import date
from pathlib import Path

import msgspec
import pytest

from rightscli import datafile
from rightscli.batch import early, pool, runner, sources, work
from rightscli.batch.items import Item
from rightscli.batch.work import REHEARSED, Settings, rehearse
from rightscli.clock import today_in_china
from tests.hardening.support import EXAMPLES, ROOT, rights_cmd, subprocess_env

pytestmark = pytest.mark.skipif(not pool.can_fork(), reason="workers are forked")

AS_OF = ("--as-of", "2026-11-20")


def _guess(**changes: object) -> Settings:
    """Settings as the early worker guesses them for ``--to merchant --out-dir out``."""
    fields: dict[str, object] = {
        "recipient": "merchant",
        "fmt": "md",
        "out_dir": Path("out"),
        "force": False,
        "as_of": None,
        "today": today_in_china(),
        "template_dir": None,
        "lang": "zh",
        "draft": False,
    }
    return Settings(**{**fields, **changes})  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["in.jsonl", "--to", "merchant", "-j", "3"], 3),
        (["in.jsonl", "-j2", "--to", "merchant"], 2),
        (["in.jsonl", "--jobs", "4"], 4),
        (["in.jsonl", "--jobs=3", "-j", "2"], 2),  # the last one counts, as on the command line
        (["in.jsonl", "-j", "x"], 0),  # not a number: the command line reports it
        (["in.jsonl", "-j"], 0),
        (["in.jsonl", "--", "-j", "3"], pool.default_jobs()),  # after --, nothing is an option
        (["in.jsonl", "--to", "merchant"], pool.default_jobs()),
    ],
)
def test_the_job_count_is_read_as_the_command_line_reads_it(args: list[str], expected: int) -> None:
    assert early.jobs_in(args) == expected


def _input(tmp_path: Path) -> Path:
    """The examples, each twice with its own order id, with a broken line and an invalid case among them."""
    lines = []
    for i, path in enumerate(sorted(EXAMPLES.glob("*.yaml")) * 2):
        data = datafile.load(str(path)).data
        data["order"]["id"] = f"E{i:03d}"
        lines.append(json.dumps(data, ensure_ascii=False))
    lines.insert(3, "{not json")
    bad = json.loads(lines[5])
    bad["order"]["price"] = -1
    lines.insert(7, json.dumps(bad, ensure_ascii=False))
    src = tmp_path / "cases.jsonl"
    src.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return src


def _batch(*args: object, stdin: bytes | None = None) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        rights_cmd("batch", *args),
        cwd=ROOT,
        env=subprocess_env(),
        input=stdin,
        capture_output=True,
        timeout=120,
        check=False,
    )


def _letters(folder: Path) -> dict[str, object]:
    """Each letter's content; a DOCX as its parts (a ZIP stamps each part with the time it was written)."""
    letters: dict[str, object] = {}
    for path in sorted(folder.iterdir()):
        if path.suffix == ".docx":
            with zipfile.ZipFile(path) as docx:
                letters[path.name] = {name: docx.read(name) for name in docx.namelist()}
        else:
            letters[path.name] = path.read_bytes()
    return letters


def _report(stdout: bytes, out: Path) -> list[dict[str, object]]:
    return [json.loads(line.replace(str(out).encode(), b"OUT")) for line in stdout.splitlines()]


def _left_behind(token: str) -> list[int]:
    """Processes still running whose command line holds ``token``."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit() or int(entry.name) == os.getpid():
            continue
        try:
            cmdline = (entry / "cmdline").read_bytes()
            state = (entry / "stat").read_text().rsplit(")", 1)[1].split()[0]
        except OSError:
            continue
        if token.encode() in cmdline and state not in ("Z", "X"):
            found.append(int(entry.name))
    return found


def _none_left_behind(token: str) -> None:
    deadline = time.monotonic() + 5
    while _left_behind(token) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not _left_behind(token), "a worker outlived the batch"


@pytest.mark.parametrize("fmt", ["md", "docx"])
def test_workers_started_early_write_what_one_process_writes(tmp_path: Path, fmt: str) -> None:
    src = _input(tmp_path)
    runs = {}
    for jobs in ("1", "2", "3"):
        out = tmp_path / f"out-{jobs}"
        result = _batch(src, "--to", "merchant", "--out-dir", out, "-f", fmt, "-j", jobs, "--json", *AS_OF)
        assert result.returncode == 2, result.stderr.decode()  # the broken line and the invalid case
        assert b"Traceback" not in result.stderr
        runs[jobs] = (_letters(out), _report(result.stdout, out))
        _none_left_behind(str(out))
    assert len(runs["1"][0]) == 16  # two examples ask for nothing the law supports: refused without --draft
    assert runs["2"] == runs["1"]
    assert runs["3"] == runs["1"]


def test_workers_started_early_do_not_read_a_batch_from_standard_input(tmp_path: Path) -> None:
    src = _input(tmp_path)
    one, two = tmp_path / "one", tmp_path / "two"
    first = _batch("-", "--to", "merchant", "--out-dir", one, "-j", "1", *AS_OF, stdin=src.read_bytes())
    second = _batch("-", "--to", "merchant", "--out-dir", two, "-j", "2", *AS_OF, stdin=src.read_bytes())
    assert first.returncode == second.returncode == 2
    assert _letters(one) == _letters(two)
    assert len(_letters(two)) == 16  # every case reached the batch, none was taken by a warm-up


@pytest.mark.parametrize(
    "problem",
    [
        ("--to", "nobody"),  # checked by the command
        ("--policy-dir", "no-such-folder"),  # checked when the rules are loaded, after the early worker has them
        ("--format", "pdf", "--bogus-option"),  # a usage error, before the command runs
    ],
)
def test_a_batch_that_never_begins_leaves_no_worker_behind(tmp_path: Path, problem: tuple[str, ...]) -> None:
    src = _input(tmp_path)
    out = tmp_path / "never-begun"
    args = [src, "--out-dir", out, "-j", "2", *AS_OF]
    if problem[0] != "--to":
        args += ["--to", "merchant"]
    result = _batch(*args, *problem)
    assert result.returncode == 2, result.stderr.decode()
    assert b"Traceback" not in result.stderr
    assert not out.exists() or not any(out.iterdir())
    _none_left_behind(str(out))


def test_a_wrong_guess_of_the_job_count_falls_back_on_workers_forked_by_the_batch(tmp_path: Path) -> None:
    """``--out-dir -j3``: the folder is named -j3; the early guess reads three workers, the command line none given
    (the default). The early worker is ended and the batch forks its own: the same letters."""
    src = _input(tmp_path)
    one = tmp_path / "one"
    first = _batch(src, "--to", "merchant", "--out-dir", one, "-j", "1", *AS_OF)
    guess = early.jobs_in([str(src), "--to", "merchant", "--out-dir", "-j3"])
    assert guess == 3 != pool.default_jobs()
    second = subprocess.run(
        rights_cmd("batch", src, "--to", "merchant", "--out-dir", "-j3", *AS_OF),
        cwd=tmp_path,
        env=subprocess_env(),
        capture_output=True,
        timeout=120,
        check=False,
    )
    assert first.returncode == second.returncode == 2, second.stderr.decode()
    assert _letters(tmp_path / "-j3") == _letters(one)
    _none_left_behind("-j3")


def test_a_rehearsal_writes_nothing_and_reads_no_pipe(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    src = _input(tmp_path)
    before = sorted(tmp_path.rglob("*"))
    rehearsal = rehearse(_guess(), [], str(src))
    assert rehearsal.policy_dirs == [] and rehearsal.catalog.policies
    assert len(rehearsal) == 1  # a letter kept (until() said stop after it), none written
    assert sorted(tmp_path.rglob("*")) == before
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    # A pipe would block the reader (nobody writes to it): it is not opened at all.
    assert len(rehearse(_guess(), [], str(fifo))) == 0
    assert len(rehearse(_guess(), [], "-")) == 0


def test_a_rehearsal_stops_when_told(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    src = _input(tmp_path)
    calls: list[int] = []

    def until() -> bool:
        calls.append(1)
        return len(calls) == 2

    assert len(rehearse(_guess(), [], str(src), until=until)) == 2
    assert len(calls) == 2  # two cases, then the settings were there


def test_workers_started_early_use_the_rule_folders_given(tmp_path: Path) -> None:
    """The early worker loads the rules of ``--policy-dir`` too (it reads the folders from the arguments to warm up,
    and is sent them with the settings): its letters are those of one process with the same folders."""
    rules = tmp_path / "rules"
    rules.mkdir()
    (rules / "taobao.extra.yaml").write_text(  # supports a return on Taobao: the custom-made case gets a letter
        "id: taobao.extra\ntitle: {zh: 额外规则, en: extra rule}\njurisdiction: taobao\nsummary: {zh: x, en: x}\n"
        "sources: [{document: 测试平台规则, article: 第九十九条}]\nlast_reviewed: 2026-11-01\nconfidence: verified\n"
        "when: {fact: platform, eq: taobao}\nremedies: [return_refund]\nexplanation: {zh: 说明, en: text}\n",
        encoding="utf-8",
    )
    src = _input(tmp_path)
    runs = {}
    for name, args in {
        "bundled": ["-j", "2"],
        "one": ["-j", "1", "--policy-dir", rules],
        "early": ["-j", "2", f"--policy-dir={rules}"],
    }.items():
        out = tmp_path / name
        result = _batch(src, "--to", "merchant", "--out-dir", out, *AS_OF, *args)
        assert result.returncode == 2, result.stderr.decode()
        runs[name] = _letters(out)
    assert runs["early"] == runs["one"]
    assert len(runs["early"]) == len(runs["bundled"]) + 2  # the custom-made case, twice: now a letter each
    assert all("测试平台规则".encode() in runs["early"][name] for name in set(runs["early"]) - set(runs["bundled"]))


def test_a_rehearsal_reads_only_the_first_files_of_a_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A folder of many cases is not listed and sorted in full for a warm-up: its first case files as listed."""
    folder = tmp_path / "cases"
    folder.mkdir()
    case = (EXAMPLES / "laptop-defect.yaml").read_text(encoding="utf-8")
    for i in range(100):
        (folder / f"{i:03d}.yaml").write_text(case, encoding="utf-8")
    (folder / ".hidden.yaml").write_text(case, encoding="utf-8")
    (folder / "notes.txt").write_text("not a case", encoding="utf-8")
    loaded: list[str] = []
    load = datafile.load

    def counted(path: str, *args: object, **kwargs: object) -> datafile.Document:
        loaded.append(path)
        return load(path, *args, **kwargs)  # type: ignore[arg-type]

    def listed_in_full(folder: Path) -> list[str]:
        raise AssertionError("the whole folder was listed and sorted")

    monkeypatch.setattr(datafile, "load", counted)
    monkeypatch.setattr(sources, "folder_names", listed_in_full)
    assert len(rehearse(_guess(), [], str(folder), until=lambda: False)) == 0  # only JSON Lines rows are kept
    assert len(loaded) == REHEARSED
    assert all(Path(p).suffix == ".yaml" and not Path(p).name.startswith(".") for p in loaded)


def test_rules_that_do_not_load_stop_the_batch_as_in_one_process(tmp_path: Path) -> None:
    """The early worker loads the rules for the batch: a broken rule is reported as one process reports it (every
    problem by file, line and field; exit 2), before the output folder is made."""
    rules = tmp_path / "rules"
    rules.mkdir()
    (rules / "taobao.bad.yaml").write_text("id: taobao.bad\ntitle: {zh: 坏规则}\nwhen: {fact: nope, eq: 1}\n", "utf-8")
    src = _input(tmp_path)
    results = {}
    for jobs in ("1", "2"):
        out = tmp_path / f"out-{jobs}"
        results[jobs] = _batch(src, "--to", "merchant", "--out-dir", out, "--policy-dir", rules, "-j", jobs, *AS_OF)
        assert results[jobs].returncode == 2
        assert not out.exists()
        _none_left_behind(str(out))
    assert results["2"].stderr == results["1"].stderr
    assert b"taobao.bad.yaml" in results["2"].stderr


def _rows(src: Path) -> list[Item]:
    """The input's items as a worker receives them (the pool pickles chunks)."""
    with src.open("rb") as fh:
        return [pickle.loads(pickle.dumps(item)) for item in sources.jsonl_items(fh, str(src))]


def test_a_rehearsed_letter_is_taken_only_when_nothing_it_is_made_from_differs(tmp_path: Path) -> None:
    src = _input(tmp_path)
    guess = _guess(as_of=date(2026, 11, 20), draft=True)  # every valid case gets a letter
    rehearsal = rehearse(guess, [], str(src), until=lambda: False)
    rows = [item for item in _rows(src) if item.doc is not None]
    assert len(rehearsal) == REHEARSED - 2  # of the first lines, one is not JSON and one is not a valid case
    first, second, third, fourth = rows[:4]
    letter = rehearsal.take(first, guess, rehearsal.catalog)
    assert letter is not None
    fresh = work._rendered(work._validated(first, guess), guess, rehearsal.catalog)
    assert letter.data == fresh.data and letter.warnings == fresh.warnings
    assert rehearsal.take(first, guess, rehearsal.catalog) is None  # taken once
    # Settings a letter depends on: another one is rendered again. Where it is written is not one of them.
    assert rehearsal.take(second, msgspec.structs.replace(guess, draft=False), rehearsal.catalog) is None
    assert rehearsal.take(third, msgspec.structs.replace(guess, lang="en"), rehearsal.catalog) is None
    elsewhere = msgspec.structs.replace(guess, out_dir=tmp_path / "elsewhere", force=True)
    assert rehearsal.take(fourth, elsewhere, rehearsal.catalog) is not None
    # Other rules, or other data: 1 and 1.0 are equal in Python, not in the case the letter is made from.
    again = rehearse(guess, [], str(src), until=lambda: False)
    assert again.take(first, guess, rehearsal.catalog) is None
    assert second.doc is not None
    price = second.doc.data["order"]["price"]
    assert price == int(price)
    other = float(price) if isinstance(price, int) else int(price)
    data = {**second.doc.data, "order": {**second.doc.data["order"], "price": other}}
    changed = msgspec.structs.replace(second, doc=msgspec.structs.replace(second.doc, data=data))
    assert changed == second  # as Python compares them
    assert again.take(changed, guess, again.catalog) is None
    assert again.take(third, guess, again.catalog) is not None
    assert len(again) == len(rehearsal) + 1


def test_the_early_workers_first_chunk_takes_the_rehearsed_letters(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Only the first chunk of the worker started early takes them; its letters are those rendered afresh."""
    src = _input(tmp_path)
    guess = _guess(as_of=date(2026, 11, 20), out_dir=tmp_path / "taken")
    rehearsal = rehearse(guess, [], str(src), until=lambda: False)
    rendered: list[int] = []
    render = work._rendered

    def counted(case: object, settings: Settings, catalog: object) -> object:
        rendered.append(1)
        return render(case, settings, catalog)  # type: ignore[arg-type]

    monkeypatch.setattr(work, "_rendered", counted)
    (tmp_path / "taken").mkdir()
    (tmp_path / "fresh").mkdir()
    chunk = list(runner.entries(_rows(src)[:10], guess))
    monkeypatch.setattr(runner, "_WORKER", (guess, rehearsal.catalog, os.getppid()))
    monkeypatch.setattr(runner, "_REHEARSED", [rehearsal])
    taken = runner._run_chunk(chunk)
    assert runner._REHEARSED == []  # the next chunk renders every case
    with_rehearsal = len(rendered)
    fresh = msgspec.structs.replace(guess, out_dir=tmp_path / "fresh")
    monkeypatch.setattr(runner, "_WORKER", (fresh, rehearsal.catalog, os.getppid()))
    again = runner._run_chunk(list(runner.entries(_rows(src)[:10], fresh)))
    without = len(rendered) - with_rehearsal
    assert sum(o.status == work.WRITTEN for o in taken) >= 3
    assert with_rehearsal <= without - 3  # the letters of the rehearsal were not rendered again
    assert [o.status for o in taken] == [o.status for o in again]
    assert _letters(tmp_path / "taken") == _letters(tmp_path / "fresh")


@pytest.mark.parametrize(
    "extra",
    [
        [],
        ["--as-of", "2026-11-20", "--draft", "-f", "docx"],
        ["--lang", "en", "--template-dir", "templates", "--force"],
        ["--format=pdf", "--lang=EN", "--as-of=2026-01-05"],
    ],
)
def test_the_guessed_settings_are_those_the_command_line_makes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, extra: list[str]
) -> None:
    """For the usual ways of writing the options, the letters rendered in the warm-up are used."""
    from typer.testing import CliRunner

    from rightscli.cli import app

    made: list[Settings] = []

    class Stop(Exception):
        pass

    class Capture:
        def __init__(self, settings: Settings, *args: object) -> None:
            made.append(settings)
            raise Stop

    monkeypatch.chdir(ROOT)
    monkeypatch.setattr(runner, "Runner", Capture)
    args = [str(_input(tmp_path)), "--to", "platform", "--out-dir", str(tmp_path / "out"), *extra]
    CliRunner().invoke(app, ["batch", *args])  # the command reports Stop as an internal error
    assert len(made) == 1, "the command line refused the arguments"
    assert work._letter_settings(early._guess(args)) == work._letter_settings(made[0])
