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
