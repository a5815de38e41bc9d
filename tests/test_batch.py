"""`rights batch` through the CLI: JSON Lines, CSV, a folder and stdin; bad rows by line; names; --force; --json."""

from __future__ import annotations

import copy
import json
import os
import stat
import sys
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from rightscli.cli import app

# These tests check the wording of English messages (the default interface is Chinese).
pytestmark = pytest.mark.usefixtures("english")

ROOT = Path(__file__).parent.parent
EXAMPLES = sorted((ROOT / "examples").glob("*.yaml"))
CASE: dict[str, Any] = {
    "platform": "taobao",
    "buyer": {"name": "张三", "phone": "13800138000"},
    "merchant": {"name": "某某服饰店"},
    "order": {
        "id": "100000000001",
        "item": "羊毛大衣",
        "category": "clothing",
        "price": 299.0,
        "paid_on": "2026-11-08",
        "received_on": "2026-11-12",
    },
    "problem": {"kinds": ["changed_mind"], "discovered_on": "2026-11-12", "item_condition": "unused"},
    "wants": ["return_refund"],
    "evidence": ["order_record"],
}
AS_OF = ("--as-of", "2026-11-15")


def case(order_id: str | None = "100000000001", **changes: Any) -> dict[str, Any]:
    data = copy.deepcopy(CASE)
    if order_id is None:
        del data["order"]["id"]
    else:
        data["order"]["id"] = order_id
    for path, value in changes.items():
        section, _, key = path.partition("__")
        if key:
            data[section][key] = value
        else:
            data[section] = value
    return data


def jsonl(*cases: dict[str, Any] | str) -> str:
    return "".join((c if isinstance(c, str) else json.dumps(c, ensure_ascii=False)) + "\n" for c in cases)


def run(*args: str, stdin: str | bytes | None = None) -> Any:
    return CliRunner().invoke(app, ["batch", *args], input=stdin, catch_exceptions=False)


def records(stdout: str) -> list[dict[str, Any]]:
    return [json.loads(line) for line in stdout.splitlines()]


def test_jsonl_bad_row_in_the_middle_is_reported_by_line_and_the_rest_are_written(tmp_path: Path) -> None:
    src = tmp_path / "cases.jsonl"
    bad = case("2", order__price=-1)
    src.write_text(jsonl(case("1"), "", bad, "{not json", case("3")), encoding="utf-8")
    out = tmp_path / "out"
    result = run(str(src), "--to", "merchant", "--out-dir", str(out), *AS_OF, "-j", "1")
    assert result.exit_code == 2, result.stderr
    assert f"{src}:3, field 'order.price': -1 is negative" in result.stderr
    assert f"{src}:4: is not valid JSON" in result.stderr
    assert "Traceback" not in result.stderr
    assert sorted(p.name for p in out.iterdir()) == ["1-merchant.md", "3-merchant.md"]
    assert "# 催告函" in (out / "3-merchant.md").read_text("utf-8")
    assert "written" in result.stdout or "已写入" in result.stdout  # the summary, on stdout without --json


def test_files_are_private_and_the_folder_is_created(tmp_path: Path) -> None:
    src = tmp_path / "cases.jsonl"
    src.write_text(jsonl(case("1"), case("2")), encoding="utf-8")
    out = tmp_path / "letters"
    result = run(str(src), "--to", "platform", "--out-dir", str(out), *AS_OF, "--format", "txt")
    assert result.exit_code == 0, result.stderr
    assert stat.S_IMODE(out.stat().st_mode) == 0o700
    for name in ("1-platform.txt", "2-platform.txt"):
        assert stat.S_IMODE((out / name).stat().st_mode) == 0o600
    assert not [p for p in out.iterdir() if p.name.startswith(".")]  # no temporary files left


