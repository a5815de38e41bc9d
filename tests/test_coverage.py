"""Every problem kind has at least one rule on every platform (national law counts for all of them)."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from rightscli import vocab
from rightscli.catalog import Catalog
from rightscli.cli import app
from rightscli.coverage import coverage


def test_no_empty_cell(catalog: Catalog) -> None:
    result = coverage(catalog)
    assert result.kinds == vocab.PROBLEM_KINDS
    assert not result.empty(), f"problem kinds with no rule on a platform: {result.empty()}"


def test_coverage_sees_platform_rules_only_on_their_platform(catalog: Catalog) -> None:
    result = coverage(catalog)
    for (_kind, platform), ids in result.cells.items():
        for pid in ids:
            jurisdiction = pid.split(".")[0]
            assert jurisdiction in ("cn", platform) or (jurisdiction == "taobao" and platform == "tmall"), pid


def test_coverage_cli() -> None:
    runner = CliRunner()
    table = runner.invoke(app, ["policies", "coverage"], catch_exceptions=False)
    assert table.exit_code == 0
    assert "changed_mind" in table.stdout
    data = json.loads(runner.invoke(app, ["policies", "coverage", "--pinned", "--json"]).stdout)
    assert data["empty"] == []
    assert set(data["cells"]) == set(vocab.PROBLEM_KINDS[: vocab.PROBLEM_KINDS.index("refused_invoice") + 1])
