"""DOCX letters written without python-docx (rightscli.letters.docx_writer) are the files python-docx writes: the same
parts in the same order, byte for byte, with the same zip entries; what the writer does not do goes to python-docx."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path
from unittest import mock

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rightscli import datafile
from rightscli.case import validate_case
from rightscli.catalog import Catalog, load_catalog
from rightscli.engine import assess
from rightscli.letters import convert, docx_writer, pydocx_writer
from rightscli.letters.data import recipient_ids
from rightscli.letters.letter import NoSupportedRequest, render_checklist, render_letter

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = sorted((ROOT / "examples").glob("*.yaml"))
ENTRY = ("compress_type", "external_attr", "flag_bits", "create_version", "extract_version", "CRC", "file_size")


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return load_catalog()


def same_file(markdown: str, title: str) -> None:
    blocks = convert.parse(markdown)
    with mock.patch("time.time", return_value=1_795_000_000.0):  # zip entries carry the time they are written
        ours = docx_writer.write(blocks, title)
        assert ours is not None, "python-docx wrote it"
        theirs = pydocx_writer.python_docx(blocks, title)
    with zipfile.ZipFile(io.BytesIO(ours)) as a, zipfile.ZipFile(io.BytesIO(theirs)) as b:  # what differs, if any
        assert [i.filename for i in a.infolist()] == [i.filename for i in b.infolist()]
        for x, y in zip(a.infolist(), b.infolist(), strict=True):
            assert a.read(x) == b.read(y), x.filename
            assert [getattr(x, k) for k in ENTRY] == [getattr(y, k) for k in ENTRY], x.filename
    assert ours == theirs  # the same file


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.stem)
def test_every_letter_and_checklist_of_the_examples(example: Path, catalog: Catalog) -> None:
    case = validate_case(datafile.load(str(example)))
    result = assess(case, catalog, case.as_of, "zh")
    for recipient in recipient_ids():
        try:
            rendered = render_letter(result, recipient)
        except NoSupportedRequest:
            rendered = render_letter(result, recipient, draft=True)
        same_file(rendered.markdown, rendered.title)
    checklist = render_checklist(result, catalog)
    same_file(checklist.markdown, checklist.title)


TEXT = st.text(
    st.characters(blacklist_categories=("Cs", "Cc")) | st.sampled_from(list("*_`|-#>\t &<>　。")), max_size=30
)
LINE = st.one_of(
    TEXT,
    TEXT.map(lambda t: f"# {t}"),
    TEXT.map(lambda t: f"## {t}"),
    TEXT.map(lambda t: f"1. {t}"),
    TEXT.map(lambda t: f"- {t}"),
    TEXT.map(lambda t: f"  - {t}"),
    TEXT.map(lambda t: f"> {t}"),
    TEXT.map(lambda t: f"**{t}** *{t}* `{t}`"),
    st.just("---"),
    st.just("此致"),
    st.just("```"),
    st.lists(TEXT, min_size=1, max_size=3).map(lambda cells: "| " + " | ".join(cells) + " |"),
    st.just("| --- | --- |"),
    st.just(""),
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(lines=st.lists(LINE, max_size=25), title=TEXT)
def test_any_markdown_the_letters_could_hold(lines: list[str], title: str) -> None:
    same_file("\n".join(lines) + "\n", title)


def test_what_the_writer_does_not_write_goes_to_python_docx() -> None:
    blocks = convert.parse("# 标题\n\n正文\n")
    assert docx_writer.write(blocks, "长" * 256) is None  # python-docx refuses a core property over 255 characters
    with pytest.raises(ValueError):
        docx_writer.to_docx("# 标题\n", title="长" * 256)
    control = convert.parse("正文\x01\n")
    assert docx_writer.write(control, "x") is None  # XML cannot hold it: python-docx says so
    with pytest.raises(ValueError):
        pydocx_writer.python_docx(control, "x")


def test_the_skeleton_is_kept_private_and_rebuilt_when_untrusted(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("RIGHTS_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setattr(docx_writer, "_LOADED", [])
    built: list[int] = []
    real = docx_writer.build_skeleton
    monkeypatch.setattr(docx_writer, "build_skeleton", lambda: built.append(1) or real())
    blocks = convert.parse("# 标题\n\n正文\n")
    first = docx_writer.write(blocks, "t")
    path = tmp_path / "cache" / docx_writer.SKELETON
    assert first is not None and path.stat().st_mode & 0o777 == 0o600 and built == [1]
    monkeypatch.setattr(docx_writer, "_LOADED", [])
    assert docx_writer.write(blocks, "t") is not None and built == [1]  # read back
    path.chmod(0o666)
    monkeypatch.setattr(docx_writer, "_LOADED", [])
    assert docx_writer.write(blocks, "t") is not None and built == [1, 1]  # others could write it: built again
