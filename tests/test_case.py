"""The case model: one validation path, clear errors naming file, line, field and what is expected."""

from __future__ import annotations

import io
import json
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
import yaml

from rightscli import datafile
from rightscli.case import validate_case
from rightscli.errors import UserError

# These tests check the wording of English messages (the default interface is Chinese).
pytestmark = pytest.mark.usefixtures("english")

BASE = Path(__file__).parent / "scenarios" / "base_case.yaml"
AS_OF = date(2026, 11, 20)


def base() -> dict:
    return yaml.safe_load(BASE.read_text(encoding="utf-8"))


def check(text: str, name: str = "case.yaml", as_of: date | None = AS_OF) -> str:
    """The error message for an invalid case text."""
    with pytest.raises(UserError) as info:
        validate_case(datafile.parse_text(text, name, json_hint=name.endswith(".json")), as_of=as_of)
    return str(info.value)


def dump(data: dict) -> str:
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False)


def test_base_case_is_valid_and_typed() -> None:
    case = validate_case(datafile.load(str(BASE)), as_of=AS_OF)
    assert case.platform == "taobao"
    assert case.order.price == Decimal("299.00")
    assert case.order.received_on == date(2026, 11, 12)
    assert case.problem.kinds == ("changed_mind",)
    assert case.fact("order.received_on") == date(2026, 11, 12)
    assert case.fact("merchant.address") is None


def test_json_and_yaml_give_the_same_case() -> None:
    data = base()
    text = json.dumps(data, default=str, ensure_ascii=False)
    from_json = validate_case(datafile.parse_text(text, "c.json", json_hint=True), as_of=AS_OF)
    from_yaml = validate_case(datafile.load(str(BASE)), as_of=AS_OF)
    assert from_json.order == from_yaml.order
    assert from_json.problem == from_yaml.problem


def test_history_on_key_is_not_a_boolean() -> None:
    data = base()
    data["history"] = [{"on": "2026-11-13", "event": "merchant_refused", "note": "吊牌已拆不退"}]
    case = validate_case(datafile.parse_text(dump(data), "c.yaml"), as_of=AS_OF)
    assert case.history[0].on == date(2026, 11, 13)


@pytest.mark.parametrize(
    ("mutate", "expected"),
    [
        (
            lambda d: d["order"].update(recieved_on="2026-11-12"),
            "unknown key 'recieved_on'; did you mean 'received_on'",
        ),
        (lambda d: d.update(platfrom="tmall"), "did you mean 'platform'"),
        (lambda d: d.update(platform="amazon"), "unknown value 'amazon'"),
        (lambda d: d["problem"].update(kinds=["broken"]), "problem.kinds[0]"),
        (lambda d: d["problem"].update(kinds="changed_mind"), "expected a list"),
        (lambda d: d["order"].update(price=-5), "is negative"),
        (lambda d: d["order"].update(price=12.345), "more than two decimals"),
        (lambda d: d["order"].update(price="cheap"), "expected an amount in yuan"),
        (lambda d: d["order"].update(price=True), "expected an amount in yuan"),
        (lambda d: d["order"].update(received_on="2026-02-30"), "'2026-02-30' is not a real date"),
        (lambda d: d["order"].update(received_on="15/11/2026"), "not YYYY-MM-DD"),
        (lambda d: d["order"].update(received_on="2026-11-01"), "received before it was paid"),
        (lambda d: d["order"].update(shipped_on="2026-11-01"), "shipped before it was paid"),
        (lambda d: d["order"].update(received_on="2026-11-25"), "after --as-of 2026-11-20"),
        (lambda d: d["problem"].update(custom_made="maybe"), "expected true or false"),
        (lambda d: d["order"].pop("price"), "order.price"),
        (lambda d: d.update(buyer="张三"), "'buyer' must be a mapping"),
        (lambda d: d.update(case_version=2), "unsupported value 2"),
        (
            lambda d: d.update(
                history=[
                    {"on": "2026-11-15", "event": "merchant_refused"},
                    {"on": "2026-11-13", "event": "contacted_merchant"},
                ]
            ),
            "oldest first",
        ),
        (lambda d: d.update(history=[{"on": "2026-11-15", "event": "shouted"}]), "history[0].event"),
    ],
)
def test_bad_values_name_the_field(mutate, expected: str) -> None:
    data = base()
    mutate(data)
    message = check(dump(data))
    assert expected in message


