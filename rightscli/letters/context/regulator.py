"""What a letter to the market regulator adds (投诉 to 12315 and 举报): the complaint rule it is filed under, cited by
article only where the text was verified, and for a report the grounds of the violation reported."""

from __future__ import annotations

from typing import Any

from rightscli.letters.context.builder import REFUSALS, Builder


def add(b: Builder, values: dict[str, Any]) -> None:
    recipient = b.recipient
    if recipient == "regulator-report":
        values["report_grounds"] = report_grounds(b)
    if recipient in ("regulator", "regulator-report"):
        rule, later = b.data.complaint_rule(b.assessment.as_of)
        # article numbers that rest on an unofficial copy are not cited: the rule is cited by its name and order
        articles = rule.articles if rule.confidence == "verified" else {k: "" for k in rule.articles}
        values["rule"] = {"ref": rule.ref, "document": rule.document, "order": rule.order, **articles}
        if later:
            b.notes.append(f"rule_after_letter:{rule.effective_from.isoformat()}")


def report_grounds(b: Builder) -> list[dict[str, str]]:
    case = b.assessment.case
    refused = any(e.event in REFUSALS for e in case.history)
    grounds = []
    for kind in case.problem.kinds:
        ground = b.data.report_grounds.get(kind)
        if ground is None or (ground.needs_event and not refused):
            continue
        grounds.append({"kind": kind, "text": ground.text, "basis": ground.basis})
    if not grounds:
        b.notes.append("no_report_grounds")
    return grounds
