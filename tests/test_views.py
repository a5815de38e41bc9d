"""The buyer's views: the default `rights assess` view of every example (snapshots at 100 and 60 columns, at most 60
lines at 100), what it leads with, its typography, and no internal name anywhere a buyer reads.

Snapshots live in tests/golden/views/. After a change that is meant to change a view (a rule's wording, a layout):
``RIGHTS_UPDATE_SNAPSHOTS=1 python -m pytest tests/test_views.py`` rewrites them; read the diff before committing.
"""

from __future__ import annotations

import os
import re
from datetime import date
from pathlib import Path

import pytest
from typer.testing import CliRunner

from rightscli import vocab
from rightscli.case import known_paths
from rightscli.catalog import Catalog
from rightscli.cli import app
from rightscli.i18n.wrap import NO_START, cell_width
from rightscli.views import words

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = sorted((ROOT / "examples").glob("*.yaml"))
GOLDEN = ROOT / "tests" / "golden" / "views"
UPDATE = os.environ.get("RIGHTS_UPDATE_SNAPSHOTS") == "1"


def _env(columns: int) -> dict[str, str]:
    return {"COLUMNS": str(columns), "RIGHTS_LANG": "zh", "NO_COLOR": "1", "TERM": "dumb"}


def view(*args: str, columns: int = 100) -> str:
    result = CliRunner().invoke(app, list(args), env=_env(columns))
    assert result.exit_code == 0, result.stderr
    return result.stdout


def relative(path: Path) -> str:
    return str(path.relative_to(ROOT))


@pytest.fixture(autouse=True)
def _in_root(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)  # the views name the case file as given: examples/x.yaml


@pytest.mark.parametrize("columns", [100, 60])
@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.stem)
def test_default_view_snapshot(example: Path, columns: int) -> None:
    out = view("assess", relative(example), columns=columns)
    golden = GOLDEN / f"{example.stem}-{columns}.txt"
    if UPDATE or not golden.exists():
        golden.parent.mkdir(parents=True, exist_ok=True)
        golden.write_text(out, encoding="utf-8")
    assert out == golden.read_text(encoding="utf-8"), (
        f"the default view of {example.name} at {columns} columns changed; if that is intended, run "
        "RIGHTS_UPDATE_SNAPSHOTS=1 python -m pytest tests/test_views.py and read the diff"
    )


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.stem)
def test_the_verdict_comes_first_on_one_screen(example: Path) -> None:
    out = view("assess", relative(example))
    lines = out.splitlines()
    assert len(lines) <= 60, f"{len(lines)} lines"
    today = next(i for i, line in enumerate(lines) if line.startswith("今天"))
    assert today <= 3, "what to do today is the first thing after the order line"
    findings = next((i for i, line in enumerate(lines) if line.startswith("各项结论")), len(lines))
    claims = next(i for i, line in enumerate(lines) if line.startswith("可以主张"))
    assert today < claims < findings
    for line in lines[:findings]:
        if line.startswith(("已过期", "不适用")):
            assert re.match(r"^(已过期|不适用)\s+\d+\. ", line), line


@pytest.mark.parametrize("columns", [100, 60])
@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.stem)
def test_typography(example: Path, columns: int) -> None:
    """Lines fit the terminal, none starts with closing punctuation, no trailing spaces, one date style, money with
    thousands separators, and the status of every finding line is at its start."""
    out = view("assess", relative(example), columns=columns)
    for line in out.splitlines():
        assert cell_width(line) <= columns, line
        assert line == line.rstrip(), repr(line)
        stripped = line.strip()
        assert not stripped or stripped[0] not in NO_START, line
    assert not re.search(r"\b20\d\d-\d\d-\d\d\b", out), "ISO dates in a view that says 11月25日"
    assert not re.search(r"¥\d{4,}", out), "money without thousands separators"
    status = re.compile(r"^  (适用|可能适用)\s+\d+\. ")
    numbered = [line for line in out.splitlines() if re.match(r"^  \S+\s+\d+\. ", line)]
    assert all(status.match(line) for line in numbered)


