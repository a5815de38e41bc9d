"""The real program in a pseudo-terminal (pexpect): arrow-key menus, an invalid answer, going back, the review
screen, Ctrl-C with a partial save, and the resume from it. Every expect has a timeout; children are always closed."""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml

pexpect = pytest.importorskip("pexpect")
pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="pseudo-terminals are POSIX only")

TIMEOUT = 10
DOWN = "\x1b[B"
MENU = re.escape("(↑↓ to move, Enter to choose, < to go back)")
CHECK = re.escape("(↑↓ to move, Space to tick, Enter to confirm, < to go back)")


@pytest.fixture
def spawn(tmp_path: Path) -> Iterator:
    children: list = []

    def start(*args: str):
        env = {
            **os.environ,
            "TERM": "xterm-256color",
            "PROMPT_TOOLKIT_NO_CPR": "1",  # no cursor-position queries the test would have to answer
            "RIGHTS_CONFIG_DIR": str(tmp_path / "config"),
            "COLUMNS": "120",
            "LINES": "50",
        }
        child = pexpect.spawn(
            sys.executable,
            ["-m", "rightscli", "wizard", "--as-of", "2026-11-20", *args],
            cwd=str(tmp_path),
            env=env,
            encoding="utf-8",
            timeout=TIMEOUT,
            dimensions=(50, 120),
        )
        children.append(child)
        return child

    yield start
    for child in children:
        child.close(force=True)


GAP = r"(?:\x1b\[[0-9;?]*[A-Za-z]|\s)*"  # spaces and terminal control sequences between two styled pieces


def question(child, number: int, text: str) -> None:
    child.expect(re.escape(f"[{number}]") + GAP + re.escape(text))


def answer_the_rest(child, number: int, review: str = "Check your answers") -> int:
    """Press Enter on every further question (menus: the highlighted choice; text: skip) up to the review.

    The question number is drawn by the prompt itself, after the terminal is in raw mode, so keys sent then are
    not lost."""
    while True:
        i = child.expect([re.escape(f"[{number}]") + GAP + r"\S", review])
        if i == 1:
            return number
        child.send("\r")
        number += 1


def test_full_interview_with_an_invalid_answer_and_back_steps(spawn, tmp_path: Path) -> None:
    child = spawn("--lang", "en", "--save", "coat.yaml")
    child.expect("A few questions about this order")
    question(child, 1, "Which platform was the order placed on?")
    child.expect(MENU)
    child.send(DOWN)  # Tmall → Taobao
    child.send("\r")
    question(child, 2, "What did you buy?")
    child.sendline("羽绒服")
    child.expect("Suggested from the item name: clothing")  # printed above the menu
    question(child, 3, "What kind of goods is it?")
    child.expect(MENU)
    child.send("\r")  # the suggestion is highlighted
    question(child, 4, "How much did you actually pay (yuan)?")
    child.sendline("abc")  # invalid: explained, asked again
    child.expect("That answer cannot be used: 'abc' is not an amount")
    question(child, 4, "How much did you actually pay (yuan)?")
    child.sendline("¥299.5")
    question(child, 5, "When did you pay?")
    child.sendline("<")  # back one question
    question(child, 4, "How much did you actually pay (yuan)?")
    child.expect("299.50")  # the earlier answer is offered again
    child.send("\r")
    question(child, 5, "When did you pay?")
    child.sendline("11月8日")
    question(child, 6, "What went wrong?")
    child.send("<")  # `<` in a menu goes back too
    question(child, 5, "When did you pay?")
    child.send("\r")
    question(child, 6, "What went wrong?")
    child.expect(CHECK)
    child.send(" ")  # tick "changed my mind"
    child.send("\r")
    question(child, 7, "When did you sign for the goods?")
    child.sendline("3天前")
    answer_the_rest(child, 8)
    child.expect(re.escape("✔ All correct: save"))
    child.send(DOWN)  # the review starts on "save"; down wraps round to the first answer, the platform
    child.send("\r")
    child.expect(r"\[(\d+)\]" + GAP + re.escape("Which platform was the order placed on?"))
    number = int(child.match.group(1))
    child.send(DOWN)  # from the current answer (Taobao) to JD
    child.send("\r")
    answer_the_rest(child, number + 1)  # whatever JD's rules need, then the review again
    child.expect(re.escape("Which platform was the order placed on?  →  JD"))
    child.send("\r")
    child.expect(re.escape("Saved the case file: coat.yaml"))
    child.expect("7-day no-reason return")
    if child.expect(["Write letters now", "Next, you can run"]) == 0:  # once `rights letter` exists
        child.send("\r")  # none ticked
        child.expect("Next, you can run")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    data = yaml.safe_load((tmp_path / "coat.yaml").read_text(encoding="utf-8"))
    assert data["platform"] == "jd"  # changed on the review screen
    assert data["order"]["item"] == "羽绒服"
    assert data["order"]["category"] == "clothing"
    assert data["order"]["price"] == 299.5
    assert data["order"]["paid_on"].isoformat() == "2026-11-08"
    assert data["order"]["received_on"].isoformat() == "2026-11-17"
    assert data["problem"]["kinds"] == ["changed_mind"]
    assert oct((tmp_path / "coat.yaml").stat().st_mode & 0o777) == "0o600"