def test_error_names_file_and_line() -> None:
    data = base()
    data["order"]["price"] = -1
    text = dump(data)
    line = next(i for i, row in enumerate(text.splitlines(), 1) if row.strip().startswith("price:"))
    message = check(text, "mycase.yaml")
    assert f"mycase.yaml:{line}" in message
    assert "order.price" in message


def test_all_problems_are_reported_together() -> None:
    data = base()
    data["order"]["price"] = -1
    data["platform"] = "ebay"
    message = check(dump(data))
    assert "2 problems" in message
    assert "order.price" in message
    assert "platform" in message


def test_as_of_from_the_file_is_used_when_no_override() -> None:
    data = base()
    data["as_of"] = "2026-11-10"
    message = check(dump(data), as_of=None)
    assert "after as_of 2026-11-10" in message


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", "is empty"),
        ("   \n\n", "is empty"),
        ("- a\n- b\n", "must be a mapping"),
        ("just text", "must be a mapping"),
        ("a: [1, 2\n", "not valid YAML"),
        ("platform: tmall\nplatform: jd\n", "duplicate key 'platform'"),
        ("x: &a [1]\ny: *a\n", "alias"),
        ("a: !!python/object/apply:os.system ['echo hi']\n", "not allowed"),
        ("a: 1\n---\nb: 2\n", "more than one YAML document"),
        ("[" * 5000 + "]" * 5000, "nested too deeply"),
        ("a:\n" + "".join("  " * i + "- \n" for i in range(1, 80)), "nested too deeply"),
    ],
)
def test_hostile_or_malformed_files(text: str, expected: str) -> None:
    assert expected in check(text)


def test_json_errors_have_line_and_duplicates() -> None:
    assert "c.json:2" in check('{"platform": "tmall",\n "x": }', "c.json")
    assert "duplicate key 'platform'" in check('{"platform": "tmall", "platform": "jd"}', "c.json")
    assert "not valid JSON" in check('{"price": NaN}', "c.json")


def test_file_problems(tmp_path: Path) -> None:
    with pytest.raises(UserError, match="file not found"):
        datafile.load(str(tmp_path / "nope.yaml"))
    with pytest.raises(UserError, match="is a folder"):
        datafile.load(str(tmp_path))
    big = tmp_path / "big.yaml"
    big.write_bytes(b"a: " + b"x" * (datafile.MAX_BYTES + 10))
    with pytest.raises(UserError, match="larger than"):
        datafile.load(str(big))
    bad = tmp_path / "latin1.yaml"
    bad.write_bytes("platform: caf\xe9\n".encode("latin-1"))
    with pytest.raises(UserError, match="not valid UTF-8"):
        datafile.load(str(bad))
    nul = tmp_path / "nul.yaml"
    nul.write_bytes(b"a: 1\nb: \x00\n")
    with pytest.raises(UserError, match="NUL byte"):
        datafile.load(str(nul))


def test_unreadable_file(tmp_path: Path) -> None:
    import os

    if os.geteuid() == 0:
        pytest.skip("root can read any file")
    path = tmp_path / "secret.yaml"
    path.write_text("a: 1")
    path.chmod(0)
    with pytest.raises(UserError, match="permission denied"):
        datafile.load(str(path))


def test_bom_and_crlf_are_accepted() -> None:
    raw = ("\ufeff" + BASE.read_text(encoding="utf-8")).replace("\n", "\r\n").encode("utf-8")
    doc = datafile.load("-", io.BytesIO(raw))
    assert validate_case(doc, as_of=AS_OF).platform == "taobao"


