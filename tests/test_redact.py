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
        ("电话13800138000请回电", "电话138****8000请回电"),
        ("+86 138-0013-8000", "138****8000"),
        ("身份证110101199003071234", "身份证110101********4"),
        ("身份证11010119900307123X号", "身份证110101********X号"),
        ("座机 021-68881234", "座机 021-****1234"),
        ("邮箱 zhangsan@example.com", "邮箱 z***@example.com"),
        ("订单号 3489201938475 金额 899", "订单号 3489201938475 金额 899"),
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