def test_json_lines_on_stdout_summary_on_stderr(tmp_path: Path) -> None:
    src = tmp_path / "cases.jsonl"
    src.write_text(jsonl(case("1"), case("2", order__paid_on="2026-02-30")), encoding="utf-8")
    out = tmp_path / "out"
    result = run(str(src), "--to", "merchant", "--out-dir", str(out), *AS_OF, "--json", "--lang", "en")
    assert result.exit_code == 2
    first, second = records(result.stdout)  # nothing but JSON Lines on stdout
    assert set(first) == {"input", "line", "status", "output", "order_id", "errors", "warnings"}
    assert first["status"] == "written" and first["line"] == 1 and first["errors"] == []
    assert first["output"] == str(out / "1-merchant.md") and first["order_id"] == "1"
    assert second["status"] == "failed" and second["output"] is None and second["line"] == 2
    assert second["errors"] == [
        {
            "file": str(src),
            "line": 2,
            "field": "order.paid_on",
            "message": "'2026-02-30' is not a real date; expected a date like 2026-11-15",
        }
    ]
    assert "written" in result.stderr and "failed" in result.stderr  # the summary table


def test_names_are_sanitised_and_made_unique(tmp_path: Path) -> None:
    src = tmp_path / "cases.jsonl"
    rows = [case("A1"), case("a1"), case("A1"), case("../../etc/passwd"), case(".hidden"), case(None), case("订单/7")]
    src.write_text(jsonl(*rows), encoding="utf-8")
    out = tmp_path / "out"
    result = run(str(src), "--to", "merchant", "--out-dir", str(out), *AS_OF, "--json")
    assert result.exit_code == 0, result.stderr
    names = [Path(r["output"]).name for r in records(result.stdout)]
    assert names == [
        "A1-merchant.md",
        "a1-merchant-2.md",  # names differing only in case are one file on macOS and Windows
        "A1-merchant-3.md",
        "etc_passwd-merchant.md",
        "hidden-merchant.md",
        "line-6-merchant.md",
        "订单_7-merchant.md",
    ]
    assert sorted(p.name for p in out.iterdir()) == sorted(names)


def test_existing_files_are_kept_without_force_and_replaced_with_it(tmp_path: Path) -> None:
    src = tmp_path / "cases.jsonl"
    src.write_text(jsonl(case("1"), case("2")), encoding="utf-8")
    out = tmp_path / "out"
    out.mkdir()
    (out / "1-merchant.md").write_text("mine", encoding="utf-8")
    result = run(str(src), "--to", "merchant", "--out-dir", str(out), *AS_OF, "--json")
    assert result.exit_code == 2
    assert [r["status"] for r in records(result.stdout)] == ["skipped", "written"]
    assert "already exists and was left unchanged; use --force" in result.stderr
    assert (out / "1-merchant.md").read_text("utf-8") == "mine"
    result = run(str(src), "--to", "merchant", "--out-dir", str(out), *AS_OF, "--json", "--force")
    assert result.exit_code == 0, result.stderr
    assert [r["status"] for r in records(result.stdout)] == ["written", "written"]
    assert (out / "1-merchant.md").read_text("utf-8").startswith("# 催告函")
    assert stat.S_IMODE((out / "1-merchant.md").stat().st_mode) == 0o600


def test_csv_input(tmp_path: Path) -> None:
    src = tmp_path / "cases.csv"
    src.write_text(
        "\ufeffplatform,order.id,order.item,order.price,order.paid_on,order.received_on,problem.kinds,"
        "problem.description,evidence,history\n"
        "jd,C1,耳机,¥299,2026-11-08,2026-11-10,quality_defect,,order_record;photos,"
        "contacted_merchant@2026-11-11;merchant_refused@2026-11-12\n"
        'jd,C2,耳机,299.5,2026-11-08,,quality_defect,"两行\n描述",,"[{""on"": ""2026-11-12"", '
        '""event"": ""contacted_merchant""}]"\n'
        "jd,C3,耳机,-5,2026-11-08,,quality_defect,,,\n"
        ",,,,,,,,,\n"
        "jd,C4,耳机,12.345,2026-11-08,,late_shipment;bogus,,,\n",
        encoding="utf-8",
    )
    out = tmp_path / "out"
    result = run(str(src), "--to", "merchant", "--out-dir", str(out), *AS_OF, "--json")
    assert result.exit_code == 2
    rows = records(result.stdout)
    assert [(r["line"], r["status"]) for r in rows] == [(2, "written"), (3, "written"), (5, "failed"), (7, "failed")]
    assert rows[2]["errors"][0]["field"] == "order.price"
    assert {e["field"] for e in rows[3]["errors"]} == {"order.price", "problem.kinds[1]"}
    assert f"{src}:5, field 'order.price'" in result.stderr
    assert "2026年11月11日" in (out / "C1-merchant.md").read_text("utf-8")  # the history cell was read


