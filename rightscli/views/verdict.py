"""The buyer's view of an assessment (`rights assess CASE`): the verdict first, on one screen.

1. What to do today (or, when nothing is due, what is being waited for and the next step with its day), the nearest
   deadline in words, what can be claimed with each amount labelled and a total, what is expired or excluded (one
   line each), and the facts only the buyer can give, as questions.
2. One line per finding that applies or may apply, its status first.
3. The evidence still to collect, and the next step per recipient (the plan's first step for each: never anything
   that contradicts today's step).

Everything comes from the assessment and its plan; this module only words and lays it out. The full texts, caveats
and sources are in `--detail` (:mod:`rightscli.views.terminal`) and `rights explain`.
"""

from __future__ import annotations

from rich.console import Console

from rightscli.assessment import Assessment, Finding
from rightscli.i18n import tr
from rightscli.i18n.wrap import cell_width
from rightscli.plan.model import Action, Claim, Plan
from rightscli.views import words
from rightscli.views.console import make_console
from rightscli.views.page import Page

STATUS_STYLE = {"applies": "bold green", "may_apply": "bold yellow", "expired": "bold red", "excluded": "dim"}
MAX_QUESTIONS = 4
MONEY_REMEDIES = frozenset({"return_refund", "refund_only", "punitive_damages", "compensation", "price_difference"})


def status_key(f: Finding) -> str:
    return "may_apply" if f.status == "applies" and not f.decided else f.status


def numbered(result: Assessment) -> list[tuple[int, Finding]]:
    """The findings in the order the view shows them, with the numbers `rights explain CASE N` accepts: those that
    apply or may apply first, then the expired and excluded ones."""
    open_ = [f for f in result.findings if f.status == "applies"]
    closed = [f for f in result.findings if f.status != "applies"]
    return list(enumerate([*open_, *closed], start=1))


LABELS = ("view.today", "view.then", "view.nearest", "view.claims", "view.maybe_claims", "label.expired",
          "label.excluded", "view.questions")  # fmt: skip


def label_width(lang: str) -> int:
    """One column for the labels of the verdict block."""
    return max(cell_width(tr(key, lang)) for key in LABELS) + 2


def render_verdict(result: Assessment, lang: str, console: Console | None = None, *, case_arg: str = "CASE") -> int:
    """Print the view; returns the number of lines printed."""
    console = console or make_console()
    page = Page(console)
    plan = result.plan
    assert plan is not None
    head(page, result, lang)
    page.blank()
    _today(page, plan, result, lang)
    _nearest(page, plan, lang)
    _claims(page, plan, result, lang)
    findings = numbered(result)
    _closed(page, findings, result, lang)
    _questions(page, plan, lang)
    page.blank()
    _findings(page, findings, result, lang)
    _evidence(page, result, lang, case_arg)
    _recipients(page, plan, result, lang)
    _footer(page, result, lang, case_arg)
    return page.lines


def head(page: Page, result: Assessment, lang: str) -> None:
    """The order line and the day of assessment (every assess view starts with them)."""
    case = result.case
    parts = [case.order.item, tr(f"platform.{case.platform}", lang), words.money(case.order.price)]
    if case.order.id:
        parts.append(tr("view.order_no", lang, id=case.order.id))
    page.heading(" · ".join(parts))
    page.text(tr("view.as_of", lang, day=words.day(result.as_of, lang)), style="dim")


def _step_text(a: Action, result: Assessment, lang: str) -> str:
    who = words.recipient(a.to, lang, result.case.platform)
    return tr("view.step", lang, who=who, action=a.action)


def _when(a: Action, result: Assessment, lang: str) -> str:
    if a.by is not None:
        return words.deadline(a.by, result.as_of, lang)
    if a.start is not None:
        return tr("view.from_day", lang, day=words.day(a.start, lang, result.as_of))
    return ""


def today_steps(plan: Plan) -> list[Action]:
    """What the view shows as today's steps: the first of each recipient's steps due now, earliest first (the other
    steps due now follow in the recipient's own line and in `rights next`)."""
    out: list[Action] = []
    for a in plan.today:
        if all(a.to != b.to for b in out):
            out.append(a)
    return out


