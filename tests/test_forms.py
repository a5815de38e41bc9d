"""`rights form CASE --for 12315|heimao`: the fields in the form's order, each within its limit (unconfirmed limits
marked), typeable text, the handling office from the jurisdiction rule; heimao redacted, with the no-legal-effect
warning."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from typer.testing import CliRunner

from rightscli.cli import app
from rightscli.forms import fit, form_data, typeable

ROOT = Path(__file__).parent.parent
LAPTOP = ROOT / "examples" / "laptop-defect.yaml"
EXAMPLES = sorted((ROOT / "examples").glob("*.yaml"))


def run(*args: object):
    return CliRunner().invoke(app, [str(a) for a in args], catch_exceptions=False)


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
@pytest.mark.parametrize("which", ["12315", "heimao"])
def test_every_field_in_order_and_within_its_limit(path: Path, which: str) -> None:
    result = run("form", path, "--for", which, "--json")
    assert result.exit_code == 0, result.stderr
    fields = json.loads(result.stdout)
    spec = form_data()[which]["fields"]
    assert [f["field"] for f in fields] == [s["label"] for s in spec]
    for f in fields:
        assert set(f) >= {"field", "value", "limit"}
        if f["limit"] is not None:
            assert len(f["value"]) <= f["limit"], f
        assert "\\" not in f["value"] and "（大写：" not in f["value"] and "\n" not in f["value"]
    assert any(f["limit"] is not None and not f["limit_confirmed"] for f in fields)  # guesses are marked


def test_12315_values_and_the_handling_office() -> None:
    fields = {f["field"]: f for f in json.loads(run("form", LAPTOP, "--for", "12315", "--json").stdout)}
    assert fields["企业全称"]["value"] == "深圳市极速数码科技有限公司"
    assert fields["订单号"]["value"] == "302957461830"
    assert "6999.00元" in fields["诉求"]["value"] and "6,999" not in fields["诉求"]["value"]
    assert fields["销售方式"]["value"].startswith("网购/电商平台 → 京东")
    # no address published: the platform's domicile (Order 121 art. 13 from 2026-04-15)
    assert "平台经营者住所地" in fields["处理单位"]["value"]
    assert "第十三条" in fields["处理单位"]["hint"]
    assert "二手资料" not in fields["处理单位"]["hint"]  # Order 121 read in its full text (legal-review D6)
    text = run("form", LAPTOP, "--for", "12315", "--as-of", "2026-11-20").stdout
    assert "上限未经证实" in text and "9. 诉求" in text


def test_12315_office_with_a_published_address_and_under_order_20(tmp_path: Path) -> None:
    case = tmp_path / "case.yaml"
    text = LAPTOP.read_text(encoding="utf-8").replace("  address: null", "  address: 广东省深圳市南山区某路1号", 1)
    case.write_text(text, encoding="utf-8")
    fields = {f["field"]: f for f in json.loads(run("form", case, "--for", "12315", "--json").stdout)}
    assert fields["处理单位"]["value"].startswith("经营者在平台公示的地址（广东省深圳市南山区）所在地")
    # before 2026-04-15 Order 20 art. 12 applied: the merchant's actual place of business
    from types import SimpleNamespace

    from rightscli.forms import _office
    from rightscli.letters.wording import receipt_district

    before = SimpleNamespace(as_of=date(2026, 3, 1))
    office, hint = _office(before, form_data()["12315"], "广东省深圳市南山区某路1号", receipt_district)  # type: ignore[arg-type]
    assert office.startswith("经营者实际经营地（广东省深圳市南山区）") and "第十二条" in hint


def test_heimao_is_redacted_and_warns_it_has_no_legal_effect() -> None:
    result = run("form", LAPTOP, "--for", "heimao", "--json")
    fields = {f["field"]: f for f in json.loads(result.stdout)}
    text = fields["投诉内容"]["value"]
    assert "13612345678" not in text and "刘洋" not in text and "302957461830" not in text
    assert "尾号1830" in text
    assert "没有法律效力" in result.stderr
    assert "没有法律效力" in run("form", LAPTOP, "--for", "heimao").stdout


def test_unknown_form_is_exit_2() -> None:
    result = run("form", LAPTOP, "--for", "weibo")
    assert result.exit_code == 2 and "--for 'weibo'" in result.stderr


def test_fit_and_typeable() -> None:
    assert fit("一二三。四五六七八九十。", 6) == "一二三。"
    assert len(fit("一" * 30, 10)) == 10 and fit("一" * 30, 10).endswith("…")
    assert typeable("实付6,999.00元（大写：人民币陆仟玖佰玖拾玖元整）\n完") == "实付6999.00元 完"
