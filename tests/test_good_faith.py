"""The good-faith statement of a report (举报) and of a punitive-damages claim, and `rights batch --to
regulator-report` refused without --allow-many-reports, saying why."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from typer.testing import CliRunner

from rightscli import datafile
from rightscli.case import validate_case
from rightscli.catalog import Catalog, templates_dir
from rightscli.cli import app
from rightscli.engine import assess
from rightscli.letters.context import build_letter_context
from rightscli.letters.render import render

ROOT = Path(__file__).parent.parent
SNEAKERS = ROOT / "examples" / "counterfeit-sneakers.yaml"
LAPTOP = ROOT / "examples" / "laptop-defect.yaml"


def letter(path: Path, recipient: str, catalog: Catalog) -> str:
    case = validate_case(datafile.load(str(path)))
    ctx = build_letter_context(assess(case, catalog, case.as_of or date(2026, 11, 20)), recipient)
    return render([f"letters/{recipient}.md.j2"], ctx.values, None, templates_dir())


def test_a_report_carries_the_good_faith_statement(catalog: Catalog) -> None:
    md = letter(SNEAKERS, "regulator-report", catalog)
    assert "不利用举报牟取不正当利益" in md and "第二十七条第二款" in md
    assert md.index("不利用举报牟取不正当利益") < md.index("此致")


def test_a_punitive_claim_carries_the_good_faith_statement(catalog: Catalog) -> None:
    for recipient, buyer in (("merchant", "本人"), ("regulator", "本人"), ("court", "原告")):
        md = letter(SNEAKERS, recipient, catalog)
        assert f"{buyer}购买上述商品用于生活消费" in md, recipient
        assert "第四十九条" in md and "捏造事实" in md
    # no punitive claim, no statement
    assert "用于生活消费" not in letter(LAPTOP, "merchant", catalog)


def test_a_batch_of_reports_needs_an_explicit_flag_and_says_why(tmp_path: Path) -> None:
    out = tmp_path / "out"
    refused = CliRunner().invoke(
        app, ["batch", str(SNEAKERS.parent), "--to", "regulator-report", "--out-dir", str(out)]
    )
    assert refused.exit_code == 2
    assert "--allow-many-reports" in refused.stderr and "第七条" in refused.stderr and "第三十五条" in refused.stderr
    assert not out.exists()
    allowed = CliRunner().invoke(
        app,
        ["batch", str(SNEAKERS.parent), "--to", "regulator-report", "--out-dir", str(out), "--allow-many-reports"],
    )
    assert "第七条" in allowed.stderr  # the warning says why each report must be a separate purchase
    assert allowed.exit_code in (0, 2), allowed.stderr  # 2 only when a case has nothing to report
    assert any(out.iterdir())
