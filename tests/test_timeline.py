"""Waiting windows (policies/waits.yaml) and the "what now" plan, with fixed as_of dates.

Holiday calendar 2026 (State Council): Spring Festival rest Feb 15-23 with make-up working days Sat Feb 14 and
Sat Feb 28; Mid-Autumn Sep 25-27; National Day Oct 1-7 with make-up working days Sun Sep 20 and Sat Oct 10.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from rightscli import datafile
from rightscli.case import Case, validate_case
from rightscli.catalog import Catalog
from rightscli.cli import app
from rightscli.engine import assess
from rightscli.plan.build import Plan, make_plan
from rightscli.plan.waits import WaitState, evaluate_waits
from tests.scenario_runner import BASE, deep_merge

ROOT = Path(__file__).parent.parent
D = date.fromisoformat


def make_case(as_of: str, history: list[tuple[str, str]] | None = None, **over: Any) -> Case:
    raw = deep_merge(datafile.load(str(BASE)).data, over)
    raw["history"] = [{"on": on, "event": event} for on, event in (history or [])]
    return validate_case(datafile.Document(raw, "test.yaml"), as_of=D(as_of))


def waits(catalog: Catalog, case: Case, as_of: str) -> dict[str, WaitState]:
    return {s.id: s for s in evaluate_waits(catalog.waits, case, D(as_of))}


def plan_for(catalog: Catalog, case: Case, as_of: str, lang: str = "zh") -> Plan:
    return make_plan(assess(case, catalog, D(as_of), lang), catalog.waits, catalog.escalation)


def cited(state: WaitState) -> set[str]:
    return {b["document"] for b in state.basis()}


# -- the data file ------------------------------------------------------------------------------------------------
def test_every_wait_has_a_source_a_label_and_a_next_step(catalog: Catalog) -> None:
    ids = {w.id for w in catalog.waits}
    assert {
        "return_not_processed", "refund_due", "refund_not_paid", "taobao_intervention", "jd_intervention",
        "regulator_acceptance", "regulator_mediation", "report_verification", "limitation",
    } <= ids  # fmt: skip
    for w in catalog.waits:
        assert w.sources and w.label.zh and w.label.en and w.then.action.zh
        assert w.kind in ("wait", "deadline")


def test_an_unknown_key_in_waits_yaml_is_an_error(tmp_path: Path) -> None:
    from rightscli.policy_reader import Reader

    doc = datafile.parse_text(
        "waits:\n  - id: x\n    kind: wait\n    from: {event: return_requested}\n    length: 3\n    unit: days\n"
        "    label: {zh: a, en: a}\n    then: {to: merchant, action: {zh: b, en: b}}\n"
        "    sources: [{document: d, article: a}]\n    colour: red\n",
        "waits.yaml",
    )
    reader = Reader(doc)
    reader.waits()
    assert any("colour" in str(e) and e.line == 10 for e in reader.errors)


# -- working days through the holiday calendar ------------------------------------------------------------------
def test_regulator_acceptance_crosses_spring_festival(catalog: Catalog) -> None:
    case = make_case(
        "2026-02-20",
        [("2026-02-12", "complaint_regulator")],
        order={"paid_on": "2026-02-01", "shipped_on": "2026-02-02", "received_on": "2026-02-03"},
        problem={"discovered_on": "2026-02-03"},
    )
    state = waits(catalog, case, "2026-02-20")["regulator_acceptance"]
    # Fri 13, make-up Sat 14, (rest 15-23), Tue 24, Wed 25, Thu 26, Fri 27, make-up Sat 28 = 7 working days
    assert state.last_day == D("2026-02-28")
    assert state.follow_up == D("2026-03-01")
    assert state.status == "running" and state.calendar_known
    # filed before 2026-04-15: the old 暂行办法 applies, the 2026 办法 is not cited
    assert "市场监督管理投诉举报处理暂行办法" in cited(state)
    assert "市场监督管理投诉举报处理办法" not in cited(state)


def test_a_complaint_after_april_2026_cites_the_new_rule_only(catalog: Catalog) -> None:
    case = make_case("2026-11-20", [("2026-11-16", "complaint_regulator")])
    state = waits(catalog, case, "2026-11-20")["regulator_acceptance"]
    assert state.last_day == D("2026-11-25")  # Tue 17 … Wed 25: 7 working days
    assert "市场监督管理投诉举报处理办法" in cited(state)
    assert "市场监督管理投诉举报处理暂行办法" not in cited(state)
    assert "中华人民共和国消费者权益保护法" in cited(state)


def test_report_verification_crosses_mid_autumn_and_national_day(catalog: Catalog) -> None:
    case = make_case(
        "2026-10-09",
        [("2026-09-18", "report_regulator")],
        order={"paid_on": "2026-09-01", "shipped_on": "2026-09-02", "received_on": "2026-09-03"},
        problem={"discovered_on": "2026-09-03"},
    )
    state = waits(catalog, case, "2026-10-09")["report_verification"]
    # make-up Sun Sep 20 counts; Sep 25-27 and Oct 1-7 do not; make-up Sat Oct 10 counts
    assert state.last_day == D("2026-10-15")
    assert state.extended_end is not None and state.extended_end.last_day == D("2026-11-05")
    assert state.status == "running"
    plan = plan_for(catalog, case, "2026-10-09")
    follow = {d.id: d.day for d in plan.dates if d.kind == "follow_up"}
    assert follow["wait.report_verification.follow_up"] == D("2026-10-16")
    assert follow["wait.report_verification.follow_up_extended"] == D("2026-11-06")
    # still waiting while an extension is possible, overdue after it
    assert waits(catalog, case, "2026-10-20")["report_verification"].status == "running"
    assert waits(catalog, case, "2026-11-06")["report_verification"].status == "passed"


def test_working_days_beyond_the_calendar_warn(catalog: Catalog) -> None:
    case = make_case("2026-12-30", [("2026-12-28", "complaint_regulator")])
    state = waits(catalog, case, "2026-12-30")["regulator_acceptance"]
    assert not state.calendar_known
    assert state.last_day == D("2027-01-06")  # weekends only: 29, 30, 31, Jan 1, 4, 5, 6
    plan = plan_for(catalog, case, "2026-12-30", "en")
    assert any("2027" in w and "calendar" in w for w in plan.warnings)


def test_regulator_decision_ends_the_wait_and_mediation_runs_60_days(catalog: Catalog) -> None:
    history = [("2026-11-13", "complaint_regulator"), ("2026-11-18", "regulator_accepted")]
    case = make_case("2026-11-20", history)
    states = waits(catalog, case, "2026-11-20")
    assert states["regulator_acceptance"].status == "done"
    assert states["regulator_mediation"].last_day == D("2027-01-17")
    later = make_case("2027-01-18", [*history, ("2026-12-01", "report_regulator")])
    assert waits(catalog, later, "2027-01-18")["regulator_mediation"].status == "passed"


# -- returns and refunds ----------------------------------------------------------------------------------------
def test_return_request_not_processed_counts_as_refusal_after_15_days(catalog: Catalog) -> None:
    history = [("2026-11-13", "return_requested")]
    running = plan_for(catalog, make_case("2026-11-20", history), "2026-11-20")
    assert [w.id for w in running.waiting] == ["return_not_processed"]
    assert running.waiting[0].last_day == D("2026-11-28")
    assert not any(a.kind == "ladder" for a in running.today)  # the ladder waits while the seller has time
    assert running.after is not None and running.after.start == D("2026-11-29")
    passed = plan_for(catalog, make_case("2026-11-29", history), "2026-11-29")
    assert passed.overdue and passed.overdue[0].id == "return_not_processed"
    sources = [a.source for a in passed.today]
    assert "wait.return_not_processed" in sources
    assert "escalation.platform_taobao" in sources  # no reply counts as a refusal: the ladder moves on
    result = assess(make_case("2026-11-29", history), catalog, D("2026-11-29"))
    assert any(s.source == "wait.return_not_processed" and s.by == D("2026-11-29") for s in result.next_steps)


def test_a_shipped_return_ends_the_processing_wait_and_refund_waits_start(catalog: Catalog) -> None:
    history = [
        ("2026-11-13", "return_requested"),
        ("2026-11-14", "return_shipped"),
        ("2026-11-16", "seller_received_return"),
    ]
    states = waits(catalog, make_case("2026-11-20", history), "2026-11-20")
    assert states["return_not_processed"].status == "done"
    assert states["refund_due"].last_day == D("2026-11-23")
    assert states["refund_not_paid"].last_day == D("2026-12-01")
    late = plan_for(catalog, make_case("2026-11-24", history), "2026-11-24")
    assert [w.id for w in late.overdue] == ["refund_due"]
    assert [w.id for w in late.waiting] == ["refund_not_paid"]
    assert late.today[0].to == "merchant"
    paid = waits(catalog, make_case("2026-11-24", [*history, ("2026-11-24", "refund_received")]), "2026-11-24")
    assert paid["refund_due"].status == "done" and paid["refund_not_paid"].status == "done"


# -- platform windows and limitation ------------------------------------------------------------------------------
def test_taobao_window_is_a_deadline_and_dates_the_platform_step(catalog: Catalog) -> None:
    case = make_case("2026-11-15", [("2026-11-13", "merchant_refused")])
    state = waits(catalog, case, "2026-11-15")["taobao_intervention"]
    assert state.kind == "deadline" and state.last_day == D("2026-11-18")
    plan = plan_for(catalog, case, "2026-11-15", "en")
    assert any(d.day == D("2026-11-18") and d.to == "platform" for d in plan.deadlines)
    # the window may also come from a platform rule (a finding with its own warning); where the plan shows this
    # wait's own date, it says that the source is secondary
    if any(d.id == "wait.taobao_intervention" for d in plan.deadlines):
        assert any("secondary" in w for w in plan.warnings)
    result = assess(case, catalog, D("2026-11-15"))
    step = next(s for s in result.next_steps if s.source == "escalation.platform_taobao")
    assert step.by == D("2026-11-18")


def test_jd_window_is_15_calendar_days(catalog: Catalog) -> None:
    case = make_case("2026-11-20", [("2026-11-13", "merchant_refused")], platform="jd")
    states = waits(catalog, case, "2026-11-20")
    assert states["jd_intervention"].last_day == D("2026-11-28")
    assert "taobao_intervention" not in states


def test_the_deadline_of_a_rule_that_may_apply_stays_today_and_says_if_it_applies(catalog: Catalog) -> None:
    """JD's intervention window binds only a third-party seller: with "sold by JD itself?" unanswered the finding
    may apply. Its near deadline stays among today's steps (a missed window costs the right), marked undecided in the
    plan and the JSON, and the terminal says 如适用 before the step and before the nearest deadline's name; the
    decided steps are not marked."""
    from io import StringIO

    from rich.console import Console

    from rightscli.views.verdict import render_verdict

    case = make_case("2026-11-18", [("2026-11-10", "merchant_refused")], platform="jd")
    result = assess(case, catalog, D("2026-11-18"))
    finding = next(f for f in result.findings if f.policy.id == "jd.t5.intervention")
    assert finding.status == "applies" and not finding.decided
    plan = result.plan
    assert plan is not None
    step = next(a for a in plan.today if a.source == "jd.t5.intervention")
    assert step.by == D("2026-11-25") and not step.decided and step.to_json()["decided"] is False
    assert all(a.decided for a in plan.today if a.source != "jd.t5.intervention")
    deadline = next(d for d in plan.deadlines if d.id == "jd.t5.intervention")
    assert not deadline.decided and deadline.to_json()["decided"] is False
    buf = StringIO()
    render_verdict(result, "zh", Console(file=buf, width=200, no_color=True))
    text = buf.getvalue()
    today = [line for line in text.splitlines() if "京东平台：在京东订单页" in line]
    assert today and "如适用 · 京东平台" in today[0]
    nearest = next(line for line in text.splitlines() if line.startswith("最近的期限"))
    assert "（还剩 7 天）：如适用 · 京东介入" in nearest


def test_limitation_is_three_years_and_restarts_on_a_demand(catalog: Catalog) -> None:
    late = make_case("2030-01-10", [("2030-01-10", "contacted_merchant")])
    assert waits(catalog, late, "2030-01-10")["limitation"].last_day == D("2029-11-12")  # too late to interrupt
    plain = waits(catalog, make_case("2026-11-20"), "2026-11-20")["limitation"]
    assert plain.start == D("2026-11-12") and plain.last_day == D("2029-11-12")
    demanded = make_case("2026-11-20", [("2026-11-13", "contacted_merchant")])
    state = waits(catalog, demanded, "2026-11-20")["limitation"]
    assert state.last_day == D("2029-11-13") and state.restart_interpretation is None
    assert "最高人民法院关于审理民事案件适用诉讼时效制度若干问题的规定" in cited(state)
    complained = make_case("2026-12-02", [("2026-11-13", "contacted_merchant"), ("2026-12-01", "complaint_regulator")])
    state = waits(catalog, complained, "2026-12-02")["limitation"]
    # a complaint interrupting limitation rests on a reading of 诉讼时效规定 第十二条: stated, never counted (the last
    # day stays the one the demand gives, as the engine's finding cn.civil.art188 says)
    assert state.last_day == D("2029-11-13") and state.restarted_by is not None
    assert state.restarted_by.event == "contacted_merchant"
    assert state.restart_interpretation is not None
    plan = plan_for(catalog, complained, "2026-12-02")
    limitation = next(d for d in plan.deadlines if d.id == "wait.limitation")
    assert "解释" in limitation.title


# -- the commands -------------------------------------------------------------------------------------------------
@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


def test_next_json_shape(runner: CliRunner, tmp_path: Path) -> None:
    case = str(ROOT / "examples" / "changed-mind-in-time.yaml")
    result = runner.invoke(app, ["next", case, "--json", "--as-of", "2026-11-20"])
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert set(data) >= {"as_of", "today", "nearest_deadline", "waiting", "overdue", "after", "deadlines", "warnings"}
    assert data["as_of"] == "2026-11-20"
    wait = data["waiting"][0]
    assert set(wait) >= {"id", "label", "since", "until", "days_left", "follow_up", "then", "basis", "confidence"}
    assert wait["id"] == "wait.return_not_processed" and wait["until"] == "2026-12-03"
    assert wait["basis"][0]["document"] == "网络购买商品七日无理由退货暂行办法"
    assert data["after"]["from"] == "2026-12-04"
    nearest = data["nearest_deadline"]
    assert set(nearest) >= {"id", "date", "days_left", "title", "basis"}
    for action in data["today"]:
        assert set(action) >= {"to", "action", "why", "by", "source", "basis"}


def test_next_text_and_the_assess_panel(runner: CliRunner) -> None:
    case = str(ROOT / "examples" / "changed-mind-in-time.yaml")
    result = runner.invoke(app, ["next", case, "--lang", "en", "--as-of", "2026-12-05"])
    assert result.exit_code == 0, result.stderr
    assert "What now" in result.stdout and "Today" in result.stdout
    assert "Basis" in result.stdout
    assess_out = runner.invoke(app, ["assess", case, "--detail"])
    assert assess_out.exit_code == 0, assess_out.stderr
    assert "现在做什么" in assess_out.stdout and "正在等待" in assess_out.stdout


def test_assess_json_keeps_the_pinned_next_step_keys(runner: CliRunner) -> None:
    result = runner.invoke(app, ["assess", str(ROOT / "examples" / "damaged-in-transit.yaml"), "--json"])
    assert result.exit_code == 0, result.stderr
    for step in json.loads(result.stdout)["next_steps"]:
        assert {"to", "by", "action"} <= set(step)
        assert step["to"] in {"merchant", "platform", "association", "regulator", "court"}


def test_next_and_status_count_to_today_unless_as_of(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The case file's as_of (2026-11-20) is the day it was assessed; what to do now is counted to today."""
    import rightscli.cli.common
    import rightscli.cli.timeline

    monkeypatch.setattr(rightscli.cli.common, "today_in_china", lambda: D("2026-11-27"))
    monkeypatch.setattr(rightscli.cli.timeline, "today_in_china", lambda: D("2026-11-27"))
    case = ROOT / "examples" / "changed-mind-in-time.yaml"
    data = json.loads(runner.invoke(app, ["next", str(case), "--json"]).stdout)
    assert data["as_of"] == "2026-11-27"
    pinned = json.loads(runner.invoke(app, ["next", str(case), "--json", "--as-of", "2026-11-21"]).stdout)
    assert pinned["as_of"] == "2026-11-21"
    folder = tmp_path / "cases"
    folder.mkdir()
    (folder / case.name).write_text(case.read_text(encoding="utf-8"), encoding="utf-8")
    status = json.loads(runner.invoke(app, ["status", str(folder), "--json"]).stdout)
    assert status["as_of"] == "2026-11-27" and status["cases"][0]["as_of"] == "2026-11-27"
    text = runner.invoke(app, ["status", str(folder), "--lang", "zh"]).stdout
    assert "按 2026年11月27日 计算" in text


