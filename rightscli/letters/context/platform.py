"""What a request to the platform adds: the short text for the platform's complaint form, within its length."""

from __future__ import annotations

from typing import Any

from rightscli.assessment import Finding
from rightscli.letters.context.builder import Builder
from rightscli.letters.mdtext import MdSafe
from rightscli.letters.wording import basis_for, cite, placeholder, short_date_of


def add(b: Builder, values: dict[str, Any], chosen: list[Finding]) -> None:
    who = b.who
    if b.recipient == "platform" and who.form_limit:
        main = [basis_for(f, who)[0] for f in chosen if basis_for(f, who)]  # a rule's first source is its main basis
        values["form_text"] = MdSafe(form_text(values, who.form_limit, cite(main, short=True)))


def form_text(values: dict[str, Any], limit: int, basis: str) -> str:
    """The short text for the platform's complaint form, at most ``limit`` characters.

    Shortened step by step until it fits: first without the evidence list (the files are uploaded anyway), then with
    the story of the dispute cut short, then without the citations.
    """
    o = values["order"]
    head = f"订单号{o['id']}，{o['item']}，实付{o['price']}，{short_date_of(o['paid_on'])}下单"
    if o["received_on"]:
        head += f"，{short_date_of(o['received_on'])}签收"
    wants = "；".join(r["short_amount"] for r in values["requests"]) or placeholder("诉求")
    story = "".join(f"{f['short_date']}{f['text']}" for f in values["facts"][1:]) or "见附件。"
    evidence = "、".join(e["label"] for e in values["evidence"])
    tail = "请平台依《电子商务法》第六十一条协助处理。"

    def compose(story: str, with_basis: bool, with_evidence: bool) -> str:
        lines = [head + "。", f"诉求：{wants}。", f"经过：{story}"]
        if with_basis and basis:
            lines.append(f"依据：{basis}。")
        if with_evidence and evidence:
            lines.append(f"证据：{evidence}。")
        lines.append(tail)
        return "\n".join(lines).replace("`", "'")

    variants = ((True, True), (True, False), (False, False))
    for with_basis, with_evidence in variants:
        text = compose(story, with_basis, with_evidence)
        if len(text) <= limit:
            return text
    for with_basis, with_evidence in variants[1:]:
        room = limit - len(compose("", with_basis, with_evidence)) - 1
        if room >= 60:
            return compose(story[:room] + "…", with_basis, with_evidence)
    text = compose("见附件。", False, False)
    return text if len(text) <= limit else text[: limit - 1] + "…"
