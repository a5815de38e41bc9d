"""JSON Schema (draft 2020-12) of the case file, generated from the one case model in :mod:`rightscli.case`."""

from __future__ import annotations

from typing import Any

from rightscli import __version__
from rightscli.case import CASE_SPEC, EVIDENCE_FILE_SPEC, HISTORY_SPEC, Field, Spec

DATE = {"type": "string", "format": "date", "pattern": r"^\d{4}-\d{2}-\d{2}$"}
MONEY = {"type": "number", "minimum": 0, "multipleOf": 0.01}


def _base(f: Field) -> dict[str, Any]:
    if f.kind == "text":
        return {"type": "string"}
    if f.kind == "credit_code":
        return {"type": "string", "pattern": "^[0-9A-HJ-NPQRTUWXYa-hj-npqrtuwxy]{18}$"}
    if f.kind == "date":
        return dict(DATE)
    if f.kind == "money":
        return dict(MONEY)
    if f.kind == "bool":
        return {"type": "boolean"}
    if f.kind == "int":
        return {"type": "integer", "enum": [int(c) for c in f.choices]} if f.choices else {"type": "integer"}
    if f.kind == "enum":
        return {"type": "string", "enum": list(f.choices)}
    if f.kind == "enum_list":
        return {"type": "array", "items": {"type": "string", "enum": list(f.choices)}, "uniqueItems": True}
    if f.kind == "events":
        return {"type": "array", "items": object_schema(HISTORY_SPEC)}
    if f.kind == "files":
        return {"type": "array", "items": object_schema(EVIDENCE_FILE_SPEC)}
    raise ValueError(f"no schema for field kind {f.kind!r}")


def field_schema(f: Field) -> dict[str, Any]:
    out = _base(f)
    if not f.required:
        out = {"anyOf": [out, {"type": "null"}]}
    if f.help:
        out["description"] = f.help
    return out


def object_schema(spec: Spec) -> dict[str, Any]:
    properties: dict[str, Any] = {}
    required: list[str] = []
    for key, sub in spec.items():
        if isinstance(sub, Field):
            properties[key] = field_schema(sub)
            if sub.required:
                required.append(key)
        else:
            properties[key] = object_schema(sub)
            if any(isinstance(f, Field) and f.required for f in sub.values()):
                required.append(key)
    out: dict[str, Any] = {"type": "object", "properties": properties, "additionalProperties": False}
    if required:
        out["required"] = required
    return out


def case_schema() -> dict[str, Any]:
    schema = object_schema(CASE_SPEC)
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": f"https://rightscli.invalid/schema/case-{__version__}.json",
        "title": "rightscli case file",
        "description": "One online order that went wrong. Dates are YYYY-MM-DD; money is yuan with at most two "
        "decimals. Dates must also be consistent (received after paid, none after as_of): rightscli checks that.",
        **schema,
    }
