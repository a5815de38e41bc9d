"""The parts of `rights batch`: file names, CSV rows, streaming reads and the bounded, ordered runner."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from rightscli.batch import pool, runner
from rightscli.batch.csvrows import csv_items
from rightscli.batch.items import Item, Ref
from rightscli.batch.names import MAX_STEM_BYTES, UniqueNames, sanitise, stem_for
from rightscli.batch.report import describe
from rightscli.batch.sources import jsonl_items
from rightscli.batch.work import Outcome, Settings, error_list
from rightscli.catalog import Catalog
from rightscli.datafile import Document
from rightscli.errors import ErrorList, InputError

# These tests check the wording of English messages (the default interface is Chinese).
pytestmark = pytest.mark.usefixtures("english")

TODAY = date(2026, 11, 20)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("3489201938475", "3489201938475"),
        ("../../etc/passwd", "etc_passwd"),
        ("a\\b/c", "a_b_c"),
        ("...hidden", "hidden"),
        ("-rf", "rf"),
        ("订单 12:34?", "订单_12_34"),
        ("tab\there\nnew", "tab_here_new"),
        ("..", ""),
        ("", ""),
    ],
)
def test_sanitise(text: str, expected: str) -> None:
    assert sanitise(text) == expected


def test_sanitise_cuts_long_names_on_a_character_boundary() -> None:
    stem = sanitise("订" * 200)
    assert len(stem.encode("utf-8")) <= MAX_STEM_BYTES
    assert set(stem) == {"订"}


def test_stem_falls_back_to_the_place_in_the_input() -> None:
    assert stem_for("A1", "line-3", "merchant") == "A1-merchant"
    assert stem_for(12345, "line-3", "merchant") == "12345-merchant"
    assert stem_for(None, "line-3", "platform") == "line-3-platform"
    assert stem_for("///", "line-3", "platform") == "line-3-platform"
    assert stem_for(True, "case", "regulator") == "case-regulator"


def test_unique_names() -> None:
    names = UniqueNames()
    got = [names.claim(stem, "md") for stem in ["a", "a", "A", "a-2", "b", "a"]]
    assert got == ["a.md", "a-2.md", "A-3.md", "a-2-2.md", "b.md", "a-4.md"]
    assert names.claim("a", "txt") == "a.txt"


def test_jsonl_reads_one_line_at_a_time() -> None:
    class Counting(io.BytesIO):
        lines = 0

        def readline(self, size: int | None = -1) -> bytes:  # type: ignore[override]
            Counting.lines += 1
            return super().readline(size)

    data = b"".join(json.dumps({"platform": "jd", "n": i}).encode() + b"\n" for i in range(1000))
    items = jsonl_items(Counting(data), "x.jsonl")
    first = next(items)
    assert first.ref == Ref("x.jsonl", 1) and Counting.lines == 1
    assert first.doc is not None and first.doc.line_of("order.price") is None
    assert first.doc.line_of("platform") == 1


def _to_worker(item: Item) -> Item:
    """What a worker receives of ``item`` (the pool pickles chunks)."""
    import pickle

    again = pickle.loads(pickle.dumps(item, protocol=pickle.HIGHEST_PROTOCOL))
    assert isinstance(again, Item)
    return again


def test_a_json_lines_row_reaches_a_worker_as_it_was_read() -> None:
    row = {
        "platform": "jd",
        "order": {"id": "JD-1", "price": 299.5, "paid": -0.0, "qty": 2**64 - 1, "big": 1e308, "tags": ["a", "b"]},
        "nothing": None,
        "flag": False,
        "text": "退货 \u2028 ✓",
    }
    (item,) = jsonl_items(io.BytesIO(b"\n\n" + json.dumps(row, ensure_ascii=False).encode() + b"\n"), "x.jsonl")
    assert item.json_row and item.ref == Ref("x.jsonl", 3)
    assert item.__reduce__()[0] is not Item  # packed as MessagePack, not pickled
    again = _to_worker(item)
    assert again == item
    assert again.doc is not None and item.doc is not None
    assert again.doc.data == row and again.doc.lines == item.doc.lines == {key: 3 for key in row}
    assert list(again.doc.data) == list(row)  # the order of the fields too
    assert again.doc.data["order"]["paid"] == 0.0 and str(again.doc.data["order"]["paid"]) == "-0.0"
    assert type(again.doc.data["flag"]) is bool and type(again.doc.data["order"]["qty"]) is int
    assert again.doc.line_of("order.price") == 3


def test_what_messagepack_cannot_hold_reaches_a_worker_pickled() -> None:
    (item,) = jsonl_items(io.BytesIO(b'{"platform": "jd", "order": {"id": 18446744073709551616}}\n'), "x.jsonl")
    assert item.__reduce__()[0] is Item
    again = _to_worker(item)
    assert again == item and again.doc is not None and again.doc.data["order"]["id"] == 2**64
    # Not a JSON Lines row (a folder's YAML file): its dates stay dates.
    doc = Document({"order": {"placed_on": date(2026, 11, 11)}}, "case.yaml", {"order.placed_on": 3})
    yaml_item = Item(Ref("case.yaml"), doc, fallback="case")
    again = _to_worker(yaml_item)
    assert again == yaml_item and again.doc is not None and again.doc.data["order"]["placed_on"] == date(2026, 11, 11)
    failed = Item(Ref("x.jsonl", 4), None, InputError("bad", file="x.jsonl", line=4), fallback="line-4")
    again = _to_worker(failed)
    assert again.doc is None and again.error is not None and again.error.message == "bad"


def test_jsonl_overlong_line_is_skipped_in_bounded_reads(monkeypatch: pytest.MonkeyPatch) -> None:
    from rightscli.batch import sources

    monkeypatch.setattr(sources, "MAX_LINE", 100)
    data = b'{"a": "' + b"x" * 450 + b'"}\n{"platform": "jd"}\n'
    items = list(jsonl_items(io.BytesIO(data), "x.jsonl"))
    assert [(i.ref.line, i.doc is None) for i in items] == [(1, True), (2, False)]
    assert items[0].error is not None and "longer than" in items[0].error.message


def test_csv_rows_keep_their_starting_line_and_text_values() -> None:
    text = 'platform,order.item,order.price,order.paid_on,problem.kinds,wants\njd,"a\nb",¥1,2026-11-01,x;y,\n'
    (item,) = list(csv_items(io.BytesIO(text.encode()), "c.csv", TODAY))
    assert item.ref == Ref("c.csv", 2) and item.text_values
    assert item.doc is not None
    assert item.doc.data == {
        "platform": "jd",
        "order": {"item": "a\nb", "price": "¥1", "paid_on": "2026-11-01"},
        "problem": {"kinds": "x;y"},
    }
    assert item.doc.line_of("order.price") == 2


def test_csv_row_with_too_many_cells_and_bad_bytes() -> None:
    header = b"platform,order.item,order.price,order.paid_on,problem.kinds\n"
    rows = b"jd,a,1,2026-11-01,changed_mind,extra\njd,\xff,1,2026-11-01,changed_mind\n"
    items = list(csv_items(io.BytesIO(header + rows), "c.csv", TODAY))
    assert [i.error.message if i.error else None for i in items] == [
        "the row has 6 cells but the header has 5 columns",
        "is not valid UTF-8 text",
    ]
    assert items[1].error is not None and items[1].error.path == "order.item" and items[1].error.line == 3


def test_errors_of_a_row_carry_its_line() -> None:
    ref = Ref("x.jsonl", 7)
    exc = ErrorList.of([InputError("is required", file="x.jsonl", path="problem.kinds"), InputError("bad", line=2)])
    assert error_list(exc, ref) == [
        {"file": "x.jsonl", "line": 7, "field": "problem.kinds", "message": "is required"},
        {"file": "x.jsonl", "line": 2, "field": None, "message": "bad"},
    ]
    template = InputError("undefined", file="/t/merchant.md.j2", line=3)
    (problem,) = error_list(template, ref)
    lines = describe(Outcome(ref, "failed", errors=[problem]))
    assert lines == ["rights: error: x.jsonl:7: /t/merchant.md.j2:3: undefined"]


def _failed(n: int, read: list[int]) -> Iterator[runner.Entry]:
    """``n`` pre-failed entries, each noted in ``read`` as it is read."""
    for i in range(n):
        read.append(i)
        yield Outcome(Ref("x", i + 1), "failed")


def _outcomes(n: int, jobs: int, read: list[int]) -> Iterator[Outcome]:
    """Run ``n`` pre-failed entries through the runner, recording how many were read."""
    settings = Settings("merchant", "md", Path("."), False, None, TODAY, None, "zh")
    with runner.Runner(settings, Catalog(), jobs) as run:
        yield from run(_failed(n, read))


@pytest.mark.parametrize("jobs", [1, 2])
def test_runner_reads_a_bounded_window_ahead_and_keeps_input_order(jobs: int) -> None:
    read: list[int] = []
    outcomes = _outcomes(2000, jobs, read)
    first = next(outcomes)
    assert first.ref.line == 1
    assert len(read) <= runner.CHUNK * (pool.AHEAD * jobs + 1)  # not the whole input
    rest = list(outcomes)
    assert [o.ref.line for o in [first, *rest]] == list(range(1, 2001))


@pytest.mark.parametrize("jobs", [1, 2])
def test_runner_calls_idle_once_when_the_workers_have_all_they_can_take(jobs: int) -> None:
    """The batch process loads what it needs later (the summary's table) only once the workers are busy: with workers
    once each has all the chunks it takes ahead, without them before the first case; once, however many follow."""
    read: list[int] = []
    calls: list[int] = []
    settings = Settings("merchant", "md", Path("."), False, None, TODAY, None, "zh")
    with runner.Runner(settings, Catalog(), jobs) as run:
        lines = [o.ref.line for o in run(_failed(200, read), idle=lambda: calls.append(len(read)))]
    assert lines == list(range(1, 201))
    expected = runner.CHUNK * pool.AHEAD * jobs if jobs > 1 and runner.can_fork() else 0
    assert calls == [expected]


def test_runner_calls_idle_even_when_the_input_is_shorter_than_the_workers() -> None:
    calls: list[str] = []
    settings = Settings("merchant", "md", Path("."), False, None, TODAY, None, "zh")
    with runner.Runner(settings, Catalog(), 4) as run:
        assert [o.ref.line for o in run([Outcome(Ref("x", 1), "failed")], idle=lambda: calls.append("x"))] == [1]
    assert calls == ["x"]


@pytest.mark.parametrize(
    ("left", "in_flight", "expected"),
    [
        (None, 4, runner.CHUNK),  # the size of the input is not known (a pipe)
        (10_000.0, 4, runner.CHUNK),
        (64.0, 4, runner.CHUNK),  # still fills every chunk in flight
        (40.0, 4, 10),  # shared out among the chunks in flight
        (9.5, 4, runner.TAIL_CHUNK),  # never fewer than TAIL_CHUNK
        (0.0, 8, runner.TAIL_CHUNK),
    ],
)
def test_chunk_size_shrinks_only_when_the_rest_of_the_input_no_longer_fills_the_workers(
    left: float | None, in_flight: int, expected: int
) -> None:
    assert runner.chunk_size(left, in_flight) == expected


@pytest.mark.skipif(not runner.can_fork(), reason="workers need fork")
def test_the_last_chunks_are_smaller_so_that_the_workers_end_together(monkeypatch: pytest.MonkeyPatch) -> None:
    sizes: list[int] = []
    map_chunks = pool.Pool.map

    def recording(self: pool.Pool, chunks: Iterator[list[runner.Entry]], idle: object = None) -> Iterator[object]:
        def counted() -> Iterator[list[runner.Entry]]:
            for chunk in chunks:
                sizes.append(len(chunk))
                yield chunk

        return map_chunks(self, counted(), idle)  # type: ignore[arg-type]

    monkeypatch.setattr(pool.Pool, "map", recording)
    read: list[int] = []
    settings = Settings("merchant", "md", Path("."), False, None, TODAY, None, "zh")
    with runner.Runner(settings, Catalog(), 2) as run:
        lines = [o.ref.line for o in run(_failed(200, read), left=lambda: float(200 - len(read)))]
    assert lines == list(range(1, 201))  # every case, in input order
    assert sum(sizes) == 200
    full = 200 // runner.CHUNK - 4  # full chunks while the rest still fills the 4 chunks in flight (2 workers x 2)
    assert sizes[:full] == [runner.CHUNK] * full
    assert sizes[full:] == sorted(sizes[full:], reverse=True)  # then smaller and smaller
    assert min(sizes[:-1]) >= runner.TAIL_CHUNK and sizes[-1] <= runner.TAIL_CHUNK
    assert len(sizes) > 200 / runner.CHUNK + 1, sizes


def test_a_source_tells_about_how_many_cases_are_left(tmp_path: Path) -> None:
    from rightscli.batch.sources import open_source

    path = tmp_path / "cases.jsonl"
    path.write_text("".join(json.dumps({"platform": "taobao", "n": i}) + "\n" for i in range(10, 50)), "utf-8")
    with open_source(str(path), None, today=TODAY) as src:
        assert src.left() is None  # nothing read yet: no size per case to go by
        items = src.tracked()
        for _ in range(10):
            next(items)
        assert src.left() == pytest.approx(30, abs=0.5)  # the lines are all the same size
        assert len(list(items)) == 30
        assert src.left() == 0
    with open_source("-", io.BytesIO(path.read_bytes()), today=TODAY) as src:
        items = src.tracked()
        next(items)
        assert src.left() is None  # a pipe: its size is not known
        assert len(list(items)) == 39
        assert src.left() == 0  # and once it is read to its end, nothing is left
    csv = tmp_path / "cases.csv"
    header = "platform,order.id,order.item,order.price,order.paid_on,problem.kinds\n"
    csv.write_text(header + "".join(f"taobao,{i},耳机,99,2026-11-08,late_shipment\n" for i in range(8)), "utf-8")
    with open_source(str(csv), None, today=TODAY) as src:
        items = src.tracked()
        next(items)
        assert 0 <= (src.left() or 0) <= 8  # the CSV reader reads ahead in blocks: less than is left, never more
        assert len(list(items)) == 7
        assert src.left() == 0  # the reader has closed its file by then
    folder = tmp_path / "cases"
    folder.mkdir()
    for i in range(5):
        (folder / f"{i}.json").write_text(json.dumps({"platform": "taobao"}), "utf-8")
    with open_source(str(folder), None, today=TODAY) as src:
        items = src.tracked()
        next(items)
        next(items)
        assert src.left() == 3  # files, counted


def test_items_without_a_document_become_failures_and_claim_no_name() -> None:
    settings = Settings("merchant", "md", Path("."), False, None, TODAY, None, "zh")
    good = Item(Ref("x", 2), Document({"order": {"id": "7"}}, "x"), fallback="line-2")
    bad = Item(Ref("x", 1), None, InputError("nope", file="x", line=1), fallback="line-1")
    entries = list(runner.entries([bad, good, good], settings))
    assert isinstance(entries[0], Outcome) and entries[0].errors[0]["message"] == "nope"
    assert [e.name for e in entries[1:]] == ["7-merchant.md", "7-merchant-2.md"]  # type: ignore[union-attr]


def test_digest_set_across_merges() -> None:
    import random

    from rightscli.batch.names import DigestSet

    rng = random.Random(5)
    keys = [rng.getrandbits(64) for _ in range(5000)]
    seen = DigestSet()
    for key in keys:
        assert key not in seen
        seen.add(key)
    assert len(seen) == 5000
    assert all(key in seen for key in keys)
    assert not any(rng.getrandbits(64) in seen for _ in range(1000))


def test_digest_set_holds_the_smallest_and_largest_digests_and_neighbours_in_one_bucket() -> None:
    from rightscli.batch.names import BUCKETS, DigestSet

    width = 2**64 // BUCKETS
    edges = [0, 1, width - 1, width, 2**64 - 1, 2**64 - 2, 5 * width + 7, 5 * width + 3, 5 * width + 5]
    seen = DigestSet()
    for key in edges:
        seen.add(key)
    assert len(seen) == len(edges)
    assert all(key in seen for key in edges)
    assert 2 not in seen and 5 * width + 4 not in seen and width + 1 not in seen


def test_unique_names_stay_unique_when_counters_are_forgotten(monkeypatch: pytest.MonkeyPatch) -> None:
    from rightscli.batch import names as mod

    monkeypatch.setattr(mod, "MAX_COUNTERS", 2)
    names = UniqueNames()
    got = [names.claim(stem, "md") for stem in ["a", "a", "b", "b", "c", "c", "a", "a"]]
    assert got == ["a.md", "a-2.md", "b.md", "b-2.md", "c.md", "c-2.md", "a-3.md", "a-4.md"]


def test_runner_collects_young_objects_less_often_and_restores_the_collector() -> None:
    import gc

    before = gc.get_threshold()
    settings = Settings("merchant", "md", Path("."), False, None, TODAY, None, "zh")
    with runner.Runner(settings, Catalog(), 1):
        assert gc.get_threshold() == (runner.GC_YOUNG, *before[1:])
    assert gc.get_threshold() == before


def test_a_long_batch_collects_in_full_every_release_every_cases(monkeypatch: pytest.MonkeyPatch) -> None:
    import gc

    collected: list[int] = []
    monkeypatch.setattr(gc, "collect", lambda *a: collected.append(1) or 0)
    monkeypatch.setattr(runner, "RELEASE_EVERY", 40)
    monkeypatch.setattr(runner, "_DONE", [0])
    for _ in range(5):
        runner._release(16)  # 16, 32, 48 -> collect, 16, 32
    assert collected == [1]
    runner._release(16)
    assert collected == [1, 1]


CSV_HEADER = "platform,order.item,order.price,order.paid_on,problem.kinds,problem.description\n"


def csv_row(i: int, item: str = "大衣", description: str = "") -> str:
    return f"jd,{item}{i},{i},2026-11-01,quality_defect,{description}\n"


def outcomes(text: str, newline: str = "\n") -> list[tuple[int | None, str]]:
    raw = text.replace("\n", newline).encode()
    return [(i.ref.line, i.error.message if i.error else "ok") for i in csv_items(io.BytesIO(raw), "c.csv", TODAY)]


def test_an_unclosed_quote_swallows_no_rows_after_it() -> None:
    """A cell that opens a quote and never closes it: before, the 1,000 rows after it became one cell, silently."""
    rows = [csv_row(i) for i in range(1, 1001)]
    rows[2] = 'jd,"大衣3,3,2026-11-01,quality_defect,\n'  # line 4
    got = outcomes(CSV_HEADER + "".join(rows))
    assert len(got) == 1000
    assert [line for line, message in got if message != "ok"] == [4]
    assert "quote" in got[2][1]
    assert [line for line, _ in got] == list(range(2, 1002))


def test_an_unclosed_quote_closed_by_a_later_row_swallows_no_rows_either() -> None:
    rows = [csv_row(i) for i in range(1, 11)]
    rows[2] = 'jd,"大衣3,3,2026-11-01,quality_defect,\n'  # line 4: the quote opens…
    rows[7] = 'jd,"大衣8, 蓝色",8,2026-11-01,quality_defect,\n'  # line 9: …and the next quote closes it
    got = outcomes(CSV_HEADER + "".join(rows))
    assert [line for line, _ in got] == list(range(2, 12))
    assert [line for line, message in got if message != "ok"] == [4]


def test_an_unclosed_quote_closed_by_the_next_row_swallows_it_no_more() -> None:
    rows = [csv_row(i) for i in range(1, 6)]
    rows[1] = 'jd,"大衣2,2,2026-11-01,quality_defect,\n'  # line 3: the quote opens…
    rows[2] = 'jd,大衣3",3,2026-11-01,quality_defect,\n'  # line 4: …and a stray quote in the next row closes it
    got = outcomes(CSV_HEADER + "".join(rows))
    assert [line for line, _ in got] == [2, 3, 4, 5, 6]
    assert [line for line, message in got if message != "ok"] == [3]


def test_a_quoted_cell_on_several_lines_is_one_cell() -> None:
    for newline in ("\n", "\r\n"):
        text = CSV_HEADER + csv_row(1) + csv_row(2, description='"第一行\n第二行, 还有\n第三行"') + csv_row(3)
        assert outcomes(text, newline) == [(2, "ok"), (3, "ok"), (6, "ok")]
        text = CSV_HEADER + 'jd,"多行\n名称",1,2026-11-01,quality_defect,\n' + csv_row(2)
        assert outcomes(text, newline) == [(2, "ok"), (4, "ok")]


def test_crlf_line_ends_inside_a_quoted_cell_are_new_lines() -> None:
    text = CSV_HEADER + csv_row(1, description='"第一行\n第二行"')
    (item,) = list(csv_items(io.BytesIO(text.replace("\n", "\r\n").encode()), "c.csv", TODAY))
    assert item.doc is not None and item.doc.data["problem"]["description"] == "第一行\n第二行"


def test_a_history_cell_that_is_not_json_says_why_in_plain_words() -> None:
    row = 'jd,大衣,1,2026-11-01,quality_defect,,"[{""on"": ""2026-11-02"",}]"\n'
    text = CSV_HEADER.replace("\n", ",history\n") + row
    ((line, message),) = outcomes(text)
    assert line == 2
    assert message == (
        "is not a valid JSON list of events: expecting a key in double quotes (often: an unquoted key, or a comma "
        "after the last item) (column 22)"
    )


def test_a_cell_beyond_the_csv_modules_limit_says_so_in_plain_words() -> None:
    text = CSV_HEADER + csv_row(1, description="长" * 140_000) + csv_row(2)
    ((line, message), after) = outcomes(text)
    assert line == 2 and after == (3, "ok")
    assert message == (
        "not valid CSV: a cell is longer than 131072 characters "
        "(often: an unclosed quote that took in all that follows)"
    )


@pytest.mark.parametrize(
    ("said", "words"),
    [
        ("field larger than field limit (131072)", "a cell is longer than 131072 characters"),
        ("new-line character seen in unquoted field - do you need to open the file with newline=''?", "a line break"),
        ("unexpected end of data", "the file ends inside a quoted cell"),
        ("',' expected after '\"'", "',' expected after '\"'"),  # not known: as the library says it
    ],
)
def test_csv_problems_are_put_in_plain_words(said: str, words: str) -> None:
    from rightscli.batch.csvrows import csv_problem

    assert csv_problem(csv.Error(said)).startswith(words)
