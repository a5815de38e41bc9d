"""SECURITY.md names, for each defence, the tests that show it: every test it names exists."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
REFERENCE = re.compile(r"`(H/)?([\w/]+\.py)::(\w+|\*)")
BARE = re.compile(r"`(test_\w+)`")


def test_every_test_named_in_security_md_exists() -> None:
    text = (ROOT / "SECURITY.md").read_text(encoding="utf-8")
    references = REFERENCE.findall(text)
    assert len(references) > 40
    missing = []
    for hardening, file, test in references:
        path = ROOT / "tests" / ("hardening" if hardening else "") / file
        if not path.is_file():
            missing.append(f"{path} (file)")
        elif test != "*" and f"def {test}(" not in path.read_text(encoding="utf-8"):
            missing.append(f"{file}::{test}")
    sources = "".join(p.read_text(encoding="utf-8") for p in (ROOT / "tests").rglob("test_*.py"))
    missing += [name for name in BARE.findall(text) if f"def {name}(" not in sources]
    assert not missing, f"SECURITY.md names tests that do not exist: {missing}"


def test_every_hardening_test_file_is_named_in_security_md() -> None:
    """A new file of hardening tests is a new defence (or a new attack on one): SECURITY.md says which."""
    text = (ROOT / "SECURITY.md").read_text(encoding="utf-8")
    files = sorted(p.name for p in (ROOT / "tests" / "hardening").glob("test_*.py"))
    unnamed = [name for name in files if name != "test_security_doc.py" and f"H/{name}" not in text]
    assert not unnamed, f"SECURITY.md does not say what these hardening tests show: {unnamed}"


def test_security_md_names_no_open_bug_that_test_known_bugs_does_not_pin() -> None:
    """The known-bugs section and test_known_bugs.py agree: every strict xfail there is listed in SECURITY.md."""
    text = (ROOT / "SECURITY.md").read_text(encoding="utf-8")
    source = (ROOT / "tests" / "hardening" / "test_known_bugs.py").read_text(encoding="utf-8")
    pinned = re.findall(r"@bug\([^)]*\)\s*(?:@[^\n]*\n\s*)*def (test_\w+)", source)
    assert all(f"`{name}`" in text or f"::{name}`" in text for name in pinned), pinned