def test_csv_header_problems_stop_the_batch_before_anything_is_written(tmp_path: Path) -> None:
    src = tmp_path / "cases.csv"
    src.write_text("platfrom,order.item,order.price,order.paid_on,problem.kinds,order.item\n", encoding="utf-8")
    out = tmp_path / "out"
    result = run(str(src), "--to", "merchant", "--out-dir", str(out))
    assert result.exit_code == 2
    assert "column 1 'platfrom' is not a case path; did you mean 'platform'?" in result.stderr
    assert "column 6 'order.item' appears twice" in result.stderr
    assert not out.exists()
    src.write_text("order.item,order.price\n", encoding="utf-8")
    result = run(str(src), "--to", "merchant", "--out-dir", str(out))
    assert result.exit_code == 2
    assert "lacks the required column(s) platform, order.paid_on, problem.kinds" in result.stderr


def test_folder_input(tmp_path: Path) -> None:
    folder = tmp_path / "cases"
    folder.mkdir()
    # two cases with a supported request (changed-mind-too-late has none: its letter is refused, issue 13)
    chosen = [p for p in EXAMPLES if p.stem in ("changed-mind-in-time", "counterfeit-sneakers")]
    for path in chosen:
        (folder / path.name).write_text(path.read_text("utf-8"), encoding="utf-8")
    (folder / "broken.yaml").write_text("platform: [\n", encoding="utf-8")
    (folder / ".hidden.yaml").write_text("not: read\n", encoding="utf-8")
    (folder / "notes.txt").write_text("not a case\n", encoding="utf-8")
    out = tmp_path / "out"
    result = run(str(folder), "--to", "regulator", "--out-dir", str(out), "--json")
    assert result.exit_code == 2
    rows = records(result.stdout)
    assert [Path(r["input"]).name for r in rows] == ["broken.yaml", chosen[0].name, chosen[1].name]
    assert rows[0]["status"] == "failed" and rows[0]["line"] is None
    assert rows[0]["errors"][0]["line"] == 2 and "not valid YAML" in rows[0]["errors"][0]["message"]
    assert f"{folder / 'broken.yaml'}:2: is not valid YAML" in result.stderr
    assert "Traceback" not in result.stderr
    assert [r["status"] for r in rows[1:]] == ["written", "written"]


def test_stdin_is_json_lines(tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = run("-", "--to", "merchant", "--out-dir", str(out), *AS_OF, "--json", stdin=jsonl(case("9")))
    assert result.exit_code == 0, result.stderr
    (row,) = records(result.stdout)
    assert row["input"] == "<stdin>" and row["line"] == 1 and row["status"] == "written"
    assert (out / "9-merchant.md").is_file()


def test_malformed_input_never_shows_a_traceback(tmp_path: Path) -> None:
    src = tmp_path / "cases.jsonl"
    good = jsonl(case("1")).encode("utf-8")
    src.write_bytes(b"\xff\xfe{}\n" + b'{"a": 1, "a": 2}\n' + b"[1, 2]\n" + b'{"x": "\x00"}\n' + good)
    out = tmp_path / "out"
    result = run(str(src), "--to", "merchant", "--out-dir", str(out), *AS_OF, "--json")
    assert result.exit_code == 2
    rows = records(result.stdout)
    assert [(r["line"], r["status"]) for r in rows] == [(i, "failed") for i in range(1, 5)] + [(5, "written")]
    messages = [r["errors"][0]["message"] for r in rows[:4]]
    assert "not valid UTF-8" in messages[0]
    assert "duplicate key 'a'" in messages[1]
    assert "JSON object" in messages[2]
    assert "NUL" in messages[3]
    assert all(r["errors"][0]["line"] == r["line"] for r in rows[:4])
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--to", "judge"], "--to 'judge' is not a recipient"),
        (["--to", "merchant", "--format", "rtf"], "--format 'rtf' is not supported"),
        (["--to", "merchant", "--as-of", "tomorrow"], "--as-of 'tomorrow' is not a date"),
    ],
)
def test_bad_options(tmp_path: Path, args: list[str], message: str) -> None:
    src = tmp_path / "cases.jsonl"
    src.write_text(jsonl(case("1")), encoding="utf-8")
    result = run(str(src), "--out-dir", str(tmp_path / "out"), *args)
    assert result.exit_code == 2 and message in result.stderr
    assert not (tmp_path / "out").exists()


