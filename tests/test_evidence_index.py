"""The 证据目录 of letters, the pleading and the checklist: the court's columns, words from data, the findings each item
supports, the recorded files numbered 1-1, 1-2; capture advice per item in the checklist."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from rightscli import datafile
from rightscli.case import validate_case
from rightscli.catalog import Catalog
from rightscli.engine import assess
from rightscli.letters.checklist import build_checklist_context
from rightscli.letters.data import load_letter_data
from rightscli.letters.evidence_index import evidence_index, suffix

ROOT = Path(__file__).parent.parent
LAPTOP = ROOT / "examples" / "laptop-defect.yaml"
SHA = "a" * 64


def laptop(**extra: object):
    doc = datafile.load(str(LAPTOP))
    doc.data.update(extra)
    return validate_case(doc)


def test_rows_have_the_court_columns_from_data(catalog: Catalog) -> None:
    result = assess(laptop(), catalog, date(2026, 11, 20))
    names = {"platform": "京东", "buyer": "原告", "seller": "被告"}
    rows = evidence_index(result, load_letter_data(), names, voice="原告")
    held = [e for e in result.case.evidence]
    assert [r["no"] for r in rows] == list(range(1, len(held) + 1))
    first = rows[0]
    assert first["id"] == "order_record" and first["form"] == "电子数据"
    assert first["proves"].startswith("原告与被告之间买卖合同成立")
    assert first["source"] == "京东平台订单详情页面，原告截图"
    assert "打印件" in first["original"] and "录屏" in first["capture"]
    # 证明目的 names the established findings the item supports, in the pleading's voice
    established = {f.policy.title.zh for f in result.established()}
    assert first["findings"] and all(
        t.replace("原告", "您") in established or t in established for t in first["findings"]
    )
    for row in rows:
        assert "待补充" not in row["form"] + row["source"] + row["proves"]


def test_recorded_files_are_counted_and_numbered(catalog: Catalog) -> None:
    files = [
        {
            "id": "chat_log",
            "path": "聊天/录屏.MP4",
            "sha256": SHA,
            "size": 10,
            "recorded_at": "2026-11-20T10:00:00+08:00",
        },
        {"id": "chat_log", "path": "聊天/截图", "sha256": SHA, "size": 3, "recorded_at": "2026-11-20T10:01:00+08:00"},
    ]
    result = assess(laptop(evidence_files=files), catalog, date(2026, 11, 20))
    rows = evidence_index(result, load_letter_data(), {"platform": "京东", "buyer": "本人", "seller": "商家"})
    chat = next(r for r in rows if r["id"] == "chat_log")
    assert chat["copies"] == "2份"
    assert [f["name"] for f in chat["files"]] == [
        f"{chat['no']}-1.mp4",
        f"{chat['no']}-2",
    ]  # nothing else from the path
    assert suffix("a/b/../evil.sh;rm") == "" and suffix("x.JPEG") == ".jpeg" and suffix("x.tar.gz") == ".gz"


def test_the_checklist_gives_capture_advice_and_the_index(catalog: Catalog) -> None:
    result = assess(laptop(), catalog, date(2026, 11, 20))
    ctx = build_checklist_context(result, catalog, "zh")
    chat = next(i for i in ctx["items"] if i["id"] == "chat_log")
    assert "从手机App首页开始录屏" in chat["capture"] and "保留原手机和账号" in chat["capture"]
    assert "可信时间戳" in chat["capture"]
    assert ctx["index_cols"] == ["序号", "证据名称", "证据形式", "证据来源", "证明目的", "页码/份数", "原件/复印件"]
    assert [r["id"] for r in ctx["index"]][:2] == ["order_record", "payment_record"]


def test_every_evidence_item_has_filing_data_in_both_languages(catalog: Catalog) -> None:
    for item in catalog.evidence.values():
        assert item.filing is not None, item.id
        for text in (item.filing.form, item.filing.proves, item.filing.original, item.filing.capture):
            assert text.zh and text.en, item.id
