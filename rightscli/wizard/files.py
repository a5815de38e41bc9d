"""Writing the buyer's files: case YAML in the model's field order, written atomically with mode 0600.

A case file holds a name, a phone number and an address, so it is created readable by its owner only. The writing
itself is :mod:`rightscli.output`'s: a temporary file in the target folder, then linked (no overwrite) or renamed
(overwrite) into place, so a reader never sees half a file and an existing file is never replaced unless asked.
"""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from rightscli.case import CASE_SPEC, Field, Spec


def default_case_name(data: dict[str, Any], folder: Path | None = None) -> Path:
    """``case-<order id>.yaml`` in the current folder (``case-<paid on>.yaml`` without an id)."""
    order = data.get("order") or {}
    stem = str(order.get("id") or order.get("paid_on") or "new")
    stem = re.sub(r"[^0-9A-Za-z_.-]+", "-", stem).strip("-.") or "new"
    return (folder or Path(".")) / f"case-{stem[:60]}.yaml"


def free_name(target: Path) -> Path:
    """``target``, or the first of ``name-2.ext``, ``name-3.ext`` … that does not exist yet."""
    if not target.exists():
        return target
    for i in range(2, 1000):
        candidate = target.with_name(f"{target.stem}-{i}{target.suffix}")
        if not candidate.exists():
            return candidate
    return target


def partial_name(target: Path) -> Path:
    return target.with_name(target.stem + ".partial" + target.suffix)


def case_yaml(typed: dict[str, Any], header: str = "") -> str:
    """The typed answers as a case file: the model's field order, absent facts left out."""
    import yaml

    class Dumper(yaml.SafeDumper):
        pass

    def money(dumper: yaml.SafeDumper, value: Decimal) -> Any:
        return dumper.represent_scalar("tag:yaml.org,2002:float", f"{value:.2f}")

    def seq(dumper: yaml.SafeDumper, value: list[Any]) -> Any:
        flow = all(not isinstance(v, (dict, list)) for v in value)
        return dumper.represent_sequence("tag:yaml.org,2002:seq", value, flow_style=flow)

    Dumper.add_representer(Decimal, money)
    Dumper.add_representer(list, seq)
    data = {"case_version": 1, **prune(typed, CASE_SPEC)}
    body = yaml.dump(data, Dumper=Dumper, allow_unicode=True, sort_keys=False, default_flow_style=False, width=100)
    return (header + body) if header else body


def prune(data: dict[str, Any], spec: Spec) -> dict[str, Any]:
    """Drop absent values and empty sections, keep the spec's order; tuples become lists."""
    out: dict[str, Any] = {}
    for key, sub in spec.items():
        value = data.get(key)
        if value is None:
            continue
        if isinstance(sub, Field):
            if sub.kind in ("events", "files"):
                out[key] = [{k: v for k, v in event.items() if v is not None} for event in value]
            else:
                out[key] = list(value) if isinstance(value, tuple) else value
        else:
            section = prune(value, sub)
            if section:
                out[key] = section
    return out


def header_for(tool: str, day: date) -> str:
    return f"# Case file written by `{tool}` on {day.isoformat()}. Format: docs/case-format.md\n"