def test_bad_input_paths(tmp_path: Path) -> None:
    result = run(str(tmp_path / "missing.jsonl"), "--to", "merchant", "--out-dir", str(tmp_path / "out"))
    assert result.exit_code == 2 and "missing.jsonl: file not found" in result.stderr
    single = tmp_path / "case.yaml"
    single.write_text(EXAMPLES[0].read_text("utf-8"), encoding="utf-8")
    result = run(str(single), "--to", "merchant", "--out-dir", str(tmp_path / "out"))
    assert result.exit_code == 2 and "use `rights letter` for one case" in result.stderr
    src = tmp_path / "cases.jsonl"
    src.write_text(jsonl(case("1")), encoding="utf-8")
    (tmp_path / "file").write_text("", encoding="utf-8")
    result = run(str(src), "--to", "merchant", "--out-dir", str(tmp_path / "file"))
    assert result.exit_code == 2 and "is not a folder" in result.stderr


def test_docx_batch(tmp_path: Path) -> None:
    src = tmp_path / "cases.jsonl"
    src.write_text(jsonl(case("1")), encoding="utf-8")
    out = tmp_path / "out"
    result = run(str(src), "--to", "association", "--out-dir", str(out), *AS_OF, "--format", "docx")
    assert result.exit_code == 0, result.stderr
    assert (out / "1-association.docx").read_bytes()[:2] == b"PK"


def test_worker_processes_give_the_same_output_in_the_same_order(tmp_path: Path) -> None:
    rows = [case(str(i % 7)) for i in range(40)]
    rows[13] = case("13", order__price="lots")
    src = tmp_path / "cases.jsonl"
    src.write_text(jsonl(*rows), encoding="utf-8")
    one = run(str(src), "--to", "merchant", "--out-dir", str(tmp_path / "a"), *AS_OF, "--json", "-j", "1")
    two = run(str(src), "--to", "merchant", "--out-dir", str(tmp_path / "b"), *AS_OF, "--json", "-j", "2")
    assert one.exit_code == two.exit_code == 2
    strip = [{**r, "output": Path(r["output"]).name if r["output"] else None} for r in records(one.stdout)]
    assert strip == [{**r, "output": Path(r["output"]).name if r["output"] else None} for r in records(two.stdout)]
    assert [r["line"] for r in strip] == list(range(1, 41))
    for name in (p.name for p in (tmp_path / "a").iterdir()):
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes()


def test_no_progress_bar_outside_a_terminal(tmp_path: Path) -> None:
    src = tmp_path / "cases.jsonl"
    src.write_text(jsonl(case("1")), encoding="utf-8")
    result = run(str(src), "--to", "merchant", "--out-dir", str(tmp_path / "out"), *AS_OF, "--lang", "en")
    assert result.exit_code == 0
    assert "writing letters" not in result.stderr and "\x1b[" not in result.stderr + result.stdout


@pytest.mark.skipif(sys.platform == "win32", reason="pseudo-terminals are POSIX only")
def test_progress_bar_at_a_terminal(tmp_path: Path) -> None:
    pexpect = pytest.importorskip("pexpect")
    src = tmp_path / "cases.jsonl"
    src.write_text(jsonl(*(case(str(i)) for i in range(30))), encoding="utf-8")
    args = ["-m", "rightscli", "batch", str(src), "--to", "merchant", "--out-dir", str(tmp_path / "out"), *AS_OF]
    env = {**os.environ, "TERM": "xterm-256color", "COLUMNS": "100"}
    child = pexpect.spawn(sys.executable, [*args, "--lang", "en"], env=env, encoding="utf-8", timeout=60)
    try:
        child.expect("writing letters")
        child.expect(pexpect.EOF)
    finally:
        child.close()
    assert child.exitstatus == 0
    assert "written" in (child.before or "")
    assert len(list((tmp_path / "out").iterdir())) == 30