def _today(page: Page, plan: Plan, result: Assessment, lang: str) -> None:
    label = tr("view.today", lang)
    today = today_steps(plan)
    if today:
        for i, a in enumerate(today):
            body = words.tagged(a, result.as_of, lang, _step_text(a, result, lang))
            page.row(
                label if i == 0 else "",
                "▶ " + body,
                label_width=label_width(lang),
                label_style="bold cyan",
                max_lines=3,
            )
        return
    if plan.waiting:
        w = plan.waiting[0]
        left = words.deadline(w.last_day, result.as_of, lang)
        what = words.first_sentence(w.wait.label.get(lang), 60).rstrip("。.")
        page.row(label, tr("view.nothing_today_wait", lang, label=what, when=left),
                 label_width=label_width(lang), label_style="bold cyan", max_lines=3)  # fmt: skip
    else:
        page.row(label, tr("view.nothing_today", lang), label_width=label_width(lang), label_style="bold cyan")
    following = plan.after or next((s for s in plan.steps if s.by or s.start), None) or next(iter(plan.steps), None)
    if following is not None:
        when = _when(following, result, lang)
        who = words.recipient(following.to, lang, result.case.platform)
        body = tr("view.step", lang, who=who, action=words.first_sentence(following.action, 90))
        page.row(tr("view.then", lang), body + (tr("view.until", lang, when=when) if when else ""),
                 label_width=label_width(lang), label_style="bold cyan", max_lines=3)  # fmt: skip


def _nearest(page: Page, plan: Plan, lang: str) -> None:
    """The nearest last day: of a deadline of the buyer's or of a window a step must be taken in (never later than a
    deadline today's steps name)."""
    label = tr("view.nearest", lang)
    dated = [(d.day, words.if_applies(d.title, d.decided, lang)) for d in plan.deadlines]
    dated += [
        (a.by, words.if_applies(a.title or words.first_sentence(a.action, 40), a.decided, lang))
        for a in plan.steps
        if a.by and a.by >= plan.as_of and a.kind != "rule"  # a rule's "within N days" is advice, not a deadline
    ]
    if not dated:
        return
    day, what = min(dated, key=lambda item: item[0])
    body = tr("view.nearest_body", lang, when=words.deadline(day, plan.as_of, lang), what=what)
    page.row(label, body, label_width=label_width(lang), label_style="bold", max_lines=2)


def _claims(page: Page, plan: Plan, result: Assessment, lang: str) -> None:
    label = tr("view.claims", lang)
    width = label_width(lang)
    decided = [c for c in plan.claims if c.decided]
    parts: list[str] = []
    for kind in ("refund", "compensation", "punitive"):
        mine = [c for c in decided if c.kind == kind]
        if mine:
            parts.append(_amounts(kind, mine, lang))
    other = _non_money(result, lang)
    if parts:
        total = plan.total()
        body = tr("view.item_sep", lang).join(parts)
        if total is not None and len({c.kind for c in decided}) > 1:
            left_out = any(not c.confirmed for c in decided)
            body += tr("view.total_confirmed" if left_out else "view.total", lang, amount=words.money(total))
        if other:
            body += tr("view.also", lang, what=other)
        page.row(label, body, label_width=width, label_style="bold green", max_lines=3)
    elif other:
        page.row(label, tr("view.no_amount", lang, what=other), label_width=width, label_style="bold green")
    else:
        page.row(label, tr("view.nothing_to_claim", lang), label_width=width, label_style="bold")
    # a claim that may apply adds nothing where one already established asks at least as much of the same kind
    # (a refund by the 7-day return and the same refund by 民法典 610)
    best = {kind: max(c.amount for c in decided if c.kind == kind) for kind in {c.kind for c in decided}}
    maybe = [c for c in plan.claims if not c.decided and c.amount > best.get(c.kind, -1)]
    if maybe:
        numbers = {f.policy.id: no for no, f in numbered(result)}
        amounts = tr("view.item_sep", lang).join(
            tr(f"view.claim_{c.kind}", lang, amount=words.money(c.amount))
            + tr("view.see_no", lang, no=numbers[c.policy])
            for c in maybe[:3]
        )
        page.row(tr("view.maybe_claims", lang), amounts, label_width=width, label_style="bold yellow", max_lines=2)


def _amounts(kind: str, claims: list[Claim], lang: str) -> str:
    """退款 ¥399 / 赔偿 ¥65.90 或 ¥32.95（择一） with an amount whose rule rests on an unverified source marked (once
    for the group when none is verified)."""
    none_verified = not any(c.confirmed for c in claims)
    mark = tr("view.unconfirmed_amount", lang)
    amounts = list(
        dict.fromkeys(words.money(c.amount) + ("" if c.confirmed or none_verified else mark) for c in claims)
    )
    text = tr(f"view.claim_{kind}", lang, amount=tr("view.or", lang).join(amounts))
    if len(amounts) > 1:
        return text + tr("view.one_of_unconfirmed" if none_verified else "view.one_of", lang)
    return text + (mark if none_verified else "")


def _non_money(result: Assessment, lang: str) -> str:
    """What the decided findings let the buyer ask for besides money (exchange, repair, reship …)."""
    wanted: list[str] = []
    for f in result.established():
        for r in f.remedies:
            if r not in MONEY_REMEDIES and r not in wanted:
                wanted.append(r)
    return words.remedies(wanted, lang) if wanted else ""


