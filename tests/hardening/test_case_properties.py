"""The case model on generated cases, without the CLI (cheap, so more examples than the CLI-wide properties).

* A valid case validates from YAML and from JSON, to the same typed case.
* A case with one broken field gives exactly one field path in its problems: the broken one, with the file and
  (for YAML) a line.
* A valid case with its text values typed as text (what --set and CSV cells give) validates too.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import msgspec
from hypothesis import given

from rightscli import datafile
from rightscli.case import Case, validate_case
from rightscli.errors import ErrorList, UserError
from tests.hardening.support import hardening
from tests.strategies import Broken, dump, formats, near_valid_cases, valid_cases

TODAY = date(2026, 11, 23)  # only used where a case has no as_of: generated cases always have one


def parse(data: dict, fmt: str) -> datafile.Document:
    return datafile.parse_text(dump(data, fmt), f"case.{fmt}", json_hint=fmt == "json")


def as_text(value: Any, key: str = "") -> Any:
    """Every value as --set or a CSV cell gives it: text, lists comma-separated (history stays a list of events)."""
    if isinstance(value, dict):
        return {k: as_text(v, k) for k, v in value.items()}
    if isinstance(value, list):
        return [as_text(v) for v in value] if key == "history" else ",".join(map(str, value))
    if isinstance(value, bool):
        return "true" if value else "false"
    return value if value is None else str(value)


def typed(case: Case) -> dict[str, Any]:
    return {**msgspec.structs.asdict(case), "source": ""}


@hardening(ci_examples=50)
@given(case=valid_cases())
def test_a_valid_case_reads_the_same_from_yaml_json_and_text_values(case: dict) -> None:
    from_yaml = validate_case(parse(case, "yaml"), today=TODAY)
    from_json = validate_case(parse(case, "json"), today=TODAY)
    from_text = validate_case(datafile.Document(as_text(case), "cells"), today=TODAY, text_values=True)
    assert from_yaml.order.paid_on <= (from_yaml.as_of or TODAY)
    assert typed(from_yaml) == typed(from_json) == typed(from_text)


@hardening(ci_examples=50)
@given(broken=near_valid_cases(), fmt=formats)
def test_one_broken_field_gives_problems_for_that_field_only(broken: Broken, fmt: str) -> None:
    try:
        validate_case(parse(broken.data, fmt), today=TODAY)
    except UserError as exc:
        problems = list(exc.errors) if isinstance(exc, ErrorList) else [exc]
    else:
        raise AssertionError(f"accepted: {broken!r}")
    assert {p.path for p in problems} == {broken.path}, [str(p) for p in problems]
    for problem in problems:
        assert problem.file == f"case.{fmt}"
        assert problem.exit_code == 2
        if fmt == "yaml" and "." in broken.path:  # a field inside a section: its line, or its section's
            assert problem.line is not None, str(problem)
