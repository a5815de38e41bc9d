"""Which questions the wizard asks, in which order: required first, then only what the engine reports missing."""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from msgspec.structs import replace

from rightscli.catalog import Catalog
from rightscli.wizard.answers import Answers
from rightscli.wizard.prompts import BACK, SKIP, Ask, PlainPrompter, Prompter, Reply
from rightscli.wizard.questions import QuestionSet, load_questions
from rightscli.wizard.session import Session

# These tests check the wording of English messages (the default interface is Chinese).
pytestmark = pytest.mark.usefixtures("english")

TODAY = date(2026, 11, 20)
FIRST = ["platform", "order.item", "order.category", "order.price", "order.paid_on", "problem.kinds"]


class Scripted(Prompter):
    """Answers by question id (a list gives successive answers); records what was asked and what was missing."""

    interactive = True

    def __init__(self, script: dict[str, Any]) -> None:
        super().__init__("en")
        self.script = {k: (v if isinstance(v, list) and k.endswith("!") else [v]) for k, v in script.items()}
        self.asked: list[str] = []
        self.session: Session | None = None
        self.missing_when_asked: dict[str, set[str]] = {}
        self.warnings: list[str] = []

    def ask(self, a: Ask) -> Reply:
        qid = a.question.id
        self.asked.append(qid)
        if self.session is not None and a.question.ask == "missing":
            self.missing_when_asked[qid] = self.session.flow.missing_facts()
        queue = self.script.get(qid + "!") or self.script.get(qid)
        if not queue:
            return SKIP
        value = queue.pop(0) if len(queue) > 1 else queue[0]
        return value if isinstance(value, Reply) else Reply("value", value)

    def say(self, text: str) -> None:
        pass

    def warn(self, text: str) -> None:
        self.warnings.append(text)

    def line(self, title: str, default: str = "") -> str:
        return default or "2026-11-13"

    def confirm(self, text: str, default: bool) -> bool:
        return False


@pytest.fixture(scope="module")
def questions(catalog: Catalog) -> QuestionSet:
    return load_questions(evidence_labels={k: v.label for k, v in catalog.evidence.items()})


def session_for(catalog: Catalog, questions: QuestionSet, prompter: Prompter, **given: Any) -> Session:
    answers = Answers(TODAY, TODAY)
    for path, value in given.items():
        answers.put(path.replace("__", "."), value, "answers")
    s = Session(questions, catalog, answers, prompter, "en")
    if isinstance(prompter, Scripted):
        prompter.session = s
    return s


def coat(**extra: Any) -> dict[str, Any]:
    return {
        "platform": "taobao",
        "order.item": "羊毛大衣",
        "order.category": "clothing",
        "order.price": "299",
        "order.paid_on": "2026-11-08",
        "problem.kinds": ["changed_mind"],
        **extra,
    }


def test_required_questions_come_first_in_file_order(catalog: Catalog, questions: QuestionSet) -> None:
    p = Scripted(coat())
    session_for(catalog, questions, p).interview()
    assert p.asked[:6] == FIRST


def test_every_other_question_was_missing_for_a_finding_or_is_needed_for_letters(
    catalog: Catalog, questions: QuestionSet
) -> None:
    for script in (
        coat(**{"order.received_on": "2026-11-12"}),
        coat(**{"order.item": "纯牛奶", "order.category": "food", "problem.kinds": ["unsafe_food"]}),
        coat(**{"order.item": "手机", "order.category": "electronics", "problem.kinds": ["quality_defect"]}),
    ):
        p = Scripted(script)
        session_for(catalog, questions, p).interview()
        for qid in p.asked[6:]:
            q = questions.get(qid)
            assert q is not None
            assert q.ask == "always" or qid in p.missing_when_asked[qid], qid
        assert len(set(p.asked)) == len(p.asked)  # nothing asked twice


def test_a_coat_buyer_is_not_asked_about_losses_but_a_food_buyer_is(catalog: Catalog, questions: QuestionSet) -> None:
    p = Scripted(coat(**{"order.received_on": "2026-11-12"}))
    session_for(catalog, questions, p).interview()
    assert "order.loss" not in p.asked
    food = Scripted(coat(**{"order.item": "纯牛奶", "order.category": "food", "problem.kinds": ["unsafe_food"]}))
    session_for(catalog, questions, food).interview()
    assert "order.loss" in food.asked


def test_answers_given_are_not_asked(catalog: Catalog, questions: QuestionSet) -> None:
    p = Scripted({"problem.kinds": ["changed_mind"]})
    given = {"platform": "jd", "order__item": "大衣", "order__price": 10, "order__paid_on": "2026-11-08"}
    session_for(catalog, questions, p, **given).interview()
    assert p.asked[:2] == ["order.category", "problem.kinds"]
    assert not {"platform", "order.item", "order.price", "order.paid_on"} & set(p.asked)


