"""Letters: every recipient's required elements, exact citations, amounts in capitals, placeholders, the complaint
rule in force, the platform form text, Markdown escaping."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rightscli import datafile
from rightscli.assessment import Assessment
from rightscli.case import validate_case
from rightscli.catalog import Catalog, templates_dir
from rightscli.engine import assess
from rightscli.letters.context import build_letter_context
from rightscli.letters.context.platform import form_text
from rightscli.letters.data import load_letter_data, recipient_ids
from rightscli.letters.mdtext import md_escape
from rightscli.letters.render import render
from rightscli.letters.wording import cite

RECIPIENTS = recipient_ids()
LETTERS = tuple(r for r in RECIPIENTS if r != "public")  # the public complaint has its own shape (test_letters_public)

ROOT = Path(__file__).parent.parent
EXAMPLES = sorted((ROOT / "examples").glob("*.yaml"))
BASE = ROOT / "tests" / "scenarios" / "base_case.yaml"
MONEY = re.compile(r"\d[\d,]*\.\d{2}元（大写：人民币[零壹贰叁肆伍陆柒捌玖拾佰仟万亿元角分整]+）")


def load(path: Path, **changes: Any) -> Any:
    doc = datafile.load(str(path))
    for dotted, value in changes.items():
        node = doc.data
        *parents, leaf = dotted.split("__")
        for key in parents:
            node = node.setdefault(key, {})
        node[leaf] = value
    return validate_case(doc)


def letter(case: Any, recipient: str, catalog: Catalog, as_of: date | None = None) -> tuple[str, Assessment]:
    result = assess(case, catalog, as_of or case.as_of or date(2026, 11, 20))
    ctx = build_letter_context(result, recipient)
    return render([f"letters/{recipient}.md.j2"], ctx.values, None, templates_dir()), result


def section(markdown: str, heading: str) -> str:
    """The text under the ``## …heading`` line up to the next ``##`` heading."""
    match = re.search(rf"^## [^\n]*{heading}[^\n]*\n(.*?)(?=^## |\Z)", markdown, re.S | re.M)
    assert match, f"no section {heading!r} in:\n{markdown}"
    return match.group(1)


def cited_articles(text: str) -> set[tuple[str, str]]:
    """'《A》第一条、第二条；《B》' → {(A, 第一条), (A, 第二条), (B, '')}."""
    out: set[tuple[str, str]] = set()
    for part in text.split("；"):
        match = re.match(r"《(.+?)》(.*)$", part.strip())
        if match is None:  # a body of rules named in words (国家三包规定): no 书名号, no article
            out.add((part.strip(), ""))
            continue
        articles = [a for a in match.group(2).split("、") if a]
        out |= {(match.group(1), a) for a in articles} or {(match.group(1), "")}
    return out


def finding_articles(
    result: Assessment, ids: set[str] | None = None, recipient: str | None = None
) -> set[tuple[str, str]]:
    """The articles of the established findings (of those with ``ids`` only, if given)."""

    def articles(a: str) -> list[str]:
        return [""] if a.startswith(("（", "(")) or a == "—" else a.split("、")

    chosen = [f for f in result.established() if ids is None or f.policy.id in ids]
    strict = load_letter_data().recipients[recipient].strict if recipient else False
    return {(b["document"], a) for f in chosen for b in f.basis(verified_only=strict) for a in articles(b["article"])}


def reasons_citations(markdown: str) -> set[tuple[str, str]]:
    """Articles cited by the reasons list: the （依据：…） of each item, or the （…） of the report's list."""
    marker = "本案适用的规定如下：" if "本案适用的规定如下：" in markdown else "上述行为涉及的规定如下："
    block = markdown.split(marker, 1)[1].split("\n## ", 1)[0]
    out: set[tuple[str, str]] = set()
    for item in re.findall(r"^\d+\. .*$", block, re.M):
        match = re.search(r"（(?:依据：)?(《.*|国家三包规定.*)）$", item)
        assert match, item
        out |= cited_articles(match.group(1))
    return out


