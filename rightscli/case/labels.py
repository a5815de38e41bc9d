"""The words a buyer knows for the values of a case file's choice fields (天猫 for ``tmall``), read from the wizard's
questions file (``policies/questions.yaml``, each choice question's ``choices``) and, for the evidence held, from the
evidence catalogue (``policies/evidence.yaml``, each item's ``label``), only when a value is wrong: the error then
lists each allowed value with its label, and a label written where the value belongs (淘宝 for ``taobao``, 发票 for
``invoice``) is named as the value meant."""

from __future__ import annotations

import difflib
import functools
import re
from collections.abc import Sequence

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
                str(value): _texts(label) for value, label in choices.items() if isinstance(label, dict)
            }
    evidence = _evidence()
    if evidence:
        out["evidence"] = out["evidence_files.id"] = evidence
    return out


def _evidence() -> dict[str, dict[str, str]]:
    """{evidence id: its label in each language}, from the evidence catalogue; empty when it does not read."""
    from rightscli import datafile
    from rightscli.errors import UserError

    try:
        data = datafile.load(str(policies_dir() / "evidence.yaml"), regular=True).data
    except UserError:
        return {}
    items = data.get("evidence", []) if isinstance(data, dict) else []
    return {
        str(item["id"]): _texts(item["label"])
        for item in items
        if isinstance(item, dict) and "id" in item and isinstance(item.get("label"), dict)
    }


def _texts(label: dict[object, object]) -> dict[str, str]:
    return {str(lang): text for lang, text in label.items() if isinstance(text, str)}


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


def listing(path: str, values: Sequence[str], lang: str) -> str:
    """The allowed ``values`` of the field at ``path``, each with the buyer's word for it: tmall（天猫）、…"""
    from rightscli.i18n import tr

    def named(value: str) -> str:
        word = label(path, value, lang)
        return tr("case.value_with_label", lang, value=value, label=word) if word and word != value else value

    return tr("case.value_sep", lang).join(named(value) for value in values)


def hint(path: str, written: object, values: Sequence[str]) -> str | None:
    """The value ``written`` was probably meant to be: named in the buyer's words (:func:`value_meant`), else the
    closest spelling (taoboa → taobao); None when neither."""
    meant = value_meant(path, written) if isinstance(written, str) else None
    if meant:
        return meant
    close = difflib.get_close_matches(str(written), values, n=1, cutoff=0.6)
    return close[0] if close else None