def test_next_words_a_rules_advice_apart_from_a_deadline(runner: CliRunner) -> None:
    """A rule's "within N days" is advice, worded as `assess` words it (最好在…前); a deadline keeps its plain day."""
    case = ROOT / "examples" / "expired-food.yaml"
    env = {"COLUMNS": "300", "NO_COLOR": "1", "TERM": "dumb"}
    result = runner.invoke(app, ["next", str(case), "--as-of", "2026-12-03", "--lang", "zh"], env=env)
    data = json.loads(runner.invoke(app, ["next", str(case), "--as-of", "2026-12-03", "--json"]).stdout)
    advised = [s for s in data["today"] if s["kind"] == "rule" and s["by"] == "2026-12-04"]
    assert advised, "the example has a step advised for tomorrow"
    assert "——最好在12月4日前（还剩 1 天）" in result.stdout
    assert "——12月4日（还剩 1 天）" not in result.stdout


@pytest.mark.parametrize("name", sorted(p.name for p in (Path(__file__).parent.parent / "examples").glob("*.yaml")))
def test_limitation_has_one_date_in_the_finding_and_the_plan(catalog: Catalog, name: str) -> None:
    """The engine's cn.civil.art188 and the waiting window `limitation` restart alike (one counting function)."""
    path = Path(__file__).parent.parent / "examples" / name
    case = validate_case(datafile.load(str(path)), as_of=D("2026-11-20"))
    result = assess(case, catalog, D("2026-11-20"))
    finding = next((f for f in result.findings if f.policy.id == "cn.civil.art188"), None)
    state = waits(catalog, case, "2026-11-20").get("limitation")
    if finding is None or finding.deadline is None or state is None:
        return
    assert finding.deadline == state.last_day
    restarted = finding.deadline_restarted
    assert (restarted.on if restarted else None) == (state.restarted_by.on if state.restarted_by else None)
    assert result.plan is not None
    assert result.plan.met_on(finding) is None  # a restarted limitation is not "asserted in time"
