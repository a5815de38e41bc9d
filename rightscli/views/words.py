"""How a view says things to a buyer: dates, days left, money, citations, who a step goes to, a missing fact as a
question. One style per output: Chinese dates as 11月25日 (with the year when it is not the year of the assessment),
English as 25 Nov; money with thousands separators; citations grouped per law (《…》第十条、第十三条)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import TYPE_CHECKING, Any

from rightscli import citation
from rightscli.i18n import tr
from rightscli.i18n.formats import day, days_left, deadline, money

if TYPE_CHECKING:
    from rightscli.plan.model import Action

__all__ = [
    "citations", "day", "days_left", "deadline", "finding_deadline", "first_sentence", "if_applies", "money",
    "question", "recipient", "remedies", "tagged", "without_aside",
]  # fmt: skip


def finding_deadline(f: Any, as_of: date, lang: str, met_on: date | None = None) -> str:
    """A finding's last day in words, as whose time it is (the rule's ``deadline.party``): the buyer's (11月25日（还剩
    5 天） / 已按时主张（11月9日）), the seller's (商家应在11月24日前处理（还剩 4 天） / 商家已明确拒绝（11月10日） /
    商家逾期未处理（11月24日已过）) or an authority's."""
    party = f.deadline_party
    if party == "buyer":
        return deadline(f.deadline, as_of, lang, met_on)
    answered = f.deadline_answered
    if answered is not None:
        key = "view.answered_refused" if answered.event == "merchant_refused" else "view.answered"
        return tr(key, lang, day=day(answered.on, lang, as_of), event=tr(f"event.{answered.event}", lang))
    left = (f.deadline - as_of).days
    if left >= 0:
        return tr(f"view.due_{party}", lang, day=day(f.deadline, lang, as_of), left=days_left(left, lang))
    return tr(f"view.overdue_{party}", lang, day=day(f.deadline, lang, as_of))


def citations(basis: Iterable[dict[str, str]], lang: str) -> str:
    """One group per law (《网络购买商品七日无理由退货暂行办法》第十条、第十三条；《…》第二十五条), in the order the
    laws first appear, each article once, in the law's order (:func:`rightscli.citation.group`)."""
    return citation.group(basis, article_sep=tr("view.article_sep", lang), law_sep=tr("view.law_sep", lang))


def recipient(to: str | None, lang: str, platform: str | None = None) -> str:
    """Who a step goes to, as the buyer knows them: 京东 rather than "the platform", 12315 for the regulator."""
    if to == "platform" and platform and platform != "other":
        return tr("view.platform_named", lang, name=tr(f"platform.{platform}", lang))
    if to is None:
        return tr("view.yourself", lang)
    return tr(f"label.{to}", lang)


def remedies(values: Iterable[str], lang: str) -> str:
    return tr("wizard.list_sep", lang).join(tr(f"remedy.{r}", lang) for r in values)


def question(path: str, ask: Any, lang: str) -> str:
    """A missing fact as the question the wizard would ask (``ask``: its prompt, without the answering hints), else
    a question made of the field's name."""
    if ask is not None:
        text = ask.get(lang)
        for close in ("？", "?"):
            if close in text:
                return text[: text.index(close) + 1]
        return text
    if path.startswith("history"):
        return tr("view.ask_history", lang)
    from rightscli.case import field_label

    return tr("view.ask_field", lang, label=field_label(path))


ABBREVIATIONS = frozenset({"art", "arts", "no", "nos", "e.g", "i.e", "cf", "para", "vs", "etc"})


def _abbreviation(text: str, dot: int) -> bool:
    """The . at ``dot`` ends an abbreviation such as Art. or e.g., not a sentence."""
    start = dot
    while start > 0 and (text[start - 1].isalpha() or text[start - 1] == "."):
        start -= 1
    return text[start:dot].casefold() in ABBREVIATIONS


def _in_word(ch: str) -> bool:
    return ch.isascii() and (ch.isalnum() or ch in "'-")


def first_sentence(text: str, limit: int = 80) -> str:
    """The first sentence of ``text`` (to 。；or ``limit`` characters, then …; an English word is not cut in two),
    without a dangling ；or ，."""
    cut = len(text)
    for i, ch in enumerate(text):
        if ch in "。；;！？" or (
            ch == "." and (i + 1 == len(text) or text[i + 1] == " ") and not _abbreviation(text, i)
        ):
            cut = i + 1
            break
    out = text[:cut]
    if len(out) > limit:
        short = out[: limit - 1]
        if _in_word(out[limit - 1]) and short and _in_word(short[-1]) and " " in short:
            short = short[: short.rindex(" ")]  # English: not within a word (…for help: the…, not the seller'…)
        return short.rstrip("，、；：,;: ") + "…"
    if out.endswith(("；", ";")):
        return out[:-1] + ("。" if not out[:-1].isascii() else ".")
    return out


_ASIDES = (("（", "）"), (" (", ")"))


def without_aside(text: str) -> str:
    """``text`` without the remark in brackets at its end, for a short label (诉讼时效届满日（自发现问题之日起三年…）
    -> 诉讼时效届满日); unchanged when it does not end with one, when they nest, or when nothing would be left."""
    for opening, closing in _ASIDES:
        if text.endswith(closing):
            start = text.rfind(opening)
            if start > 0 and text.count(closing[-1], start) == 1:
                return text[:start].rstrip()
    return text


def if_applies(text: str, decided: bool, lang: str) -> str:
    """``text`` of a rule that may apply, with 如适用 first (so that a line cut short still says it); else as it is."""
    return text if decided else tr("view.if_applies_first", lang, step=text)


def tagged(a: Action, as_of: date, lang: str, text: str) -> str:
    """``text`` after the step's day, so that a step cut short still shows it: 截止 11月25日（还剩 5 天） for a
    deadline, 最好在11月23日前 for a rule's advice (not a deadline), 12月4日起 for a step that opens later; 如适用
    before the step of a rule that may apply (its question is under 请确认)."""
    text = if_applies(text, a.decided, lang)
    if a.by is not None and a.by == as_of and a.kind != "rule":
        return tr("view.today_first", lang, step=text)
    if a.by is not None:
        key = "view.advised_first" if a.kind == "rule" else "view.by_first"
        day_, left = day(a.by, lang, as_of), days_left((a.by - as_of).days, lang)
        return tr(key, lang, day=day_, left=left, step=text)
    if a.start is not None:
        return tr("view.from_first", lang, day=day(a.start, lang, as_of), step=text)
    return text