@pytest.mark.parametrize("command", ["next", "checklist"])
@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.stem)
def test_next_and_checklist_follow_the_same_rules(example: Path, command: str) -> None:
    args = [command, relative(example)] + (["--as-of", "2026-11-20"] if command == "next" else [])
    out = view(*args)
    assert len(out.splitlines()) <= 60
    for columns in (100, 60):
        for line in view(*args, columns=columns).splitlines():
            assert cell_width(line) <= columns and line == line.rstrip(), line
            assert not line.strip() or line.strip()[0] not in NO_START, line


def test_explain_a_finding_by_number_id_or_words() -> None:
    by_number = view("explain", "examples/laptop-defect.yaml", "3")
    assert "京东介入" in by_number and "是平台自营的商品吗？" in by_number
    assert "listing.self_operated" not in by_number  # the missing fact in words
    assert "京东介入" in view("explain", "examples/laptop-defect.yaml", "jd.t5.intervention")
    assert "三包" in view("explain", "examples/laptop-defect.yaml", "三包")
    assert "七日无理由退货" in view("explain", "cn.cpl.art25")
    bad = CliRunner().invoke(app, ["explain", "examples/laptop-defect.yaml", "99"], env=_env(100))
    assert bad.exit_code == 2 and "没有第 99 条结论" in bad.stderr


def test_money_and_claims_are_labelled() -> None:
    out = view("assess", "examples/counterfeit-sneakers.yaml")
    lines = out.splitlines()
    at = next(i for i, line in enumerate(lines) if line.startswith("可以主张"))
    claims = lines[at] + "".join(line.strip() for line in lines[at + 1 : at + 3] if line.startswith(" "))
    assert "退款 ¥399" in claims and "惩罚性赔偿 ¥1,197" in claims and "赔偿 ¥3,990" in claims
    # the refund plus the largest single award, never the 3× and the 10× together; PDD's 假一赔十 rests on secondary
    # sources: marked, and not counted in the total
    assert "赔偿 ¥3,990（出处未核实）" in claims
    assert "合计 ¥1,596" in claims and "未核实的不计" in claims
    assert "¥6,999" in view("assess", "examples/laptop-defect.yaml")


def test_deadlines_in_words() -> None:
    assert "已按时主张（11月9日）" in view("assess", "examples/counterfeit-sneakers.yaml")
    assert "已过 16 天" in view("assess", "examples/laptop-defect.yaml")
    assert "今天截止" in view("assess", "examples/late-shipment.yaml")
    assert "还剩 1 天" in view("assess", "examples/custom-made.yaml")


def test_the_sellers_time_is_said_as_the_sellers(catalog: Catalog) -> None:
    """消法 第四十八条's 15 days bind the seller: never "已按时主张" as if the buyer had asserted a right in time."""
    from datetime import date

    from rightscli import datafile
    from rightscli.case import validate_case
    from rightscli.engine import assess
    from rightscli.views.words import finding_deadline

    def deadline_words(history: list[dict[str, str]], as_of: date) -> str:
        raw = datafile.load(str(ROOT / "examples" / "laptop-defect.yaml")).data
        raw["history"] = history
        case = validate_case(datafile.Document(raw, "t.yaml"), as_of=as_of)
        result = assess(case, catalog, as_of)
        f = next(f for f in result.findings if f.policy.id == "cn.cpl.art48_8")
        assert f.deadline_party == "merchant" and result.plan is not None and result.plan.met_on(f) is None
        return finding_deadline(f, as_of, "zh")

    asked = [{"on": "2026-11-08", "event": "contacted_merchant"}]
    assert deadline_words(asked, date(2026, 11, 20)) == "商家应在11月23日前处理（还剩 3 天）"
    assert deadline_words(asked, date(2026, 11, 25)) == "商家逾期未处理（11月23日已过）"
    refused = [*asked, {"on": "2026-11-10", "event": "merchant_refused"}]
    assert deadline_words(refused, date(2026, 11, 20)) == "商家已明确拒绝（11月10日）"
    assert "经营者故意拖延或者无理拒绝消费者的合理要求 · 商家已明确拒绝（11月10日）" in view(
        "assess", "examples/laptop-defect.yaml", columns=200
    )


