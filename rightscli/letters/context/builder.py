"""The one builder every part of a letter's context shares: the assessment, the recipient's data, and what is
collected on the way (the placeholders used, with the case field that fills each, and the notes for the buyer)."""

from __future__ import annotations

from typing import Any

import msgspec
from msgspec import field

from rightscli.assessment import Assessment
from rightscli.letters.data import LetterData, Recipient
from rightscli.letters.wording import placeholder

# The events by which the seller refused or ignored the buyer's claim (a report's grounds, the public post's title).
REFUSALS = ("merchant_refused", "merchant_no_reply")


class Builder(msgspec.Struct):
    """Collects the placeholders used and the notes for stderr while the context is built."""

    assessment: Assessment
    recipient: str
    data: LetterData
    hints: dict[str, str] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)

    @property
    def who(self) -> Recipient:
        return self.data.recipients[self.recipient]

    def need(self, value: Any, label: str, path: str) -> str:
        """The value, or a placeholder for it; ``path`` is the case field that fills it ("" = fill in by hand)."""
        if value is None or (isinstance(value, str) and not value.strip()):
            self.hints[label] = path
            return placeholder(label)
        return str(value)


class LetterContext(msgspec.Struct, frozen=True):
    values: dict[str, Any]
    hints: dict[str, str]  # placeholder label → the case field that fills it ("" = by hand)
    notes: tuple[str, ...]  # things the buyer should know (unsupported requests, …), as "key:value"
