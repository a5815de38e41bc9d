"""Interface string catalogues of the wizard and the profile commands, one module per language (zh, en).

``t("saved", "en", file="case.yaml")`` looks a string up and fills its ``{placeholders}``. Keys missing from a
catalogue fall back to Chinese, then to the key itself; tests check that both catalogues hold the same keys and
placeholders. Letters are always Chinese and do not use these catalogues.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Any

LANGS = ("zh", "en")


def catalogue(lang: str) -> dict[str, str]:
    if lang == "en":
        from rightscli.i18n.en import STRINGS as EN

        return EN
    from rightscli.i18n.zh import STRINGS as ZH

    return ZH


def t(key: str, lang: str, **values: Any) -> str:
    text = catalogue(lang).get(key) or catalogue("zh").get(key) or key
    return text.format(**values) if values else text


def default_lang(env: Mapping[str, str] | None = None) -> str:
    """The interface language from the locale (LC_ALL, LC_MESSAGES, LANG): en for English, else zh."""
    env = os.environ if env is None else env
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = env.get(name, "")
        if value and value not in ("C", "POSIX", "C.UTF-8", "C.utf8"):
            return "en" if value.lower().startswith("en") else "zh"
    return "zh"
