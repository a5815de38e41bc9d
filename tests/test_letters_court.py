"""`rights letter --to court`: a 民事起诉状 for the basic people's court with every element that
民事诉讼法 第一百二十四条 asks for, ready for small claims (第一百六十五条) without inventing a yuan limit; the platform
as co-defendant where 消法 第四十四条 or 电子商务法 第三十八条 is cited; the court step of the escalation ladder; the
checklist for court."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from rightscli import datafile
from rightscli.case import Case, validate_case
from rightscli.catalog import Catalog, templates_dir
from rightscli.engine import assess
from rightscli.letters.checklist import build_checklist_context
from rightscli.letters.context import articles_of, build_letter_context, receipt_district
from rightscli.letters.data import load_letter_data
from rightscli.letters.letter import render_checklist, render_letter
from rightscli.letters.render import render
from rightscli.plan.ladder import PARALLEL_TARGETS, escalation_step, parallel_steps, step_after
from rightscli.policy import EscalationStep, Text
from tests.scenario_runner import BASE, deep_merge

ROOT = Path(__file__).parent.parent
LAPTOP = ROOT / "examples" / "laptop-defect.yaml"
SNEAKERS = ROOT / "examples" / "counterfeit-sneakers.yaml"
MONEY = re.compile(r"\d[\d,]*\.\d{2}元（大写：人民币[零壹贰叁肆伍陆柒捌玖拾佰仟万亿元角分整]+）")
PLATFORM_LIMBS = {("中华人民共和国消费者权益保护法", "第四十四条"), ("中华人民共和国电子商务法", "第三十八条")}


def load(path: Path, **changes: Any) -> Case:
    doc = datafile.load(str(path))
    for dotted, value in changes.items():
        node = doc.data
        *parents, leaf = dotted.split("__")
        for key in parents:
            node = node.setdefault(key, {})
        node[leaf] = value
    return validate_case(doc)


def court(case: Case, catalog: Catalog, as_of: date | None = None) -> tuple[str, Any, Any]:
    result = assess(case, catalog, as_of or case.as_of or date(2026, 11, 20))
    ctx = build_letter_context(result, "court")
    return render(["letters/court.md.j2"], ctx.values, None, templates_dir()), ctx, result


def section(md: str, heading: str) -> str:
    match = re.search(rf"^## [^\n]*{heading}[^\n]*\n(.*?)(?=^## |^---$|\Z)", md, re.S | re.M)
    assert match, heading
    return match.group(1)


def pleading(md: str) -> str:
    """The statement of claim itself, without the notes for the buyer after the rule."""
    return md.split("\n---\n", 1)[0]


def laptop_platform_did_nothing() -> Case:
    """The laptop case with a request for JD's intervention that JD left unanswered: the platform knew and took no
    measure (消法 第四十四条第二款), so it is sued with the seller (issue 13, point 5)."""
    history = [dict(e) for e in datafile.load(str(LAPTOP)).data["history"]]
    history.append({"on": "2026-11-11", "event": "platform_intervention_requested", "note": "申请京东客服介入"})
    return load(LAPTOP, history=history)


def test_the_statement_of_claim_has_every_required_element(catalog: Catalog) -> None:
    case = laptop_platform_did_nothing()
    md, ctx, result = court(case, catalog)
    v = ctx.values
    assert md.startswith("# 民事起诉状\n")
    head = md.split("## ", 1)[0]
    # the plaintiff: name, address, phone from the case; ID details to fill in from the ID card
    for line in (f"原告：{case.buyer.name}", f"住所：{case.buyer.address}", f"联系电话：{case.buyer.phone}",
                 "性别：【待补充：原告性别】", "公民身份号码：【待补充：原告公民身份号码】"):  # fmt: skip
        assert line in head
    # the defendant: the seller's operator, with its credit code and address (placeholders where unknown)
    assert f"被告一：{case.merchant.company}（京东平台店铺“{case.merchant.name}”的经营者）" in head
    assert "住所地：【待补充：被告一地址】" in head
    assert "统一社会信用代码：【待补充：被告一统一社会信用代码】" in head
    # claims: amounts in figures and capitals, costs on the defendants
    claims = section(md, "诉讼请求")
    numbered = re.findall(r"^\d+\. .*$", claims, re.M)
    first = "1. 判令被告一退还原告货款6,999.00元（大写：人民币陆仟玖佰玖拾玖元整），原告同时退还所购商品；"
    assert numbered[0] == first
    assert numbered[-1] == f"{len(numbered)}. 本案诉讼费用由被告一、被告二负担。"
    for line in numbered:
        if re.search(r"\d+\.\d{2}元", line):
            assert MONEY.search(line), line
    # facts and reasons citing exactly the articles of the findings it argues, all established
    reasons = section(md, "事实与理由")
    argued = {f["id"] for f in v["findings"]}
    assert argued <= {f.policy.id for f in result.established()}
    for f in v["findings"]:
        assert f"（依据：{f['citation']}）" in reasons
    assert "原告在京东平台" in reasons
    # jurisdiction: the place of receipt for goods bought online (民诉解释 第二十条)
    assert "收货地（四川省成都市武侯区天府大道北段1700号6栋2单元1103）为合同履行地" in reasons
    assert "《最高人民法院关于适用〈中华人民共和国民事诉讼法〉的解释》第二十条" in reasons
    assert "《中华人民共和国民事诉讼法》第二十四条" in reasons
    # evidence with the source of each item
    evidence = section(md, "证据和证据来源")
    items = re.findall(r"^\d+\. (.+)（来源：(.+)）$", evidence, re.M)
    assert [label for label, _ in items] == [e["label"] for e in v["evidence"]]
    assert all(source and "待补充" not in source for _, source in items)
    assert "订单详情截图（来源：京东平台订单详情页面，原告截图）" in evidence
    # the court, signature and date, copies for each defendant
    assert "此致\n【待补充：受诉人民法院名称（收货地四川省成都市武侯区或者被告住所地的基层人民法院）】\n" in md
    assert "> 原告（签名）：刘洋\n> 2026年11月20日\n" in md
    assert "附：本起诉状副本2份" in md


def test_the_platform_is_co_defendant_only_where_its_liability_is_cited(catalog: Catalog) -> None:
    md, ctx, result = court(load(SNEAKERS), catalog)
    assert any(articles_of(f) & PLATFORM_LIMBS for f in result.established())
    head = md.split("## ", 1)[0]
    assert "被告二：【待补充：拼多多平台经营者名称】（拼多多平台的经营者）" in head
    assert "判令被告二对被告一的上述给付义务承担连带责任；" in section(md, "诉讼请求")
    argued = {f["id"] for f in ctx.values["findings"]}
    grounds = {f.policy.id for f in result.established() if articles_of(f) & PLATFORM_LIMBS}
    assert grounds <= argued  # the reason for suing the platform is argued
    assert "co_defendant:拼多多" in ctx.notes
    # the seller named and known, the platform's liability not in the findings: one defendant
    case = load(BASE, merchant__address="浙江省杭州市余杭区某路1号", problem__kinds=["quality_defect"],
                wants=["refund_only"])  # fmt: skip
    md, ctx, result = court(case, catalog, date(2026, 11, 15))
    assert not any(articles_of(f) & PLATFORM_LIMBS for f in result.established())
    assert "被告二" not in md
    assert "被告：某某服饰有限公司（淘宝平台店铺“某某服饰店”的经营者）" in md
    assert "本案诉讼费用由被告负担。" in md
    assert "附：本起诉状副本1份" in md


def test_small_claims_are_asked_for_only_for_money_claims_and_no_yuan_limit_is_invented(catalog: Catalog) -> None:
    md, ctx, _ = court(load(SNEAKERS), catalog)
    claims = section(md, "诉讼请求")
    assert "诉讼标的额：1,596.00元（大写：人民币壹仟伍佰玖拾陆元整）" in claims
    assert "标的额符合《中华人民共和国民事诉讼法》第一百六十五条规定的，原告请求适用小额诉讼的程序审理" in claims
    assert "small_claims_threshold:" in ctx.notes
    notes = md.split("\n---\n", 1)[1]
    assert "核实本省现行的标准" in notes and "不写具体数额" in notes
    # no yuan figure anywhere but the claims and the facts of the order
    for part in (notes, re.sub(r"^\d+\. .*$", "", section(md, "事实与理由"), flags=re.M)):
        assert not re.search(r"\d+(?:\.\d+)?\s*(?:万)?元", part), part
    # an exchange is not a money claim: no small-claims request, and a note says why
    case = load(LAPTOP, wants=["exchange"])
    md, ctx, _ = court(case, catalog)
    assert "小额诉讼的程序审理" not in pleading(md)
    assert "not_small_claims:换货" in ctx.notes


def test_a_court_claim_is_definite_the_first_alternative_only_with_a_note(catalog: Catalog) -> None:
    md, ctx, _ = court(load(LAPTOP), catalog)  # wants: [return_refund, exchange]
    claims = section(md, "诉讼请求")
    assert "或者" not in claims and "更换" not in claims
    assert "alternative_dropped:换货" in ctx.notes
    rendered = render_letter(assess(load(LAPTOP), catalog, date(2026, 11, 20)), "court")
    assert any("换货" in w and "诉讼请求" in w for w in rendered.warnings)
    assert any("小额诉讼" in w and "不提供具体金额" in w for w in rendered.warnings)


def test_receipt_district() -> None:
    assert receipt_district("四川省成都市武侯区天府大道北段1700号") == "四川省成都市武侯区"
    assert receipt_district("上海市浦东新区世纪大道100号") == "上海市浦东新区"
    assert receipt_district("广东省东莞市虎门镇某路1号") == "广东省东莞市"
    assert receipt_district(None) == ""
    assert receipt_district("某某大厦") == ""


@pytest.mark.parametrize("fmt", ["txt", "html", "docx"])
def test_the_court_letter_in_every_format(fmt: str, catalog: Catalog) -> None:
    rendered = render_letter(assess(load(LAPTOP), catalog, date(2026, 11, 20)), "court", fmt)
    if fmt == "docx":
        import io

        from docx import Document

        doc = Document(io.BytesIO(rendered.data))  # type: ignore[arg-type]
        assert doc.paragraphs[0].text == "民事起诉状"
        assert any("诉讼请求" in p.text for p in doc.paragraphs)
    else:
        assert "民事起诉状" in str(rendered.data) and "证据和证据来源" in str(rendered.data)


# -- the checklist for a court case ---------------------------------------------------------------------------------
def test_the_checklist_for_court_adds_what_a_court_needs(catalog: Catalog) -> None:
    result = assess(load(LAPTOP), catalog, date(2026, 11, 20))
    plain = build_checklist_context(result, catalog, "zh")
    ctx = build_checklist_context(result, catalog, "zh", "court")
    extra = ctx["items"][len(plain["items"]) :]
    assert ctx["items"][: len(plain["items"])] == plain["items"]
    assert [i["id"] for i in extra] == [c.id for c in load_letter_data().recipients["court"].checklist]
    labels = " ".join(i["label"] + i["how"] for i in extra)
    for needed in ("身份证复印件", "国家企业信用信息公示系统", "统一社会信用代码", "证据原件"):
        assert needed in labels
    assert [i["no"] for i in ctx["items"]] == list(range(1, len(ctx["items"]) + 1))
    assert all(not i["held"] and i["status"] == "待准备" for i in extra)
    assert ctx["labels"]["title"] == "证据和起诉材料清单"
    assert f"共 {len(ctx['items'])} 项" in ctx["counts"]
    english = build_checklist_context(result, catalog, "en", "court")
    assert english["items"][-1]["label"] == "copies of the statement of claim and of the evidence"
    md = str(render_checklist(result, catalog, "md", purpose="court").data)
    assert "原告身份证复印件（待准备）" in md and "www.gsxt.gov.cn" in md


# -- the escalation ladder ------------------------------------------------------------------------------------------
def case_with(history: list[tuple[str, str]], as_of: str = "2027-02-01") -> Case:
    raw = deep_merge(datafile.load(str(BASE)).data, {"problem": {"kinds": ["quality_defect"]}})
    raw["history"] = [{"on": on, "event": event} for on, event in history]
    return validate_case(datafile.Document(raw, "test.yaml"), as_of=date.fromisoformat(as_of))


# The seller did not answer (after an outright refusal of a quality claim the ladder asks for a report first).
COMPLAINED = [("2026-11-13", "contacted_merchant"), ("2026-11-14", "merchant_no_reply"),
              ("2026-11-16", "platform_decided"), ("2026-11-20", "complaint_regulator")]  # fmt: skip


@pytest.mark.parametrize(
    ("extra", "as_of", "court_next"),
    [
        ([], "2026-11-25", False),  # the complaint is being handled
        ([("2026-11-25", "regulator_accepted")], "2026-12-20", False),  # mediation running
        ([("2026-11-25", "regulator_accepted"), ("2026-12-10", "mediation_ended")], "2026-12-20", True),  # failed
        ([("2026-11-25", "regulator_declined")], "2026-12-20", True),
        (
            [
                ("2026-11-25", "regulator_accepted"),
                ("2026-11-26", "report_regulator"),
                ("2026-12-10", "mediation_ended"),
            ],
            "2026-12-20",
            True,
        ),
        ([("2026-11-25", "regulator_accepted")], "2027-02-01", True),  # the 60 days of mediation passed
    ],
)
def test_court_comes_after_mediation_fails_or_the_complaint_is_declined(
    extra: list[tuple[str, str]], as_of: str, court_next: bool, catalog: Catalog
) -> None:
    day = date.fromisoformat(as_of)
    case = case_with(COMPLAINED + extra, as_of=as_of)
    result = assess(case, catalog, day)
    assert any(s.source == "escalation.court" and s.to == "court" for s in result.next_steps) is court_next
    if as_of != "2027-02-01":  # the ladder itself, without the passed wait standing for the end of mediation
        step = escalation_step(catalog.escalation, case, day)
        assert (step is not None and step.id == "court") is court_next


def test_after_a_complaint_the_step_after_is_court(catalog: Catalog) -> None:
    case = case_with(COMPLAINED[:3], as_of="2026-11-17")
    step = escalation_step(catalog.escalation, case, date(2026, 11, 17))
    assert step is not None and step.to in ("association", "regulator")
    following = step_after(catalog.escalation, case, step, date(2026, 11, 17))
    assert following is not None and following.id == "court"


def ladder_step(sid: str, to: str, when: dict[str, Any] | None = None) -> EscalationStep:
    return EscalationStep(id=sid, to=to, title=Text(sid, sid), action=Text(sid, sid), sources=(), when=when)


def test_a_public_step_runs_alongside_the_ladder_and_never_blocks_it() -> None:
    assert "public" in PARALLEL_TARGETS
    refused = {"history": "merchant_refused"}
    ladder = [
        ladder_step("public", "public", refused),
        ladder_step("merchant", "merchant"),
        ladder_step("court", "court"),
    ]
    case = case_with([("2026-11-14", "merchant_refused")])
    step = escalation_step(ladder, case, date(2026, 11, 20))
    assert step is not None and step.id == "merchant"
    assert [s.id for s in parallel_steps(ladder, case, date(2026, 11, 20))] == ["public"]
    assert parallel_steps(ladder, case_with([]), date(2026, 11, 20)) == []
    assert step_after(ladder, case, step, date(2026, 11, 20)).id == "court"  # type: ignore[union-attr]


def test_claims_are_numbered_once_when_no_request_is_grounded(catalog: Catalog) -> None:
    md, _, _ = court(load(ROOT / "examples" / "changed-mind-too-late.yaml"), catalog)
    numbers = re.findall(r"^(\d+)\. ", section(md, "诉讼请求"), re.M)
    assert numbers == [str(n) for n in range(1, len(numbers) + 1)]
    assert "1. 【待补充：具体的诉讼请求】；" in md