def test_text_values_for_set_and_csv() -> None:
    data = base()
    data["order"]["price"] = "¥1,299.50"
    data["problem"]["kinds"] = "quality_defect, not_as_described"
    data["problem"]["custom_made"] = "否"
    case = validate_case(datafile.Document(data, "--set"), as_of=AS_OF, text_values=True)
    assert case.order.price == Decimal("1299.50")
    assert case.problem.kinds == ("quality_defect", "not_as_described")
    assert case.problem.custom_made is False
    # The same text in a file is refused: a file must use real types.
    with pytest.raises(UserError, match="expected an amount"):
        validate_case(datafile.Document(data, "c.yaml"), as_of=AS_OF)


def test_missing_optional_facts_are_not_errors() -> None:
    data = base()
    for key in ("shipped_on", "received_on"):
        data["order"][key] = None
    del data["buyer"]
    del data["history"]
    case = validate_case(datafile.parse_text(dump(data), "c.yaml"), as_of=AS_OF)
    assert case.order.received_on is None
    assert case.buyer.name is None


# -- round 2 facts (issue 13) ----------------------------------------------------------------------------------------
def with_fields(**sections: dict) -> str:
    data = base()
    for section, values in sections.items():
        data.setdefault(section, {}).update(values)
    return dump(data)


def test_a_credit_code_with_its_check_character_is_accepted_and_upper_cased() -> None:
    doc = datafile.Document(yaml.safe_load(with_fields(merchant={"credit_code": "91350100m000100y43"})), "case.yaml")
    case = validate_case(doc, as_of=AS_OF)
    assert case.merchant.credit_code == "91350100M000100Y43"


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        ("91350100M000100Y44", "check character is '4', but the first 17 characters give '3'"),
        ("91350100M000100Y4", "17 characters; expected 18"),
        ("91350100M0001O0Y43", "'O' is not allowed"),
    ],
)
def test_a_bad_credit_code_is_refused_naming_the_field(code: str, expected: str) -> None:
    message = check(with_fields(merchant={"credit_code": code}))
    assert "merchant.credit_code" in message and expected in message


def test_the_round_2_facts_are_typed() -> None:
    text = with_fields(
        order={"signed_by": "designated", "durable_goods": True},
        problem={"kinds": ["wrong_item"], "item_condition": "tested", "harmless_label_flaw": False},
        merchant={"legal_rep": "王五"},
        listing={"badges": ["fake_pays_ten"]},
    )
    case = validate_case(datafile.Document(yaml.safe_load(text), "case.yaml"), as_of=AS_OF)
    assert case.order.signed_by == "designated" and case.problem.item_condition == "tested"
    assert case.problem.harmless_label_flaw is False and case.merchant.legal_rep == "王五"
    assert "unauthorised" in check(with_fields(order={"signed_by": "neighbour"}))


@pytest.mark.parametrize("price", ["-0.0", "-0", "-0.00", "'-0.00'"])
def test_minus_zero_is_read_as_zero(price: str) -> None:
    """`price: -0.0` was accepted and printed as -0.00 in letters: it is 0.00."""
    data = base()
    data["order"]["price"] = "PRICE"
    text = dump(data).replace("PRICE", price)
    case = validate_case(datafile.parse_text(text, "c.yaml"), as_of=AS_OF, text_values="'" in price)
    assert str(case.order.price) == "0.00" and not case.order.price.is_signed()


@pytest.mark.parametrize(
    ("char", "name"),
    [
        ("\u202e", "RIGHT-TO-LEFT OVERRIDE"),
        ("\u2066", "LEFT-TO-RIGHT ISOLATE"),
        ("\u200b", "ZERO WIDTH SPACE"),
        ("\u200d", "ZERO WIDTH JOINER"),
        ("\ufeff", "ZERO WIDTH NO-BREAK SPACE"),
        ("\u2028", "LINE SEPARATOR"),
        ("\u2029", "PARAGRAPH SEPARATOR"),
        ("\u00ad", "SOFT HYPHEN"),
    ],
)
def test_invisible_formatting_characters_in_names_and_descriptions_are_refused(char: str, name: str) -> None:
    """Bidi overrides, zero-width and line-separator characters reached letters unchanged (display spoofing): each is
    refused naming the field and the code point, never echoing the character."""
    for path in (("buyer", "name"), ("merchant", "name"), ("problem", "description"), ("order", "item")):
        data = base()
        data.setdefault(path[0], {})[path[1]] = f"张{char}三"
        message = check(dump(data))
        assert f"field '{path[0]}.{path[1]}'" in message and f"U+{ord(char):04X}, {name}" in message
        assert char not in message