# -- one derivation of what to do -------------------------------------------------------------------------------------
@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.stem)
def test_every_view_presents_the_one_plan(example: Path, catalog: Catalog) -> None:
    from rightscli import datafile
    from rightscli.case import validate_case
    from rightscli.engine import assess
    from rightscli.views.verdict import today_steps

    case = validate_case(datafile.load(str(example)))
    result = assess(case, catalog, case.as_of, "zh")
    plan = result.plan
    assert plan is not None
    steps = [(a.to, a.by, a.action) for a in plan.steps if a.to in vocab.NEXT_STEP_TARGETS]
    assert [(s.to, s.by, s.action) for s in result.next_steps] == steps
    out = view("assess", relative(example))
    if plan.today:
        assert "无需行动" not in out
        for a in today_steps(plan):  # the recipient's line says today, never another step
            assert plan.first_step(a.to) is a
    else:
        assert "无需行动" in out
    nxt = view("next", relative(example))
    assert ("无需行动" in nxt) == (not plan.today)
    wide = view("assess", relative(example), columns=200)
    for f in result.applicable():  # a right asserted in time: no open deadline in the plan, none in the findings list
        if f.deadline is not None and not f.stage and plan.met_on(f) is not None:
            assert all(d.id != f.policy.id for d in plan.deadlines), f.policy.id
            line = next(ln for ln in wide.splitlines() if f". {f.policy.title.get('zh')} · " in ln)
            assert "已按时主张" in line and "还剩" not in line, line


# -- internal names ---------------------------------------------------------------------------------------------------
def internal_names(catalog: Catalog) -> re.Pattern[str]:
    ids = {p.id for p in catalog.policies} | {w.id for w in catalog.waits} | {s.id for s in catalog.escalation}
    words = set(vocab.EVENTS) | set(vocab.WANTS) | set(vocab.PROBLEM_KINDS) | set(vocab.CATEGORIES)
    words |= set(vocab.EVIDENCE_IDS) | set(vocab.BADGES) | {p for p in known_paths() if "." in p}
    words |= {"tmall", "taobao", "jd", "pinduoduo", "douyin"}
    names = sorted(ids | words, key=len, reverse=True)
    return re.compile(r"(?<![\w./-])(" + "|".join(re.escape(n) for n in names) + r")(?![\w-])")


def buyer_text(out: str, *paths: str) -> str:
    """What a buyer reads: the output less the command lines it suggests (which name the case file)."""
    for path in paths:
        out = out.replace(path, "CASE")
    return out


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.stem)
def test_no_internal_names_where_a_buyer_reads(example: Path, catalog: Catalog) -> None:
    pattern = internal_names(catalog)
    path = relative(example)
    outputs = {
        "assess": view("assess", path),
        "assess-60": view("assess", path, columns=60),
        "next": view("next", path),
        "checklist": view("checklist", path),
    }
    for name, out in outputs.items():
        found = sorted(set(pattern.findall(buyer_text(out, path))))
        assert found == [], f"{name} shows {found}"


def test_the_scan_finds_internal_names(catalog: Catalog) -> None:
    pattern = internal_names(catalog)
    assert pattern.findall("可主张 return_refund · listing.badges · jd · cn.cpl.art25 · merchant_refused")
    assert not pattern.findall("京东 · 退货退款 · rights checklist CASE · ¥1,197")


def test_status_shows_its_reference_day(tmp_path: Path) -> None:
    for example in EXAMPLES[:3]:
        (tmp_path / example.name).write_text(example.read_text(encoding="utf-8"), encoding="utf-8")
    out = view("status", str(tmp_path), "--as-of", "2026-11-20")
    assert "按 2026年11月20日 计算" in out