@pytest.mark.parametrize("recipient", LETTERS)
@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_every_letter_has_its_required_elements(path: Path, recipient: str, catalog: Catalog) -> None:
    case = load(path)
    md, result = letter(case, recipient, catalog)
    data = build_letter_context(result, recipient).values
    first = md.split("\n", 1)[0]
    assert first == f"# {data['title']}" or (recipient == "court" and first == f"# {data['title']}（买卖合同纠纷）")
    assert case.buyer.name in md
    # parties
    assert any(
        party in md
        for party in (f"{data['buyer_role']}：{case.buyer.name}", f"{data['buyer_role']}（签名）：{case.buyer.name}")
    ) or (recipient == "court" and f"| 姓名 | {case.buyer.name} |" in md)
    assert data["seller_role"] in md
    # no blanks, None or template residue
    for bad in ("None", "{{", "{%", "【待补充】", "nan"):
        assert bad not in md, bad
    assert not re.search(r"^(?:[^\n：]*(?:人|地址|电话|订单号|店铺|日期|金额|名称))：\s*$", md, re.M)
    # facts in time order
    paid = data["order"]["paid_on"]
    facts = md.split(f"1. {paid}，", 1)[1].split("\n\n", 1)[0]
    days = [case.order.paid_on] + [
        date(int(y), int(m), int(d)) for y, m, d in re.findall(r"^\d+\. (\d{4})年(\d{1,2})月(\d{1,2})日，", facts, re.M)
    ]
    assert days and days == sorted(days)
    assert days[0] == case.order.paid_on
    # exactly the articles of the findings the letter argues, and those are established findings
    argued = {f["id"] for f in data["findings"]}
    assert argued <= {f.policy.id for f in result.established()}
    assert len(argued) <= load_letter_data().recipients[recipient].reasons.cap
    assert reasons_citations(md) == finding_articles(result, argued, recipient)
    assert reasons_citations(md) <= finding_articles(result, None, recipient)
    # the evidence index (证据目录) numbered from the evidence held, with the court's columns
    held = [e.label.zh for e in result.evidence if e.held]
    heading = next(h for h in ("证据目录", "证据材料") if h in md)
    index = section(md, heading)
    assert "| 序号 | 证据名称 | 证据形式 | 证据来源 | 证明目的 | 页码/份数 | 原件/复印件 |" in index
    listed = re.findall(r"^\| (\d+) \| ([^|]+?) \|", index, re.M)
    assert [label for _, label in listed] and sorted(label for _, label in listed) == sorted(held)
    assert [int(n) for n, _ in listed] == list(range(1, len(held) + 1))
    # closing, signature, date
    assert f"此致\n{data['addressee']}\n" in md
    signature = (
        f"> 具状人（签字、盖章）：{case.buyer.name}\n> 日期：{data['date']}\n"
        if recipient == "court"
        else f"> {data['buyer_role']}（签名）：{case.buyer.name}\n> {data['date']}\n"
    )
    assert signature in md
    assert data["date"] == f"{result.as_of.year}年{result.as_of.month}月{result.as_of.day}日"
    # amounts in figures and capitals
    if recipient != "regulator-report":
        heading = {"merchant": "要求", "platform": "申请事项", "court": "诉讼请求"}.get(recipient, "投诉请求")
        requests = section(md, heading)
        assert re.search(r"^1\. ", requests, re.M)
        for line in re.findall(r"^\d+\. .*$", requests, re.M):
            if re.search(r"\d+\.\d{2}元", line):
                assert MONEY.search(line), line


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_requests_are_grounded_in_applicable_findings(path: Path, catalog: Catalog) -> None:
    case = load(path)
    _, result = letter(case, "regulator", catalog)
    ctx = build_letter_context(result, "regulator")
    remedies = {r for f in result.established() for r in f.remedies}
    for request in ctx.values["requests"]:
        assert request["remedy"] in remedies or (request["remedy"] == "refund_only" and "return_refund" in remedies)
        assert request["remedy"] in case.wants or not case.wants


