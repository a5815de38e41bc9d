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
from rightscli.letters.context import build_letter_context
from rightscli.letters.data import load_letter_data
from rightscli.letters.letter import render_checklist, render_letter
from rightscli.letters.render import render
from rightscli.letters.wording import articles_of, receipt_district
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


def row(md: str, label: str) -> str:
    """The content cell of the form's row whose label starts with ``label``."""
    match = re.search(rf"^\| {re.escape(label)}[^|]* \| (.*) \|$", md, re.M)
    assert match, label
    return match.group(1)


def laptop_platform_did_nothing() -> Case:
    """The laptop case with a request for JD's intervention that JD left unanswered: the platform knew and took no
    measure (消法 第四十四条第二款), so it is sued with the seller (issue 13, point 5)."""
    history = [dict(e) for e in datafile.load(str(LAPTOP)).data["history"]]
    history.append({"on": "2026-11-11", "event": "platform_intervention_requested", "note": "申请京东客服介入"})
    return load(LAPTOP, history=history)


def block(md: str, heading: str) -> str:
    """One party table of the form, from its heading row (| 原告（自然人） | |) to the blank line after it."""
    match = re.search(rf"^\| {re.escape(heading)}[^\n]*\n(.*?)(?=\n\n)", md, re.M | re.S)
    assert match, heading
    return match.group(0)


def notes_of(case: Case, catalog: Catalog, as_of: date | None = None) -> str:
    return render_letter(assess(case, catalog, as_of or case.as_of or date(2026, 11, 20)), "court").notes


