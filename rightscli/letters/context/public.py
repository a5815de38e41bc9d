"""The public complaint (黑猫投诉, social media): the buyer's own factual account, made safe to publish.

* No personal data of anyone: the buyer's name, phone and address are never written; phone numbers, ID-card numbers,
  e-mail addresses and street addresses in the buyer's own text (description, history notes) are replaced by
  【电话已隐去】 and the like; the order number keeps only its last four characters.
* No insults: words listed in recipients.yaml ``improper_words`` are left out or toned down (黑心商家 → 商家).
* Facts and dates only, then the request and the names of the shop, its operator and the platform; the text is cut
  to the recipient's ``form_limit`` characters (the notes go first, then the description, then the story).

Each change is reported as a note, so the buyer sees what was hidden or shortened.
"""

from __future__ import annotations

from typing import Any

from rightscli.letters import rmb
from rightscli.letters.context.builder import REFUSALS, Builder
from rightscli.letters.context.common import fact_rows
from rightscli.letters.data import phrase
from rightscli.letters.wording import cn_date, placeholder
from rightscli.redact import mask


def redact(text: str, known: list[tuple[str, str]], marks: dict[str, str], found: set[str]) -> str:
    """``text`` with personal data replaced by its mark; ``known`` are exact values from the case (kind, value)."""
    for kind, value in known:
        if value and value in text:
            text = text.replace(value, marks[kind])
            found.add(kind)
    text, kinds = mask(text, marks)
    found |= kinds
    return text


def tone(text: str, words: dict[str, str], found: set[str]) -> str:
    """``text`` without the listed insults (each left out or replaced by a neutral word)."""
    for word in sorted(words, key=len, reverse=True):
        if word in text:
            text = text.replace(word, words[word])
            found.add(word)
    return text


def mask_order_id(order_id: str | None, template: str) -> str | None:
    if not order_id:
        return None
    return phrase(template, tail=order_id[-4:])


def add(b: Builder, values: dict[str, Any]) -> None:
    if b.recipient == "public":
        values["post"] = build_post(b, values)


def build_post(b: Builder, values: dict[str, Any]) -> dict[str, Any]:
    """The public complaint: a title, whom it is about, the request, and the text in paragraphs, within the limit."""
    case = b.assessment.case
    who = b.who
    data = b.data
    post = who.post
    limit = who.form_limit or 1000
    marks = data.redact
    hidden: set[str] = set()
    toned: set[str] = set()
    contact = case.merchant.contact or ""
    known = [
        ("phone", case.buyer.phone or ""),
        ("address", case.buyer.address or ""),
        ("address", case.merchant.address or ""),
        ("email" if "@" in contact else "phone", contact),
    ]

    def clean(text: str) -> str:
        return tone(redact(text, known, marks, hidden), data.improper_words, toned)

    platform = values["platform"]["name"]
    shop = values["merchant"]["shop"]
    order_id = mask_order_id(case.order.id, post["order_id"]) or b.need(None, "订单号", "order.id")
    rows = fact_rows(b, platform, who.seller_role, order_id=order_id, price_both=rmb.figures(case.order.price))
    facts = [
        {
            "date": cn_date(r["day"]) if r["day"] else "",
            "text": clean(r["text"]),
            "note": clean(r["note"]),
        }
        for r in rows
    ]
    description = clean((case.problem.description or "").rstrip("。. "))
    wants = "；".join(_request_words(r) for r in values["requests"]) or placeholder("诉求")
    head = [post["own_account"]]
    tail = [phrase(post["request"], wants=wants), phrase(post["closing"], shop=shop, platform=platform)]

    def story(with_notes: bool, description_room: int | None) -> str:
        out = []
        for f in facts:
            text = f["text"]
            if description_room is not None and description and description in text:
                text = text.replace(description, _cut(description, description_room))
            if with_notes and f["note"]:
                text += f"（{f['note']}）"
            out.append((f"{f['date']}，" if f["date"] else "") + text + "。")
        return "".join(out)

    def compose(body: str) -> list[str]:
        return [*head, body, *tail]

    def length(paragraphs: list[str]) -> int:
        return len("\n".join(paragraphs))

    paragraphs = compose(story(True, None))
    if length(paragraphs) > limit:
        paragraphs = compose(story(False, None))
    if length(paragraphs) > limit and description:
        spare = limit - length(compose(story(False, 0)))
        paragraphs = compose(story(False, max(spare, 0)))
    if length(paragraphs) > limit:
        room = limit - length(compose(""))
        paragraphs = compose(_cut(story(False, 0), max(room, 1)))
    if paragraphs != compose(story(True, None)):
        b.notes.append(f"post_shortened:{limit}")
    if hidden:
        b.notes.append("redacted:" + "、".join(marks[k].strip("【】") for k in sorted(hidden)))
    if toned:
        b.notes.append("toned:" + "、".join(sorted(toned)))
    company = case.merchant.company
    seller = f"{company}（{platform}平台店铺“{shop}”）" if company else f"{platform}平台店铺“{shop}”"
    return {
        "title": _title(b, values, post, who.title_limit or 40),
        "target": f"{seller}；{platform}平台",
        "request": wants,
        "amount": values["order"]["price"],
        "paragraphs": paragraphs,
        "length": length(paragraphs),
        "limit": limit,
    }


def _request_words(r: dict[str, Any]) -> str:
    return "，或者".join(o["short"] + (o["amount"] or "") for o in r["options"])


def _cut(text: str, room: int) -> str:
    if len(text) <= room:
        return text
    return text[: max(room - 1, 0)] + "…"


def _title(b: Builder, values: dict[str, Any], post: dict[str, str], limit: int) -> str:
    events = {e.event for e in b.assessment.case.history}
    fields = {
        "platform": values["platform"]["name"],
        "shop": values["merchant"]["shop"],
        "problem": "，".join(values["problem"]["kinds"]),
    }
    keys = ["title"]
    if REFUSALS[0] in events:
        keys.insert(0, "title_refused")
    elif REFUSALS[1] in events:
        keys.insert(0, "title_no_reply")
    for key in keys:
        title = phrase(post[key], **fields)
        if len(title) <= limit:
            return title
    return _cut(phrase(post["title"], **fields), limit)
