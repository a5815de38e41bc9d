"""Jinja's messages about a template it cannot read or run, in the interface's language (letters.template_problems)."""

from __future__ import annotations

import re
from pathlib import Path

import jinja2
import pytest

from rightscli.catalog import templates_dir
from rightscli.errors import TemplateError
from rightscli.letters.render import render
from rightscli.letters.template_problems import jinja_problem

# (template text, the English words, the Chinese words): each a mistake an author of a letter template makes.
MISTAKES = [
    ("{% if x %}\n", "the template ends before the 'if' block is closed: expected 'elif' or 'else' or 'endif'",
     "模板在“if”块闭合之前就结束了：缺少 'elif' 或 'else' 或 'endif'"),
    ("{% for a in items %}{% endif %}\n", "tag 'endif' does not belong here: the 'for' block is still open",
     "这里不能用标签“endif”：“for”块还没有闭合"),
    ("{% endif %}\n", "unknown tag 'endif'", "不认识的标签“endif”"),
    ("{% foo %}\n", "unknown tag 'foo'", "不认识的标签“foo”"),
    ("{{ title\n", "the template ends early: expected '}}'", "模板意外结束，缺少“}}”"),
    ("{{ title buyer }}\n", "expected '}}' here, got 'buyer'", "这里应当是“}}”，实际是“buyer”"),
    ("{{ title | }}\n", "expected 'name' here, got '}}'", "这里应当是“name”，实际是“}}”"),
    ("{% set %}\n", "expected an expression here, got '%}'", "这里应当有一个表达式，实际是“%}”"),
    ("{{ 'a }}\n", "the character \"'\" cannot appear here", "这里不能出现字符 \"'\""),
    ("{{ title }\n", "'}' cannot appear here", "这里不能出现“}”"),
    ("{# note\n", "a comment is not closed", "注释没有闭合"),
    ("{{ buyer. }}\n", "expected a name or a number here", "这里应当是名称或数字"),
    ("{{ nobody }}\n", "'nobody' is undefined", "变量“nobody”没有定义"),
    ("{{ buyer.nme }}\n", "'dict object' has no attribute 'nme'", "“dict object”中没有“nme”"),
    ("{{ items[5] }}\n", "list object has no element 5", "“list object”中没有编号为 5 的项"),
]  # fmt: skip
VALUES = {"buyer": {"name": "张三"}, "items": [1, 2], "title": "催告函"}


def problem_of(tmp_path: Path, text: str) -> str:
    (tmp_path / "merchant.md.j2").write_text(text, encoding="utf-8")
    with pytest.raises(TemplateError) as err:
        render(["merchant.md.j2"], VALUES, tmp_path, templates_dir())
    assert err.value.file is not None and err.value.file.endswith("merchant.md.j2")
    return err.value.message


@pytest.mark.usefixtures("english")
@pytest.mark.parametrize(("text", "words_en", "words_zh"), MISTAKES)
def test_a_template_mistake_in_english(tmp_path: Path, text: str, words_en: str, words_zh: str) -> None:
    assert words_en in problem_of(tmp_path, text)


@pytest.mark.parametrize(("text", "words_en", "words_zh"), MISTAKES)
def test_a_template_mistake_in_chinese(tmp_path: Path, text: str, words_en: str, words_zh: str) -> None:
    message = problem_of(tmp_path, text)
    assert words_zh in message
    # No English words left but what the author wrote (a tag, a variable, Jinja's names of its objects).
    words = set(re.findall(r"[A-Za-z]{2,}", message.split("；")[0]))
    assert words <= AUTHORS_WORDS, words


AUTHORS_WORDS = {"if", "elif", "else", "endif", "for", "endfor", "foo", "name"}  # Jinja's tags and token names
AUTHORS_WORDS |= {"buyer", "nobody", "nme", "title", "items", "dict", "list", "object"}  # variables; Jinja's types


def test_a_message_jinja_words_otherwise_is_shown_as_it_is() -> None:
    assert jinja_problem("some message a later Jinja gives") == "some message a later Jinja gives"


def test_the_messages_are_those_of_the_installed_jinja() -> None:
    """The patterns match what this Jinja says (a new wording in a later Jinja shows here, not as English text)."""
    env = jinja2.Environment()
    for text, _, _ in MISTAKES[:12]:
        with pytest.raises(jinja2.TemplateSyntaxError) as err:
            env.parse(text)
        assert jinja_problem(err.value.message or "") != err.value.message, text