def test_merchant_letter_has_remedy_amount_deadline_and_consequences(catalog: Catalog) -> None:
    md, _ = letter(load(ROOT / "examples" / "counterfeit-sneakers.yaml"), "merchant", catalog)
    assert md.startswith("# 催告函\n")
    demands = section(md, "要求")
    assert "自收到本函之日起3日内（即2026年11月23日前）" in demands
    assert "退还全部货款399.00元（大写：人民币叁佰玖拾玖元整）" in demands
    assert "支付惩罚性赔偿金1,197.00元（大写：人民币壹仟壹佰玖拾柒元整）" in demands
    assert "以上合计1,596.00元（大写：人民币壹仟伍佰玖拾陆元整）" in demands
    consequences = section(md, "后果")
    assert "平台介入" in consequences and "投诉" in consequences and "诉讼" in consequences


def test_platform_letter_cites_the_platform_duties_and_has_a_short_form_text(catalog: Catalog) -> None:
    md, result = letter(load(ROOT / "examples" / "counterfeit-sneakers.yaml"), "platform", catalog)
    duties = section(md, "平台的义务")
    for ref in ("《中华人民共和国电子商务法》第六十一条", "《中华人民共和国电子商务法》第六十二条",
                "《中华人民共和国消费者权益保护法》第四十四条"):  # fmt: skip
        assert ref in duties
    platform_rules = [f for f in result.established() if f.policy.jurisdiction != "cn"]
    for f in platform_rules:
        assert f.policy.title.zh in duties
    block = md.split("```\n", 1)[1].split("\n```", 1)[0]
    assert len(block) <= 500
    assert f"（{len(block)}字，不超过500字）" in md
    assert "261030-297715360842195" in block and "399.00元" in block


def test_platform_form_text_is_cut_to_the_limit(catalog: Catalog) -> None:
    case = load(BASE, problem__description="很长的描述。" * 800, problem__kinds=["quality_defect"])
    result = assess(case, catalog, date(2026, 11, 15))
    values = build_letter_context(result, "platform").values
    text = str(values["form_text"])
    assert len(text) <= 500
    assert text.startswith("订单号100000000001")
    assert text.endswith("请平台依《电子商务法》第六十一条协助处理。")
    assert "…" in text
    for limit in (120, 200, 300):
        assert len(form_text(values, limit, "《消费者权益保护法》第二十四条")) <= limit


def test_association_letter_tells_how_the_buyer_negotiated(catalog: Catalog) -> None:
    case = load(ROOT / "examples" / "laptop-defect.yaml")
    md, _ = letter(case, "association", catalog)
    assert md.startswith("# 消费者投诉书\n")
    assert "《中华人民共和国消费者权益保护法》第三十七条、第三十九条" in md
    talks = section(md, "协商经过")
    for event in case.history:
        assert event.note and event.note.rstrip("。") in talks
    assert "【待补充：受理投诉的消费者协会名称】" in md


def test_association_letter_without_history_asks_for_it(catalog: Catalog) -> None:
    md, _ = letter(load(BASE), "association", catalog, date(2026, 11, 15))
    assert "【待补充：与商家协商的经过" in section(md, "协商经过")


def test_regulator_letter_has_every_element_of_order_121(catalog: Catalog) -> None:
    case = load(ROOT / "examples" / "laptop-defect.yaml")
    md, _ = letter(case, "regulator", catalog)
    head = md.split("## ", 1)[0]
    for value in (case.buyer.name, case.buyer.phone, case.buyer.address, case.merchant.company, case.merchant.name,
                  "京东平台", "地址：【待补充：被投诉人地址】"):  # fmt: skip
        assert value in head
    # Order 121 read in its full text (legal-review D6): the article on what a complaint must contain is cited
    assert "《市场监督管理投诉举报处理办法》（国家市场监督管理总局令第121号）第十条的规定提供真实身份信息" in md
    assert "暂行办法》（" not in md and "投诉举报处理暂行办法" not in md
    assert "投诉请求" in md and "事实与理由" in md


def test_regulator_letter_before_april_2026_follows_the_old_rule(catalog: Catalog) -> None:
    case = load(BASE, order__paid_on="2026-03-01", order__shipped_on="2026-03-02", order__received_on="2026-03-03",
                problem__discovered_on="2026-03-04", problem__kinds=["quality_defect"])  # fmt: skip
    md, _ = letter(case, "regulator", catalog, date(2026, 4, 14))
    assert "《市场监督管理投诉举报处理暂行办法》（国家市场监督管理总局令第20号）第九条" in md
    assert "第121号" not in md
    md, _ = letter(case, "regulator", catalog, date(2026, 4, 15))
    assert "第121号）第十条的规定" in md and "投诉举报处理暂行办法" not in md