def test_ordinary_spaces_and_emoji_stay_valid() -> None:
    data = base()
    data["problem"]["description"] = "鞋底开胶\u3000（全角空格）\u00a0nbsp 👍🏽 e\u0301 😀"
    case = validate_case(datafile.parse_text(dump(data), "c.yaml"), as_of=AS_OF)
    assert case.problem.description == data["problem"]["description"]


def test_a_wrong_choice_lists_each_value_with_the_buyers_word_for_it() -> None:
    """The words come from the wizard's questions file; a word written where its value belongs (淘宝) names that
    value; a list field and an event are checked the same way."""
    from rightscli import i18n

    data = base()
    data["platform"] = "淘宝"
    data["problem"]["kinds"] = ["broken"]
    data["history"] = [{"on": "2026-11-13", "event": "卖家拒绝"}]
    i18n.set_lang("zh")
    message = check(dump(data))
    assert "不认识的值“淘宝”（您是不是想写“taobao”？）" in message
    platforms = "tmall（天猫）、taobao（淘宝）、jd（京东）、pinduoduo（拼多多）、douyin（抖音）、other（其他平台）"
    assert f"可选值：{platforms}" in message
    assert "quality_defect（质量问题）" in message and "wrong_item（" in message
    assert "merchant_refused（" in message  # history[0].event: the events question's words
    i18n.set_lang("en")
    message = check(dump(data))
    assert "expected one of: tmall (Tmall), taobao (Taobao)" in message
    assert "counterfeit, " in message  # a value whose word is itself stays bare


def test_evidence_held_is_named_in_the_words_of_the_evidence_catalogue() -> None:
    """The evidence ids have no question's choices: their words are the catalogue's labels (policies/evidence.yaml),
    for the list of evidence held and for a recorded file's id alike."""
    from rightscli import i18n
    from rightscli.case import labels

    assert labels.label("evidence[2]", "invoice", "zh") == "发票"
    assert labels.label("evidence_files[0].id", "chat_log", "en") == "chat with the seller"
    assert labels.value_meant("evidence[0]", "发票") == "invoice"
    assert labels.value_meant("evidence[0]", "开箱视频") == "unboxing_video"  # within 完整开箱视频
    assert labels.value_meant("evidence[0]", "照片") is None  # 商品问题照片 and 标签照片: no guess
    data = base()
    data["evidence"] = ["order_record", "发票"]
    i18n.set_lang("zh")
    message = check(dump(data))
    assert "字段 evidence[1]：不认识的值“发票”（您是不是想写“invoice”？）" in message
    assert "order_record（订单详情截图）" in message and "invoice（发票）" in message


def test_a_choice_field_without_words_in_the_questions_file_lists_the_values_alone() -> None:
    from rightscli.case import labels

    assert labels.label("order.item", "photos", "zh") is None  # not a choice field
    assert labels.label("order.category", "clothing", "zh") == "服装"
    assert labels.value_meant("order.category", "服装") == "clothing"
    assert labels.value_meant("order.category", "食品") == "food"  # the words before the label's bracket
    assert labels.value_meant("platform", "nowhere") is None
    assert labels.value_meant("problem.kinds[0]", "砍单") == "seller_cancelled"  # a part of the label, in brackets
    assert labels.value_meant("problem.kinds[0]", "七天无理由退货") == "changed_mind"  # contains 无理由退货
    assert labels.value_meant("order.category", "手机") == "electronics"  # within 电子产品（手机、电脑等）
    assert labels.value_meant("problem.kinds[0]", "fake") is None  # in two labels: no guess
