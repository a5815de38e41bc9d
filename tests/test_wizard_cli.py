"""`rights wizard` without a terminal: --no-input, --set, --answers, piped answers, saving; and its start-up cost."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from rightscli.cli import app

# These tests check the wording of English messages (the default interface is Chinese).
pytestmark = pytest.mark.usefixtures("english")

ROOT = Path(__file__).parent.parent
BASE = ROOT / "tests" / "scenarios" / "base_case.yaml"
REQUIRED_SETS = [
    "-s", "platform=taobao",
    "-s", "order.item=羊毛大衣",
    "-s", "order.price=¥299",
    "-s", "order.paid_on=2026-11-08",
    "-s", "problem.kinds=changed_mind",
]  # fmt: skip
AS_OF = ["--as-of", "2026-11-20"]


@pytest.fixture(autouse=True)
def _isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Each test in its own folder with its own (empty) profile folder."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("RIGHTS_CONFIG_DIR", str(tmp_path / "config"))
    return tmp_path


def run(*args: str, stdin: str | None = None):
    return CliRunner().invoke(app, ["wizard", *args], input=stdin, catch_exceptions=False)


def saved(path: str | Path) -> dict:
    return yaml.safe_load(Path(path).read_text(encoding="utf-8"))


def test_no_input_lists_every_missing_required_answer() -> None:
    result = run("--no-input", "--lang", "en", "-s", "order.item=大衣")
    assert result.exit_code == 2
    assert "Traceback" not in result.stderr
    lines = [line.split("#")[0].strip() for line in result.stderr.splitlines() if line.strip().startswith("--set")]
    assert lines[:4] == [
        "--set platform=VALUE",
        "--set order.price=VALUE",
        "--set order.paid_on=VALUE",
        "--set problem.kinds=VALUE",
    ]
    assert "--set merchant.address=VALUE" in lines  # then what the letters need
    assert "4 required answer(s) missing" in result.stderr
    assert "tmall | taobao" in result.stderr  # the values a choice takes
    assert not list(Path().glob("*.yaml"))


def test_no_input_in_chinese_by_default(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LANG", "zh_CN.UTF-8")
    monkeypatch.delenv("RIGHTS_LANG", raising=False)
    monkeypatch.delenv("LC_ALL", raising=False)
    monkeypatch.delenv("LC_MESSAGES", raising=False)
    result = run("--no-input")
    assert result.exit_code == 2
    assert "缺少 5 项必填回答" in result.stderr


def test_no_input_with_sets_saves_a_valid_private_case() -> None:
    result = run("--no-input", "--lang", "en", *AS_OF, *REQUIRED_SETS, "-s", "order.received_on=3天前")
    assert result.exit_code == 0, result.stderr
    path = Path("case-2026-11-08.yaml")
    assert f"Saved the case file: {path}" in result.stderr
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    data = saved(path)
    assert data["order"]["price"] == 299.0
    assert data["order"]["received_on"].isoformat() == "2026-11-17"
    assert data["order"]["category"] == "clothing"  # suggested from the item name, used as the default
    assert "as_of" not in data  # --as-of counts for the run; the saved case does not keep it
    assert "order.category=clothing" in result.stderr  # defaults are reported
    assert "7-day no-reason return" in result.stdout  # the assessment follows
    assert "rights letter case-2026-11-08.yaml --to merchant" in result.stdout
    check = CliRunner().invoke(app, ["assess", str(path), "--json"])
    assert check.exit_code == 0, check.stderr
    art25 = next(f for f in json.loads(check.stdout)["findings"] if f["policy"] == "cn.cpl.art25")
    assert art25["deadline"] == "2026-11-24"


def test_set_beats_answers_and_answers_beat_the_profile(tmp_path: Path) -> None:
    profile = tmp_path / "config"
    profile.mkdir()
    (profile / "profile.yaml").write_text("name: 李四\nphone: '13900000000'\naddress: 北京\n", encoding="utf-8")
    answers = yaml.safe_load(BASE.read_text(encoding="utf-8"))
    answers["buyer"]["phone"] = None
    answers["order"]["price"] = 299
    (tmp_path / "answers.yaml").write_text(yaml.safe_dump(answers, allow_unicode=True), encoding="utf-8")
    result = run("--no-input", *AS_OF, "--answers", "answers.yaml", "-s", "order.price=199.5", "--save", "out.yaml")
    assert result.exit_code == 0, result.stderr
    data = saved("out.yaml")
    assert data["order"]["price"] == 199.5  # --set over --answers
    assert data["buyer"]["name"] == "张三"  # --answers over the profile
    assert data["buyer"]["phone"] == "13900000000"  # the profile where the answers say nothing
    assert data["order"]["item"] == "羊毛大衣"


def test_bad_set_values_are_refused_like_bad_case_files() -> None:
    result = run("--no-input", *REQUIRED_SETS, "-s", "order.price=-5", "-s", "order.recieved_on=昨天")
    assert result.exit_code == 2
    assert "unknown key 'order.recieved_on'; did you mean 'order.received_on'?" in result.stderr
    result = run("--no-input", *REQUIRED_SETS, "-s", "order.price=-5")
    assert result.exit_code == 2
    assert "--set, field 'order.price'" in result.stderr and "negative" in result.stderr
    result = run("--no-input", *REQUIRED_SETS, "-s", "platform=tmal")
    assert result.exit_code == 2 and "did you mean 'tmall'" in result.stderr
    result = run("--no-input", *REQUIRED_SETS, "-s", "order.price")
    assert result.exit_code == 2 and "not KEY=VALUE" in result.stderr


def test_bad_answers_file_names_file_and_line(tmp_path: Path) -> None:
    (tmp_path / "bad.yaml").write_text("platform: taobao\norder:\n  price: -3\n", encoding="utf-8")
    result = run("--no-input", "--answers", "bad.yaml")
    assert result.exit_code == 2
    assert "bad.yaml:3, field 'order.price'" in result.stderr
    result = run("--no-input", "--answers", "missing.yaml")
    assert result.exit_code == 2 and "missing.yaml: file not found" in result.stderr


def test_never_overwrites_without_force_in_no_input(tmp_path: Path) -> None:
    target = tmp_path / "case.yaml"
    target.write_text("keep me\n", encoding="utf-8")
    result = run("--no-input", *AS_OF, *REQUIRED_SETS, "--save", "case.yaml")
    assert result.exit_code == 2
    assert "case.yaml" in result.stderr and "--force" in result.stderr
    assert target.read_text(encoding="utf-8") == "keep me\n"
    result = run("--no-input", *AS_OF, *REQUIRED_SETS, "--save", "case.yaml", "--force")
    assert result.exit_code == 0, result.stderr
    assert saved(target)["platform"] == "taobao"
    assert stat.S_IMODE(target.stat().st_mode) == 0o600


def test_piped_answers_with_an_invalid_answer_and_a_back_step() -> None:
    lines = [
        "2",  # platform: 2) taobao
        "羽绒服",  # item
        "",  # category: the suggestion (clothing)
        "abc",  # price: refused and explained
        "299.5",  # price again
        "<",  # back from paid_on to price
        "",  # price: keep 299.50
        "11月8日",  # paid_on
        "1",  # kinds: changed_mind
    ]
    result = run("--lang", "en", *AS_OF, "--save", "piped.yaml", stdin="\n".join(lines) + "\n")
    assert result.exit_code == 0, result.stderr
    err = result.stderr
    assert "[1] Which platform was the order placed on?" in err
    assert " 1) Tmall" in err and " 2) Taobao" in err  # numbered choices
    assert "Suggested from the item name: clothing" in err
    assert "'abc' is not an amount" in err
    assert err.count("[4] How much did you actually pay") == 3  # asked, re-asked, asked after going back
    assert "Input ended" in err  # the rest take their defaults
    data = saved("piped.yaml")
    assert data["platform"] == "taobao"
    assert data["order"]["price"] == 299.5
    assert data["order"]["paid_on"].isoformat() == "2026-11-08"
    assert data["order"]["category"] == "clothing"
    assert data["problem"]["kinds"] == ["changed_mind"]
    assert "== " in result.stdout or "7-day" in result.stdout  # the assessment is on stdout, prompts on stderr
    assert "[1]" not in result.stdout


def test_resume_from_a_partial_answers_file_asks_only_what_is_missing(tmp_path: Path) -> None:
    partial = {"platform": "tmall", "order": {"item": "羊毛大衣", "category": "clothing", "price": 899}}
    (tmp_path / "partial.yaml").write_text(yaml.safe_dump(partial, allow_unicode=True), encoding="utf-8")
    result = run(
        "--lang", "en", *AS_OF, "--answers", "partial.yaml", "--save", "done.yaml", stdin="2026-11-08\n3\n11-12\n"
    )
    assert result.exit_code == 0, result.stderr
    err = result.stderr
    assert "Read 4 answers" in err
    assert "Which platform" not in err and "What did you buy" not in err and "How much" not in err
    assert "[1] When did you pay?" in err
    assert "[2] What went wrong?" in err
    assert "[3] When did you sign for the goods?" in err
    data = saved("done.yaml")
    assert data["order"]["price"] == 899.0
    assert data["problem"]["kinds"] == ["not_as_described"]
    assert data["order"]["received_on"].isoformat() == "2026-11-12"


def test_piped_input_ending_early_lists_the_missing_required_answers() -> None:
    result = run("--lang", "en", stdin="1\n大衣\n")
    assert result.exit_code == 2
    assert "Input ended before the required questions were answered" in result.stderr
    assert "--set order.price=VALUE" in result.stderr
    assert "--set platform=VALUE" not in result.stderr


def test_bad_lang_and_as_of() -> None:
    assert run("--no-input", "--lang", "fr").exit_code == 2
    result = run("--no-input", "--as-of", "2026-13-01")
    assert result.exit_code == 2 and "--as-of" in result.stderr


def test_start_up_does_not_import_the_wizard_or_its_prompt_library() -> None:
    code = (
        "import sys, rightscli.cli\n"
        "heavy = [m for m in sys.modules if m.split('.')[0] in ('questionary', 'prompt_toolkit')"
        " or m.startswith('rightscli.wizard') or m == 'rightscli.profile']\n"
        "print(heavy)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, env=os.environ)
    assert out.stdout.strip() == "[]"


def test_no_input_lists_what_the_rules_of_this_case_need() -> None:
    """Not only the required fields: a 7-day return needs the day the goods were signed for."""
    result = run(
        "--no-input", "--lang", "en", "-s", "platform=taobao", "-s", "problem.kinds=changed_mind",
        "-s", "order.category=clothing", "-s", "order.item=大衣",
    )  # fmt: skip
    assert result.exit_code == 2
    rules = result.stderr.split("The rules of this case also need")[1].split("The letters also need")[0]
    assert "--set order.received_on=VALUE" in rules
    assert "--set order.price=VALUE" in result.stderr.split("The rules of this case")[0]