def test_report_asks_for_investigation_and_penalty_not_compensation(catalog: Catalog) -> None:
    case = load(ROOT / "examples" / "counterfeit-sneakers.yaml")
    md, _ = letter(case, "regulator-report", catalog)
    assert md.startswith("# 举报信\n")
    grounds = section(md, "举报事项")
    assert "假冒" in grounds and "《侵害消费者权益行为处罚办法》第五条" in grounds
    asks = section(md, "举报请求")
    assert "调查" in asks and "处罚" in asks
    assert "不包含赔偿请求" in asks
    assert not re.search(r"赔偿金|退还|[0-9]+\.[0-9]{2}元", asks.replace("不包含赔偿请求", ""))
    assert "第121号）第二十八条的规定" in md and "第九条的规定，投诉与举报分别处理" in md
    assert "请依照该办法第三十七条的规定，对举报人的信息予以保密" in md
    ctx = build_letter_context(assess(case, catalog, date(2026, 11, 20)), "regulator-report")
    assert ctx.values["requests"] == []


def test_report_without_a_violation_gets_a_placeholder(catalog: Catalog) -> None:
    md, _ = letter(load(BASE), "regulator-report", catalog, date(2026, 11, 15))  # changed mind, nothing refused
    assert "【待补充：涉嫌违法的行为及依据】" in md


def test_missing_facts_become_visible_placeholders(catalog: Catalog) -> None:
    case = load(BASE, buyer=None, merchant={"name": None}, order__id=None, problem__kinds=["quality_defect"])
    result = assess(case, catalog, date(2026, 11, 15))
    for recipient in LETTERS:
        ctx = build_letter_context(result, recipient)
        md = render([f"letters/{recipient}.md.j2"], ctx.values, None, templates_dir())
        assert "【待补充：订单号】" in md
        assert "None" not in md
        labels = set(re.findall(r"【待补充：([^】]+)】", md))
        role = ctx.values["buyer_role"]
        assert f"{role}姓名" in labels
        if recipient in ("regulator", "association", "regulator-report"):
            assert {f"{role}联系电话", f"{role}通讯地址", f"{ctx.values['seller_role']}地址"} <= labels
        assert {label for label in labels if label in ctx.hints} <= set(ctx.hints)
    regulator = build_letter_context(result, "regulator")
    assert regulator.hints["被投诉人地址"] == "merchant.address"


def test_unsupported_wants_are_left_out_with_a_note(catalog: Catalog) -> None:
    case = load(BASE, wants=["return_refund", "punitive_damages"])
    result = assess(case, catalog, date(2026, 11, 15))  # changed mind: no fraud finding
    ctx = build_letter_context(result, "merchant")
    assert [r["remedy"] for r in ctx.values["requests"]] == ["return_refund"]
    assert any(n.startswith("unsupported:") and "punitive_damages" in n for n in ctx.notes)


def test_cite_groups_articles_by_document() -> None:
    basis = [
        {"document": "中华人民共和国消费者权益保护法", "article": "第二十五条"},
        {"document": "网络购买商品七日无理由退货暂行办法", "article": "第十条"},
        {"document": "中华人民共和国消费者权益保护法", "article": "第二十四条"},
        {"document": "中华人民共和国消费者权益保护法", "article": "第二十五条"},
    ]
    expected = "《中华人民共和国消费者权益保护法》第二十四条、第二十五条；《网络购买商品七日无理由退货暂行办法》第十条"
    assert cite(basis) == expected
    assert cite(basis, short=True).startswith("《消费者权益保护法》第二十四条")


@pytest.mark.parametrize(
    ("text", "escaped"),
    [
        ("**粗体** _斜体_", r"\*\*粗体\*\* \_斜体\_"),
        ("# 标题", r"\# 标题"),
        ("- 列表", r"\- 列表"),
        ("1. 列表", r"1\. 列表"),
        ("299.00元", "299.00元"),
        ("<script>alert(1)</script>", r"\<script\>alert(1)\</script\>"),
        ("[链接](javascript:alert(1))", r"\[链接\](javascript:alert(1))"),
        ("a | b", r"a \| b"),
        ("第一行\n\n# 第二行", r"第一行 \# 第二行"),
        ("&lt;", r"\&lt;"),
    ],
)
def test_md_escape(text: str, escaped: str) -> None:
    assert md_escape(text) == escaped


