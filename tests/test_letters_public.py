"""`rights letter --to public`: a factual public complaint for 黑猫投诉 or social media. No phone, ID number or street
address of anyone, no insults, facts and dates only, the request and the names of the shop, its operator and the
platform, within the form's length (measured on the text as posted), stated as the buyer's own account."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from rightscli import datafile
from rightscli.case import Case, validate_case
from rightscli.catalog import Catalog
from rightscli.engine import assess
from rightscli.letters.context.public import redact, tone
from rightscli.letters.data import load_letter_data
from rightscli.letters.letter import render_letter

ROOT = Path(__file__).parent.parent
EXAMPLES = sorted((ROOT / "examples").glob("*.yaml"))
LAPTOP = ROOT / "examples" / "laptop-defect.yaml"
BASE = ROOT / "tests" / "scenarios" / "base_case.yaml"
LIMIT = 1000
PHONE = re.compile(r"1[3-9]\d{9}|\d{3,4}-\d{7,8}")
ID_NUMBER = re.compile(r"\d{17}[\dXx]")
STREET = re.compile(r"\d+号|\d+栋|\d+单元|\d+室")

# Free text with other people's data and insults in it, as a buyer might type it.
NOTE = ("快递员电话13900001111，放在了浦东新区张杨路500号菜鸟驿站；客服让我把身份证号110105199003071234发过去，"
        "还说黑心商家不管，骗子")  # fmt: skip


def load(path: Path, **changes: Any) -> Case:
    doc = datafile.load(str(path))
    for dotted, value in changes.items():
        node = doc.data
        *parents, leaf = dotted.split("__")
        for key in parents:
            node = node.setdefault(key, {})
        node[leaf] = value
    return validate_case(doc)


def public(case: Case, catalog: Catalog, fmt: str = "md", as_of: date | None = None) -> Any:
    # draft: the redaction holds for every example, those with no supported request included
    return render_letter(assess(case, catalog, as_of or case.as_of or date(2026, 11, 20)), "public", fmt, draft=True)


def posted_text(txt: str) -> str:
    """The body as pasted into the form: the paragraphs under 正文 in the txt output, without their indent."""
    body = txt.split("正文（", 1)[1].split("\n", 1)[1].split("\n\n---", 1)[0].split("────", 1)[0]
    paragraphs = [p.strip().lstrip("　") for p in body.strip().split("\n") if p.strip()]
    return "\n".join(paragraphs[:-1])  # the last line is the date


def stated_length(md: str) -> int:
    match = re.search(r"## 正文（(\d+)字，不超过(\d+)字）", md)
    assert match
    assert int(match.group(2)) == LIMIT
    return int(match.group(1))


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_no_personal_data_of_anyone(path: Path, catalog: Catalog) -> None:
    case = load(path)
    for fmt in ("md", "txt", "html"):
        out = str(public(case, catalog, fmt).data)
        for value in (case.buyer.name, case.buyer.phone, case.buyer.address, case.merchant.address, case.order.id):
            if value:
                assert value not in out, (fmt, value)
        assert not PHONE.search(out), fmt
        assert not ID_NUMBER.search(out), fmt
        post = out.split("附：发布前须知", 1)[0]
        assert not STREET.search(post.replace(case.order.item, "")), fmt


def test_personal_data_in_the_buyers_own_text_is_hidden_and_reported(catalog: Catalog) -> None:
    history = [{"on": "2026-11-13", "event": "contacted_merchant", "note": NOTE},
               {"on": "2026-11-14", "event": "merchant_refused", "note": "联系 shop@example.com 无回复"}]  # fmt: skip
    case = load(BASE, problem__kinds=["quality_defect"], history=history,
                problem__description="寄到上海市浦东新区世纪大道100号，电话13800138000，开机后黑屏")  # fmt: skip
    rendered = public(case, catalog, as_of=date(2026, 11, 15))
    md = str(rendered.data)
    for secret in (
        "13900001111",
        "13800138000",
        "张杨路500号",
        "世纪大道100号",
        "110105199003071234",
        "shop@example.com",
    ):
        assert secret not in md
    for mark in ("【电话已隐去】", "【地址已隐去】", "【证件号已隐去】", "【邮箱已隐去】"):
        assert mark in md
    assert "开机后黑屏" in md and "菜鸟驿站" in md  # the facts stay
    assert any("隐去了个人信息" in w for w in rendered.warnings)
    # no insults: the listed words are left out or toned down, and the buyer is told
    for word in load_letter_data().improper_words:
        assert word not in md
    assert "商家不管" in md
    assert any("侮辱" in w and "骗子" in w for w in rendered.warnings)


@pytest.mark.parametrize(
    ("text", "kinds"),
    [
        ("快递员电话13900001111", {"phone"}),
        ("手机号 +86 139 0000 1111", {"phone"}),
        ("座机021-12345678，客服400-123-4567", {"phone"}),
        ("身份证号110105199003071234已提供", {"id_number"}),
        ("寄到四川省成都市武侯区天府大道北段1700号6栋2单元1103", {"address"}),
        ("住在阳光小区3栋2单元1103室", {"address"}),
        ("订单号261030-297715360842195，运单号SF1234567890123", set()),
        ("11月12日检测，价格399.00元，北欧花园5层置物架", set()),
        ("滚筒洗衣机不转了，商家说3号发货", set()),
    ],
)
def test_redact(text: str, kinds: set[str]) -> None:
    found: set[str] = set()
    out = redact(text, [], load_letter_data().redact, found)
    assert found == kinds
    assert (out == text) is (not kinds)


def test_redact_keeps_the_words_before_an_address() -> None:
    marks = load_letter_data().redact
    assert redact("本人收货地址是湖北省武汉市洪山区珞喻路1037号12栋304室。", [], marks, set()) == (
        "本人收货地址是湖北省武汉市洪山区【地址已隐去】。"
    )
    assert redact("寄到珞喻路1037号", [], marks, set()) == "寄到【地址已隐去】"


def test_tone() -> None:
    words = load_letter_data().improper_words
    found: set[str] = set()
    assert tone("这个黑心商家就是骗子，垃圾袋也破了", words, found) == "这个商家就是，垃圾袋也破了"
    assert found == {"黑心商家", "骗子"}


def test_facts_dates_request_names_and_the_buyers_own_account(catalog: Catalog) -> None:
    case = load(LAPTOP)
    md = str(public(case, catalog).data)
    post = md.split("附：发布前须知", 1)[0]
    assert "以下是本人作为消费者的亲身经历" in post
    assert "标题：京东“极速数码电脑专营店”：商品存在质量问题，商家拒绝处理" in post
    assert "投诉对象：深圳市极速数码科技有限公司（京东平台店铺“极速数码电脑专营店”）；京东平台" in post
    assert "投诉要求：退货退款6,999.00元，或者换货" in post
    assert "本人的诉求：退货退款6,999.00元，或者换货。" in post
    for day in ("2026年10月25日", "2026年10月28日", "2026年11月8日", "2026年11月10日"):
        assert day in post
    assert "订单号尾号1830" in post
    # facts only: no legal argument, no threats, no citations
    assert "《" not in post and "依据" not in post
    title = re.search(r"^标题：(.*)$", md, re.M)
    assert title and len(title.group(1)) <= load_letter_data().recipients["public"].title_limit  # type: ignore[operator]


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_the_text_fits_the_form_and_its_stated_length_is_true(path: Path, catalog: Catalog) -> None:
    case = load(path)
    md = str(public(case, catalog).data)
    txt = str(public(case, catalog, "txt").data)
    text = posted_text(txt)
    assert len(text) <= LIMIT
    assert stated_length(md) == len(text)


def test_a_long_story_is_shortened_to_the_limit_with_a_note(catalog: Catalog) -> None:
    history = [{"on": "2026-11-13", "event": "contacted_merchant", "note": "反复沟通。" * 60},
               {"on": "2026-11-14", "event": "merchant_refused", "note": "客服拒绝。" * 60}]  # fmt: skip
    case = load(BASE, problem__kinds=["quality_defect"], problem__description="屏幕闪烁，" * 300, history=history)
    rendered = public(case, catalog, "txt", as_of=date(2026, 11, 15))
    text = posted_text(str(rendered.data))
    assert len(text) <= LIMIT
    assert "本人的诉求" in text and "以下是本人作为消费者的亲身经历" in text  # the request and the statement survive
    assert "2026年11月14日" in text and "…" in text
    assert any("已省略部分内容" in w for w in rendered.warnings)
    md = str(public(case, catalog, as_of=date(2026, 11, 15)).data)
    assert stated_length(md) == len(text)


def test_the_public_complaint_in_docx(catalog: Catalog) -> None:
    import io

    from docx import Document

    doc = Document(io.BytesIO(public(load(LAPTOP), catalog, "docx").data))  # type: ignore[arg-type]
    text = "\n".join(p.text for p in doc.paragraphs)
    assert doc.paragraphs[0].text == "公开投诉"
    assert "13612345678" not in text and "刘洋" not in text


@pytest.mark.parametrize(
    "text", ["1" * 100_000, "a.b-" * 30_000, "路1号" * 20_000, "大道" + "a" * 100_000, "a@" * 50_000]
)
def test_redact_is_fast_on_long_hostile_text(text: str) -> None:
    import time

    start = time.perf_counter()
    redact(text, [], load_letter_data().redact, set())
    assert time.perf_counter() - start < 2.0
