"""Bugs the hardening work found and that are fixed now: each test states the wanted behaviour (it was a strict xfail
in test_known_bugs.py while the bug was open)."""

from __future__ import annotations

from pathlib import Path

from rightscli import vocab
from tests.hardening.support import assert_clean, invoke
from tests.hardening.test_known_bugs import FIELD_RE, small, write_case  # noqa: F401


def test_a_letter_for_a_problem_kind_beyond_the_pinned_set(tmp_path: Path) -> None:
    """rightscli/letters/context.py build_letter_context reads ``data.problem_kinds[k]`` for every problem kind, and
    templates/letters/recipients.yaml words only the 11 pinned kinds: a valid case with seller_cancelled,
    auto_renewal, price_discrimination, missing_gift, out_of_stock or fake_shipment makes every letter (and each such
    case of a batch) fail with 'internal error: KeyError' (exit 1). Wanted: the letter, with wording for these kinds."""
    for kind in vocab.PROBLEM_KINDS[11:]:
        for recipient in ("merchant", "regulator"):
            case = write_case(tmp_path, small(kind=kind))
            result = invoke(["letter", case, "--to", recipient])
            assert_clean(result, allowed=(0,))
