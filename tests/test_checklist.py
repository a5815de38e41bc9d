"""`rights checklist`: every evidence item the findings need, held or missing, why, how on the case's platform, how
to keep it and by when, most urgent first; a terminal view and the four file formats."""

from __future__ import annotations

import re
import stat
from datetime import date
from pathlib import Path

import pytest
from typer.testing import CliRunner

from rightscli import datafile
from rightscli.case import validate_case
from rightscli.catalog import Catalog
from rightscli.engine import assess
from rightscli.letters.checklist import build_checklist_context

ROOT = Path(__file__).parent.parent
LAPTOP = ROOT / "examples" / "laptop-defect.yaml"
BASE = ROOT / "tests" / "scenarios" / "base_case.yaml"


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


def context(path: Path, catalog: Catalog, lang: str = "zh", as_of: date | None = None, **problem: object) -> dict:
    doc = datafile.load(str(path))
    doc.data["problem"].update(problem)
    case = validate_case(doc)
    return build_checklist_context(
        assess(case, catalog, as_of or case.as_of or date(2026, 11, 20), lang), catalog, lang
    )


def test_every_needed_item_is_listed_with_why_how_and_when(catalog: Catalog) -> None:
    case = validate_case(datafile.load(str(LAPTOP)))
    result = assess(case, catalog, date(2026, 11, 20))
    ctx = build_checklist_context(result, catalog, "zh")
    assert {i["id"] for i in ctx["items"]} == {e.id for e in result.evidence}
    for item in ctx["items"]:
        entry = catalog.evidence[item["id"]]
        assert item["why"] == entry.why.zh
        assert item["how"] == entry.how_for("jd").zh
        assert item["held"] == (item["id"] in case.evidence)
        assert item["when"]
    assert [i["no"] for i in ctx["items"]] == list(range(1, len(ctx["items"]) + 1))


def test_most_urgent_first(catalog: Catalog) -> None:
    ctx = context(BASE, catalog, as_of=date(2026, 11, 13), kinds=["damaged_in_transit"], discovered_on="2026-11-12")
    items = ctx["items"]
    held = [i["held"] for i in items]
    assert held == sorted(held)  # missing items first
    missing_dates = [i["collect_by"] or "9999" for i in items if not i["held"]]
    assert missing_dates == sorted(missing_dates)
    assert any(i["collect_by"] for i in items)  # transit damage: photos and unboxing video are urgent


def test_overdue_items_are_flagged(catalog: Catalog) -> None:
    ctx = context(BASE, catalog, as_of=date(2026, 11, 20), kinds=["damaged_in_transit"], discovered_on="2026-11-12")
    overdue = [i for i in ctx["items"] if i["overdue"]]
    assert overdue and all("已过建议期限" in i["when"] for i in overdue)


def test_english(catalog: Catalog) -> None:
    ctx = context(LAPTOP, catalog, "en")
    assert ctx["labels"]["title"] == "Evidence checklist"
    assert all(i["status"] in ("held", "to collect") for i in ctx["items"])
    assert ctx["case"]["platform"] == "JD"


def test_terminal_view(runner: CliRunner) -> None:
    from rightscli.cli import app

    result = runner.invoke(app, ["checklist", str(LAPTOP)], catch_exceptions=False)
    assert result.exit_code == 0, result.stderr
    text = re.sub(r"\n\s*", "", result.stdout)  # Chinese breaks between any two characters
    assert "证据清单" in text and "质量检测报告" in text
    assert "\x1b[" not in result.stdout  # no colour codes when not a terminal
    assert result.stderr == ""


@pytest.mark.parametrize("fmt", ["md", "txt", "html"])
def test_file_formats_on_stdout(runner: CliRunner, fmt: str) -> None:
    from rightscli.cli import app

    result = runner.invoke(app, ["checklist", str(LAPTOP), "--format", fmt], catch_exceptions=False)
    assert result.exit_code == 0, result.stderr
    assert "证据清单" in result.stdout
    if fmt == "md":
        assert result.stdout.startswith("# 证据清单\n") and "| 序号 | 证据 | 状态 | 最迟 |" in result.stdout
    if fmt == "html":
        assert "<table>" in result.stdout and "<script" not in result.stdout


def test_docx_file_with_force_and_mode(runner: CliRunner, tmp_path: Path) -> None:
    from docx import Document

    from rightscli.cli import app

    target = tmp_path / "清单.docx"
    first = runner.invoke(app, ["checklist", str(LAPTOP), "-o", str(target)], catch_exceptions=False)
    assert first.exit_code == 0, first.stderr
    doc = Document(str(target))
    assert doc.paragraphs[0].text == "证据清单"
    assert len(doc.tables) == 1
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    again = runner.invoke(app, ["checklist", str(LAPTOP), "-o", str(target)], catch_exceptions=False)
    assert again.exit_code == 2 and "--force" in again.stderr
    forced = runner.invoke(app, ["checklist", str(LAPTOP), "-o", str(target), "--force"], catch_exceptions=False)
    assert forced.exit_code == 0


def test_docx_without_a_file_is_refused(runner: CliRunner) -> None:
    from rightscli.cli import app

    result = runner.invoke(app, ["checklist", str(LAPTOP), "--format", "docx"], catch_exceptions=False)
    assert result.exit_code == 2
    assert "-o" in result.stderr and result.stdout == ""


def test_english_markdown(runner: CliRunner) -> None:
    from rightscli.cli import app

    result = runner.invoke(app, ["checklist", str(LAPTOP), "--lang", "en", "-f", "md"], catch_exceptions=False)
    assert result.exit_code == 0
    assert result.stdout.startswith("# Evidence checklist\n")
    assert "Why it matters" in result.stdout
