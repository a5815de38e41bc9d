"""The money a plan counts (rightscli/plan): a claim whose rule rests on an unverified source is shown, marked, and
never counted in the total."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

from rightscli import datafile
from rightscli.case import validate_case
from rightscli.catalog import Catalog
from rightscli.engine import assess
from rightscli.plan.model import Plan

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"


def plan_of(name: str, catalog: Catalog) -> Plan:
    path = str(EXAMPLES / name)
    case = validate_case(datafile.load(path))
    result = assess(case, catalog, case.as_of or date(2026, 11, 20))
    assert result.plan is not None
    return result.plan


def test_an_unverified_platform_promise_is_not_counted(catalog: Catalog) -> None:
    plan = plan_of("counterfeit-sneakers.yaml", catalog)
    by_policy = {c.policy: c for c in plan.claims}
    assert by_policy["pinduoduo.fake_pays_ten"].confirmed is False  # known from secondary sources only
    assert by_policy["cn.cpl.art55"].confirmed is True
    # the refund (¥399) plus the largest verified award (退一赔三 ¥1,197), not PDD's ¥3,990
    assert plan.total() == Decimal("1596")
    assert {c["policy"]: c["confirmed"] for c in plan.to_json()["claims"]}["pinduoduo.fake_pays_ten"] is False


def test_no_total_when_every_amount_is_unverified(catalog: Catalog) -> None:
    plan = plan_of("late-shipment.yaml", catalog)
    assert plan.claims and not any(c.confirmed for c in plan.claims if c.decided)
    assert plan.total() is None
