"""datafile: limits that a YAML library may enforce before this module does get this module's message."""

from __future__ import annotations

import re

import pytest
import yaml

from rightscli import datafile
from rightscli.errors import InputError

# These tests check the wording of English messages (the default interface is Chinese).
pytestmark = pytest.mark.usefixtures("english")

DEEP_FLOW = "x: " + "[" * 50_000 + "]" * 50_000 + "\n"


@pytest.mark.parametrize(
    "problem",
    [
        "exceeded maximum nesting depth",  # libyaml 0.2.6 through PyYAML 6.0.4's C loader
        "Exceeded Maximum Nesting Depth",
        "maximum recursion depth exceeded",
    ],
)
def test_a_library_depth_limit_reads_as_the_projects_own_message(problem: str) -> None:
    assert datafile._library_problem(problem) == datafile._depth_message()


def test_other_library_problems_keep_their_words() -> None:
    assert datafile._library_problem("found unexpected token") == "is not valid YAML: found unexpected token"


def test_common_library_problems_are_put_in_plain_words() -> None:
    assert datafile._library_problem("found unexpected end of stream") == (
        "is not valid YAML: the file ends unexpectedly (often: an unclosed quote or bracket)"
    )


@pytest.fixture(params=["CSafeLoader", "SafeLoader"])
def either_loader(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    """datafile reads YAML with libyaml's loader where PyYAML has it: each test runs with that one and with PyYAML's
    own, put in its place."""
    if not hasattr(yaml, request.param):
        pytest.skip(f"this PyYAML has no {request.param}")
    monkeypatch.setattr(yaml, "CSafeLoader", getattr(yaml, request.param), raising=False)


@pytest.mark.usefixtures("either_loader")
def test_deep_flow_yaml_is_refused_with_the_depth_message_by_either_loader() -> None:
    # Whichever loader datafile picks, a deep flow list ends in the same message and never in a traceback.
    with pytest.raises(InputError) as caught:
        datafile.parse_yaml(DEEP_FLOW, "case.yaml")
    assert "nested too deeply" in str(caught.value)


def test_a_yaml_flow_mapping_is_read_as_yaml_not_refused_as_json() -> None:
    doc = datafile.parse_text("{platform: taobao, order: {price: 299, paid_on: 2026-11-08}}\n", "case.yaml")
    assert doc.data == {"platform": "taobao", "order": {"price": 299, "paid_on": "2026-11-08"}}
    assert doc.json_text is None and doc.line_of("order.price") == 1
    assert datafile.parse_text('{"platform": "taobao"}', "case.yaml").json_text is not None


@pytest.mark.parametrize(
    ("text", "name", "message"),
    [
        ('{"platform": "taobao",, }', "case.yaml", "is not valid JSON"),  # written as JSON: the JSON error
        ("{platform: [taobao}", "case.yaml", "is not valid YAML"),  # written as YAML flow: the YAML error
        ("{platform: taobao}", "case.json", "is not valid JSON"),  # a .json file is JSON only
    ],
)
def test_text_that_is_neither_gets_the_error_of_what_it_was_written_as(text: str, name: str, message: str) -> None:
    with pytest.raises(InputError) as caught:
        datafile.parse_text(text, name, json_hint=name.endswith(".json"))
    assert message in str(caught.value)


# JSON texts: the lone-surrogate and depth checks are skipped only where no value can fail them (datafile._parse_json).
@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ('{"a": "\\ud800"}', "surrogate"),
        ('{"a": "\\uDFFF"}', "surrogate"),
        ('{"\\udc00": 1}', "surrogate"),
        ('{"a": ["ok", {"b": "x\\udbff"}]}', "surrogate"),
        ('{"a": "\\ud83d\\ude00", "b": "\\ud800"}', "surrogate"),  # a valid pair does not hide a lone one
        ('{"a": ' + "[" * 40 + "]" * 40 + "}", "nested too deeply"),  # a value at depth 41
        ('{"a": ' + '{"b": ' * 39 + "1" + "}" * 39 + "}", "nested too deeply"),
    ],
)
def test_json_texts_and_nesting_are_still_checked(text: str, problem: str) -> None:
    with pytest.raises(InputError, match=problem):
        datafile.parse_text(text, "x.json", json_hint=True)


