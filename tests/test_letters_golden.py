"""Golden snapshots of the Markdown of every letter (court and public included) and of the checklists (the plain one
and the one for a court case) for two bundled example cases.

Regenerate after an intended change with ``UPDATE_GOLDEN=1 python -m pytest tests/test_letters_golden.py`` and
review the diff of tests/golden/ before committing it.
"""

from __future__ import annotations

import difflib
import os
from pathlib import Path

import pytest

from rightscli import datafile
from rightscli.case import validate_case
from rightscli.catalog import Catalog, templates_dir
from rightscli.engine import assess
from rightscli.letters.checklist import build_checklist_context
from rightscli.letters.context import build_letter_context
from rightscli.letters.data import recipient_ids
from rightscli.letters.render import render

ROOT = Path(__file__).parent.parent
GOLDEN = Path(__file__).parent / "golden"
CASES = ("laptop-defect", "counterfeit-sneakers")
UPDATE = os.environ.get("UPDATE_GOLDEN") == "1"


def letter_markdown(case_name: str, recipient: str, catalog: Catalog) -> str:
    case = validate_case(datafile.load(str(ROOT / "examples" / f"{case_name}.yaml")))
    assert case.as_of is not None, "golden cases must fix as_of"
    result = assess(case, catalog, case.as_of)
    ctx = build_letter_context(result, recipient)
    return render([f"letters/{recipient}.md.j2"], ctx.values, None, templates_dir())


def checklist_markdown(case_name: str, catalog: Catalog, purpose: str | None = None) -> str:
    case = validate_case(datafile.load(str(ROOT / "examples" / f"{case_name}.yaml")))
    assert case.as_of is not None
    result = assess(case, catalog, case.as_of, "zh")
    ctx = build_checklist_context(result, catalog, "zh", purpose)
    return render(["checklist.md.j2"], ctx, None, templates_dir())


def compare(actual: str, path: Path) -> None:
    if UPDATE:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(actual, encoding="utf-8")
        return
    if not path.exists():
        pytest.fail(f"no golden file {path}; run with UPDATE_GOLDEN=1 to create it")
    expected = path.read_text(encoding="utf-8")
    if actual != expected:
        diff = "".join(
            difflib.unified_diff(
                expected.splitlines(keepends=True), actual.splitlines(keepends=True), str(path), "rendered", n=1
            )
        )
        pytest.fail(f"letter differs from {path} (UPDATE_GOLDEN=1 regenerates it):\n{diff}")


@pytest.mark.parametrize("recipient", recipient_ids())
@pytest.mark.parametrize("case_name", CASES)
def test_letter_golden(case_name: str, recipient: str, catalog: Catalog) -> None:
    compare(letter_markdown(case_name, recipient, catalog), GOLDEN / case_name / f"{recipient}.md")


@pytest.mark.parametrize("case_name", CASES)
def test_checklist_golden(case_name: str, catalog: Catalog) -> None:
    compare(checklist_markdown(case_name, catalog), GOLDEN / case_name / "checklist.md")


@pytest.mark.parametrize("case_name", CASES)
def test_court_checklist_golden(case_name: str, catalog: Catalog) -> None:
    compare(checklist_markdown(case_name, catalog, "court"), GOLDEN / case_name / "checklist-court.md")
