"""The one lookup behind every interface-string catalogue: an entry {zh: …, en: …} in the asked language, Chinese
when that language is missing, with its {placeholders} filled when values are given."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any


def pick(entry: Mapping[str, str], lang: str, **values: Any) -> str:
    text = entry.get(lang) or entry["zh"]
    return text.format(**values) if values else text