def test_the_statement_of_claim_follows_form_06(catalog: Catalog) -> None:
    """The elements of the 要素式 民事起诉状（买卖合同纠纷）, form 06 of 法〔2025〕82号, in its order."""
    history = [dict(e) for e in datafile.load(str(LAPTOP)).data["history"]]
    history.append({"on": "2026-11-11", "event": "platform_intervention_requested", "note": "申请京东客服介入"})
    case = load(LAPTOP, history=history, merchant__credit_code="91440300MA5FXXXX0U", merchant__legal_rep="王某")
    # three weeks on, JD has neither decided nor refunded: it took no measure, so it is sued beside the seller
    md, ctx, result = court(case, catalog, date(2026, 12, 2))
    v = ctx.values
    assert md.startswith("# 民事起诉状（买卖合同纠纷）\n")
    order = ["说明", "★特别提示★", "## 当事人信息", "| 原告（自然人） |", "| 委托诉讼代理人 |",
             "| 被告一（法人、非法人组织） |", "| 第三人 |", "## 诉讼请求和依据", "| 10. 标的总额 |",
             "## 约定管辖和诉讼保全", "## 事实与理由",
             "| 25. 证据清单 |", "## 对纠纷解决方式的意愿", "| 是否考虑先行调解 |", "此致", "具状人（签字、盖章）",
             "## 附页：证据目录"]  # fmt: skip
    places = [md.index(part) for part in order]
    assert places == sorted(places)
    # the plaintiff: name, phone and address from the case; ID details to fill in, boxes to tick
    plaintiff = block(md, "原告（自然人）")
    assert f"| 姓名 | {case.buyer.name} |" in plaintiff and f"| 联系电话 | {case.buyer.phone} |" in plaintiff
    assert f"| 经常居住地 | {case.buyer.address} |" in plaintiff
    assert "| 性别 | 男□ 女□ |" in plaintiff and "| 证件号码 | 【待补充：原告公民身份号码】 |" in plaintiff
    # the defendant company: credit code, legal representative, type box ticked from its registered name
    seller = block(md, "被告一（法人、非法人组织）")
    assert f"| 名称 | {case.merchant.company}（京东平台店铺“{case.merchant.name}”的经营者） |" in seller
    assert "| 统一社会信用代码 | 91440300MA5FXXXX0U |" in seller and "| 法定代表人／负责人 | 王某 |" in seller
    assert "有限责任公司■ 股份有限公司□" in row(seller, "类型")
    assert "| 住所地（主要办事机构所在地） | 【待补充：被告一地址】 |" in seller
    # claims: numbered, amounts in figures and capitals, costs on the defendants; the form's items filled
    claims = section(md, "诉讼请求和依据")
    numbered = re.findall(r"^\d+\. .*$", claims, re.M)
    assert (
        numbered[0] == "1. 判令被告一退还原告货款6,999.00元（大写：人民币陆仟玖佰玖拾玖元整），原告同时退还所购商品；"
    )
    assert numbered[-1] == f"{len(numbered)}. 本案诉讼费用由被告一、被告二负担。"
    for line in numbered:
        if re.search(r"\d+\.\d{2}元", line):
            assert MONEY.search(line), line
    assert row(md, "4. 是否对标的物的瑕疵承担责任").startswith("是■") and "退货■" in row(md, "4. 是否")
    assert row(md, "5. 要求继续履行或者解除合同") == "判令解除合同■"
    assert row(md, "8. 是否主张诉讼费用") == "是■"
    assert row(md, "10. 标的总额") == "6,999.00元（大写：人民币陆仟玖佰玖拾玖元整）"
    assert row(md, "有无仲裁、法院管辖约定") == "有□ 无■" and row(md, "是否申请诉前保全") == "是□ 否■"
    # facts and reasons: the narrative citing exactly the articles of the established findings it argues
    reasons = section(md, "事实与理由")
    argued = {f["id"] for f in v["findings"]}
    assert argued <= {f.policy.id for f in result.established()}
    for f in v["findings"]:
        assert f"（依据：{f['citation']}）" in reasons
    assert "收货地（四川省成都市武侯区天府大道北段1700号6栋2单元1103）为合同履行地" in reasons
    assert "《最高人民法院关于适用〈中华人民共和国民事诉讼法〉的解释》第二十条" in reasons
    # the 25 fact items, "无"/否 where the form allows it
    assert row(md, "1. 合同的签订情况").startswith("无书面合同。原告通过京东平台网络下单，订单号302957461830")
    assert row(md, "11. 标的物有无质量争议").startswith("有■ 正常使用中频繁黑屏")
    assert row(md, "12. 质量规格或履行方式是否不符合约定") == "否■"
    assert row(md, "13. 是否曾就质量问题进行协商").startswith("是■ 2026年11月8日，原告联系被告一")
    for n in ("16.", "18.", "19.", "20.", "22."):
        assert row(md, n) == "否■"
    assert row(md, "7. 约定的违约金") == "无" and row(md, "24. 其他需要说明的内容") == "无"
    assert "《中华人民共和国消费者权益保护法》" in row(md, "23. 请求承担责任的依据")
    assert "第二十四条" in row(md, "23. 请求承担责任的依据")
    for n in range(1, 26):
        assert re.search(rf"^\| {n}\. ", section(md, "事实与理由"), re.M), n
    # 先行调解: five statements and the choice, left for the buyer to tick
    assert len(re.findall(r"^\| \d\. .* \| 了解□ 不了解□ \|$", md, re.M)) == 5
    # the court, signature and date, copies for each defendant; the evidence index with the court's columns
    assert "此致\n【待补充：受诉人民法院名称（收货地四川省成都市武侯区或者被告住所地的基层人民法院）】\n" in md
    assert "> 具状人（签字、盖章）：刘洋\n> 日期：2026年12月2日\n" in md
    assert "附：本起诉状副本2份" in md
    index = section(md, "附页：证据目录")
    assert "| 序号 | 证据名称 | 证据形式 | 证据来源 | 证明目的 | 页码/份数 | 原件/复印件 |" in index
    assert "| 1 | 订单详情截图 | 电子数据 | 京东平台订单详情页面，原告截图 |" in index


def test_the_filing_notes_are_never_in_the_document(catalog: Catalog) -> None:
    case = load(LAPTOP)
    md, _, _ = court(case, catalog)
    notes = notes_of(case, catalog)
    assert notes.startswith("起诉前须知（不属于起诉状，不要提交）")
    assert "须知" not in md and "rights checklist" not in md and "\n---\n" not in md
    assert "www.gsxt.gov.cn" in notes and "法〔2025〕82号" in notes


