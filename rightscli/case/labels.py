"""The words a buyer knows for the values of a case file's choice fields (天猫 for ``tmall``), read from the wizard's
questions file (``policies/questions.yaml``, each choice question's ``choices``) only when a value is wrong: the error
then lists each allowed value with its label, and a label written where the value belongs (淘宝 for ``taobao``) is
named as the value meant."""

from __future__ import annotations

import functools
import re

from rightscli.case.model import without_indexes
from rightscli.data_root import policies_dir


@functools.cache
def _choices() -> dict[str, dict[str, dict[str, str]]]:
    """{question id (a case path): {value: {"zh": …, "en": …}}}; empty when the file does not read (`rights policies
    validate` and the wizard report it)."""
    from rightscli import datafile
    from rightscli.errors import UserError

    try:
        data = datafile.load(str(policies_dir() / "questions.yaml"), regular=True).data
    except UserError:
        return {}
    out: dict[str, dict[str, dict[str, str]]] = {}
    for question in data.get("questions", []) if isinstance(data, dict) else []:
        choices = question.get("choices") if isinstance(question, dict) else None
        if isinstance(choices, dict):
            out[str(question.get("id"))] = {
                str(value): {lang: text for lang, text in label.items() if isinstance(text, str)}
                for value, label in choices.items()
                if isinstance(label, dict)
            }
    return out


def _question(path: str) -> str:
    """The question that asks for the field at ``path``: problem.kinds[0] → problem.kinds, history[2].event →
    history (the question of the events)."""
    key = without_indexes(path)
    return "history" if key == "history.event" else key


def label(path: str, value: str, lang: str) -> str | None:
    """The buyer's word for ``value`` of the field at ``path`` in ``lang``, if the questions file has one."""
    return _choices().get(_question(path), {}).get(value, {}).get(lang)


def value_meant(path: str, written: str) -> str | None:
    """The value ``written`` names in the buyer's words, if exactly one: first a value whose label, or a part of it
    (服装 or 含内衣 of 服装（含内衣）), is ``written`` (in either language); else one with a part of two or more
    characters that ``written`` contains or that contains it (七天无理由退货 → changed_mind, 不想要了（无理由退货）)."""
    text = written.strip().casefold()
    if not text:
        return None
    parts = {
        value: {part.strip().casefold() for word in words.values() for part in re.split(r"[（()）]", word)} - {""}
        for value, words in _choices().get(_question(path), {}).items()
    }
    exact = {value for value, names in parts.items() if text in names}
    if len(exact) == 1:
        return exact.pop()
    near = {
        value for value, names in parts.items() for name in names if len(name) >= 2 and (name in text or text in name)
    }
    return near.pop() if not exact and len(near) == 1 else None
