"""`rights calendar`: all-day events with a reminder two days before, stable UIDs, safe writing."""

from __future__ import annotations

import shutil
import stat
from pathlib import Path

import pytest
from icalendar import Calendar
from typer.testing import CliRunner

from rightscli.cli import app

# These tests check the wording of English messages (the default interface is Chinese).
pytestmark = pytest.mark.usefixtures("english")

EXAMPLES = Path(__file__).parent.parent / "examples"


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


def export(runner: CliRunner, case: Path, out: Path, *extra: str):
    """`rights calendar` counts to today unless --as-of: the examples' day, for dates that do not move."""
    as_of = () if "--as-of" in extra else ("--as-of", "2026-11-20")
    return runner.invoke(app, ["calendar", str(case), "-o", str(out), *as_of, *extra])


def events(path: Path) -> dict[str, dict[str, object]]:
    cal = Calendar.from_ical(path.read_bytes())
    out = {}
    for ev in cal.walk("VEVENT"):
        alarms = ev.walk("VALARM")
        out[str(ev["UID"])] = {
            "start": ev.decoded("DTSTART"),
            "end": ev.decoded("DTEND"),
            "summary": str(ev["SUMMARY"]),
            "trigger": alarms[0].decoded("TRIGGER") if alarms else None,
            "action": str(alarms[0]["ACTION"]) if alarms else None,
        }
    return out


def test_calendar_events_alarms_and_file_mode(runner: CliRunner, tmp_path: Path) -> None:
    out = tmp_path / "case.ics"
    result = export(runner, EXAMPLES / "changed-mind-in-time.yaml", out)
    assert result.exit_code == 0, result.stderr
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    evs = events(out)
    assert evs, "no events exported"
    from datetime import date, timedelta

    for uid, ev in evs.items():
        assert uid.startswith("order-261112-508834271946573.") and uid.endswith("@rightscli")
        start = ev["start"]
        assert type(start) is date  # all-day: DTSTART;VALUE=DATE
        assert ev["end"] == start + timedelta(days=1)
        assert ev["trigger"] == timedelta(days=-2) and ev["action"] == "DISPLAY"
    follow = evs["order-261112-508834271946573.wait.return_not_processed.follow_up@rightscli"]
    assert follow["start"] == date(2026, 12, 4)
    assert "order-261112-508834271946573.wait.limitation@rightscli" in evs


@pytest.mark.parametrize("name", sorted(p.name for p in EXAMPLES.glob("*.yaml")))
def test_the_limitation_period_is_one_event(runner: CliRunner, tmp_path: Path, name: str) -> None:
    """The limitation finding (cn.civil.art188) and the plan's window (wait.limitation, same_as that rule) give one
    day: one event, the window's (sue, or restart the period), not a second one for the rule or its step."""
    out = tmp_path / "case.ics"
    assert export(runner, EXAMPLES / name, out).exit_code == 0
    evs = events(out)
    limitation = [uid for uid in evs if "cn.civil.art188" in uid or "wait.limitation" in uid]
    assert len(limitation) == 1 and "wait.limitation" in limitation[0], limitation  # every example has a problem day
    days = [ev["start"] for ev in evs.values()]
    assert days.count(evs[limitation[0]]["start"]) == 1  # and no other event on that day


def test_uids_are_stable_and_a_reexport_updates(runner: CliRunner, tmp_path: Path) -> None:
    case = tmp_path / "case.yaml"
    shutil.copy(EXAMPLES / "changed-mind-in-time.yaml", case)
    first, second = tmp_path / "a.ics", tmp_path / "b.ics"
    assert export(runner, case, first).exit_code == 0
    assert export(runner, case, second).exit_code == 0
    assert set(events(first)) == set(events(second))
    # after logging the seller's receipt, the refund waits appear; the limitation event keeps its UID
    assert runner.invoke(app, ["log", str(case), "seller_received_return", "--on", "2026-11-20"]).exit_code == 0
    third = tmp_path / "c.ics"
    assert export(runner, case, third).exit_code == 0
    uids = set(events(third))
    assert "order-261112-508834271946573.wait.limitation@rightscli" in uids
    assert "order-261112-508834271946573.wait.refund_due.follow_up@rightscli" in uids
    assert "order-261112-508834271946573.wait.return_not_processed.follow_up@rightscli" not in uids