@pytest.mark.parametrize(
    "text",
    [
        '{"a": "\\ud83d\\ude00 \\\\ud800"}',  # a valid pair, and an escaped backslash before ud800: plain text
        '{"a": ' + "[" * 39 + "]" * 39 + "}",  # the deepest value at depth 40
        '{"a": "' + "[" * 60 + '"}',  # brackets in a text are not nesting
    ],
)
def test_json_texts_and_nesting_within_the_limits_are_read(text: str) -> None:
    assert datafile.parse_text(text, "x.json", json_hint=True).data


# JSON syntax problems: Python's json module words them in English; the interface gives them in its own language.
BAD_JSON = [
    ('{"a": 1,}', "expecting a key in double quotes"),
    ('{"a" 1}', "expecting ':' after the key"),
    ('{"a": 1 "b": 2}', "expecting ',' between two items"),
    ('{"a": "x}', "a text's double quotes are not closed"),
    ('{"a": "x\ty"}', "a control character inside a text"),
    ('{"a": "\\q"}', "an unknown escape"),
    ('{"a": "\\u12"}', "an invalid \\u escape"),
    ('{"a": 1} {"b": 2}', "more after a complete JSON value"),
    ('{"a": [1,]}', "expecting a value"),
]


@pytest.mark.parametrize(("text", "words"), BAD_JSON)
def test_json_syntax_problems_are_put_in_plain_words(text: str, words: str) -> None:
    with pytest.raises(InputError) as caught:
        datafile.parse_text(text, "x.json", json_hint=True)
    assert f"is not valid JSON: {words}" in str(caught.value)


@pytest.mark.parametrize("text", [text for text, _ in BAD_JSON])
def test_json_syntax_problems_read_in_chinese_in_the_chinese_interface(
    monkeypatch: pytest.MonkeyPatch, text: str
) -> None:
    monkeypatch.setenv("RIGHTS_LANG", "zh")
    with pytest.raises(InputError) as caught:
        datafile.parse_text(text, "x.json", json_hint=True)
    message = caught.value.message
    assert message.startswith("不是有效的 JSON：")
    message = message.replace("JSON", "")
    assert re.findall(r"[A-Za-z]{2,}", message) in ([], ["Tab"])  # no English left: JSON, \n, \t, \u, 制表符 Tab


@pytest.mark.parametrize(
    ("problem", "words"),
    [
        ("Invalid \\escape: 'q'", "an unknown escape"),  # the pure-Python scanner names the escape
        ("Illegal trailing comma before end of object", "a comma after the last item"),  # Python 3.13 and later
        ("Illegal trailing comma before end of array", "a comma after the last item"),
        ("Some problem a later Python reports", "Some problem a later Python reports"),  # unknown: as the library says
    ],
)
def test_json_problems_of_other_pythons(problem: str, words: str) -> None:
    assert datafile.json_problem(problem).startswith(words)


# YAML syntax problems, as either loader words them (libyaml's C loader is the one used where PyYAML has it).
BAD_YAML = [
    ("description: 商家说: 不退\n", "mapping values are not allowed here"),  # an unquoted colon in a value
    ("order:\n  price: 1\n    paid_on: 2026-11-01\n", "mapping values are not allowed here"),
    ("kinds: - changed_mind\n", "a list item ('-') cannot start here"),
    ("kinds: [changed_mind\n", "a '[' without its ']'"),
    ("order: {price: 1\n", "an opening curly bracket without its closing one"),
    ("platform: jd\n... x\n", "more after the end-of-document marker"),
    ("platform: jd\nkinds: [x] y\n", "did not find expected key"),
]


@pytest.mark.usefixtures("either_loader")
@pytest.mark.parametrize(("text", "words"), BAD_YAML)
def test_yaml_syntax_problems_are_put_in_plain_words_by_either_loader(text: str, words: str) -> None:
    with pytest.raises(InputError) as caught:
        datafile.parse_yaml(text, "case.yaml")
    assert caught.value.message.startswith(f"is not valid YAML: {words}")
