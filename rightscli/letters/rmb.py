"""Amounts of money in figures (3,600.00元) and in capitals (人民币叁仟陆佰元整).

The capitals follow the rules for amounts on payment documents (《支付结算办法》附件
《正确填写票据和结算凭证的基本规定》):

* digits 零壹贰叁肆伍陆柒捌玖, units 拾佰仟, groups 万 and 亿; a leading ten is written 壹拾 (10 → 壹拾元整);
* one 零 stands for a run of zeros inside the number (1001 → 壹仟零壹元整, 10010 → 壹万零壹拾元整);
  a group below 1,000 after a higher group takes 零 (100700 → 壹拾万零柒佰元整),
  a group of 1,000 or more does not (107000 → 壹拾万柒仟元整);
* 整 follows 元 when there are no 角 or 分, and follows 角 when there is no 分
  (899.5 → 捌佰玖拾玖元伍角整); never after 分;
* 零 is written between 元 and 分 when 角 is zero (325.04 → 叁佰贰拾伍元零肆分);
* where the rules leave the 零 before 角 optional (1680.32), it is left out: 壹仟陆佰捌拾元叁角贰分;
* amounts under one yuan start at their first non-zero unit (0.05 → 人民币伍分); zero is 人民币零元整.
"""

from __future__ import annotations

import functools
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

DIGITS = "零壹贰叁肆伍陆柒捌玖"
UNITS = ("", "拾", "佰", "仟")
GROUPS = ("", "万", "亿", "万亿")
CENT = Decimal("0.01")
LIMIT = Decimal("10") ** 16  # up to 9,999万亿


def to_decimal(amount: Decimal | int | float | str) -> Decimal:
    """The amount as yuan rounded to the fen; ValueError for anything that is not a sum of money."""
    try:
        value = Decimal(repr(amount)) if isinstance(amount, float) else Decimal(amount)
    except (InvalidOperation, TypeError, ValueError):
        raise ValueError(f"not an amount of money: {amount!r}") from None
    if not value.is_finite() or value < 0:
        raise ValueError(f"not an amount of money: {amount!r}")
    value = value.quantize(CENT, rounding=ROUND_HALF_UP)
    if value >= LIMIT:
        raise ValueError(f"amount too large: {amount!r}")
    return value


def figures(amount: Decimal | int | float | str) -> str:
    """3600 → '3,600.00元'."""
    return _figures(to_decimal(amount))


def capitals(amount: Decimal | int | float | str) -> str:
    """3600 → '人民币叁仟陆佰元整'; 899.5 → '人民币捌佰玖拾玖元伍角整'; 0.05 → '人民币伍分'."""
    return _capitals(to_decimal(amount))


# A batch writes the same few amounts (a price, its triple, a total) in letter after letter: the wording of each
# amount (checked and rounded to the fen first) is kept for the next letter, at most MEMO of them.
MEMO = 1024


@functools.lru_cache(maxsize=MEMO)
def _figures(value: Decimal) -> str:
    return f"{value:,.2f}元"


@functools.lru_cache(maxsize=MEMO)
def _capitals(value: Decimal) -> str:
    cents = int(value * 100)
    yuan, jiao, fen = cents // 100, cents // 10 % 10, cents % 10
    out = _integer(yuan) + "元" if yuan else ""
    if jiao:
        out += DIGITS[jiao] + "角"
    elif fen and yuan:
        out += "零"
    if fen:
        out += DIGITS[fen] + "分"
    elif yuan or jiao:
        out += "整"
    return "人民币" + (out or "零元整")


def both(amount: Decimal | int | float | str) -> str:
    """'3,600.00元（大写：人民币叁仟陆佰元整）'."""
    return f"{figures(amount)}（大写：{capitals(amount)}）"


def _integer(n: int) -> str:
    groups: list[int] = []
    while n:
        groups.append(n % 10000)
        n //= 10000
    out = ""
    pending_zero = False
    for index in range(len(groups) - 1, -1, -1):
        group = groups[index]
        if group == 0:
            pending_zero = bool(out)
            continue
        if out and (pending_zero or group < 1000):
            out += "零"
        out += _group(group) + GROUPS[index]
        pending_zero = False
    return out


def _group(n: int) -> str:
    """A number 1..9999 without its group unit: 1001 → 壹仟零壹, 10 → 壹拾."""
    out = ""
    zero = False
    for position in range(3, -1, -1):
        digit = n // 10**position % 10
        if digit == 0:
            zero = bool(out)
            continue
        if zero:
            out += "零"
            zero = False
        out += DIGITS[digit] + UNITS[position]
    return out