def _closed(page: Page, findings: list[tuple[int, Finding]], result: Assessment, lang: str) -> None:
    for no, f in findings:
        if f.status == "applies":
            continue
        label = tr(f"label.{f.status}", lang)
        if f.status == "excluded" and f.excluded_by is not None:
            why = words.first_sentence(f.excluded_by.reason.get(lang), 60)
        elif f.deadline is not None:
            why = tr("view.closed_deadline", lang, when=words.deadline(f.deadline, result.as_of, lang))
        else:
            why = ""
        body = f"{no}. {f.policy.title.get(lang)}" + (tr("view.dash", lang) + why if why else "")
        page.row(label, body, label_width=label_width(lang), label_style=STATUS_STYLE[f.status], max_lines=2)


def _questions(page: Page, plan: Plan, lang: str) -> None:
    if not plan.questions:
        return
    label = tr("view.questions", lang)
    for i, q in enumerate(plan.questions[:MAX_QUESTIONS]):
        body = words.question(q.path, q.ask, lang) + tr("view.affects", lang, count=len(q.findings))
        page.row(label if i == 0 else "", "▸ " + body, label_width=label_width(lang), label_style="bold yellow")


def _findings(page: Page, findings: list[tuple[int, Finding]], result: Assessment, lang: str) -> None:
    plan = result.plan
    assert plan is not None
    open_ = [(no, f) for no, f in findings if f.status == "applies"]
    if not open_:
        return
    page.heading(tr("view.findings", lang, count=len(open_)))
    width = max(cell_width(tr(f"label.{status_key(f)}", lang)) for _, f in open_) + 1
    for no, f in open_:
        key = status_key(f)
        tail: list[str] = []
        if f.deadline is not None and not f.stage:
            tail.append(words.finding_deadline(f, result.as_of, lang, plan.met_on(f)))
        if f.amount is not None:
            tail.append(words.money(f.amount))
        elif f.stage is not None and f.remedies:
            tail.append(tr("view.can_ask", lang, what=words.remedies(f.remedies, lang)))
        if key == "may_apply" and f.missing:
            ask = next((q.ask for q in plan.questions if q.path == f.missing[0]), None)
            tail.append(tr("view.needs", lang, question=words.question(f.missing[0], ask, lang)))
        elif key == "may_apply" and f.open_points:  # undecided for a reason the buyer cannot answer: say which
            short = f.open_short.get(lang) if f.open_short is not None else None
            tail.append(short or words.first_sentence(f.open_points[0].get(lang), 40))
        body = f"{no}. {f.policy.title.get(lang)}" + "".join(tr("view.dot", lang) + t for t in tail)
        page.row(tr(f"label.{key}", lang), body, label_width=width, label_style=STATUS_STYLE[key], indent=2,
                 max_lines=2)  # fmt: skip


def _evidence(page: Page, result: Assessment, lang: str, case_arg: str) -> None:
    missing = [e for e in result.evidence if not e.held]
    if not missing:
        return
    names = tr("wizard.list_sep", lang).join(e.label.get(lang) for e in missing)
    first = min((e.collect_by for e in missing if e.collect_by), default=None)
    body = names
    if first is not None:
        body += tr("view.collect_by", lang, when=words.deadline(first, result.as_of, lang))
    body += tr("view.see_checklist", lang, case=case_arg)
    page.blank()
    page.row(tr("view.evidence", lang, count=len(missing)), body, label_style="bold", max_lines=3)


def _recipients(page: Page, plan: Plan, result: Assessment, lang: str) -> None:
    targets = plan.recipients()
    if not targets and not plan.optional:
        return
    page.blank()
    page.heading(tr("view.next_by_recipient", lang))
    names = {t: words.recipient(t, lang, result.case.platform) for t in targets}
    width = max([cell_width(n) for n in names.values()] + [cell_width(tr("label.public", lang))]) + 2
    shown = {a.to for a in today_steps(plan)}
    for t in targets:
        a = plan.first_step(t)
        assert a is not None
        if t in shown:  # today's step, said above: the same step, never another one
            body = tr("view.today_above", lang, what=words.first_sentence(a.action, 40))
            page.row(names[t], body, label_width=width, label_style="bold", indent=2, max_lines=1)
            continue
        body = words.tagged(a, result.as_of, lang, words.first_sentence(a.action, 70))
        page.row(names[t], body, label_width=width, label_style="bold", indent=2, max_lines=2)
    for a in plan.optional[:1]:
        page.row(tr("label.public", lang), tr("view.optional", lang, what=a.title), label_width=width, indent=2,
                 style="dim")  # fmt: skip


def _footer(page: Page, result: Assessment, lang: str, case_arg: str) -> None:
    page.blank()
    from rightscli.views.notices import grouped

    warnings = grouped(result, lang)
    if warnings:
        page.text(tr("view.warnings_hint", lang, count=len(warnings), case=case_arg), style="yellow")
    page.text(tr("view.more", lang, case=case_arg), style="dim")
    page.text(tr("label.draft", lang), style="dim")
