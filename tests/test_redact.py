"""--redact: personal data masked for sharing."""

from __future__ import annotations

from pathlib import Path

import pytest

from rightscli import datafile
from rightscli.case import validate_case
from rightscli.redact import redact_address, redact_case, redact_phone, redact_text

ROOT = Path(__file__).parent.parent


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("电话13800138000请回电", "电话【电话已隐去】请回电"),
        ("+86 138-0013-8000", "【电话已隐去】"),
        ("身份证110101199003071234", "身份证【证件号已隐去】"),
        ("身份证11010119900307123X号", "身份证【证件号已隐去】号"),
        ("座机 021-68881234", "座机 【电话已隐去】"),
        ("邮箱 zhangsan@example.com", "邮箱 【邮箱已隐去】"),
        ("订单号 348920193847512345 金额 899", "订单号 348920193847512345 金额 899"),
        ("寄到世纪大道100号3栋201室", "寄到【地址已隐去】"),
        ("2026-11-12 签收", "2026-11-12 签收"),
    ],
)
def test_redact_text(text: str, expected: str) -> None:
    assert redact_text(text) == expected


@pytest.mark.parametrize(
    ("address", "expected"),
    [
        ("上海市浦东新区世纪大道100号", "上海市浦东新区＊＊＊＊"),
        ("广东省广州市天河区天河路385号1502室", "广东省广州市天河区＊＊＊＊"),
        ("浙江省杭州市余杭区文一西路969号", "浙江省杭州市余杭区＊＊＊＊"),
        ("江苏省苏州市工业园区星湖街328号", "江苏省苏州市工业园区＊＊＊＊"),
        ("四川省阿坝藏族羌族自治州汶川县某某路1号", "四川省阿坝藏族羌族自治州汶川县＊＊＊＊"),
        ("某地", "＊＊＊＊"),
    ],
)
def test_redact_address(address: str, expected: str) -> None:
    assert redact_address(address) == expected


def test_redact_phone() -> None:
    assert redact_phone("13800138000") == "138****8000"
    assert redact_phone("12") == "＊＊＊＊"


def test_redact_case_masks_every_personal_field() -> None:
    case = validate_case(datafile.load(str(ROOT / "examples" / "changed-mind-in-time.yaml")))
    red = redact_case(case)
    assert red.buyer.name == case.buyer.name
    assert red.buyer.phone == "138****8000"
    assert red.buyer.address is not None and "385号" not in red.buyer.address
    assert red.order == case.order
    assert red.problem.kinds == case.problem.kinds


def test_redact_flag_on_letter_checklist_and_assess() -> None:
    from typer.testing import CliRunner

    from rightscli.cli import app

    runner = CliRunner()
    case = str(ROOT / "examples" / "changed-mind-in-time.yaml")
    for args in (
        ["letter", case, "--to", "regulator", "--format", "txt", "--redact"],
        ["letter", case, "--to", "association", "--format", "html", "--redact"],
        ["checklist", case, "--format", "md", "--redact"],
        ["assess", case, "--redact"],
    ):
        result = runner.invoke(app, args, catch_exceptions=False)
        assert result.exit_code == 0, (args, result.stderr)
        assert "13800138000" not in result.stdout, args
        assert "天河路385号" not in result.stdout, args
    plain = runner.invoke(app, ["letter", case, "--to", "regulator", "--format", "txt"], catch_exceptions=False)
    assert "13800138000" in plain.stdout
