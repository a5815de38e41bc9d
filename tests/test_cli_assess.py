"""`rights assess` and `rights policies` through the real CLI: stdout, stderr and exit codes apart."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from rightscli.cli import app

# These tests check the wording of English messages (the default interface is Chinese).
pytestmark = pytest.mark.usefixtures("english")

ROOT = Path(__file__).parent.parent
BASE = ROOT / "tests" / "scenarios" / "base_case.yaml"
PINNED_FINDING_KEYS = {
    "policy",
    "title",
    "status",
    "remedies",
    "deadline",
    "days_left",
    "amount",
    "basis",
    "explanation",
}


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


def run(runner: CliRunner, *args: str, stdin: str | None = None):
    return runner.invoke(app, list(args), input=stdin, catch_exceptions=False)


def test_assess_json_is_the_pinned_shape(runner: CliRunner) -> None:
    result = run(runner, "assess", str(BASE), "--as-of", "2026-11-18", "--json")
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert set(data) >= {"as_of", "findings", "evidence", "next_steps", "warnings"}
    assert data["as_of"] == "2026-11-18"
    art25 = next(f for f in data["findings"] if f["policy"] == "cn.cpl.art25")
    assert set(art25) >= PINNED_FINDING_KEYS
    assert art25["status"] == "applies"
    assert art25["deadline"] == "2026-11-19"
    assert art25["days_left"] == 1
    assert art25["basis"][0] == {"document": "中华人民共和国消费者权益保护法", "article": "第二十五条"}
    for e in data["evidence"]:
        assert {"id", "label", "held", "for"} <= set(e)
    for s in data["next_steps"]:
        assert s["to"] in {"merchant", "platform", "association", "regulator", "court"}


def test_assess_as_of_changes_the_status(runner: CliRunner) -> None:
    result = run(runner, "assess", str(BASE), "--as-of", "2026-11-20", "--json")
    art25 = next(f for f in json.loads(result.stdout)["findings"] if f["policy"] == "cn.cpl.art25")
    assert art25["status"] == "expired"
    assert art25["days_left"] == -1


def test_assess_reads_stdin(runner: CliRunner) -> None:
    result = run(runner, "assess", "-", "--as-of", "2026-11-18", "--json", stdin=BASE.read_text(encoding="utf-8"))
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["findings"]


def test_assess_terminal_report(runner: CliRunner) -> None:
    result = run(runner, "assess", str(BASE), "--as-of", "2026-11-18", "--lang", "zh")
    assert result.exit_code == 0, result.stderr
    assert "七日无理由退货" in result.stdout
    assert "11月19日（还剩 1 天）" in result.stdout
    english = run(runner, "assess", str(BASE), "--as-of", "2026-11-18", "--lang", "en")
    assert "7-day no-reason return" in english.stdout


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["assess", "missing.yaml"], "missing.yaml: file not found"),
        (["assess", str(BASE), "--as-of", "2026-13-01"], "--as-of '2026-13-01' is not a date"),
        (["assess", str(BASE), "--as-of", "2026-11-01"], "after --as-of 2026-11-01"),
        (["assess", str(BASE), "--lang", "fr"], "--lang 'fr'"),
        (["policies", "show", "cn.cpl.art99"], "unknown policy id 'cn.cpl.art99'"),
        (["assess", str(BASE), "--policy-dir", "nowhere"], "nowhere: is not a folder of policy files"),
    ],
)
def test_bad_input_exits_2_with_a_message(runner: CliRunner, args: list[str], message: str) -> None:
    result = run(runner, *args)
    assert result.exit_code == 2
    assert message in result.stderr
    assert "Traceback" not in result.stderr
    assert result.stdout == ""


def test_invalid_case_from_stdin(runner: CliRunner) -> None:
    result = run(runner, "assess", "-", "--json", stdin="platform: tmall\norder: {price: -1}\n")
    assert result.exit_code == 2
    assert "<stdin>:2" in result.stderr
    assert "order.price" in result.stderr


def test_policies_list_and_show(runner: CliRunner) -> None:
    listed = run(runner, "policies", "list", "--json")
    assert listed.exit_code == 0
    ids = {p["id"] for p in json.loads(listed.stdout)}
    pinned = {
        "cn.cpl.art23",
        "cn.cpl.art24",
        "cn.cpl.art25",
        "cn.cpl.art44",
        "cn.cpl.art55",
        "cn.fsl.art148",
        "cn.ecl.art20",
        "cn.sanbao",
    }
    assert pinned <= ids
    shown = run(runner, "policies", "show", "cn.cpl.art25")
    assert shown.exit_code == 0
    assert "第二十五条" in shown.stdout
    assert "custom_made" in shown.stdout
    table = run(runner, "policies", "list")
    assert "cn.fsl.art148" in table.stdout


def test_policies_validate_bundled(runner: CliRunner) -> None:
    result = run(runner, "policies", "validate", "--as-of", "2026-11-23")
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith("OK:")


def test_policies_validate_user_file(runner: CliRunner, tmp_path: Path) -> None:
    bad = tmp_path / "mine.yaml"
    bad.write_text(
        "id: tmall.custom\ntitle: {zh: 测试, en: test}\njurisdiction: tmall\nsummary: {zh: x, en: x}\n"
        "sources: [{document: d, article: a}]\nlast_reviewed: 2026-01-01\nconfidence: verified\n"
        "when: {fact: order.prize, gt: 1}\nexplanation: {zh: x, en: x}\nremedy: [refund_only]\n",
        encoding="utf-8",
    )
    result = run(runner, "policies", "validate", str(bad))
    assert result.exit_code == 2
    assert "mine.yaml:8" in result.stderr and "unknown fact 'order.prize'" in result.stderr
    assert "mine.yaml:10" in result.stderr and "unknown key 'remedy'; did you mean 'remedies'" in result.stderr


def test_policies_validate_json_for_scripts(runner: CliRunner, tmp_path: Path) -> None:
    good = json.loads(run(runner, "policies", "validate", "--as-of", "2026-11-23", "--json").stdout)
    assert good["ok"] is True and good["errors"] == [] and good["policies"] > 50
    bad = tmp_path / "mine.yaml"
    bad.write_text("id: tmall.custom\ntitle: {zh: 测试, en: test}\nremedy: [refund_only]\n", encoding="utf-8")
    result = run(runner, "policies", "validate", str(bad), "--json")
    assert result.exit_code == 2 and result.stderr == ""
    out = json.loads(result.stdout)
    assert out["ok"] is False and out["files"] == 1
    assert {"file": str(bad), "line": 3, "field": "remedy"} in [
        {k: e[k] for k in ("file", "line", "field")} for e in out["errors"]
    ]
    assert all(set(e) == {"file", "line", "field", "message"} for e in out["errors"])


def test_policies_show_json_is_the_rule_as_loaded(runner: CliRunner) -> None:
    versions = json.loads(run(runner, "policies", "show", "cn.cpl.art25", "--json").stdout)
    assert [v["id"] for v in versions] == ["cn.cpl.art25"] * len(versions)
    assert versions[0]["title"]["zh"] == "七日无理由退货"
    first = versions[0]["sources"][0]
    assert (first["document"], first["article"]) == ("中华人民共和国消费者权益保护法", "第二十五条")
    unknown = run(runner, "policies", "show", "cn.cpl.art2", "--json")
    assert unknown.exit_code == 2 and unknown.stdout == "" and "did you mean 'cn.cpl.art26'" in unknown.stderr


def test_policy_dir_adds_rules(runner: CliRunner, tmp_path: Path) -> None:
    rule = tmp_path / "taobao.extra.yaml"
    rule.write_text(
        "id: taobao.extra\ntitle: {zh: 额外规则, en: extra rule}\njurisdiction: taobao\nsummary: {zh: x, en: x}\n"
        "sources: [{document: d, article: a}]\nlast_reviewed: 2026-11-01\nconfidence: verified\n"
        "when: {fact: platform, eq: taobao}\nexplanation: {zh: 说明, en: text}\n"
        "amount: {percent: {of: order.price, rate: 10, cap: 20}}\n",
        encoding="utf-8",
    )
    result = run(runner, "assess", str(BASE), "--as-of", "2026-11-18", "--json", "--policy-dir", str(tmp_path))
    assert result.exit_code == 0, result.stderr
    extra = next(f for f in json.loads(result.stdout)["findings"] if f["policy"] == "taobao.extra")
    assert extra["amount"] == 20.0


def test_version_flag(runner: CliRunner) -> None:
    result = run(runner, "--version")
    assert result.exit_code == 0
    assert result.stdout.startswith("rights ")


def test_policies_validate_reads_special_files_with_their_own_reader(runner: CliRunner, tmp_path: Path) -> None:
    evidence = (ROOT / "policies" / "evidence.yaml").read_text(encoding="utf-8")
    good = run(runner, "policies", "validate", str(ROOT / "policies" / "evidence.yaml"))
    assert good.exit_code == 0, good.stderr
    (tmp_path / "evidence.yaml").write_text(evidence.replace("unit: days", "unit: dayz", 1), encoding="utf-8")
    for target in (tmp_path / "evidence.yaml", tmp_path):
        bad = run(runner, "policies", "validate", str(target))
        assert bad.exit_code == 2
        assert "urgent.unit': unknown value 'dayz'" in bad.stderr