def test_overwrite_needs_force(runner: CliRunner, tmp_path: Path) -> None:
    out = tmp_path / "case.ics"
    out.write_text("keep me", encoding="utf-8")
    result = export(runner, EXAMPLES / "laptop-defect.yaml", out)
    assert result.exit_code == 2 and "--force" in result.stderr
    assert out.read_text(encoding="utf-8") == "keep me"
    result = export(runner, EXAMPLES / "laptop-defect.yaml", out, "--force")
    assert result.exit_code == 0, result.stderr
    assert out.read_text(encoding="utf-8").startswith("BEGIN:VCALENDAR")
    assert stat.S_IMODE(out.stat().st_mode) == 0o600


def test_a_case_without_order_id_gets_a_stable_key(runner: CliRunner, tmp_path: Path) -> None:
    case = tmp_path / "case.yaml"
    text = (EXAMPLES / "laptop-defect.yaml").read_text(encoding="utf-8")
    lines = [line for line in text.splitlines() if not line.strip().startswith("id:")]
    case.write_text("\n".join(lines) + "\n", encoding="utf-8")
    a, b = tmp_path / "a.ics", tmp_path / "b.ics"
    assert export(runner, case, a).exit_code == 0
    assert export(runner, case, b).exit_code == 0
    assert set(events(a)) == set(events(b))
    assert all(uid.startswith("case-") for uid in events(a))


def test_missing_folder_is_a_clear_error(runner: CliRunner, tmp_path: Path) -> None:
    result = export(runner, EXAMPLES / "laptop-defect.yaml", tmp_path / "nope" / "x.ics")
    assert result.exit_code == 2 and "does not exist" in result.stderr


def test_every_deadline_assess_shows_is_an_event_with_a_short_title(runner: CliRunner, tmp_path: Path) -> None:
    """Titles a phone shows whole (at most 20 characters); the order and what to do in the description."""
    import json

    for example in sorted(EXAMPLES.glob("*.yaml")):
        out = tmp_path / f"{example.stem}.ics"
        assert export(runner, example, out, "--as-of", "2026-11-20", "--lang", "zh").exit_code == 0
        evs = events(out)
        days = {ev["start"] for ev in evs.values()}
        assessed = json.loads(runner.invoke(app, ["assess", str(example), "--as-of", "2026-11-20", "--json"]).stdout)
        from datetime import date

        for d in assessed["plan"]["deadlines"]:
            assert date.fromisoformat(d["date"]) in days, (example.name, d["title"])
        for step in assessed["plan"]["steps"]:
            if step["by"] and step["by"] >= "2026-11-20":
                assert date.fromisoformat(step["by"]) in days, (example.name, step["title"])
        cal = Calendar.from_ical(out.read_bytes())
        for event in cal.walk("VEVENT"):
            summary = str(event["SUMMARY"])
            assert len(summary) <= 20, summary
            assert str(event["DESCRIPTION"]).strip()


def test_a_date_whose_rule_may_apply_says_so_and_what_to_check(runner: CliRunner, tmp_path: Path) -> None:
    """The laptop from JD: whether JD's intervention window applies waits for the answer "sold by JD itself?"; its
    event says so and asks it, and a decided date's event does not."""
    out = tmp_path / "laptop.ics"
    assert export(runner, EXAMPLES / "laptop-defect.yaml", out, "--as-of", "2026-11-18", "--lang", "zh").exit_code == 0
    descriptions = [str(ev["DESCRIPTION"]) for ev in Calendar.from_ical(out.read_bytes()).walk("VEVENT")]
    conditional = [d for d in descriptions if "此项只在相应规定适用时才有意义" in d]
    assert conditional and all("京东介入" in d or "如适用" not in d for d in conditional)
    assert any("京东介入" in d and "需先确认：是平台自营的商品吗？" in d for d in conditional)
    assert any("诉讼时效" in d for d in descriptions if d not in conditional)
