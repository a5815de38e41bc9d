"""rightscli.charcheck: the characters text from a file may not hold, and where they are."""

from __future__ import annotations

import pytest

from rightscli.charcheck import find_unsafe, problems, unsafe_char


@pytest.mark.parametrize("text", ["普通文字", "tab\tand\nnew line", "全角空格\u3000和不换行空格\u00a0", "é 👍🏽 ①"])
def test_ordinary_text_is_fine(text: str) -> None:
    assert unsafe_char(text) is None


@pytest.mark.parametrize(
    ("text", "index", "code"),
    [("ab\x1b[2J", 2, "U+001B"), ("x\x9bq", 1, "U+009B"), ("退款\u202e元", 2, "U+202E"), ("a\u2028b", 1, "U+2028")],
)
def test_the_first_bad_character_is_found_and_named_by_code_point(text: str, index: int, code: str) -> None:
    found = find_unsafe(text)
    assert found is not None and found[0] == index and code in found[1]
    assert text[index] not in found[1]  # named, never echoed


def test_carriage_returns_may_be_allowed() -> None:
    assert find_unsafe("a\r\nb") is not None
    assert find_unsafe("a\r\nb", allowed="\t\n\r") is None


def test_problems_come_in_the_order_of_the_file_with_their_paths() -> None:
    data = {"a": "ok", "b\u200b": ["x", "y\x07"], "c": {"d": "\u202e"}}
    assert [path for path, _ in problems(data)] == ["b\u200b", "b\u200b[1]", "c.d"]