def test_a_bug_in_one_case_is_reported_and_exits_1(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from rightscli import engine

    real = engine.assess

    def flaky(case_obj: Any, *args: Any, **kwargs: Any) -> Any:
        if case_obj.order.id == "2":
            raise RuntimeError("boom")
        return real(case_obj, *args, **kwargs)

    monkeypatch.setattr(engine, "assess", flaky)
    monkeypatch.delenv("RIGHTS_DEBUG", raising=False)
    src = tmp_path / "cases.jsonl"
    src.write_text(jsonl(case("1"), case("2"), case("3")), encoding="utf-8")
    result = run(str(src), "--to", "merchant", "--out-dir", str(tmp_path / "out"), *AS_OF, "--json", "-j", "1")
    assert result.exit_code == 1
    assert [r["status"] for r in records(result.stdout)] == ["written", "failed", "written"]
    assert "internal error: RuntimeError: boom" in result.stderr and "Traceback" not in result.stderr


def test_a_worker_that_dies_ends_the_batch_instead_of_hanging(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from rightscli import engine

    real = engine.assess

    def dies(case_obj: Any, *args: Any, **kwargs: Any) -> Any:
        if case_obj.order.id == "20":
            os._exit(3)  # as if killed or out of memory
        return real(case_obj, *args, **kwargs)

    monkeypatch.setattr(engine, "assess", dies)  # the workers are forked with it
    monkeypatch.delenv("RIGHTS_DEBUG", raising=False)
    src = tmp_path / "cases.jsonl"
    src.write_text(jsonl(*(case(str(i)) for i in range(40))), encoding="utf-8")
    result = run(str(src), "--to", "merchant", "--out-dir", str(tmp_path / "out"), *AS_OF, "-j", "2")
    assert result.exit_code == 1
    assert "internal error" in result.stderr and "Traceback" not in result.stderr


def test_letters_are_reported_written_only_after_their_chunk_is_durable(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each chunk's letters are committed together (fsync'ed, then put in place) before its outcomes are shown."""
    from rightscli import output
    from rightscli.batch import report

    events: list[str] = []
    real_commit, real_add = output.FileBatch.commit, report.Reporter.add

    def commit(self: Any) -> Any:
        results = real_commit(self)
        events.append(f"commit {len(results)}")
        return results

    def add(self: Any, outcome: Any) -> None:
        assert outcome.status != "written" or Path(outcome.output).exists()
        events.append(outcome.status)
        real_add(self, outcome)

    monkeypatch.setattr(output.FileBatch, "commit", commit)
    monkeypatch.setattr(report.Reporter, "add", add)
    src = tmp_path / "cases.jsonl"
    src.write_text(jsonl(*(case(str(i)) for i in range(20))), encoding="utf-8")
    result = run(str(src), "--to", "merchant", "--out-dir", str(tmp_path / "out"), *AS_OF, "-j", "1")
    assert result.exit_code == 0, result.stderr
    assert events == ["commit 16", *["written"] * 16, "commit 4", *["written"] * 4]


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc/self/fd")
def test_a_letter_that_cannot_be_made_durable_fails_and_one_whose_file_appeared_is_skipped(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from rightscli import output

    out = tmp_path / "out"

    class FailingFsync:
        """``os`` for rightscli.output, whose fsync fails for the letter of case 3; case 2's file appears meanwhile."""

        def __getattr__(self, name: str) -> Any:
            return getattr(os, name)

        def fsync(self, fd: int) -> None:
            (out / "2-merchant.md").touch()  # made by another program after the check, before the letter's link
            if "（订单号：3）" in _letter_text(fd):  # case 3's letter
                raise OSError(5, "Input/output error")
            os.fsync(fd)

    monkeypatch.setattr(output, "os", FailingFsync())
    src = tmp_path / "cases.jsonl"
    src.write_text(jsonl(case("1"), case("2"), case("3")), encoding="utf-8")
    result = run(str(src), "--to", "merchant", "--out-dir", str(out), *AS_OF, "--json", "-j", "1")
    assert result.exit_code == 2
    got = records(result.stdout)
    assert [r["status"] for r in got] == ["written", "skipped", "failed"]
    assert got[2]["errors"][0]["message"] == "cannot write the file: Input/output error"
    assert sorted(p.name for p in out.iterdir()) == ["1-merchant.md", "2-merchant.md"]  # no temporary file left
    assert (out / "2-merchant.md").read_bytes() == b""


def _letter_text(fd: int) -> str:
    """The text written so far to ``fd`` (a letter's file, which may have no name yet), "" for a folder."""
    if os.path.isdir(f"/proc/self/fd/{fd}"):
        return ""
    reader = os.open(f"/proc/self/fd/{fd}", os.O_RDONLY)
    try:
        return os.pread(reader, 1 << 20, 0).decode("utf-8")
    finally:
        os.close(reader)


def test_csv_every_row_is_written_or_reported_with_crlf_and_an_unclosed_quote(tmp_path: Path) -> None:
    """Excel's CSV (CRLF, a quoted cell on two lines) is read; a cell whose quote is never closed is reported by its
    line and the rows after it are still written."""
    src = tmp_path / "cases.csv"
    rows = [
        "platform,order.id,order.item,order.price,order.paid_on,problem.kinds,problem.description",
        'jd,C1,耳机,299,2026-11-08,quality_defect,"左耳没声音\r\n右耳有杂音"',
        'jd,C2,"耳机,299,2026-11-08,quality_defect,',
        "jd,C3,耳机,299,2026-11-08,quality_defect,",
        "jd,C4,耳机,299,2026-11-08,quality_defect,",
    ]
    src.write_bytes("\r\n".join(rows).encode() + b"\r\n")
    out = tmp_path / "out"
    # --draft: these rows test the CSV reader; without a receipt date no request of theirs is decided (issue 13)
    result = run(str(src), "--to", "merchant", "--out-dir", str(out), *AS_OF, "--json", "--draft")
    assert result.exit_code == 2, result.stderr
    got = records(result.stdout)
    assert [(r["line"], r["status"]) for r in got] == [(2, "written"), (4, "failed"), (5, "written"), (6, "written")]
    assert "quote" in got[1]["errors"][0]["message"]
    assert "左耳没声音 右耳有杂音" in (out / "C1-merchant.md").read_text("utf-8")


def test_pdf_batch(tmp_path: Path) -> None:
    src = tmp_path / "cases.jsonl"
    src.write_text(jsonl(case("1"), case("2")), encoding="utf-8")
    out = tmp_path / "out"
    result = run(str(src), "--to", "merchant", "--out-dir", str(out), *AS_OF, "--format", "pdf")
    assert result.exit_code == 0, result.stderr
    assert (out / "1-merchant.pdf").read_bytes().startswith(b"%PDF-")


def test_a_finished_batch_leaves_its_objects_to_the_exit_uncollected(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """At exit the objects are frozen, so the interpreter's last collections skip them; once, however many batches."""
    import atexit
    import gc

    calls: list[tuple[str, object]] = []
    monkeypatch.setattr(atexit, "register", lambda f, *a: calls.append(("register", f)))
    monkeypatch.setattr(atexit, "unregister", lambda f: calls.append(("unregister", f)))
    src = tmp_path / "cases.jsonl"
    src.write_text(jsonl(case("1")), encoding="utf-8")
    for n in (1, 2):
        result = run(str(src), "--to", "merchant", "--out-dir", str(tmp_path / f"out{n}"), *AS_OF, "-j", "1")
        assert result.exit_code == 0, result.stderr
    assert calls == [("unregister", gc.freeze), ("register", gc.freeze)] * 2
    assert gc.get_freeze_count() == 0  # nothing is frozen before the exit
