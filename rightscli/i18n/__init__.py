"""Interface strings: one catalogue per language, ``rightscli/i18n/zh.json`` and ``rightscli/i18n/en.json``.

Every sentence, label and error message that a user of `rights` reads (terminal views, ``--help``, errors,
warnings, the wizard) is looked up by key::

    tr("case.unknown_key", key="prise", hint="price")     # in the interface language of this run
    tr("label.deadline", "en")                             # in a language given explicitly

A catalogue is a flat JSON object ``{"section.key": "text with {placeholders}"}``. A value may also be an object
``{"one": …, "other": …}``: the form is chosen by the ``count`` placeholder (English plurals). Letters are always
Chinese and keep their own templates; the catalogues hold the interface only.

The interface language of a run is chosen once (:func:`resolve_lang`): ``--lang``, else ``RIGHTS_LANG``, else the
locale (``LC_ALL``, ``LC_MESSAGES``, ``LANG``: English for ``en_*``), else Chinese. The console script reads
``--lang`` before it imports the command line, so that ``--help`` is in that language too
(:mod:`rightscli.entry`).

Cost: only the catalogue of the language in use is read, on the first lookup, with the JSON decoder already loaded
(≈ 0.4 ms for ~1,000 entries, see docs/i18n.md). tests/test_i18n.py checks that both catalogues hold the same
keys and placeholders, that every key the code names exists, and that no error message or help text is written as
a bare English literal.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any

LANGS = ("zh", "en")
_HERE = Path(__file__).resolve().parent
_tables: dict[str, dict[str, Any]] = {}
_current: str | None = None
_explicit = False  # set by a --lang of this run (read before the command line, or by the top-level option)


def catalogue(lang: str) -> dict[str, Any]:
    """The catalogue of ``lang`` (read once per process)."""
    table = _tables.get(lang)
    if table is None:
        raw = (_HERE / f"{lang}.json").read_bytes()
        if "msgspec" in sys.modules:  # already loaded by the models: the faster decoder, at no import cost
            table = sys.modules["msgspec"].json.decode(raw)
        else:  # before any model is loaded (the help texts are built first): json imports in ~1 ms, msgspec ~10
            import json

            table = json.loads(raw)
        _tables[lang] = table
    return table


def tr(key: str, lang: str | None = None, /, **values: Any) -> str:
    """The text of ``key`` in ``lang`` (default: the language of this run), with its placeholders filled.

    A key missing from the catalogue (a test keeps both complete) falls back to the other language, then to the key
    itself, so that a gap never stops a command."""
    lang = lang if lang in LANGS else get_lang()
    text = catalogue(lang).get(key)
    if text is None:
        text = catalogue("en" if lang == "zh" else "zh").get(key, key)
    if isinstance(text, dict):
        text = text["one"] if values.get("count") == 1 and "one" in text else text["other"]
    return text.format(**values) if values else text


t = tr  # the wizard's older name


def in_own_words(said: str, known: Mapping[str, str]) -> str:
    """A library's English message (``said``) in the interface's language: the catalogue entry of the first of
    ``known`` (words the message holds -> catalogue key) that it holds; else as the library said it."""
    for words, key in known.items():
        if words in said:
            return tr(key)
    return said


def has(key: str) -> bool:
    return key in catalogue("zh")


def get_lang() -> str:
    """The interface language of this run (resolved from the environment on first use)."""
    global _current
    if _current is None:
        _current = default_lang()
    return _current


def set_lang(lang: str, *, explicit: bool = False) -> None:
    global _current, _explicit
    _current = lang if lang in LANGS else "zh"
    _explicit = explicit


def default_lang(env: Mapping[str, str] | None = None) -> str:
    """``RIGHTS_LANG`` (zh or en), else the locale (LC_ALL, LC_MESSAGES, LANG): en for English, else zh."""
    env = os.environ if env is None else env
    chosen = env.get("RIGHTS_LANG", "").strip().lower()
    if chosen in LANGS:
        return chosen
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = env.get(name, "")
        if value and value not in ("C", "POSIX", "C.UTF-8", "C.utf8"):
            return "en" if value.lower().startswith("en") else "zh"
    return "zh"


def resolve_lang(option: str | None) -> str:
    """The language for ``--lang OPTION`` (None: not given), made the language of this run.

    An unsupported value is a ValueError: the command line checks the option first (exit 2, with a message in the
    language the run would otherwise use)."""
    if option is None:
        lang = _current if _explicit and _current else default_lang()
    elif option.strip().lower() in LANGS:
        lang = option.strip().lower()
    else:
        raise ValueError(f"unsupported language: {option!r}")
    set_lang(lang)
    return lang


def lang_from_argv(argv: list[str]) -> str | None:
    """The value of ``--lang`` in a command line (``--lang en`` or ``--lang=en``), if any: the console script sets
    the language from it before the command line (and its help texts) is built."""
    for i, arg in enumerate(argv):
        if arg == "--":
            break
        if arg == "--lang" and i + 1 < len(argv):
            return argv[i + 1]
        if arg.startswith("--lang="):
            return arg.partition("=")[2]
    return None
