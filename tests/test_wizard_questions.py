"""The questions file is data, read strictly; the interface catalogues agree; the category is suggested from data."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from rightscli import vocab
from rightscli.case import known_paths
from rightscli.errors import UserError
from rightscli.i18n import default_lang, has, tr
from rightscli.wizard.questions import load_questions, questions_file

# These tests check the wording of English messages (the default interface is Chinese).
pytestmark = pytest.mark.usefixtures("english")

GOOD = """\
questions:
  - id: platform
    type: choice
    ask: first
    prompt: {zh: 平台, en: platform}
    choices: {tmall: {zh: 天猫, en: Tmall}, taobao: {zh: 淘宝, en: Taobao}, jd: {zh: 京东, en: JD},
              pinduoduo: {zh: 拼多多, en: Pinduoduo}, douyin: {zh: 抖音, en: Douyin}, other: {zh: 其他, en: other}}
  - {id: order.item, type: text, ask: first, prompt: {zh: 商品, en: item}}
  - {id: order.price, type: money, ask: first, prompt: {zh: 金额, en: price}}
  - {id: order.paid_on, type: date, ask: first, prompt: {zh: 付款, en: paid}}
  - id: problem.kinds
    type: multi_choice
    ask: first
    prompt: {zh: 问题, en: problem}
    choices: KINDS
"""


def write(tmp_path: Path, text: str) -> Path:
    kinds = "{" + ", ".join(f"{k}: {{zh: {k}, en: {k}}}" for k in vocab.PROBLEM_KINDS) + "}"
    path = tmp_path / "questions.yaml"
    path.write_text(text.replace("KINDS", kinds), encoding="utf-8")
    return path


def error_of(path: Path) -> str:
    with pytest.raises(UserError) as info:
        load_questions(path)
    return str(info.value)


def test_bundled_questions_load_and_cover_the_model() -> None:
    qs = load_questions()
    fields = known_paths()
    for q in qs.questions:
        assert q.id in fields
        if q.type in ("choice", "multi_choice"):
            allowed = fields[q.id].choices
            assert [v for v, _ in q.choices] == list(allowed) or {v for v, _ in q.choices} == set(allowed)
            assert all(label.zh and label.en for _, label in q.choices)
    for path, f in fields.items():
        if f.required:
            assert qs.get(path) is not None and qs.get(path).ask == "first"  # type: ignore[union-attr]
    history = qs.get("history")
    assert history is not None and {v for v, _ in history.choices} == set(vocab.EVENTS)


def test_questions_file_is_not_read_as_a_rule(catalog) -> None:
    assert questions_file().is_file()
    assert all("question" not in p.file for p in catalog.policies)


def test_a_minimal_file_loads(tmp_path: Path) -> None:
    qs = load_questions(write(tmp_path, GOOD))
    assert qs.ids() == ["platform", "order.item", "order.price", "order.paid_on", "problem.kinds"]


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (
            lambda s: s.replace(
                "ask: first\n    prompt: {zh: 平台", "ask: first\n    colour: red\n    prompt: {zh: 平台"
            ),
            r"questions.yaml:5, field 'questions\[0\].colour': unknown key 'colour'",
        ),
        (lambda s: s.replace("type: money", "type: date"), r"holds money values; its question type must be money"),
        (lambda s: s.replace("douyin: {zh: 抖音, en: Douyin}, ", ""), r"no label for 'douyin'"),
        (lambda s: s.replace("jd: {zh: 京东, en: JD}", "jdd: {zh: 京东, en: JD}"), r"'jdd' is not a value of platform"),
        (lambda s: s.replace("{zh: 商品, en: item}", "{zh: 商品}"), r"field 'questions\[1\].prompt.en': is required"),
        (lambda s: s.replace("id: order.item,", "id: order.thing,"), r"'order.thing' is not a case path"),
        (
            lambda s: s.replace("ask: first, prompt: {zh: 金额", "ask: later, prompt: {zh: 金额"),
            r"unknown value 'later'",
        ),
        (
            lambda s: s.replace("{id: order.price, type: money, ask: first,", "{id: order.price, type: money,"),
            r"required case field 'order.price' needs a question with ask: first",
        ),
        (lambda s: s + "  - {id: order.item, type: text, prompt: {zh: a, en: b}}\n", r"'order.item' is also defined"),
        (
            lambda s: (
                s + "  - {id: order.loss, type: money, prompt: {zh: a, en: b}, when: {fact: order.nope, eq: 1}}\n"
            ),
            r"unknown fact 'order.nope'",
        ),
        (
            lambda s: s + "  - {id: order.loss, type: money, prompt: {zh: a, en: b}, default: -3}\n",
            r"not a valid default",
        ),
        (lambda s: s + "category_hints: {clothes: [大衣]}\n", r"unknown value 'clothes'"),
    ],
)
def test_strict_reading_names_file_line_and_key(tmp_path: Path, change, expected: str) -> None:
    message = error_of(write(tmp_path, change(GOOD)))
    assert re.search(expected, message), message
    assert "questions.yaml" in message


def test_unknown_top_level_key(tmp_path: Path) -> None:
    message = error_of(write(tmp_path, GOOD + "extra: 1\n"))
    assert "unknown key 'extra'" in message and "questions.yaml:" in message


@pytest.mark.parametrize(
    ("item", "category"),
    [
        ("羽绒服", "clothing"),
        ("加厚羊毛大衣", "clothing"),
        ("华为手机 Mate 60", "electronics"),
        ("手机壳", "other"),  # the longer word wins over 手机
        ("iPhone 15", "electronics"),
        ("Wool coat", "clothing"),
        ("全麦面包", "food"),
        ("阳澄湖大闸蟹", "fresh_food"),
        ("男士内裤", "underwear_hygiene"),
        ("海尔冰箱", "home_appliance"),
        ("视频会员月卡", "virtual_goods"),
        ("earrings", "jewelry"),
        ("a string of lights", None),  # whole words only: no "ring", no "tea"
        ("", None),
    ],
)
def test_category_suggested_from_the_item_name(item: str, category: str | None) -> None:
    assert load_questions().suggest_category(item) == category


def test_every_recipient_has_a_label() -> None:
    for r in vocab.RECIPIENTS:
        assert has(f"wizard.recipient_{r}")


def test_lookup_and_locale_default() -> None:
    assert tr("wizard.saved", "en", file="a.yaml") == "Saved the case file: a.yaml"
    assert tr("wizard.saved", "zh", file="a.yaml") == "已保存案件文件：a.yaml"
    assert tr("no-such-key", "en") == "no-such-key"
    assert default_lang({"LANG": "en_US.UTF-8"}) == "en"
    assert default_lang({"LANG": "zh_CN.UTF-8"}) == "zh"
    assert default_lang({"LC_ALL": "en_GB.UTF-8", "LANG": "zh_CN.UTF-8"}) == "en"
    assert default_lang({"LANG": "de_DE.UTF-8"}) == "zh"
    assert default_lang({"LANG": "C.UTF-8"}) == "zh"
    assert default_lang({}) == "zh"