def test_letter_warnings_are_grouped_once_and_name_no_rule_id(catalog: Catalog) -> None:
    result = CliRunner().invoke(
        app, ["letter", "examples/laptop-defect.yaml", "--to", "regulator"], env=_env(100), catch_exceptions=False
    )
    assert result.exit_code == 0, result.stderr
    lines = result.stderr.splitlines()
    assert len(lines) == len(set(lines)), "a warning said twice"
    gaps = [line for line in lines if "待补充" in line]
    assert len(gaps) == 1 and gaps[0].count("【待补充：") == 2 and "信中有 2 处待补充" in gaps[0]
    calendar = [line for line in lines if "法定节假日安排尚未收录" in line]
    assert len(calendar) == 1 and "2028、2029 年" in calendar[0]
    found = internal_names(catalog).findall(buyer_text(result.stderr, "examples/laptop-defect.yaml"))
    assert set(found) <= {"merchant.address"}, found  # the gap names the case field that fills it


# -- one date per deadline --------------------------------------------------------------------------------------------
DAY = re.compile(r"(?:(\d{4})年)?(\d{1,2})月(\d{1,2})日")
LIMITATION = ("cn.civil.art188", "wait.limitation")  # the limitation finding and the plan's window of the same period


def _days(text: str, as_of: date) -> set[date]:
    """Every day a line names (11月9日 is in the year of as_of, as the views write it)."""
    return {date(int(y) if y else as_of.year, int(m), int(d)) for y, m, d in DAY.findall(text)}


def _row(out: str, no: int, title: str, label: str) -> str:
    """The ``label`` row (期限) of finding ``no`` in the --detail or explain block."""
    lines = out.splitlines()
    start = next(i for i, ln in enumerate(lines) if ln.startswith(f"{no}. {title}"))
    for ln in lines[start + 1 :]:
        if re.match(r"\d+\. ", ln):
            break
        if ln.startswith(label):
            return ln
    raise AssertionError(f"finding {no} ({title}) has no {label} row")


def _deadlines_agree(case_path: str, catalog: Catalog) -> None:
    """--json, the default view, --detail and explain give each finding one last day: the engine's (a restarted
    limitation shows its restarted day everywhere, never the day before the restart), and the plan's limitation window
    gives the limitation finding's day or none."""
    import json

    from rightscli import datafile
    from rightscli.case import validate_case
    from rightscli.engine import assess
    from rightscli.views.verdict import numbered

    case = validate_case(datafile.load(case_path))
    result = assess(case, catalog, case.as_of, "zh")
    as_of, plan = result.as_of, result.plan
    assert plan is not None
    data = json.loads(view("assess", case_path, "--json"))
    by_id = {f["policy"]: f for f in data["findings"]}
    wide = view("assess", case_path, columns=400)
    detail = view("assess", case_path, "--detail", columns=400)
    limitation = by_id.get(LIMITATION[0])
    for d in data["plan"]["deadlines"]:
        if d["id"] == LIMITATION[1] and limitation is not None:
            assert d["date"] == limitation["deadline"], (d["date"], limitation["deadline"])
    for no, f in numbered(result):
        if f.deadline is None or f.stage is not None or f.status != "applies":
            continue
        pid, title = f.policy.id, f.policy.title.get("zh")
        assert by_id[pid]["deadline"] == f.deadline.isoformat()
        allowed = {f.deadline, plan.met_on(f)} | ({f.deadline_answered.on} if f.deadline_answered else set())
        for d in data["plan"]["deadlines"]:
            if d["id"] == pid:
                assert d["date"] == f.deadline.isoformat(), (pid, d["date"])
        line = next(ln for ln in wide.splitlines() if re.search(rf"\b{no}\. {re.escape(title)}( · |$)", ln))
        explained = view("explain", case_path, str(no), columns=400)
        for name, text in (
            ("default view", line),
            ("--detail", _row(detail, no, title, "期限")),
            ("explain", _row(explained, no, title, "期限")),
        ):
            shown = _days(text, as_of)
            assert shown and shown <= allowed, f"{case_path} {pid}: {name} shows {sorted(shown)}, the engine {allowed}"


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.stem)
def test_every_view_gives_a_deadline_one_date(example: Path, catalog: Catalog) -> None:
    _deadlines_agree(relative(example), catalog)