def test_ctrl_c_saves_a_partial_case_and_the_wizard_resumes_from_it(spawn, tmp_path: Path) -> None:
    child = spawn("--lang", "zh")
    question(child, 1, "在哪个平台下的单？")
    child.expect(re.escape("（↑↓ 选择，回车确认，< 返回上一题）"))
    child.send("\r")  # 天猫
    question(child, 2, "买的是什么商品？")
    child.sendline("华为手机")
    child.expect("根据商品名称推荐：电子产品")
    question(child, 3, "商品属于哪一类？")
    child.send("\x03")  # Ctrl-C
    child.expect("要把已有的回答保存下来")
    child.send("y")
    child.expect("保存为")
    child.send("\r")
    child.expect(re.escape("rights wizard --answers case-new.partial.yaml"))
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 130
    partial = tmp_path / "case-new.partial.yaml"
    assert yaml.safe_load(partial.read_text(encoding="utf-8")) == {
        "case_version": 1,
        "platform": "tmall",
        "order": {"item": "华为手机"},
    }
    assert oct(partial.stat().st_mode & 0o777) == "0o600"

    child = spawn("--lang", "zh", "--answers", "case-new.partial.yaml", "--save", "phone.yaml")
    child.expect("已读入 2 项回答")
    child.expect("根据商品名称推荐：电子产品")
    question(child, 1, "商品属于哪一类？")  # only what is missing: no platform, no item
    assert "在哪个平台下的单" not in child.before
    child.send("\r")
    question(child, 2, "实际支付了多少钱（元）？")
    child.sendline("3999")
    question(child, 3, "哪天付的款？")
    child.sendline("2026-11-01")
    question(child, 4, "遇到了什么问题？")
    child.send(DOWN)
    child.send(" ")  # 质量问题
    child.send("\r")
    question(child, 5, "")  # whatever comes next, Ctrl-C on it
    child.send("\x03")
    child.expect("要把已有的回答保存下来")
    child.send("n")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 130
    assert not (tmp_path / "phone.yaml").exists()


def test_back_then_forward_asks_each_question_again_in_order(spawn, tmp_path: Path) -> None:
    """A linear stepper: two steps back, then forward again through the same questions, in order."""
    child = spawn("--lang", "zh", "--save", "coat.yaml")
    question(child, 1, "在哪个平台下的单？")
    child.send("\r")
    question(child, 2, "买的是什么商品？")
    child.sendline("羊毛大衣")
    question(child, 3, "商品属于哪一类？")
    child.send("\r")
    question(child, 4, "实际支付了多少钱（元）？")
    child.sendline("899")
    question(child, 5, "哪天付的款？")
    child.sendline("<")  # back to the price
    question(child, 4, "实际支付了多少钱（元）？")
    child.sendline("<")  # back to the category
    question(child, 3, "商品属于哪一类？")
    child.send("\r")
    question(child, 4, "实际支付了多少钱（元）？")  # forward: the price again, its answer offered
    child.expect("899")
    child.send("\r")
    question(child, 5, "哪天付的款？")  # then the question left with <
    child.send("\x03")
    child.expect("要把已有的回答保存下来")
    child.send("n")
    child.expect(pexpect.EOF)


def test_keys_typed_ahead_cannot_skip_the_letter_step(spawn, tmp_path: Path) -> None:
    """Enter pressed several times while the assessment prints: the letter step still waits for the buyer, in
    Chinese widgets (no "(Use arrow keys)", no "done (2 selections)", no "Yes"/"No")."""
    case = Path(__file__).resolve().parent.parent / "examples" / "changed-mind-in-time.yaml"
    child = spawn("--lang", "zh", "--answers", str(case), "--save", "hoodie.yaml")
    answer_the_rest(child, 1, "请核对您的回答")
    child.send("\r\r\r\r")  # save, and three more Enters typed ahead
    child.expect("已保存案件文件：hoodie.yaml")
    child.expect("要现在写信吗")
    assert child.expect(["下一步可以运行", pexpect.TIMEOUT], timeout=2) == 1, "the letter step was skipped"
    child.send(" ")  # tick the first recipient
    child.send("\r")
    child.expect("信件保存为哪种格式")
    child.send("\r")  # docx
    child.expect("已写好：")
    child.expect("下一步可以运行")
    child.expect(pexpect.EOF)
    shown = child.before or ""
    for english in ("Use arrow keys", "selections)", "(Y/n)", "Yes", "No\r"):
        assert english not in shown
    assert list(tmp_path.glob("letter-*-hoodie.docx"))
    data = yaml.safe_load((tmp_path / "hoodie.yaml").read_text(encoding="utf-8"))
    assert "as_of" not in data or data["as_of"].isoformat() == "2026-11-20"  # as it was in the answers file
