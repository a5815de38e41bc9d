"""The case: the single validated form of a buyer's answers, however they arrived.

:mod:`rightscli.case.model` is the typed form (:class:`Case` and its parts) and the field spec every route checks
against; :mod:`rightscli.case.check` turns raw answers into a :class:`Case` (:func:`validate_case`): a case file,
standard input, ``--set KEY=VALUE``, an answers file and a batch row all end there, so the same value is accepted or
refused the same way, every problem with its field, line and what is expected. Both are used through this package.
"""

from rightscli.case.check import (
    MAX_MONEY,
    MAX_TEXT,
    MAX_YEAR,
    MIN_YEAR,
    check_partial,
    credit_code_check,
    credit_code_problem,
    missing_required,
    validate_case,
)
from rightscli.case.model import (
    CASE_SPEC,
    EVIDENCE_FILE_SPEC,
    HISTORY_SPEC,
    Buyer,
    Case,
    EvidenceFile,
    Field,
    HistoryEvent,
    Listing,
    Merchant,
    Order,
    Problem,
    Spec,
    field_label,
    known_paths,
)

__all__ = [
    "CASE_SPEC",
    "EVIDENCE_FILE_SPEC",
    "HISTORY_SPEC",
    "MAX_MONEY",
    "MAX_TEXT",
    "MAX_YEAR",
    "MIN_YEAR",
    "Buyer",
    "Case",
    "EvidenceFile",
    "Field",
    "HistoryEvent",
    "Listing",
    "Merchant",
    "Order",
    "Problem",
    "Spec",
    "check_partial",
    "credit_code_check",
    "credit_code_problem",
    "field_label",
    "known_paths",
    "missing_required",
    "validate_case",
]