def test_a_limitation_without_its_start_has_no_date_anywhere(tmp_path: Path, catalog: Catalog) -> None:
    """No day the problem was found: the limitation finding asks for it, and the plan does not count the same period
    from another day (it did, from the receipt: 还剩 1085 天 beside 需确认：哪天发现的问题？)."""
    text = (ROOT / "examples" / "counterfeit-sneakers.yaml").read_text(encoding="utf-8")
    case = tmp_path / "no-discovery.yaml"
    case.write_text(text.replace("  discovered_on: 2026-11-05\n", "  discovered_on: null\n"), encoding="utf-8")
    _deadlines_agree(str(case), catalog)
    out = view("assess", str(case), columns=400)
    assert "2029年" not in out and "哪天发现的问题" in out


def test_a_rule_shown_in_chinese_has_no_english_words(catalog: Catalog) -> None:
    """`rights policies show` is the expert's view of a rule file: it names fields, values and ids as the file writes
    them (order.category, fresh_food, not_durable), but its own words, units, levels of confidence, remedies and
    evidence are in the interface language. Every bundled rule, in Chinese: no English word outside those names."""
    names = {p.id for p in catalog.policies} | {e.id for p in catalog.policies for e in p.exclusions}
    allowed = re.compile(r"[a-z][a-z0-9_]*(?:\.[a-z0-9_\[\]]+)+|[a-z][a-z0-9]*(?:_[a-z0-9]+)+|true|false|null")
    english = re.compile(
        r"\b(?:days?|months?|years?|working|Undecided|unconfirmed|secondary|verified|True|False|when)\b"
    )
    for policy_id in sorted({p.id for p in catalog.policies}):
        text = view("policies", "show", policy_id)
        for id_ in names:
            text = text.replace(id_, "")
        text = allowed.sub("", text)
        found = english.findall(text)
        assert not found, f"{policy_id}: {found}"
    shown = view("policies", "show", "cn.sanbao")
    assert "阶段：自 order.received_on 起 7 天：退货退款、换货、维修" in shown
    assert "（二手来源：不向行政机关或法院引用）" in shown  # the 1995 rule, read in reposts only
    assert "证据：订单详情截图、发票" in shown
    assert "可能适用（待确认）的情形" in view("policies", "show", "cn.cpl.art23")


@pytest.mark.parametrize(
    ("text", "short"),
    [
        ("诉讼时效届满日（自发现问题之日起三年；向经营者提出请求后重新计算）", "诉讼时效届满日"),
        ("end of the limitation period (3 years from discovery)", "end of the limitation period"),
        ("（整句都在括号里）", "（整句都在括号里）"),  # nothing would be left
        ("期限（甲）与（乙）", "期限（甲）与"),
        ("期限（甲（乙））", "期限（甲（乙））"),  # nested: left whole
        ("没有括号", "没有括号"),
    ],
)
def test_without_aside(text: str, short: str) -> None:
    assert words.without_aside(text) == short


def test_a_cut_english_sentence_ends_between_words() -> None:
    text = "Ask the platform in writing for help: the seller's real name, address and contact details."
    assert words.first_sentence(text, 50) == "Ask the platform in writing for help: the…"
    assert words.first_sentence("Supercalifragilistic" * 3, 12) == "Supercalifr…"  # one long word: cut inside it
    assert words.first_sentence("书面请求平台协助：提供销售者的真实名称", 10) == "书面请求平台协助…"