def test_the_platform_is_co_defendant_only_where_its_liability_is_cited(catalog: Catalog) -> None:
    # asked to intervene nine days before and still handling it: the platform's liability is not established (it has
    # a reasonable time to act), so it is not sued
    md, ctx, result = court(load(SNEAKERS), catalog)
    assert not any(articles_of(f) & PLATFORM_LIMBS for f in result.established())
    assert "被告二" not in md
    # the platform promised genuine goods (正品保障) and they are fake: its liability holds, it is sued too
    md, ctx, result = court(load(SNEAKERS, listing__badges=["genuine_guarantee"]), catalog)
    assert any(articles_of(f) & PLATFORM_LIMBS for f in result.established())
    assert (
        row(block(md, "被告二（法人、非法人组织）"), "名称") == "【待补充：拼多多平台经营者名称】（拼多多平台的经营者）"
    )
    assert "判令被告二对被告一的上述给付义务承担连带责任；" in section(md, "诉讼请求和依据")
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
    assert row(block(md, "被告（法人、非法人组织）"), "名称") == "某某服饰有限公司（淘宝平台店铺“某某服饰店”的经营者）"
    assert "本案诉讼费用由被告负担。" in md
    assert "附：本起诉状副本1份" in md


def test_small_claims_note_comes_from_data_by_province_and_an_unknown_province_says_so(catalog: Catalog) -> None:
    md, ctx, _ = court(load(SNEAKERS), catalog)
    assert "标的额符合《中华人民共和国民事诉讼法》第一百六十五条规定的，原告请求适用小额诉讼的程序审理" in md
    # a province the data has: its figure, year and source, and where the claim falls
    zhejiang = load(SNEAKERS, buyer__address="浙江省杭州市西湖区某路1号")
    notes = notes_of(zhejiang, catalog)
    assert "浙江省小额诉讼标的额标准：54,323元以下" in notes and "2022年公布" in notes and "来源：" in notes
    assert "本案标的额在此标准以内" in notes and "（二手资料，且可能不是现行标准）" in notes  # 2022's, in 2026
    # the latest figure published by the day of the assessment: 江苏's 2026 notice from 2026-01-04, its 2024 one before
    jiangsu = load(SNEAKERS, buyer__address="江苏省南京市鼓楼区某路1号")
    notes = notes_of(jiangsu, catalog)
    assert "江苏省小额诉讼标的额标准：64,610元以下，双方约定的258,440元以下（2026年公布" in notes
    assert "（二手资料）" in notes and "可能不是现行标准" not in notes  # this year's figure
    assert "60,862" in notes_of(jiangsu, catalog, date(2025, 6, 1))
    assert "51,811" in notes_of(jiangsu, catalog, date(2023, 6, 1))
    # a province without data says so, and no yuan limit is invented
    sichuan = notes_of(load(LAPTOP), catalog)
    assert "本工具没有四川省小额诉讼标的额标准的数据" in sichuan
    assert not re.search(r"\d[\d,]*元", sichuan.split("小额诉讼：", 1)[1].split("\n", 1)[0])
    # an exchange is not a money claim: no small-claims request, and a note says why
    case = load(LAPTOP, wants=["exchange"])
    md, ctx, _ = court(case, catalog)
    assert "小额诉讼的程序审理" not in md
    assert "not_small_claims:换货" in ctx.notes


def test_a_sole_trader_defendant_ticks_no_type_and_the_buyer_is_told(catalog: Catalog) -> None:
    md, ctx, _ = court(load(LAPTOP, merchant__company="成都市武侯区某某数码经营部"), catalog)
    assert "■" not in row(block(md, "被告"), "类型")
    assert "sole_trader:" in ctx.notes


def test_a_court_claim_is_definite_the_first_alternative_only_with_a_note(catalog: Catalog) -> None:
    md, ctx, _ = court(load(LAPTOP), catalog)  # wants: [return_refund, exchange]
    claims = "\n".join(re.findall(r"^\d+\. .*$", section(md, "诉讼请求和依据"), re.M))
    assert "或者" not in claims and "更换" not in claims and "更换■" not in md
    assert "alternative_dropped:换货" in ctx.notes
    rendered = render_letter(assess(load(LAPTOP), catalog, date(2026, 11, 20)), "court")
    assert any("换货" in w and "诉讼请求" in w for w in rendered.warnings)
    assert "小额诉讼" in rendered.notes


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
        assert doc.paragraphs[0].text == "民事起诉状（买卖合同纠纷）"
        assert any("诉讼请求" in p.text for p in doc.paragraphs)
    else:
        assert "民事起诉状" in str(rendered.data) and "证据目录" in str(rendered.data)


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