def _md_escape_by_regex(text: str) -> str:
    """md_escape without its shortcut for text that needs no escaping."""
    from rightscli.letters import mdtext as r

    text = re.sub(r._SPACE, " ", text)
    text = re.sub(r._INLINE, r"\\\1", text)
    text = re.sub(r._LINE_START, r"\1\\\2", text)
    return re.sub(r._ORDERED, r"\1\\\2", text)


TRICKY = list(" \t\n\u3000\u00a0-+=.)0123456789\u0663\u00b2*_#\\`[]<>|~&ab中文，。")


@settings(max_examples=300, derandomize=True)
@given(text=st.text(alphabet=st.sampled_from(TRICKY), max_size=8) | st.text(max_size=8))
def test_md_escape_shortcut_changes_nothing(text: str) -> None:
    assert md_escape(text) == _md_escape_by_regex(text)


def test_case_text_cannot_change_the_letter_structure(catalog: Catalog) -> None:
    evil = "正常描述\n\n## 伪造的标题\n\n1. 伪造的请求 **加粗** <script>alert(1)</script> [x](javascript:alert(1))"
    case = load(BASE, problem__description=evil, problem__kinds=["quality_defect"], merchant__name="店*铺_名|")
    md, _ = letter(case, "regulator", catalog, date(2026, 11, 15))
    assert "\n## 伪造的标题" not in md
    assert "\n1. 伪造的请求" not in md
    assert r"\<script\>" in md
    assert r"店\*铺\_名\|" in md


def test_unknown_platform_is_a_placeholder(catalog: Catalog) -> None:
    md, _ = letter(
        load(BASE, platform="other", problem__kinds=["quality_defect"]), "platform", catalog, date(2026, 11, 15)
    )
    assert "【待补充：平台名称】平台" in md


def test_food_refund_and_tenfold_damages_with_minimum(catalog: Catalog) -> None:
    case = load(ROOT / "examples" / "expired-food.yaml")
    md, _ = letter(case, "regulator", catalog)
    asks = section(md, "投诉请求")
    assert f"退还货款{case.order.price:.2f}元" in asks  # 仅退款, grounded by the rules that allow a return and refund
    assert "支付惩罚性赔偿金1,000.00元（大写：人民币壹仟元整）" in asks  # 10 × 89 = 890 < the 1,000 minimum
    assert "《中华人民共和国食品安全法》第一百四十八条" in md


@settings(max_examples=500, derandomize=True)
@given(name=st.text(alphabet="ab._", max_size=7), pattern=st.text(alphabet="ab._*", max_size=7))
def test_role_patterns_match_as_fnmatch_does(name: str, pattern: str) -> None:
    import fnmatch

    from rightscli.letters.data import _glob

    assert _glob(name, pattern) == fnmatch.fnmatchcase(name, pattern)


@pytest.mark.parametrize("example", sorted((ROOT / "examples").glob("*.yaml")), ids=lambda p: p.stem)
def test_a_letter_is_the_same_without_the_plan(example: Path, catalog: Catalog) -> None:
    """`rights letter` and `rights batch` assess without the plan (what to do next), which no letter uses."""
    from rightscli.letters.letter import NoSupportedRequest, render_letter

    case = validate_case(datafile.load(str(example)))
    full = assess(case, catalog, case.as_of, "zh")
    lean = assess(case, catalog, case.as_of, "zh", plan=False)
    assert lean.plan is None and full.plan is not None
    assert (lean.findings, lean.evidence, lean.warnings) == (full.findings, full.evidence, full.warnings)
    for recipient in recipient_ids():
        for lang in ("zh", "en"):
            try:
                a = render_letter(full, recipient, "md", None, lang, draft=True)
                b = render_letter(lean, recipient, "md", None, lang, draft=True)
            except NoSupportedRequest:
                continue
            assert (a.markdown, a.warnings, a.notes, a.title) == (b.markdown, b.warnings, b.notes, b.title)
