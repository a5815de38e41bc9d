"""The buyer profile: asked once, kept private in the user's config folder, shown, edited and forgotten."""

from __future__ import annotations

import json
import stat
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from rightscli import profile
from rightscli.cli import app
from rightscli.errors import UserError
from rightscli.wizard.prompts import SKIP, Ask, Prompter, Reply
from rightscli.wizard.run import Options, run_wizard

# These tests check the wording of English messages (the default interface is Chinese).
pytestmark = pytest.mark.usefixtures("english")


@pytest.fixture(autouse=True)
def config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "config" / "rightscli"
    monkeypatch.setenv("RIGHTS_CONFIG_DIR", str(folder))
    monkeypatch.chdir(tmp_path)
    return folder


def cli(*args: str, stdin: str | None = None):
    return CliRunner().invoke(app, ["profile", *args], input=stdin, catch_exceptions=False)


def test_save_load_forget_with_private_modes(config: Path) -> None:
    assert profile.load_profile() == {}
    path = profile.save_profile({"name": " 张三 ", "phone": "13800138000", "address": ""})
    assert path == config / "profile.yaml"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(config.stat().st_mode) == 0o700
    assert profile.load_profile() == {"name": "张三", "phone": "13800138000"}
    assert profile.forget_profile() == path
    assert not path.exists()
    assert profile.forget_profile() is None


def test_default_folder_comes_from_platformdirs(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    import platformdirs

    monkeypatch.delenv("RIGHTS_CONFIG_DIR")
    seen: list[str] = []

    def fake(appname: str, **kwargs: Any) -> str:
        seen.append(appname)
        return str(tmp_path / "pd")

    monkeypatch.setattr(platformdirs, "user_config_dir", fake)
    assert profile.profile_path() == tmp_path / "pd" / "profile.yaml"
    assert seen == ["rightscli"]


def test_a_damaged_profile_is_reported_with_file_and_line(config: Path) -> None:
    config.mkdir(parents=True)
    (config / "profile.yaml").write_text("name: 张三\nemail: a@b.c\n", encoding="utf-8")
    with pytest.raises(UserError) as info:
        profile.load_profile()
    assert "profile.yaml:2" in str(info.value) and "unknown key 'email'" in str(info.value)
    (config / "profile.yaml").write_text("name: [a, b]\n", encoding="utf-8")
    with pytest.raises(UserError) as info:
        profile.load_profile()
    assert "buyer.name" in str(info.value) and "expected text" in str(info.value)


def test_commands_show_edit_forget(config: Path) -> None:
    result = cli("show", "--lang", "en")
    assert result.exit_code == 0 and "No profile saved" in result.stdout
    result = cli("edit", "--name", "李四", "--phone", "13900000000", "--lang", "en")
    assert result.exit_code == 0, result.stderr
    assert "Saved your profile" in result.stderr
    result = cli("show", "--json")
    data = json.loads(result.stdout)
    assert data["name"] == "李四" and data["phone"] == "13900000000" and data["address"] is None
    result = cli("edit", "--address", "上海")
    assert json.loads(cli("show", "--json").stdout)["name"] == "李四"  # other fields kept
    result = cli("show", "--lang", "zh")
    assert "姓名: 李四" in result.stdout and "地址: 上海" in result.stdout
    result = cli("forget", "--lang", "en")
    assert result.exit_code == 0 and "Deleted your profile" in result.stdout
    assert cli("forget", "--lang", "en").stdout.startswith("No profile saved")


def test_edit_reads_piped_lines(config: Path) -> None:
    result = cli("edit", stdin="王五\n13700000000\n广州市\n")
    assert result.exit_code == 0, result.stderr
    assert profile.load_profile() == {"name": "王五", "phone": "13700000000", "address": "广州市"}


def test_edit_refuses_bad_values(config: Path) -> None:
    result = cli("edit", "--name", "x" * 6000)
    assert result.exit_code == 2 and "buyer.name" in result.stderr


class Buyer(Prompter):
    interactive = True

    def __init__(self, replies: dict[str, Any]) -> None:
        super().__init__("en")
        self.replies = replies
        self.asked: list[str] = []
        self.confirmed: list[str] = []

    def ask(self, a: Ask) -> Reply:
        self.asked.append(a.question.id)
        value = self.replies.get(a.question.id)
        return SKIP if value is None else Reply("value", value)

    def say(self, text: str) -> None:
        pass

    def confirm(self, text: str, default: bool) -> bool:
        self.confirmed.append(text)
        return True


REQUIRED = {
    "platform": "taobao",
    "order.item": "大衣",
    "order.category": "clothing",
    "order.price": "299",
    "order.paid_on": "2026-11-08",
    "problem.kinds": ["changed_mind"],
}


def test_the_wizard_asks_once_then_reuses_the_profile(capsys: pytest.CaptureFixture[str]) -> None:
    first = Buyer({**REQUIRED, "buyer.name": "赵六", "buyer.phone": "13600000000", "buyer.address": "深圳"})
    opts = Options(today=date(2026, 11, 20), lang="en", save="one.yaml")
    run_wizard(opts, prompter=first)
    assert {"buyer.name", "buyer.phone", "buyer.address"} <= set(first.asked)
    assert any("Remember your name" in c for c in first.confirmed)
    assert profile.load_profile() == {"name": "赵六", "phone": "13600000000", "address": "深圳"}
    second = Buyer(REQUIRED)
    run_wizard(Options(today=date(2026, 11, 20), lang="en", save="two.yaml"), prompter=second)
    assert not {"buyer.name", "buyer.phone", "buyer.address"} & set(second.asked)
    assert "赵六" in Path("two.yaml").read_text(encoding="utf-8")
    assert not second.confirmed
    capsys.readouterr()