def test_back_goes_to_the_previous_question_and_invalid_answers_are_asked_again(
    catalog: Catalog, questions: QuestionSet
) -> None:
    script = coat()
    script["order.price!"] = ["abc", "299", "399"]
    script["order.paid_on!"] = [BACK, "2026-11-08"]
    p = Scripted(script)
    s = session_for(catalog, questions, p)
    s.interview()
    # price asked, refused ("abc"), asked again; paid_on → back → price once more; then paid_on again
    assert p.asked[:8] == [*FIRST[:3], "order.price", "order.price", "order.paid_on", "order.price", "order.paid_on"]
    assert any("'abc' is not an amount" in w for w in p.warnings)
    assert s.answers.get("order.price") == "399.00"
    assert s.answers.get("order.paid_on") == "2026-11-08"


def test_back_on_the_first_question_is_explained(catalog: Catalog, questions: QuestionSet) -> None:
    script = coat()
    script["platform!"] = [BACK, "tmall"]
    p = Scripted(script)
    s = session_for(catalog, questions, p)
    s.interview()
    assert p.asked[:2] == ["platform", "platform"]
    assert any("first question" in w for w in p.warnings)
    assert s.answers.get("platform") == "tmall"


def test_required_questions_cannot_be_skipped(catalog: Catalog, questions: QuestionSet) -> None:
    script = coat()
    script["order.item!"] = ["", "大衣"]
    p = Scripted(script)
    session_for(catalog, questions, p).interview()
    assert p.asked[1:3] == ["order.item", "order.item"]
    assert any("needs an answer" in w for w in p.warnings)


def test_review_changes_an_answer(catalog: Catalog, questions: QuestionSet) -> None:
    given = {k.replace(".", "__"): v for k, v in coat().items()}
    stdin = io.StringIO("1\n3\n\n")  # review: change answer 1 (platform) to 3 (JD); then save
    err = io.StringIO()
    s = session_for(catalog, questions, PlainPrompter("en", stdin, err), **given)
    s.flow.asked.update(questions.ids())  # nothing else to ask in this test
    s.review()
    assert s.answers.get("platform") == "jd"
    text = err.getvalue()
    assert "Check your answers" not in text  # the plain review explains itself
    assert "Type a number to change that answer" in text
    assert "Which platform was the order placed on?  →  Taobao" in text
    assert "✔ All correct: save" in text


def test_history_events_get_dates_and_notes(catalog: Catalog, questions: QuestionSet) -> None:
    script = coat(**{"order.received_on": "2026-11-12", "history": ["merchant_refused", "contacted_merchant"]})
    p = Scripted(script)
    dates = iter(["11-14", "note A", "2026-11-13", ""])
    p.line = lambda title, default="": next(dates)  # type: ignore[method-assign]
    s = session_for(catalog, questions, p)
    s.interview()
    assert s.answers.get("history") == [
        {"on": "2026-11-13", "event": "contacted_merchant", "note": None},
        {"on": "2026-11-14", "event": "merchant_refused", "note": "note A"},
    ]


def test_saved_case_round_trips(catalog: Catalog, questions: QuestionSet, tmp_path: Path) -> None:
    from rightscli import datafile
    from rightscli.case import validate_case

    s = session_for(catalog, questions, Scripted(coat(**{"order.received_on": "2026-11-12"})))
    s.interview()
    s.save = str(tmp_path / "case.yaml")
    path = s.write_case(TODAY)
    case = validate_case(datafile.load(str(path)))
    assert case == replace(s.answers.case(), as_of=None, source=str(path))  # --as-of is for the run, not the case


def test_letter_recipients_follow_the_next_steps() -> None:
    from rightscli.assessment import Step
    from rightscli.wizard.run import recipients_for

    steps = [
        Step(to="merchant", action="a", source="cn.cpl.art25"),
        Step(to="platform", action="b", source="cn.cpl.art25"),
        Step(to="merchant", action="c", source="cn.cpl.art24"),
        Step(to="court", action="d", source="escalation.court"),
        Step(to="regulator", action="e", source="escalation.regulator_report"),
    ]
    from types import SimpleNamespace

    assert recipients_for(SimpleNamespace(plan=None, next_steps=steps)) == [
        "merchant", "platform", "court", "regulator-report",
    ]  # fmt: skip
    assert recipients_for(SimpleNamespace(plan=None, next_steps=[])) == ["merchant"]


def test_the_letter_step_offers_every_recipient_of_the_plan(catalog) -> None:
    """The association, reached only after the platform, is offered too (and the public complaint, optional)."""
    from rightscli import datafile
    from rightscli.case import validate_case
    from rightscli.engine import assess
    from rightscli.wizard.run import recipients_for

    case = validate_case(datafile.load("examples/counterfeit-sneakers.yaml"))
    offered = recipients_for(assess(case, catalog, case.as_of))
    assert {"merchant", "platform", "association", "public"} <= set(offered)
