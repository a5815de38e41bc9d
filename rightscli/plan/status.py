"""A row of `rights status`: one case file with its most urgent date and next step, or the error that stopped it
(a file that cannot be read or does not validate is listed with its error instead of stopping the run)."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import msgspec

from rightscli.plan.model import Plan

SUFFIXES = (".yaml", ".yml", ".json")


class Row(msgspec.Struct, frozen=True):
    file: str
    plan: Plan | None = None
    error: str | None = None

    @property
    def urgent(self) -> tuple[date, str] | None:
        return self.plan.most_urgent() if self.plan else None

    def sort_key(self) -> tuple[date, str]:
        urgent = self.urgent
        return (urgent[0] if urgent else date.max, self.file)

    def to_json(self) -> dict[str, Any]:
        if self.plan is None:
            return {"file": self.file, "error": self.error}
        plan, urgent = self.plan, self.urgent
        first = plan.today[0] if plan.today else None
        return {
            "file": self.file,
            "order_id": plan.case.order.id,
            "item": plan.case.order.item,
            "platform": plan.case.platform,
            "as_of": plan.as_of.isoformat(),
            "date": urgent[0].isoformat() if urgent else None,
            "days_left": (urgent[0] - plan.as_of).days if urgent else None,
            "what": urgent[1] if urgent else None,
            "next": first.to_json() if first else None,
            "waiting": [{"id": w.source_id, "until": w.last_day.isoformat()} for w in plan.waiting],
            "after": plan.after.to_json() if plan.after else None,
        }


def case_files(folder: Path) -> list[Path]:
    return sorted(
        p for p in folder.iterdir() if p.is_file() and p.suffix.lower() in SUFFIXES and not p.name.startswith(".")
    )
